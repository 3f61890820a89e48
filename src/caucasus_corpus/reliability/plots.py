"""Plots of agreement: figures per layer and attribute as bars, and a confusion matrix as a heatmap.

Both return the matplotlib Axes (drawn on ``ax`` when given) and never call ``plt.show()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes


def plot_agreement(frame: pd.DataFrame, *, measures: tuple[str, ...] = ("f1_overlap", "alpha_tokens", "kappa", "alpha"),
                   ax: Axes | None = None) -> Axes:
    """A horizontal bar per figure of ``frame`` (from :func:`~caucasus_corpus.reliability.agreement`)
    over the whole selection, one colour per measure, labelled ``layer / attribute`` and, when there
    are several, by pair of annotators. An undefined figure (NaN) is left without a bar and its
    label says ``undefined``."""
    import numpy as np

    rows = frame[frame["article_id"].isna() & frame["measure"].isin(measures)]
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 0.6 + 0.3 * max(len(rows), 1)))
    names = rows[["annotator_a", "annotator_b"]].astype(object).fillna("")
    several = len(names.drop_duplicates()) > 1
    labels = []
    for (_i, r), (a, b) in zip(rows.iterrows(), names.itertuples(index=False)):
        who = "" if not several else (f" ({a} vs {b})" if a else " (all)")
        undefined = " undefined" if np.isnan(r["value"]) else ""
        labels.append(f"{r['layer']} / {r['attribute']} {r['measure']}{who}{undefined}")
    colours = {m: f"C{k}" for k, m in enumerate(measures)}
    ax.barh(range(len(rows)), rows["value"].fillna(0).to_numpy(), color=[colours[m] for m in rows["measure"]], gid="agreement")
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(min(0.0, float(rows["value"].min()) if len(rows) and rows["value"].notna().any() else 0.0), 1.0)
    ax.axvline(0, color="0.5", linewidth=0.5)
    ax.set_xlabel("agreement (1 = perfect; 0 = chance level for kappa and alpha)")
    ax.set_title("Agreement between annotators")
    return ax


def plot_confusion(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """A heatmap of a confusion table (from :func:`~caucasus_corpus.reliability.confusion`), counts
    written in the cells; the diagonal is where the two annotators agree."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(1.5 + 0.6 * len(table.columns), 1.2 + 0.5 * len(table.index)))
    values = table.to_numpy()
    ax.imshow(values, cmap="Blues", gid="confusion")
    ax.set_xticks(range(len(table.columns)), [str(c) for c in table.columns], rotation=45, ha="right")
    ax.set_yticks(range(len(table.index)), [str(i) for i in table.index])
    top = values.max() if values.size else 0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, str(values[i, j]), ha="center", va="center", color="white" if values[i, j] > top / 2 else "black")
    ax.set_xlabel(str(table.columns.name))
    ax.set_ylabel(str(table.index.name))
    ax.set_title("Confusion of matched spans")
    return ax
