"""Lexical analysis on the corpus's tokens: frequency lists, collocates, dispersion (data and plot).

Counting rules, shared by every function here:

* only tokens of the ``kinds`` given are counted (words by default; ``kinds=("word", "number")``
  adds numbers, ``"punct"`` punctuation);
* ``case=False`` (the default) counts Unicode case-folded forms, so ``Russia`` and ``russia``
  are one type, shown in folded form;
* ``stopwords`` removes words from the *results*: ``"en"`` is the English function-word list
  shipped in the package (:func:`stopwords`), or give any iterable of words. Removed words still
  occupy their places in the text, so collocate windows are not stretched over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._options import check_choice, unknown_key
from ..model.protocol import require_annotations
from ..vocab import MATCH_MODES, TOKEN_KINDS
from .concordance import MAX_WINDOW, parse_query

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..model.protocol import CorpusLike as Corpus

__all__ = [
    "COLLOCATE_COLUMNS",
    "DISPERSION_COLUMNS",
    "FREQUENCY_COLUMNS",
    "KINDS",
    "MEASURES",
    "STOPWORD_LISTS",
    "association",
    "collocates",
    "dispersion",
    "dispersion_plot",
    "frequency",
    "stopwords",
]

KINDS = TOKEN_KINDS
STOPWORD_LISTS = ("en",)
MEASURES = ("log_likelihood", "mi", "t_score", "n")


@lru_cache(maxsize=None)
def stopwords(language: str = "en") -> frozenset[str]:
    """The stopword list shipped in the package (``stopwords/LANGUAGE.txt``), lower case.

    >>> from caucasus_corpus.lexical import stopwords
    >>> {"the", "of", "and"} <= stopwords("en"), "russia" in stopwords("en")
    (True, False)
    """
    check_choice("language", language, STOPWORD_LISTS)
    text = resources.files(__package__).joinpath("stopwords", f"{language}.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _stopword_set(words: str | Iterable[str] | None) -> frozenset[str]:
    if words is None:
        return frozenset()
    if isinstance(words, str):
        return stopwords(words)
    return frozenset(str(w).casefold() for w in words)


def _check_kinds(kinds: Sequence[str]) -> list[str]:
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if not kinds:
        raise ValueError(f"kinds= needs at least one of: {', '.join(repr(k) for k in KINDS)}")
    for k in kinds:
        check_choice("kinds", k, KINDS)
    return kinds


FREQUENCY_COLUMNS = {"token": "string", "n": "int64", "share": "float64"}


def frequency(
    corpus: Corpus,
    *,
    by: str | None = None,
    kinds: Sequence[str] = ("word",),
    case: bool = False,
    stopwords: str | Iterable[str] | None = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """A frequency list: how often each token type occurs, most frequent first (ties alphabetical).

    ``by=None`` counts the whole corpus; ``by="article"`` counts each article separately (an
    ``article_id`` column comes first); ``by="speaker"`` counts the tokens inside each speaker's
    claims (``speaker`` and ``speaker_name`` come first; needs annotations; a token inside two
    overlapping claims of one speaker counts once). ``share`` is relative to the group's
    counted tokens *before* stopwords and ``min_count`` are applied. See the module docstring for
    ``kinds``, ``case`` and ``stopwords``. Documented below for ``by=None``:

    Columns
    -------
    token : string
        The token type (case-folded unless ``case=True``).
    n : int64
        Number of occurrences.
    share : float64
        n divided by the number of counted tokens (of the kinds given) in the group.

    >>> import caucasus_corpus as cc
    >>> freq = cc.load().frequency(stopwords="en")
    >>> freq["token"].iloc[0]
    'russia'
    """
    check_choice("by", by, (None, "article", "speaker"))
    kinds = _check_kinds(kinds)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count={min_count!r} is not valid; give a whole number, 1 or more")
    engine = corpus.engine
    if by is None:
        # Counted when the index was built: no pass over the tokens.
        n, vocab = engine.type_counts(kinds, case=case)
        present = np.flatnonzero(n)
        counts = pd.DataFrame({"group": np.zeros(len(present), object), "code": present, "n": n[present]})
    else:
        codes, vocab = engine.type_codes(case=case)
        keep = engine.kind_mask(kinds)
        if by == "speaker":
            require_annotations(corpus, "frequency(by='speaker')")
            claims = corpus.claims
            arts = pd.Categorical(claims["article_id"].astype(object), categories=engine.article_ids).codes.astype(np.int64)
            rows, pos = engine.positions_in_spans(arts, claims["start"].to_numpy(np.int64), claims["end"].to_numpy(np.int64))
            pairs = pd.DataFrame({"group": claims["speaker"].to_numpy(object)[rows], "pos": pos}).drop_duplicates()
            pairs = pairs[keep[pairs["pos"].to_numpy()]]
            data = pd.DataFrame({"group": pairs["group"].to_numpy(object), "code": codes[pairs["pos"].to_numpy()]})
        else:
            pos = np.flatnonzero(keep)
            data = pd.DataFrame({"group": engine.article_names(engine.article(pos)), "code": codes[pos]})
        counts = data.groupby(["group", "code"], sort=False).size().rename("n").reset_index()
    totals = counts.groupby("group")["n"].transform("sum")
    counts["share"] = counts["n"] / totals if len(counts) else pd.Series(dtype="float64")
    counts["token"] = vocab[counts["code"].to_numpy()] if len(counts) else pd.Series(dtype=object)
    stop = _stopword_set(stopwords)
    if stop:
        counts = counts[~pd.Series([str(t).casefold() in stop for t in counts["token"]], index=counts.index, dtype=bool)]
    counts = counts[counts["n"] >= min_count]
    counts = counts.sort_values(["group", "n", "token"], ascending=[True, False, True], ignore_index=True)
    out: dict[str, Any] = {}
    if by == "article":
        out["article_id"] = counts["group"].astype("string")
    elif by == "speaker":
        from .tables import names

        lookup = names(corpus)
        out["speaker"] = counts["group"].astype("string")
        out["speaker_name"] = pd.Series([lookup.get(s, pd.NA) for s in counts["group"]], dtype="string")
    out["token"] = counts["token"].astype("string")
    out["n"] = counts["n"].astype("int64")
    out["share"] = counts["share"].astype("float64")
    return pd.DataFrame(out)


COLLOCATE_COLUMNS = {
    "collocate": "string",
    "n": "int64",
    "n_left": "int64",
    "n_right": "int64",
    "collocate_freq": "int64",
    "expected": "float64",
    "log_likelihood": "float64",
    "mi": "float64",
    "t_score": "float64",
}


def association(o11: np.ndarray, r1: int | np.ndarray, c1: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Log-likelihood (G²), pointwise mutual information (log2) and t-score from a 2x2 table.

    ``o11`` co-occurrences, ``r1`` tokens in the node's windows, ``c1`` the collocate's
    frequency, ``n`` the tokens counted. The definitions are NLTK's ``BigramAssocMeasures``
    (``likelihood_ratio``, ``pmi``, ``student_t``) with marginals ``(o11, (r1, c1), n)``,
    written with numpy so that thousands of collocates score at once.
    """
    o11 = np.asarray(o11, dtype=float)
    c1 = np.asarray(c1, dtype=float)
    r1 = np.asarray(r1, dtype=float)
    observed = [o11, r1 - o11, c1 - o11, n - r1 - c1 + o11]
    rows = [r1, r1, n - r1, n - r1]
    cols = [c1, n - c1, c1, n - c1]
    expected = [r * c / n for r, c in zip(rows, cols)]
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * sum(np.where(o > 0, o * np.log(o / e), 0.0) for o, e in zip(observed, expected))
        mi = np.log2(o11 * n) - np.log2(r1 * c1)
        t = (o11 - expected[0]) / np.sqrt(o11)
    return {"expected": expected[0], "log_likelihood": g2, "mi": mi, "t_score": t}


