"""Paragraphs, sentences and quotations of a text, with character offsets (the suggester's reading).

Rules (each is general English typography, none is specific to one text):

* Paragraphs are separated by blank lines (as in :mod:`caucasus_corpus.text`).
* A sentence ends at ``.``, ``!``, ``?``, ``…`` or the Armenian full stop ``։`` (and any closing
  quotation marks after it) followed by white space and a capital letter of any script, a
  Georgian letter (Georgian has no capitals), a digit, an opening mark or a dash (a Russian
  reply), at a line break, and at the end of its paragraph; not after a known abbreviation
  (``Mr.``, ``Dr.``, ``Gen.``, Russian ``г.``, ``им.``, ...) or a single capital initial (``J. Smith``,
  ``И. Петров``). A colon ends an Armenian sentence when an Armenian capital follows it directly
  after white space (Armenian is often typed with ``:`` for ``։``); before a quotation mark it
  stays a colon (``հայտարարել է: «…»``); a ``.`` after an Armenian letter is the Armenian colon
  (mijaket: ``Նա ասաց. «…»``) and ends nothing. The Armenian question and exclamation marks ``՞ ՜``
  stand on a word inside the sentence and end nothing.
* Quotation marks of every kind: straight ``"`` and ``'``, curly ``“ ” ‘ ’``, low ``„ ‚`` and
  guillemets ``« » ‹ ›`` (Russian ``«…»`` with ``„…“`` inside, Azerbaijani ``«…»`` and ``"…"``,
  Georgian ``„…“``, Armenian ``«…»``: ``“`` closes after a low ``„``). Whether a mark opens or closes is read from its sides (a mark after a
  space and before a word opens; one after a word and before a space or punctuation closes), and
  an undecidable straight mark toggles. A single mark between two letters is an apostrophe
  (``Russia's``), and a single closing mark counts only when a single quotation is open (so the
  plural possessive ``Armenians' rights`` is not a quotation). Quotations nest (single inside
  double, or double inside single); a region is a top-level quotation.
* A quotation still open at the end of its paragraph continues when the next paragraph opens with
  a mark of the same kind (the English convention for a quotation of several paragraphs);
  otherwise it ends with its paragraph.

>>> t = 'Pell Andor said: "We will stay. They must go." Kesa Rimm\\'s office agreed.'
>>> [(t[s:e]) for s, e in sentences(t)]
['Pell Andor said: "We will stay.', 'They must go."', "Kesa Rimm's office agreed."]
>>> [t[r.start:r.end] for r in quotations(t)]
['We will stay. They must go.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..text import paragraph_spans

DOUBLE = {'"': "", "“": "open", "”": "close", "„": "open", "«": "open", "»": "close"}
SINGLE = {"'": "", "‘": "open", "’": "close", "‚": "open", "‹": "open", "›": "close"}
QUOTE_MARKS = "".join(DOUBLE) + "".join(SINGLE)
_OPENERS = "([{—–-/"
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "no", "vs", "etc", "jan", "feb",
                  "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "rep", "sen", "gov", "amb",
                  # Russian: год, годы, имени, улица, смотри, доктор, господин, тысяч, миллионов
                  "г", "гг", "им", "ул", "см", "д", "др", "т", "тыс", "млн", "млрд", "г-н", "н"}
# A sentence-ending mark and the closing marks after it, before white space and what may start a sentence.
_BOUNDARY = re.compile(r"(?:[.!?…\u0589]+[\"”“’'»›)]*)(?=[ \t\u00a0]+\S)|:(?=[ \t\u00a0]+[\u0531-\u0556])|\n")


@dataclass(frozen=True)
class Quotation:
    """A top-level quotation: ``start:end`` is its content without the marks; ``open_at`` the
    opening mark, ``close_at`` the closing mark (None when it ends with its paragraph);
    ``run`` numbers quotations that continue one another across paragraphs."""

    start: int
    end: int
    open_at: int
    close_at: int | None
    paragraph: int
    run: int


def sentences(text: str, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[lo:hi]`` (white space trimmed), by the rules above."""
    hi = len(text) if hi is None else hi
    for p_start, p_end in paragraph_spans(text[lo:hi]):
        pos = lo + p_start
        end = lo + p_end
        for m in _BOUNDARY.finditer(text, pos, end):
            if m.group() != "\n" and (_abbreviation(text, m.start()) or not _starts_sentence(text, m.end())
                                       or armenian_colon(text, m.start())):
                continue
            yield from _trimmed(text, pos, m.end() if m.group() != "\n" else m.start())
            pos = m.end()
        yield from _trimmed(text, pos, end)


