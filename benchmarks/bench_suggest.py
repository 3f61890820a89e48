"""Precision, recall and F1 of the suggestion rules against the gold records, per layer.

Each article is suggested from its text and the actor registry alone (no records), and scored with
the one span matcher (exact, and overlap: at least half of the shorter span shared), one to one;
speaker accuracy is over matched claims and threats. Also times the rules per article.

    python benchmarks/bench_suggest.py [--path RELEASE]    (default: the bundled release)

Caveat printed with the table: on the bundled release the figures are in-sample. The rules were
written while reading its one article, and its actor registry was built from that same text, so
every name in it is a registered alias (mention recall is optimistic).
"""

from __future__ import annotations

import argparse
import time

import caucasus_corpus as cc
from caucasus_corpus.suggest import RULES, RULESET, suggest
from caucasus_corpus.suggest.evaluate import evaluate


def fmt(x: float) -> str:
    return "" if x != x else f"{x:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--path", default=None, help="release folder (default: the bundled release)")
    args = parser.parse_args()
    corpus = cc.load(args.path) if args.path else cc.load()
    t0 = time.perf_counter()
    for aid in corpus.article_ids:
        suggest(corpus.text(aid), corpus.actors)
    per_article = (time.perf_counter() - t0) / max(1, len(corpus.article_ids))
    table = evaluate(corpus)
    print(f"{RULESET}: {len(RULES)} rules; data {corpus.version}, {len(corpus.article_ids)} article(s); "
          f"{per_article * 1000:.0f} ms per article\n")
    print("| layer | subset | matching | gold | suggested | matched | precision | recall | F1 | speaker acc. | attribution acc. |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in table.itertuples():
        print(f"| {r.layer} | {r.subset} | {r.matching} | {r.gold} | {r.suggested} | {r.matched} | {fmt(r.precision)} | "
              f"{fmt(r.recall)} | {fmt(r.f1)} | {fmt(r.speaker_accuracy)} | {fmt(r.attribution_accuracy)} |")
    print("\nIn-sample on the bundled release: the rules were written while reading its article, and its "
          "registry was built from that text, so these figures are optimistic.")


if __name__ == "__main__":
    main()
