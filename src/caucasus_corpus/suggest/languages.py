"""The languages the suggestion rules read, and how an article's language picks its rules.

Rules exist for English (``en``), Russian (``ru``), Azerbaijani (``az``), Georgian (``ka``) and
Armenian (``hy``); each has its own lexicon (``lexicon.tsv`` for English, ``lexicon-ru.tsv``,
``lexicon-az.tsv``, ``lexicon-ka.tsv``, ``lexicon-hy.tsv``; ``LEXICON.md`` says where each list
comes from). Two- and three-letter ISO 639 codes are both understood (``hye`` is ``hy``).

``language="auto"`` reads the text's letters: Georgian letters make it ``ka``, Armenian ``hy``,
Cyrillic ``ru``; Latin text with a letter only Azerbaijani uses among the five (``ə``) is ``az``;
other Latin text is ``en``, and so is a text without letters; letters of another script have no rules. The session, the CLI and :func:`~caucasus_corpus.suggest.evaluate.evaluate`
pass the article's own ``language`` from ``articles.csv`` instead.

What differs between the languages beyond their words (the word lists are in the lexicons):

* claims: content of fewer than three words is no claim in English, of fewer than two in the
  others (no articles: ``плотина останется``);
* word order: in Azerbaijani, Georgian and Armenian (verb-final) up to four words may stand
  between a speaker and the reporting verb (``Əliyev jurnalistlərə bildirib``), in Russian up
  to three (``Петров в понедельник заявил``); English keeps its adverbial rule;
* whether a definite role noun needs an article (English ``the minister``; the others have none
  or write it as an ending, listed among the forms: Armenian ``նախարարը``);
* capital letters: Georgian (Mkhedruli) has none, so a name after a title is two words whose
  second has a Georgian surname ending (``lexicon-ka.tsv``, kind ``surname``).

>>> resolve_language("hye"), resolve_language("auto", "Պելը հայտարարել է։"), resolve_language("auto", "Pell said.")
('hy', 'hy', 'en')
>>> resolve_language("tr") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Two- and three-letter codes (ISO 639-1, 639-2/B and /T, 639-3 macrolanguage and North Azerbaijani).
CODES = {
    "en": "en", "eng": "en",
    "ru": "ru", "rus": "ru",
    "az": "az", "aze": "az", "azj": "az",
    "ka": "ka", "kat": "ka", "geo": "ka",
    "hy": "hy", "hye": "hy", "arm": "hy",
}
LANGUAGES = ("en", "ru", "az", "ka", "hy")


@dataclass(frozen=True)
class Language:
    """What a language's rules need besides its lexicon."""

    code: str
    lexicon_file: str
    subject_gap: int  # words allowed between a speaker and its verb (0: English adverbial rule)
    definite: str  # regex before a role noun in "the minister said" ("" when the language has no article)
    cased: bool  # names are written with a capital letter
    complementiser_comma: bool  # "заявил журналистам, что": a comma may come before the complementiser
    question_marks: str  # a claim holding one of these is a question
    min_words: int  # shorter content is not a claim (no articles in the four: "плотина останется" is one)


_LANGS = {
    "en": Language("en", "lexicon.tsv", 0, r"\bthe\s+", True, False, "?", 3),
    "ru": Language("ru", "lexicon-ru.tsv", 3, "", True, True, "?", 2),
    "az": Language("az", "lexicon-az.tsv", 4, "", True, True, "?", 2),
    "ka": Language("ka", "lexicon-ka.tsv", 4, "", False, True, "?", 2),
    "hy": Language("hy", "lexicon-hy.tsv", 4, "", True, True, "?\u055e", 2),  # ՞ stands on the word asked about
}

_GEORGIAN = re.compile("[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")
_ARMENIAN = re.compile("[\u0531-\u058f\ufb13-\ufb17]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def guess_language(text: str) -> str | None:
    """The language of ``text`` by its letters (module docstring), or None when none of the five's."""
    counts = {"ka": len(_GEORGIAN.findall(text)), "hy": len(_ARMENIAN.findall(text)), "ru": len(_CYRILLIC.findall(text)),
              "latin": len(_LATIN.findall(text))}
    best = max(counts, key=lambda k: counts[k])
    if counts[best] == 0:
        # no letter of the five scripts: no language at all (empty, digits, marks) reads as English
        # and finds nothing; letters of another script have no rules
        return None if any(ch.isalpha() for ch in text) else "en"
    if best == "latin":
        return "az" if re.search("[əƏ]", text) else "en"
    return best


def resolve_language(language: str | None, text: str = "") -> str | None:
    """The rules' code for ``language`` (``auto``: guessed from ``text``); None when no rules exist."""
    if language is None or language == "auto":
        return guess_language(text)
    return CODES.get(str(language).strip().lower())


def language_rules(code: str) -> Language:
    """The settings of a language with rules (a code of ``LANGUAGES``)."""
    return _LANGS[code]