def collocates(
    corpus: Corpus,
    node: str | Sequence[str],
    *,
    window: int = 5,
    span: str = "both",
    match: str = "exact",
    case: bool = False,
    kinds: Sequence[str] = ("word",),
    stopwords: str | Iterable[str] | None = None,
    min_count: int = 1,
    sort: str = "log_likelihood",
) -> pd.DataFrame:
    """Words that occur near ``node`` (a word or phrase, matched as in :func:`kwic`), with counts
    and association scores, strongest first.

    The window is ``window`` tokens (of the ``kinds`` counted; punctuation is skipped by default)
    on the ``span`` side(s) of each hit (``both``, ``left`` or ``right``), never crossing into
    another article. Where windows of two hits overlap, a token is counted once.

    Scores compare the collocate's co-occurrences O11 with what its frequency would give by
    chance, in a 2x2 table (Evert's surface co-occurrence): R1 = the tokens inside the node's
    windows (``attrs["window_tokens"]``), C1 = the collocate's frequency, N = the tokens counted
    (``attrs["corpus_tokens"]``); ``expected`` is R1*C1/N. The measures are NLTK's
    ``BigramAssocMeasures`` on those marginals: for adjacent words (``window=1, span="right"``)
    they equal NLTK's ``BigramCollocationFinder`` scores. ``log_likelihood`` is high for
    negative association too; compare ``n`` with ``expected``. ``sort`` is ``log_likelihood``,
    ``mi``, ``t_score`` or ``n``.

    Columns
    -------
    collocate : string
        The co-occurring token type (case-folded unless ``case=True``).
    n : int64
        O11: occurrences of the collocate inside the node's windows.
    n_left : int64
        Of those, how many are in a left window.
    n_right : int64
        How many are in a right window (a token in both a left and a right window counts in both).
    collocate_freq : int64
        C1: occurrences of the collocate in the whole corpus.
    expected : float64
        E11 = R1 * C1 / N, the co-occurrences expected by chance.
    log_likelihood : float64
        Dunning's log-likelihood G² over the 2x2 table.
    mi : float64
        Pointwise mutual information, log2(O11 / E11).
    t_score : float64
        (O11 - E11) / sqrt(O11).

    >>> import caucasus_corpus as cc
    >>> top = cc.load().collocates("Azerbaijan-Russia", window=2, span="right")
    >>> top["collocate"].iloc[0], int(top["n"].iloc[0])
    ('ties', 2)
    """
    check_choice("match", match, MATCH_MODES)
    check_choice("span", span, ("both", "left", "right"))
    check_choice("sort", sort, MEASURES)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW:
        raise ValueError(f"window={window!r} is not valid; give a whole number of tokens from 1 to {MAX_WINDOW}")
    kinds = _check_kinds(kinds)
    parts = parse_query(node, match)
    engine = corpus.engine
    codes, vocab = engine.type_codes(case=case)
    kept = np.flatnonzero(engine.kind_mask(kinds))  # the counted stream, as token positions
    art = engine.article(kept)
    total = len(kept)
    hits = engine.find(parts, match=match, case=case)
    # The node's place in the counted stream: [first, stop) (empty when the node is punctuation).
    first = np.searchsorted(kept, hits, side="left")
    stop = np.searchsorted(kept, hits + len(parts) - 1, side="right")
    hit_art = engine.article(hits)
    left, right, is_node = (np.zeros(total, bool) for _ in range(3))
    for k in range(1, window + 1):
        for mask, at, on in ((left, first - k, span in ("both", "left")), (right, stop - 1 + k, span in ("both", "right"))):
            if not on:
                continue
            ok = (at >= 0) & (at < total)
            ok[ok] &= art[at[ok]] == hit_art[ok]
            mask[at[ok]] = True
    for k in range(len(parts)):
        inside = first + k
        ok = inside < stop
        is_node[inside[ok]] = True
    left &= ~is_node
    right &= ~is_node
    either = left | right
    stream = codes[kept]
    n_types = len(vocab)
    c1 = np.bincount(stream, minlength=n_types)
    o11 = np.bincount(stream[either], minlength=n_types)
    n_left = np.bincount(stream[left], minlength=n_types)
    n_right = np.bincount(stream[right], minlength=n_types)
    r1 = int(either.sum())
    present = np.flatnonzero(o11 >= min_count) if isinstance(min_count, int) and min_count >= 1 else None
    if present is None:
        raise ValueError(f"min_count={min_count!r} is not valid; give a whole number, 1 or more")
    stop_words = _stopword_set(stopwords)
    if stop_words:
        present = np.array([c for c in present if str(vocab[c]).casefold() not in stop_words], dtype=np.int64)
    scores = association(o11[present], r1, c1[present], total) if len(present) else {}
    frame = pd.DataFrame({
        "collocate": vocab[present] if len(present) else [],
        "n": o11[present], "n_left": n_left[present], "n_right": n_right[present], "collocate_freq": c1[present],
        **{k: scores.get(k, np.empty(0)) for k in ("expected", "log_likelihood", "mi", "t_score")},
    }).astype(COLLOCATE_COLUMNS)
    frame = frame.sort_values([sort, "collocate"], ascending=[False, True], ignore_index=True)
    frame.attrs.update(node=node, node_hits=len(hits), window_tokens=r1, corpus_tokens=total)
    return frame


