"""UIMA CAS XMI out and in: UTF-16 offsets in the file, code points in our records, converted once (by cassis)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem
from hypothesis import HealthCheck, given, settings

import caucasus_corpus as cc
from caucasus_corpus.interop import import_annotations
from caucasus_corpus.interop.importing import ImportRefused
from caucasus_corpus.interop.xmi import to_xmi
from interop_support import (bundled_without_records, comparable, empty_release, release_bytes, text_and_records,
                             tricky_round_trip)
from support import FICTION_ID, REPO, SEED_ID, write_release

DATA = REPO / "tests" / "data" / "xmi"


def cassis_roundtrip(zip_path: Path) -> str:
    """Load the zip's XMI with cassis and its type system, write it again with cassis; the XMI text."""
    with zipfile.ZipFile(zip_path) as z:
        xmi_name = next(n for n in z.namelist() if n.endswith(".xmi"))
        ts = load_typesystem(io.BytesIO(z.read("TypeSystem.xml")))
        cas = load_cas_from_xmi(io.BytesIO(z.read(xmi_name)), typesystem=ts)
        ts_bytes = z.read("TypeSystem.xml")
    xmi = cas.to_xmi()
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr(xmi_name, xmi)
        z.writestr("TypeSystem.xml", ts_bytes)
    return xmi


def utf16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def test_offsets_in_the_file_are_utf16_and_ours_code_points(tmp_path: Path) -> None:
    text = "😀 Varnia said 👍🏽 Ostrel e\u0301 will act.\n"
    s = text.index("Ostrel")
    rec = {"id": "h-m001", "article_id": "h", "layer": "mention", "start": s, "end": s + 6, "text": "Ostrel",
           "annotator": "test", "actor": "ostrel", "form": "name"}
    source = write_release(tmp_path / "s", texts={"h": text}, records={"h": [rec]})
    to_xmi(cc.load(source), tmp_path / "x")
    xmi = zipfile.ZipFile(tmp_path / "x" / "h.zip").read("h.xmi").decode("utf-8")
    begin, end = map(int, re.search(r'<custom:Mention [^>]*begin="(\d+)" end="(\d+)"', xmi).groups())
    assert (begin, end) == (utf16(text, s), utf16(text, s + 6)) == (s + 3, s + 9)  # three astral code points before
    target = empty_release(tmp_path / "t", {"h": text})
    import_annotations(target, tmp_path / "x", format="xmi", annotator="test")
    assert comparable(cc.load(target).annotations) == comparable([rec])


def test_bundled_release_round_trips_through_cassis(tmp_path: Path, bundled) -> None:
    to_xmi(bundled, tmp_path / "x")
    cassis_roundtrip(tmp_path / "x" / f"{SEED_ID}.zip")
    release = bundled_without_records(tmp_path / "release")
    report = import_annotations(release, tmp_path / "x", format="xmi", annotator="annotator-1")
    assert len(report.added[SEED_ID]) == 192
    assert comparable(cc.load(release).annotations) == comparable(bundled.annotations)


@given(case=text_and_records())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_tricky_texts_round_trip(tmp_path_factory: pytest.TempPathFactory, case) -> None:
    tricky_round_trip(tmp_path_factory.mktemp("xmi"), case, "xmi", lambda out: (cassis_roundtrip(out / "h.zip"), out)[1])


def test_hand_made_xmi_imports_as_expected(tmp_path: Path) -> None:
    # Written by hand as INCEpTION writes XMI: UTF-16 offsets (the emoji counts two), a sentence
    # and tokens of its own segmentation (ignored), our types, the HasCue relation.
    xmi = (DATA / "varnia-emoji.xmi").read_bytes()
    text = load_cas_from_xmi(io.BytesIO(xmi), typesystem=load_typesystem(io.BytesIO((DATA / "TypeSystem.xml").read_bytes()))).sofa_string
    assert text == "Varnia 😀 warns Ostrel, said Pell Andor.\n"
    release = empty_release(tmp_path / "r", {"varnia-emoji": text})
    report = import_annotations(release, DATA / "varnia-emoji.xmi", format="xmi", annotator="kesa")
    assert len(report.added["varnia-emoji"]) == 2
    got = {r["layer"]: r for r in cc.load(release).annotations.to_dict("records")}
    assert (got["mention"]["start"], got["mention"]["end"], got["mention"]["text"]) == (15, 21, "Ostrel")
    claim = got["claim"]
    assert claim["text"] == "Varnia 😀 warns Ostrel" and claim["attributes"]["targets"] == ["ostrel"]
    assert claim["attributes"]["cue"] == {"start": 23, "end": 27, "text": "said"}
    assert claim["attributes"]["speaker"] == "pell-andor" and claim["annotator"] == "kesa"


def test_unknown_type_and_changed_text_are_refused(tmp_path: Path) -> None:
    release = write_release(tmp_path / "r", records={FICTION_ID: []})
    before = release_bytes(release)
    to_xmi(cc.load(write_release(tmp_path / "s")), tmp_path / "x")
    zip_path = tmp_path / "x" / f"{FICTION_ID}.zip"
    with zipfile.ZipFile(zip_path) as z:
        xmi, ts = z.read(f"{FICTION_ID}.xmi").decode(), z.read("TypeSystem.xml").decode()
    ts = ts.replace("<types>", "<types><typeDescription><name>webanno.custom.Person</name><description/>"
                               "<supertypeName>uima.tcas.Annotation</supertypeName></typeDescription>", 1)
    xmi = xmi.replace('<cas:Sofa', '<custom:Person xmi:id="9999" sofa="1" begin="0" end="6"/><cas:Sofa', 1)
    xmi = xmi.replace('<cas:View sofa="1" members="', '<cas:View sofa="1" members="9999 ', 1)
    xmi = xmi.replace("Varnia warns", "Varnia warned")
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr(f"{FICTION_ID}.xmi", xmi)
        z.writestr("TypeSystem.xml", ts)
    with pytest.raises(ImportRefused) as info:
        import_annotations(release, tmp_path / "x", format="xmi", annotator="test")
    message = "\n".join(info.value.problems)
    assert "webanno.custom.Person" in message and "differs from the stored text first at character 11" in message
    assert release_bytes(release) == before
