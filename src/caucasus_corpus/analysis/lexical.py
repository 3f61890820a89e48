"""Lexical analysis on the corpus's tokens: frequency lists, collocates, dispersion (data and plot),
keyness between two sub-corpora, n-gram frequency, and words in shared contexts (NLTK's
``similar`` and ``common_contexts``).

Counting rules, shared by every function here:

* only tokens of the ``kinds`` given are counted (words by default; ``kinds=("word", "number")``
  adds numbers, ``"punct"`` punctuation);
* ``case=False`` (the default) counts folded forms (:mod:`caucasus_corpus.text.folding`: case,
  the four i's ``İ I ı i``, ``ё`` = ``е``, Mtavruli = Mkhedruli, ``և`` = ``եւ``, NFC = NFD), so
  ``Russia`` and ``russia``, ``Bakı`` and ``BAKI`` are one type, shown in folded form;
* ``stopwords`` removes words from the *results*: a language code names a function-word list
  shipped in the package (:func:`stopwords`: ``"en"``, ``"ru"``, ``"az"``, ``"hy"``, ``"ka"``;
  sources and licences in ``analysis/stopwords/README.md``), ``"auto"`` uses the articles'
  languages (each article's own list for ``frequency(by="article")``; elsewhere the lists of
  every language in the corpus together, since one count covers articles of several languages;
  a language without a list removes nothing), or give any iterable of words. Words are compared
  folded. Removed words still occupy their places in the text, so collocate windows are not
  stretched over them.
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
from ..text.folding import fold
from ..vocab import MATCH_MODES, TOKEN_KINDS
from .concordance import MAX_WINDOW, parse_query

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..model.protocol import CorpusLike as Corpus

__all__ = [
    "COLLOCATE_COLUMNS",
    "CONTEXT_COLUMNS",
    "DISPERSION_COLUMNS",
    "FREQUENCY_COLUMNS",
    "KEYNESS_COLUMNS",
    "KINDS",
    "MEASURES",
    "NGRAM_COLUMNS",
    "SIMILAR_COLUMNS",
    "STOPWORD_LISTS",
    "association",
    "collocates",
    "common_contexts",
    "dispersion",
    "dispersion_plot",
    "frequency",
    "keyness",
    "keyness_table",
    "ngrams",
    "similar",
    "stopwords",
]

KINDS = TOKEN_KINDS
STOPWORD_LISTS = ("en", "ru", "az", "hy", "ka")
# ISO 639-2/3 codes an articles table may use, to the list's ISO 639-1 code.
_LANGUAGE_CODES = {"eng": "en", "rus": "ru", "aze": "az", "azj": "az", "azb": "az", "hye": "hy", "arm": "hy",
                   "kat": "ka", "geo": "ka"}
MEASURES = ("log_likelihood", "mi", "t_score", "n")


@lru_cache(maxsize=None)
def stopwords(language: str = "en") -> frozenset[str]:
    """The stopword list shipped in the package (``stopwords/LANGUAGE.txt``), as listed (lower
    case; compared with the tokens folded, so ``ЕЩЁ`` meets ``еще`` and ``եւ`` meets ``և``).

    >>> from caucasus_corpus.lexical import stopwords
    >>> {"the", "of", "and"} <= stopwords("en"), "russia" in stopwords("en")
    (True, False)
    >>> {"что", "и"} <= stopwords("ru"), {"ki", "və"} <= stopwords("az"), {"որ", "և"} <= stopwords("hy")
    (True, True, True)
    """
    check_choice("language", language, STOPWORD_LISTS)
    text = resources.files(__package__).joinpath("stopwords", f"{language}.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=None)
def _folded_list(language: str) -> frozenset[str]:
    return frozenset(map(fold, stopwords(language)))


def _list_for(language: object) -> str | None:
    """The shipped list for an articles table's language code (``ru``, ``ru-RU``, ``rus``), if any."""
    code = str(language).strip().lower().replace("_", "-").split("-", 1)[0]
    code = _LANGUAGE_CODES.get(code, code)
    return code if code in STOPWORD_LISTS else None


