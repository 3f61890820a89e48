"""Whatever the text, the suggester returns valid spans: generated texts of names, reporting verbs,
quotation marks of every kind, punctuation and paragraph breaks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from caucasus_corpus.suggest import suggest

ACTORS = [
    {"actor_id": "varnia", "name": "Varnia", "kind": "state", "aliases": ["Varnia"]},
    {"actor_id": "pell-andor", "name": "Pell Andor", "kind": "person", "aliases": ["Pell Andor", "Andor"]},
    {"actor_id": "some-critics", "name": "some critics", "kind": "unnamed", "aliases": []},
]
PIECES = ["Varnia", "Pell Andor", "Andor's", "some critics", "he", "she", "they", "said", "added", "that",
          "according to", "it was thought", "warned", "threat", "sanctions", "the dam", "will", "must", "the spokesman",
          '"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", ",", ".", "?", ":", "\n\n", "\n",
          "\u00a0", "-", "\U0001f30a", "Mr.", "K."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join))
def test_spans_are_in_the_text_trimmed_and_ids_unique(text: str) -> None:
    frame = suggest(text, ACTORS)
    assert frame["suggestion_id"].is_unique
    for r in frame.itertuples():
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start:r.end] == r.text
        assert not r.text[0].isspace() and not r.text[-1].isspace()
        if isinstance(r.cue, str):
            assert text[r.cue_start:r.cue_end] == r.cue
        assert 0 < r.confidence <= 1


# Pieces of the four other languages' texts: names, reporting words, their quotation marks and
# sentence ends (Armenian ։ and ՝, Georgian without capitals), in any order.
REGION = ["Пелл Андор", "Варнии", "заявил", "что", "по словам", "«", "»", "„", "“", "—", ",", "Pell Andorun", "bildirib",
          "ki", "sözlərinə görə", "Nazirliyi", "პელ ანდორმა", "განაცხადა", "რომ", "მისი თქმით", "სამინისტრო",
          "Պել Անդորը", "հայտարարել է", "որ", "նրա խոսքով", "։", "՝", "՞", "министр", "nazir", "მინისტრმა", "նախարար",
          "Това Ленк", "он", "o", "მან", "նա", "санкции", "ultimatum", ".", "\n\n", ":"]
REGION_ACTORS = ACTORS + [{"actor_id": "varnia-ru", "name": "Варния", "kind": "state", "aliases": ["Варния"]},
                          {"actor_id": "pell-ka", "name": "პელ ანდორი", "kind": "person", "aliases": ["პელ ანდორი"]}]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(REGION), max_size=40).map(" ".join), st.sampled_from(["ru", "az", "ka", "hy", "auto"]))
def test_spans_are_valid_in_every_language(text: str, language: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "auto" on a text of mixed letters may find no rules
        frame = suggest(text, REGION_ACTORS, language=language)
    assert frame["suggestion_id"].is_unique
    for r in frame.itertuples():
        assert 0 <= r.start < r.end <= len(text) and text[r.start:r.end] == r.text
        assert not r.text[0].isspace() and not r.text[-1].isspace()
        if isinstance(r.cue, str):
            assert text[r.cue_start:r.cue_end] == r.cue
        assert 0 < r.confidence <= 1
