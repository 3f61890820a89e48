"""HTML for notebooks: tables, highlighted articles and concordances, every string escaped.

Nothing here imports ipywidgets, so ``Corpus._repr_html_`` can use it cheaply. ``widgets.HTML``,
``_repr_html_`` and pandas' Styler insert their input as markup; a stored article that contains
``<img src=x onerror=...>`` must show as text, so every value that reaches HTML goes through
:func:`esc` (text) or :func:`attr` (attribute values, quotes escaped too).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# One visual channel per layer, so that overlapping layers stay distinguishable when combined.
LAYER_STYLES: dict[str, str] = {
    "mention": "font-weight:600;color:#1f4e9c",
    "claim": "background:#fff1a8",
    "threat": "border-bottom:3px solid #d62728",
    "stance": "text-decoration:underline dotted #2ca02c 2px;text-underline-offset:3px",
    "hit": "outline:2px solid #ff7f0e;outline-offset:1px",
}
LAYER_LABELS: dict[str, str] = {
    "mention": "mention (bold blue): a span naming an actor",
    "claim": "claim (yellow): what a speaker says; the speaker is shown before it",
    "threat": "threat (red underline): a signalled harm or sanction",
    "stance": "stance (green dotted underline): evidence of for/against",
    "hit": "hit (orange box): the concordance line you opened",
}


# One colour per value of each attribute, used by every plot (the speaker dashboard, the
# tutorials), so that "direct" is the same blue everywhere. Colour-blind-safe (Okabe-Ito).
PALETTES: dict[str, dict[str, str]] = {
    "attribution": {"direct": "#0072B2", "indirect": "#E69F00", "mixed": "#009E73", "authorial": "#999999"},
    "claim_type": {"assertion": "#0072B2", "evaluation": "#E69F00", "prediction": "#009E73",
                   "demand": "#D55E00", "question": "#CC79A7"},
    "polarity": {"favor": "#0072B2", "against": "#D55E00", "none": "#999999"},
}


def esc(value: Any) -> str:
    """Text content, escaped; missing values (None, NA, NaN) become an empty string."""
    if value is None or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=False)


def attr(value: Any) -> str:
    """An attribute value, escaped with quotes (for ``title="..."``)."""
    if value is None or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def cell_text(value: Any) -> str:
    """A readable plain-text form of a cell: lists joined by commas, dicts as ``key=value``."""
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={cell_text(v)}" for k, v in value.items())
    if value is None or pd.isna(value):
        return ""
    return str(value)


def table(
    frame: pd.DataFrame,
    *,
    css_class: str = "cc-table",
    max_rows: int | None = 200,
    cell_classes: Mapping[str, str] | None = None,
    index: bool = False,
    align: str | None = None,
) -> str:
    """An HTML table of ``frame`` with every header and cell escaped.

    ``cell_classes`` maps a column to a CSS class for its cells (e.g. the KWIC keyword column).
    ``align="left"`` aligns every cell left and to the top, for tables whose text is the point
    (notebook themes align cells right); text is never cut.
    """
    cell_classes = cell_classes or {}
    shown = frame if max_rows is None else frame.head(max_rows)
    cols = list(shown.columns)
    style = f' style="text-align:{attr(align)};vertical-align:top;white-space:pre-wrap"' if align else ""
    head = "".join(f"<th{style}>{esc(c)}</th>" for c in ([shown.index.name or ""] if index else []) + cols)
    rows = []
    for idx, row in zip(shown.index, shown.itertuples(index=False, name=None)):
        cells = [f"<th{style}>{esc(cell_text(idx))}</th>"] if index else []
        for col, value in zip(cols, row):
            cls = cell_classes.get(str(col))
            cls_attr = f' class="{attr(cls)}"' if cls else ""
            cells.append(f"<td{cls_attr}{style}>{esc(cell_text(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if max_rows is not None and len(frame) > max_rows:
        more = f'<p class="cc-more">{len(frame) - max_rows} more row(s) not shown</p>'
    return (
        f'<table class="{attr(css_class)}" style="border-collapse:collapse">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"
    )


def key_value_table(pairs: Iterable[tuple[str, Any]], *, css_class: str = "cc-summary") -> str:
    """A two-column table of labels and values, escaped."""
    rows = "".join(f'<tr><th style="text-align:left">{esc(k)}</th><td style="text-align:left">{esc(cell_text(v))}</td></tr>' for k, v in pairs)
    return f'<table class="{attr(css_class)}">{rows}</table>'


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of text: its layer, the record id and the hover text."""

    start: int
    end: int
    layer: str
    record_id: str
    title: str
    label: str | None = None  # shown before the span (a claim's speaker)
    extra_classes: tuple[str, ...] = field(default_factory=tuple)


def highlight(text: str, spans: Sequence[Span], *, css_class: str = "cc-article") -> str:
    """``text`` as HTML with ``spans`` highlighted; overlapping spans are combined per segment.

    The text is cut at every span boundary; each piece gets the styles of every span covering it
    and a ``title`` listing them all, so nested layers (a mention inside a claim) stay readable.
    """
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Span]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
    out = [f'<div class="{attr(css_class)}" style="white-space:pre-wrap;line-height:1.7">']
    for a, b in zip(bounds, bounds[1:]):
        for s in starts.get(a, []):
            if s.label:
                out.append(
                    f'<sup class="cc-label cc-label-{attr(s.layer)}" title="{attr(s.title)}" '
                    f'style="color:#555;font-size:75%;margin-right:2px">[{esc(s.label)}]</sup>'
                )
        piece = text[a:b]
        active = [s for s in spans if s.start <= a and b <= s.end and s.start < s.end]
        if not active:
            out.append(esc(piece))
            continue
        layers = sorted({s.layer for s in active}, key=lambda x: list(LAYER_STYLES).index(x) if x in LAYER_STYLES else 99)
        classes = ["cc-span", *(f"cc-{layer}" for layer in layers), *(c for s in active for c in s.extra_classes)]
        style = ";".join(LAYER_STYLES.get(layer, "") for layer in layers)
        title = "\n".join(s.title for s in active)
        ids = " ".join(s.record_id for s in active)
        out.append(
            f'<span class="{attr(" ".join(classes))}" data-ids="{attr(ids)}" style="{attr(style)}" '
            f'title="{attr(title)}">{esc(piece)}</span>'
        )
    out.append("</div>")
    return "".join(out)


