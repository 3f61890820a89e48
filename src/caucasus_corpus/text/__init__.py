"""Sentences and tokens with character offsets into the verbatim text, offline.

Rules (documented here because offsets and counts depend on them):

* Blank lines separate paragraphs; every line break ends a sentence (titles, datelines and
  bylines have no full stop); inside a line, sentences are found by NLTK's Punkt algorithm
  *untrained* (``PunktSentenceTokenizer()``), which needs no downloaded data.
* A word is a run of letters, digits and combining marks of any script (Latin with Azerbaijani
  ``ə ğ ı ş``, Cyrillic, Armenian, Georgian, ...). Words joined by a hyphen (``-``, U+2010,
  U+2011), an en dash (U+2013) or an apostrophe (``'``, U+2019) with no space around it stay
  one token: ``Nagorno-Karabakh``, ``Azerbaijan-Russia``, ``Russia's``. This follows quanteda's
  default (``split_hyphens = FALSE``); use a glob such as ``Russia*`` to reach the parts.
* Every other non-space character is a token of its own (punctuation, symbols). White space,
  including the no-break space U+00A0, is never part of a token.
* ``text[start:end] == token`` for every token; offsets count Unicode code points.
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
>>> [t.token for t in tokenize("北京和上海。")]
['北京和上海', '。']
"""

from __future__ import annotations

from .frame import TOKEN_COLUMNS
from .rules import TOKEN_PATTERN, Token, paragraph_spans, sentence_spans, token_kind, tokenize

__all__ = [
    "TOKEN_COLUMNS",
    "TOKEN_PATTERN",
    "Token",
    "paragraph_spans",
    "sentence_spans",
    "token_kind",
    "tokenize",
]
