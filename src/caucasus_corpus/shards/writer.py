"""Writing a sharded Parquet corpus (layout version 2), from a corpus or streamed from texts.

Layout version 2 is version 1 (:mod:`caucasus_corpus.interop.parquet`) with the articles and
tokens moved into shards of whole articles, about ``shard_tokens`` tokens each:

=================================  ======================================================================
``layout.json``                    as in version 1, plus ``shards`` (folder, articles, tokens of each,
                                   in corpus order), ``n_tokens``, ``n_types`` and ``vocabulary``
``README.md``                      the dataset card; ``articles`` and ``tokens`` configs read every shard
``vocabulary.parquet``             one row per distinct token string (case kept): ``token_id`` (int32,
                                   numbered in order of first occurrence in the corpus), ``token``,
                                   ``kind`` (word, number, punct) and ``n`` (occurrences in the corpus)
``shards/NNNNN/articles.parquet``  the shard's articles: the columns of ``Corpus.articles`` and ``text``
``shards/NNNNN/tokens.parquet``    one row per token: ``article`` (int32, the article's row in the
                                   shard's articles), ``token_id`` (int32, into the vocabulary),
                                   ``start`` and ``end`` (int32 code point offsets into its text)
``mentions.parquet`` ...           the annotation tables of version 1, unsharded (hand annotations are
                                   small next to the texts), and ``release.parquet`` as in version 1
=================================  ======================================================================

One global vocabulary (not one per shard): a token id means the same string in every shard, so
counts from different shards add up without a merge, and frequency lists come from the
vocabulary's ``n`` alone. The writer holds the vocabulary and one shard in memory, never the
whole corpus; an article is never split across shards, so no context, window or span crosses a
shard boundary. Tokens are those of :mod:`caucasus_corpus.text`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..interop.parquet import (
    ARTICLE_TABLE,
    FORMAT,
    TABLES,
    add_release,
    annotation_tables,
    dataset_card,
    file_entry,
    require,
    staged_folder,
    write_layout,
    write_table,
)
from ..model.articles import ARTICLE_COLUMNS
from ..release.safefile import folder_inside
from ..text.rules import TOKEN_RULES_VERSION, scan, token_kind
from ..vocab import is_slug

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike

__all__ = ["LAYOUT_VERSION", "SHARD_TOKENS", "TOKEN_TABLE", "VOCABULARY_TABLE", "build_parquet", "write_corpus"]

LAYOUT_VERSION = 2
#: Tokens per shard unless told otherwise: a shard's index then takes some tens of megabytes.
SHARD_TOKENS = 1_000_000
TOKEN_TABLE = {"article": "int32", "token_id": "int32", "start": "int32", "end": "int32"}
VOCABULARY_TABLE = {"token_id": "int32", "token": "string", "kind": "string", "n": "int64"}
# Article fields a text's dict may carry besides article_id and text (as cc.from_dataframe takes them).
_METADATA = ("title", "published", "outlet", "url", "genre", "language", "byline", "author", "notes")


class _ShardWriter:
    """Collects articles into shards and writes each when it holds ``shard_tokens`` tokens."""

    def __init__(self, stage: Path, shard_tokens: int) -> None:
        self.stage = stage
        self.shard_tokens = shard_tokens
        self.lookup: dict[str, int] = {}
        self.counts: list[np.ndarray] = []
        self.shards: list[dict[str, Any]] = []
        self.files: dict[str, dict[str, Any]] = {}
        self.ids: set[str] = set()
        self._reset()

    def _reset(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.tokens: list[str] = []
        self.parts: dict[str, list[np.ndarray]] = {"article": [], "start": [], "end": []}

    def add(self, row: dict[str, Any], text: str) -> None:
        if row["article_id"] in self.ids:
            raise ValueError(f"article id {row['article_id']!r} appears twice; article ids must be unique")
        self.ids.add(row["article_id"])
        tokens, start, end, _plain = scan(text)
        if len(text) >= 2**31:
            raise ValueError(f"article {row['article_id']!r} has {len(text):,} characters; a shard stores offsets "
                             "as int32, so an article must be shorter than 2**31 characters")
        self.parts["article"].append(np.full(len(tokens), len(self.rows), dtype=np.int32))
        self.parts["start"].append(start.astype(np.int32))
        self.parts["end"].append(end.astype(np.int32))
        self.tokens.extend(tokens)
        self.rows.append({**row, "text": text})
        if len(self.tokens) >= self.shard_tokens:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        # Ids in order of first occurrence: factorize the shard in C, then number its new types.
        local, uniques = pd.factorize(np.array(self.tokens, dtype=object)) if self.tokens else (np.empty(0, np.int64), [])
        get = self.lookup.setdefault
        mapping = np.fromiter((get(u, len(self.lookup)) for u in list(uniques)), dtype=np.int64, count=len(uniques))
        if len(self.lookup) >= 2**31:
            raise ValueError("more than 2**31 distinct tokens: token ids are int32")
        codes = mapping[local].astype(np.int32) if len(local) else np.empty(0, np.int32)
        self.counts.append(np.bincount(codes, minlength=len(self.lookup)))
        folder = f"shards/{len(self.shards):05d}"
        folder_inside(self.stage, folder, create=True)  # a real folder of our own staging, never a link
        articles = pd.DataFrame(self.rows, columns=list(ARTICLE_TABLE)).astype(ARTICLE_TABLE)
        tokens = pd.DataFrame({"article": np.concatenate(self.parts["article"]), "token_id": codes,
                               "start": np.concatenate(self.parts["start"]), "end": np.concatenate(self.parts["end"])})
        for name, frame, columns in (("articles", articles, ARTICLE_TABLE), ("tokens", tokens, TOKEN_TABLE)):
            path = self.stage / folder / f"{name}.parquet"
            write_table(frame, columns, path)
            self.files[f"{folder}/{name}.parquet"] = file_entry(path, len(frame))
        self.shards.append({"folder": folder, "articles": len(articles), "tokens": len(tokens)})
        self._reset()

    def finish(self, corpus_version: str | None, corpus: CorpusLike | None, annotations: Mapping[str, pd.DataFrame]) -> None:
        self.flush()
        n = np.zeros(len(self.lookup), dtype=np.int64)
        for c in self.counts:
            n[: len(c)] += c
        vocab = list(self.lookup)
        vocabulary = pd.DataFrame({"token_id": np.arange(len(vocab), dtype=np.int32), "token": vocab,
                                   "kind": [token_kind(v) for v in vocab], "n": n})
        write_table(vocabulary, VOCABULARY_TABLE, self.stage / "vocabulary.parquet")
        self.files["vocabulary.parquet"] = file_entry(self.stage / "vocabulary.parquet", len(vocabulary))
        for name, frame in annotations.items():
            path = self.stage / f"{name}.parquet"
            write_table(frame, TABLES[name], path)
            self.files[path.name] = file_entry(path, len(frame))
        shard_files = [f"{s['folder']}/articles.parquet" for s in self.shards]
        layout = {"format": FORMAT, "layout_version": LAYOUT_VERSION, "corpus_version": corpus_version,
                  "fingerprint": None, "has_annotations": bool(annotations), "articles": shard_files,
                  "shards": self.shards, "n_tokens": int(n.sum()), "n_types": len(vocab),
                  "vocabulary": "vocabulary.parquet", "files": self.files}
        layout["token_rules"] = TOKEN_RULES_VERSION  # the tokens' rules: a folder made with others is refused
        if corpus is not None:
            add_release(self.stage, layout, corpus)
        configs: dict[str, str | list[str]] = {"articles": "shards/*/articles.parquet", "tokens": "shards/*/tokens.parquet",
                                               "vocabulary": "vocabulary.parquet"}
        configs.update({name: f"{name}.parquet" for name in annotations})
        columns = {**TABLES, "tokens": TOKEN_TABLE, "vocabulary": VOCABULARY_TABLE}
        (self.stage / "README.md").write_text(dataset_card(layout, configs, columns), encoding="utf-8")
        write_layout(self.stage, layout)


def _check_shard_tokens(shard_tokens: int) -> None:
    if isinstance(shard_tokens, bool) or not isinstance(shard_tokens, int) or shard_tokens < 1:
        raise ValueError(f"shard_tokens={shard_tokens!r} is not valid; give a whole number of tokens, 1 or more "
                         f"(e.g. {SHARD_TOKENS:_})")


def write_corpus(corpus: CorpusLike, directory: str | os.PathLike[str], *, shard_tokens: int = SHARD_TOKENS,
                 overwrite: bool = False) -> Path:
    """Write an in-memory corpus as a sharded folder (layout version 2); returns the folder.
    ``corpus.to_parquet(DIR, shard_tokens=...)`` calls this."""
    _check_shard_tokens(shard_tokens)
    require("pyarrow", "cluster")
    articles = corpus.articles
    with staged_folder(directory, overwrite=overwrite) as stage:
        writer = _ShardWriter(stage, shard_tokens)
        for row in articles.to_dict("records"):
            writer.add(row, corpus.text(row["article_id"]))
        writer.finish(corpus.version, corpus, annotation_tables(corpus))
    return Path(directory).expanduser().absolute()


def _rows(texts: Iterable[Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """(article row, text) for each item: an (article_id, text) pair or a dict with
    ``article_id``, ``text`` and any article fields; ValueError naming the item otherwise."""
    items = texts.items() if isinstance(texts, Mapping) else texts
    for number, item in enumerate(items):
        if isinstance(item, Mapping):
            extra = sorted(set(item) - {"article_id", "text", *_METADATA})
            if extra:
                raise ValueError(f"text number {number}: unknown field(s) {', '.join(map(repr, extra))}; an item "
                                 f"may carry article_id, text and {', '.join(_METADATA)}")
            aid, text, meta = item.get("article_id"), item.get("text"), {k: item[k] for k in _METADATA if k in item}
        elif isinstance(item, tuple) and len(item) == 2:
            (aid, text), meta = item, {}
        else:
            raise ValueError(f"text number {number} is {type(item).__name__}; give (article_id, text) pairs or dicts "
                             "with 'article_id' and 'text'")
        if not is_slug(aid):
            raise ValueError(f"text number {number}: article id {aid!r} is not a slug (lower-case ASCII letters, "
                             "digits and hyphens, starting with a letter or digit)")
        if not isinstance(text, str):
            raise ValueError(f"text number {number} ({aid!r}): the text is {type(text).__name__}, not a str")
        row: dict[str, Any] = {c: pd.NA for c in ARTICLE_COLUMNS}
        row.update({k: pd.NA if v is None or (isinstance(v, str) and not v) else v for k, v in meta.items()})
        try:
            row["published"] = pd.NaT if row["published"] is pd.NA else pd.Timestamp(row["published"])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"text number {number} ({aid!r}): published {meta['published']!r} is not a date ({exc})") from None
        row.update(article_id=aid, n_chars=len(text))
        yield row, text


def build_parquet(texts: Iterable[Any], directory: str | os.PathLike[str], *, shard_tokens: int = SHARD_TOKENS,
                  overwrite: bool = False, progress: bool = True) -> Path:
    """Write a sharded Parquet corpus (layout version 2) from texts streamed one at a time, and
    return the folder; open it with :func:`caucasus_corpus.open_parquet`.

    ``texts`` is any iterable (a generator reading files, a database cursor, ...) of
    ``(article_id, text)`` pairs or of dicts with ``article_id``, ``text`` and any article field
    (title, published, outlet, url, genre, language, byline, author, notes); a dict
    ``{article_id: text}`` works too. Only the current shard (about ``shard_tokens`` tokens) and
    the vocabulary are held in memory. ``progress`` shows a tqdm bar of articles written.

    Raises ``ValueError`` naming the item for an id that is not a slug or repeats, a text that is
    not a string or an unknown field, and ``FileExistsError`` for a folder that is not empty
    (unless ``overwrite=True``); the folder then is as it was.

    >>> import tempfile, caucasus_corpus as cc
    >>> texts = ((f"note-{i}", f"Pell Andor wrote note {i}.") for i in range(3))
    >>> folder = cc.build_parquet(texts, tempfile.mkdtemp() + "/shards", shard_tokens=10, progress=False)
    >>> cc.open_parquet(folder)
    <caucasus_corpus.ShardedCorpus unversioned: 3 article(s), 18 tokens in 2 shard(s)>
    """
    from tqdm.auto import tqdm

    _check_shard_tokens(shard_tokens)
    require("pyarrow", "cluster")
    total = len(texts) if hasattr(texts, "__len__") else None  # type: ignore[arg-type]
    with staged_folder(directory, overwrite=overwrite) as stage:
        writer = _ShardWriter(stage, shard_tokens)
        bar = tqdm(_rows(texts), total=total, unit="article", desc="writing shards", disable=not progress,
                   mininterval=1.0)
        for row, text in bar:
            writer.add(row, text)
            bar.set_postfix(shards=len(writer.shards), refresh=False)
        writer.finish(None, None, {})
    return Path(directory).expanduser().absolute()