def stopword_set(words: str | Iterable[str] | None, *, languages: Iterable[object] | None = None) -> frozenset[str]:
    """The folded stop words of a ``stopwords=`` option: none, a shipped list by language
    name (:func:`stopwords`), ``"auto"`` (the lists of ``languages``, the articles' languages),
    or the words given. Shared with the sharded corpus's methods."""
    if words is None:
        return frozenset()
    if isinstance(words, str):
        if words == "auto":
            if languages is None:
                raise ValueError("stopwords='auto' needs the articles' languages, which this corpus does not give here; "
                                 f"name a list ({', '.join(map(repr, STOPWORD_LISTS))}) or give the words")
            return frozenset().union(*(_folded_list(code) for code in {_list_for(lang) for lang in languages} if code))
        check_choice("stopwords", words, (*STOPWORD_LISTS, "auto"))
        return _folded_list(words)
    return frozenset(fold(str(w)) for w in words)


def _stop(corpus: Corpus, words: str | Iterable[str] | None) -> frozenset[str]:
    """:func:`stopword_set` for ``corpus``: ``"auto"`` takes the languages of its articles."""
    if isinstance(words, str) and words == "auto":
        articles = getattr(corpus, "articles", None)
        languages = None if articles is None or "language" not in articles else articles["language"].dropna().unique()
        return stopword_set(words, languages=languages)
    return stopword_set(words)


def check_kinds(kinds: Sequence[str]) -> list[str]:
    """The ``kinds=`` option as a list, or ValueError naming the valid kinds. Shared with the
    sharded corpus's methods, so both refuse the same values in the same words."""
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
    kinds = check_kinds(kinds)
    _check_min_count(min_count)
    engine = corpus.engine
    if by is None:
        return _corpus_frequency(engine, kinds, case, _stop(corpus, stopwords), min_count)
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
    if by == "article" and isinstance(stopwords, str) and stopwords == "auto":  # each article's own list
        language = dict(zip(corpus.articles["article_id"], corpus.articles["language"]))
        lists = {a: stopword_set("auto", languages=[language.get(a, "")]) for a in counts["group"].unique()}
        drop = [fold(str(t)) in lists[g] for g, t in zip(counts["group"], counts["token"])]
        counts = counts[~pd.Series(drop, index=counts.index, dtype=bool)]
    elif stop := _stop(corpus, stopwords):
        counts = counts[~pd.Series([fold(str(t)) in stop for t in counts["token"]], index=counts.index, dtype=bool)]
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


def _corpus_frequency(engine, kinds: list[str], case: bool, stop: frozenset[str], min_count: int) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """:func:`frequency` with ``by=None`` from the counts made at index time, sorted by count and
    then by each type's rank in code-point order (the ranks and the column of type strings are
    made once per engine), so no string is compared or converted per call."""
    n, vocab = engine.type_counts(kinds, case=case)
    if hasattr(engine, "type_order"):
        rank, strings = engine.type_order(case=case)
    else:  # an engine without cached ranks: rank its types here
        rank = np.empty(len(vocab), dtype=np.int64)
        rank[np.argsort(vocab, kind="stable")] = np.arange(1, len(vocab) + 1)
        strings = pd.array(vocab, dtype="string")
    total = int(n.sum())
    codes = np.flatnonzero(n >= max(min_count, 1))
    if stop:
        codes = codes[[fold(str(t)) not in stop for t in vocab[codes]]]
    count = n[codes].astype(np.int64)
    if len(codes) and int(count.max()) * (len(rank) + 1) < 2**62:
        # One int64 key (count descending, then rank): one quick argsort instead of a lexsort.
        codes = codes[np.argsort(rank[codes] - count * (len(rank) + 1))]
    else:
        codes = codes[np.lexsort((rank[codes], -count))]
    count = n[codes].astype(np.int64)
    return pd.DataFrame({"token": strings.take(codes), "n": count,
                         "share": count / total if total else np.empty(0, np.float64)})


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
    kinds = check_kinds(kinds)
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
    stop_words = _stop(corpus, stopwords)
    if stop_words:
        present = np.array([c for c in present if fold(str(vocab[c])) not in stop_words], dtype=np.int64)
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


# -- keyness ---------------------------------------------------------------------------------------

