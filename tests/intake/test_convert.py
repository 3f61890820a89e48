"""convert: synthetic Nexis Uni (DOCX, RTF), Factiva (RTF, HTML) and URL-list exports in the
layouts the vendors write (tests/intake/exports.py), into the staging folder."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from caucasus_corpus.intake.convert import ConvertError, convert
from exports import DOCS, Doc, factiva_html, factiva_rtf, nexis_docx, nexis_paragraphs, nexis_rtf, rtf_document
from fixture_site import FakeClock, Site

FURNITURE = ["Load-Date", "Body", "Copyright", "End of Document", "Section:", "Length:", "Client/Matter", "Documents (",
             "HD", "LP", "TD", "AN", "Factiva"]


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def texts(stage: Path) -> dict[str, str]:
    return {r["article_id"]: (stage / "texts" / r["path"]).read_text(encoding="utf-8") for r in rows(stage / "metadata.csv")}


def expected(doc: Doc) -> str:
    return "\n\n".join(doc.body) + "\n"


def test_nexis_docx_documents_come_out_with_metadata_and_clean_bodies(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    frame = convert([nexis_docx(tmp_path / "export.docx", DOCS)], format="nexis", to=stage, progress=False)
    assert list(frame["input"]) == ["export.docx#1", "export.docx#2", "export.docx#3"]
    assert set(frame["status"]) == {"ok"}
    meta = {r["title"]: r for r in rows(stage / "metadata.csv")}
    first = meta["Varnia and Ostrel sign a river treaty"]
    assert first["article_id"] == "varnia-daily-2024-03-12-varnia-and-ostrel-sign-a-river-treaty"
    assert (first["outlet"], first["published"], first["published_source"], first["language"]) == ("Varnia Daily", "2024-03-12", "export", "en")
    assert (first["byline"], first["author"], first["rights_holder"], first["license"]) == ("Tomas Reed", "", "Varnia Daily Ltd", "")
    assert "Section: WORLD NEWS." in first["notes"] and "Load-Date: March 13, 2024." in first["notes"]
    assert first["source_file"] == "export.docx" and first["extractor"].endswith("(convert --format nexis)")
    russian = meta["Паром между Варнией и Острелом возобновил рейсы"]
    assert russian["language"] == "ru" and russian["article_id"].startswith("ostrelskiy-vestnik-2022-05-20-parom-")
    got = texts(stage)
    assert [got[meta[d.title]["article_id"]] for d in DOCS] == [expected(d) for d in DOCS]
    assert not any(f in t for t in got.values() for f in FURNITURE)


def test_nexis_rtf_with_unicode_escapes_gives_the_same_documents(tmp_path: Path) -> None:
    data = nexis_rtf(tmp_path / "export.rtf", DOCS).read_bytes()
    assert b"\\u1055?" in data and b"\\u8220?" in data  # the Cyrillic and the curly quotes are \uN escapes
    convert([tmp_path / "export.rtf"], format="nexis", to=tmp_path / "rtf", progress=False)
    convert([nexis_docx(tmp_path / "export.docx", DOCS)], format="nexis", to=tmp_path / "docx", progress=False)
    assert texts(tmp_path / "rtf") == texts(tmp_path / "docx")


@pytest.mark.parametrize("kind", ["rtf", "html"])
def test_factiva_body_is_lp_then_td_and_an_goes_to_notes(tmp_path: Path, kind: str) -> None:
    file = (factiva_rtf if kind == "rtf" else factiva_html)(tmp_path / f"factiva.{kind}", DOCS)
    stage = tmp_path / "stage"
    frame = convert([file], format="factiva", to=stage, progress=False)
    assert list(frame["status"]) == ["ok"] * 3
    meta = {r["title"]: r for r in rows(stage / "metadata.csv")}
    first = meta[DOCS[0].title]
    assert (first["outlet"], first["published"], first["byline"], first["language"]) == ("Varnia Daily", "2024-03-12", "Tomas Reed", "en")
    assert "Factiva AN: Document INVENT000120240312e0001." in first["notes"]
    assert first["rights_holder"] == "Varnia Daily Ltd"
    got = texts(stage)
    assert [got[meta[d.title]["article_id"]] for d in DOCS] == [expected(d) for d in DOCS]


def test_an_unrecognised_layout_names_file_and_line_and_stages_nothing(tmp_path: Path) -> None:
    good = nexis_docx(tmp_path / "good.docx", DOCS[:1])
    odd = Doc("Kesk mayor resigns", "Varnia Daily", DOCS[0].day, ["The invented mayor of Kesk resigned."])
    paragraphs = nexis_paragraphs(DOCS[:1] + [odd], cover=False)
    where = paragraphs.index("Body", paragraphs.index("Kesk mayor resigns"))
    paragraphs.insert(where, "Photo by an invented photographer")  # no field, no copyright line: cannot be placed
    from docx import Document

    document = Document()
    for p in paragraphs:
        document.add_paragraph(p)
    bad = tmp_path / "bad.docx"
    document.save(str(bad))
    stage = tmp_path / "stage"
    with pytest.raises(ConvertError) as info:
        convert([good, bad], format="nexis", to=stage, progress=False)
    assert str(info.value).startswith(f"{bad}:{where + 1}: 'Photo by an invented photographer' cannot be placed")
    assert not stage.exists()  # nothing half-written: not even the good file's documents


def test_a_file_that_is_not_the_layout_fails_at_its_first_line(tmp_path: Path) -> None:
    plain = tmp_path / "notes.rtf"
    plain.write_bytes(rtf_document(["", "Some invented notes about Varnia", "and nothing else"]))
    with pytest.raises(ConvertError, match=r"notes\.rtf:2: no 'End of Document' line"):
        convert([plain], format="nexis", to=tmp_path / "s", progress=False)
    with pytest.raises(ConvertError, match=r"notes\.rtf:2: no HD field code"):
        convert([plain], format="factiva", to=tmp_path / "s", progress=False)
    text = tmp_path / "notes.txt"
    text.write_text("x", encoding="utf-8")
    with pytest.raises(ConvertError, match=r"notes\.txt: a Nexis Uni export is a \.docx or \.rtf file"):
        convert([text], format="nexis", to=tmp_path / "s", progress=False)


def test_a_docx_is_read_through_the_safe_reader_with_member_caps(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    source = nexis_docx(tmp_path / "src.docx", DOCS[:1])
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        out.writestr("word/media/padding.bin", b"\0" * 5_000_000)  # compresses about 1000:1
    with pytest.raises(ConvertError, match="padding.bin.*compression ratio"):
        convert([bomb], format="nexis", to=tmp_path / "s", progress=False)
    with pytest.raises(ConvertError, match="no such file"):
        convert([tmp_path / "missing.docx"], format="nexis", to=tmp_path / "s", progress=False)


def test_a_rerun_skips_converted_documents_and_reports_duplicates(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    convert([nexis_docx(tmp_path / "a.docx", DOCS)], format="nexis", to=stage, progress=False)
    (stage / "metadata.csv").write_text((stage / "metadata.csv").read_text(encoding="utf-8").replace("Tomas Reed", "T. Reed"), encoding="utf-8")
    frame = convert([tmp_path / "a.docx"], format="nexis", to=stage, progress=False)
    assert len(frame) == 3 and len(rows(stage / "metadata.csv")) == 3
    assert rows(stage / "metadata.csv")[0]["byline"] == "T. Reed"  # the person's edit is kept
    frame = convert([factiva_rtf(tmp_path / "f.rtf", DOCS[:2])], format="factiva", to=stage, progress=False)
    got = frame.set_index("input")
    assert list(got.loc[["f.rtf#1", "f.rtf#2"], "status"]) == ["duplicate-of", "duplicate-of"]
    assert got.loc["f.rtf#1", "article_id"] == "varnia-daily-2024-03-12-varnia-and-ostrel-sign-a-river-treaty"


MEDIA_CLOUD = """id,indexed_date,language,media_name,media_url,publish_date,title,url
1001,2023-04-12 10:00:00,en,Varnia Daily,varnia.example,2023-04-11 09:30:00,Varnia and Ostrel open a river ferry,{base}/news/2023/04/11/ferry.html
1002,2023-04-12 10:05:00,en,Varnia Daily,varnia.example,2023-04-11 11:00:00,An item without an address,
1003,2023-04-12 10:06:00,en,Varnia Daily,varnia.example,2023-04-11 12:00:00,A bad address,ftp://varnia.example/x
"""
GDELT = "DocumentIdentifier\tSourceCommonName\tV2Tone\n{base}/economy/market.html\tvarnia.example\t-1.5,2.0\n"


def test_url_lists_become_a_list_collect_takes_with_their_columns_kept(site: Site, tmp_path: Path, clock: FakeClock) -> None:
    mc = tmp_path / "mediacloud.csv"
    mc.write_text(MEDIA_CLOUD.format(base=site.base), encoding="utf-8")
    gd = tmp_path / "gdelt.csv"
    gd.write_text(GDELT.format(base=site.base), encoding="utf-8")
    stage = tmp_path / "stage"
    frame = convert([mc, gd], format="urls", to=stage, progress=False)
    assert dict(zip(frame["input"], frame["status"])) == {"mediacloud.csv:2": "ok", "mediacloud.csv:3": "error",
                                                         "mediacloud.csv:4": "error", "gdelt.csv:2": "ok"}
    listed = rows(stage / "urls.csv")
    assert [r["url"] for r in listed] == [site.url("/news/2023/04/11/ferry.html"), site.url("/economy/market.html")]
    assert listed[0]["media_name"] == "Varnia Daily" and listed[0]["source_line"] == "2" and listed[1]["V2Tone"] == "-1.5,2.0"
    assert site.requests == []  # converting a list fetches nothing

    from caucasus_corpus.intake.collect import collect

    collect(from_csv=stage / "urls.csv", to=stage, clock=clock, progress=False)
    meta = {r["url"]: r for r in rows(stage / "metadata.csv")}
    ferry = meta[site.url("/news/2023/04/11/ferry.html")]
    assert "Listed in urls.csv line 2" in ferry["notes"] and "media_name=Varnia Daily" in ferry["notes"]
    assert len(rows(stage / "report.csv")) == 6


def test_the_cli_exits_0_on_success_and_2_on_a_refused_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caucasus_corpus.cli.main import main

    docx = nexis_docx(tmp_path / "export.docx", DOCS)
    assert main(["convert", "--format", "nexis", str(docx), "--to", str(tmp_path / "s")]) == 0
    assert "3 input(s)" in capsys.readouterr().out
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    assert main(["convert", "--format", "nexis", str(broken), "--to", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "broken.docx: is not a readable zip file" in err[0]


def test_the_cli_takes_sizes_as_import_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--max-bytes reads 512M or 2G as `import --max-bytes` does (one parser for both), and the cap applies."""
    from caucasus_corpus.cli.main import main

    docx = nexis_docx(tmp_path / "export.docx", DOCS)
    assert main(["convert", "--format", "nexis", str(docx), "--to", str(tmp_path / "s"), "--max-bytes", "1M"]) == 0
    capsys.readouterr()
    assert main(["convert", "--format", "nexis", str(docx), "--to", str(tmp_path / "t"), "--max-bytes", "1K"]) == 2
    assert "cap of 1,024" in capsys.readouterr().err


def test_convert_never_writes_into_a_release(tmp_path: Path, release_copy: Path) -> None:
    import hashlib

    def tree() -> dict[str, str]:
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(release_copy.rglob("*")) if p.is_file()}

    before = tree()
    with pytest.raises(ValueError, match="inside the release folder"):
        convert([nexis_docx(tmp_path / "e.docx", DOCS)], format="nexis", to=release_copy / "corpus" / "staging", progress=False)
    assert tree() == before


def test_the_report_frames_document_their_columns(site: Site, tmp_path: Path, clock: FakeClock) -> None:
    from caucasus_corpus.intake.collect import collect
    from support import actual_columns, documented_columns

    frame = collect([site.url("/missing.html")], to=tmp_path / "a", clock=clock, progress=False)
    assert actual_columns(frame) == documented_columns(collect)
    frame = convert([nexis_docx(tmp_path / "e.docx", DOCS[:1])], format="nexis", to=tmp_path / "b", progress=False)
    assert actual_columns(frame) == documented_columns(convert)
