"""The tokeniser: the rules documented in :mod:`caucasus_corpus.text`, as code."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np

_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORDCHAR = rf"(?:[^\W_]|[{_MARKS}])"
# Joiners keep the words on either side one token: hyphens, the en dash, apostrophes, and the
# Armenian apostrophe ՚, emphasis ՛, exclamation ՜ and question ՞ (written over a vowel inside a
# word: Ինչո՞ւ) and hyphen ֊. At a word's edge they are punctuation tokens of their own.
_JOINER = r"[-\u2010\u2011\u2013'\u2019\u055a\u055b\u055c\u055e\u058a]"
# \x1c-\x1f are white space to str.isspace() but not to re's \s; they must never be tokens.
TOKEN_PATTERN = rf"{_WORDCHAR}+(?:{_JOINER}{_WORDCHAR}+)*|[^\w\s\x1c-\x1f]|_"
#: Characters that end a sentence for Punkt: the ASCII ones and the Armenian full stop ։ (U+0589).
SENTENCE_END_CHARS = (".", "?", "!", "\u0589")
#: The version of the token rules: a hash of the token pattern and the sentence ends. Folders that
#: store tokens (Parquet exports, sharded corpora) record it in ``layout.json``; a folder made with
#: other rules is refused (:func:`check_token_rules`).
TOKEN_RULES_VERSION = hashlib.sha256(f"{TOKEN_PATTERN}\0{''.join(SENTENCE_END_CHARS)}".encode()).hexdigest()[:16]
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
    from nltk.tokenize.punkt import PunktLanguageVars, PunktSentenceTokenizer

    class _Ends(PunktLanguageVars):
        sent_end_chars = SENTENCE_END_CHARS

    return RegexpTokenizer(TOKEN_PATTERN), PunktSentenceTokenizer(lang_vars=_Ends())


def check_token_rules(layout: Mapping[str, object], where: str) -> None:
    """Refuse a folder whose stored tokens were made by other token rules than these.

    ``layout`` is the folder's ``layout.json``; ``where`` names it in the message. Raises
    :class:`~caucasus_corpus.errors.CorpusFormatError` saying to rebuild the folder.
    """
    recorded = layout.get("token_rules")
    if recorded == TOKEN_RULES_VERSION:
        return
    from ..errors import CorpusFormatError

    made = ("was written before token-rule versions were recorded" if recorded is None
            else f"was made with token rules {recorded!r}")
    raise CorpusFormatError(
        f"{where}: the folder {made}, and this caucasus_corpus tokenises by rules {TOKEN_RULES_VERSION!r} "
        "(see caucasus_corpus.text): its stored tokens would not match. Rebuild the folder from the "
        "corpus or the texts (corpus.to_parquet(DIR, overwrite=True), or cc.build_parquet(..., overwrite=True))")


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


@lru_cache(maxsize=1)
def _token_regexes():  # type: ignore[no-untyped-def]
    # NLTK's RegexpTokenizer compiles TOKEN_PATTERN with the third-party `regex` engine (and its
    # flags), whose \w and \s differ from `re`'s at the edges of Unicode; the tokens must be the
    # same. For a text whose every character the two engines class alike (see _same_classes)
    # and that has no combining mark, `re` with the word-character alternation folded into one
    # class finds the same tokens about twice as fast. The patterns are fixed and linear (no nested
    # quantifiers): they need no timeout. Split keeps the gaps, so lengths alone give the offsets.
    import regex

    simple = rf"([^\W_]+(?:{_JOINER}[^\W_]+)*|[^\w\s\x1c-\x1f]|_)"
    return re.compile(simple), regex.compile(f"({TOKEN_PATTERN})", regex.UNICODE | regex.MULTILINE | regex.DOTALL)


_CLASSES = (rf"{_WORDCHAR}", r"\w", r"\s")


@lru_cache(maxsize=None)
def _same_class(char: str) -> bool:
    """Do ``re`` and ``regex`` agree on every character class of TOKEN_PATTERN for ``char``?"""
    import regex

    return all(bool(re.fullmatch(c, char)) == bool(regex.fullmatch(c, char, regex.UNICODE)) for c in _CLASSES)


_MARK = re.compile(f"[{_MARKS}]")


def _same_classes(text: str) -> bool:
    return text.isascii() or (not _MARK.search(text) and all(map(_same_class, set(text))))


def token_spans(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``(tokens, start, end)`` of one document, in one compiled regex pass over the whole text
    (no sentence splitting): the tokens of :func:`tokenize` whenever no token runs over a
    sentence boundary, which :func:`sentence_numbers` checks."""
    return scan(text)[:3]  # type: ignore[return-value]


