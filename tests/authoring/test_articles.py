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
    (TEXT, {"title": "渡轮 2031 — «»"}, "no letters that can be romanized"),
    (TEXT, {"outlet": "渡轮日报"}, "the outlet '渡轮日报' has no Latin letters or digits"),
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


@pytest.mark.parametrize(("title", "expected"), [
    # Invented titles, one per script: the id transliterates instead of dropping letters.
    ("İlham Əliyev Varniya ilə sülh haqqında danışdı", "ilham-eliyev-varniya-ile-sulh-haqqinda-danisdi"),
    ("Паром в Варнию: Щукин и Семёнов", "parom-v-varniyu-shchukin-i-semyonov"),
    ("Վարնիայի լաստանավը Երևանից", "varniayi-lastanavy-yerevanits"),
    ("ვარნიის ბორანი თბილისში", "varniis-borani-tbilisshi"),
    ("ᲕᲐᲠᲜᲘᲘᲡ ᲑᲝᲠᲐᲜᲘ", "varniis-borani"),
])
def test_titles_in_the_regions_scripts_get_ids_without_losing_letters(title: str, expected: str) -> None:
    assert article_id_for(outlet="Ostrel Herald", published="2031-04-02", title=title) == f"ostrel-herald-2031-04-02-{expected}"


def test_an_article_with_a_cyrillic_title_is_added_under_its_romanized_id(fiction: Path) -> None:
    aid = add_article(fiction, text=TEXT.encode("utf-8"), **meta(title="Паром в Варнию", language="ru"))
    assert aid == "ostrel-herald-2031-04-02-parom-v-varniyu"
    assert cc.load(fiction).text(aid) == TEXT


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


# -- the provenance and rights columns ----------------------------------------------------------
PROVENANCE = {"retrieved": "2024-03-12T08:15:00Z", "extractor": "trafilatura==2.3.1 (deduplicate=False)",
              "capture": "captures/run-1.warc.gz#<urn:uuid:0b7c1b1e-5f0e-4d3a-9a59-3c5a3f8e2d10>",
              "capture_sha256": "a" * 64, "published_source": "json-ld", "license": "CC-BY-4.0",
              "license_evidence": "link rel=license https://creativecommons.org/licenses/by/4.0/",
              "access_rights": "open access", "rights_holder": "Ostrel Herald (fictional)",
              "archived_url": "https://archive.example/2024/ostrel-ferry"}


def write_full_csv(path: Path, rows: list[dict]) -> Path:
    from caucasus_corpus.authoring.articles import ARTICLE_FIELDS

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=ARTICLE_FIELDS, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: "" for k in ARTICLE_FIELDS} | row)
    return path


def test_bulk_add_keeps_the_provenance_columns_and_computes_the_text_hash(release_copy: Path, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(TEXT, encoding="utf-8")
    row = {"path": "a.txt", **meta(), **PROVENANCE}
    [aid] = add_articles(release_copy, write_full_csv(tmp_path / "m.csv", [row]), texts, progress=False)
    got = cc.load(release_copy).articles.set_index("article_id").loc[aid]
    assert {k: got[k] for k in PROVENANCE} == PROVENANCE
    assert got["text_sha256"] == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert not cc.release.validate(release_copy)


def test_add_article_takes_the_rights_columns(release_copy: Path) -> None:
    aid = add_article(release_copy, text=TEXT, **meta(), license="NOASSERTION", rights_holder="Ostrel Herald (fictional)")
    got = cc.load(release_copy).articles.set_index("article_id").loc[aid]
    assert (got["license"], got["rights_holder"]) == ("NOASSERTION", "Ostrel Herald (fictional)")


@pytest.mark.parametrize(("field", "value", "says"), [
    ("text_sha256", "0" * 64, "is not the sha256 of the text"),
    ("license", "cc-by-4.0", "is spelled 'CC-BY-4.0' in SPDX"),
    ("license", "All rights reserved", "is not an SPDX license expression"),
    ("retrieved", "2024-03-12 08:15", "does not match"),
    ("retrieved", "2024-02-30T08:15:00Z", "is not a real time"),
    ("access_rights", "free", "is not allowed"),
    ("published_source", "guess", "is not allowed"),
])
def test_bad_provenance_is_refused_naming_the_field(release_copy: Path, tmp_path: Path, field: str, value: str, says: str) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(TEXT, encoding="utf-8")
    before = tree(release_copy)
    with pytest.raises(CorpusValidationError) as info:
        add_articles(release_copy, write_full_csv(tmp_path / "m.csv", [{"path": "a.txt", **meta(), field: value}]),
                     texts, progress=False)
    assert any(f"m.csv:2: {field}" in p and says in p for p in info.value.problems), info.value.problems
    assert tree(release_copy) == before


def test_a_date_source_without_a_date_is_refused(release_copy: Path) -> None:
    with pytest.raises(CorpusValidationError, match="published_source: 'meta' names where an empty date was read"):
        add_article(release_copy, text=TEXT, **meta(published=""), id="ostrel-undated-ferry", published_source="meta")


def test_a_table_from_before_the_columns_refuses_their_values_and_takes_the_rest(fiction: Path) -> None:
    # The fictional release's table has the twelve older columns only.
    header = (fiction / "corpus" / "articles.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert "license" not in header
    before = tree(fiction)
    with pytest.raises(CorpusValidationError, match="has no column license"):
        add_article(fiction, text=TEXT, **meta(), license="CC-BY-4.0")
    assert tree(fiction) == before
    aid = add_article(fiction, text=TEXT, **meta())
    articles = cc.load(fiction).articles.set_index("article_id")
    assert articles["license"].isna().all() and articles["text_sha256"].isna().all()
    assert (fiction / "corpus" / "articles.csv").read_text(encoding="utf-8").split("\n", 1)[0] == header
    assert aid in articles.index
