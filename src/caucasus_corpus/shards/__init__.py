"""A sharded Parquet corpus (layout version 2), written shard by shard and queried shard by shard,
locally or on a Dask cluster: :func:`build_parquet` and ``corpus.to_parquet(DIR, shard_tokens=...)``
write one (:mod:`.writer`), :func:`open_parquet` opens it lazily (:mod:`.corpus`)."""

from __future__ import annotations

from .corpus import ShardedCorpus, open_parquet
from .writer import build_parquet, write_corpus

__all__ = ["ShardedCorpus", "build_parquet", "open_parquet", "write_corpus"]
