"""Sentences and tokens with character offsets into the verbatim text, offline.

Rules (documented here because offsets and counts depend on them):

* Blank lines separate paragraphs; every line break ends a sentence (titles, datelines and
  bylines have no full stop); inside a line, sentences are found by NLTK's Punkt algorithm
  *untrained* (``PunktSentenceTokenizer()``), which needs no downloaded data, with the Armenian
  full stop ``։`` (U+0589) ending sentences as ``.``, ``?`` and ``!`` do.
* A word is a run of letters, digits and combining marks of any script (Latin with Azerbaijani
  ``ə ğ ı ş``, Cyrillic, Armenian, Georgian, ...). Words joined by a hyphen (``-``, U+2010,
  U+2011), an en dash (U+2013) or an apostrophe (``'``, U+2019) with no space around it stay
  one token: ``Nagorno-Karabakh``, ``Azerbaijan-Russia``, ``Russia's``. This follows quanteda's
  default (``split_hyphens = FALSE``); use a glob such as ``Russia*`` to reach the parts.
* The region's punctuation: the Armenian hyphen ``֊`` and apostrophe ``՚`` join words as the
  hyphen does, and so do the Armenian emphasis ``՛``, exclamation ``՜`` and question ``՞``
  marks, which are written over a vowel inside the word (``Ինչո՞ւ`` is one token; folding for
  matching leaves the marks out, so ``kwic("ինչու")`` finds it). At the end of a word they, the
  Armenian full stop ``։`` and comma ``՝``, the quotes ``« »`` and ``„ “``, and the em dash
  ``—`` are tokens of their own.
* Every other non-space character is a token of its own (punctuation, symbols). White space,
  including the no-break space U+00A0, is never part of a token.
* ``text[start:end] == token`` for every token; offsets count Unicode code points.
* The rules have a version, :data:`TOKEN_RULES_VERSION` (a hash of the token pattern and the
  sentence ends). Folders that store tokens (``to_parquet`` exports and sharded corpora) record
  it in ``layout.json`` and are refused when opened by code with other rules: rebuild them.
* Limit: words are found by spaces and punctuation, so scripts written without spaces between
  words (Chinese, Japanese, Thai, ...) give one token per run of letters: ``北京和上海`` is one
  token, and ``kwic("北京")`` finds nothing in it. A glob such as ``*北京*`` (or a regex) reaches
  such text; a dictionary-based word segmenter is not part of this package.
* Speed: the index is built from one compiled regex pass per text (the same tokens as
  tokenising sentence by sentence, since a sentence boundary always falls between tokens), or,
  for ASCII texts, from whole-array operations that apply the same rules to many texts at once;
  sentence and paragraph numbers are computed only when ``corpus.tokens`` is asked for.

>>> [t.token for t in tokenize("Nagorno-Karabakh: Azerbaijan-Russia ties.")]
['Nagorno-Karabakh', ':', 'Azerbaijan-Russia', 'ties', '.']
>>> [t.token for t in tokenize("Bakı və Гянджа, Երևան — თბილისი")]
['Bakı', 'və', 'Гянджа', ',', 'Երևան', '—', 'თბილისი']
>>> [t.token for t in tokenize("Ինչո՞ւ նա ասաց՝ «Այո՜»։")]
['Ինչո՞ւ', 'նա', 'ասաց', '՝', '«', 'Այո', '՜', '»', '։']
>>> [t.token for t in tokenize("„Мы готовы“, — сказал он.")]
['„', 'Мы', 'готовы', '“', ',', '—', 'сказал', 'он', '.']
>>> [t.token for t in tokenize("北京和上海。")]
['北京和上海', '。']
"""

from __future__ import annotations

from .frame import TOKEN_COLUMNS
from .rules import (
    SENTENCE_END_CHARS,
    TOKEN_PATTERN,
    TOKEN_RULES_VERSION,
    Token,
    check_token_rules,
    paragraph_spans,
    sentence_spans,
    token_kind,
    tokenize,
)

__all__ = [
    "SENTENCE_END_CHARS",
    "TOKEN_COLUMNS",
    "TOKEN_PATTERN",
    "TOKEN_RULES_VERSION",
    "check_token_rules",
    "Token",
    "paragraph_spans",
    "sentence_spans",
    "token_kind",
    "tokenize",
]