KEYNESS_COLUMNS = {
    "token": "string",
    "n_target": "int64",
    "n_reference": "int64",
    "per_million_target": "float64",
    "per_million_reference": "float64",
    "log_likelihood": "float64",
    "percent_diff": "float64",
}
KEYNESS_REFERENCES = ("rest", "claims")


def _check_min_count(min_count: int) -> None:
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count={min_count!r} is not valid; give a whole number, 1 or more")


def keyness_table(target: pd.Series, reference: pd.Series, *, min_count: int = 1) -> pd.DataFrame:
    """Keyness of every token type between two sets of counts (``token -> n`` Series, e.g. a
    :func:`frequency` frame's ``set_index("token")["n"]``), most key first.

    ``log_likelihood`` is Dunning's G² over the 2x2 table (the token, all other tokens; target,
    reference), the same value as NLTK's ``BigramAssocMeasures.likelihood_ratio`` and quanteda's
    ``textstat_keyness(measure="lr", correction="none")``; it is high for words used much *less*
    in the target too, so read it with ``percent_diff``: Gabrielatos and Marchi's %DIFF,
    ``(per_million_target - per_million_reference) * 100 / per_million_reference``, positive
    when the target uses the word more (``inf`` when the reference never does). Rows are sorted
    as quanteda sorts its signed statistic: the words the target uses more first, strongest first,
    then those it uses less, the strongest of those last (ties by token); ``min_count`` drops types with fewer occurrences in target and
    reference together. The totals are ``attrs["target_tokens"]`` and ``attrs["reference_tokens"]``.

    Columns
    -------
    token : string
        The token type.
    n_target : int64
        Occurrences in the target.
    n_reference : int64
        Occurrences in the reference.
    per_million_target : float64
        n_target per million target tokens.
    per_million_reference : float64
        n_reference per million reference tokens.
    log_likelihood : float64
        G² = 2 Σ O ln(O/E) over the four cells of the 2x2 table.
    percent_diff : float64
        %DIFF: positive when the word is relatively more frequent in the target.
    """
    _check_min_count(min_count)
    both = pd.concat([target.rename("a"), reference.rename("b")], axis=1).fillna(0).astype("int64")
    t_total, r_total = int(both["a"].sum()), int(both["b"].sum())
    if not t_total or not r_total:
        raise ValueError(f"keyness needs tokens on both sides; the target has {t_total}, the reference {r_total}")
    both = both[both["a"] + both["b"] >= min_count]
    a, b = both["a"].to_numpy(float), both["b"].to_numpy(float)
    c, d = t_total - a, r_total - b
    n = t_total + r_total
    g2 = np.zeros(len(a))
    for obs, row, col in ((a, t_total, a + b), (b, r_total, a + b), (c, t_total, c + d), (d, r_total, c + d)):
        exp = row * col / n
        with np.errstate(divide="ignore", invalid="ignore"):
            g2 += np.where(obs > 0, obs * np.log(obs / exp), 0.0)
    g2 *= 2
    pm_a, pm_b = a / t_total * 1e6, b / r_total * 1e6
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = np.where(pm_b > 0, (pm_a - pm_b) * 100 / np.where(pm_b > 0, pm_b, 1), np.inf)
    frame = pd.DataFrame({
        "token": both.index.astype(str), "n_target": a, "n_reference": b,
        "per_million_target": pm_a, "per_million_reference": pm_b, "log_likelihood": g2, "percent_diff": diff,
    }).astype(KEYNESS_COLUMNS)
    signed = np.where(pm_a >= pm_b, g2, -g2)
    frame = frame.assign(_signed=signed).sort_values(["_signed", "token"], ascending=[False, True], ignore_index=True)
    frame = frame.drop(columns="_signed")
    frame.attrs.update(target_tokens=t_total, reference_tokens=r_total)
    return frame


def _counts(corpus: Corpus, mask: np.ndarray | None, kinds: Sequence[str], case: bool) -> pd.Series:
    """token -> occurrences among the counted tokens at the positions ``mask`` selects (all when None)."""
    codes, vocab = corpus.engine.type_codes(case=case)
    keep = corpus.engine.kind_mask(kinds)
    if mask is not None:
        keep = keep & mask
    n = np.bincount(codes[keep].astype(np.int64), minlength=len(vocab))
    present = np.flatnonzero(n)
    return pd.Series(n[present], index=pd.Index(vocab[present], dtype=object))


