"""Discourse networks at scale: a one-mode network over 200,000 stance records and 1,000 actors
(target: under 1 s) and a year of weekly time windows (target: under 5 s).

    python benchmarks/bench_networks.py [--records 200000] [--actors 1000] [--topics 200] [--repeat 3]

The statements are synthetic and seeded (random holders, topics, polarities and dates over one
year; actor and topic ids like ``actor-17``): no text, no corpus data. They sit in a small stand-in
object that offers the frames the network functions read (``articles``, ``actors``, ``topics``,
``stance``), so that the timing is the network computation's, not the checking of 200,000 records
on load. Not a timed test: it prints the figures (best of ``--repeat`` runs).

The peer is plain pandas on the same stance frame in the same run: ``pd.crosstab`` of the counts
per (holder, concept) and ``DataFrame.dot`` for ``sum_c n_i(c) * n_j(c)`` with the diagonal set
to 0 (a self-merge on the concept gives the same sums but would make, by count, about 80 million
pair rows at 200,000 records: some 126,000 (holder, topic) pairs, about 630 holders per topic); for subtract + jaccard the crosstabs
per polarity, ``(favor - against)(favor - against)^T`` over DNA's ``m10 + m01 + m11``. Each peer
matrix is asserted equal to ours (relabelled by actor name) before anything is timed; for the
time windows, the same pandas peer runs per window and its tie counts are asserted equal to
ours. ``peer / ours`` is the peer's best wall-clock over ours (above 1: ours is faster).
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


def _labelled(w: pd.DataFrame, corpus: FrameCorpus, net: pd.DataFrame) -> np.ndarray:
    """The peer's id-labelled matrix in the order of our name-labelled one."""
    ids = net.attrs["ids"]
    order = [ids[label] for label in net.index]
    return w.reindex(index=order, columns=order, fill_value=0).to_numpy()


def _zero_diagonal(w: pd.DataFrame) -> pd.DataFrame:
    values = w.to_numpy(copy=True)  # pandas' copy-on-write makes .values read-only
    np.fill_diagonal(values, 0)
    return pd.DataFrame(values, index=w.index, columns=w.columns)


def pandas_ignore(stance: pd.DataFrame) -> pd.DataFrame:
    """Peer: one-mode ``ignore``, holder x holder through topics, in plain pandas."""
    counts = pd.crosstab(stance["holder"], stance["target"])  # n_i(c)
    return _zero_diagonal(counts.dot(counts.T))


def pandas_subtract_jaccard(stance: pd.DataFrame) -> pd.DataFrame:
    """Peer: one-mode ``subtract`` normalised by DNA's jaccard, in plain pandas."""
    cells = pd.crosstab(stance["holder"], [stance["polarity"], stance["target"]])  # a[i, (k, c)]
    favor = cells.xs("favor", axis=1, level=0).reindex(columns=cells.columns.levels[1], fill_value=0)
    against = cells.xs("against", axis=1, level=0).reindex(columns=cells.columns.levels[1], fill_value=0)
    d = favor - against
    w = d.dot(d.T).astype(float)
    m11 = cells.dot(cells.T)
    m10 = cells.sum(axis=1).to_numpy()[:, None] - cells.dot((cells > 0).astype(int).T)
    norm = m10 + m10.T + m11
    return _zero_diagonal((w / norm.where(norm != 0)).fillna(0.0))


def pandas_windows(stance: pd.DataFrame, articles: pd.DataFrame, windows: pd.DataFrame) -> list[int]:
    """Peer: the pandas ``ignore`` network per window, returning each window's number of ties."""
    dated = stance.merge(articles, on="article_id")
    ties = []
    for start, end in zip(windows["start"], windows["end"]):
        part = dated[(dated["published"] >= start) & (dated["published"] < end)]
        w = pandas_ignore(part)
        ties.append(int(np.count_nonzero(w.to_numpy())) // 2)
    return ties


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
    peers = {"one-mode holder x holder, ignore": pandas_ignore,
             "one-mode holder, subtract + jaccard": pandas_subtract_jaccard}
    for label, options in [
        ("one-mode holder x holder, ignore", dict(network_type="onemode", variable1="holder")),
        ("one-mode holder, subtract + jaccard", dict(network_type="onemode", variable1="holder", qualifier_aggregation="subtract",
                                                    normalization="jaccard")),
        ("one-mode organization, congruence", dict(network_type="onemode", qualifier_aggregation="congruence")),
        ("two-mode holder x topic, subtract", dict(variable1="holder", qualifier_aggregation="subtract")),
    ]:
        wall, cpu, net = best(lambda: cc.discourse_network(corpus, **options), args.repeat)
        peer_wall, peer_cpu = float("nan"), float("nan")
        if label in peers:
            peer = peers[label]
            mine, theirs = net.to_numpy(dtype=float), _labelled(peer(corpus.stance), corpus, net)
            assert mine.shape == theirs.shape and np.allclose(mine, theirs, rtol=1e-12, atol=0), f"pandas differs: {label}"
            peer_wall, peer_cpu, _ = best(lambda: peer(corpus.stance), args.repeat)
        rows.append((label, wall, cpu, f"{net.shape[0]} x {net.shape[1]}", "1 s" if "one-mode" in label else "",
                     peer_wall, peer_cpu))
    for label, modularity in (("52 weekly windows (7D/7D), one-mode holder", False),
                              ("52 weekly windows, with modularity", True)):
        repeat = args.repeat if not modularity else 1
        wall, cpu, w = best(lambda: cc.time_window_networks(corpus, window="7D", step="7D", stop="2031-12-30",
                                                          network_type="onemode", variable1="holder",
                                                          modularity=modularity), repeat)
        peer_wall, peer_cpu = float("nan"), float("nan")
        if not modularity:  # the peer computes no modularity: compared on the row without it only
            assert pandas_windows(corpus.stance, corpus.articles, w) == w["n_edges"].tolist(), "pandas windows differ"
            peer_wall, peer_cpu, _ = best(lambda: pandas_windows(corpus.stance, corpus.articles, w), args.repeat)
        rows.append((label, wall, cpu, f"{len(w)} networks", "5 s" if not modularity else "", peer_wall, peer_cpu))
    print("| computation | wall s | CPU s | result | target | pandas wall s | pandas CPU s | pandas / ours |")
    print("|---|---|---|---|---|---|---|---|")
    for label, wall, cpu, result, target, peer_wall, peer_cpu in rows:
        if peer_wall == peer_wall:  # not NaN
            peer = f"{peer_wall:.2f} | {peer_cpu:.2f} | {peer_wall / wall:.1f}"
        else:
            peer = "- | - | -"
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {result} | {target} | {peer} |")
    print("\npeer: plain pandas (crosstab + DataFrame.dot) on the same stance frame, results asserted equal to ours")
    print(f"\nload average while measuring: {', '.join(f'{x:.1f}' for x in __import__('os').getloadavg())} "
          f"on {__import__('os').cpu_count()} CPUs (wall-clock grows with the load; CPU time hardly does)")


if __name__ == "__main__":
    main()