def scan(text: str) -> tuple[list[str], np.ndarray, np.ndarray, bool]:
    """:func:`token_spans`, and whether every character outside the tokens is white space (then
    any stretch of the text is its tokens joined by single spaces once white space is collapsed)."""
    import numpy as np

    fast, exact = _token_regexes()
    parts = (fast if _same_classes(text) else exact).split(text)  # gap, token, gap, ..., token, gap
    size = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    end = np.cumsum(size)[1::2]
    gaps = "".join(parts[0::2])
    # str.isspace() holds for exactly the characters re's \s matches.
    return parts[1::2], end - size[1::2], end, not gaps or gaps.isspace()


def sentence_numbers(text: str, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(paragraph, sentence)`` of each token span, by binary search on the sentence spans; None
    when a token runs over a sentence boundary or lies outside every sentence (then tokenising
    sentence by sentence would give other tokens)."""
    import numpy as np

    sents = list(sentence_spans(text))
    s_par = np.array([p for p, _, _ in sents], dtype=np.int64)
    s_start = np.array([s for _, s, _ in sents], dtype=np.int64)
    s_end = np.array([e for _, _, e in sents], dtype=np.int64)
    sentence = np.searchsorted(s_start, start, side="right") - 1
    if len(start) and (sentence.min() < 0 or (end > s_end[np.maximum(sentence, 0)]).any()):
        return None
    return s_par[sentence], sentence


def token_arrays(text: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(tokens, start, end, paragraph, sentence)`` of one document, a list and four int64
    arrays: the same tokens as tokenising sentence by sentence, found in one compiled pass over
    the whole text and placed in their sentences by binary search (sentence by sentence instead
    where the two could differ; see :func:`sentence_numbers`)."""
    tokens, start, end = token_spans(text)
    numbers = sentence_numbers(text, start, end)
    if numbers is None:
        return _by_sentence(text)
    return tokens, start, end, *numbers


def _by_sentence(text: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    import numpy as np

    toks = _tokenize_by_sentence(text)
    cols = list(zip(*[(t.start, t.end, t.paragraph, t.sentence) for t in toks])) or [(), (), (), ()]
    return [t.token for t in toks], *(np.array(c, dtype=np.int64) for c in cols)  # type: ignore[return-value]


def _tokenize_by_sentence(text: str) -> list[Token]:
    """The reference tokeniser: NLTK's RegexpTokenizer on each sentence (slow; a fallback)."""
    words, _ = _tokenizers()
    out: list[Token] = []
    for sent_no, (par, s, e) in enumerate(sentence_spans(text)):
        for ts, te in words.span_tokenize(text[s:e]):
            tok = text[s + ts : s + te]
            out.append(Token(tok, s + ts, s + te, par, sent_no, token_kind(tok)))
    return out


def tokenize(text: str) -> list[Token]:
    """Tokenise one document; offsets point into ``text`` itself."""
    tokens, start, end, par, sent = token_arrays(text)
    kinds = {t: token_kind(t) for t in set(tokens)}
    return [Token(t, s, e, p, n, kinds[t]) for t, s, e, p, n in
            zip(tokens, start.tolist(), end.tolist(), par.tolist(), sent.tolist())]


def ascii_token_bounds(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(start, end, in_token)`` of the tokens TOKEN_PATTERN finds in an ASCII text given as a
    uint8 array, found with whole-array operations instead of a regex pass: int64 offsets, and
    per character whether it lies in a token.

    In ASCII the rules read: a word is a run of letters and digits, a hyphen or apostrophe
    between two of them joining the runs on either side into one word; every other character
    that is not white space (nor one of \\x1c-\\x1f) is a token of its own, ``_`` included.
    """
    import numpy as np

    # Character classes by uint8 arithmetic (wrapping below 0), a few vectorised passes each:
    # letters and digits; white space to re's \s (\t-\r and space) and \x1c-\x1f.
    alnum = (data - np.uint8(48) < 10) | ((data | np.uint8(32)) - np.uint8(97) < 26)
    in_token = (data - np.uint8(9) >= 5) & (data != 32) & (data - np.uint8(28) >= 4)
    word = alnum.copy()
    joiner = (data[1:-1] == ord("-")) | (data[1:-1] == ord("'"))
    word[1:-1] |= joiner & alnum[:-2] & alnum[2:]
    # A token starts at a character in a token unless it continues a word, and ends likewise.
    inside = word[1:] & word[:-1]  # between characters i and i + 1 of one word
    starts = in_token.copy()
    starts[1:] &= ~inside
    ends = in_token.copy()
    ends[:-1] &= ~inside
    return np.flatnonzero(starts), np.flatnonzero(ends) + 1, in_token
