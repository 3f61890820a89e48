"""``kwic_explorer``: a live concordance with every ``Corpus.kwic`` option, and hits opened in context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pandas as pd

from .. import _html
from .._options import check_choice
from ..errors import CorpusError
from ..text import paragraph_spans
from ..vocab import MATCH_MODES
from ._article import article_header
from ._common import LAYERS, actor_names, article_spans

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike as Corpus

# The sort orders offered: corpus order, then AntConc's usual ones (1st word right/left, keyword).
# ipywidgets shows a Dropdown whose value is None as empty, so "no choice" is "" in the controls.
SORTS: tuple[tuple[str, str], ...] = (
    ("corpus order", ""),
    ("keyword", "KW"),
    ("1st right, 2nd right", "R1,R2"),
    ("1st left, 2nd left", "L1,L2"),
    ("1st right", "R1"),
    ("1st left", "L1"),
)
MAX_ROWS = 500  # rows drawn in the table; the full result stays in .result
NO_HIT = "(pick a hit to read it in its article)"


def concordance_html(result: pd.DataFrame, *, max_rows: int = MAX_ROWS) -> str:
    """The hits as a concordance that fits the box (numbered like the hit picker; the article id,
    token and characters of a hit on hover over its number), every cell escaped."""
    if result.empty:
        return _html.message("No hits.")
    shown = result.head(max_rows)
    labels = [str(n) for n in range(1, len(shown) + 1)]
    titles = [f"{r.article_id}, token {r.token_index}, characters {r.start}-{r.end}" for r in shown.itertuples(index=False)]
    more = _html.message(f"{len(result) - max_rows} more hit(s) not drawn; all are in .result") if len(result) > max_rows else ""
    return _html.kwic_table(shown, labels=labels, titles=titles, keyword_color="#b3541e") + more


def context_html(corpus: Corpus, article_id: str, start: int, end: int, *, whole: bool = False) -> str:
    """The paragraph (or whole article) around characters ``start:end``, hit boxed, annotations shown."""
    text = corpus.text(article_id)
    lo, hi = 0, len(text)
    if not whole:
        lo, hi = next(((a, b) for a, b in paragraph_spans(text) if a <= start < b), (0, len(text)))
    spans = [
        _html.Span(max(s.start, lo) - lo, min(s.end, hi) - lo, s.layer, s.record_id, s.title, s.label if s.start >= lo else None)
        for s in article_spans(corpus, article_id, LAYERS)
        if s.start < hi and s.end > lo
    ]
    spans.append(_html.Span(start - lo, end - lo, "hit", "hit", f"the hit: characters {start}-{end}", extra_classes=("cc-hit-mark",)))
    where = "the whole article" if whole else f"its paragraph (characters {lo}-{hi})"
    return (
        article_header(corpus, article_id)
        + _html.message(f"Characters {start}-{end}, shown in {where}. Hover over a highlight for its annotation.")
        + _html.highlight(text[lo:hi], spans, css_class="cc-article cc-kwic-context-text")
    )


class KwicExplorer(w.VBox):
    """The widget :func:`kwic_explorer` returns. Its controls are attributes, so code can drive it.

    Controls: ``query`` (Text; the search runs on Enter or when it loses focus), ``match``,
    ``window``, ``case``, ``sort``, ``article``, ``speaker``, ``layer``. Results: ``status``
    (HTML: hit count or the error), ``table`` (HTML concordance), ``result`` (the DataFrame
    from ``Corpus.kwic``). ``hit`` (Dropdown) opens one hit in ``context`` (HTML), whose
    ``whole_article`` checkbox widens the view from the paragraph to the whole article.
    """

    def __init__(self, corpus: Corpus, *, query: str = "", match: str = "exact", window: int = 5,
                 case: bool = False, sort: str | None = None, speaker: str | None = None,
                 layer: str | None = None) -> None:
        check_choice("match", match, MATCH_MODES)
        check_choice("sort", sort, [None, *(v for _, v in SORTS if v)])
        if layer is not None:
            check_choice("layer", layer, LAYERS)
        if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 30:
            raise ValueError(f"window={window!r} is not valid; give a whole number of tokens from 0 to 30")
        self.corpus = corpus
        annotated = corpus.has_annotations
        names = actor_names(corpus)
        if speaker is not None:
            speaker = corpus.resolve_actor(speaker)
        narrow = w.Layout(width="auto")
        self.query = w.Text(value=query, placeholder="word, phrase, glob (Russia*) or regex", description="query",
                            continuous_update=False, layout=w.Layout(width="40%"))
        self.query.add_class("cc-kwic-query")
        self.match = w.ToggleButtons(options=MATCH_MODES, value=match, description="match", style={"button_width": "5em"})
        self.window = w.IntSlider(value=window, min=0, max=30, description="window", continuous_update=False)
        self.case = w.Checkbox(value=case, description="match case", indent=False, layout=narrow)
        self.sort = w.Dropdown(options=SORTS, value=sort or "", description="sort")
        self.article = w.Dropdown(options=[("all articles", ""), *[(a, a) for a in corpus.article_ids]],
                                  value="", description="article")
        speakers = sorted(names, key=lambda a: names[a].casefold())
        self.speaker = w.Dropdown(options=[("anyone", ""), *[(f"{names[a]} ({a})", a) for a in speakers]],
                                  value=speaker or "", description="speaker", disabled=not annotated)
        self.layer = w.Dropdown(options=[("anywhere", ""), *[(f"inside {x}s", x) for x in LAYERS]],
                                value=layer or "", description="layer", disabled=not annotated)
        self.status = w.HTML()
        self.status.add_class("cc-kwic-status")
        self.table = w.HTML(layout=w.Layout(max_height="26em", overflow="auto"))
        self.table.add_class("cc-kwic-table-box")
        self.hit = w.Dropdown(options=[(NO_HIT, -1)], value=-1,
                              description="open hit", layout=w.Layout(width="90%"))
        self.hit.add_class("cc-kwic-hit")
        self.whole_article = w.Checkbox(value=False, description="whole article", indent=False, layout=narrow)
        self.context = w.HTML(layout=w.Layout(max_height="30em", overflow="auto"))
        self.context.add_class("cc-kwic-context")
        self.result: pd.DataFrame = pd.DataFrame()
        self.error: str | None = None

        for control in (self.query, self.match, self.window, self.case, self.sort, self.article, self.speaker, self.layer):
            control.observe(self._search, names="value")
        self.hit.observe(self._open, names="value")
        self.whole_article.observe(self._open, names="value")
        filters = w.HBox([self.article, self.speaker, self.layer])
        if not annotated:
            filters.children += (w.HTML(_html.message("no annotations: speaker and layer filters are off")),)
        super().__init__([
            w.HBox([self.query, self.case]),
            w.HBox([self.match, self.window, self.sort]),
            filters,
            self.status,
            self.table,
            w.HBox([self.hit, self.whole_article]),
            self.context,
        ])
        self.add_class("cc-kwic")
        self._search()

    def options(self) -> dict[str, Any]:
        """The ``Corpus.kwic`` keyword arguments the controls currently set."""
        return {"window": self.window.value, "match": self.match.value, "case": self.case.value,
                "sort": self.sort.value or None, "article": self.article.value or None,
                "speaker": self.speaker.value or None, "layer": self.layer.value or None}

    def _search(self, _change: object = None) -> None:
        query = self.query.value.strip()
        self.error = None
        if not query:
            self.result = pd.DataFrame()
            self.status.value = _html.message("Type a query and press Enter.")
            self.table.value = ""
        else:
            try:
                self.result = self.corpus.kwic(query, **self.options())
            except (ValueError, KeyError, CorpusError) as exc:
                # Shown, not raised: a half-typed regex is normal while exploring.
                self.error = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
                self.result = pd.DataFrame()
                self.status.value = f'<p class="cc-error" style="color:#b00020">{_html.esc(self.error)}</p>'
                self.table.value = ""
            else:
                n = len(self.result)
                articles = self.result["article_id"].nunique() if n else 0
                self.status.value = (f'<p class="cc-count"><b>{n}</b> hit(s) for <code>{_html.esc(query)}</code> '
                                     f"in <b>{articles}</b> article(s)</p>")
                self.table.value = concordance_html(self.result)
        labels = [(NO_HIT, -1)]
        for i, r in enumerate(self.result.head(MAX_ROWS).itertuples(index=False)):
            labels.append((f"{i + 1}: …{str(r.left)[-40:]} [{r.keyword}] {str(r.right)[:40]}…", i))
        self.hit.options = labels
        self.hit.value = -1
        self.context.value = ""

    def _open(self, _change: object = None) -> None:
        i = self.hit.value
        if i < 0 or self.result.empty:
            self.context.value = ""
            return
        r = self.result.iloc[i]
        self.context.value = context_html(self.corpus, str(r["article_id"]), int(r["start"]), int(r["end"]),
                                          whole=self.whole_article.value)

    def __repr__(self) -> str:
        state = f"error: {self.error}" if self.error else f"{len(self.result)} hit(s)"
        return f"<KwicExplorer query={self.query.value!r} match={self.match.value!r} window={self.window.value}: {state}>"

    def open_hit(self, number: int) -> None:
        """Show hit ``number`` (1-based, as numbered in the table) in its article."""
        if not 1 <= number <= min(len(self.result), MAX_ROWS):
            raise ValueError(f"hit {number} does not exist; there are {len(self.result)} hit(s)")
        self.hit.value = number - 1


def kwic_explorer(corpus: Corpus, *, query: str = "", match: str = "exact", window: int = 5, case: bool = False,
                  sort: str | None = None, speaker: str | None = None, layer: str | None = None) -> KwicExplorer:
    """A live keyword-in-context explorer over ``corpus`` (ipywidgets).

    Type a query and press Enter; change the match mode (exact, glob, regex), the window, case,
    sort order, article, or, in an annotated corpus, restrict hits to what one speaker says or
    to one annotation layer. The table updates at once; pick a hit under it to read it in its
    article, with annotations highlighted. The keyword arguments set the controls' first values
    (``sort`` is None, ``"KW"``, ``"R1,R2"``, ``"L1,L2"``, ``"R1"`` or ``"L1"``); the options
    mean what they mean in ``Corpus.kwic``.

    >>> import caucasus_corpus as cc
    >>> from caucasus_corpus.widgets import kwic_explorer
    >>> explorer = kwic_explorer(cc.load(), query="Putin")
    >>> explorer.window.value = 2
    >>> list(explorer.result["keyword"].unique())
    ['Putin']
    >>> kwic_explorer(cc.load(), match="fuzzy")
    Traceback (most recent call last):
    ...
    ValueError: match='fuzzy' is not valid; choose one of: 'exact', 'glob', 'regex'
    """
    return KwicExplorer(corpus, query=query, match=match, window=window, case=case, sort=sort,
                        speaker=speaker, layer=layer)
