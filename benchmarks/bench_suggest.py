"""Precision, recall and F1 of the suggestion rules against hand-annotated gold, per layer:
in-sample, out-of-sample and per language, printed apart.

Each article is suggested from its text and an actor registry alone (no records), with the rules
of its own language, and scored with the one span matcher (exact, and overlap: at least half of
the shorter span shared), one to one; speaker accuracy is over matched claims and threats. Also
times the rules per article.

    python benchmarks/bench_suggest.py [--path RELEASE] [--heldout RELEASE ...]

* In-sample: the bundled release (or ``--path``). The rules were written while reading its one
  article, and its actor registry was built from that same text, so every name in it is a
  registered alias: these figures are optimistic.
* Out-of-sample: each ``--heldout RELEASE``, a release folder of hand-annotated articles kept
  outside the repository (the rules were not written from them), scored twice: with its own
  registry, and with only the actors the bundled registry also has (``cold``: the names its
  annotators added are unknown to the rules, which must propose them as new actors; the
  ``actor | new`` row scores the proposals against them). Without
  ``--heldout`` nothing out-of-sample is measured: the repository holds no held-out annotated
  release, and none is made up here.
* Per language: the invented texts of ``tests/suggest/test_languages.py`` (fictional names and
  places, written for the tests, and the rules were written with them: in-sample, a handful of
  claims each), claims scored by exact span, with speaker accuracy.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import caucasus_corpus as cc
from caucasus_corpus.suggest import RULES, RULESET, suggest
from caucasus_corpus.suggest.evaluate import evaluate

TESTS = Path(__file__).resolve().parent.parent / "tests" / "suggest" / "test_languages.py"


def fmt(x: float) -> str:
    return "" if x != x else f"{x:.3f}"


def table(corpus, actors=None) -> None:  # type: ignore[no-untyped-def]
    frame = evaluate(corpus, actors=actors)
    print("| layer | subset | matching | gold | suggested | matched | precision | recall | F1 | speaker acc. | attribution acc. |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in frame.itertuples():
        print(f"| {r.layer} | {r.subset} | {r.matching} | {r.gold} | {r.suggested} | {r.matched} | {fmt(r.precision)} | "
              f"{fmt(r.recall)} | {fmt(r.f1)} | {fmt(r.speaker_accuracy)} | {fmt(r.attribution_accuracy)} |")


def timing(corpus) -> float:  # type: ignore[no-untyped-def]
    arts = corpus.articles
    language = dict(zip(arts["article_id"], arts["language"]))
    t0 = time.perf_counter()
    for aid in corpus.article_ids:
        suggest(corpus.text(aid), corpus.actors, language=language.get(aid) or "auto")
    return (time.perf_counter() - t0) / max(1, len(corpus.article_ids))


def per_language() -> None:
    spec = importlib.util.spec_from_file_location("test_languages", TESTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    print("| language | gold claims | suggested | matched (exact) | precision | recall | speaker acc. |")
    print("|---|---|---|---|---|---|---|")
    for language, (text, gold) in sorted(module.TEXTS.items()):
        frame = suggest(text, module.ACTORS[language], language=language)
        mine = [(r.text, r.speaker) for r in frame[frame["layer"] == "claim"].itertuples()]
        gold_by_text = {g[0]: g[1] for g in gold}
        matched = [(t, s) for t, s in mine if t in gold_by_text]
        same = sum(1 for t, s in matched if s == gold_by_text[t])
        p = len(matched) / len(mine) if mine else float("nan")
        r = len(matched) / len(gold) if gold else float("nan")
        acc = same / len(matched) if matched else float("nan")
        print(f"| {language} | {len(gold)} | {len(mine)} | {len(matched)} | {fmt(p)} | {fmt(r)} | {fmt(acc)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--path", default=None, help="in-sample release folder (default: the bundled release)")
    parser.add_argument("--heldout", action="append", default=[], metavar="RELEASE",
                        help="a release folder of hand-annotated articles kept outside the repository (repeatable)")
    args = parser.parse_args()
    corpus = cc.load(args.path) if args.path else cc.load()
    print(f"{RULESET}: {len(RULES)} rules\n")
    print(f"## In-sample: data {corpus.version}, n = {len(corpus.article_ids)} article(s); "
          f"{timing(corpus) * 1000:.0f} ms per article\n")
    table(corpus)
    print("\nIn-sample: the rules were written while reading these articles, and the registry was built from "
          "their texts, so these figures are optimistic.\n")
    print("## Out-of-sample\n")
    if not args.heldout:
        print("Not measured: this repository holds no held-out annotated release (none is made up here). "
              "Pass --heldout RELEASE, a folder of hand-annotated articles the rules were not written from.\n")
    bundled_ids = set(cc.load().actors["actor_id"])
    for folder in args.heldout:
        held = cc.load(folder)
        print(f"### {folder}: data {held.version}, n = {len(held.article_ids)} article(s), "
              f"{len(held.claims)} gold claims, {len(held.mentions)} gold mentions; {timing(held) * 1000:.0f} ms per article\n")
        print("With its own registry:\n")
        table(held)
        cold = held.actors[held.actors["actor_id"].isin(bundled_ids)]
        print(f"\nCold (only the {len(cold)} of its {len(held.actors)} actors the bundled registry has; the rest must be "
              "proposed as new actors):\n")
        table(held, actors=cold)
        print()
    print("## Per language: the invented texts of tests/suggest/test_languages.py (in-sample, tiny n)\n")
    per_language()


if __name__ == "__main__":
    main()
