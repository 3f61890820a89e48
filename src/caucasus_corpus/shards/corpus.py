"""``cc.open_parquet(DIR)``: a sharded corpus (layout version 2) queried shard by shard, locally or on Dask.

How a query runs: one Dask task per shard (``dask.delayed``) reads the shard's articles and
stored tokens, builds an in-memory :class:`~caucasus_corpus.Corpus` of them (with the annotation
records of those articles) and runs the package's own function on it (:func:`~caucasus_corpus.kwic`,
:func:`~caucasus_corpus.frequency`, :func:`~caucasus_corpus.collocates`); the client merges the
per-shard answers into the frame the in-memory corpus gives, in the same order:

* ``kwic``: hits in shard order are hits in corpus order (shards hold whole articles in corpus
  order, and no context crosses an article); with ``sort``, each shard also returns the
  case-folded words at the sort keys, and one stable sort over all hits orders them as the
  in-memory sort does (ties keep corpus order).
* ``frequency``: ``by=None`` is read from the vocabulary, which holds every type's count (checked
  once per opened folder against the shards' token ids, the first time counts are used);
  ``by="article"`` concatenates; ``by="speaker"`` adds counts and group totals before ``share``,
  stopwords and ``min_count`` apply.
* ``collocates``: co-occurrence counts and window sizes add up over shards (no window crosses an
  article); the collocate's frequency C1 and the corpus size N come from the vocabulary, and the
  scores from :func:`caucasus_corpus.lexical.association` on the merged counts.
* ``claim_frequency``, ``stance_matrix``, ``threat_table``: the annotation tables are not sharded
  (hand annotations are small next to the texts), so one task reads them, never the tokens.

Without ``client`` the tasks run one after another in this process (Dask's synchronous
scheduler), so memory holds one shard's index at a time plus the results. With
``client=distributed.Client(...)`` they run on the cluster's workers, which must see the folder
at the same path (a shared file system) and have caucasus_corpus installed.

A shard's token index is the engine's (:class:`~caucasus_corpus.engine.NumpyEngine`), built by
:meth:`~caucasus_corpus.engine.NumpyEngine.from_tokens` from the token ids and offsets the shard
stores, never by tokenising its texts again: the global ids are renumbered into a compact
vocabulary of the shard's types in order of first occurrence, which gives the very arrays
tokenising the shard's texts would give (so the results are those of the in-memory corpus), in a
few whole-array passes; nothing is saved in a cache folder. Every shard file, and the
vocabulary, is read once as a regular file inside the folder (no symbolic link on the way) and
checked against its size and sha256 in ``layout.json`` when a task reads it (a worker reads the
vocabulary once and keeps it while the file is unchanged). ``layout.json`` itself is checked when
the folder is opened: its shards, files, token and type counts must agree. A shard whose article
or token count differs from ``layout.json``, or whose stored tokens do not fit its texts (an
article number out of order, an id outside the vocabulary, an ``end`` that is not ``start`` plus
the token's length, offsets outside the text, or any token whose vocabulary string is not the
text at its offsets: every token is compared, see :func:`_first_misfit`), is refused, naming the
file. The vocabulary's counts are checked against the shards' token ids the first time they are
used (``vocabulary``, ``frequency``, ``collocates``: one pass over every shard), the annotation
records against the registry and the texts of the articles they annotate, and the fingerprint is
recomputed from the release files the folder carries (:attr:`ShardedCorpus.fingerprint`). The
stored tokens are those of the token rules the folder was written with; should the rules of
:mod:`caucasus_corpus.text` change, write the folder again (``to_corpus()`` tokenises the texts
afresh).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._options import check_choice, unknown_key
from ..analysis.concordance import KWIC_COLUMNS, MAX_WINDOW, Concordance, kwic, parse_query, sort_keys
from ..analysis.lexical import (COLLOCATE_COLUMNS, MEASURES, association, check_kinds, collocates, frequency,
                                stopword_set)
from ..errors import CorpusFormatError, CorpusIntegrityError
from ..interop.parquet import ARTICLE_TABLE, check_records, open_listed, read_layout, read_listed, require
from ..model.articles import PROVENANCE_COLUMNS
from ..model.corpus import Corpus
from ..text.folding import fold, fold_types
from ..vocab import LAYERS, MATCH_MODES
from .writer import TOKEN_TABLE, VOCABULARY_TABLE

if TYPE_CHECKING:
    from ..model.records import AnnotationData

__all__ = ["ShardedCorpus", "open_parquet"]


# -- tasks (module-level functions, so that Dask workers can import them) -------------------------


def _shard_corpus(root: str, shard: dict[str, Any], files: dict[str, tuple[str, dict[str, Any]]],
                  annotations: AnnotationData | None) -> Corpus:
    """The shard's articles as an in-memory corpus, with the annotation records of its articles,
    whose engine is built from the shard's stored tokens (no tokenising)."""
    from ..model.records import AnnotationData

    articles, texts, _ids, engine = _read_shard(root, shard, files)
    data = None
    if annotations is not None:
        data = AnnotationData(actors=annotations.actors, topics=annotations.topics, cameo=annotations.cameo,
                              records=[r for r in annotations.records if r["article_id"] in texts])
    return Corpus(articles=articles.drop(columns="text"), texts=texts, annotations=data, engine=engine)


