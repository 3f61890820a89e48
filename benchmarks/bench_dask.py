"""A sharded Parquet corpus at scale: writing it, then KWIC and a frequency list, in-process vs Dask.

A deterministic Zipf-like corpus of made-up words (after the recipe of ``bench_engine.py``: 50,000
draws of 1-4 of 15 syllables, which give 14,605 distinct words; documents of about 600 tokens,
full stops, some commas and capitals) is
generated one document at a time and streamed into ``cc.build_parquet``, so the texts are never
all in memory. Then, each phase in a fresh child process (its peak resident memory, ``ru_maxrss``,
is the client's memory):

* ``build``: ``cc.build_parquet(texts, FOLDER, shard_tokens=...)``;
* ``local``: ``cc.open_parquet(FOLDER)`` and the queries shard after shard in that process
  (Dask's synchronous scheduler): a frequency list, KWIC of a frequent word (first run, which
  builds and saves each shard's token index in the cache folder, then again), KWIC of a rare word;
* ``cluster``: the same queries with ``client=Client(LocalCluster(n_workers=..., threads_per_worker=1))``
  (worker processes; the client process only merges).

    python benchmarks/bench_dask.py --tokens 100000000 --shard-tokens 5000000 --folder /tmp/bench-dask

The folder (and the shard indexes under FOLDER-index) are left in place for another run with
``--skip-build``; delete them afterwards. Results print as a Markdown table and as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

SEED = 20261129
N_TYPES = 50_000
DOC_TOKENS = 600


def stream_texts(n_tokens: int) -> Iterator[tuple[str, str]]:
    """(article_id, text) for about ``n_tokens`` tokens, one document at a time (fixed seed)."""
    rng = np.random.default_rng(SEED)
    syll = np.array(["ka", "ri", "mo", "ve", "sta", "lun", "dor", "pe", "shi", "an", "tel", "or", "gu", "zen", "bra"])
    pick = rng.integers(0, len(syll), size=(N_TYPES, 4))
    lens = rng.integers(1, 5, size=N_TYPES)
    words = list(dict.fromkeys("".join(syll[pick[i, : lens[i]]]) for i in range(N_TYPES)))
    cdf = np.cumsum(1.0 / np.arange(1, len(words) + 1))
    cdf /= cdf[-1]
    vocab = np.array(words, dtype=object)
    capitalised = np.array([w.capitalize() for w in words], dtype=object)
    per_doc = int(DOC_TOKENS / 1.1)  # about one token in eleven is punctuation
    made, number = 0, 0
    while made < n_tokens:
        codes = np.minimum(np.searchsorted(cdf, rng.random(per_doc)), len(words) - 1)
        doc = np.where(rng.random(per_doc) < 0.03, capitalised[codes], vocab[codes])
        ends = np.cumsum(rng.integers(8, 25, size=per_doc))
        ends = ends[ends < per_doc]
        comma = rng.random(per_doc) < 0.05
        doc[0] = capitalised[codes[0]]
        doc[comma] = doc[comma] + ","
        doc[ends - 1] = doc[ends - 1] + "."  # a sentence ends; the next word starts with a capital
        doc[ends[ends < per_doc]] = capitalised[codes[ends[ends < per_doc]]]
        doc[-1] = str(doc[-1]).rstrip(",.") + "."
        text = " ".join(doc.tolist())
        made += per_doc + int(comma.sum()) + len(ends) + 1
        yield f"doc-{number:07d}", text
        number += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def phase_build(args: argparse.Namespace) -> dict[str, object]:
    import caucasus_corpus as cc

    seconds, folder = timed(lambda: cc.build_parquet(stream_texts(args.tokens), args.folder,
                                                     shard_tokens=args.shard_tokens, overwrite=True))
    corpus = cc.open_parquet(folder)
    return {"seconds": seconds, "peak_mb": peak_mb(), "disk_bytes": du(Path(folder)), "tokens": corpus.n_tokens,
            "articles": len(corpus), "shards": corpus.n_shards}


def pick_words(corpus) -> dict[str, str]:  # type: ignore[no-untyped-def]
    v = corpus.vocabulary
    v = v[v["kind"] == "word"].sort_values("n", ascending=False)
    rare = v[(v["n"] >= 50) & (v["n"] <= 200)]
    return {"frequent": str(v["token"].iloc[30]), "rare": str(rare["token"].iloc[0])}


def queries(corpus, words: dict[str, str], client) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out: dict[str, object] = {}
    out["frequency list"], freq = timed(lambda: corpus.frequency(client=client))
    out["types"] = len(freq)
    out["kwic frequent (first run)"], hits = timed(lambda: corpus.kwic(words["frequent"], client=client))
    out["kwic frequent"], hits = timed(lambda: corpus.kwic(words["frequent"], client=client))
    out["frequent hits"] = len(hits)
    del hits
    out["kwic rare"], hits = timed(lambda: corpus.kwic(words["rare"], client=client))
    out["rare hits"] = len(hits)
    return out


def phase_local(args: argparse.Namespace) -> dict[str, object]:
    import caucasus_corpus as cc

    corpus = cc.open_parquet(args.folder)
    words = pick_words(corpus)
    return {"words": words, **queries(corpus, words, None), "peak_mb": peak_mb()}


def phase_cluster(args: argparse.Namespace) -> dict[str, object]:
    from distributed import Client, LocalCluster

    import caucasus_corpus as cc

    corpus = cc.open_parquet(args.folder)
    words = pick_words(corpus)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit=0) as cluster, Client(cluster) as client:
        result = queries(corpus, words, client)
        workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return {"words": words, **result, "peak_mb": peak_mb(), "worker_peak_mb": sorted(workers.values())}


def child(phase: str, args: argparse.Namespace) -> dict[str, object]:
    env = {**os.environ, "CAUCASUS_CORPUS_INDEX_CACHE": str(Path(args.folder).with_name(Path(args.folder).name + "-index"))}
    cmd = [sys.executable, __file__, "--phase", phase, "--tokens", str(args.tokens), "--shard-tokens",
           str(args.shard_tokens), "--folder", args.folder, "--workers", str(args.workers)]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=100_000_000)
    parser.add_argument("--shard-tokens", type=int, default=5_000_000)
    parser.add_argument("--folder", default="/tmp/bench-dask")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--phase", choices=["build", "local", "cluster"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps({"build": phase_build, "local": phase_local, "cluster": phase_cluster}[args.phase](args)))
        return
    results = {} if args.skip_build else {"build": child("build", args)}
    results["local"] = child("local", args)
    results["cluster"] = child("cluster", args)
    results["index_cache_bytes"] = du(Path(args.folder + "-index"))
    print(json.dumps(results, indent=1))
    local, cluster = results["local"], results["cluster"]
    print(f"\n| step | in-process, shard by shard | LocalCluster({args.workers} workers) |\n|---|---|---|")
    for key in ("frequency list", "kwic frequent (first run)", "kwic frequent", "kwic rare"):
        print(f"| {key} | {local[key]:.2f} s | {cluster[key]:.2f} s |")
    print(f"| client peak memory | {local['peak_mb']:.0f} MB | {cluster['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
