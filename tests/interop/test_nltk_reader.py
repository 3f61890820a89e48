"""corpus.nltk_reader(): an NLTK CorpusReader on StreamBackedCorpusView, held to corpus.tokens."""

from __future__ import annotations

import nltk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.corpus.reader.api import CorpusReader
from nltk.corpus.reader.util import StreamBackedCorpusView

import caucasus_corpus as cc
from caucasus_corpus.errors import NoAnnotationsError
from caucasus_corpus.interop import nltk_reader


def grouped(tokens, *keys):  # type: ignore[no-untyped-def]
    return [g["token"].tolist() for _, g in tokens.groupby(["article_id", *keys], sort=False)]


def assert_matches_tokens(corpus) -> None:  # type: ignore[no-untyped-def]
    reader = corpus.nltk_reader()
    tokens = corpus.tokens
    assert list(reader.words()) == tokens["token"].tolist()
    assert [list(s) for s in reader.sents()] == grouped(tokens, "sentence")
    paras = [grouped(p, "sentence") for _, p in tokens.groupby(["article_id", "paragraph"], sort=False)]
    assert [[list(s) for s in p] for p in reader.paras()] == paras
    for aid in corpus.article_ids:
        assert reader.raw(aid) == corpus.text(aid)
        assert list(reader.words(aid)) == tokens.loc[tokens["article_id"] == aid, "token"].tolist()


def test_bundled_reader_is_the_corpus_tokens(bundled, monkeypatch) -> None:
    monkeypatch.setattr(nltk.data, "path", [])  # any lookup of downloaded NLTK data would fail
    reader = bundled.nltk_reader()
    assert isinstance(reader, CorpusReader) and reader.fileids() == bundled.article_ids
    assert isinstance(reader.words(bundled.article_ids[0]), StreamBackedCorpusView)
    assert_matches_tokens(bundled)
    # NLTK's own classes on the reader's output, against the package's frequency list.
    freq = bundled.frequency(case=True, kinds=("word", "number", "punct"))
    dist = nltk.FreqDist(reader.words())
    assert dict(zip(freq["token"], freq["n"])) == dict(dist)
    text = nltk.Text(reader.words())
    assert text.count("Russia") == dist["Russia"] > 0
    assert reader.raw() == "".join(bundled.text(a) for a in bundled.article_ids)


def test_words_by_speaker_are_the_tokens_inside_their_claims_and_threats(bundled) -> None:
    reader = bundled.nltk_reader()
    tokens = bundled.tokens
    speakers = reader.speakers()
    assert "hikmat-hajiyev" in speakers
    for actor in speakers:
        spans = [(a, s, e) for layer in (bundled.claims, bundled.threats) for a, s, e, who in
                 zip(layer["article_id"], layer["start"], layer["end"], layer["speaker"]) if who == actor]
        inside = [any(a == sa and s <= t0 and t1 <= e for sa, s, e in spans)
                  for a, t0, t1 in zip(tokens["article_id"], tokens["start"], tokens["end"])]
        assert list(reader.words(speaker=actor)) == tokens.loc[inside, "token"].tolist()
        assert [w for s in reader.sents(speaker=actor) for w in s] == tokens.loc[inside, "token"].tolist()
    by_name = reader.words(speaker="Hikmat Hajiyev")
    assert list(by_name) == list(reader.words(speaker="hikmat-hajiyev")) and len(by_name) > 0


# Paragraphs (blank lines, some holding spaces), emoji, CJK, RTL, combining marks, no-break spaces.
PIECES = st.sampled_from(["Pell Andor said.", "Ostrel 👋🏽 replied!", "北京和上海。", "שָׁלוֹם עולם.", "e\u0301te",
                          "\u00a0", " ", "\n", "\n\n", "\n \n", "Kesa Rimm: \"No.\"", "3.5", "مرحبا"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=12).map("".join), min_size=1, max_size=3), st.sampled_from([3, 7, 1 << 16]))
def test_any_text_and_any_block_size(texts: list[str], chunk: int) -> None:
    original = nltk_reader._CHUNK
    nltk_reader._CHUNK = chunk  # tiny reads cut UTF-8 characters and paragraph breaks in two
    try:
        assert_matches_tokens(cc.from_texts({f"t-{i}": t for i, t in enumerate(texts)}))
    finally:
        nltk_reader._CHUNK = original


def test_errors() -> None:
    reader = cc.from_texts({"n-1": "Kesa Rimm spoke."}).nltk_reader()
    with pytest.raises(KeyError, match="n-2"):
        reader.words("n-2")
    with pytest.raises(NoAnnotationsError):
        reader.words(speaker="Kesa Rimm")
    assert reader.speakers() == []