def _read_shard(root: str, shard: dict[str, Any], files: dict[str, tuple[str, dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """(articles, texts, token ids, engine) of a shard, every file and every stored token checked."""
    from ..engine import NumpyEngine

    base = Path(root)
    articles = read_listed(base, *files["articles"], ARTICLE_TABLE, optional=PROVENANCE_COLUMNS)
    tokens_path = base / files["tokens"][0]
    tokens = read_listed(base, *files["tokens"], TOKEN_TABLE)
    if len(articles) != shard["articles"] or len(tokens) != shard["tokens"]:
        raise CorpusFormatError(
            f"{base / shard['folder']}: {len(articles):,} articles and {len(tokens):,} tokens, but layout.json lists "
            f"{shard['articles']:,} and {shard['tokens']:,}; write the folder again")
    vocabulary = _vocabulary(base, *files["vocabulary"])
    types, kinds = vocabulary.types, vocabulary.kinds
    texts = dict(zip(articles["article_id"].tolist(), articles["text"].tolist()))
    if len(texts) != len(articles):
        raise CorpusFormatError(f"{base / files['articles'][0]}: an article id appears twice; write the folder again")
    columns = {c: tokens[c].to_numpy() for c in TOKEN_TABLE}
    try:
        engine = NumpyEngine.from_tokens(texts, **columns, types=types, kinds=kinds)
    except ValueError as exc:
        raise CorpusFormatError(f"{tokens_path}: {exc}; write the folder again") from None
    wrong = _first_misfit(list(texts.values()), vocabulary, **columns)
    if wrong is not None:
        article, start, end, token = wrong
        raise CorpusFormatError(
            f"{tokens_path}: the token at {start}:{end} of article {list(texts)[article]!r} is stored as {token!r}, but the "
            f"text there is {list(texts.values())[article][start:end]!r}; the stored tokens do not fit the texts: "
            "write the folder again")
    return articles, texts, columns["token_id"], engine


class _Vocabulary:
    """A checked vocabulary: its frame, token strings and kinds by id (pandas arrays), and every
    token's code points laid end to end (``points``, from ``offsets[id]``) for :func:`_first_misfit`."""

    def __init__(self, frame: pd.DataFrame, path: Path) -> None:
        if not (frame["token_id"].to_numpy() == np.arange(len(frame))).all():
            raise CorpusFormatError(f"{path}: token ids are not the row numbers 0, 1, 2, ...; write the folder again")
        if frame["token"].isna().any() or frame["token"].duplicated().any() or (frame["n"].to_numpy() < 0).any():
            raise CorpusFormatError(f"{path}: a token is missing or listed twice, or a count is negative; write the "
                                    "folder again")
        self.frame = frame
        self.types, self.kinds = frame["token"].array, frame["kind"].array
        strings = frame["token"].to_numpy(dtype=object)
        lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
        self.offsets = np.zeros(len(strings) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.offsets[1:])
        self.points = np.frombuffer("".join(strings).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


# The vocabulary of the last folder a task read, kept in the process (a worker reads it once,
# not once per shard); keyed by the file's sha256 in layout.json and its size and time on disk.
_VOCABULARY: dict[tuple[str, str, int, int], _Vocabulary] = {}


def _vocabulary(root: Path, name: str, entry: dict[str, Any]) -> _Vocabulary:
    """The folder's vocabulary, read and checked once per process while the file is unchanged."""
    path = root / name
    try:
        stat = os.lstat(path)
        size, mtime = stat.st_size, stat.st_mtime_ns
    except OSError:
        size = mtime = -1
    key = (str(path), entry["sha256"], size, mtime)
    if key not in _VOCABULARY:
        vocabulary = _Vocabulary(read_listed(root, name, entry, VOCABULARY_TABLE), path)
        _VOCABULARY.clear()
        _VOCABULARY[key] = vocabulary
    return _VOCABULARY[key]


# Code points compared per pass of _first_misfit: bounds its index arrays (16 bytes per point).
_MISFIT_CHUNK = 1 << 22


def _first_misfit(texts: list[str], vocabulary: _Vocabulary, *, article: np.ndarray, token_id: np.ndarray,
                  start: np.ndarray, end: np.ndarray) -> tuple[int, int, int, str] | None:
    """(article, start, end, stored string) of the first token whose vocabulary string is not the
    text at its offsets, or None when every one is.

    Every token is compared, code point by code point, with ``text[start:end]``: one relabelled
    token (an id swapped for another string of the same length) cannot pass. Tokens are grouped
    by length, and each group is compared as two gathered arrays of code points, so the work is
    a few whole-array passes over the shard's characters. It assumes what ``from_tokens`` has
    checked: offsets inside the texts and ``end - start`` the token's length. Measured on one
    million tokens (six million characters): 0.25 s, where reading the shard's tokens takes
    0.03 s and comparing strings in a Python loop 0.75 s.
    """
    if not len(token_id):
        return None
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    base = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=base[1:])
    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    article, token_id = np.asarray(article, np.int64), np.asarray(token_id, np.int64)
    start, end = np.asarray(start, np.int64), np.asarray(end, np.int64)
    at_text, at_type, size = base[article] + start, vocabulary.offsets[token_id], end - start
    order = np.argsort(size, kind="stable")
    cuts = np.flatnonzero(np.diff(size[order])) + 1
    for group in np.split(order, cuts):
        width = int(size[group[0]])
        step = max(1, _MISFIT_CHUNK // max(width, 1))
        span = np.arange(width, dtype=np.int64)
        for lo in range(0, len(group), step):
            part = group[lo: lo + step]
            same = (points[at_text[part, None] + span] == vocabulary.points[at_type[part, None] + span]).all(axis=1)
            if not same.all():
                i = int(part[np.flatnonzero(~same)].min())
                return int(article[i]), int(start[i]), int(end[i]), str(vocabulary.types[token_id[i]])
    return None


def _count_task(root: str, shard: dict[str, Any], files: dict[str, Any]) -> np.ndarray:
    """How often each token id occurs in the shard, read and checked like any shard read (so the
    vocabulary's strings are checked against the texts too, not only its counts)."""
    return np.bincount(np.asarray(_read_shard(root, shard, files)[2], dtype=np.int64))


def _kwic_task(root: str, shard: dict[str, Any], files: dict[str, Any], annotations: AnnotationData | None,
               query: Any, options: dict[str, Any], keys: list[str]) -> tuple[pd.DataFrame, list[np.ndarray]]:
    corpus = _shard_corpus(root, shard, files, annotations)
    result = kwic(corpus, query, **options)
    return pd.DataFrame(result), _sort_words(corpus, result, keys)


def _sort_words(corpus: Corpus, result: pd.DataFrame, keys: list[str]) -> list[np.ndarray]:
    """Per sort key, the case-folded word each hit is sorted by ("" where the window leaves the
    article, which sorts first, as rank 0 does in the in-memory sort)."""
    if not keys or result.empty:
        return [np.empty(0, dtype=object) for _ in keys]
    engine = corpus.engine
    index = {a: i for i, a in enumerate(engine.article_ids)}
    art = np.array([index[a] for a in result["article_id"]], dtype=np.int64)
    first, last = engine.bounds()
    lo, hi = first[art], last[art]
    pos = lo + result["token_index"].to_numpy(np.int64)
    n = result["n_tokens"].to_numpy(np.int64)
    out = []
    for k in keys:
        if k == "KW" and int(n[0]) > 1:  # a phrase sorts by its whole keyword string
            out.append(fold_types([str(s) for s in result["keyword"]]))
            continue
        at = pos if k == "KW" else (pos - int(k[1:]) if k[0] == "L" else pos + n - 1 + int(k[1:]))
        ok = (at >= lo) & (at <= hi)
        words = engine.tokens(np.clip(at, 0, max(len(engine) - 1, 0)))
        out.append(np.where(ok, fold_types(words), ""))
    return out


def _frequency_task(root: str, shard: dict[str, Any], files: dict[str, Any], annotations: AnnotationData | None,
                    options: dict[str, Any]) -> pd.DataFrame:
    return frequency(_shard_corpus(root, shard, files, annotations), **options)


def _collocates_task(root: str, shard: dict[str, Any], files: dict[str, Any], node: Any,
                     options: dict[str, Any]) -> tuple[pd.DataFrame, int, int]:
    frame = collocates(_shard_corpus(root, shard, files, None), node, **options)
    return frame[["collocate", "n", "n_left", "n_right"]], int(frame.attrs["window_tokens"]), int(frame.attrs["node_hits"])


def _table_task(annotations: AnnotationData, name: str, options: dict[str, Any]) -> pd.DataFrame:
    from ..analysis import tables

    corpus = Corpus(articles=pd.DataFrame(), texts={}, annotations=annotations)
    return getattr(tables, name)(corpus, **options)


def _compute(tasks: list[Any], client: Any) -> list[Any]:
    """Run Dask tasks: in this process one at a time, or on the cluster of ``client``."""
    import dask

    if client is None:
        return list(dask.compute(*tasks, scheduler="synchronous"))
    return list(client.compute(tasks, sync=True))


# -- the vocabulary as the counting half of an engine ---------------------------------------------


class _VocabularyEngine:
    """``type_counts`` over the vocabulary's counts: what :func:`~caucasus_corpus.frequency`
    asks of an engine for ``by=None``, answered without reading a shard."""

    def __init__(self, vocabulary: pd.DataFrame) -> None:
        self.vocab = vocabulary["token"].to_numpy(dtype=object)
        self.kind = vocabulary["kind"].to_numpy(dtype=object)
        self.n = vocabulary["n"].to_numpy(np.int64)

    @cached_property
    def _folded(self) -> tuple[np.ndarray, np.ndarray]:
        codes, folded = pd.factorize(fold_types(self.vocab))
        return codes, np.asarray(folded, dtype=object)

    def type_counts(self, kinds: Sequence[str], *, case: bool) -> tuple[np.ndarray, np.ndarray]:
        n = np.where(np.isin(self.kind, list(kinds)), self.n, 0)
        if case:
            return n, self.vocab
        codes, folded = self._folded
        return np.bincount(codes, weights=n, minlength=len(folded)).astype(np.int64), folded


class _VocabularyCorpus:
    def __init__(self, engine: _VocabularyEngine) -> None:
        self.engine = engine


# -- the corpus ------------------------------------------------------------------------------------


def _whole(name: str, value: object, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        upto = f" to {high}" if high is not None else ", or more"
        raise ValueError(f"{name}={value!r} is not valid; give a whole number from {low}{upto}")


class ShardedCorpus:
    """A sharded Parquet corpus opened lazily: only ``layout.json``, the article ids and (when
    asked) the vocabulary and annotation tables are read on the client; queries read the shards
    in Dask tasks (module docstring). Open one with :func:`caucasus_corpus.open_parquet`.

    Its ``kwic``, ``frequency``, ``collocates``, ``claim_frequency``, ``stance_matrix`` and
    ``threat_table`` take the options of the in-memory corpus's methods and ``client`` (a
    ``distributed.Client``; None runs shard after shard in this process), and return the same
    frames in the same order. ``to_corpus()`` reads everything into memory.
    """

    def __init__(self, root: Path, layout: dict[str, Any]) -> None:
        import stat

        from ..release.safefile import folder_inside

        self._root = root
        self._layout = layout
        self._shards: list[dict[str, Any]] = list(layout["shards"])
        files = layout["files"]
        for name, entry in files.items():
            path = root / name
            folder_inside(root, name.rpartition("/")[0])  # every listed path is inside, through real folders
            try:
                st = os.lstat(path)
            except OSError:
                st = None
            if st is None or not stat.S_ISREG(st.st_mode):
                raise CorpusIntegrityError(f"{path}: file missing from the sharded corpus (layout.json lists it), or not "
                                           "a regular file; restore it or write the folder again", path=str(path))
            if st.st_size != entry["bytes"]:
                raise CorpusIntegrityError(f"{path}: {st.st_size:,} bytes, but {entry['bytes']:,} were "
                                           "written (layout.json): the file is truncated or changed; restore it or "
                                           "write the folder again", path=str(path))

    # -- what the folder holds --------------------------------------------------------------------

    @property
    def root(self) -> Path:
        """The folder of the sharded corpus."""
        return self._root

    @property
    def version(self) -> str | None:
        """The data version of the release it was written from (None for texts of your own)."""
        return self._layout.get("corpus_version")

    @cached_property
    def fingerprint(self) -> str | None:
        """The fingerprint of the release it was written from (None for texts of your own, and for
        a folder written before exports carried the release's files).

        Recomputed, not copied: the first time it is asked for, the release files the folder
        carries and every shard's texts go through the one checker as ``load()`` reads a release
        (:func:`caucasus_corpus.interop.parquet.read_release`), and the annotation tables must
        equal that release's records; this reads every shard's articles once (not its tokens)."""
        from ..interop.parquet import read_release, same_as_release

        if "release" not in self._layout:
            return None
        files = self._layout["files"]
        articles = pd.concat([read_listed(self._root, name, files[name], ARTICLE_TABLE, optional=PROVENANCE_COLUMNS) for name in self._layout["articles"]],
                             ignore_index=True)
        release = read_release(self._root, self._layout, articles)
        texts = dict(zip(articles["article_id"].tolist(), articles["text"].tolist()))
        mirror = Corpus(articles=articles.drop(columns="text"), texts=texts, annotations=self._annotation_data)
        same_as_release(mirror, release[0], self._root)
        return self._layout["fingerprint"]

    @property
    def has_annotations(self) -> bool:
        return bool(self._layout.get("has_annotations"))

    @property
    def n_shards(self) -> int:
        return len(self._shards)

    @property
    def n_tokens(self) -> int:
        """Tokens in the whole corpus (by the rules of :mod:`caucasus_corpus.text`)."""
        return int(self._layout["n_tokens"])

    @cached_property
    def _shard_ids(self) -> list[list[str]]:
        import pyarrow.parquet as pq

        out = []
        for shard in self._shards:
            name = f"{shard['folder']}/articles.parquet"
            path = self._root / name
            try:
                with open_listed(self._root, name) as f:  # only the ids: the whole file is checked when a task reads it
                    out.append([str(a) for a in pq.read_table(f, columns=["article_id"]).column(0).to_pylist()])
            except CorpusIntegrityError:
                raise
            except Exception as exc:  # noqa: BLE001 - any Arrow or OS error: say which file
                raise CorpusFormatError(f"{path}: not a readable Parquet file ({exc}); restore it or write the folder "
                                        "again") from None
            if len(out[-1]) != shard["articles"]:
                raise CorpusFormatError(f"{path}: {len(out[-1]):,} articles, but layout.json lists {shard['articles']:,}; "
                                        "write the folder again")
        if sum(map(len, out)) != len({a for ids in out for a in ids}):
            raise CorpusFormatError(f"{self._root}: an article id appears in two shards or twice in one; write the "
                                    "folder again")
        return out

    @property
    def article_ids(self) -> list[str]:
        """Article ids in corpus order (shard by shard)."""
        return [a for ids in self._shard_ids for a in ids]

    def __len__(self) -> int:
        return sum(s["articles"] for s in self._shards)

    def __repr__(self) -> str:
        label = f"version {self.version}" if self.version else "unversioned"
        return (f"<caucasus_corpus.ShardedCorpus {label}: {len(self)} article(s), {self.n_tokens:,} tokens in "
                f"{self.n_shards} shard(s)>")

    def _entry(self, name: str) -> dict[str, Any]:
        return self._layout["files"][name]

    @cached_property
    def _annotation_data(self) -> AnnotationData | None:
        """The annotation tables, checked by the one checker against the registry and the texts
        of the articles they annotate (read from the shards that hold those articles only)."""
        if not self._layout.get("has_annotations"):
            return None
        from ..interop.parquet import ANNOTATION_TABLES, TABLES, annotation_data

        files = self._layout["files"]
        tables = {n: read_listed(self._root, f"{n}.parquet", files[f"{n}.parquet"], TABLES[n]) for n in ANNOTATION_TABLES}
        data = annotation_data(tables)
        wanted = {r["article_id"] for r in data.records}
        texts: dict[str, str] = {}
        for shard, ids in zip(self._shards, self._shard_ids):
            if wanted.intersection(ids):
                name = f"{shard['folder']}/articles.parquet"
                frame = read_listed(self._root, name, files[name], ARTICLE_TABLE, optional=PROVENANCE_COLUMNS)
                texts.update(zip(frame["article_id"].tolist(), frame["text"].tolist()))
        check_records(data, texts, self._root)
        return data

    @cached_property
    def _annotated(self) -> Corpus:
        """The annotations alone, as an in-memory corpus without texts (for the tables and filters)."""
        return Corpus(articles=pd.DataFrame(), texts={}, version=self.version, annotations=self._annotation_data)

    @property
    def vocabulary(self) -> pd.DataFrame:
        """Every distinct token (case kept) with its int32 id, kind and count in the corpus.

        Columns
        -------
        token_id : int32
            The id the shards' ``tokens.parquet`` files use.
        token : string
            The token as in the texts.
        kind : string
            word, number or punct.
        n : int64
            Occurrences in the whole corpus.

        The first time it is asked for (here, or by ``frequency()`` and ``collocates()``), every
        count is checked against the token ids the shards store, which reads each shard's tokens
        once (as Dask tasks, on ``client`` when those methods are given one): a count that no
        stored token supports is refused, not reported.
        """
        return self._checked_vocabulary(None).copy()

    def _checked_vocabulary(self, client: Any) -> pd.DataFrame:
        if "_vocabulary_frame" in self.__dict__:
            return self.__dict__["_vocabulary_frame"]
        name = self._layout["vocabulary"]
        vocabulary = _vocabulary(self._root, name, self._entry(name))
        n = vocabulary.frame["n"].to_numpy(np.int64)
        if int(n.sum()) != self.n_tokens:
            raise CorpusFormatError(f"{self._root / name}: its counts add up to {int(n.sum()):,} tokens, but layout.json "
                                    f"lists {self.n_tokens:,}; write the folder again")
        found = np.zeros(len(n), dtype=np.int64)
        for counts in self._run(_count_task, [a[:3] for a in self._shard_args(False)], client):
            if len(counts) > len(n):
                raise CorpusFormatError(f"{self._root}: a shard's token id lies outside the vocabulary; write the folder "
                                        "again")
            found[: len(counts)] += counts
        if not np.array_equal(found, n):
            i = int(np.flatnonzero(found != n)[0])
            raise CorpusFormatError(f"{self._root / name}: the count of {vocabulary.types[i]!r} is {int(n[i]):,}, but the "
                                    f"shards hold it {int(found[i]):,} times; write the folder again")
        self.__dict__["_vocabulary_frame"] = vocabulary.frame
        return vocabulary.frame

    def to_corpus(self) -> Corpus:
        """Everything read into an in-memory :class:`~caucasus_corpus.Corpus` (:func:`caucasus_corpus.from_parquet`)."""
        from ..interop.parquet import from_parquet

        return from_parquet(self._root)

    def _run(self, task: Any, args: Iterable[tuple[Any, ...]], client: Any) -> list[Any]:
        from dask import delayed

        return _compute([delayed(task, pure=True)(*a) for a in args], client)

    def _shard_args(self, with_annotations: bool) -> list[tuple[Any, ...]]:
        from dask import delayed

        data = delayed(self._annotation_data, pure=True, traverse=False) if with_annotations else None
        vocabulary = self._layout["vocabulary"]

        def files(shard: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
            names = {"articles": f"{shard['folder']}/articles.parquet", "tokens": f"{shard['folder']}/tokens.parquet",
                     "vocabulary": vocabulary}
            return {k: (name, self._entry(name)) for k, name in names.items()}

        return [(str(self._root), s, files(s), data) for s in self._shards]

    # -- text queries ---------------------------------------------------------------------------

    def kwic(self, query: str | Sequence[str], *, window: int = 5, match: str = "exact", case: bool = False,
             sort: str | Sequence[str] | None = None, article: str | Sequence[str] | None = None,
             speaker: str | None = None, layer: str | None = None, client: Any = None) -> Concordance:
        """Keyword in context over every shard: the frame of :func:`caucasus_corpus.kwic` (same
        options and columns, same rows in the same order)."""
        check_choice("match", match, MATCH_MODES)
        _whole("window", window, 0, MAX_WINDOW)
        if layer is not None:
            check_choice("layer", layer, LAYERS)
        keys = [k.strip() for k in sort.split(",")] if isinstance(sort, str) else list(sort or [])
        for k in keys:
            check_choice("sort", k.upper() if isinstance(k, str) else k, sort_keys(window))
        keys = [k.upper() for k in keys]
        parse_query(query, match)
        args = self._shard_args(with_annotations=True)
        wanted = None
        if article is not None:
            wanted = [article] if isinstance(article, str) else list(article)
            known = set(self.article_ids)
            for a in wanted:
                if a not in known:
                    raise unknown_key("article id", a, self.article_ids)
        if speaker is not None or layer is not None:
            from ..model.protocol import require_annotations

            require_annotations(self._annotated, "kwic(speaker=...)" if speaker is not None else "kwic(layer=...)")
            if speaker is not None:
                self._annotated.resolve_actor(speaker)
        options = {"window": window, "match": match, "case": case, "sort": sort, "speaker": speaker, "layer": layer}
        jobs = []
        for arg, ids in zip(args, self._shard_ids):
            mine = None if wanted is None else [a for a in wanted if a in set(ids)]
            if mine == []:
                continue
            jobs.append((*arg, query, {**options, "article": mine}, keys))
        parts = self._run(_kwic_task, jobs, client)
        frames = [f for f, _ in parts if len(f)]
        if not frames:
            out = Concordance(pd.DataFrame({c: pd.Series(dtype=d) for c, d in KWIC_COLUMNS.items()}))
        else:
            frame = pd.concat(frames, ignore_index=True)
            if keys:
                columns = [np.concatenate([words[i] for f, words in parts if len(f)]) for i in range(len(keys))]
                codes = [pd.factorize(c, sort=True)[0] for c in columns]
                frame = frame.iloc[np.lexsort(codes[::-1])].reset_index(drop=True)
            out = Concordance(frame.astype(KWIC_COLUMNS))
        out.attrs["query"] = query if isinstance(query, str) else list(query)
        return out

    def frequency(self, *, by: str | None = None, kinds: Sequence[str] = ("word",), case: bool = False,
                  stopwords: str | Iterable[str] | None = None, min_count: int = 1, client: Any = None) -> pd.DataFrame:
        """Frequency list: the frame of :func:`caucasus_corpus.frequency` (same options and
        columns). ``by=None`` is read from the vocabulary's counts (checked against every shard the
        first time, see ``vocabulary``; later calls touch no shard)."""
        check_choice("by", by, (None, "article", "speaker"))
        kinds = check_kinds(kinds)
        _whole("min_count", min_count, 1)
        if by is None:
            return frequency(_VocabularyCorpus(_VocabularyEngine(self._checked_vocabulary(client))), kinds=kinds,  # type: ignore[arg-type]
                             case=case, stopwords=stopwords, min_count=min_count)
        if not self._shards:  # nothing to merge: the in-memory function on no texts gives the empty frame
            return frequency(self._annotated, by=by, kinds=kinds, case=case, stopwords=stopwords, min_count=min_count)
        if by == "article":
            options = {"by": by, "kinds": kinds, "case": case, "stopwords": stopwords, "min_count": min_count}
            parts = self._run(_frequency_task, [(*a, options) for a in self._shard_args(False)], client)
            return pd.concat(parts, ignore_index=True).sort_values(
                ["article_id", "n", "token"], ascending=[True, False, True], ignore_index=True)
        from ..model.protocol import require_annotations

        require_annotations(self._annotated, "frequency(by='speaker')")
        options = {"by": by, "kinds": kinds, "case": case}
        counts = pd.concat(self._run(_frequency_task, [(*a, options) for a in self._shard_args(True)], client),
                           ignore_index=True)
        # Group totals before stopwords and min_count, as the in-memory share is.
        merged = counts.groupby(["speaker", "speaker_name", "token"], dropna=False, sort=False)["n"].sum().reset_index()
        merged["share"] = merged["n"] / merged.groupby("speaker")["n"].transform("sum")
        stop = stopword_set(stopwords)
        if stop:
            merged = merged[[fold(str(t)) not in stop for t in merged["token"]]]
        merged = merged[merged["n"] >= min_count]
        merged = merged.sort_values(["speaker", "n", "token"], ascending=[True, False, True], ignore_index=True)
        return merged.astype({"speaker": "string", "speaker_name": "string", "token": "string", "n": "int64",
                              "share": "float64"})

    def collocates(self, node: str | Sequence[str], *, window: int = 5, span: str = "both", match: str = "exact",
                   case: bool = False, kinds: Sequence[str] = ("word",), stopwords: str | Iterable[str] | None = None,
                   min_count: int = 1, sort: str = "log_likelihood", client: Any = None) -> pd.DataFrame:
        """Collocates of a node word: the frame of :func:`caucasus_corpus.collocates` (same options,
        columns and ``attrs``), from counts added over the shards."""
        check_choice("match", match, MATCH_MODES)
        check_choice("span", span, ("both", "left", "right"))
        check_choice("sort", sort, MEASURES)
        _whole("window", window, 1, MAX_WINDOW)
        _whole("min_count", min_count, 1)
        kinds = check_kinds(kinds)
        parse_query(node, match)
        options = {"window": window, "span": span, "match": match, "case": case, "kinds": kinds}
        if not self._shards:
            return collocates(self._annotated, node, **options, stopwords=stopwords, min_count=min_count, sort=sort)
        parts = self._run(_collocates_task, [(*a[:3], node, options) for a in self._shard_args(False)], client)
        counts = pd.concat([p[0] for p in parts], ignore_index=True)
        o = counts.groupby("collocate", sort=False)[["n", "n_left", "n_right"]].sum()
        r1 = sum(p[1] for p in parts)
        c1_all, types = _VocabularyEngine(self._checked_vocabulary(client)).type_counts(kinds, case=case)
        total = int(c1_all.sum())
        c1 = pd.Series(c1_all, index=types).reindex(o.index.astype(object)).to_numpy(np.int64)
        keep = (o["n"] >= min_count).to_numpy().copy()
        stop = stopword_set(stopwords)
        if stop:
            keep &= np.array([fold(str(c)) not in stop for c in o.index], dtype=bool)
        o, c1 = o[keep], c1[keep]
        scores = association(o["n"].to_numpy(), r1, c1, total) if len(o) else {}
        frame = pd.DataFrame({
            "collocate": o.index.to_numpy(dtype=object), "n": o["n"].to_numpy(), "n_left": o["n_left"].to_numpy(),
            "n_right": o["n_right"].to_numpy(), "collocate_freq": c1,
            **{k: scores.get(k, np.empty(0)) for k in ("expected", "log_likelihood", "mi", "t_score")},
        }).astype(COLLOCATE_COLUMNS)
        frame = frame.sort_values([sort, "collocate"], ascending=[False, True], ignore_index=True)
        frame.attrs.update(node=node, node_hits=sum(p[2] for p in parts), window_tokens=r1, corpus_tokens=total)
        return frame

    # -- annotation tables (one task: the annotations are not sharded) ----------------------------

    def _table(self, name: str, options: dict[str, Any], client: Any) -> pd.DataFrame:
        from ..model.protocol import require_annotations

        require_annotations(self._annotated, name)
        return self._run(_table_task, [(self._annotation_data, name, options)], client)[0]

    def claim_frequency(self, *, by: str | Sequence[str] = "speaker", client: Any = None) -> pd.DataFrame:
        """Claims counted by speaker, ...: the frame of :func:`caucasus_corpus.claim_frequency`."""
        return self._table("claim_frequency", {"by": by}, client)

    def stance_matrix(self, *, client: Any = None) -> pd.DataFrame:
        """Holder x target stance counts: the frame of :func:`caucasus_corpus.stance_matrix`."""
        return self._table("stance_matrix", {}, client)

    def threat_table(self, *, client: Any = None) -> pd.DataFrame:
        """One row per threat: the frame of :func:`caucasus_corpus.threat_table`."""
        return self._table("threat_table", {}, client)

    # -- the annotation frames, read from the folder (as the Corpus properties of the same names) --

    claims = property(lambda self: self._annotated.claims, doc="As ``Corpus.claims``.")
    threats = property(lambda self: self._annotated.threats, doc="As ``Corpus.threats``.")
    stance = property(lambda self: self._annotated.stance, doc="As ``Corpus.stance``.")
    mentions = property(lambda self: self._annotated.mentions, doc="As ``Corpus.mentions``.")
    actors = property(lambda self: self._annotated.actors, doc="As ``Corpus.actors``.")
    topics = property(lambda self: self._annotated.topics, doc="As ``Corpus.topics``.")
    annotations = property(lambda self: self._annotated.annotations, doc="As ``Corpus.annotations``.")


def open_parquet(directory: str | os.PathLike[str]) -> ShardedCorpus:
    """Open a sharded Parquet corpus (written by ``corpus.to_parquet(DIR, shard_tokens=...)`` or
    :func:`caucasus_corpus.build_parquet`) without reading its texts; see :class:`ShardedCorpus`.

    Raises ``CorpusNotFoundError`` for a folder without ``layout.json``, ``CorpusFormatError``
    for a folder of layout version 1 (read it with :func:`caucasus_corpus.from_parquet`) and
    ``CorpusIntegrityError`` naming a listed file that is missing or of another size.
    """
    for module in ("pyarrow", "dask"):
        require(module, "cluster")
    root = Path(directory).expanduser().absolute()
    layout = read_layout(root)
    if layout["layout_version"] != 2:
        raise CorpusFormatError(f"{root} holds an unsharded export (layout version {layout['layout_version']}): read it "
                                "with cc.from_parquet, or write it with corpus.to_parquet(DIR, shard_tokens=...)")
    return ShardedCorpus(root, layout)
