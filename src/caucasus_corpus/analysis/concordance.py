"""Keyword in context (KWIC): token-based matching, AntConc-style sorting, annotation-aware filters.

Matching works on the corpus's own tokens (see :mod:`caucasus_corpus.text`), never on substrings
of tokens: ``Russia`` does not match inside ``Russia's``; the glob ``Russia*`` does.

How a query becomes token patterns:

* ``match="exact"``: the query is tokenised by the corpus's rules, so ``"Nagorno-Karabakh
  conflict"`` is two tokens and ``"conflict,"`` is ``conflict`` followed by ``,``;
* ``match="glob"`` and ``match="regex"``: the query is split on white space and each part must
  match one whole token (``fnmatch`` syntax, or a Python regular expression that must match the
  whole token, as with ``re.fullmatch``).

A list of strings instead of one string gives the token patterns directly.

``case=False`` (the default) compares folded forms (:mod:`caucasus_corpus.text.folding`): Unicode
case folding, plus the four i's of Azerbaijani and Turkish matching each other (``BAKI``, ``Bakı``
and ``baki`` are one word; ``kwic("ilham")`` finds ``İlham``), ``ё`` matching ``е``, Georgian
Mtavruli capitals matching Mkhedruli, the Armenian ``և`` matching ``եւ``, composed matching
decomposed. ``case=True`` matches exactly as written. The keyword column always shows the text as
written. A glob is folded before matching; a regex matches a word when it matches, ignoring
case, the word as written or its folded form; either way every spelling that folds alike is found.

Speed: queries go to the corpus's token engine (``corpus.engine``, see
:mod:`caucasus_corpus.engine`), which indexes the tokens once and looks words up in a vocabulary
instead of scanning every token; ``benchmarks/bench_engine.py`` compares this with NLTK's
``ConcordanceIndex`` and with conc at a million tokens and more.

Limit of the token rules: text in scripts written without spaces (Chinese, Japanese, Thai, ...)
is one token per run of characters, so an exact query for a word inside a run finds nothing (an
empty result says so); a glob such as ``*東京*`` finds it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import _html
from .._options import check_choice, unknown_key
from ..model.protocol import require_annotations
from ..text.folding import fold_types
from ..vocab import LAYERS, MATCH_MODES, SPEAKER_LAYERS

if TYPE_CHECKING:
    from ..engine.base import TokenEngine
    from ..model.protocol import CorpusLike as Corpus

__all__ = ["KWIC_COLUMNS", "MATCH_MODES", "Concordance", "containing", "kwic", "parse_query", "sort_keys"]

KWIC_COLUMNS = {
    "article_id": "string",
    "token_index": "int64",
    "n_tokens": "int64",
    "start": "int64",
    "end": "int64",
    "left": "string",
    "keyword": "string",
    "right": "string",
    "annotations": "object",
}

# Columns a concordance shows in its own way (label, hover text, the three context columns).
_SHOWN = {"article_id", "token_index", "n_tokens", "start", "end", "left", "keyword", "right"}

#: The largest ``window`` kwic and collocates accept: a context of more tokens is a text, not a context.
MAX_WINDOW = 1000

# Scripts written without spaces between words: a run of their letters is one token.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# -- queries ---------------------------------------------------------------------------------------


def parse_query(query: str | Sequence[str], match: str) -> list[str]:
    """The token patterns of a query (see the module docstring); ``ValueError`` when there are none."""
    from ..text import TOKEN_PATTERN

    if isinstance(query, str):
        parts = re.findall(TOKEN_PATTERN, query) if match == "exact" else query.split()
    elif isinstance(query, Sequence) and all(isinstance(q, str) for q in query):
        parts = [q for q in query if q.strip()]
    else:
        raise TypeError(f"query must be a string or a list of strings, not {type(query).__name__}")
    if not parts:
        raise ValueError(f"empty query {query!r}: give at least one word to look for")
    return parts


# -- the result ------------------------------------------------------------------------------------


class Concordance(pd.DataFrame):
    """A KWIC result: a pandas DataFrame (see :func:`kwic` for its columns) that displays as an
    aligned concordance, as HTML in a notebook and as plain text in a terminal.

    Use it like any DataFrame; ``pd.DataFrame(result)`` gives the plain table view.
    """

    @property
    def _constructor(self):  # type: ignore[no-untyped-def,override]
        return Concordance

    def _is_concordance(self) -> bool:
        return {"left", "keyword", "right"} <= set(self.columns)

    def _title(self) -> str:
        query = self.attrs.get("query")
        what = f" for {query!r}" if query is not None else ""
        return f"{len(self)} hit{'s' if len(self) != 1 else ''}{what}{self._note()}"

    def _note(self) -> str:
        """Why a query in Chinese, Japanese, Thai, ... may find nothing (the token rules' limit)."""
        query = self.attrs.get("query")
        words = [query] if isinstance(query, str) else list(query or [])
        if len(self) or not any(_UNSPACED.search(str(w)) for w in words):
            return ""
        return (" (text in scripts written without spaces, such as Chinese, Japanese or Thai, is one "
                "token per run of characters, not one per word: try match='glob' with *word*)")

    def _extras(self) -> list[str]:
        """Columns shown after the right context: any the caller added or picked (a claim's cue,
        its attribution, ...); ``annotations`` only when the frame is not a plain kwic result."""
        plain = list(self.columns) == list(KWIC_COLUMNS)
        return [c for c in self.columns if c not in _SHOWN and not (plain and c == "annotations")]

    def _labels(self, shown: pd.DataFrame) -> tuple[list[str], list[str]]:
        """Short row labels (the row's index, as ``result.loc`` takes it) and, for hover, where
        each hit is: the full article id, token and characters."""
        labels = [str(i) for i in shown.index]
        cols = set(shown.columns)
        titles = []
        for _, r in shown.iterrows():
            where = [f"{r['article_id']}" if "article_id" in cols else "",
                     f"token {r['token_index']}" if "token_index" in cols else "",
                     f"characters {r['start']}-{r['end']}" if {"start", "end"} <= cols else ""]
            titles.append(", ".join(x for x in where if x))
        return labels, titles

    def _articles_note(self, shown: pd.DataFrame) -> str:
        if "article_id" not in shown.columns or not len(shown):
            return ""
        ids = list(dict.fromkeys(str(a) for a in shown["article_id"]))
        return f"in article {ids[0]}" if len(ids) == 1 else f"in {len(ids)} articles (hover over a row number for its article)"

    def to_text(self, *, width: int = 40, max_rows: int | None = None) -> str:
        """Plain-text concordance: left context right-justified so the keywords line up.

        Rows are labelled by their index (``result.loc[label]``); the article ids are in the
        ``article_id`` column. ``width`` caps each context column (cut on the side away from
        the keyword, marked with …); ``max_rows=None`` prints every hit.
        """
        lines = [self._title()]
        shown = self if max_rows is None or len(self) <= max_rows else self.head(max_rows)
        if len(shown):
            loc = [str(i) for i in shown.index]
            left = [_cut_left(str(s), width) for s in shown["left"]]
            right = [_cut_right(str(s), width) for s in shown["right"]]
            kw = [str(s) for s in shown["keyword"]]
            extras = self._extras()
            wl, wk, wloc, wr = max(map(len, left)), max(map(len, kw)), max(map(len, loc)), max(map(len, right))
            for i, (lo, le, k, r) in enumerate(zip(loc, left, kw, right)):
                more = "  ".join(_html.cell_text(shown[c].iloc[i]) for c in extras)
                line = f"{lo.rjust(wloc)}  {le.rjust(wl)}  {k.ljust(wk)}  {r.ljust(wr) if more else r}"
                lines.append(f"{line}  {more}".rstrip() if more else line.rstrip())
        if len(shown) < len(self):
            lines.append(f"... {len(self) - len(shown)} more (print(result.to_text()) shows all)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        if not self._is_concordance():
            return super().__repr__()
        return self.to_text(max_rows=pd.get_option("display.max_rows"))

    def _repr_html_(self) -> str | None:  # type: ignore[override]
        if not self._is_concordance():
            return super()._repr_html_()
        max_rows = pd.get_option("display.max_rows")
        shown = self if len(self) <= max_rows else self.head(max_rows)
        labels, titles = self._labels(shown)
        note = self._articles_note(shown)
        more = f"<p>… {len(self) - len(shown)} more</p>" if len(shown) < len(self) else ""
        where = f' <span style="color:#666">{_html.esc(note)}</span>' if note else ""
        return (
            f'<div class="caucasus-corpus-kwic"><p>{_html.esc(self._title())}{where}</p>'
            f"{_html.kwic_table(shown, labels=labels, titles=titles, extras=self._extras())}{more}</div>"
        )


def _cut_left(s: str, width: int) -> str:
    return s if len(s) <= width else "…" + s[len(s) - width + 1 :]


def _cut_right(s: str, width: int) -> str:
    return s if len(s) <= width else s[: width - 1] + "…"


# -- annotations -----------------------------------------------------------------------------------


def _filter_spans(corpus: Corpus, speaker: str | None, layer: str | None) -> pd.DataFrame:
    """Annotation spans that hits must fall in, for the speaker=/layer= filters."""
    what = "kwic(speaker=...)" if speaker is not None else "kwic(layer=...)"
    require_annotations(corpus, what)
    spans = corpus.annotations
    if layer is not None:
        spans = spans[spans["layer"] == layer]
    if speaker is not None:
        if layer == "mention":
            raise ValueError("speaker= looks inside what an actor says or holds: use it with layer='claim', 'threat' or 'stance' (or no layer)")
        actor = corpus.resolve_actor(speaker)
        layers = SPEAKER_LAYERS if layer is None else (layer,)
        spans = spans[spans["layer"].isin(layers) & (spans["actor"] == actor)]
    return spans


def containing(hits: pd.DataFrame, spans: pd.DataFrame) -> list[list[str]]:
    """For each hit (article_id, start, end), the ids of the spans that contain it, by span start."""
    if hits.empty or spans.empty:
        return [[] for _ in range(len(hits))]
    h = pd.DataFrame({"_row": np.arange(len(hits)), "article_id": hits["article_id"].to_numpy(dtype=object),
                      "start": hits["start"].to_numpy(), "end": hits["end"].to_numpy()})
    s = pd.DataFrame({"article_id": spans["article_id"].to_numpy(dtype=object), "id": spans["id"].to_numpy(dtype=object),
                      "s_start": spans["start"].to_numpy(), "s_end": spans["end"].to_numpy()})
    m = h.merge(s, on="article_id")
    m = m[(m["s_start"] <= m["start"]) & (m["end"] <= m["s_end"])].sort_values(["_row", "s_start", "s_end", "id"])
    grouped = m.groupby("_row")["id"].agg(list)
    return [list(grouped.get(i, [])) for i in range(len(hits))]


# -- kwic ------------------------------------------------------------------------------------------


def sort_keys(window: int) -> list[str]:
    """Valid ``sort`` keys for a window: L1..Lw, KW, R1..Rw (as in AntConc)."""
    return [f"L{k}" for k in range(1, window + 1)] + ["KW"] + [f"R{k}" for k in range(1, window + 1)]


def _parse_sort(sort: str | Sequence[str] | None, window: int) -> list[str]:
    if sort is None:
        return []
    keys = [k.strip() for k in sort.split(",")] if isinstance(sort, str) else list(sort)
    valid = sort_keys(window)
    for k in keys:
        check_choice("sort", k.upper() if isinstance(k, str) else k, valid)
    return [k.upper() for k in keys]


def kwic(
    corpus: Corpus,
    query: str | Sequence[str],
    *,
    window: int = 5,
    match: str = "exact",
    case: bool = False,
    sort: str | Sequence[str] | None = None,
    article: str | Sequence[str] | None = None,
    speaker: str | None = None,
    layer: str | None = None,
) -> Concordance:
    """Keyword in context: one row per hit of ``query``, with ``window`` tokens of context each side.

    ``match`` is ``"exact"`` (the default), ``"glob"`` (``Russia*``) or ``"regex"``; each
    pattern must match a whole token, and several tokens make a phrase (see
    :mod:`caucasus_corpus.concordance`). ``case=False`` ignores case. ``sort`` orders the hits by
    the words around them, AntConc-style: ``"R1"``, ``["L1", "R1"]`` or ``"L2,KW"`` (case is
    ignored when sorting; ties keep corpus order); None keeps corpus order. ``article`` keeps
    hits in one article id or a list of them.

    Annotation filters: ``speaker`` (an actor id, name or alias) keeps hits inside that actor's
    claims and threats (or, with ``layer``, inside that layer's records whose speaker/holder is
    the actor); ``layer`` (mention, claim, threat or stance) keeps hits inside spans of that
    layer. Hits are kept when the whole hit lies inside a span.

    Raises ``ValueError`` for an empty query, a regex that does not compile (naming it), a regex
    or glob that takes more than 5 s to match the corpus's word types (catastrophic backtracking,
    such as ``(a|a)*``), a ``window`` outside 0-1000 or a bad option; ``KeyError`` (with close matches) for an unknown article or actor;
    ``NoAnnotationsError`` for ``speaker``/``layer`` on a corpus without annotations.

    Columns
    -------
    article_id : string
        Article the hit is in.
    token_index : int64
        Position (0-based, in ``corpus.tokens``) of the hit's first token within its article.
    n_tokens : int64
        Number of tokens the hit spans (more than 1 for a phrase).
    start : int64
        Character offset where the hit starts in the verbatim text.
    end : int64
        Character offset where the hit ends (exclusive): ``text[start:end]`` is the hit.
    left : string
        Up to ``window`` tokens before the hit, as in the text (white space runs shown as one space).
    keyword : string
        The hit as in the text (white space runs shown as one space).
    right : string
        Up to ``window`` tokens after the hit, likewise.
    annotations : object
        List of ids of the annotation records whose span contains the hit (only those that let
        it pass the speaker/layer filters, when given); empty without annotations.

    >>> import caucasus_corpus as cc
    >>> hits = cc.kwic(cc.load(), "Nagorno-Karabakh conflict", window=3)
    >>> hits[["left", "keyword", "right"]].iloc[0].tolist()
    ['of the Armenia-Azerbaijan', 'Nagorno-Karabakh conflict', 'for years,']
    >>> print(cc.kwic(cc.load(), "VAK", window=2, sort="R1"))
    4 hits for 'VAK'
    0 said that VAK "took
    1 closure of VAK (the
    2 of the VAK and full
    3 of the VAK organisation.
    """
    # Python's cyclic garbage collector would walk every live object again and again while a big
    # result is built (it can double the time of a query); nothing built here holds a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _kwic(corpus, query, window=window, match=match, case=case, sort=sort, article=article,
                     speaker=speaker, layer=layer)
    finally:
        if enabled:
            gc.enable()


def _kwic(corpus: Corpus, query: str | Sequence[str], *, window: int, match: str, case: bool,
          sort: str | Sequence[str] | None, article: str | Sequence[str] | None, speaker: str | None,
          layer: str | None) -> Concordance:
    check_choice("match", match, MATCH_MODES)
    if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= MAX_WINDOW:
        raise ValueError(f"window={window!r} is not valid; give a whole number of tokens from 0 to {MAX_WINDOW}")
    if layer is not None:
        check_choice("layer", layer, LAYERS)
    keys = _parse_sort(sort, window)
    parts = parse_query(query, match)
    engine = corpus.engine

    pos = engine.find(parts, match=match, case=case)
    if article is not None:
        wanted = [article] if isinstance(article, str) else list(article)
        ids = engine.article_ids
        codes = []
        for a in wanted:
            if a not in ids:
                raise unknown_key("article id", a, ids)
            codes.append(ids.index(a))
        pos = pos[np.isin(engine.article(pos), codes)]
    spans = _filter_spans(corpus, speaker, layer) if speaker is not None or layer is not None else None

    cols = _build(engine, pos, len(parts), window, keys)
    if spans is None and not corpus.has_annotations:
        inside: Iterable[list[str]] = map(list, repeat((), len(pos)))  # a list of its own per row
    else:
        ints = cols["ints"]
        hits = pd.DataFrame({"article_id": cols["article_id"], "start": ints[2], "end": ints[3]})  # type: ignore[index]
        inside = containing(hits, spans if spans is not None else corpus.annotations)
        if spans is not None:
            keep = np.flatnonzero([bool(x) for x in inside])
            cols = {k: v[:, keep] if k == "ints" else v[keep] for k, v in cols.items()}  # type: ignore[index]
            inside = [inside[i] for i in keep.tolist()]
    # fromiter: assigning a list of lists to an object array would first look for a 2-D shape.
    annotations = np.fromiter(inside, dtype=object, count=len(cols["left"]))  # type: ignore[arg-type]
    out = _frame({**cols, "annotations": annotations})
    out.attrs["query"] = query if isinstance(query, str) else list(query)
    return out


def _frame(cols: dict[str, object]) -> Concordance:
    """The Concordance of the KWIC columns (the four int columns as rows of one int64 block
    ``cols["ints"]``, the others as arrays of the documented dtypes), made in one step: pandas'
    general constructor would cost more than finding a rare word."""
    ints = np.ascontiguousarray(cols["ints"])  # the frame keeps this block as it is
    n = ints.shape[1]
    names = _NAMES
    try:
        from pandas.api.internals import create_dataframe_from_blocks
    except ImportError:  # pandas before 3
        plain = {k: (ints[_INT_COLUMNS.index(k)] if k in _INT_COLUMNS else cols[k]) for k in names}
        return Concordance(pd.DataFrame(plain, columns=names).astype(KWIC_COLUMNS))
    blocks = [(cols["article_id"], _PLACE[0]), (ints, _INTS), (cols["left"], _PLACE[5]), (cols["keyword"], _PLACE[6]),
              (cols["right"], _PLACE[7]), (np.asarray(cols["annotations"]).reshape(1, n), _PLACE[8])]
    frame = create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n), columns=names)
    return Concordance._from_mgr(frame._mgr, axes=frame._mgr.axes)