DISPERSION_COLUMNS = {
    "term": "string",
    "article_id": "string",
    "token_index": "int64",
    "article_tokens": "int64",
    "position": "float64",
    "corpus_position": "int64",
    "start": "int64",
    "end": "int64",
}


def dispersion(
    corpus: Corpus,
    terms: str | Sequence[str],
    *,
    match: str = "exact",
    case: bool = False,
    article: str | None = None,
) -> pd.DataFrame:
    """Where each term occurs: one row per hit, with its place in the article and in the corpus.

    ``terms`` is one query or a list of queries (each a word or phrase, matched as in
    :func:`kwic`). ``article`` limits the hits to one article. Plot it with
    :func:`dispersion_plot`; count hits per article with ``groupby(["term", "article_id"]).size()``.

    Columns
    -------
    term : string
        The query the hit matches.
    article_id : string
        Article of the hit.
    token_index : int64
        Position of the hit's first token in the article.
    article_tokens : int64
        Number of tokens in the article.
    position : float64
        token_index / article_tokens: 0 at the start of the article, towards 1 at its end.
    corpus_position : int64
        Position of the hit's first token in the whole corpus (articles in corpus order).
    start : int64
        Character offset of the hit in the verbatim text.
    end : int64
        End of the hit (exclusive).

    >>> import caucasus_corpus as cc
    >>> d = cc.load().dispersion(["Putin", "Novruzov"])
    >>> d.groupby("term").size().to_dict()
    {'Novruzov': 2, 'Putin': 2}
    """
    check_choice("match", match, MATCH_MODES)
    queries = [terms] if isinstance(terms, str) else list(terms)
    if not queries:
        raise ValueError("give at least one term")
    engine = corpus.engine
    ids = engine.article_ids
    if article is not None and article not in ids:
        raise unknown_key("article id", article, ids)
    first, last = engine.bounds()
    sizes = last - first + 1
    parts = []
    for term in queries:
        tokens = parse_query(term, match)
        pos = engine.find(tokens, match=match, case=case)
        if article is not None:
            pos = pos[engine.article(pos) == ids.index(article)]
        art = engine.article(pos)
        at = engine.token_index(pos)
        parts.append(pd.DataFrame({
            "term": term,
            "article_id": np.array(ids, dtype=object)[art] if len(pos) else np.empty(0, object),
            "token_index": at,
            "article_tokens": sizes[art],
            "position": at / np.maximum(sizes[art], 1),
            "corpus_position": pos,
            "start": engine.starts(pos),
            "end": engine.ends(pos + len(tokens) - 1),
        }))
    return pd.concat(parts, ignore_index=True).astype(DISPERSION_COLUMNS)