def _speaker_mask(corpus: Corpus, speaker: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(positions inside ``speaker``'s claims, positions inside anyone's claims) as masks."""
    engine = corpus.engine
    claims = corpus.claims
    arts = pd.Categorical(claims["article_id"].astype(object), categories=engine.article_ids).codes.astype(np.int64)
    rows, pos = engine.positions_in_spans(arts, claims["start"].to_numpy(np.int64), claims["end"].to_numpy(np.int64))
    anyone = np.zeros(len(engine), bool)
    anyone[pos] = True
    mine = np.zeros(len(engine), bool)
    mine[pos[claims["speaker"].to_numpy(object)[rows] == speaker]] = True
    return mine, anyone


def keyness(
    corpus: Corpus,
    *,
    speaker: str | None = None,
    articles: str | Sequence[str] | None = None,
    reference: Any = "rest",
    kinds: Sequence[str] = ("word",),
    case: bool = False,
    stopwords: str | Iterable[str] | None = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """Key words of a target against a reference, as in AntConc's keyword list or quanteda's
    ``textstat_keyness``: log-likelihood (G²) and %DIFF for every token type (see
    :func:`keyness_table` for the columns and measures).

    The target is the words inside one ``speaker``'s claims (an actor id, name or alias; needs
    annotations), or the ``articles`` given (one id or a list), or, with neither, the whole
    ``corpus``. The ``reference`` is ``"rest"`` (every other token of the corpus), ``"claims"``
    (the words inside other speakers' claims; with ``speaker`` only) or another corpus (all its
    tokens: compare two corpora). Tokens are counted as in :func:`frequency`; ``stopwords``
    drops rows from the result after the measures are computed.

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> key = keyness(corpus, speaker="Novruzov", stopwords="en")
    >>> key["token"].iloc[0], int(key["n_target"].iloc[0]), key["token"].iloc[-1]
    ('interests', 3, 'said')
    """
    kinds = check_kinds(kinds)
    if speaker is not None and articles is not None:
        raise ValueError("give speaker= or articles=, not both: the target is one of them")
    if isinstance(reference, str):
        check_choice("reference", reference, KEYNESS_REFERENCES)
        if reference == "claims" and speaker is None:
            raise ValueError("reference='claims' compares one speaker's claims with the others': give speaker= too")
    elif not hasattr(reference, "engine"):
        raise TypeError(f"reference must be 'rest', 'claims' or a corpus, not {type(reference).__name__}")
    engine = corpus.engine
    target_mask: np.ndarray | None = None
    rest_mask: np.ndarray | None = None
    if speaker is not None:
        require_annotations(corpus, "keyness(speaker=...)")
        mine, anyone = _speaker_mask(corpus, corpus.resolve_actor(speaker))
        target_mask, rest_mask = mine, (anyone & ~mine if reference == "claims" else ~mine)
    elif articles is not None:
        wanted = [articles] if isinstance(articles, str) else list(articles)
        ids = engine.article_ids
        for a in wanted:
            if a not in ids:
                raise unknown_key("article id", a, ids)
        target_mask = np.isin(engine.article(np.arange(len(engine))), [ids.index(a) for a in wanted])
        rest_mask = ~target_mask
    elif isinstance(reference, str):
        raise ValueError("with neither speaker= nor articles=, the target is the whole corpus: give reference= another corpus")
    target = _counts(corpus, target_mask, kinds, case)
    ref = _counts(reference, None, kinds, case) if not isinstance(reference, str) else _counts(corpus, rest_mask, kinds, case)
    frame = keyness_table(target, ref, min_count=min_count)
    stop = _stop(corpus, stopwords)
    if stop:
        frame = frame[[fold(str(t)) not in stop for t in frame["token"]]].reset_index(drop=True)
    return frame


# -- n-grams ---------------------------------------------------------------------------------------

NGRAM_COLUMNS = {"ngram": "string", "n": "int64", "share": "float64"}


def ngrams(
    corpus: Corpus,
    n: int = 2,
    *,
    within: str = "sentence",
    kinds: Sequence[str] = ("word",),
    case: bool = False,
    stopwords: str | Iterable[str] | None = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """N-gram frequency: how often each sequence of ``n`` counted tokens occurs, most frequent
    first (ties alphabetical), like AntConc's N-Grams list or ``nltk.FreqDist(nltk.ngrams(...))``.

    The tokens counted are those of ``kinds`` (words by default: punctuation is skipped, so
    "Russia , and" is the bigram "russia and"); n-grams never cross a sentence (``within=
    "sentence"``) or an article (``within="article"``). ``stopwords`` drops n-grams that begin or
    end with a stopword ("of the" goes, "union of armenians" stays). ``share`` is n over all
    n-grams counted before stopwords and ``min_count`` are applied.

    Columns
    -------
    ngram : string
        The tokens, joined by single spaces (case-folded unless ``case=True``).
    n : int64
        Occurrences.
    share : float64
        n divided by the number of n-grams counted.

    >>> import caucasus_corpus as cc
    >>> ngrams(cc.load(), 2, stopwords="en")["ngram"].iloc[0]
    'azerbaijani congress'
    """
    check_choice("within", within, ("sentence", "article"))
    kinds = check_kinds(kinds)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10:
        raise ValueError(f"n={n!r} is not valid; give a whole number from 1 to 10")
    _check_min_count(min_count)
    engine = corpus.engine
    codes, vocab = engine.type_codes(case=case)
    kept = np.flatnonzero(engine.kind_mask(kinds))
    art = engine.article(kept).astype(np.int64)
    group = art
    if within == "sentence":
        sentence = engine.token_frame()["sentence"].to_numpy(np.int64)[kept]
        group = art * (int(sentence.max(initial=0)) + 1) + sentence
    stream = codes[kept].astype(np.int64)
    m = len(stream) - n + 1
    if m <= 0:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in NGRAM_COLUMNS.items()})
    # An n-gram starting at i is whole when tokens i..i+n-1 are in one group.
    ok = group[: m] == group[n - 1 :]
    starts = np.flatnonzero(ok)
    grams = np.stack([stream[starts + k] for k in range(n)], axis=1)
    uniq, count = np.unique(grams, axis=0, return_counts=True)
    total = int(count.sum())
    texts = [" ".join(vocab[row]) for row in uniq]
    frame = pd.DataFrame({"ngram": texts, "n": count, "share": count / total if total else count}).astype(NGRAM_COLUMNS)
    stop = _stop(corpus, stopwords)
    if stop:
        ends = [(fold(str(vocab[row[0]])) in stop) or (fold(str(vocab[row[-1]])) in stop) for row in uniq]
        frame = frame[~np.array(ends, dtype=bool)]
    frame = frame[frame["n"] >= min_count]
    return frame.sort_values(["n", "ngram"], ascending=[False, True], ignore_index=True)


# -- words in shared contexts (NLTK's Text.similar and Text.common_contexts) -----------------------

SIMILAR_COLUMNS = {"word": "string", "shared_contexts": "int64"}
CONTEXT_COLUMNS = {"context": "string", "left": "string", "right": "string", "n": "int64"}


def _context_index(corpus: Corpus, *, words_only: bool) -> tuple[list[str], list[tuple[str, str]]]:
    """(folded form, (left, right) context) of every token, as NLTK's ``ContextIndex`` builds
    them, ``*START*``/``*END*`` at an article's edges. ``words_only`` (``Text.similar``): only
    word tokens, and their neighbours are the word tokens before and after (NLTK filters the
    rest out before it looks at neighbours); otherwise (``Text.common_contexts``) every token,
    punctuation included."""
    frame = corpus.engine.token_frame()
    if words_only:
        frame = frame[frame["kind"] == "word"]
    words, contexts = [], []
    for _, group in frame.groupby("article_id", sort=False):
        toks = [fold(str(t)) for t in group["token"]]
        for i, tok in enumerate(toks):
            words.append(tok)
            contexts.append((toks[i - 1] if i else "*START*", toks[i + 1] if i + 1 < len(toks) else "*END*"))
    return words, contexts


def similar(corpus: Corpus, word: str, *, num: int = 20) -> pd.DataFrame:
    """Words used in the same contexts as ``word`` (NLTK's ``Text.similar``): for every other
    word, how many distinct contexts (the word before, the word after) it shares with
    ``word``; most shared first, ties in order of first occurrence. Case is ignored.

    Where NLTK counts only alphabetic tokens (``str.isalpha``), this counts the corpus's word
    tokens, so hyphenated names such as *Nagorno-Karabakh* take part. An unknown word gives an
    empty frame. ``num`` rows at most.

    Columns
    -------
    word : string
        A word sharing contexts with ``word`` (case-folded).
    shared_contexts : int64
        How many distinct (left, right) contexts the two share.

    >>> import caucasus_corpus as cc
    >>> similar(cc.load(), "Russia")["word"].iloc[0]
    'vak'
    """
    if isinstance(num, bool) or not isinstance(num, int) or num < 1:
        raise ValueError(f"num={num!r} is not valid; give a whole number, 1 or more")
    words, contexts = _context_index(corpus, words_only=True)
    key = fold(word)
    mine = {c for w, c in zip(words, contexts) if w == key}
    seen: dict[str, set[tuple[str, str]]] = {}
    for w, c in zip(words, contexts):
        if w != key and c in mine:
            seen.setdefault(w, set()).add(c)
    first = {w: i for i, w in reversed(list(enumerate(words)))}
    ranked = sorted(seen, key=lambda w: (-len(seen[w]), first[w]))[:num]
    return pd.DataFrame({"word": ranked, "shared_contexts": [len(seen[w]) for w in ranked]}).astype(SIMILAR_COLUMNS)


def common_contexts(corpus: Corpus, words: Sequence[str], *, num: int = 20) -> pd.DataFrame:
    """The contexts (token before, token after) that all ``words`` share (NLTK's
    ``Text.common_contexts``), with how often the words occur in each, most frequent first
    (ties in order of first occurrence). As in NLTK, punctuation counts as a neighbour here
    (``"the_."``), while :func:`similar` skips it. ``context`` is written as NLTK prints it,
    ``left_right``. Case is ignored; a word that never occurs raises ``KeyError``.

    Columns
    -------
    context : string
        ``left_right``.
    left : string
        The token before (``*START*`` at the start of an article).
    right : string
        The token after (``*END*`` at the end of an article).
    n : int64
        Occurrences of the words in this context, all words together.

    >>> import caucasus_corpus as cc
    >>> common_contexts(cc.load(), ["Azerbaijan", "Russia"])["context"].tolist()
    ['for_.', 'in_.']
    """
    if isinstance(words, str):
        raise TypeError("words must be a list of words, e.g. ['Russia', 'Azerbaijan']")
    if isinstance(num, bool) or not isinstance(num, int) or num < 1:
        raise ValueError(f"num={num!r} is not valid; give a whole number, 1 or more")
    index_words, contexts = _context_index(corpus, words_only=False)
    keys = [fold(w) for w in words]
    by_word: dict[str, list[tuple[str, str]]] = {k: [] for k in keys}
    for w, c in zip(index_words, contexts):
        if w in by_word:
            by_word[w].append(c)
    missing = [w for w, k in zip(words, keys) if not by_word[k]]
    if missing:
        raise KeyError(f"not in the corpus: {', '.join(repr(w) for w in missing)}")
    common = set.intersection(*(set(v) for v in by_word.values()))
    counts: dict[tuple[str, str], int] = {}
    order: dict[tuple[str, str], int] = {}
    for i, (w, c) in enumerate(zip(index_words, contexts)):
        if w in by_word and c in common:
            counts[c] = counts.get(c, 0) + 1
            order.setdefault(c, i)
    ranked = sorted(counts, key=lambda c: (-counts[c], order[c]))[:num]
    return pd.DataFrame({
        "context": [f"{l}_{r}" for l, r in ranked], "left": [l for l, _ in ranked], "right": [r for _, r in ranked],
        "n": [counts[c] for c in ranked],
    }).astype(CONTEXT_COLUMNS)
