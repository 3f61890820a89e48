"""Helpers shared by the explorers: option checks, actor names, annotation spans and a box that
scrolls to a highlight."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import pandas as pd
import traitlets

from .._html import Span, cell_text
from .._options import check_choice
from ..vocab import LAYERS

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike as Corpus

_STATIC = Path(__file__).parent / "static"

# Attributes that hold actor ids: shown as "Name (id)" so a reader need not look ids up.
_ACTOR_FIELDS = {"actor", "speaker", "holder", "target", "targets", "via"}


def check_layers(layers: Iterable[str]) -> tuple[str, ...]:
    if isinstance(layers, str):
        layers = (layers,)
    out = tuple(layers)
    for layer in out:
        check_choice("layers", layer, LAYERS)
    return out


def actor_names(corpus: Corpus) -> dict[str, str]:
    """actor_id -> canonical name (empty when the corpus has no annotations)."""
    if not corpus.has_annotations:
        return {}
    actors = corpus.actors
    return dict(zip(actors["actor_id"].astype(str), actors["name"].astype(str)))


def who(actor_id: Any, names: dict[str, str]) -> str:
    """``"Name (id)"`` for a known actor id, the value itself otherwise (e.g. a topic id)."""
    if isinstance(actor_id, (list, tuple)):
        return ", ".join(who(a, names) for a in actor_id)
    text = cell_text(actor_id)
    return f"{names[text]} ({text})" if text in names else text


def describe_record(layer: str, record_id: str, attributes: dict[str, Any], names: dict[str, str],
                    cameo: dict[str, str] | None = None) -> str:
    """Plain-text description of one record (used as hover text): layer, id, every attribute."""
    lines = [f"{layer} {record_id}"]
    for key, value in attributes.items():
        if key == "cue" and isinstance(value, dict):
            value = f"\u201c{value.get('text', '')}\u201d"
        elif key in _ACTOR_FIELDS:
            value = who(value, names)
        elif key == "cameo" and cameo and str(value) in cameo:
            value = f"{value} {cameo[str(value)]}"
        shown = cell_text(value)
        if shown:
            lines.append(f"{key}: {shown}")
    return "\n".join(lines)


def cameo_names(corpus: Corpus) -> dict[str, str]:
    if not corpus.has_annotations:
        return {}
    threats = corpus.threats
    return {str(c): str(n) for c, n in zip(threats["cameo"], threats["cameo_name"]) if not pd.isna(n)}


def cue_spans(corpus: Corpus, article_id: str, layers: Iterable[str]) -> list[Span]:
    """The cues ("said", "warned") of the article's claims and threats in ``layers``, as spans of
    the pseudo-layer ``cue`` (class ``cc-cue``), marked apart from their records' spans."""
    if not corpus.has_annotations:
        return []
    ann = corpus.annotations
    ann = ann[(ann["article_id"] == article_id) & ann["layer"].isin(set(layers))]
    spans = []
    for row in ann.itertuples(index=False):
        cue = row.attributes.get("cue") if isinstance(row.attributes, dict) else None
        if isinstance(cue, dict) and cue.get("start") is not None:
            spans.append(Span(int(cue["start"]), int(cue["end"]), "cue", str(row.id),
                              f"cue of {row.layer} {row.id}: \u201c{cue.get('text', '')}\u201d"))
    return spans


def article_spans(corpus: Corpus, article_id: str, layers: Iterable[str]) -> list[Span]:
    """Highlight spans of one article's records in ``layers``, with hover text and claim speakers."""
    if not corpus.has_annotations:
        return []
    wanted = set(layers)
    names = actor_names(corpus)
    cameo = cameo_names(corpus)
    ann = corpus.annotations
    ann = ann[(ann["article_id"] == article_id) & ann["layer"].isin(wanted)]
    spans = []
    for row in ann.itertuples(index=False):
        title = describe_record(row.layer, row.id, row.attributes, names, cameo)
        label = names.get(str(row.actor), str(row.actor)) if row.layer == "claim" else None
        spans.append(Span(int(row.start), int(row.end), str(row.layer), str(row.id), title, label))
    return spans


def records_frame(corpus: Corpus, article_id: str, layers: Iterable[str]) -> pd.DataFrame:
    """The article's records in ``layers`` as a readable table (actor ids shown with names)."""
    columns = ["id", "layer", "start", "end", "text", "who", "attributes"]
    if not corpus.has_annotations:
        return pd.DataFrame(columns=columns)
    names = actor_names(corpus)
    ann = corpus.annotations
    ann = ann[(ann["article_id"] == article_id) & ann["layer"].isin(set(layers))]
    rows = []
    for row in ann.itertuples(index=False):
        attrs = {k: v for k, v in row.attributes.items() if k not in {"actor", "speaker", "holder"}}
        described = describe_record(row.layer, row.id, attrs, names).split("\n")[1:]
        rows.append({"id": row.id, "layer": row.layer, "start": row.start, "end": row.end, "text": row.text,
                     "who": who(row.actor, names), "attributes": "; ".join(described)})
    return pd.DataFrame(rows, columns=columns)


class ScrollBox(anywidget.AnyWidget):
    """A scrolling box of HTML (like ``ipywidgets.HTML``) that scrolls the element matching the
    CSS selector ``target`` into view whenever ``value`` or ``target`` changes: the hit of a
    concordance line in a whole article, a record picked in the article viewer.

    ``value`` must be HTML built by :mod:`caucasus_corpus._html` (every stored string escaped).
    """

    _esm = _STATIC / "scrollbox.js"
    value = traitlets.Unicode("").tag(sync=True)
    target = traitlets.Unicode("").tag(sync=True)
    max_height = traitlets.Unicode("30em").tag(sync=True)
