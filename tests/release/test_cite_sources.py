"""Citing what a paper used besides the release: the original article (from ``corpus.articles``,
never a field the table lacks) and the library; and a copy that was never released says so."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.release.citation import cite_article, cite_software

from support import FICTION_ID, write_release


def _with_metadata(root: Path, **fields: str) -> Path:
    """The fictional release with article metadata filled in (invented, example.org-style values)."""
    from caucasus_corpus.release import rehash

    path = root / "corpus" / "articles.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0].update(fields)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    rehash(root, version="1.0.0")
    return root


def test_article_citation_takes_every_field_from_the_articles_table(tmp_path: Path) -> None:
    root = _with_metadata(write_release(tmp_path / "r"), author="Kesa Rimm", outlet="ostrel-gazette.example",
                          url="https://ostrel-gazette.example/dam", published="2031-03-01")
    corpus = cc.load(root)
    title = corpus.articles.set_index("article_id").loc[FICTION_ID, "title"]
    apa = cite_article(corpus, FICTION_ID)
    assert apa == f"Kesa Rimm. (2031, March 1). {title.rstrip('.')}. ostrel-gazette.example. https://ostrel-gazette.example/dam\n"
    bib = cite_article(corpus, FICTION_ID, style="bibtex")
    for line in ("  author = {{Kesa Rimm}},", "  date = {2031-03-01},", "  url = {https://ostrel-gazette.example/dam}",
                 "  howpublished = {ostrel-gazette.example},"):
        assert line in bib
    assert bib.count("{") == bib.count("}")


def test_article_citation_leaves_out_what_the_table_lacks(tmp_path: Path) -> None:
    corpus = cc.load(write_release(tmp_path / "r"))  # no author, outlet, URL or date
    apa = cite_article(corpus, FICTION_ID)
    assert "(n.d.)" in apa and "http" not in apa and "None" not in apa and "nan" not in apa.lower()
    bib = cite_article(corpus, FICTION_ID, style="bibtex")
    assert "url" not in bib and "author" not in bib and "year" not in bib
    with pytest.raises(KeyError, match="unknown article id"):
        cite_article(corpus, "varnia-ostrel")
    with pytest.raises(ValueError, match="style='cff'"):
        cite_article(corpus, FICTION_ID, style="cff")


def test_software_citation_names_the_installed_library_version_and_nothing_invented() -> None:
    apa = cite_software()
    assert f"(Version {cc.__version__}) [Computer software]" in apa and "(n.d.)" in apa
    assert "http" not in apa and "doi" not in apa.lower().replace("no release date, url or doi", "")
    assert "CITATION.cff" in apa
    assert cite_software(style="bibtex").startswith("@software{")


def test_an_undated_release_is_cited_as_unreleased_and_a_dated_one_with_its_date(tmp_path: Path) -> None:
    corpus = cc.load(write_release(tmp_path / "r"))  # a manifest no release command ever dated
    for style in ("bibtex", "apa", "cff"):
        text = corpus.cite(style=style)
        assert "Unreleased: data version 1.0.0 has no release date" in text, style
    assert "(n.d.)" in corpus.cite(style="apa") and "year" not in corpus.cite()
    bundled = cc.load()
    created = bundled.cite(style="cff")
    assert "Unreleased" not in bundled.cite(style="apa")
    import yaml

    day = str(yaml.safe_load(created)["date-released"])
    assert f"Released {day}." in bundled.cite(style="apa") and f"({day[:4]})." in bundled.cite(style="apa")