def legend(layers: Iterable[str], counts: Mapping[str, int] | None = None) -> str:
    """A legend: one sample per layer in its style, with its meaning and (optionally) a count."""
    items = []
    for layer in layers:
        n = f" ({counts.get(layer, 0)})" if counts is not None else ""
        items.append(
            f'<span class="cc-legend-item" style="margin-right:1.2em">'
            f'<span style="{attr(LAYER_STYLES.get(layer, ""))}">{esc(layer)}</span>'
            f' <span style="color:#555">{esc(LAYER_LABELS.get(layer, layer).split(": ", 1)[-1])}{esc(n)}</span></span>'
        )
    return f'<div class="cc-legend">{"".join(items)}</div>'


def message(text: str, *, css_class: str = "cc-message") -> str:
    """A short note (no results, no annotations) as escaped HTML."""
    return f'<p class="{attr(css_class)}" style="color:#555"><em>{esc(text)}</em></p>'


# -- concordances ----------------------------------------------------------------------------------

# Contexts are clipped on the side away from the keyword, so the keyword column keeps its place in
# the middle of the box at any window and any width: the left context is laid out right to left
# (its overflow, and the ellipsis, fall on its left end), the right context left to right. The
# inner span isolates the text, so punctuation keeps its order inside the right-to-left cell.
_KWIC_CELL = "padding:1px 6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:top;"
_KWIC_LEFT = _KWIC_CELL + "text-align:right;direction:rtl;"
_KWIC_RIGHT = _KWIC_CELL + "text-align:left;direction:ltr;"
_KWIC_KW = _KWIC_CELL + "text-align:center;font-weight:bold;"
_KWIC_EXTRA = "padding:1px 6px;white-space:normal;text-align:left;vertical-align:top;overflow-wrap:anywhere;"
KWIC_KEYWORD_MAX_CH = 30  # a longer keyword (a long phrase) is clipped with an ellipsis; its title shows it all


def kwic_table(
    frame: pd.DataFrame,
    *,
    labels: Sequence[str],
    titles: Sequence[str],
    extras: Sequence[str] = (),
    css_class: str = "cc-kwic-table",
    keyword_color: str = "inherit",
) -> str:
    """A concordance that fits its box: short row ``labels`` (with ``titles`` on hover, e.g. the
    full article id), the left context right-aligned and clipped on its left, the keyword in a
    centred column of its own width, the right context clipped on its right, and ``extras``
    (other columns of ``frame``) after it, wrapped. Every cell is escaped; the full context is in
    each cell's ``title``.
    """
    kw_ch = min(KWIC_KEYWORD_MAX_CH, max([len("keyword"), *(len(str(k)) for k in frame["keyword"])])) + 2
    label_ch = max((len(str(x)) for x in labels), default=1) + 2
    extra_ch = [min(28, max([len(str(c)), *(len(cell_text(v)) for v in frame[c])])) + 2 for c in extras]
    cols = (f'<col style="width:{label_ch}ch"><col><col style="width:{kw_ch}ch"><col>'
            + "".join(f'<col style="width:{w}ch">' for w in extra_ch))
    rows = []
    for label, title, (_, r) in zip(labels, titles, frame.iterrows()):
        left, kw, right = cell_text(r["left"]), cell_text(r["keyword"]), cell_text(r["right"])
        rows.append(
            f'<tr class="cc-hit" title="{attr(title)}">'
            f'<td class="cc-label" style="{_KWIC_CELL}text-align:right;color:#777" title="{attr(title)}">{esc(label)}</td>'
            f'<td class="cc-left" style="{_KWIC_LEFT}" title="{attr(left)}"><span style="direction:ltr;unicode-bidi:isolate">{esc(left)}</span></td>'
            f'<td class="cc-kw" style="{_KWIC_KW}color:{attr(keyword_color)}" title="{attr(kw)}">{esc(kw)}</td>'
            f'<td class="cc-right" style="{_KWIC_RIGHT}" title="{attr(right)}">{esc(right)}</td>'
            + "".join(f'<td class="cc-extra" style="{_KWIC_EXTRA}">{esc(cell_text(r[c]))}</td>' for c in extras)
            + "</tr>"
        )
    head = ('<th style="text-align:right">#</th><th style="text-align:right">left</th>'
            '<th style="text-align:center">keyword</th><th style="text-align:left">right</th>'
            + "".join(f'<th style="text-align:left">{esc(c)}</th>' for c in extras))
    return (
        f'<table class="{attr(css_class)}" style="width:100%;max-width:100%;table-layout:fixed;'
        'border-collapse:collapse;font-family:monospace;margin:0">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


class TextTable:
    """A table whose text is the point (claims, notes, titles, aliases): every cell in full,
    left-aligned and wrapped, escaped. Notebooks display it; ``frame`` is the data."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def _repr_html_(self) -> str:
        return table(self.frame, css_class="cc-table cc-text-table", max_rows=None, align="left")

    def __repr__(self) -> str:
        return repr(self.frame)
