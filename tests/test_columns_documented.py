"""Every public DataFrame documents its columns (name and dtype), and the docs match the data."""

from __future__ import annotations

import pytest

import caucasus_corpus as cc

from conftest import actual_columns, documented_columns

# (documented object, how to get the real frame). Add every new public DataFrame here.
FRAMES = {
    "Corpus.articles": (cc.Corpus.articles, lambda c: c.articles),
    "Corpus.tokens": (cc.Corpus.tokens, lambda c: c.tokens),
}


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_docstring_columns_match_the_frame(name: str) -> None:
    documented, get = FRAMES[name]
    assert actual_columns(get(cc.load())) == documented_columns(documented)
