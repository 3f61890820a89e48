"""brat standoff out and in: offsets in code points, read back with bratly, refusals that write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bratly import (AttributeAnnotation, EntityAnnotation, NoteAnnotation, RelationAnnotation)
from hypothesis import HealthCheck, given, settings

import caucasus_corpus as cc
from caucasus_corpus.interop import export, import_annotations
from caucasus_corpus.interop.brat import to_brat
from caucasus_corpus.interop.importing import ImportRefused
from interop_support import (bundled_without_records, comparable, empty_release, release_bytes, text_and_records,
                             tricky_round_trip)
from support import FICTION_ID, FICTION_TEXT, REPO, SEED_ID, fiction_records, write_release

DATA = REPO / "tests" / "data" / "brat"


def bratly_roundtrip(ann: Path) -> None:
    """Parse every line of ``ann`` with bratly's own classes and write what bratly writes back."""
    entities: dict = {}
    parsed = []
    lines = ann.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.startswith("T"):
            e = EntityAnnotation.from_line(line)
            entities[e.id] = e
            parsed.append(e)
    for line in lines:
        if line.startswith("A"):
            parsed.append(AttributeAnnotation.from_line(line, entities))
        elif line.startswith("R"):
            parsed.append(RelationAnnotation.from_line(line, entities))
        elif line.startswith("#"):
            parsed.append(NoteAnnotation.from_line(line, entities))
    assert len(parsed) == len(lines)
    ann.write_text("".join(f"{a}\n" for a in parsed), encoding="utf-8")


def test_bundled_release_round_trips_through_bratly(tmp_path: Path, bundled) -> None:
    out = tmp_path / "brat"
    export(bundled, out, format="brat")
    ann = out / f"{SEED_ID}.ann"
    text = (out / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    assert text == bundled.text(SEED_ID)
    for line in ann.read_text(encoding="utf-8").splitlines():  # every span covers its text in code points
        if line.startswith("T"):
            e = EntityAnnotation.from_line(line)
            assert text[e.get_start():e.get_end()].replace("\n", " ") == e.content
    bratly_roundtrip(ann)
    release = bundled_without_records(tmp_path / "release")
    report = import_annotations(release, out, format="brat", annotator="annotator-1")
    assert len(report.added[SEED_ID]) == len(bundled.annotations) == 192
    assert comparable(cc.load(release).annotations) == comparable(bundled.annotations)


@given(case=text_and_records())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_tricky_texts_round_trip(tmp_path_factory: pytest.TempPathFactory, case) -> None:
    tricky_round_trip(tmp_path_factory.mktemp("brat"), case, "brat", lambda out: (bratly_roundtrip(out / "h.ann"), out)[1])


def test_hand_made_brat_files_import_as_expected(tmp_path: Path) -> None:
    # As brat writes them: a span across a line break split into two fragments, ids out of order,
    # a note, a cue relation, actor ids and a topic as attributes.
    text = (DATA / "varnia-note.txt").read_text(encoding="utf-8")
    release = empty_release(tmp_path / "r", {"varnia-note": text})
    report = import_annotations(release, DATA, format="brat", annotator="kesa")
    assert len(report.added["varnia-note"]) == 4
    got = {r["layer"]: r for r in cc.load(release).annotations.to_dict("records")}
    claim = got["claim"]
    assert text[claim["start"]:claim["end"]] == claim["text"] == "we will close\nthe border"
    assert claim["attributes"]["cue"] == {"start": text.index("said"), "end": text.index("said") + 4, "text": "said"}
    assert claim["attributes"]["targets"] == ["ostrel"] and claim["attributes"]["speaker"] == "pell-andor"
    assert claim["attributes"]["note"] == "Reported\nspeech."
    assert got["mention"]["text"] == "Pell Andor" and got["mention"]["annotator"] == "kesa"
    assert got["stance"]["attributes"]["target"] == "dam"
    assert got["threat"]["attributes"]["cameo"] == "1381"


def _import_refused(release: Path, folder: Path, *expected: str) -> None:
    before = release_bytes(release)
    with pytest.raises(ImportRefused) as info:
        import_annotations(release, folder, format="brat", annotator="test")
    message = "\n".join(info.value.problems)
    for part in expected:
        assert part in message, message
    assert release_bytes(release) == before


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path]:
    release = write_release(tmp_path / "r", records={FICTION_ID: []})
    source = write_release(tmp_path / "s")
    to_brat(cc.load(source), tmp_path / "brat")
    return release, tmp_path / "brat"


