"""Agreement figures against hand-computed values, published worked examples, and each other.

Sources of the published figures:

* Cohen's kappa: the worked example of 50 grant proposals read by two readers (Yes/Yes 20,
  Yes/No 5, No/Yes 10, No/No 15; p_o = 0.70, p_e = 0.50, kappa = 0.40), as in the "Example"
  section of the Wikipedia article "Cohen's kappa" and many statistics tutorials.
* Krippendorff's alpha: the nominal example of four observers and twelve units with missing
  values in K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), alpha = 0.743;
  the same data is a doctest of the ``krippendorff`` package.

Where no published figure exists (token-wise alpha on our fixtures), the expected value is
computed by hand in the test from the nominal coincidence matrix, with the derivation written out.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from nltk.metrics.agreement import AnnotationTask

from support import FICTION_ID, documented_columns, actual_columns, write_release

import caucasus_corpus as cc
import caucasus_corpus.reliability
from caucasus_corpus.reliability import agreement_report, confusion, disagreements
from caucasus_corpus.reliability.measures import cohen_kappa, nominal_alpha

NAN = float("nan")


def test_cohen_kappa_of_the_textbook_grant_table_is_0_4() -> None:
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_alpha_of_krippendorffs_worked_example_is_0_743_in_both_libraries() -> None:
    rows = ["1 2 3 3 2 1 4 1 2 . . .", "1 2 3 3 2 2 4 1 2 5 . 3", ". 3 3 3 2 3 4 2 2 5 1 .", "1 2 3 3 2 4 4 1 2 5 1 ."]
    coders = [[None if v == "." else v for v in row.split()] for row in rows]
    units = [list(u) for u in zip(*coders)]
    value, n = nominal_alpha(units)
    assert round(value, 3) == 0.743
    assert n == 11  # the last unit has one value only and cannot be paired
    task = AnnotationTask(data=[(str(c), str(u), v) for c, row in enumerate(coders) for u, v in enumerate(row) if v is not None])
    assert value == pytest.approx(task.alpha())


def test_undefined_figures_are_nan_not_a_number_that_looks_real() -> None:
    assert math.isnan(cohen_kappa([("x", "x"), ("x", "x")]))
    assert math.isnan(nominal_alpha([["x", "x"], ["x", "x"]])[0])


# -- figures of the whole pipeline on small fictional releases ---------------------------------
TEN = "Ostrel kept the river open for Varnia boats every spring"  # ten word tokens, invented


def _claim(session, first: int, last: int, claim_type: str = "assertion") -> str:  # type: ignore[no-untyped-def]
    words = TEN.split()
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = len(" ".join(words[: last + 1]))
    return session.claim(start=start, end=end, speaker="ostrel", attribution="authorial", claim_type=claim_type,
                         targets=[], cue=None)


def _ten(tmp_path: Path, spans_a: list[tuple[int, int, str]], spans_b: list[tuple[int, int, str]]) -> Path:
    root = write_release(tmp_path / "ten", texts={"ten": TEN}, records={"ten": []})
    for name, spans in (("ann-a", spans_a), ("ann-b", spans_b)):
        s = cc.annotate(root, "ten", annotator=name, independent=True)
        for first, last, kind in spans:
            _claim(s, first, last, kind)
    return root


def _figure(frame, measure: str, attribute: str = "span", article: str | None = None) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    rows = frame[(frame["measure"] == measure) & (frame["attribute"] == attribute)]
    rows = rows[rows["article_id"].isna()] if article is None else rows[rows["article_id"] == article]
    assert len(rows) == 1, rows
    return float(rows["value"].iloc[0]), int(rows["n_units"].iloc[0])


def test_token_alpha_of_partly_overlapping_spans_equals_the_hand_computed_value(tmp_path: Path) -> None:
    # ann-a marks tokens 2-4 ("the river open"), ann-b tokens 3-5 ("river open for") of ten tokens.
    # Labels (1 = inside): a = 0011100000, b = 0001110000. Nominal coincidences, two coders, every
    # unit pairable (weight 1/(m-1) = 1): o00 = 2*6 = 12, o11 = 2*2 = 4, o01 = o10 = 2;
    # n0 = 14, n1 = 6, n = 20. alpha = 1 - (n-1) * (o01+o10) / (n0*n1 + n1*n0) = 1 - 19*4/168.
    root = _ten(tmp_path, [(2, 4, "assertion")], [(3, 5, "assertion")])
    frame = cc.agreement(root)
    assert _figure(frame, "alpha_tokens") == (pytest.approx(1 - 19 * 4 / 168), 10)
    # overlap: the two 3-token spans share 2 tokens ("river open", 10 of 14 and 15 code points), >= half
    assert _figure(frame, "f1_exact")[0] == 0.0
    assert _figure(frame, "f1_overlap") == (1.0, 2)
    labels_a, labels_b = "0011100000", "0001110000"
    task = AnnotationTask(data=[("a", str(k), v) for k, v in enumerate(labels_a)] + [("b", str(k), v) for k, v in enumerate(labels_b)])
    assert _figure(frame, "alpha_tokens")[0] == pytest.approx(task.alpha())


def test_perfect_agreement_is_one_everywhere(tmp_path: Path) -> None:
    spans = [(0, 1, "assertion"), (3, 4, "evaluation"), (6, 9, "prediction")]
    frame = cc.agreement(_ten(tmp_path, spans, spans))
    for measure in ("f1_exact", "f1_overlap", "precision_exact", "recall_overlap", "alpha_tokens"):
        assert _figure(frame, measure)[0] == 1.0, measure
    assert _figure(frame, "kappa", "claim_type") == (1.0, 3)
    assert _figure(frame, "alpha", "claim_type") == (1.0, 3)
    assert math.isnan(_figure(frame, "kappa", "speaker")[0])  # one speaker throughout: undefined, not 1


def test_attribute_kappa_and_alpha_on_matched_spans_equal_nltk_and_the_hand_value(tmp_path: Path) -> None:
    # Four matched claims; claim types a: A A E E, b: A E E E (A assertion, E evaluation).
    # Cohen: p_o = 3/4; a: A 1/2, E 1/2; b: A 1/4, E 3/4; p_e = 1/8 + 3/8 = 1/2; kappa = (3/4-1/2)/(1/2) = 1/2.
    a = [(0, 0, "assertion"), (2, 2, "assertion"), (4, 4, "evaluation"), (6, 6, "evaluation")]
    b = [(0, 0, "assertion"), (2, 2, "evaluation"), (4, 4, "evaluation"), (6, 6, "evaluation")]
    frame = cc.agreement(_ten(tmp_path, a, b))
    assert _figure(frame, "kappa", "claim_type") == (pytest.approx(0.5), 4)
    task = AnnotationTask(data=[("a", str(k), t) for k, (_f, _l, t) in enumerate(a)] + [("b", str(k), t) for k, (_f, _l, t) in enumerate(b)])
    assert _figure(frame, "kappa", "claim_type")[0] == pytest.approx(task.kappa())
    assert _figure(frame, "alpha", "claim_type")[0] == pytest.approx(task.alpha())


def test_span_detection_per_article_and_over_the_corpus(tmp_path: Path) -> None:
    root = write_release(tmp_path / "two", texts={"one": TEN, "two": TEN}, records={"one": [], "two": []})
    for name, plan in (("ann-a", {"one": [(0, 0), (2, 2)], "two": [(4, 4)]}), ("ann-b", {"one": [(0, 0)], "two": [(4, 4), (6, 6), (8, 8)]})):
        for aid, spans in plan.items():
            s = cc.annotate(root, aid, annotator=name, independent=True)
            for first, last in spans:
                _claim(s, first, last)
    frame = cc.agreement(root, layer="claim")
    # one: a 2, b 1, matched 1 -> F1 2/3; two: a 1, b 3, matched 1 -> F1 1/2; corpus: a 3, b 4, matched 2 -> 4/7
    assert _figure(frame, "f1_exact", article="one") == (pytest.approx(2 / 3), 3)
    assert _figure(frame, "f1_exact", article="two") == (pytest.approx(1 / 2), 4)
    assert _figure(frame, "f1_exact") == (pytest.approx(4 / 7), 7)
    assert _figure(frame, "precision_exact") == (pytest.approx(2 / 4), 4)  # of ann-b's spans
    assert _figure(frame, "recall_exact") == (pytest.approx(2 / 3), 3)  # of ann-a's spans
    assert set(frame["layer"]) == {"claim"}
    assert cc.agreement(root, articles=["one"])["article_id"].dropna().unique().tolist() == ["one"]


def test_three_annotators_get_pairwise_and_all_annotator_figures(tmp_path: Path) -> None:
    root = _ten(tmp_path, [(2, 4, "assertion")], [(3, 5, "assertion")])
    s = cc.annotate(root, "ten", annotator="ann-c", independent=True)
    _claim(s, 2, 4, "evaluation")
    frame = cc.agreement(root)
    pairs = set(zip(frame["annotator_a"].astype(object).fillna("-"), frame["annotator_b"].astype(object).fillna("-")))
    assert pairs == {("ann-a", "ann-b"), ("ann-a", "ann-c"), ("ann-b", "ann-c"), ("-", "-")}
    every = frame[frame["annotator_a"].isna() & frame["article_id"].isna() & (frame["measure"] == "alpha_tokens")]
    expected, n = nominal_alpha([list(u) for u in zip("0011100000", "0001110000", "0011100000")])
    assert float(every["value"].iloc[0]) == pytest.approx(expected) and n == 10
    assert set(frame[frame["annotator_a"].isna()]["measure"]) == {"alpha_tokens", "alpha"}  # no kappa for three
    report = agreement_report(root)
    assert "ann-a vs ann-c" in report and "\nall annotators (claim)" in report


def test_the_frame_has_the_documented_columns(double: Path) -> None:
    frame = cc.agreement(double)
    assert actual_columns(frame) == documented_columns(cc.reliability.measures.agreement)
    assert actual_columns(cc.agreement(None)) == documented_columns(cc.reliability.measures.agreement)
    assert actual_columns(disagreements(double)) == documented_columns(disagreements)
    assert set(frame["measure"]) <= set(cc.vocab.AGREEMENT_MEASURES)


def test_disagreements_and_confusion_show_what_differs(double: Path) -> None:
    rows = disagreements(double)
    kinds = sorted(zip(rows["layer"], rows["kind"], rows["attribute"]))
    assert kinds == [("claim", "attribute", "claim_type"), ("claim", "boundary", "span"),
                     ("mention", "missing", "span"), ("mention", "missing", "span")]
    claim_type = rows[rows["attribute"] == "claim_type"].iloc[0]
    assert (claim_type["value_a"], claim_type["value_b"]) == ("evaluation", "assertion")
    assert claim_type["text_b"] == 'the dam "threatens our farms"'
    table = confusion(double, layer="claim", attribute="claim_type")
    assert table.loc["evaluation", "assertion"] == 1 and int(table.to_numpy().sum()) == 1
    assert (table.index.name, table.columns.name) == ("ann-a", "ann-b")


def test_the_report_names_figures_and_says_plainly_when_there_are_none(double: Path) -> None:
    text = agreement_report(double)
    assert "ann-a vs ann-b" in text and "claim_type: kappa 0.000" in text and "f1_overlap 1.000 (n=2)" in text
    bundled = agreement_report(None)
    assert "Gold records made by: annotator-1" in bundled and "No agreement figures" in bundled


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"layer": "claims"}, "layer='claims' is not valid; choose one of: 'mention'"),
    ({"annotators": "ann-a"}, "annotators= takes a list"),
    ({"annotators": ["ann-z"]}, "annotator='ann-z' is not valid; choose one of: 'ann-a', 'ann-b'"),
    ({"articles": ["nope"]}, "article='nope' is not valid"),
])
def test_bad_options_name_the_valid_ones(double: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        cc.agreement(double, **kwargs)


def test_cc_agreement_stays_the_function_after_the_subpackage_is_imported() -> None:
    import caucasus_corpus.reliability as sub

    assert cc.agreement is sub.agreement and cc.adjudicate is sub.adjudicate
    assert cc.agreement(None).empty


def test_plots_draw_one_bar_per_figure_and_the_confusion_counts(double: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from caucasus_corpus.reliability import plot_agreement, plot_confusion

    frame = cc.agreement(double)
    shown = frame[frame["article_id"].isna() & frame["measure"].isin(("f1_overlap", "alpha_tokens", "kappa", "alpha"))]
    ax = plot_agreement(frame)
    bars = [p for p in ax.patches if p.get_gid() == "agreement"] or list(ax.containers[0])
    assert len(bars) == len(shown)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels.count("claim / claim_type kappa") == 1 and "mention / actor kappa undefined" in labels
    table = confusion(double, layer="claim", attribute="claim_type")
    ax = plot_confusion(table)
    assert sorted(t.get_text() for t in ax.texts) == ["0", "0", "0", "1"]
