"""``article_viewer``: one article with its annotations highlighted by layer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

import ipywidgets as w

from .. import _html
from .._options import unknown_key
from ._common import LAYERS, ScrollBox, article_spans, check_layers, cue_spans, records_frame

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike as Corpus


def article_header(corpus: Corpus, article_id: str) -> str:
    """Title, outlet, date and id of an article, escaped."""
    row = corpus.articles.set_index("article_id").loc[article_id]
    date = "" if row["published"] is None or str(row["published"]) == "NaT" else row["published"].date().isoformat()
    meta = " · ".join(x for x in (_html.esc(row["outlet"]), _html.esc(date), _html.esc(article_id)) if x)
    return f'<h3 class="cc-title">{_html.esc(row["title"])}</h3><p class="cc-meta" style="color:#555">{meta}</p>'


CUE_STYLE = "<style>.cc-article .cc-cue { text-decoration: underline dotted #7a3cc2 2px; text-underline-offset: 3px; }</style>"
CUE_LEGEND = ('<div class="cc-legend cc-legend-cue"><span class="cc-cue" style="text-decoration:underline dotted #7a3cc2 2px">'
              'cue</span> <span style="color:#555">the word that frames a claim or threat (\u201csaid\u201d, '
              '\u201cwarned\u201d)</span></div>')


class ArticleViewer(w.VBox):
    """The widget :func:`article_viewer` returns. Its parts are attributes so code can drive it.

    ``article`` (Dropdown) picks the article; ``layer_toggles[layer]`` (Checkbox) shows or hides
    a layer; ``text`` (a scrolling box of HTML) holds the highlighted article, scrolled to the
    record ``focus`` when one is given; ``records`` (HTML) the table of the shown records with
    every attribute, collapsed under a summary line (click it to open); ``legend`` (HTML) the key.
    """

    def __init__(self, corpus: Corpus, article_id: str, *, layers: Iterable[str] = LAYERS,
                 focus: str | None = None, highlight: Iterable[str] | None = None) -> None:
        shown = check_layers(layers)
        corpus.text(article_id)  # KeyError with close matches for an unknown id
        ids = list(records_frame(corpus, article_id, LAYERS)["id"]) if focus is not None or highlight is not None else []
        if focus is not None and focus not in ids:
            raise unknown_key(f"record id of article {article_id}", focus, ids)
        # Only these records are highlighted (e.g. the evidence of one network tie), in every layer.
        self.highlight = None if highlight is None else list(dict.fromkeys([highlight] if isinstance(highlight, str) else highlight))
        for rid in self.highlight or []:
            if rid not in ids:
                raise unknown_key(f"record id of article {article_id}", rid, ids)
        if self.highlight is not None:
            shown = LAYERS
            focus = focus if focus is not None else (self.highlight[0] if self.highlight else None)
        self.focus = focus
        self.corpus = corpus
        self._focus_article = article_id
        self.article = w.Dropdown(options=corpus.article_ids, value=article_id, description="article",
                                  layout=w.Layout(width="95%"))
        self.layer_toggles = {
            layer: w.Checkbox(value=layer in shown, description=layer, indent=False,
                              disabled=not corpus.has_annotations, layout=w.Layout(width="auto"))
            for layer in LAYERS
        }
        self.header = w.HTML()
        self.legend = w.HTML()
        self.text = ScrollBox(max_height="24em", layout=w.Layout(border="1px solid #ddd", padding="4px"))
        self.records = w.HTML()
        for control in (self.article, *self.layer_toggles.values()):
            control.observe(self._refresh, names="value")
        toggles = w.HBox([w.HTML("<b>layers:</b>"), *self.layer_toggles.values()])
        super().__init__([self.article, toggles, self.legend, self.header, self.text, self.records])
        self.add_class("cc-article-viewer")
        self._refresh()

    def __repr__(self) -> str:
        return f"<ArticleViewer article={self.article.value!r} layers={self.layers}>"

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers currently shown."""
        return tuple(layer for layer, box in self.layer_toggles.items() if box.value)

    def _refresh(self, _change: object = None) -> None:
        aid = self.article.value
        layers = self.layers if self.corpus.has_annotations else ()
        spans = article_spans(self.corpus, aid, layers)
        picked = self.highlight if aid == self._focus_article else None
        if picked is not None:
            spans = [replace(s, extra_classes=("cc-evidence",)) for s in spans if s.record_id in picked]
        self.header.value = article_header(self.corpus, aid)
        # Cues are marked too (a dotted underline, as in the annotator; the style rides with the legend).
        cues = [c for c in cue_spans(self.corpus, aid, layers) if picked is None or c.record_id in picked]
        self.text.value = _html.highlight(self.corpus.text(aid), spans + cues)
        # A record id is a slug (letters, digits, hyphens): safe inside a quoted CSS attribute selector.
        self.text.target = f'[data-ids~="{self.focus}"]' if self.focus and aid == self._focus_article else ""
        if not self.corpus.has_annotations:
            self.legend.value = _html.message("This corpus has no annotations; the text is shown without highlights.")
            self.records.value = ""
            return
        counts = {layer: 0 for layer in LAYERS}
        for s in article_spans(self.corpus, aid, LAYERS):
            counts[s.layer] += 1
        self.legend.value = _html.legend(LAYERS, counts) + CUE_STYLE + CUE_LEGEND + _html.message(
            "Hover over a highlight to see its record and attributes; the list under the text has them all.")
        frame = records_frame(self.corpus, aid, layers)
        if picked is not None:
            frame = frame[frame["id"].isin(picked)]
            self.legend.value += _html.message(f"Only the {len(picked)} record(s) asked for are highlighted "
                                               "(highlight=...), e.g. the evidence of one network tie.")
        # Collapsed, and scrolling inside its own box when opened: a long article has hundreds of
        # records, and the page must not grow by a screen for every twenty of them.
        self.records.value = (
            f'<details class="cc-records-box"><summary style="cursor:pointer"><b>{len(frame)}</b> record(s) in the '
            "layers shown, with every attribute (click to list them)</summary>"
            '<div style="max-height:20em;overflow:auto">'
            f'{_html.table(frame, css_class="cc-table cc-records", max_rows=None, align="left")}</div></details>'
            if len(frame) else _html.message("No records in the layers shown.")
        )


