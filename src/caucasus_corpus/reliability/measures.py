"""Agreement between independent annotators, per layer and attribute, as a DataFrame a reviewer can check.

Three kinds of figure, each computed for every pair of annotators over the articles both have
annotated (``annotations/annotators/NAME/ARTICLE_ID.jsonl``), and, with three or more annotators,
for all of them together (``annotator_a`` and ``annotator_b`` are then ``<NA>``):

* **span detection** (``attribute`` is ``span``): precision and recall of ``annotator_b`` against
  ``annotator_a`` and their F1, with exact and with overlap matching (the one matcher,
  :mod:`caucasus_corpus.analysis.matching`: the intersection covers at least half of the shorter
  span), per article and over the selection;
* **span boundaries** (``alpha_tokens``): token-wise Krippendorff's alpha per layer, as PolNeAR
  reports it. Each token of the text (the package's tokeniser) is labelled 1 when it overlaps a
  span of the layer of that annotator and 0 otherwise, and alpha (nominal) is computed over all
  tokens with the ``krippendorff`` package, per article and over the selection;
* **attributes of matched spans** (speaker, attribution, claim type, targets, CAMEO code,
  explicitness, PLOVER mode, stance holder, target and polarity, mention actor and form;
  :data:`caucasus_corpus.vocab.AGREEMENT_ATTRIBUTES`): spans are paired under the overlap rule
  and each pair's two values compared. Cohen's kappa (``nltk.metrics.agreement.AnnotationTask``)
  for a pair, Krippendorff's alpha, nominal (the ``krippendorff`` package) for a pair and for
  all annotators; over the selection only (a single article has too few units). A missing value
  counts as its own category, ``(none)``; a claim's targets compare as one set.

A figure is NaN when it is undefined: F1 when one side has no spans, kappa and alpha when every
unit carries the same single value (no variation, so chance agreement is total). A layer no
annotator of the pair used in an article has no figures for it, and rows whose ``n_units`` would
be 0 are left out.

With three or more annotators, the units for "all annotators" figures are the pairwise overlap
matches joined into chains; a chain that gives one annotator two spans is ambiguous and left out
of those figures (pairwise figures are not affected).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._frames import typed_frame
from ..analysis.matching import match_spans, scores
from ..text.rules import tokenize
from ..vocab import AGREEMENT_ATTRIBUTES, SPAN_MATCHING
from .records import Annotations, Record, check_selection, read_annotations

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AGREEMENT_COLUMNS", "NONE_LABEL", "agreement", "agreement_report", "attribute_value", "cohen_kappa",
           "confusion", "disagreements", "nominal_alpha", "units"]

AGREEMENT_COLUMNS = {
    "layer": "string", "attribute": "string", "measure": "string", "value": "float64", "n_units": "int64",
    "article_id": "string", "annotator_a": "string", "annotator_b": "string",
}
DISAGREEMENT_COLUMNS = {
    "article_id": "string", "layer": "string", "kind": "string", "attribute": "string",
    "annotator_a": "string", "annotator_b": "string", "id_a": "string", "id_b": "string",
    "value_a": "string", "value_b": "string", "start_a": "Int64", "end_a": "Int64", "start_b": "Int64",
    "end_b": "Int64", "text_a": "string", "text_b": "string",
}
# The label of an attribute a record does not carry: a category of its own.
NONE_LABEL = "(none)"
NAN = float("nan")


def attribute_value(record: Record | None, attribute: str) -> str:
    """The value of ``attribute`` compared between annotators (a list as one sorted set).

    >>> attribute_value({"targets": ["ostrel", "kesa-rimm"]}, "targets"), attribute_value({}, "cameo")
    ('kesa-rimm|ostrel', '(none)')
    """
    value = None if record is None else record.get(attribute)
    if value is None or value == "" or value == []:
        return NONE_LABEL
    if isinstance(value, list):
        return "|".join(sorted(map(str, value)))
    return str(value)


def _of_layer(records: Iterable[Record], layer: str) -> list[Record]:
    return [r for r in records if r["layer"] == layer]


def _spans(records: Sequence[Record]) -> list[tuple[int, int]]:
    return [(r["start"], r["end"]) for r in records]


def units(by_annotator: dict[str, list[Record]], *, rule: str = "overlap") -> list[dict[str, Record]]:
    """The units the annotators marked: each a dict annotator -> record, in text order.

    Pairwise matches (:func:`caucasus_corpus.analysis.matching.match_spans`) are joined into chains;
    a span nobody else marked is a unit of one. A chain that gives one annotator two spans (possible
    with three or more annotators) is left out. ``by_annotator`` holds the records of one article
    and one layer.
    """
    names = sorted(by_annotator)
    parent: dict[tuple[str, int], tuple[str, int]] = {(n, i): (n, i) for n in names for i in range(len(by_annotator[n]))}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent[node] != node:
            node = parent[node]
        return node

    for a, b in combinations(names, 2):
        for i, j in match_spans(_spans(by_annotator[a]), _spans(by_annotator[b]), rule=rule):
            parent[root((b, j))] = root((a, i))
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append(node)
    out = []
    for members in groups.values():
        if len({n for n, _i in members}) == len(members):
            out.append({n: by_annotator[n][i] for n, i in members})
    return sorted(out, key=lambda u: min((r["start"], r["end"]) for r in u.values()))


def nominal_alpha(columns: Sequence[Sequence[str | None]]) -> tuple[float, int]:
    """Krippendorff's alpha, nominal, with the ``krippendorff`` package, and the number of units it
    was computed on (those with two or more values). ``columns`` holds one unit each: one value per
    annotator, None where that annotator gave none. NaN when only one value occurs.

    >>> nominal_alpha([["x", "x"], ["y", "y"], ["x", None]])
    (1.0, 2)
    """
    import numpy as np

    try:
        import krippendorff
    except ImportError:  # an optional capability: say how to get it
        raise ImportError("Krippendorff's alpha needs the krippendorff package: "
                          "pip install 'caucasus-corpus[agreement]'") from None

    pairable = [c for c in columns if sum(v is not None for v in c) >= 2]
    labels = sorted({v for c in pairable for v in c if v is not None})
    if len(labels) < 2:
        return NAN, len(pairable)
    code = {v: k for k, v in enumerate(labels)}
    width = max(len(c) for c in pairable)
    data = np.array([[np.nan if c[k] is None else code[c[k]] for c in pairable] for k in range(width)], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")), len(pairable)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's kappa of two annotators' values of the same units (``nltk.metrics.agreement``);
    NaN when only one value occurs.

    >>> cohen_kappa([("x", "x"), ("y", "y"), ("x", "y"), ("y", "y")])
    0.5
    """
    from nltk.metrics.agreement import AnnotationTask

    if len({v for pair in pairs for v in pair}) < 2:
        return NAN
    data = [("a", str(k), va) for k, (va, _vb) in enumerate(pairs)] + [("b", str(k), vb) for k, (_va, vb) in enumerate(pairs)]
    return float(AnnotationTask(data=data).kappa())