# The KWIC frame's columns, and the column numbers of its blocks (see _frame).
_NAMES = pd.Index(list(KWIC_COLUMNS))
_PLACE = [np.array([i]) for i in range(len(KWIC_COLUMNS))]
_INTS = np.arange(1, 5)
_INT_COLUMNS = ("token_index", "n_tokens", "start", "end")


def _strings(values: object) -> pd.api.extensions.ExtensionArray:
    """A pandas ``string`` array (as given when the engine made one already)."""
    from ..engine.contexts import string_array

    if isinstance(values, pd.api.extensions.ExtensionArray) and values.dtype == "string":
        return values
    return string_array(values)  # type: ignore[arg-type]


def _build(engine: TokenEngine, pos: np.ndarray, n: int, window: int, keys: list[str]) -> dict[str, object]:
    """The hit columns (all but annotations), sorted by ``keys``; the four int columns as rows of
    one block, ``ints`` (the frame keeps it without a copy)."""
    if keys and len(pos) and not (n > 1 and "KW" in keys):
        # The order needs only the tokens around each hit: sort the hits, then make the rows in
        # that order (no string column is reordered afterwards).
        pos = pos[_sort_order(engine, pos, n, keys, None)]
        keys = []
    left, keyword, right = engine.contexts(pos, n, window)
    art = engine.article(pos)
    first = engine.bounds()[0]
    n_articles = len(first)
    ints = np.empty((4, len(pos)), dtype=np.int64)
    np.subtract(pos, first[art], out=ints[0])  # the token's index in its article
    ints[1] = n
    ints[2] = engine.starts(pos)
    ints[3] = engine.ends(pos + n - 1)
    cols: dict[str, object] = {
        # Many hits: every id made a string once, then taken by article number.
        "article_id": (_strings(engine.article_names(np.arange(n_articles))).take(art) if len(art) > n_articles
                       else _strings(engine.article_names(art))),
        "ints": ints,
        "left": _strings(left),
        "keyword": _strings(keyword),
        "right": _strings(right),
    }
    if keys and len(pos):  # phrases sorted by their keyword: the order needs the keyword strings
        order = _sort_order(engine, pos, n, keys, cols["keyword"])
        cols = {k: v[:, order] if k == "ints" else v[order] for k, v in cols.items()}  # type: ignore[index]
    return cols


def _sort_order(engine: TokenEngine, pos: np.ndarray, n: int, keys: list[str], keyword: object) -> np.ndarray:
    """The rows' order by ``keys``: ranks of the case-folded words (0 where the window leaves
    the article), so the sort is one stable numpy lexsort and ties keep corpus order.
    ``keyword`` (the keyword strings) is needed only to sort phrases by "KW"."""
    first, last = engine.bounds()
    art = engine.article(pos)
    first_art, last_art = first[art], last[art]
    n_tok = len(engine)
    sort_cols = []
    for k in keys:
        if k == "KW" and n > 1:
            folded = fold_types([str(s) for s in keyword])  # type: ignore[attr-defined]
            sort_cols.append(pd.factorize(folded, sort=True)[0])
            continue
        at = pos if k == "KW" else (pos - int(k[1:]) if k[0] == "L" else pos + (n - 1 + int(k[1:])))
        ok = (at >= first_art) & (at <= last_art)
        sort_cols.append(np.where(ok, engine.fold_rank(np.clip(at, 0, n_tok - 1)), 0))
    return np.lexsort(sort_cols[::-1])
