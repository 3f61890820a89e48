"""Mentions: every occurrence of an actor's name or alias in the registry.

Rules:

* ``mention-alias``: each alias of an actor is found as a whole word or phrase: not inside a
  longer word ("Russia" is not found in "Russian"), but a hyphen or an apostrophe ends a word, so
  "Azerbaijan-Russia ties" holds two mentions and "Hadjiev's" one (M1, M2). Spellings match as
  :func:`~caucasus_corpus.text.folding.fold` matches words (``İlham`` = ``ILHAM``, ``Семёнов`` =
  ``Семенов``, Mtavruli = Mkhedruli, NFC = NFD), except that aliases are proper names: the
  first letter keeps its case as registered ("Baku", "BAKU", not "baku"). Longest match first: a
  stretch covered by a longer name is not also a mention of a shorter one ("Union of Armenians of
  Russia" is one mention, not also "Russia"; "Hikmat Hajiyev" is one, not also "Hajiyev") (M3).
  A spelling registered for two actors is ambiguous and is not proposed. Form ``name``.
* ``mention-description``: the canonical name of a ``group`` or ``unnamed`` actor that is not
  one of its aliases is a description in the text's words (A3: "some observers"); it is found the
  same way except that its first letter may be upper or lower case (sentence starts). Form
  ``nominal``. Names inside it are mentions of their own (M5).
* ``mention-conflict-name``: a name that is one part of a hyphenated compound of names followed
  by the name of a conflict ("the Armenia-Azerbaijan Nagorno-Karabakh conflict", "the
  Varnia-Ostrel war") belongs to the conflict's name and is not proposed (M3).

>>> actors = [{"actor_id": "varnia", "name": "Varnia", "kind": "state", "aliases": ["Varnia"]},
...           {"actor_id": "pell-andor", "name": "Pell Andor", "kind": "person", "aliases": ["Pell Andor", "Andor"]}]
>>> [(m.start, m.end, m.actor) for m in find_mentions("Pell Andor's Varnia-Ostrel talks; Varnian Andor.", actors)]
[(0, 10, 'pell-andor'), (13, 19, 'varnia'), (42, 47, 'pell-andor')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..text.folding import fold, fold_map

_LEFT = r"(?<![^\W_])"  # not after a letter or digit
_RIGHT = r"(?![^\W_])"  # not before one
_MARKS = "\u055b\u055c\u055e"  # Armenian marks inside a word
_CONFLICT = re.compile(r"(?:\s+[A-Z][\w-]*)*\s+(?:conflict|war|dispute|crisis)\b")


@dataclass(frozen=True)
class Found:
    """One proposed mention."""

    start: int
    end: int
    actor: str
    form: str
    kind: str
    rule: str


def _forms(actors: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str, str]]:
    """``(form, actor_id, mention form, actor kind)`` for every unambiguous spelling."""
    owners: dict[str, set[str]] = {}
    out = []
    for a in actors:
        aliases = list(a.get("aliases") or [])
        folded = {fold(x) for x in aliases}
        for alias in aliases:
            out.append((alias, a["actor_id"], "name", a.get("kind") or ""))
        name = a.get("name") or ""
        if name and fold(name) not in folded and a.get("kind") in ("group", "unnamed"):
            out.append((name, a["actor_id"], "nominal", a.get("kind") or ""))
    for form, actor, _f, _k in out:
        owners.setdefault(fold(form), set()).add(actor)
    return [f for f in out if len(owners[fold(f[0])]) == 1 and f[0].strip()]


def _occurrences(text: str, folded: tuple[str, list[int], list[int]], form: str, nominal: bool) -> list[tuple[int, int]]:
    """Spans of ``text`` where ``form`` occurs as a whole word by :func:`~caucasus_corpus.text.folding.fold`,
    the case of its first letter kept (any case for a description)."""
    ftext, starts, ends = folded
    out = []
    for m in re.finditer(_LEFT + re.escape(fold(form)) + _RIGHT, ftext):
        s, e = starts[m.start()], ends[m.end() - 1]
        if not nominal and form[0].isupper() and not (text[s].isupper() or text[s].istitle() or _GEORGIAN(text[s])):
            continue  # "baku" is not the name "Baku" (Georgian is written without capitals)
        if (s > 0 and _WORDCHAR(text[s - 1])) or (e < len(text) and _WORDCHAR(text[e])):
            continue
        out.append((s, e))
    return out


def _GEORGIAN(ch: str) -> bool:
    return "\u10d0" <= ch <= "\u10ff"


def _WORDCHAR(ch: str) -> bool:
    return ch.isalnum() or ch in _MARKS


def _in_conflict_name(text: str, start: int, end: int) -> bool:
    lo, hi = start, end
    while lo > 0 and (text[lo - 1].isalnum() or text[lo - 1] == "-"):
        lo -= 1
    while hi < len(text) and (text[hi].isalnum() or text[hi] == "-"):
        hi += 1
    if "-" not in text[lo:hi] or (lo, hi) == (start, end):
        return False
    return _CONFLICT.match(text, hi) is not None


def find_mentions(text: str, actors: Iterable[Mapping[str, Any]]) -> list[Found]:
    """Proposed mentions of registry actors in ``text``, in text order (rules in the module docstring)."""
    hits: list[tuple[int, int, str, str, str]] = []
    folded = fold_map(text)
    for form, actor, mform, kind in _forms(actors):
        for start, end in _occurrences(text, folded, form, mform == "nominal"):
            hits.append((start, end, actor, mform, kind))
    chosen: list[Found] = []
    taken: dict[str, list[tuple[int, int]]] = {"name": [], "nominal": []}
    for start, end, actor, mform, kind in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if any(s < end and start < e for s, e in taken[mform]):
            continue  # longest first: inside (or across) a longer name of the same form
        taken[mform].append((start, end))
        if mform == "name" and _in_conflict_name(text, start, end):
            continue
        chosen.append(Found(start, end, actor, mform, kind, "mention-alias" if mform == "name" else "mention-description"))
    return sorted(chosen, key=lambda f: (f.start, f.end))