def _token_labels(records: Sequence[Record], tokens: list[tuple[int, int]]) -> list[str]:
    """1 for each token that overlaps one of ``records``' spans, else 0 (as strings, for ``nominal_alpha``)."""
    import bisect

    covered = [0] * len(tokens)
    starts = [s for s, _e in tokens]
    for r in records:
        k = max(0, bisect.bisect_right(starts, r["start"]) - 1)
        while k < len(tokens) and tokens[k][0] < r["end"]:
            if tokens[k][1] > r["start"]:
                covered[k] = 1
            k += 1
    return [str(c) for c in covered]


def _row(layer: str, attribute: str, measure: str, value: float, n: int, article: str | None,
         a: str | None, b: str | None) -> dict[str, Any]:
    return {"layer": layer, "attribute": attribute, "measure": measure, "value": value, "n_units": n,
            "article_id": article, "annotator_a": a, "annotator_b": b}


def _span_rows(data: Annotations, layer: str, a: str, b: str, articles: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    totals = {rule: [0, 0, 0] for rule in SPAN_MATCHING}
    for aid in [*articles, None]:
        for rule in SPAN_MATCHING:
            if aid is None:
                n_a, n_b, n_m = totals[rule]
            else:
                ra, rb = _of_layer(data.records[a][aid], layer), _of_layer(data.records[b][aid], layer)
                n_a, n_b, n_m = len(ra), len(rb), len(match_spans(_spans(ra), _spans(rb), rule=rule))
                totals[rule] = [x + y for x, y in zip(totals[rule], (n_a, n_b, n_m))]
            if n_a + n_b == 0:
                continue
            p, r, f = scores(n_a=n_a, n_b=n_b, n_matched=n_m)
            rows += [_row(layer, "span", f"precision_{rule}", p, n_b, aid, a, b),
                     _row(layer, "span", f"recall_{rule}", r, n_a, aid, a, b),
                     _row(layer, "span", f"f1_{rule}", f, n_a + n_b, aid, a, b)]
    return rows


def _token_rows(data: Annotations, layer: str, names: Sequence[str], articles: list[str],
                pair: tuple[str | None, str | None]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    everything: list[list[str | None]] = []
    for aid in articles:
        spans = [_of_layer(data.records[n][aid], layer) for n in names]
        if not any(spans):
            continue  # a layer nobody used in this article: nothing to agree on
        tokens = [(t.start, t.end) for t in tokenize(data.texts[aid])]
        labels = [_token_labels(recs, tokens) for recs in spans]
        columns: list[list[str | None]] = [list(c) for c in zip(*labels)]
        everything += columns
        value, n = nominal_alpha(columns)
        if n:
            rows.append(_row(layer, "span", "alpha_tokens", value, n, aid, *pair))
    if everything:
        value, n = nominal_alpha(everything)
        rows.append(_row(layer, "span", "alpha_tokens", value, n, None, *pair))
    return rows


def _attribute_units(data: Annotations, layer: str, names: Sequence[str], articles: list[str]) -> list[dict[str, Record]]:
    found = []
    for aid in articles:
        found += units({n: _of_layer(data.records[n][aid], layer) for n in names})
    return found


def _attribute_rows(data: Annotations, layer: str, names: Sequence[str], articles: list[str],
                    pair: tuple[str | None, str | None]) -> list[dict[str, Any]]:
    rows = []
    found = _attribute_units(data, layer, names, articles)
    for attribute in AGREEMENT_ATTRIBUTES[layer]:
        columns: list[list[str | None]] = [[attribute_value(u[n], attribute) if n in u else None for n in names] for u in found]
        value, n = nominal_alpha(columns)
        if not n:
            continue
        if pair[0] is not None:
            both = [(c[0], c[1]) for c in columns if c[0] is not None and c[1] is not None]
            rows.append(_row(layer, attribute, "kappa", cohen_kappa(both), n, None, *pair))
        rows.append(_row(layer, attribute, "alpha", value, n, None, *pair))
    return rows


def agreement(release: str | Path, *, layer: str | None = None, annotators: Sequence[str] | None = None,
              articles: Sequence[str] | None = None) -> pd.DataFrame:
    """Agreement between the independent annotators of ``release``, one row per figure.

    ``layer`` restricts to one layer, ``annotators`` to some annotators (by default every one),
    ``articles`` to some articles (by default every article two annotators share). What each
    figure means: :mod:`caucasus_corpus.reliability.measures`. Empty when fewer than two
    annotators share an article (the bundled release has one annotator, so it is empty there).

    Columns
    -------
    layer : string
        mention, claim, threat or stance.
    attribute : string
        ``span`` for span detection and boundaries, else the attribute compared.
    measure : string
        precision_exact, recall_exact, f1_exact, precision_overlap, recall_overlap, f1_overlap,
        alpha_tokens, kappa or alpha (:data:`caucasus_corpus.vocab.AGREEMENT_MEASURES`).
    value : float64
        The figure; NaN when undefined (no spans on one side, or a single value throughout).
    n_units : int64
        What it was computed on: spans of annotator_b (precision), of annotator_a (recall), of both
        (F1); tokens (alpha_tokens); matched spans with two or more values (kappa, alpha).
    article_id : string
        The article, or <NA> for the whole selection.
    annotator_a : string
        The first annotator of the pair (the reference for precision and recall); <NA> for a figure
        over all annotators.
    annotator_b : string
        The second annotator of the pair; <NA> for a figure over all annotators.
    """
    data = read_annotations(release)
    layers, names, chosen = check_selection(data, layer=layer, annotators=annotators, articles=articles)
    return _agreement_frame(data, layers, names, chosen)


def _agreement_frame(data: Annotations, layers: Sequence[str], names: Sequence[str], chosen: list[str] | None) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    groups: list[tuple[tuple[str, ...], tuple[str | None, str | None]]] = [((a, b), (a, b)) for a, b in combinations(names, 2)]
    if len(names) > 2:
        groups.append((tuple(names), (None, None)))
    for group, pair in groups:
        shared = [aid for aid in data.articles_of(group) if chosen is None or aid in chosen]
        if not shared:
            continue
        for layer in layers:
            if pair[0] is not None:
                rows += _span_rows(data, layer, group[0], group[1], shared)
            rows += _token_rows(data, layer, group, shared, pair)
            rows += _attribute_rows(data, layer, group, shared, pair)
    return typed_frame(rows, AGREEMENT_COLUMNS)


def _pair(data: Annotations, annotators: Sequence[str] | None) -> tuple[str, str]:
    names = data.annotators if annotators is None else tuple(annotators)
    if len(names) != 2:
        raise ValueError(f"give two annotators, e.g. annotators=['a', 'b'] (the release has: "
                         f"{', '.join(data.annotators) or 'none'})")
    return names[0], names[1]


def confusion(release: str | Path, *, layer: str, attribute: str, annotators: Sequence[str] | None = None,
              articles: Sequence[str] | None = None) -> pd.DataFrame:
    """How two annotators' values of ``attribute`` on matched spans of ``layer`` cross: a square
    table of counts, ``annotator_a``'s values down, ``annotator_b``'s across (the diagonal agrees).
    ``annotators`` names the two (needed when the release has more than two)."""
    import pandas as pd

    from .._options import check_choice

    data = read_annotations(release)
    (layer,), names, chosen = check_selection(data, layer=layer, annotators=annotators, articles=articles)
    check_choice("attribute", attribute, AGREEMENT_ATTRIBUTES[layer])
    a, b = _pair(data, names)
    shared = [aid for aid in data.articles_of((a, b)) if chosen is None or aid in chosen]
    found = [u for u in _attribute_units(data, layer, (a, b), shared) if len(u) == 2]
    va = [attribute_value(u[a], attribute) for u in found]
    vb = [attribute_value(u[b], attribute) for u in found]
    labels = sorted(set(va) | set(vb))
    table = pd.crosstab(pd.Categorical(va, categories=labels), pd.Categorical(vb, categories=labels), dropna=False)
    table.index.name, table.columns.name = a, b
    return table


def disagreements(release: str | Path, *, layer: str | None = None, annotators: Sequence[str] | None = None,
                  articles: Sequence[str] | None = None) -> pd.DataFrame:
    """Every disagreement of two annotators, with both records and their text.

    ``kind`` is ``missing`` (a span only one annotator marked), ``boundary`` (spans matched under
    the overlap rule, with different offsets) or ``attribute`` (matched spans whose ``attribute``
    differs); a pair can be both boundary and attribute disagreements.

    Columns
    -------
    article_id : string
        The article.
    layer : string
        The layer.
    kind : string
        missing, boundary or attribute.
    attribute : string
        The attribute that differs (``span`` for missing and boundary).
    annotator_a : string
        The first annotator.
    annotator_b : string
        The second annotator.
    id_a : string
        annotator_a's record, <NA> when only annotator_b marked the span.
    id_b : string
        annotator_b's record, <NA> when only annotator_a marked it.
    value_a : string
        annotator_a's value of the attribute (the span's text for span kinds).
    value_b : string
        annotator_b's value.
    start_a : Int64
        Start of annotator_a's span.
    end_a : Int64
        End of annotator_a's span.
    start_b : Int64
        Start of annotator_b's span.
    end_b : Int64
        End of annotator_b's span.
    text_a : string
        The text of annotator_a's span.
    text_b : string
        The text of annotator_b's span.
    """
    data = read_annotations(release)
    layers, names, chosen = check_selection(data, layer=layer, annotators=annotators, articles=articles)
    a, b = _pair(data, names)
    rows: list[dict[str, Any]] = []
    for aid in data.articles_of((a, b)):
        if chosen is not None and aid not in chosen:
            continue
        for lay in layers:
            for u in units({a: _of_layer(data.records[a][aid], lay), b: _of_layer(data.records[b][aid], lay)}):
                ra, rb = u.get(a), u.get(b)
                base = {"article_id": aid, "layer": lay, "annotator_a": a, "annotator_b": b,
                        "id_a": ra and ra["id"], "id_b": rb and rb["id"],
                        "start_a": ra and ra["start"], "end_a": ra and ra["end"], "text_a": ra and ra["text"],
                        "start_b": rb and rb["start"], "end_b": rb and rb["end"], "text_b": rb and rb["text"]}
                if ra is None or rb is None:
                    rows.append({**base, "kind": "missing", "attribute": "span",
                                 "value_a": ra and ra["text"], "value_b": rb and rb["text"]})
                    continue
                if (ra["start"], ra["end"]) != (rb["start"], rb["end"]):
                    rows.append({**base, "kind": "boundary", "attribute": "span", "value_a": ra["text"], "value_b": rb["text"]})
                for attribute in AGREEMENT_ATTRIBUTES[lay]:
                    va, vb = attribute_value(ra, attribute), attribute_value(rb, attribute)
                    if va != vb:
                        rows.append({**base, "kind": "attribute", "attribute": attribute, "value_a": va, "value_b": vb})
    return typed_frame(rows, DISAGREEMENT_COLUMNS)


def agreement_report(release: str | Path, *, layer: str | None = None, annotators: Sequence[str] | None = None,
                     articles: Sequence[str] | None = None) -> str:
    """The agreement of ``release`` as readable text: who annotated what, then per layer span F1,
    token-wise alpha and attribute kappa/alpha over the selection, with the number of units.
    Says plainly when there is nothing to measure (fewer than two independent annotators)."""
    data = read_annotations(release)
    layers, names, chosen = check_selection(data, layer=layer, annotators=annotators, articles=articles)
    frame = _agreement_frame(data, layers, names, chosen)
    lines = [f"Agreement between independent annotators: {data.root}"]
    gold_by = ", ".join(data.gold_annotators) or "nobody"
    if len(names) < 2 or frame.empty:
        lines.append(f"  Independent annotators: {', '.join(data.annotators) or 'none'}. Gold records made by: {gold_by}.")
        lines.append("  No agreement figures: they need two or more annotators who annotated the same article "
                     "independently (`cc.annotate(..., independent=True)`), and this release has "
                     + ("none." if not data.annotators else "no such pair."))
        return "\n".join(lines) + "\n"
    for name in names:
        lines.append(f"  {name}: {len(data.records[name])} article(s), {sum(map(len, data.records[name].values()))} record(s)")
    overall = frame[frame["article_id"].isna()].astype({"annotator_a": object, "annotator_b": object})
    overall = overall.fillna({"annotator_a": "", "annotator_b": ""})
    for (a, b), part in overall.groupby(["annotator_a", "annotator_b"], sort=False):
        who = f"{a} vs {b}" if a else "all annotators"
        lines.append(f"\n{who} ({', '.join(part['layer'].unique())})")
        for lay, rows in part.groupby("layer", sort=False):
            lines.append(f"  {lay}")
            figures = {m: rows[(rows['attribute'] == 'span') & (rows['measure'] == m)] for m in ("f1_exact", "f1_overlap", "alpha_tokens")}
            spans = "  ".join(f"{m} {_fmt(f['value'].iloc[0])} (n={int(f['n_units'].iloc[0])})" for m, f in figures.items() if len(f))
            if spans:
                lines.append(f"    span: {spans}")
            for attribute, attr_rows in rows[rows["attribute"] != "span"].groupby("attribute", sort=False):
                shown = "  ".join(f"{m} {_fmt(v)}" for m, v in zip(attr_rows["measure"], attr_rows["value"]))
                lines.append(f"    {attribute}: {shown} (n={int(attr_rows['n_units'].iloc[0])} matched spans)")
    lines.append("\nF1 with exact and overlap matching (overlap: the intersection covers at least half of the shorter "
                 "span); alpha_tokens: token-wise Krippendorff's alpha; kappa: Cohen's; alpha: Krippendorff's, nominal. "
                 "nan: undefined (one side empty, or a single value throughout). Per-article figures: cc.agreement().")
    return "\n".join(lines) + "\n"


def _fmt(value: float) -> str:
    return "nan" if value != value else f"{value:.3f}"