def test_shifted_offset_is_refused(exported) -> None:
    release, folder = exported
    ann = folder / f"{FICTION_ID}.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("Mention 74 84", "Mention 75 85"), encoding="utf-8")
    _import_refused(release, folder, f"{FICTION_ID}.ann:1", "75:85 says 'Pell Andor'", "shifted")


def test_unknown_label_attribute_and_actor_are_refused(exported) -> None:
    release, folder = exported
    ann = folder / f"{FICTION_ID}.ann"
    lines = ann.read_text(encoding="utf-8").replace("\tMention 74 84", "\tPerson 74 84")
    lines = lines.replace("Speaker T2 pell-andor", "Speaker T2 nobody").replace("Form T5 name", "Shape T5 name")
    ann.write_text(lines, encoding="utf-8")
    _import_refused(release, folder, "unknown entity type 'Person'", "speaker 'nobody' is not an actor",
                    "unknown attribute 'Shape'")


def test_what_only_the_checker_sees_is_refused_before_the_release_is_touched(tmp_path: Path) -> None:
    # Two articles; in the second, "an MP" as a *name* of Kesa Rimm passes the mapping but not the
    # checker (a name must be one of the actor's aliases). The trial on a scratch copy refuses, so
    # not even the first article's records reach the release.
    texts = {FICTION_ID: FICTION_TEXT, "varnia-second": FICTION_TEXT + "Second copy.\n"}
    records = {aid: [r | {"id": r["id"] + n} for r in fiction_records(text, aid)] for n, (aid, text) in zip("ab", texts.items())}
    to_brat(cc.load(write_release(tmp_path / "s", texts=texts, records=records)), tmp_path / "brat")
    release = write_release(tmp_path / "r", texts=texts, records={aid: [] for aid in texts})
    ann = tmp_path / "brat" / "varnia-second.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("Form T10 nominal", "Form T10 name"), encoding="utf-8")
    _import_refused(release, tmp_path / "brat", "varnia-second: the records do not validate",
                    "'an MP' is not among kesa-rimm's name and aliases")


def test_missing_text_file_bom_and_crlf_are_refused(exported) -> None:
    release, folder = exported
    txt = folder / f"{FICTION_ID}.txt"
    crlf = FICTION_TEXT.replace("\n", "\r\n").encode("utf-8")
    txt.write_bytes(crlf)
    _import_refused(release, folder, "CRLF", "convert the file to LF")
    txt.write_bytes(b"\xef\xbb\xbf" + FICTION_TEXT.encode("utf-8"))
    _import_refused(release, folder, "byte order mark")
    txt.unlink()
    _import_refused(release, folder, f"{FICTION_ID}.txt is missing")


def test_article_not_in_release_says_add_it_first(exported, tmp_path: Path) -> None:
    release, folder = exported
    for suffix in (".txt", ".ann"):
        shutil.copy(folder / f"{FICTION_ID}{suffix}", folder / f"elsewhere{suffix}")
    _import_refused(release, folder, "article 'elsewhere' is not in the release", "caucasus-corpus add",
                    f"its text is that of article '{FICTION_ID}'")


@pytest.mark.parametrize("fmt", ["brat", "xmi", "labelstudio"])
def test_export_refuses_crlf_and_bom_texts_and_writes_nothing(tmp_path: Path, fmt: str) -> None:
    import pandas as pd

    for text, expected in (("Varnia\nmet\r\nOstrel", "CR .*line 2"), ("\ufeffVarnia", "byte order mark")):
        mine = cc.from_dataframe(pd.DataFrame({"id": ["a"], "text": [text]}), text="text", id="id")
        with pytest.raises(ValueError, match=expected):
            export(mine, tmp_path / "out", format=fmt)
        assert not (tmp_path / "out").exists()


def test_export_refuses_a_folder_with_files_unless_overwrite(exported) -> None:
    _release, folder = exported
    source = cc.load(write_release(folder.parent / "again"))
    with pytest.raises(FileExistsError, match="not empty"):
        to_brat(source, folder)
    assert to_brat(source, folder, overwrite=True)