def armenian_colon(text: str, at: int) -> bool:
    """True when the ``.`` at ``at`` follows an Armenian letter: there it is the mijaket, a colon
    (``Նա ասաց. «…»``), not a full stop (Armenian ends sentences with ``։``)."""
    return text[at] == "." and at > 0 and "\u0531" <= text[at - 1] <= "\u0587"


def _starts_sentence(text: str, at: int) -> bool:
    """True when the first letter or digit after ``at`` (past white space, marks, dashes) may start a sentence."""
    for ch in text[at:at + 40]:
        if ch.isalnum():
            return ch.isupper() or ch.isdigit() or "\u10d0" <= ch <= "\u10ff"  # Mkhedruli is unicase
        if not (ch.isspace() or ch in QUOTE_MARKS or ch in "([—–-"):
            return False
    return False


def _abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"(\w+)$", text[max(0, dot - 12):dot])
    return word is not None and (word.group(1).lower() in _ABBREVIATIONS or (len(word.group(1)) == 1 and word.group(1).isupper()))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _mark_role(text: str, i: int, family: dict[str, str], open_same: bool) -> str | None:
    """'open', 'close' or None (an apostrophe, or a mark that cannot close anything)."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    left = (prev.isspace() or prev in _OPENERS or prev in QUOTE_MARKS) and not nxt.isspace()
    right = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    single = family is SINGLE
    if single and prev.isalnum() and nxt.isalnum():
        return None  # an apostrophe: Russia's, don't
    prefer = family[ch]
    if prefer == "open":
        return "close" if (right and not left and open_same) else "open"
    if prefer == "close":
        if right and open_same:
            return "close"
        return None if single else ("close" if open_same else "open")
    if left and not right:
        return "open"
    if right and not left:
        return "close" if (open_same or not single) else None
    return "close" if open_same else ("open" if not single else None)


def quotations(text: str) -> list[Quotation]:
    """The top-level quotations of ``text`` in text order, by the rules in the module docstring."""
    out: list[Quotation] = []
    run = -1
    pending_family: dict[str, str] | None = None  # family of a quotation left open by the last paragraph
    for p, (p_start, p_end) in enumerate(paragraph_spans(text)):
        stack: list[tuple[dict[str, str], int]] = []
        first = p_start
        while first < p_end and text[first].isspace():
            first += 1
        continues = pending_family is not None and first < p_end and text[first] in pending_family \
            and _mark_role(text, first, pending_family, False) == "open"
        pending_family = None
        for i in range(p_start, p_end):
            ch = text[i]
            family = DOUBLE if ch in DOUBLE else SINGLE if ch in SINGLE else None
            if family is None:
                continue
            open_same = any(f is family for f, _ in stack)
            if family is SINGLE and not stack and i > 0 and text[i - 1].isalnum():
                continue  # a top-level single mark after a letter never opens: Armenians' rights
            role = _mark_role(text, i, family, open_same)
            if role == "open":
                if family is SINGLE and (i + 1 >= len(text) or not (text[i + 1].isalnum() or text[i + 1] in QUOTE_MARKS)):
                    continue
                if not stack:
                    if not (continues and i == first):
                        run += 1
                    out.append(Quotation(i + 1, p_end, i, None, p, run))
                stack.append((family, i))
            elif role == "close" and open_same:
                while stack and stack[-1][0] is not family:
                    stack.pop()
                stack.pop()
                if not stack:
                    q = out[-1]
                    out[-1] = Quotation(q.start, i, q.open_at, i, p, q.run)
        if stack:
            pending_family = stack[0][0]
    return out
