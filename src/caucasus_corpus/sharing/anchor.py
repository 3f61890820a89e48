"""Re-anchoring: where the records of a withheld text belong in the text a hydration found.

A record of a folder without texts keeps its offsets, the sha256 and length of its quote, and the
sha256 of the :data:`~caucasus_corpus.release.withheld.CONTEXT` characters before and after it
(:func:`caucasus_corpus.release.withheld.withhold_record`). When the text found differs from the
withheld one, each record is placed by these rules, in this order, and never anywhere else:

1. the one place where its text hash and at least one of its context hashes match;
2. otherwise its old offset shifted by the shift of the nearest records placed by rule 1 before
   and after it (by old offset), if its text hash matches there (both shifts match at different
   places: ``ambiguous``);
3. otherwise ``ambiguous`` when rule 1 found several places, ``lost`` when it found none.

A placed record is ``exact`` when it stays at its old offset and ``relocated`` when it moved. A cue
moves with its record; a record whose cue's hash does not match at the moved offset is ``lost``.

>>> from caucasus_corpus.release.withheld import withhold_record
>>> old = "Pell Andor spoke. Later, Kesa Rimm replied."
>>> rec = withhold_record({"id": "r1", "start": 25, "end": 34, "text": "Kesa Rimm"}, old)
>>> [(p.status, p.start) for p in reanchor([rec], "Pell Andor spoke at length. Later, Kesa Rimm replied.")]
[('relocated', 35)]
>>> [(p.status, p.start) for p in reanchor([rec], "Pell Andor spoke. Later, Kesa R. replied.")]
[('lost', None)]
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..release.withheld import CONTEXT

STATUSES = ("exact", "relocated", "ambiguous", "lost")


@dataclass(frozen=True)
class Placement:
    """Where one record went: ``status`` (exact, relocated, ambiguous, lost) and its new start
    (None for ambiguous and lost), with how many places rule 1 found (``candidates``)."""

    status: str
    start: int | None
    shift: int | None
    candidates: int


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Contexts:
    """For one text: every position by the hash of the context before it and after it."""

    def __init__(self, text: str) -> None:
        n = len(text)
        windows = [_sha(text[i:i + CONTEXT]) for i in range(n - CONTEXT + 1)]
        self.before: dict[str, list[int]] = {}
        self.after: dict[str, list[int]] = {}
        for p in range(n + 1):
            key = windows[p - CONTEXT] if p >= CONTEXT else _sha(text[:p])
            self.before.setdefault(key, []).append(p)
        for e in range(n + 1):
            key = windows[e] if e + CONTEXT <= n else _sha(text[e:])
            self.after.setdefault(key, []).append(e)


def reanchor(records: Sequence[Mapping[str, Any]], text: str) -> list[Placement]:
    """The placement of each record (in the withheld form, with its old offsets and hashes) in
    ``text``, by the rules in the module docstring; one :class:`Placement` per record, in order."""
    n = len(text)

    def matches(start: int, length: int, sha: str) -> bool:
        return 0 <= start and start + length <= n and _sha(text[start:start + length]) == sha

    def cue_follows(rec: Mapping[str, Any], shift: int) -> bool:
        cue = rec.get("cue")
        if not isinstance(cue, Mapping):
            return True
        return matches(cue["start"] + shift, cue["text_length"], cue["text_sha256"])

    contexts = _Contexts(text)
    found: list[int | None] = []
    counts: list[int] = []
    for rec in records:
        length, sha = rec["text_length"], rec["text_sha256"]
        places = {p for p in contexts.before.get(rec["prefix_sha256"], ()) if matches(p, length, sha)}
        places |= {e - length for e in contexts.after.get(rec["suffix_sha256"], ()) if matches(e - length, length, sha)}
        counts.append(len(places))
        only = next(iter(places)) if len(places) == 1 else None
        found.append(only if only is not None and cue_follows(rec, only - rec["start"]) else None)

    # Rule 2 shifts by the records rule 1 placed, nearest by old offset.
    anchors = sorted((rec["start"], p - rec["start"]) for rec, p in zip(records, found) if p is not None)
    starts = [a for a, _shift in anchors]
    out: list[Placement] = []
    for rec, place, count in zip(records, found, counts):
        old = rec["start"]
        if place is None:
            shifts = set()
            i = bisect.bisect_right(starts, old)
            if i > 0:
                shifts.add(anchors[i - 1][1])
            j = bisect.bisect_left(starts, old)
            if j < len(anchors):
                shifts.add(anchors[j][1])
            places = {old + s for s in shifts if matches(old + s, rec["text_length"], rec["text_sha256"])}
            if len(places) == 1:
                place = places.pop()
                if not cue_follows(rec, place - old):
                    out.append(Placement("lost", None, None, count))
                    continue
            else:
                status = "ambiguous" if len(places) > 1 or count > 1 else "lost"
                out.append(Placement(status, None, None, count))
                continue
        out.append(Placement("exact" if place == old else "relocated", place, place - old, count))
    return out
