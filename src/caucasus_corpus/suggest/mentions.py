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
* ``mention-other-form``: a capitalised word or run of words (any word in Georgian, which has
  no capitals) outside the mentions above that names one actor by
  :class:`caucasus_corpus.text.names.NameIndex` with a case ending taken off or in another script
  (``Варнии``, ``Pell Andorun``, ``Алиев`` for ``Aliyev``, ``ანდორმა`` for ``ანდორი``); two
  actors for one form are ambiguous and not proposed. Form ``name``.
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
from functools import lru_cache
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
    for f in other_forms(text, actors, taken["name"]):
        if not _in_conflict_name(text, f.start, f.end):
            chosen.append(f)
    return sorted(chosen, key=lambda f: (f.start, f.end))


_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _word_keys(word: str) -> set[str]:
    """The keys under which the index can meet one word: folded, without a case ending, in any script."""
    from ..text.names import stems
    from ..text.translit import match_key

    found = stems(word)
    return found | {match_key(x) for x in found}


@lru_cache(maxsize=8)
def _first_word_keys(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for w in words for k in _word_keys(w))


@lru_cache(maxsize=8)
def _index(actors: tuple[tuple[str, str, tuple[str, ...]], ...]) -> Any:
    """The registry's :class:`~caucasus_corpus.text.names.NameIndex` (built once per registry)."""
    from ..text.names import NameIndex

    return NameIndex({"actor_id": a, "name": n, "aliases": list(x)} for a, n, x in actors)


def other_forms(text: str, actors: Iterable[Mapping[str, Any]], taken: list[tuple[int, int]]) -> list[Found]:
    """``mention-other-form``: names written with a case ending or in another script (module docstring)."""
    from ..text.names import AmbiguousNameError

    named = [{**a, "name": ""} if a.get("kind") in ("group", "unnamed") else a for a in actors]  # descriptions are no names
    index = _index(tuple((str(a["actor_id"]), str(a.get("name") or ""), tuple(str(x) for x in a.get("aliases") or []))
                         for a in named))
    memo: dict[str, Any] = {}
    kinds = {str(a["actor_id"]): str(a.get("kind") or "") for a in actors}
    longest = max((len(str(x).split()) for a in named for x in [a.get("name") or "", *(a.get("aliases") or [])]), default=0)
    toks = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    firsts = _first_word_keys(tuple(sorted({str(x).split()[0] for a in named for x in [a.get("name") or "", *(a.get("aliases") or [])]
                                            if str(x).split()})))
    word_memo: dict[str, bool] = {}
    hits: list[tuple[int, int, str]] = []
    for i, (s, _e) in enumerate(toks):
        if not (text[s].isupper() or text[s].istitle() or _GEORGIAN(text[s])):
            continue  # a name starts with a capital letter (Georgian has none)
        word = text[s:_e]
        if word not in word_memo:
            word_memo[word] = bool(_word_keys(word) & firsts)
        if not word_memo[word]:
            continue  # its first word is no form of a registered name's first word: no match can start here
        for n in range(1, longest + 1):
            j = i + n - 1
            if j >= len(toks) or (n > 1 and text[toks[j - 1][1]:toks[j][0]] != " "):
                break
            e = toks[j][1]
            if any(ts < e and s < te for ts, te in taken):
                continue
            words = text[s:e]
            if words not in memo:
                try:
                    memo[words] = index.match(words)
                except AmbiguousNameError:
                    memo[words] = None  # two actors: never chosen silently
            found = memo[words]
            if found is not None and found.how not in ("id", "exact"):
                hits.append((s, e, found.actor_id))
    out: list[Found] = []
    for s, e, actor in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if any(ts < e and s < te for ts, te in taken):
            continue
        taken.append((s, e))
        out.append(Found(s, e, actor, "name", kinds.get(actor, ""), "mention-other-form"))
    return out
