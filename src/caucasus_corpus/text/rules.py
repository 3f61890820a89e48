"""The tokeniser: the rules documented in :mod:`caucasus_corpus.text`, as code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORDCHAR = rf"(?:[^\W_]|[{_MARKS}])"
_JOINER = r"[-\u2010\u2011\u2013'\u2019]"
# \x1c-\x1f are white space to str.isspace() but not to re's \s; they must never be tokens.
TOKEN_PATTERN = rf"{_WORDCHAR}+(?:{_JOINER}{_WORDCHAR}+)*|[^\w\s\x1c-\x1f]|_"
_NUMBER_RE = re.compile(r"^[\d.,]+$")
_WORD_RE = re.compile(_WORDCHAR)
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


class Token(NamedTuple):
    """One token: its text, character offsets, and where it sits."""

    token: str
    start: int
    end: int
    paragraph: int
    sentence: int
    kind: str  # "word", "number" or "punct"


@lru_cache(maxsize=1)
def _tokenizers():  # type: ignore[no-untyped-def]
    # nltk is imported here, not at package import, to keep `import caucasus_corpus` light.
    from nltk.tokenize import RegexpTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return RegexpTokenizer(TOKEN_PATTERN), PunktSentenceTokenizer()


def token_kind(token: str) -> str:
    """``"number"`` for digits (with . or ,), ``"word"`` for anything with a letter, else ``"punct"``.

    >>> token_kind("2017"), token_kind("VAK"), token_kind("-")
    ('number', 'word', 'punct')
    """
    if _NUMBER_RE.match(token) and any(c.isdigit() for c in token):
        return "number"
    return "word" if _WORD_RE.search(token) else "punct"


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of paragraphs (runs of text between blank lines), trailing white space excluded."""
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[pos : m.start()].strip():
            yield pos, m.start()
        pos = m.end()
    if text[pos:].strip():
        yield pos, len(text.rstrip())


def sentence_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """``(paragraph, start, end)`` for each sentence, by the rules in the module docstring."""
    _, punkt = _tokenizers()
    for p, (pstart, pend) in enumerate(paragraph_spans(text)):
        line_start = pstart
        for line in text[pstart:pend].split("\n"):
            if line.strip():
                # Tokenising per line keeps NLTK's regexes on short strings (they slow down badly
                # on very long ones).
                for s, e in punkt.span_tokenize(line):
                    yield p, line_start + s, line_start + e
            line_start += len(line) + 1


def tokenize(text: str) -> list[Token]:
    """Tokenise one document; offsets point into ``text`` itself."""
    words, _ = _tokenizers()
    out: list[Token] = []
    for sent_no, (par, s, e) in enumerate(sentence_spans(text)):
        for ts, te in words.span_tokenize(text[s:e]):
            tok = text[s + ts : s + te]
            out.append(Token(tok, s + ts, s + te, par, sent_no, token_kind(tok)))
    return out
