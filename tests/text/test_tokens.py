"""Tokens and sentences: offsets into the verbatim text, scripts, and the hyphen rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import caucasus_corpus as cc
from caucasus_corpus.text import sentence_spans, tokenize


def test_every_token_of_the_corpus_points_at_its_text(bundled: cc.Corpus) -> None:
    corpus = bundled
    tokens = corpus.tokens
    assert len(tokens) > 1000
    for aid, group in tokens.groupby("article_id"):
        text = corpus.text(aid)
        assert all(text[s:e] == t for s, e, t in zip(group["start"], group["end"], group["token"]))
        assert list(group["token_index"]) == list(range(len(group)))
        assert group["start"].is_monotonic_increasing


def test_hyphenated_names_are_one_token_by_the_documented_rule() -> None:
    toks = [t.token for t in tokenize("the Nagorno-Karabakh conflict and Azerbaijan-Russia ties - here")]
    assert toks == ["the", "Nagorno-Karabakh", "conflict", "and", "Azerbaijan-Russia", "ties", "-", "here"]


def test_letters_of_every_script_are_word_characters() -> None:
    samples = {
        "Azerbaijani": "Milli Məclis Ağdam Şəki ılıq",
        "Cyrillic": "Министерство иностранных дел",
        "Armenian": "Հայաստանի Հանրապետություն",
        "Georgian": "საქართველოს პარლამენტი",
    }
    for script, text in samples.items():
        toks = tokenize(text)
        assert [t.token for t in toks] == text.split(), script
        assert {t.kind for t in toks} == {"word"}, script


def test_combining_marks_stay_inside_the_word() -> None:
    decomposed = "S\u0327əki"  # S + combining cedilla
    assert [t.token for t in tokenize(decomposed)] == [decomposed]


def test_no_break_space_separates_tokens() -> None:
    assert [t.token for t in tokenize("Tuesday,\u00a0 Gudrat")] == ["Tuesday", ",", "Gudrat"]


def test_line_breaks_and_full_stops_end_sentences() -> None:
    text = "A headline\n17 May 2017\n\nFirst sentence. Second one."
    sents = [text[s:e] for _p, s, e in sentence_spans(text)]
    assert sents == ["A headline", "17 May 2017", "First sentence.", "Second one."]
    assert [p for p, _s, _e in sentence_spans(text)] == [0, 0, 1, 1]


def test_seed_sentence_count_and_kinds() -> None:
    tokens = cc.load().tokens
    assert set(tokens["kind"]) == {"word", "number", "punct"}
    assert tokens.loc[tokens["token"] == "2003", "kind"].tolist() == ["number"]
    first = tokens[tokens["sentence"] == 0]["token"].tolist()
    assert first[:3] == ["Relations", "between", "Azerbaijan"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_offsets_hold_for_any_text(text: str) -> None:
    toks = tokenize(text)
    for t in toks:
        assert text[t.start : t.end] == t.token
        assert t.token and not any(c.isspace() for c in t.token)
    assert [t.start for t in toks] == sorted(t.start for t in toks)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_no_visible_character_is_dropped(text: str) -> None:
    covered = set()
    for t in tokenize(text):
        covered.update(range(t.start, t.end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())
