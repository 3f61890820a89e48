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
* composed and decomposed forms are equal (NFC = NFD: ``Ş`` = ``S`` + combining cedilla).

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

import unicodedata

__all__ = ["fold", "fold_map"]

_I_FOLD = str.maketrans({"İ": "i", "I": "i", "ı": "i"})
_AFTER_FOLD = str.maketrans({"ё": "е"})


def fold(text: str) -> str:
    """The folded form of ``text`` (rules in the module docstring); ``fold(fold(t)) == fold(t)``."""
    if text.isascii():  # the common case, and the fast one
        return text.lower()
    folded = unicodedata.normalize("NFC", text).translate(_I_FOLD).casefold().translate(_AFTER_FOLD)
    # i + combining dot above (a decomposed İ after casefold) is the same i
    folded = unicodedata.normalize("NFC", folded.replace("i\u0307", "i"))
    return folded


def fold_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each of its characters, the index in ``text`` it comes from.

    A match found in the folded text at ``[s, e)`` covers the original characters
    ``text[m[s] : m[e - 1] + 1]``, so a folded search can always point back at what is written.

    >>> fold_map("Straße")
    ('strasse', [0, 1, 2, 3, 4, 4, 5])
    """
    out: list[str] = []
    where: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        # a character and the combining marks after it fold together (NFC may join them)
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = fold(text[i:j])
        out.append(piece)
        where.extend([i] * len(piece)) if j == i + 1 else where.extend(
            min(i + k, j - 1) for k in range(len(piece))
        )
        i = j
    return "".join(out), where
