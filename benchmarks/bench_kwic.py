"""Time our kwic against NLTK's ConcordanceIndex on the same tokens, in the same run.

The load is synthetic: the bundled seed article's text replicated under COPIES different ids with
``from_texts`` (in memory only; nothing is written or shipped). Tokenising is timed separately,
because both sides start from the same token list.

    python benchmarks/bench_kwic.py [COPIES] [WORD]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from nltk.text import ConcordanceIndex

import caucasus_corpus as cc


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Fastest of ``repeat`` runs, in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(copies: int = 500, word: str = "Russia") -> None:
    seed = cc.load()
    text = seed.text(seed.article_ids[0])
    corpus = cc.from_texts({f"copy-{i:04d}": text for i in range(copies)})

    t0 = time.perf_counter()
    tokens = corpus.tokens["token"].tolist()
    print(f"{copies} copies of the seed article: {len(tokens):,} tokens (tokenising took {time.perf_counter() - t0:.2f} s)")

    # Index building: ours (vocabulary + positions) vs NLTK's offsets dict, case-insensitive both.
    t0 = time.perf_counter()
    len(corpus.engine)  # builds the engine's arrays (the tokens frame is already built)
    ours_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    nltk_index = ConcordanceIndex(tokens, key=lambda s: s.lower())
    nltk_build = time.perf_counter() - t0

    hits = corpus.kwic(word, window=5)
    assert len(hits) == len(nltk_index.offsets(word)), "the two disagree on the number of hits"

    ours_query = best_of(lambda: corpus.kwic(word, window=5))
    nltk_offsets = best_of(lambda: nltk_index.offsets(word))
    nltk_lines = best_of(lambda: nltk_index.find_concordance(word, width=80))

    print(f"hits for {word!r}: {len(hits):,}")
    print(f"index build   ours {ours_build * 1000:9.1f} ms   NLTK ConcordanceIndex {nltk_build * 1000:9.1f} ms   ratio ours/NLTK {ours_build / nltk_build:.2f}")
    print(f"query         ours kwic (DataFrame with contexts, annotations column) {ours_query * 1000:9.1f} ms")
    print(f"              NLTK offsets() {nltk_offsets * 1000:9.3f} ms   find_concordance() {nltk_lines * 1000:9.1f} ms")
    print(f"ratio ours kwic / NLTK find_concordance: {ours_query / nltk_lines:.2f}")
    print(f"ratio (build + query) ours / NLTK: {(ours_build + ours_query) / (nltk_build + nltk_lines):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500, sys.argv[2] if len(sys.argv) > 2 else "Russia")
