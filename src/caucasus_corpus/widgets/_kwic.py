"""``kwic_explorer``: a live concordance with every ``Corpus.kwic`` option, and hits opened in context."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pandas as pd

from .. import _html
from .._options import check_choice
from ..errors import CorpusError
from ..text import paragraph_spans
from ..vocab import MATCH_MODES, SPEAKER_LAYERS
from ._article import article_header
from ._common import LAYERS, ScrollBox, actor_names, article_spans

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
TYPING_PAUSE_S = 0.3  # the search runs this long after the last key typed in the query box


# The layers whose records have a speaker or holder: what the speaker filter can look inside.
_VOICED = (*SPEAKER_LAYERS, "stance")


def speakers(corpus: Corpus) -> dict[str, dict[str, int]]:
    """actor_id -> how many claims, threats and stances the actor makes or holds, for the actors
    who make or hold at least one (the only ones the speaker filter can find anything for)."""
    if not corpus.has_annotations:
        return {}
    ann = corpus.annotations
    ann = ann[ann["layer"].isin(_VOICED)]
    counts = ann.groupby(["actor", "layer"]).size()
    out: dict[str, dict[str, int]] = {}
    for (actor, layer), n in counts.items():
        out.setdefault(str(actor), {x: 0 for x in _VOICED})[str(layer)] = int(n)
    return out


def _says(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {layer}{'s' if n != 1 else ''}" for layer, n in counts.items() if n) or "no claims, threats or stances"


def export_name(query: str, folder: Path, *, now: dt.datetime | None = None) -> Path:
    """A new file name for a CSV export of ``query``: ``kwic-<query>-<date>-<time>.csv`` in
    ``folder``, with ``-2``, ``-3``, ... added rather than overwriting a file."""
    slug = re.sub(r"[^0-9A-Za-z]+", "-", query).strip("-")[:40] or "query"
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"kwic-{slug}-{stamp}.csv"
    n = 2
    while path.exists():
        path = folder / f"kwic-{slug}-{stamp}-{n}.csv"
        n += 1
    return path


def csv_frame(result: pd.DataFrame) -> pd.DataFrame:
    """The frame an export writes: ``result`` with each ``annotations`` list as ids joined by
    ``;`` (a CSV cell holds text, and spreadsheets split on that easily)."""
    out = pd.DataFrame(result).copy()
    if "annotations" in out.columns:
        out["annotations"] = [";".join(map(str, ids)) for ids in out["annotations"]]
    return out


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

    Controls: ``query`` (Text; the search runs as you type, a moment after the last key, and at
    once when code sets it), ``match``, ``window``, ``case``, ``sort``, ``article``,
    ``speaker`` (only the actors who make claims or threats or hold stances, with their counts), ``layer``.
    Results: ``status`` (HTML: hit count, the error, or that the result is being updated),
    ``table`` (HTML concordance), ``result`` (the DataFrame from ``Corpus.kwic``).
    ``hit`` (Dropdown) opens one hit in ``context`` (a box that scrolls to the hit), whose
    ``whole_article`` checkbox widens the view from the paragraph to the whole article.
    ``export`` (Button) writes ``result`` to a new CSV file named after the query in
    ``export_folder`` (the notebook's folder unless set) and says where; :meth:`save_csv` does
    the same from code.
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
        self._speakers = speakers(corpus)
        self._names = names
        narrow = w.Layout(width="auto")
        self.query = w.Text(value=query, placeholder="word, phrase, glob (Russia*) or regex", description="query",
                            continuous_update=True, layout=w.Layout(width="40%"))
        self.query.add_class("cc-kwic-query")
        self.match = w.ToggleButtons(options=MATCH_MODES, value=match, description="match", style={"button_width": "5em"})
        self.window = w.IntSlider(value=window, min=0, max=30, description="window", continuous_update=False)
        self.case = w.Checkbox(value=case, description="match case", indent=False, layout=narrow)
        self.sort = w.Dropdown(options=SORTS, value=sort or "", description="sort")
        self.article = w.Dropdown(options=[("all articles", ""), *[(a, a) for a in corpus.article_ids]],
                                  value="", description="article")
        # Only actors who speak can be picked: any other actor gives no hits by definition. An
        # actor passed in by code who never speaks is listed too, and the status says why.
        listed = set(self._speakers) | ({speaker} if speaker else set())
        order = sorted(listed, key=lambda a: names.get(a, a).casefold())
        self.speaker = w.Dropdown(
            options=[("anyone", ""), *[(f"{names.get(a, a)} ({_says(self._speakers.get(a, {}))})", a) for a in order]],
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
        self.whole_article.add_class("cc-kwic-whole")
        self.context = ScrollBox(max_height="24em", target=".cc-hit-mark")
        self.context.add_class("cc-kwic-context")
        self.export = w.Button(description="save CSV", icon="download", tooltip="write the hits to a new CSV file",
                               layout=w.Layout(width="auto"))
        self.export.add_class("cc-kwic-export")
        self.saved = w.HTML()
        self.saved.add_class("cc-kwic-saved")
        self.export_folder: Path | None = None
        self.result: pd.DataFrame = pd.DataFrame()
        self.error: str | None = None
        self._searched: str | None = None
        self._pending: asyncio.TimerHandle | None = None

        self.query.observe(self._typed, names="value")
        for control in (self.match, self.window, self.case, self.sort, self.article, self.speaker, self.layer):
            control.observe(self._search, names="value")
        self.export.on_click(lambda _button: self._export())
        self.hit.observe(self._open, names="value")
        self.whole_article.observe(self._open, names="value")
        filters = w.HBox([self.article, self.speaker, self.layer])
        if not annotated:
            filters.children += (w.HTML(_html.message("no annotations: speaker and layer filters are off")),)
        super().__init__([
            w.HBox([self.query, self.case]),
            w.HBox([self.match, self.window, self.sort]),
            filters,
            w.HBox([self.status, self.export, self.saved], layout=w.Layout(align_items="center")),
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

    def _typed(self, _change: object = None) -> None:
        """The query box changed: search now when code set it; a moment after the last key when
        a person is typing (each key would otherwise start a search), saying meanwhile that the
        table still shows the previous query."""
        # ipywidgets holds a value that comes from the browser in _property_lock while it
        # notifies observers: that is how a key typed is told from a value set by code.
        typed = "value" in getattr(self.query, "_property_lock", {})
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if not typed or loop is None:
            self._search()
            return
        if self._pending is not None:
            self._pending.cancel()
        if self._searched is not None and self.query.value.strip() != self._searched:
            self.status.value = (f'<p class="cc-count cc-stale" style="color:#777"><em>searching for '
                                 f"<code>{_html.esc(self.query.value.strip())}</code>… (the table still shows "
                                 f"<code>{_html.esc(self._searched)}</code>)</em></p>")
        self._pending = loop.call_later(TYPING_PAUSE_S, self._search)

    def _search(self, _change: object = None) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        query = self.query.value.strip()
        self._searched = query
        self.saved.value = ""
        self.error = None
        if not query:
            self.result = pd.DataFrame()
            self.status.value = _html.message("Type a query: the hits appear as you type.")
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
                why = ""
                who = self.speaker.value
                if who and not n:
                    inside = f"{self.layer.value}s" if self.layer.value else "claims and threats"
                    why = (f" (the speaker filter looks inside {_html.esc(inside)}; {_html.esc(self._names.get(who, who))} "
                           f"has {_html.esc(_says(self._speakers.get(who, {})))}, and none of them contains the query)")
                self.status.value = (f'<p class="cc-count"><b>{n}</b> hit(s) for <code>{_html.esc(query)}</code> '
                                     f"in <b>{articles}</b> article(s){why}</p>")
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

    def save_csv(self, path: str | Path | None = None) -> Path:
        """Write the current ``result`` to ``path`` (default: a new file named after the query in
        ``export_folder`` or the current folder) as CSV, all hits and columns, ``annotations`` as
        ids joined by ``;``; return the path written."""
        if self.result.empty:
            raise ValueError("there are no hits to save: run a query that finds something first")
        target = Path(path) if path is not None else export_name(self._searched or "", self.export_folder or Path.cwd())
        csv_frame(self.result).to_csv(target, index=False)
        return target

    def _export(self) -> None:
        try:
            target = self.save_csv()
        except (OSError, ValueError) as exc:
            self.saved.value = f'<span class="cc-error" style="color:#b00020">{_html.esc(exc)}</span>'
        else:
            self.saved.value = (f'<span class="cc-saved-path">saved {len(self.result)} hit(s) to '
                                f"<code>{_html.esc(target)}</code></span>")

    def open_hit(self, number: int) -> None:
        """Show hit ``number`` (1-based, as numbered in the table) in its article."""
        if not 1 <= number <= min(len(self.result), MAX_ROWS):
            raise ValueError(f"hit {number} does not exist; there are {len(self.result)} hit(s)")
        self.hit.value = number - 1


def kwic_explorer(corpus: Corpus, *, query: str = "", match: str = "exact", window: int = 5, case: bool = False,
                  sort: str | None = None, speaker: str | None = None, layer: str | None = None) -> KwicExplorer:
    """A live keyword-in-context explorer over ``corpus`` (ipywidgets).

    Type a query (the hits appear as you type); change the match mode (exact, glob, regex), the window, case,
    sort order, article, or, in an annotated corpus, restrict hits to what one speaker says or
    to one annotation layer. The table updates at once; pick a hit under it to read it in its
    article, with annotations highlighted; "save CSV" writes the hits to a file. The keyword arguments set the controls' first values
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
