"""The one span matcher: when two annotated spans count as the same unit.

Agreement between annotators and the scoring of machine suggestions against gold both ask
"which span of A is which span of B?", and must answer it the same way:

- ``exact``: the two spans have the same start and the same end;
- ``overlap``: their intersection covers at least half of the shorter span (so a span nested
  inside another always matches it; two spans that merely touch, or share a sliver, do not).

Pairing is one to one. Exact pairs are taken first; under ``overlap`` the remaining spans are
then paired by the largest intersection, ties broken by text order, each span used at most once.

>>> match_spans([(0, 10), (20, 30)], [(0, 10), (22, 40)], rule="exact")
[(0, 0)]
>>> match_spans([(0, 10), (20, 30)], [(0, 10), (22, 40)], rule="overlap")
[(0, 0), (1, 1)]
>>> spans_match((0, 10), (8, 20), rule="overlap")
False
>>> scores(n_a=4, n_b=5, n_matched=3)
(0.6, 0.75, 0.6666666666666666)
"""

from __future__ import annotations

from collections.abc import Sequence

from .._options import check_choice
from ..vocab import SPAN_MATCHING

Span = tuple[int, int]

__all__ = ["Span", "match_spans", "overlap", "scores", "spans_match"]


def overlap(a: Span, b: Span) -> int:
    """Code points shared by the half-open spans ``a`` and ``b`` (0 when disjoint)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_match(a: Span, b: Span, *, rule: str = "overlap") -> bool:
    """True when ``a`` and ``b`` count as the same unit under ``rule`` (see the module docstring)."""
    check_choice("rule", rule, SPAN_MATCHING)
    if a[0] == b[0] and a[1] == b[1]:
        return True
    if rule == "exact":
        return False
    shorter = min(a[1] - a[0], b[1] - b[0])
    shared = overlap(a, b)
    return shared > 0 and 2 * shared >= shorter


def match_spans(a: Sequence[Span], b: Sequence[Span], *, rule: str = "overlap") -> list[tuple[int, int]]:
    """One-to-one pairs ``(index in a, index in b)`` of matching spans, sorted by the index in ``a``.

    Exact pairs first (in text order), then, under ``overlap``, the largest intersections.
    """
    check_choice("rule", rule, SPAN_MATCHING)
    free_a = set(range(len(a)))
    free_b = set(range(len(b)))
    pairs: list[tuple[int, int]] = []
    by_span: dict[Span, list[int]] = {}
    for j in sorted(free_b, key=lambda j: (b[j][0], b[j][1], j)):
        by_span.setdefault((b[j][0], b[j][1]), []).append(j)
    for i in sorted(free_a, key=lambda i: (a[i][0], a[i][1], i)):
        same = by_span.get((a[i][0], a[i][1]))
        if same:
            j = same.pop(0)
            pairs.append((i, j))
            free_a.discard(i)
            free_b.discard(j)
    if rule == "overlap":
        # Candidate pairs are found by a sweep over spans sorted by start, not by comparing all pairs.
        events = sorted([(a[i][0], a[i][1], 0, i) for i in free_a] + [(b[j][0], b[j][1], 1, j) for j in free_b])
        open_spans: list[tuple[int, int, int, int]] = []
        candidates: list[tuple[int, int, int, int, int]] = []
        for start, end, side, k in events:
            open_spans = [s for s in open_spans if s[1] > start]
            for o_start, o_end, o_side, o_k in open_spans:
                if o_side == side:
                    continue
                i, j = (k, o_k) if side == 0 else (o_k, k)
                if spans_match(a[i], b[j], rule="overlap"):
                    shared = overlap(a[i], b[j])
                    candidates.append((-shared, min(a[i][0], b[j][0]), a[i][0], i, j))
            open_spans.append((start, end, side, k))
        for _neg, _pos, _start, i, j in sorted(candidates):
            if i in free_a and j in free_b:
                pairs.append((i, j))
                free_a.discard(i)
                free_b.discard(j)
    return sorted(pairs)


def scores(*, n_a: int, n_b: int, n_matched: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``b`` against ``a`` taken as the reference.

    ``n_a``: reference spans; ``n_b``: spans found; ``n_matched``: matched pairs. Precision is
    ``n_matched / n_b``, recall ``n_matched / n_a``; an empty side gives NaN for what divides by it
    (and F1 is NaN unless both are defined). For two annotators F1 is symmetric.
    """
    nan = float("nan")
    precision = n_matched / n_b if n_b else nan
    recall = n_matched / n_a if n_a else nan
    if precision != precision or recall != recall:
        return precision, recall, nan
    return precision, recall, 2 * n_matched / (n_a + n_b)
