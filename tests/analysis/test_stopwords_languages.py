"""Stop words for Russian, Azerbaijani, Armenian and Georgian, and stopwords="auto" (invented texts)."""

from __future__ import annotations

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.lexical import ngrams
from caucasus_corpus.text.folding import fold
from support import REPO

STOPWORDS = REPO / "src" / "caucasus_corpus" / "analysis" / "stopwords"

# Each list holds at least its language's common conjunctions and complementisers.
REQUIRED = {"ru": {"что", "и", "чтобы", "но", "а"}, "az": {"ki", "və", "amma", "ilə"}, "hy": {"որ", "և", "ու", "բայց"},
            "ka": {"რომ", "და", "მაგრამ", "ან"}}


@pytest.mark.parametrize("language", sorted(REQUIRED))
def test_each_list_holds_the_conjunctions_and_names_its_source_and_licence(language: str) -> None:
    assert REQUIRED[language] <= cc.stopwords(language)
    text = (STOPWORDS / f"{language}.txt").read_text(encoding="utf-8")
    header = " ".join(line for line in text.splitlines() if line.startswith("#"))
    assert "Compiled by hand for this project" in header and "CC0" in header
    words = [w for w in text.splitlines() if w.strip() and not w.startswith("#")]
    assert len(words) == len(set(words)), "a word is listed twice"
    assert all(w == w.strip() and " " not in w for w in words)
    readme = (STOPWORDS / "README.md").read_text(encoding="utf-8")
    assert f"`{language}.txt`" in readme


def test_lists_are_folded_so_spellings_meet() -> None:
    freq = cc.from_texts({"ru": "ЧТО Что что Варния"}).frequency(stopwords="ru")
    assert freq["token"].tolist() == ["варния"]
    for language, written in (("ru", "ЕЩЁ"), ("ka", "ᲠᲝᲛ"), ("hy", "ԵՒ"), ("hy", "Եւ"), ("az", "VƏ"), ("az", "KI")):
        assert cc.from_texts({"a": f"{written} Varnia"}).frequency(stopwords=language)["token"].tolist() == ["varnia"]

# Invented texts, one per language; the language column says which list applies.
TEXTS = {
    "ru-1": ("Министр Варнии заявил, что мост и дорога будут открыты.", "ru"),
    "az-1": ("Nazir bildirib ki, körpü və yol açılacaq.", "az"),
    "hy-1": ("Նախարարը ասաց, որ կամուրջը և ճանապարհը կբացվեն։", "hy"),
    "ka-1": ("მინისტრმა განაცხადა, რომ ხიდი და გზა გაიხსნება.", "ka"),
    "en-1": ("The minister said that the bridge and the road will open.", "en"),
}


@pytest.fixture
def multilingual() -> cc.Corpus:
    return cc.from_dataframe(pd.DataFrame({"article_id": list(TEXTS), "text": [t for t, _l in TEXTS.values()],
                                           "language": [lang for _t, lang in TEXTS.values()]}))


def test_auto_uses_each_articles_language(multilingual: cc.Corpus) -> None:
    by_article = multilingual.frequency(by="article", stopwords="auto")
    for aid, (_text, language) in TEXTS.items():
        kept = set(by_article.loc[by_article["article_id"] == aid, "token"])
        listed = {fold(w) for w in cc.stopwords(language)}  # tokens are counted folded
        assert kept and not kept & listed, (aid, kept & listed)
        all_tokens = set(multilingual.frequency(by="article").query("article_id == @aid")["token"])
        assert kept == {t for t in all_tokens if t not in listed}
    assert {"мост", "körpü", "կամուրջը", "ხიდი", "bridge"} <= set(by_article["token"])


def test_auto_for_the_whole_corpus_uses_every_language_present(multilingual: cc.Corpus) -> None:
    freq = multilingual.frequency(stopwords="auto")
    assert not {fold(w) for w in ("что", "и", "ki", "və", "որ", "և", "რომ", "და", "that", "and", "the")} & set(freq["token"])
    assert {"мост", "körpü", "ხიდი", "bridge"} <= set(freq["token"])
    coll = multilingual.collocates("мост", window=3, stopwords="auto")
    assert "и" not in set(coll["collocate"]) and "дорога" in set(coll["collocate"])
    grams = set(ngrams(multilingual, 2, stopwords="auto")["ngram"])
    assert {"мост и", "körpü və", "ხიდი და"} & set(ngrams(multilingual, 2)["ngram"]) == {"мост и", "körpü və", "ხიდი და"}
    assert not {"мост и", "körpü və", "ხიდი და"} & grams


def test_auto_removes_nothing_for_a_language_without_a_list() -> None:
    corpus = cc.from_dataframe(pd.DataFrame({"article_id": ["de-1"], "text": ["Die Brücke und die Straße."],
                                             "language": ["de"]}))
    assert corpus.frequency(stopwords="auto").equals(corpus.frequency())


def test_an_unknown_list_is_refused_naming_the_lists() -> None:
    with pytest.raises(ValueError, match="'en', 'ru', 'az', 'hy', 'ka'"):
        cc.from_texts({"a": "text"}).frequency(stopwords="de")
