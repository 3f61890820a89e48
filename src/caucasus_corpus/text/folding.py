"""Folding: when two spellings of a word count as the same word for searching and counting.

:func:`fold` is the one definition, used by KWIC, frequency, collocates, dispersion, actor
alias matching and suggestions (``case=False``, the default, everywhere). Two words match
when their folded forms are equal:

* Unicode case folding (``str.casefold``: ``ß`` = ``ss``, Georgian Mtavruli capitals = Mkhedruli,
  the Armenian ligature ``և`` = ``եւ``);
* the four i's of Azerbaijani and Turkish, ``İ I ı i``, all match each other (``İlham``,
  ``ILHAM``, ``ılham`` and ``ilham`` are one word; Unicode's own rules would keep ``ı`` apart
  and turn ``İ`` into ``i`` plus a dot);
* Russian ``ё`` matches ``е`` (``Семёнов`` = ``Семенов``), as Russian print mostly omits the dots;
* composed and decomposed forms are equal (NFC = NFD: ``Ş`` = ``S`` + combining cedilla);
* the Armenian marks written over a vowel inside a word (emphasis ``՛``, exclamation ``՜``,
  question ``՞``) are left out: ``Ինչո՞ւ`` matches ``ինչու``.

``case=True`` matches exactly as written. Either way results show words as they are written in
the text: folding decides what matches, never what is shown. The engine folds each distinct
word form (its vocabulary) once, never each token, so folding costs nothing per match.

>>> fold("İlham") == fold("ILHAM") == fold("ılham") == fold("ilham")
True
>>> fold("Семёнов") == fold("Семенов"), fold("ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ") == fold("საქართველო"), fold("Երևան") == fold("Երեւան")
(True, True, True)
>>> fold("S\\u0327əki") == fold("Şəki")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["fold", "fold_map", "fold_types"]

_I_FOLD = str.maketrans({"İ": "i", "I": "i", "ı": "i"})
# Armenian emphasis, exclamation and question marks sit over a vowel inside a word (Ինչո՞ւ): a
# word is matched without them. Alone (a punctuation token) they stay.
_ARMENIAN_MARKS = "\u055b\u055c\u055e"
_NO_MARKS = str.maketrans(dict.fromkeys(_ARMENIAN_MARKS))
_AFTER_FOLD = str.maketrans({"ё": "е"})
_DOTTED_I = re.compile("i\u0307+")
# Characters some rule above treats apart from plain case folding.
_SPECIAL = re.compile("[İIıЁё\u055b\u055c\u055e\u0307\u0308]")


def fold(text: str) -> str:
    """The folded form of ``text`` (rules in the module docstring); ``fold(fold(t)) == fold(t)``."""
    if text.isascii():  # the common case, and the fast one
        return text.lower()
    if _SPECIAL.search(text) is None and unicodedata.is_normalized("NFC", text):
        # No letter with a rule of its own and already composed: Unicode's case folding is all
        # (about three times quicker than the full path, which gives the same answer here).
        folded = unicodedata.normalize("NFC", text.casefold())
        if "\u0307" not in folded and "\u0308" not in folded:
            return folded
    return _fold_full(text)


def _fold_full(text: str) -> str:
    """:func:`fold` by every rule, without the shortcuts."""
    folded = _fold_once(text)
    # Dots and diaereses left over (i + several dots above; ё next to a diaeresis of its own)
    # can make one more step change the result: repeat until it does not (rare, and short).
    while "\u0307" in folded or "\u0308" in folded:
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def _fold_once(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).translate(_I_FOLD).casefold()
    if folded.strip(_ARMENIAN_MARKS):
        folded = folded.translate(_NO_MARKS)
    # i + combining dots above (a decomposed İ after casefold) is the same i; ё is е, also when
    # the final NFC composes a new one (е followed by a combining diaeresis).
    return unicodedata.normalize("NFC", _DOTTED_I.sub("i", folded)).translate(_AFTER_FOLD)


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that fold independently: a character with the combining marks (and
    Armenian in-word marks) after it, joined with the next one when normalisation would compose
    the two (Hangul jamo)."""
    spans: list[tuple[int, int]] = []
    for k, ch in enumerate(text):
        if spans and (unicodedata.combining(ch) or ch in _ARMENIAN_MARKS or _composes(text[spans[-1][0] : k], ch)):
            spans[-1] = (spans[-1][0], k + 1)
        else:
            spans.append((k, k + 1))
    return spans


def _composes(before: str, ch: str) -> bool:
    if ch.isascii() and before.isascii():
        return False
    return unicodedata.normalize("NFC", before + ch) != unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC", ch)


def fold_map(text: str) -> tuple[str, list[int], list[int]]:
    """``fold(text)`` and, for each of its characters, the span ``[start, end)`` of ``text`` it
    comes from, so that a match found in the folded text points back at what is written.

    A match at ``[s, e)`` of the folded text covers ``text[starts[s] : ends[e - 1]]``, and that
    piece of the text folds to a string containing the match.

    >>> folded, starts, ends = fold_map("Straße İ")
    >>> folded, starts, ends
    ('strasse i', [0, 1, 2, 3, 4, 4, 5, 6, 7], [1, 2, 3, 4, 5, 5, 6, 7, 8])
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    marks_only = not text.strip(_ARMENIAN_MARKS)
    for a, b in _clusters(text):
        cluster = text[a:b]
        piece = fold(cluster) if marks_only or cluster.strip(_ARMENIAN_MARKS) else ""
        out.append(piece)
        starts.extend([a] * len(piece))
        ends.extend([b] * len(piece))
    return "".join(out), starts, ends


def fold_types(types: Sequence[str]) -> np.ndarray:
    """:func:`fold` of each type (an object array): how the engine folds its vocabulary, once
    per distinct word, never per token. ASCII types take ``str.lower`` (their fold) directly.

    >>> fold_types(["Bakı", "BAKI", "Ilham"]).tolist()
    ['baki', 'baki', 'ilham']
    """
    import numpy as np

    out = np.empty(len(types), dtype=object)
    out[:] = [t.lower() if t.isascii() else fold(t) for t in types]
    return out
