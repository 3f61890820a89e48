"""Corpora from a user's own texts: from_texts and from_dataframe (fictional texts only)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.text.folding import fold

TEXTS = {"varnia-1": "Pell Andor visited Ostrel on Monday.", "varnia-2": "Ostrel said nothing. Varnia waited."}


def test_from_texts_has_the_documented_article_columns_and_dtypes() -> None:
    mine = cc.from_texts(TEXTS)
    bundled = cc.load().articles
    assert list(mine.articles.columns) == list(bundled.columns)
    assert mine.articles.dtypes.to_dict() == bundled.dtypes.to_dict()
    assert mine.articles["article_id"].tolist() == list(TEXTS)
    assert mine.articles["n_chars"].tolist() == [len(t) for t in TEXTS.values()]
    assert mine.articles[["title", "outlet", "url", "author", "path"]].isna().all().all()
    assert mine.articles["published"].isna().all()
    assert (mine.version, mine.fingerprint, mine.root, mine.has_annotations) == (None, None, None, False)
    assert mine.text("varnia-2") == TEXTS["varnia-2"]


def test_text_functions_work_on_own_texts() -> None:
    mine = cc.from_texts(TEXTS)
    assert mine.kwic("Ostrel")["article_id"].tolist() == ["varnia-1", "varnia-2"]
    freq = mine.frequency()
    words = [fold(w) for w in mine.tokens.query("kind == 'word'")["token"]]
    assert dict(zip(freq["token"], freq["n"])) == Counter(words)
    assert set(mine.collocates("Ostrel", window=1)["collocate"]) == {"visited", "on", "said"}


def test_from_dataframe_from_a_scraped_csv(tmp_path: Path) -> None:
    csv = tmp_path / "scraped.csv"
    pd.DataFrame({"id": [1, 2], "body": list(TEXTS.values()), "headline": ["Visit", "Silence"],
                  "date": ["2031-03-01", ""], "site": ["example.invalid", None]}).to_csv(csv, index=False)
    df = pd.read_csv(csv)
    mine = cc.from_dataframe(df, text="body", id="id", metadata={"title": "headline", "published": "date", "outlet": "site"})
    a = mine.articles
    assert a["article_id"].tolist() == ["1", "2"]
    assert a["title"].tolist() == ["Visit", "Silence"]
    assert str(a["published"].iloc[0].date()) == "2031-03-01" and pd.isna(a["published"].iloc[1])
    assert a["outlet"].iloc[0] == "example.invalid" and pd.isna(a["outlet"].iloc[1])
    assert a.dtypes.to_dict() == cc.load().articles.dtypes.to_dict()
    assert mine.kwic("Varnia")["article_id"].tolist() == ["2"]


def test_from_dataframe_takes_columns_named_like_fields_by_default() -> None:
    df = pd.DataFrame({"article_id": ["a", "b"], "text": ["x", "y"], "title": ["T1", "T2"], "country": ["AM", "GE"]})
    a = cc.from_dataframe(df).articles
    assert a["title"].tolist() == ["T1", "T2"] and "country" not in a.columns


def test_missing_column_names_it_and_lists_the_available_ones() -> None:
    df = pd.DataFrame({"article_id": ["a"], "body": ["x"]})
    with pytest.raises(ValueError, match=r"no column 'text'.*available columns: 'article_id', 'body'"):
        cc.from_dataframe(df)
    with pytest.raises(ValueError, match=r"no column 'when'"):
        cc.from_dataframe(df, text="body", metadata={"published": "when"})
    with pytest.raises(ValueError, match=r"'colour' is not an article field"):
        cc.from_dataframe(df, text="body", metadata={"colour": "body"})


def test_ids_must_be_unique_slugs_and_the_error_explains() -> None:
    with pytest.raises(ValueError, match=r"unique; repeated: 'a'"):
        cc.from_dataframe(pd.DataFrame({"article_id": ["a", "a"], "text": ["x", "y"]}))
    with pytest.raises(ValueError, match=r"slugs.*'My Article 1' \(e\.g\. 'my-article-1'\)"):
        cc.from_texts({"My Article 1": "x"})
    with pytest.raises(ValueError, match="slugs"):
        cc.from_texts({"../etc/passwd": "x"})


def test_texts_must_be_strings() -> None:
    with pytest.raises(ValueError, match=r"'b' is nan \(an empty cell\?\)"):
        cc.from_dataframe(pd.DataFrame({"article_id": ["a", "b"], "text": ["x", float("nan")]}))
    with pytest.raises(TypeError, match="mapping"):
        cc.from_texts(["just a list"])  # type: ignore[arg-type]


def test_empty_corpus_is_allowed_and_empty_results_keep_columns() -> None:
    mine = cc.from_texts({})
    assert len(mine) == 0 and mine.tokens.empty
    assert list(mine.kwic("Ostrel").columns) == list(cc.load().kwic("Ostrel").columns)
    assert mine.frequency().empty