def article_viewer(corpus: Corpus, article_id: str, *, layers: Iterable[str] = LAYERS,
                   focus: str | None = None, highlight: Iterable[str] | None = None) -> ArticleViewer:
    """Show one article with its annotations highlighted, one style per layer.

    ``layers`` are the layers shown at first (mention, claim, threat, stance); tick or untick
    them in the widget. Each highlight's hover text lists the record id and every attribute
    (speakers and targets with their names); each claim is preceded by its speaker's name.
    A corpus without annotations shows the plain text. ``focus`` (a record id of the article, such
    as a threat's ``id``) scrolls the text to that record. The records are listed under the text in
    a collapsed table. ``highlight`` (record ids of the article, such as the ``record_id`` column
    of :func:`caucasus_corpus.network_evidence` for one article) highlights only those records,
    whatever their layer, lists only them, and scrolls to the first.

    >>> import caucasus_corpus as cc
    >>> from caucasus_corpus.widgets import article_viewer
    >>> corpus = cc.load()
    >>> viewer = article_viewer(corpus, corpus.article_ids[0], layers=["claim"])
    >>> viewer.layers
    ('claim',)
    >>> article_viewer(corpus, corpus.article_ids[0], layers=["claims"])
    Traceback (most recent call last):
    ...
    ValueError: layers='claims' is not valid; choose one of: 'mention', 'claim', 'threat', 'stance'
    """
    return ArticleViewer(corpus, article_id, layers=layers, focus=focus, highlight=highlight)
