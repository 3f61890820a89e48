"""Discourse networks as the Discourse Network Analyzer (DNA 3, rDNA's ``dna_network``) computes them.

A *statement* is one stance record (or, with ``layer="claim"``, one claim-target pair): who
(``variable1``) said something about what (``variable2``), with a qualifier (the polarity:
``favor`` is DNA's agreement 1, ``against`` agreement 0). Statements become

* a **two-mode** network: ``variable1`` x ``variable2`` (organisation x topic), and
* a **one-mode** network: ``variable1`` x ``variable1``, two actors tied through the concepts
  (``variable2`` values) both made statements about.

Let ``a[i, c, k]`` count the statements of node ``i`` about concept ``c`` with qualifier level
``k`` (``against``, ``favor``, ``none``; a single level when ``qualifier=None``), ``n_i(c)`` the
sum over ``k`` and ``n_i`` the sum over ``c`` and ``k`` (node ``i``'s statement count).

One-mode, ``qualifier_aggregation``:

* ``ignore``: ``w(i, j) = sum_c n_i(c) * n_j(c)``;
* ``congruence``: ``sum_c sum_k a[i,c,k] * a[j,c,k]`` over ``k`` in (against, favor): products of
  counts on the same level;
* ``conflict``: ``sum_c (a[i,c,against] * a[j,c,favor] + a[i,c,favor] * a[j,c,against])``;
* ``subtract``: congruence minus conflict.

Polarity ``none`` is left out of congruence, conflict and subtract and counted with ignore.
``normalization`` divides ``w(i, j)`` by: ``average`` ``(n_i + n_j) / 2``; ``jaccard``
``m10 + m01 + m11`` where, over all cells ``(c, k)``, ``m10`` sums ``a[i,c,k]`` where
``a[j,c,k] == 0``, ``m01`` sums ``a[j,c,k]`` where ``a[i,c,k] == 0`` and ``m11`` sums
``a[i,c,k] * a[j,c,k]``; ``cosine`` ``n_i * n_j`` (DNA's formula: statement counts, not the
Euclidean cosine of the count vectors). A zero denominator gives 0; the diagonal is 0.

Two-mode, ``qualifier_aggregation``: ``ignore`` counts statements; ``subtract`` counts favor
minus against (none adds 0); ``combine`` codes the levels used: 1 favor only, 2 against only,
3 both, 0 neither (none is not a level of it). ``normalization``: ``activity`` divides each row
by the row's total (ignore: the row sum; combine: the number of non-zero cells; subtract: the
row's statement count), ``prominence`` each column likewise. (DNA computes combine with a
normalisation but warns that the result cannot be interpreted; so does this module.)

Combinations DNA does not allow (it falls back to a default with a warning) raise
``ValueError`` here: congruence or conflict in a two-mode network, combine in a one-mode
network, average, jaccard or cosine in a two-mode network, activity or prominence in a one-mode
network, a qualifier aggregation other than ignore without a qualifier, ``variable1 ==
variable2``.

``duplicates`` (DNA's setting): ``include`` all statements, or count one identical statement
(same ``variable1``, ``variable2`` and, unless the aggregation is ``ignore``, qualifier) per
``document``, calendar ``week`` (ISO weeks, Monday to Sunday), ``month``, ``year`` or
``acrossrange``. A statement is dated by its article's ``published`` date. Statements with an
empty ``variable1`` or ``variable2`` are left out, as DNA leaves them out.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._frames import typed_frame
from .._options import check_choice
from ..model.protocol import require_annotations

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

    from ..model.protocol import CorpusLike

__all__ = [
    "DUPLICATES",
    "EVIDENCE_COLUMNS",
    "NETWORK_LAYERS",
    "NETWORK_TYPES",
    "NORMALIZATIONS",
    "QUALIFIER_AGGREGATIONS",
    "WINDOW_COLUMNS",
    "discourse_network",
    "network_evidence",
    "network_graph",
    "plot_network",
    "plot_time_windows",
    "time_window_networks",
    "to_gexf",
    "to_graphml",
]

NETWORK_TYPES = ("onemode", "twomode")
NETWORK_LAYERS = ("stance", "claim")
QUALIFIER_AGGREGATIONS = {"onemode": ("ignore", "congruence", "conflict", "subtract"),
                          "twomode": ("ignore", "combine", "subtract")}
NORMALIZATIONS = {"onemode": ("no", "average", "jaccard", "cosine"), "twomode": ("no", "activity", "prominence")}
DUPLICATES = ("include", "document", "week", "month", "year", "acrossrange")
# The statement variables of each layer; any other name is an attribute of the actor in variable "holder"/"speaker".
_LAYER_VARIABLES = {"stance": ("holder", "organization", "target", "topic"), "claim": ("speaker", "organization", "target")}
_ACTOR_ATTRIBUTES = ("kind", "role", "affiliation", "country")
# Qualifier levels, in DNA's order for a boolean qualifier (0 = disagreement, 1 = agreement); none last.
_LEVELS = ("against", "favor", "none")
_BODY_KINDS = ("organisation", "state")

EVIDENCE_COLUMNS = {"article_id": "string", "record_id": "string", "start": "int64", "end": "int64",
                    "text": "string", "holder": "string", "target": "string", "polarity": "string"}
WINDOW_COLUMNS = {"start": "datetime64[ns]", "end": "datetime64[ns]", "n_statements": "int64", "n_nodes": "int64",
                  "n_edges": "int64", "density": "float64", "modularity": "float64", "network": "object"}


# -- statements -----------------------------------------------------------------------------------

def _check_options(network_type: str, variable1: str, variable2: str, qualifier: str | None,
                   qualifier_aggregation: str, normalization: str, duplicates: str, layer: str) -> None:
    check_choice("network_type", network_type, NETWORK_TYPES)
    check_choice("layer", layer, NETWORK_LAYERS)
    check_choice("duplicates", duplicates, DUPLICATES)
    allowed = (*_LAYER_VARIABLES[layer], *_ACTOR_ATTRIBUTES)
    check_choice("variable1", variable1, allowed)
    check_choice("variable2", variable2, allowed)
    if variable1 == variable2:
        raise ValueError(f"variable1 and variable2 are both {variable1!r}; DNA needs two different variables "
                         "(e.g. variable1='organization', variable2='topic')")
    every_aggregation = sorted({a for v in QUALIFIER_AGGREGATIONS.values() for a in v})
    check_choice("qualifier_aggregation", qualifier_aggregation, every_aggregation)
    if qualifier_aggregation not in QUALIFIER_AGGREGATIONS[network_type]:
        raise ValueError(f"qualifier_aggregation={qualifier_aggregation!r} is not possible in a {network_type} network "
                         f"(DNA does not allow it); use one of {', '.join(QUALIFIER_AGGREGATIONS[network_type])}")
    every_norm = sorted({a for v in NORMALIZATIONS.values() for a in v})
    check_choice("normalization", normalization, every_norm)
    if normalization not in NORMALIZATIONS[network_type]:
        raise ValueError(f"normalization={normalization!r} is not possible in a {network_type} network "
                         f"(DNA does not allow it); use one of {', '.join(NORMALIZATIONS[network_type])}")
    if qualifier is not None and qualifier != "polarity":
        raise ValueError(f"qualifier={qualifier!r}: the qualifier is 'polarity' (of stance records) or None")
    if qualifier is not None and layer != "stance":
        raise ValueError(f"claims have no polarity: pass qualifier=None with layer={layer!r}")
    if qualifier is None and qualifier_aggregation != "ignore":
        raise ValueError(f"qualifier_aggregation={qualifier_aggregation!r} needs a qualifier; pass qualifier='polarity' "
                         "or qualifier_aggregation='ignore' (DNA does not allow it either)")


def _date(value: Any, what: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what}={value!r} is not a date; give e.g. '2017-05-01'") from exc


def _base_statements(corpus: CorpusLike, layer: str) -> pd.DataFrame:
    """One row per statement: record_id, article_id, published, holder, organization, target,
    target_type, polarity (stance) or the speaker and each target of a claim."""
    dates = corpus.articles.set_index("article_id")["published"]
    if layer == "stance":
        s = corpus.stance
        out = pd.DataFrame({"record_id": s["id"], "article_id": s["article_id"], "holder": s["holder"],
                            "recorded_org": s["organization"] if "organization" in s else pd.NA,
                            "target": s["target"], "target_type": s["target_type"], "polarity": s["polarity"]})
    else:
        c = corpus.claims
        c = c.assign(target=c["targets"]).explode("target")
        out = pd.DataFrame({"record_id": c["id"], "article_id": c["article_id"], "holder": c["speaker"],
                            "recorded_org": pd.NA, "target": c["target"].astype("string"), "target_type": "actor",
                            "polarity": pd.NA})
    out = out.reset_index(drop=True)
    out["published"] = pd.to_datetime(out["article_id"].map(dates).to_numpy())
    return out


def _values(statements: pd.DataFrame, variable: str, actors: pd.DataFrame) -> pd.Series:
    """The value (an id or an attribute value) of ``variable`` for each statement; <NA> when empty."""
    holder = statements["holder"]
    if variable in ("holder", "speaker"):
        return holder.astype("string")
    if variable == "target":
        return statements["target"].astype("string")
    if variable == "topic":
        return statements["target"].where(statements["target_type"] == "topic").astype("string")
    kind = holder.map(dict(zip(actors["actor_id"], actors["kind"])))
    if variable == "organization":
        # The holder itself when it is a body, else the organisation recorded with the statement,
        # else the holder's registered affiliation.
        affiliation = holder.map(dict(zip(actors["actor_id"], actors["affiliation"])))
        org = statements["recorded_org"].astype("string").fillna(affiliation.astype("string"))
        return holder.where(kind.isin(_BODY_KINDS), org).astype("string").replace("", pd.NA)
    return holder.map(dict(zip(actors["actor_id"], actors[variable]))).astype("string").replace("", pd.NA)


def _label_lookup(corpus: CorpusLike) -> dict[Any, str]:
    """Actor and topic ids to their names and labels; under the key ``(id,)`` what the id is
    (the actor's kind, or "topic")."""
    lookup: dict[Any, str] = dict(zip(corpus.topics["topic_id"].tolist(), corpus.topics["label"].tolist()))
    lookup.update(zip(corpus.actors["actor_id"].tolist(), corpus.actors["name"].tolist()))
    lookup.update({(t,): "topic" for t in corpus.topics["topic_id"].tolist()})
    lookup.update({(a,): str(k) for a, k in zip(corpus.actors["actor_id"].tolist(), corpus.actors["kind"].tolist())})
    return lookup


def _labels(ids: Sequence[str], variable: str, lookup: Mapping[Any, str]) -> list[str]:
    """Readable labels: an actor's name, a topic's label, an attribute value as it is; made unique."""
    if variable in _ACTOR_ATTRIBUTES[:2] or variable == "country":
        lookup = {}
    labels = [str(lookup.get(i, i)) for i in ids]
    seen: dict[str, int] = {}
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
    return [f"{lab} ({i})" if seen[lab] > 1 else lab for lab, i in zip(labels, ids)]


def _statements(corpus: CorpusLike, *, variable1: str, variable2: str, qualifier: str | None,
                qualifier_aggregation: str, duplicates: str, start: Any, stop: Any, layer: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The statements a network counts (columns v1, v2, level, ...), and all statements of the
    date range with their v1/v2 values (for ``isolates``)."""
    require_annotations(corpus, "discourse networks")
    base = _base_statements(corpus, layer)
    lo, hi = _date(start, "start"), _date(stop, "stop")
    if lo is not None:
        base = base[base["published"] >= lo]
    if hi is not None:
        base = base[base["published"] <= hi]
    base = base.assign(v1=_values(base, variable1, corpus.actors), v2=_values(base, variable2, corpus.actors))
    if qualifier is None:
        level = np.zeros(len(base), dtype=np.int64)
    else:
        level = base["polarity"].map({p: k for k, p in enumerate(_LEVELS)}).fillna(2).astype("int64").to_numpy()
    base = base.assign(level=level)
    used = base[base["v1"].notna() & base["v2"].notna()]
    if duplicates != "include":
        keys = ["v1", "v2"] + ([] if qualifier_aggregation == "ignore" else ["level"])
        if duplicates == "document":
            keys.append("article_id")
        elif duplicates != "acrossrange":
            when = used["published"]
            if duplicates == "week":
                iso = when.dt.isocalendar()
                used = used.assign(_period=iso["year"].astype("string") + "-" + iso["week"].astype("string"))
            else:
                used = used.assign(_period=when.dt.to_period("M" if duplicates == "month" else "Y").astype("string"))
            keys.append("_period")
        used = used.sort_values(["published", "article_id"], kind="stable").drop_duplicates(keys).drop(columns="_period", errors="ignore")
    return used, base


# -- the matrices -----------------------------------------------------------------------------------

def _counts(used: pd.DataFrame, names1: list[str], names2: list[str], levels: int) -> np.ndarray:
    """a[i, c, k]: statements of node i about concept c on qualifier level k."""
    a = np.zeros((len(names1), len(names2), levels), dtype=np.float64)
    if len(used):
        i = pd.Categorical(used["v1"], categories=names1).codes
        j = pd.Categorical(used["v2"], categories=names2).codes
        np.add.at(a, (i, j, used["level"].to_numpy()), 1.0)
    return a


def _divide(w: np.ndarray, norm: np.ndarray) -> np.ndarray:
    out = np.zeros_like(w)
    np.divide(w, norm, out=out, where=norm != 0)
    return out


def _one_mode(a: np.ndarray, aggregation: str, normalization: str) -> np.ndarray:
    n_ic = a.sum(axis=2)
    n = n_ic.sum(axis=1)
    # Every sum below is a whole number of at most max(n)**2: float32 holds it exactly below 2**24
    # and its matrix products run about twice as fast as float64 ones.
    exact = np.float32 if (n.max(initial=0.0) ** 2) < 2**24 else np.float64
    x = a.astype(exact)
    if aggregation == "ignore":
        nx_ = n_ic.astype(exact)
        w = nx_ @ nx_.T
    else:
        neg, pos = x[:, :, 0], x[:, :, 1]
        if aggregation == "subtract":  # congruence - conflict = (pos - neg)(pos - neg)^T
            d = pos - neg
            w = d @ d.T
        else:
            both = np.hstack([neg, pos])
            w = both @ (both if aggregation == "congruence" else np.hstack([pos, neg])).T
    # Whole numbers without a normalisation (as DNA's integer matrices), floats with one.
    w = w.astype((np.int32 if exact is np.float32 else np.int64) if normalization == "no" else np.float64)
    if normalization != "no":
        if normalization == "average":
            norm = (n[:, None] + n[None, :]) / 2
        elif normalization == "cosine":
            norm = np.outer(n, n)
        else:  # jaccard, over the cells (concept, level) as DNA counts them
            f = x.reshape(x.shape[0], -1)
            m11 = (f @ f.T).astype(np.float64)
            # m10(i, j) = sum of f_i over the cells where f_j is 0 = n_i - sum of f_i where f_j > 0
            shared = (f @ (f > 0).astype(exact).T).astype(np.float64)
            m10 = n[:, None] - shared
            norm = m10 + m10.T + m11
        w = _divide(w, norm)
    np.fill_diagonal(w, 0.0)
    return w


def _two_mode(a: np.ndarray, aggregation: str, normalization: str) -> np.ndarray:
    if aggregation == "ignore":
        w = a.sum(axis=2)
    elif aggregation == "subtract":
        w = a[:, :, 1] - a[:, :, 0]
    else:
        w = (a[:, :, 1] > 0) * 1.0 + (a[:, :, 0] > 0) * 2.0
    if normalization == "no":
        return w
    if aggregation == "combine":
        warnings.warn("normalization with qualifier_aggregation='combine' yields results that cannot be "
                      "interpreted (DNA warns the same)", UserWarning, stacklevel=3)
    axis = 1 if normalization == "activity" else 0
    if aggregation == "ignore":
        total = w.sum(axis=axis)
    elif aggregation == "combine":
        total = (w > 0).sum(axis=axis).astype(np.float64)
    else:
        total = a.sum(axis=(2, axis))
    return _divide(w, total[:, None] if axis == 1 else total[None, :])


def _network(used: pd.DataFrame, everyone: pd.DataFrame, lookup: Mapping[Any, str], params: dict[str, Any]) -> pd.DataFrame:
    source = everyone if params["isolates"] else used
    names1 = sorted(source["v1"].dropna().unique().tolist())
    names2 = sorted(source["v2"].dropna().unique().tolist())
    levels = 1 if params["qualifier"] is None else len(_LEVELS)
    a = _counts(used, names1, names2, levels)
    onemode = params["network_type"] == "onemode"
    if onemode:
        w = _one_mode(a, params["qualifier_aggregation"], params["normalization"])
        cols = names1
    else:
        w = _two_mode(a, params["qualifier_aggregation"], params["normalization"])
        cols = names2
    labels1 = _labels(names1, params["variable1"], lookup)
    labels2 = labels1 if onemode else _labels(cols, params["variable2"], lookup)
    index = pd.Index(labels1, name=params["variable1"], dtype=object)
    # copy=False: the matrix is ours, and copying a 1000 x 1000 one into a frame costs more than computing it.
    frame = pd.DataFrame(w.astype(np.int64) if params["normalization"] == "no" and not onemode else w, index=index, copy=False,
                         columns=index.rename(params["variable1"]) if onemode else pd.Index(labels2, name=params["variable2"], dtype=object))
    dates = used["published"].dropna()
    frame.attrs = {
        "parameters": dict(params),
        "n_statements": int(len(used)),
        "start": dates.min() if len(dates) else None,
        "stop": dates.max() if len(dates) else None,
        "ids": {**dict(zip(labels1, names1)), **dict(zip(labels2, cols))},
        "row_ids": dict(zip(labels1, names1)),
        # What each node is: an actor's kind, "topic", or the variable's name for an attribute value.
        "kinds": {lab: lookup.get((i,), params["variable1"]) if params["variable1"] not in _ACTOR_ATTRIBUTES[:2] + ("country",)
                  else params["variable1"] for lab, i in zip(labels1, names1)}
                 | ({} if onemode else {lab: lookup.get((i,), params["variable2"]) for lab, i in zip(labels2, cols)}),
        "column_ids": dict(zip(labels2, cols)),
        "activity": {**({} if onemode else dict(zip(labels2, a.sum(axis=(0, 2)).astype(int).tolist()))),
                     **dict(zip(labels1, a.sum(axis=(1, 2)).astype(int).tolist()))},
    }
    return frame


def discourse_network(
    corpus: CorpusLike,
    *,
    network_type: str = "twomode",
    variable1: str = "organization",
    variable2: str = "topic",
    qualifier: str | None = "polarity",
    qualifier_aggregation: str = "ignore",
    normalization: str = "no",
    duplicates: str = "include",
    start: Any = None,
    stop: Any = None,
    layer: str = "stance",
    isolates: bool = False,
) -> pd.DataFrame:
    """A discourse network as DNA's ``dna_network`` computes it: a one-mode (``variable1`` x
    ``variable1``) or two-mode (``variable1`` x ``variable2``) weighted matrix.

    The names, defaults and meanings follow rDNA's ``dna_network`` (``networkType``,
    ``qualifierAggregation``, ...); every formula is written out in
    :mod:`caucasus_corpus.analysis.networks`. In short, one-mode ``ignore`` is
    ``sum_c n_i(c) * n_j(c)``, ``congruence`` the products of counts on the same polarity,
    ``conflict`` on different ones, ``subtract`` their difference; ``average`` divides by
    ``(n_i + n_j) / 2``, ``jaccard`` by DNA's ``m10 + m01 + m11``, ``cosine`` by ``n_i * n_j``
    (statement counts); a zero denominator gives 0 and the diagonal is 0. Two-mode ``ignore``
    counts, ``subtract`` is favor minus against, ``combine`` codes 1 favor, 2 against, 3 both;
    ``activity`` and ``prominence`` divide rows and columns by their totals. Polarity ``none``
    is counted with ``ignore`` only. A combination DNA does not allow raises ``ValueError``.

    ``variable1``/``variable2``: ``holder`` (the stance holder; ``speaker`` for claims),
    ``organization`` (the holder itself when it is an organisation or state, else the
    organisation recorded with the statement, else the holder's registered affiliation),
    ``target`` (a stance's actor or topic; each target of a claim), ``topic`` (a stance's
    target when it is a topic), or an attribute of the holder (``kind``, ``role``,
    ``affiliation``, ``country``). ``start``/``stop`` keep statements whose article was
    published on or between those dates. ``isolates=True`` keeps every node of the date range,
    also those without a statement counted here.

    Returns a DataFrame whose rows (and columns) are labelled by the actor's ``name``, the
    topic's ``label`` or the attribute value (a label two ids share gets the id appended), in
    sorted order; integers without normalisation (int32 for a one-mode network whose weights all fit, else int64), float64 with it. ``.attrs`` holds
    ``parameters``, ``n_statements``, ``start`` and ``stop`` (the dates of the first and last
    statement counted), ``ids`` (label to id; ``row_ids``, ``column_ids``) and ``activity``
    (label to statement count).

    >>> import caucasus_corpus as cc
    >>> net = cc.discourse_network(cc.load(), network_type="onemode", variable1="holder", variable2="target")
    >>> net.shape[0] == net.shape[1], bool((net.values.diagonal() == 0).all())
    (True, True)
    """
    _check_options(network_type, variable1, variable2, qualifier, qualifier_aggregation, normalization, duplicates, layer)
    params = dict(network_type=network_type, variable1=variable1, variable2=variable2, qualifier=qualifier,
                  qualifier_aggregation=qualifier_aggregation, normalization=normalization, duplicates=duplicates,
                  start=start, stop=stop, layer=layer, isolates=isolates)
    used, everyone = _statements(corpus, variable1=variable1, variable2=variable2, qualifier=qualifier,
                                 qualifier_aggregation=qualifier_aggregation, duplicates=duplicates,
                                 start=start, stop=stop, layer=layer)
    return _network(used, everyone, _label_lookup(corpus), params)


# -- time windows -----------------------------------------------------------------------------------

def _edges(network: pd.DataFrame) -> tuple[int, float]:
    """Number of ties (non-zero dyads or cells) and the density."""
    w = network.to_numpy()
    if network.attrs.get("parameters", {}).get("network_type") == "onemode":
        n = w.shape[0]
        ties = int(np.count_nonzero(w)) // 2  # symmetric, zero diagonal
        return ties, (ties / (n * (n - 1) / 2) if n > 1 else 0.0)
    ties = int(np.count_nonzero(w))
    return ties, (ties / w.size if w.size else 0.0)


def _modularity(network: pd.DataFrame) -> float:
    """Modularity of the Louvain partition of the positive ties (NaN when there are none)."""
    import networkx as nx

    g = network_graph(network)
    g.remove_edges_from([(u, v) for u, v, d in g.edges(data=True) if d["weight"] <= 0])
    if g.number_of_edges() == 0:
        return float("nan")
    parts = nx.community.louvain_communities(g, weight="weight", seed=0)
    return float(nx.community.modularity(g, parts, weight="weight"))


def time_window_networks(
    corpus: CorpusLike,
    *,
    window: str = "30D",
    step: str = "7D",
    modularity: bool = True,
    start: Any = None,
    stop: Any = None,
    **options: Any,
) -> pd.DataFrame:
    """One network per moving time window: windows of length ``window`` (a pandas offset such
    as ``"30D"``), moved forward by ``step``, from the first statement (or ``start``) until the
    last (or ``stop``). Each window covers published dates ``[start, end)``; ``options`` are
    those of :func:`discourse_network`. Statements of undated articles are left out.

    ``modularity=False`` skips the modularity (a Louvain partition per window, the slow part).
    Plot the result with :func:`plot_time_windows`.

    Columns
    -------
    start : datetime64[ns]
        First day of the window.
    end : datetime64[ns]
        End of the window (exclusive).
    n_statements : int64
        Statements counted in the window.
    n_nodes : int64
        Rows of the window's network.
    n_edges : int64
        Ties: non-zero dyads (one-mode) or non-zero cells (two-mode).
    density : float64
        Ties over possible ties.
    modularity : float64
        Weighted modularity of the Louvain partition (seed 0) of the positive ties; NaN
        without ties or with ``modularity=False``.
    network : object
        The window's network, as :func:`discourse_network` returns it.

    >>> import caucasus_corpus as cc
    >>> w = cc.time_window_networks(cc.load(), window="30D", step="30D", network_type="onemode",
    ...                             variable1="holder", variable2="target", modularity=False)
    >>> int(w["n_statements"].sum()) > 0
    True
    """
    params = dict(network_type="twomode", variable1="organization", variable2="topic", qualifier="polarity",
                  qualifier_aggregation="ignore", normalization="no", duplicates="include", layer="stance", isolates=False)
    unknown = sorted(set(options) - set(params))
    if unknown:
        raise ValueError(f"unknown option(s) {', '.join(unknown)}; time_window_networks takes window, step, "
                         f"modularity, start, stop and {', '.join(params)}")
    params.update(options)
    _check_options(params["network_type"], params["variable1"], params["variable2"], params["qualifier"],
                   params["qualifier_aggregation"], params["normalization"], params["duplicates"], params["layer"])
    try:
        size, move = pd.Timedelta(window), pd.Timedelta(step)
    except ValueError as exc:
        raise ValueError(f"window={window!r} / step={step!r}: give durations such as '30D' or '7D' ({exc})") from None
    if size <= pd.Timedelta(0) or move <= pd.Timedelta(0):
        raise ValueError("window and step must be positive durations such as '30D' and '7D'")
    used, everyone = _statements(corpus, variable1=params["variable1"], variable2=params["variable2"],
                                 qualifier=params["qualifier"], qualifier_aggregation=params["qualifier_aggregation"],
                                 duplicates=params["duplicates"], start=start, stop=stop, layer=params["layer"])
    used = used[used["published"].notna()].sort_values("published", kind="stable")
    everyone = everyone[everyone["published"].notna()]
    rows = []
    if len(used):
        first = _date(start, "start") if start is not None else used["published"].iloc[0]
        last = _date(stop, "stop") if stop is not None else used["published"].iloc[-1]
        when = used["published"].to_numpy()
        lookup = _label_lookup(corpus)
        lo = first.normalize()
        while lo <= last:
            hi = lo + size
            a, b = np.searchsorted(when, np.datetime64(lo), "left"), np.searchsorted(when, np.datetime64(hi), "left")
            net = _network(used.iloc[a:b], everyone, lookup, {**params, "start": lo, "stop": hi})
            ties, density = _edges(net)
            mod = _modularity(net) if modularity and ties else float("nan")
            rows.append({"start": lo, "end": hi, "n_statements": int(b - a), "n_nodes": net.shape[0], "n_edges": ties,
                         "density": density, "modularity": mod, "network": net})
            lo = lo + move
    return typed_frame(rows, WINDOW_COLUMNS)


def plot_time_windows(windows: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Density and modularity of :func:`time_window_networks` over time (window mid-points)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    mid = windows["start"] + (windows["end"] - windows["start"]) / 2
    ax.plot(mid, windows["density"], marker="o", label="density")
    if windows["modularity"].notna().any():
        ax.plot(mid, windows["modularity"], marker="s", label="modularity")
    ax.set_xlabel("window mid-point")
    ax.set_ylabel("value")
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(windows["modularity"].to_numpy(dtype=float), initial=0.0))))
    ax.legend(loc="best")
    ax.set_title("Discourse network over time")
    ax.figure.autofmt_xdate()
    return ax


# -- graphs and files ---------------------------------------------------------------------------------

def _sign(weight: float, aggregation: str) -> int:
    if aggregation == "combine":
        return {1: 1, 2: -1}.get(int(weight), 0)
    if aggregation == "conflict":
        return -1
    return 1 if weight > 0 else -1


def network_graph(network: pd.DataFrame) -> nx.Graph:
    """The network as a ``networkx.Graph``: one undirected edge per dyad (one-mode) or cell
    (two-mode, a bipartite graph with node attribute ``bipartite`` 0 for rows, 1 for columns)
    of non-zero weight. Nodes are keyed by id, with attributes ``label``, ``kind`` (the actor's
    kind, ``topic``, or the variable's name for an attribute value) and ``activity`` (statement
    count); edges carry ``weight`` and ``sign`` (1
    positive, -1 negative: conflict ties, negative subtract weights, combine code 2; 0 mixed).

    >>> import caucasus_corpus as cc
    >>> g = cc.network_graph(cc.discourse_network(cc.load(), variable1="holder", variable2="target"))
    >>> sorted(set(nx for _, nx in g.nodes(data="bipartite")))
    [0, 1]
    """
    import networkx as nx

    attrs = network.attrs
    params = attrs.get("parameters", {})
    onemode = params.get("network_type") == "onemode"
    row_ids = attrs.get("row_ids") or {lab: lab for lab in network.index}
    col_ids = attrs.get("column_ids") or {lab: lab for lab in network.columns}
    activity = attrs.get("activity", {})
    kinds = attrs.get("kinds", {})
    aggregation = params.get("qualifier_aggregation", "ignore")
    g = nx.Graph(network_type=params.get("network_type", ""), qualifier_aggregation=aggregation)
    row_key = {lab: str(row_ids[lab]) for lab in network.index}
    col_key = dict(row_key) if onemode else {}
    if not onemode:
        for lab in network.columns:
            key = str(col_ids[lab])
            col_key[lab] = f"{key} ({network.columns.name})" if key in row_key.values() else key
    for lab, key in row_key.items():
        g.add_node(key, label=str(lab), kind=str(kinds.get(lab, network.index.name)), activity=int(activity.get(lab, 0)),
                   **({} if onemode else {"bipartite": 0}))
    if not onemode:
        for lab, key in col_key.items():
            g.add_node(key, label=str(lab), kind=str(kinds.get(lab, network.columns.name)), activity=int(activity.get(lab, 0)),
                       bipartite=1)
    w = network.to_numpy(dtype=float)
    rows, cols = np.nonzero(np.triu(w, 1) if onemode else w)
    for i, j in zip(rows.tolist(), cols.tolist()):
        value = float(w[i, j])
        g.add_edge(row_key[network.index[i]], col_key[network.columns[j]], weight=value, sign=_sign(value, aggregation))
    return g


def _graph_for_file(network: pd.DataFrame | nx.Graph) -> nx.Graph:
    g = network_graph(network) if isinstance(network, pd.DataFrame) else network.copy()
    g.graph = {k: v for k, v in g.graph.items() if isinstance(v, (str, int, float))}
    return g


def to_graphml(network: pd.DataFrame | nx.Graph, path: str | Path) -> Path:
    """Write the network as GraphML (visone, Gephi, igraph, yEd open it); returns the path."""
    import networkx as nx

    path = Path(path)
    nx.write_graphml(_graph_for_file(network), path)
    return path


def to_gexf(network: pd.DataFrame | nx.Graph, path: str | Path) -> Path:
    """Write the network as GEXF (Gephi's format); returns the path."""
    import networkx as nx

    path = Path(path)
    nx.write_gexf(_graph_for_file(network), path)
    return path


def plot_network(network: pd.DataFrame | nx.Graph, *, ax: Axes | None = None, layout: str = "spring",
                 seed: int = 0, max_label: int = 28) -> Axes:
    """Draw a network: node size by activity (statement count), edge colour by sign (green
    positive, red negative, grey mixed), edge width by weight, labels cut to ``max_label``
    characters. ``layout``: ``spring`` (seeded), ``kamada_kawai``, ``circular`` or, for
    two-mode networks, ``bipartite``."""
    import matplotlib.pyplot as plt
    import networkx as nx

    check_choice("layout", layout, ("spring", "kamada_kawai", "circular", "bipartite"))
    g = network_graph(network) if isinstance(network, pd.DataFrame) else network
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 6))
    if layout == "bipartite":
        top = [n for n, b in g.nodes(data="bipartite") if b == 0]
        if len(top) == g.number_of_nodes():
            raise ValueError("layout='bipartite' needs a two-mode network")
        pos = nx.bipartite_layout(g, top)
    elif layout == "spring":
        pos = nx.spring_layout(g, seed=seed, weight=None)
    elif layout == "kamada_kawai":
        pos = nx.kamada_kawai_layout(g, weight=None)
    else:
        pos = nx.circular_layout(g)
    activity = np.array([max(int(a or 0), 1) for _, a in g.nodes(data="activity")], dtype=float)
    sizes = 120 + 680 * activity / activity.max() if len(activity) else []
    colours = ["#3b75af" if b in (None, 0) else "#e0a030" for _, b in g.nodes(data="bipartite")]
    nx.draw_networkx_nodes(g, pos, ax=ax, node_size=sizes, node_color=colours, alpha=0.85)
    weights = np.array([abs(d["weight"]) for _, _, d in g.edges(data=True)], dtype=float)
    widths = 0.8 + 3.2 * weights / weights.max() if len(weights) and weights.max() > 0 else 1.0
    edge_colours = [{1: "#2e8b57", -1: "#c0392b"}.get(d["sign"], "#888888") for _, _, d in g.edges(data=True)]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, edge_color=edge_colours, alpha=0.7)
    labels = {n: (lab if len(lab) <= max_label else lab[:max_label - 1] + "…") for n, lab in g.nodes(data="label")}
    nx.draw_networkx_labels(g, pos, labels=labels, ax=ax, font_size=8,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    ax.set_axis_off()
    return ax


# -- evidence --------------------------------------------------------------------------------------------

def _resolve_node(value: str, ids: Mapping[str, str], corpus_labels: Mapping[str, str]) -> str | None:
    if value in set(ids.values()):
        return value
    if value in ids:
        return ids[value]
    return corpus_labels.get(value)


def network_evidence(
    corpus: CorpusLike,
    a: str,
    b: str,
    *,
    network_type: str | None = None,
    variable1: str = "organization",
    variable2: str = "topic",
    qualifier: str | None = "polarity",
    qualifier_aggregation: str = "ignore",
    duplicates: str = "include",
    start: Any = None,
    stop: Any = None,
    layer: str = "stance",
) -> pd.DataFrame:
    """The statements behind one tie, with their text, in article and text order.

    ``a`` and ``b`` are ids or labels (an actor's name, a topic's label). A two-mode tie
    (``a`` a ``variable1`` value, ``b`` a ``variable2`` value) is supported by the statements
    of ``a`` about ``b``; a one-mode tie (both ``variable1`` values) by the statements of ``a``
    and of ``b`` about the concepts both spoke about; with ``congruence`` or ``conflict`` only
    the concepts where their polarities agree, or differ. ``network_type`` is inferred from
    ``b`` unless given. The other options are those of :func:`discourse_network`.

    Columns
    -------
    article_id : string
        Article the statement is in.
    record_id : string
        Id of the stance (or claim) record.
    start : int64
        Start of the evidence span (code points).
    end : int64
        End of the evidence span (exclusive).
    text : string
        The evidence text.
    holder : string
        actor_id of the holder (claims: the speaker).
    target : string
        actor_id or topic_id the statement is about.
    polarity : string
        favor, against or none; <NA> for claims.

    >>> import caucasus_corpus as cc
    >>> ev = cc.network_evidence(cc.load(), "hikmat-hajiyev", "vak-closure", variable1="holder")
    >>> sorted(ev["polarity"].unique())
    ['against']
    """
    for net_type in ([network_type] if network_type is not None else ["twomode"]):
        _check_options(net_type, variable1, variable2, qualifier,
                       "ignore" if network_type is None else qualifier_aggregation, "no", duplicates, layer)
    used, _ = _statements(corpus, variable1=variable1, variable2=variable2, qualifier=qualifier,
                          qualifier_aggregation=qualifier_aggregation, duplicates=duplicates, start=start, stop=stop,
                          layer=layer)
    lookup = dict(zip(corpus.actors["name"], corpus.actors["actor_id"]))
    lookup.update(zip(corpus.topics["label"], corpus.topics["topic_id"]))
    v1_ids = {v: v for v in used["v1"].unique()}
    v2_ids = {v: v for v in used["v2"].unique()}
    node_a = _resolve_node(a, v1_ids, lookup)
    if node_a not in v1_ids:
        raise KeyError(f"{a!r} is not a {variable1} of any statement counted; give an id or label of the network's rows")
    node_b2, node_b1 = _resolve_node(b, v2_ids, lookup), _resolve_node(b, v1_ids, lookup)
    if network_type is None:
        if (node_b2 in v2_ids) == (node_b1 in v1_ids):
            raise ValueError(f"{b!r} is {'both' if node_b2 in v2_ids else 'neither'} a {variable1} and {'' if node_b2 in v2_ids else 'nor '}"
                             f"a {variable2} of the statements; pass network_type='onemode' or 'twomode'")
        network_type = "twomode" if node_b2 in v2_ids else "onemode"
        _check_options(network_type, variable1, variable2, qualifier, qualifier_aggregation, "no", duplicates, layer)
    if network_type == "twomode":
        if node_b2 not in v2_ids:
            raise KeyError(f"{b!r} is not a {variable2} of any statement counted")
        rows = used[(used["v1"] == node_a) & (used["v2"] == node_b2)]
    else:
        if node_b1 not in v1_ids:
            raise KeyError(f"{b!r} is not a {variable1} of any statement counted")
        mine, theirs = used[used["v1"] == node_a], used[used["v1"] == node_b1]
        if qualifier_aggregation in ("ignore", "subtract"):
            shared = set(mine["v2"]) & set(theirs["v2"])
            keep_a, keep_b = mine["v2"].isin(shared), theirs["v2"].isin(shared)
        else:
            def cells(frame: pd.DataFrame) -> set[tuple[str, int]]:
                return set(zip(frame["v2"], frame["level"])) if len(frame) else set()

            ca, cb = cells(mine[mine["level"] < 2]), cells(theirs[theirs["level"] < 2])
            if qualifier_aggregation == "congruence":
                pa = pb = ca & cb
            else:
                pa = {(c, k) for c, k in ca if (c, 1 - k) in cb}
                pb = {(c, k) for c, k in cb if (c, 1 - k) in ca}
            keep_a = pd.Series([x in pa for x in zip(mine["v2"], mine["level"])], index=mine.index, dtype=bool)
            keep_b = pd.Series([x in pb for x in zip(theirs["v2"], theirs["level"])], index=theirs.index, dtype=bool)
        rows = pd.concat([mine[keep_a], theirs[keep_b]])
    records = {"stance": corpus.stance, "claim": corpus.claims}[layer].set_index("id")
    picked = records.loc[rows["record_id"].drop_duplicates()]
    out = pd.DataFrame({"article_id": picked["article_id"].to_numpy(), "record_id": picked.index.to_numpy(),
                        "start": picked["start"].to_numpy(), "end": picked["end"].to_numpy(),
                        "text": picked["text"].to_numpy(),
                        "holder": (picked["holder"] if layer == "stance" else picked["speaker"]).to_numpy(),
                        "target": rows.drop_duplicates("record_id")["target"].to_numpy(),
                        "polarity": picked["polarity"].to_numpy() if layer == "stance" else pd.NA})
    out = typed_frame(out.to_dict("records"), EVIDENCE_COLUMNS)
    return out.sort_values(["article_id", "start", "end", "record_id"], ignore_index=True)
