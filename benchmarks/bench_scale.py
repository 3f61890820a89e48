"""Ours alone on a big generated corpus (100M tokens by default): does it run, how long, how much memory.

NLTK is left out: at this size its token list alone would take most of a 24 GB machine. The texts
come from ``bench_engine.corpus_texts`` (the same deterministic made-up words); the index is not
saved (``CAUCASUS_CORPUS_INDEX_CACHE=off``). Memory is the process's peak resident size (VmHWM)
above its size once the texts are made, read from /proc (Linux).

    python benchmarks/bench_scale.py [--tokens 100000000]
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from pathlib import Path

from bench_engine import _status_kb, corpus_texts, pick_words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=100_000_000)
    args = ap.parse_args()
    os.environ["CAUCASUS_CORPUS_INDEX_CACHE"] = "off"
    import caucasus_corpus as cc

    t0 = time.perf_counter()
    texts = corpus_texts(args.tokens)
    words = pick_words(texts)
    print(f"generated {len(texts):,} documents in {time.perf_counter() - t0:.0f} s; words {words}", flush=True)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
    base = _status_kb("VmRSS")
    rows = []

    def step(label: str, fn):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        out = fn()
        rows.append((label, time.perf_counter() - t))
        print(f"{label}: {rows[-1][1]:.2f} s", flush=True)
        return out

    corpus = cc.from_texts(texts)
    step("tokenise + index", lambda: len(corpus.engine))
    step(f"first KWIC, rare word {words['rare']!r}", lambda: corpus.kwic(words["rare"]))
    hits = step(f"first KWIC, frequent word {words['frequent']!r} (makes the flat text)",
                lambda: corpus.kwic(words["frequent"], window=5))
    n_rows = len(hits)
    del hits
    hits = step("the same KWIC again", lambda: corpus.kwic(words["frequent"], window=5))
    del hits
    step("frequency list", lambda: corpus.frequency(kinds=("word", "number", "punct")))
    n_tok = len(corpus.engine)
    peak = (_status_kb("VmHWM") - base) / 1024
    print(f"\n{n_tok:,} tokens, {len(texts):,} documents, {os.cpu_count()} cores; frequent word: {n_rows:,} rows\n")
    print("| step | ours |\n|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} s |")
    print(f"| peak memory above the texts | {peak / 1024:.1f} GB |")


if __name__ == "__main__":
    main()