def dispersion_plot(
    corpus: Corpus,
    terms: str | Sequence[str],
    *,
    match: str = "exact",
    case: bool = False,
    article: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A lexical dispersion plot: one row per term, one mark per hit, x = token position
    (in ``article`` when given, else in the corpus, with thin lines where articles begin).

    Returns the matplotlib Axes (drawn on ``ax`` when given); it never calls ``plt.show()``.
    Each term's marks are one ``Line2D`` with ``gid="dispersion"`` and the term as its label.
    """
    data = dispersion(corpus, terms, match=match, case=case, article=article)
    queries = [terms] if isinstance(terms, str) else list(terms)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(10, 0.5 + 0.5 * len(queries)))
    x_column = "token_index" if article is not None else "corpus_position"
    for row, term in enumerate(queries):
        xs = data.loc[data["term"] == term, x_column].to_numpy()
        ax.plot(xs, np.full(len(xs), row), "|", markersize=16, label=str(term), gid="dispersion")
    engine = corpus.engine
    first, last = engine.bounds()
    if article is None and len(engine.article_ids) > 1:
        ax.vlines(first[1:], -0.5, len(queries) - 0.5, colors="0.8", linewidth=0.5)
    ax.set_yticks(range(len(queries)), [str(q) for q in queries])
    ax.set_ylim(len(queries) - 0.5, -0.5)  # first term on top, in reading order
    if article is None:
        width = len(engine)
    else:
        a = engine.article_ids.index(article)
        width = int(last[a] - first[a] + 1)
    ax.set_xlim(0, max(width, 1))
    ax.set_xlabel(f"token position in {article}" if article is not None else "token position in the corpus")
    ax.set_title("Lexical dispersion")
    return ax
