"""Regression guard: the suggester's scores on the bundled gold must not drop.

The floors are the figures the rules reached when this test was written (auto-rules-1 on data
1.0.1, measured with ``python benchmarks/bench_suggest.py``; auto-rules-2, with the region's
languages and new names, reaches the same on 1.0.2), each rounded DOWN to two decimals:
a guard against a rule change that makes things worse, not a tuned target. The rules were written
while reading the one bundled article, so these in-sample figures are optimistic (README,
"Machine suggestions"). Raise a floor when the rules get better; never lower one to make a change pass.
"""

from __future__ import annotations

import math

import pytest

from caucasus_corpus.suggest.evaluate import evaluate

# (layer, subset, matching): (precision, recall, f1, speaker accuracy or None)
FLOORS = {
    ("mention", "named", "exact"): (0.98, 1.00, 0.99, None),    # reached 0.986, 1.000, 0.993
    # reached 0.988, 0.690 (80/116), 0.812 on data 1.0.2; data 1.1.0 renamed two group actors whose
    # names were descriptions copied from the text, which the name rule had found verbatim: 0.987,
    # 0.672 (78/116), 0.800 with the same rules (a data change, checked by scoring 1.1.0 with the
    # old names: 80/116 again), so the floor follows the data, not a rule
    ("mention", "all", "overlap"): (0.98, 0.67, 0.80, None),
    ("claim", "quoted", "exact"): (0.96, 0.93, 0.95, 0.96),     # reached 0.968, 0.938, 0.952, 0.967
    ("claim", "quoted", "overlap"): (1.00, 0.96, 0.98, 0.93),   # reached 1.000, 0.969, 0.984, 0.935
    ("claim", "all", "overlap"): (1.00, 0.59, 0.74, 0.93),      # reached 1.000, 0.596, 0.747, 0.935
    ("threat", "all", "overlap"): (1.00, 1.00, 1.00, 1.00),     # reached 1.000, 1.000, 1.000, 1.000
    ("threat", "all", "exact"): (0.50, 0.50, 0.50, 1.00),       # reached 0.500, 0.500, 0.500, 1.000
}


@pytest.fixture(scope="module")
def figures(bundled):  # type: ignore[no-untyped-def]
    frame = evaluate(bundled)
    return {(r.layer, r.subset, r.matching): r for r in frame.itertuples()}


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_scores_do_not_drop_below_the_level_reached(figures, key) -> None:  # type: ignore[no-untyped-def]
    got = figures[key]
    precision, recall, f1, speaker = FLOORS[key]
    assert got.precision >= precision and got.recall >= recall and got.f1 >= f1, got
    if speaker is not None:
        assert got.speaker_accuracy >= speaker, got


def test_the_issue_targets_are_met_on_the_bundled_article(figures) -> None:  # type: ignore[no-untyped-def]
    # Issue #14: named mentions F1 >= 0.95; quoted claims overlap recall >= 0.8, speaker accuracy >= 0.85.
    assert figures[("mention", "named", "exact")].f1 >= 0.95
    quoted = figures[("claim", "quoted", "overlap")]
    assert quoted.recall >= 0.8 and quoted.speaker_accuracy >= 0.85


def test_counts_are_the_gold_records(figures, bundled) -> None:  # type: ignore[no-untyped-def]
    assert figures[("claim", "all", "exact")].gold == len(bundled.claims)
    assert figures[("claim", "quoted", "exact")].gold == int((bundled.claims["attribution"] != "authorial").sum())
    assert figures[("mention", "named", "exact")].gold == int((bundled.mentions["form"] == "name").sum())
    assert not math.isnan(figures[("threat", "all", "exact")].speaker_accuracy)
