"""The engine interface: NumpyEngine answers every operation consistently with the tokens frame."""

from __future__ import annotations

import fnmatch
import re

import numpy as np
import pytest

import caucasus_corpus as cc
from caucasus_corpus.engine import NumpyEngine, TokenEngine
from caucasus_corpus.text.folding import fold

TEXTS = {"a-1": "Pell Andor visited Ostrel. Ostrel's mayor met Andor.", "b-2": "", "c-3": "Kesa Rimm: OSTREL, ostrel!"}


@pytest.fixture(params=["bundled", "fiction-texts"])
def corpus(request: pytest.FixtureRequest, bundled):  # type: ignore[no-untyped-def]
    return bundled if request.param == "bundled" else cc.from_texts(TEXTS)


def test_numpy_engine_implements_the_interface(corpus) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(corpus.engine, NumpyEngine) and isinstance(corpus.engine, TokenEngine)
    assert corpus.engine is corpus.engine  # built once, owned by the corpus


def test_positions_agree_with_the_tokens_frame(corpus) -> None:  # type: ignore[no-untyped-def]
    engine, frame = corpus.engine, corpus.tokens
    pos = np.arange(len(engine))
    assert len(engine) == len(frame)
    assert engine.starts(pos).tolist() == frame["start"].tolist()
    assert engine.ends(pos).tolist() == frame["end"].tolist()
    assert engine.tokens(pos).tolist() == frame["token"].tolist()
    assert engine.token_index(pos).tolist() == frame["token_index"].tolist()
    assert [engine.article_ids[a] for a in engine.article(pos)] == frame["article_id"].tolist()
    first, last = engine.bounds()
    sizes = frame.groupby("article_id").size()
    assert [int(last[i] - first[i] + 1) for i in range(len(engine.article_ids))] == [int(sizes.get(a, 0)) for a in engine.article_ids]
    assert engine.kind_mask(["word"]).tolist() == (frame["kind"] == "word").tolist()


@pytest.mark.parametrize(("query", "match", "case"), [
    ("Ostrel", "exact", False), ("ostrel", "exact", True), ("Ostrel*", "glob", False),
    ("Russia", "exact", False), ("Az.*", "regex", False), ("[A-Z]+", "regex", True),
])
def test_find_equals_a_plain_scan(corpus, query: str, match: str, case: bool) -> None:  # type: ignore[no-untyped-def]
    tokens = corpus.tokens["token"].tolist()
    if match == "exact":
        hit = (lambda t: t == query) if case else (lambda t: fold(t) == fold(query))
    else:
        rx = re.compile(fnmatch.translate(query) if match == "glob" else query, 0 if case else re.IGNORECASE)
        hit = lambda t: rx.fullmatch(t) is not None  # noqa: E731
    expected = [i for i, t in enumerate(tokens) if hit(t)]
    assert corpus.engine.find([query], match=match, case=case).tolist() == expected


def test_type_codes_count_like_a_counter(corpus) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    codes, vocab = corpus.engine.type_codes(case=False)
    counted = Counter(vocab[codes].tolist())
    assert counted == Counter(fold(t) for t in corpus.tokens["token"])


def test_positions_in_spans_are_the_tokens_inside(corpus) -> None:  # type: ignore[no-untyped-def]
    engine, frame = corpus.engine, corpus.tokens
    art = np.array([0, 0]), np.array([0, 5]), np.array([12, 30])
    rows, pos = engine.positions_in_spans(*art)
    for row, (s, e) in enumerate(zip(art[1], art[2])):
        inside = frame.index[(frame["article_id"] == engine.article_ids[0]) & (frame["start"] >= s) & (frame["end"] <= e)]
        assert pos[rows == row].tolist() == inside.tolist()
