"""Discourse networks at scale: a one-mode network over 200,000 stance records and 1,000 actors
(target: under 1 s) and a year of weekly time windows (target: under 5 s).

    python benchmarks/bench_networks.py [--records 200000] [--actors 1000] [--topics 200] [--repeat 3]

The statements are synthetic and seeded (random holders, topics, polarities and dates over one
year; actor and topic ids like ``actor-17``): no text, no corpus data. They sit in a small stand-in
object that offers the frames the network functions read (``articles``, ``actors``, ``topics``,
``stance``), so that the timing is the network computation's, not the checking of 200,000 records
on load. Not a timed test: it prints the figures (best of ``--repeat`` runs).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import caucasus_corpus as cc


class FrameCorpus:
    """The frames of an annotated corpus, generated (see the module docstring)."""

    has_annotations = True

    def __init__(self, n_records: int, n_actors: int, n_topics: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        n_articles = max(1, n_records // 40)
        actor_ids = [f"actor-{i}" for i in range(n_actors)]
        kinds = np.where(rng.random(n_actors) < 0.2, "organisation", "person")
        orgs = [a for a, k in zip(actor_ids, kinds) if k == "organisation"]
        affiliation = [("" if k == "organisation" else orgs[rng.integers(len(orgs))]) for k in kinds]
        self.actors = pd.DataFrame({"actor_id": actor_ids, "name": [f"Actor {i}" for i in range(n_actors)], "kind": kinds,
                                    "aliases": [[] for _ in actor_ids], "role": "", "affiliation": affiliation,
                                    "country": "", "notes": ""}).astype({"actor_id": "string", "name": "string",
                                                                         "kind": "string", "affiliation": "string"})
        self.topics = pd.DataFrame({"topic_id": [f"topic-{i}" for i in range(n_topics)],
                                    "label": [f"Topic {i}" for i in range(n_topics)], "description": ""}).astype("string")
        days = pd.Timestamp("2031-01-01") + pd.to_timedelta(rng.integers(0, 365, n_articles), unit="D")
        self.articles = pd.DataFrame({"article_id": pd.array([f"a-{i}" for i in range(n_articles)], dtype="string"),
                                      "published": days.astype("datetime64[ns]")})
        art = rng.integers(0, n_articles, n_records)
        self.stance = pd.DataFrame({
            "id": pd.array([f"s-{i}" for i in range(n_records)], dtype="string"),
            "article_id": self.articles["article_id"].to_numpy()[art],
            "holder": pd.array(np.array(actor_ids)[rng.integers(0, n_actors, n_records)], dtype="string"),
            "target": pd.array(self.topics["topic_id"].to_numpy()[rng.integers(0, n_topics, n_records)], dtype="string"),
            "target_type": "topic",
            "polarity": pd.array(np.array(["favor", "against", "none"])[rng.choice(3, n_records, p=[0.45, 0.45, 0.1])], dtype="string"),
            "organization": pd.array([pd.NA] * n_records, dtype="string"),
        })


def best(fn, repeat: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    """Best wall-clock and best CPU seconds of ``repeat`` runs (CPU time is what a shared,
    loaded machine does not inflate), and the result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--actors", type=int, default=1_000)
    parser.add_argument("--topics", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = FrameCorpus(args.records, args.actors, args.topics)
    print(f"{args.records:,} stance records, {args.actors:,} actors, {args.topics} topics, one year of dates\n")
    rows = []
    for label, options in [
        ("one-mode holder x holder, ignore", dict(network_type="onemode", variable1="holder")),
        ("one-mode holder, subtract + jaccard", dict(network_type="onemode", variable1="holder", qualifier_aggregation="subtract",
                                                    normalization="jaccard")),
        ("one-mode organization, congruence", dict(network_type="onemode", qualifier_aggregation="congruence")),
        ("two-mode holder x topic, subtract", dict(variable1="holder", qualifier_aggregation="subtract")),
    ]:
        wall, cpu, net = best(lambda: cc.discourse_network(corpus, **options), args.repeat)
        rows.append((label, wall, cpu, f"{net.shape[0]} x {net.shape[1]}", "1 s" if "one-mode" in label else ""))
    for label, modularity in (("52 weekly windows (7D/7D), one-mode holder", False),
                              ("52 weekly windows, with modularity", True)):
        repeat = args.repeat if not modularity else 1
        wall, cpu, w = best(lambda: cc.time_window_networks(corpus, window="7D", step="7D", stop="2031-12-30",
                                                          network_type="onemode", variable1="holder",
                                                          modularity=modularity), repeat)
        rows.append((label, wall, cpu, f"{len(w)} networks", "5 s" if not modularity else ""))
    print("| computation | wall s | CPU s | result | target |")
    print("|---|---|---|---|---|")
    for label, wall, cpu, result, target in rows:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {result} | {target} |")
    print(f"\nload average while measuring: {', '.join(f'{x:.1f}' for x in __import__('os').getloadavg())} "
          f"on {__import__('os').cpu_count()} CPUs (wall-clock grows with the load; CPU time hardly does)")


if __name__ == "__main__":
    main()
