"""A sharded on-disk corpus, queried shard by shard or on a Dask cluster (empty until that work lands)."""
