"""The one span matcher, checked against a brute-force reading of its rule on random spans."""

from __future__ import annotations

import itertools
import random

import pytest

from caucasus_corpus.analysis.matching import match_spans, overlap, scores, spans_match


def test_rule_edges() -> None:
    assert spans_match((0, 10), (0, 10), rule="exact")
    assert not spans_match((0, 10), (0, 9), rule="exact")
    assert spans_match((0, 10), (3, 6))  # nested: the shorter is wholly covered
    assert spans_match((0, 10), (5, 15))  # 5 of the shorter 10: exactly half counts
    assert not spans_match((0, 10), (6, 16))  # 4 of 10
    assert not spans_match((0, 10), (10, 20))  # touching is not overlapping
    assert overlap((0, 10), (10, 20)) == 0


def test_bad_rule_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="'exact', 'overlap'"):
        match_spans([], [], rule="fuzzy")


def test_pairs_are_one_to_one_and_prefer_exact() -> None:
    # B's (0, 10) equals A's first span; A's (2, 12) must not take it although they overlap.
    assert match_spans([(0, 10), (2, 12)], [(0, 10)]) == [(0, 0)]
    # Duplicated spans pair up once each.
    assert match_spans([(5, 9), (5, 9)], [(5, 9)]) == [(0, 0)]
    # Largest intersection wins: A (0, 10) prefers B (1, 10) over B (5, 12).
    assert match_spans([(0, 10)], [(5, 12), (1, 10)]) == [(0, 1)]


def _brute_max(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """The largest number of one-to-one matching pairs, by trying every assignment."""
    best = 0
    for perm in itertools.permutations(range(len(b)), min(len(a), len(b))):
        best = max(best, sum(spans_match(a[i], b[j]) for i, j in enumerate(perm)))
    return best


def test_random_spans_pairs_are_valid_and_near_maximal() -> None:
    rng = random.Random(7)
    for _ in range(300):
        def spans() -> list[tuple[int, int]]:
            out = []
            for _ in range(rng.randint(0, 4)):
                s = rng.randint(0, 30)
                out.append((s, s + rng.randint(1, 12)))
            return out

        a, b = spans(), spans()
        pairs = match_spans(a, b)
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
        assert all(spans_match(a[i], b[j]) for i, j in pairs)
        # Greedy by largest intersection is not a maximum matching in general, but it never
        # leaves two free spans that match each other.
        free_a = set(range(len(a))) - {i for i, _ in pairs}
        free_b = set(range(len(b))) - {j for _, j in pairs}
        assert not any(spans_match(a[i], b[j]) for i in free_a for j in free_b)
        assert len(pairs) * 2 >= _brute_max(a, b)
        exact = match_spans(a, b, rule="exact")
        assert all(a[i] == b[j] for i, j in exact)
        assert len(exact) == sum(min(a.count(s), b.count(s)) for s in set(a))


def test_scores() -> None:
    p, r, f = scores(n_a=4, n_b=4, n_matched=4)
    assert (p, r, f) == (1.0, 1.0, 1.0)
    p, r, f = scores(n_a=0, n_b=3, n_matched=0)
    assert p == 0.0 and r != r and f != f
    assert scores(n_a=2, n_b=2, n_matched=0)[2] == 0.0
