"""Adding articles: stored byte for byte, every refusal leaves the release byte-identical."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.authoring.articles import add_article, add_articles
from caucasus_corpus.authoring.ids import article_id_for
from caucasus_corpus.errors import CorpusValidationError
from support import FICTION_ID, FICTION_TEXT

# Invented texts: test data only.
TEXT = "Ostrel opens a ferry to Varnia\n\nThe fictional ferry \u00a0runs twice a week. \U0001f6a2\n"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".caucasus-corpus")}


def meta(**changes: str) -> dict:
    return {"title": "Ostrel opens a ferry", "language": "en", "outlet": "ostrel-herald.example",
            "published": "2031-04-02", **changes}


def test_an_added_article_is_stored_byte_for_byte_and_the_release_loads(fiction: Path) -> None:
    aid = add_article(fiction, text=TEXT.encode("utf-8"), genre="news", **meta())
    assert aid == "ostrel-herald-2031-04-02-ostrel-opens-a-ferry"
    assert (fiction / f"corpus/texts/{aid}.txt").read_bytes() == TEXT.encode("utf-8")
    corpus = cc.load(fiction)
    assert corpus.version == "1.0.0+dev"
    assert corpus.text(aid) == TEXT
    row = corpus.articles.set_index("article_id").loc[aid]
    assert (row["genre"], row["language"], str(row["published"].date())) == ("news", "en", "2031-04-02")
    assert row["author"] is pd_na() and row["byline"] is pd_na()  # unknown stays empty, never guessed
    assert cc.release.validate(fiction) == []


def pd_na():  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.NA


def test_diff_against_the_last_release_shows_the_added_article(fiction: Path) -> None:
    aid = add_article(fiction, text=TEXT, **meta())
    from caucasus_corpus.cli.main import main

    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["diff", "--path", str(fiction)]) == 0
    assert aid in out.getvalue()


@pytest.mark.parametrize(("text", "kwargs", "expected"), [
    (b"Varnia \xff\xfe text\n", {}, "not valid UTF-8 at byte 7"),
    ("\ufeffVarnia text\n", {}, "byte order mark"),
    ("Varnia\r\ntext\r\n", {}, "2 CRLF line ends"),
    ("Varnia\rtext\r", {}, "2 CR line ends"),
    ("  \n\u00a0\n", {}, "empty or only whitespace"),
    ("", {}, "empty or only whitespace"),
    (TEXT, {"id": "../escape"}, "not a slug"),
    (TEXT, {"id": "Upper-Case"}, "not a slug"),
    (TEXT, {"id": "has space"}, "not a slug"),
    (TEXT, {"id": "corpus/texts/x"}, "not a slug"),
    (TEXT, {"id": FICTION_ID}, "already used"),
    (FICTION_TEXT, {}, f"identical (sha256 {hashlib.sha256(FICTION_TEXT.encode()).hexdigest()[:12]}...) to article '{FICTION_ID}'"),
    (TEXT, {"published": "2031-02-30"}, "published: '2031-02-30' is not a calendar date"),
    (TEXT, {"genre": "blog"}, "genre: 'blog' is not allowed"),
    (TEXT, {"language": "xx"}, "language: 'xx' is not an ISO 639 language code"),
    (TEXT, {"language": "English"}, "language: 'English' does not match"),
    (TEXT, {"language": ""}, "language: is required"),
    (TEXT, {"title": ""}, "title: is required"),
    (TEXT, {"url": "javascript:alert(1)"}, "url:"),
    (TEXT, {"outlet": ""}, "without outlet; give the id"),
    (TEXT, {"published": ""}, "without published; give the id"),
    (TEXT, {"title": "Паром в Варнию"}, "no Latin letters"),
])
def test_every_refusal_names_the_problem_and_leaves_the_release_byte_identical(
        fiction: Path, text: str | bytes, kwargs: dict, expected: str) -> None:
    before = tree(fiction)
    with pytest.raises(ValueError) as info:
        add_article(fiction, text=text, **meta(**{k: v for k, v in kwargs.items() if k != "id"}), id=kwargs.get("id"))
    assert expected in str(info.value)
    assert tree(fiction) == before


def test_normalize_converts_bom_and_crlf_and_says_so_in_notes(fiction: Path) -> None:
    aid = add_article(fiction, text="\ufeffVarnia\r\nferry\r\n".encode("utf-8"), normalize=True, notes="Fictional.", **meta())
    assert (fiction / f"corpus/texts/{aid}.txt").read_bytes() == b"Varnia\nferry\n"
    notes = cc.load(fiction).articles.set_index("article_id").loc[aid, "notes"]
    assert notes == "Fictional. Converted when added: byte order mark removed; 2 CRLF line ends converted to LF."


def test_the_id_rule() -> None:
    assert article_id_for(outlet="https://www.ostrel-herald.example/news", published="2031-04-02",
                          title="Éa: the ferry to Varnia, and what it means for the valley below") == \
        "ostrel-herald-2031-04-02-ea-the-ferry-to-varnia-and-what-it"  # eight words
    assert article_id_for(outlet="Ostrel Herald", published="2031-04-02", title="Ferry") == "ostrel-herald-2031-04-02-ferry"


def write_csv(path: Path, rows: list[dict]) -> Path:
    fields = ["article_id", "path", "title", "published", "outlet", "url", "genre", "language", "byline", "author", "source_file", "notes"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: "" for k in fields} | row)
    return path


def test_bulk_adds_every_row_in_one_commit(fiction: Path, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    for i in range(3):
        (texts / f"t{i}.txt").write_text(f"Fictional Varnia text number {i}.\n", encoding="utf-8")
    rows = [{"path": f"t{i}.txt", "title": f"Varnia item {i}", "language": "en", "outlet": "varnia.example",
             "published": f"2031-05-0{i + 1}"} for i in range(3)]
    ids = add_articles(fiction, write_csv(tmp_path / "m.csv", rows), texts, progress=False)
    assert ids == [f"varnia-2031-05-0{i + 1}-varnia-item-{i}" for i in range(3)]
    corpus = cc.load(fiction)
    assert set(ids) <= set(corpus.article_ids)
    assert corpus.articles.set_index("article_id").loc[ids[0], "source_file"] == "t0.txt"


def test_bulk_is_all_or_nothing_and_lists_every_bad_row(fiction: Path, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "good.txt").write_text("A fictional Varnia text.\n", encoding="utf-8")
    (texts / "crlf.txt").write_bytes(b"Ostrel\r\n")
    (texts / "dup.txt").write_text(FICTION_TEXT, encoding="utf-8")
    rows = [
        {"path": "good.txt", "title": "Good", "language": "en", "id": "", "article_id": "good-one"},
        {"path": "crlf.txt", "title": "CRLF", "language": "en", "article_id": "crlf-one"},
        {"path": "missing.txt", "title": "Missing", "language": "en", "article_id": "missing-one"},
        {"path": "dup.txt", "title": "Dup", "language": "en", "article_id": "dup-one"},
        {"path": "good.txt", "title": "Bad date", "language": "en", "article_id": "date-one", "published": "2031-13-01"},
    ]
    rows[0].pop("id")
    before = tree(fiction)
    with pytest.raises(CorpusValidationError) as info:
        add_articles(fiction, write_csv(tmp_path / "m.csv", rows), texts, progress=False)
    text = "\n".join(info.value.problems)
    assert "m.csv:3:" in text and "CRLF" in text
    assert "m.csv:4:" in text and "does not exist" in text
    assert "m.csv:5:" in text and "identical" in text
    assert "m.csv:6:" in text and ("calendar date" in text or "does not match" in text)
    assert "identical" in text and "m.csv:2" in text  # row 6 repeats row 2's text
    assert tree(fiction) == before


def test_record_id_marks_live_in_the_manifest_and_a_release_keeps_them(fiction: Path) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="t")
    rid = s.mention(quote="Ostrel", occurrence=1, actor="Ostrel", form="name")
    s.delete(rid)
    again = cc.annotate(fiction, FICTION_ID, annotator="t").mention(quote="Ostrel", occurrence=1, actor="ostrel", form="name")
    assert again != rid
    (fiction / "CHANGELOG.md").write_text("# Changes\n\n## Data\n\n### Unreleased\n- Fictional test.\n", encoding="utf-8")
    cc.release.release(fiction, bump="minor")
    assert json.loads((fiction / "datapackage.json").read_text())["record_id_marks"]
    assert cc.release.validate(fiction) == []
