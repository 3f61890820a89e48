"""Folding for matching: the tables per language, and the properties every match relies on."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import caucasus_corpus as cc
from caucasus_corpus.text.folding import _fold_full, fold, fold_map, fold_types

# (spellings that must fold alike, spellings that must stay apart from them)
FOLDS = {
    "Azerbaijani i's": (["İlham", "ILHAM", "ilham", "ılham", "Ilham", "I\u0307lham", "i\u0307lham"], ["Elham", "İlhan"]),
    "Azerbaijani ı in a word": (["Bakı", "BAKI", "baki", "BAKİ"], ["Baku"]),
    "Azerbaijani ə, ş, ğ": (["Əliyev", "əliyev", "ƏLİYEV"], ["Aliyev", "Eliyev"]),
    "Russian ё": (["Семёнов", "Семенов", "СЕМЁНОВ", "семенов"], ["Семанов"]),
    "Russian case": (["Министерство", "МИНИСТЕРСТВО"], ["Министерства"]),
    "Georgian Mtavruli": (["საქართველო", "ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ", "Საქართველო"], ["საქართველოს"]),
    "Armenian ligature": (["Երևան", "Երեւան", "ԵՐԵՎԱՆ".replace("ՎԱՆ", "ՒԱՆ"), "երևան"], ["Երեվան"]),
    "Armenian case": (["Հայաստան", "ՀԱՅԱՍՏԱՆ"], ["Հայաստանի"]),
    "Armenian marks in a word": (["Ինչո՞ւ", "ինչու", "ԻՆՉՈ՞Ւ"], ["ինչ"]),
    "NFC and NFD": (["Şəki", "S\u0327əki", "şəki", unicodedata.normalize("NFD", "ŞƏKİ")], ["Səki"]),
    "German sharp s": (["Straße", "STRASSE", "strasse"], ["Strase"]),
}


@pytest.mark.parametrize("case", sorted(FOLDS))
def test_folding_table(case: str) -> None:
    same, other = FOLDS[case]
    assert len({fold(w) for w in same}) == 1, {w: fold(w) for w in same}
    assert not {fold(w) for w in other} & {fold(same[0])}


def test_fold_types_is_fold_per_type() -> None:
    words = [w for same, other in FOLDS.values() for w in same + other] + ["Varnia", "I", "ı"]
    assert fold_types(words).tolist() == [fold(w) for w in words]


# Characters of the region's scripts and their tricky neighbours, plus anything hypothesis finds.
REGION = st.text(alphabet=st.sampled_from(list("İIıiəƏşŞçğöüЁёЕеІіՎՒւևեԵ՛՜՞აᲐბᲑßſ\u0307\u0327\u0308 -.")), max_size=30)
ANY_TEXT = st.one_of(REGION, st.text(max_size=30))


@given(ANY_TEXT)
@settings(max_examples=300)
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(ANY_TEXT)
@settings(max_examples=300)
def test_the_shortcuts_give_what_every_rule_gives(text: str) -> None:
    assert fold(text) == _fold_full(text)


@given(ANY_TEXT)
@settings(max_examples=300)
def test_fold_map_points_every_folded_character_at_the_text(text: str) -> None:
    folded, starts, ends = fold_map(text)
    assert folded == fold(text)
    assert len(starts) == len(ends) == len(folded)
    for k, ch in enumerate(folded):
        assert 0 <= starts[k] < ends[k] <= len(text)
        assert ch in fold(text[starts[k] : ends[k]])
    assert starts == sorted(starts)


@given(ANY_TEXT, ANY_TEXT, ANY_TEXT)
@settings(max_examples=300)
def test_every_match_maps_back_to_the_original_characters(before: str, word: str, after: str) -> None:
    text = before + word + after
    folded, starts, ends = fold_map(text)
    query = fold(word)
    if not query:
        return
    at = folded.find(query)
    while at >= 0:  # every match, wherever it is, covers characters whose fold holds it
        original = text[starts[at] : ends[at + len(query) - 1]]
        assert query in fold(original)
        at = folded.find(query, at + 1)


# An invented Azerbaijani, Russian, Georgian and Armenian text (not corpus data).
INVENTED = ("İlham ILHAM ilham ılham. Семёнов и Семенов. ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ და საქართველო. "
            "Երևան Երեւան. S\u0327əki Şəki.")


@pytest.mark.parametrize(("query", "n"), [
    ("ilham", 4), ("İlham", 4), ("ILHAM", 4), ("Семенов", 2), ("Семёнов", 2), ("საქართველო", 2),
    ("ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ", 2), ("Երևան", 2), ("Երեւան", 2), ("Şəki", 2),
])
def test_kwic_folds_and_shows_keywords_as_written(query: str, n: int) -> None:
    corpus = cc.from_texts({"invented": INVENTED})
    hits = corpus.kwic(query)
    assert len(hits) == n
    assert all(fold(k) == fold(query) for k in hits["keyword"])
    assert query in INVENTED and set(hits["keyword"]) >= {query}  # shown as written, the query's own spelling too
    assert list(corpus.kwic(query, case=True)["keyword"]) == [query]  # each spelling is written once


def test_globs_and_regexes_fold_too() -> None:
    corpus = cc.from_texts({"invented": INVENTED})
    assert len(corpus.kwic("İl*", match="glob")) == 4
    assert len(corpus.kwic("ILH?M", match="glob")) == 4
    assert len(corpus.kwic("семенов", match="regex")) == 2  # the folded form reaches Семёнов
    assert len(corpus.kwic("Семёнов", match="regex")) == 2  # matches Семёнов as written, then every spelling of it
    assert len(corpus.kwic("Семёнов", match="regex", case=True)) == 1
    assert len(corpus.kwic("ილ.*|სა.*", match="regex")) == 2
    assert list(corpus.kwic("I*", match="glob", case=True)["keyword"]) == ["ILHAM"]


def test_frequency_counts_folded_types_and_case_keeps_them_apart() -> None:
    corpus = cc.from_texts({"invented": INVENTED})
    freq = corpus.frequency().set_index("token")["n"]
    assert (freq["ilham"], freq["семенов"], freq["საქართველო"], freq["երեւան"], freq["şəki"]) == (4, 2, 2, 2, 2)
    cased = corpus.frequency(case=True).set_index("token")["n"]
    assert cased["İlham"] == cased["ılham"] == 1


def test_collocates_and_dispersion_fold() -> None:
    corpus = cc.from_texts({"a": "Семёнов заявил. Семенов заявил. СЕМЕНОВ ЗАЯВИЛ.", "b": "İlham dedi. ILHAM dedi."})
    coll = corpus.collocates("семенов", window=1)
    assert coll.set_index("collocate").loc["заявил", "n"] == 3
    disp = corpus.dispersion(["ilham", "Семенов"])
    assert disp.groupby("term").size().to_dict() == {"ilham": 2, "Семенов": 3}
