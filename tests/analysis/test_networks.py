"""Discourse networks against DNA's definitions, computed again here by plain loops over statements.

The release is invented for the test (fictional actors of Varnia and Ostrel, invented sentences),
never corpus data.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter, defaultdict
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.analysis.networks import plot_network, plot_time_windows, to_gexf, to_graphml
from support import actual_columns, documented_columns, write_release

nx = pytest.importorskip("networkx")

ACTORS = [
    {"actor_id": "varnia", "name": "Varnia", "kind": "state", "aliases": [], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "ostrel", "name": "Ostrel", "kind": "state", "aliases": [], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "green-league", "name": "Green League", "kind": "organisation", "aliases": [], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "river-guild", "name": "River Guild", "kind": "organisation", "aliases": [], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "pell-andor", "name": "Pell Andor", "kind": "person", "aliases": [], "role": "minister", "affiliation": "varnia", "country": "", "notes": "fictional"},
    {"actor_id": "kesa-rimm", "name": "Kesa Rimm", "kind": "person", "aliases": [], "role": "MP", "affiliation": "green-league", "country": "", "notes": "fictional"},
    {"actor_id": "tov-arlen", "name": "Tov Arlen", "kind": "person", "aliases": [], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "mira-sond", "name": "Mira Sond", "kind": "person", "aliases": [], "role": "", "affiliation": "ostrel", "country": "", "notes": "fictional"},
]
KIND = {a["actor_id"]: a["kind"] for a in ACTORS}
AFFILIATION = {a["actor_id"]: a["affiliation"] for a in ACTORS}
TOPICS = [{"topic_id": t, "label": f"the {t.replace('-', ' ')}", "description": "fictional"}
          for t in ("dam", "border-toll", "river-treaty", "fishing-quota")]
DATES = ["2031-01-05", "2031-01-06", "2031-01-20", "2031-02-11", "2031-03-02", "2031-03-30"]
SENTENCES = 9


def _text(n: int) -> str:
    return "".join(f"Invented sentence {k} of note {n}. " for k in range(SENTENCES)).strip() + "\n"


def _statements() -> list[dict]:
    """Seeded random stance records: every holder, polarity (none too) and a recorded organisation sometimes."""
    rng = random.Random(7)
    out = []
    for n, _ in enumerate(DATES):
        text = _text(n)
        for k in range(SENTENCES):
            quoted = f"Invented sentence {k} of note {n}."
            start = text.index(quoted)
            holder = rng.choice([a["actor_id"] for a in ACTORS])
            rec = {"id": f"net-{n}-s{k}", "article_id": f"note-{n}", "layer": "stance", "start": start,
                   "end": start + len(quoted), "text": quoted, "annotator": "test", "holder": holder,
                   "target": rng.choice([t["topic_id"] for t in TOPICS] + ["ostrel"]),
                   "polarity": rng.choice(["favor", "favor", "against", "against", "none"])}
            if KIND[holder] == "person" and rng.random() < 0.3:
                rec["organization"] = rng.choice(["river-guild", "green-league"])
            out.append(rec)
    return out


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from caucasus_corpus.authoring import save
    from caucasus_corpus.release import rehash

    root = write_release(tmp_path_factory.mktemp("net") / "r", texts={f"note-{n}": _text(n) for n in range(len(DATES))},
                         actors=ACTORS, records={})
    records: dict[str, list[dict]] = defaultdict(list)
    for rec in _statements():
        records[rec["article_id"]].append(rec)
    save(root, records=dict(records), actors=ACTORS, topics=TOPICS)
    # Dates for the articles (write_release leaves them empty).
    path = root / "corpus" / "articles.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        row["published"] = DATES[int(row["article_id"].split("-")[1])]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    rehash(root)
    return root


@pytest.fixture(scope="module")
def corpus(release: Path) -> cc.Corpus:
    return cc.load(release)


# -- the definitions, written out plainly -------------------------------------------------------------

def _organization(rec: dict) -> str | None:
    h = rec["holder"]
    if KIND[h] in ("organisation", "state"):
        return h
    return rec.get("organization") or AFFILIATION[h] or None


def reference_statements(variable1: str = "organization", qualifier: bool = True) -> list[tuple[str, str, str]]:
    """(v1, concept, level) of every statement with both values, level '' without a qualifier."""
    out = []
    for rec in _statements():
        v1 = _organization(rec) if variable1 == "organization" else rec["holder"]
        concept = rec["target"] if rec["target"] != "ostrel" else None
        if v1 and concept:
            out.append((v1, concept, rec["polarity"] if qualifier else ""))
    return out


def reference_one_mode(stmts, aggregation: str, normalization: str) -> dict[tuple[str, str], float]:
    nodes = sorted({s[0] for s in stmts})
    concepts = sorted({s[1] for s in stmts})
    levels = sorted({s[2] for s in stmts})
    count = defaultdict(int)
    for v1, c, q in stmts:
        count[v1, c, q] += 1
    total = {i: sum(1 for s in stmts if s[0] == i) for i in nodes}
    out = {}
    for i, j in product(nodes, nodes):
        if i == j:
            out[i, j] = 0.0
            continue
        w = 0.0
        for c in concepts:
            n_i = sum(count[i, c, q] for q in levels)
            n_j = sum(count[j, c, q] for q in levels)
            same = count[i, c, "favor"] * count[j, c, "favor"] + count[i, c, "against"] * count[j, c, "against"]
            differ = count[i, c, "favor"] * count[j, c, "against"] + count[i, c, "against"] * count[j, c, "favor"]
            w += {"ignore": n_i * n_j, "congruence": same, "conflict": differ, "subtract": same - differ}[aggregation]
        if normalization == "average":
            norm = (total[i] + total[j]) / 2
        elif normalization == "cosine":
            norm = total[i] * total[j]
        elif normalization == "jaccard":
            m10 = m01 = m11 = 0
            for c in concepts:
                for q in levels:
                    if count[j, c, q] == 0:
                        m10 += count[i, c, q]
                    if count[i, c, q] == 0:
                        m01 += count[j, c, q]
                    if count[i, c, q] > 0 and count[j, c, q] > 0:
                        m11 += count[i, c, q] * count[j, c, q]
            norm = m10 + m01 + m11
        else:
            norm = 1
        out[i, j] = w / norm if norm else 0.0
    return out


def reference_two_mode(stmts, aggregation: str, normalization: str) -> dict[tuple[str, str], float]:
    rows = sorted({s[0] for s in stmts})
    cols = sorted({s[1] for s in stmts})
    cell = {}
    for i, c in product(rows, cols):
        fav = sum(1 for s in stmts if s[:2] == (i, c) and s[2] == "favor")
        ag = sum(1 for s in stmts if s[:2] == (i, c) and s[2] == "against")
        allq = sum(1 for s in stmts if s[:2] == (i, c))
        cell[i, c] = {"ignore": allq, "subtract": fav - ag, "combine": (1 if fav else 0) + (2 if ag else 0)}[aggregation]
    out = dict(cell)
    if normalization in ("activity", "prominence"):
        for i, c in product(rows, cols):
            group = [(i, x) for x in cols] if normalization == "activity" else [(x, c) for x in rows]
            if aggregation == "ignore":
                denom = sum(cell[g] for g in group)
            elif aggregation == "combine":
                denom = sum(1 for g in group if cell[g] > 0)
            else:
                denom = sum(1 for s in stmts for g in group if s[:2] == g)
            out[i, c] = cell[i, c] / denom if denom else 0.0
    return out


def as_ids(network: pd.DataFrame) -> dict[tuple[str, str], float]:
    rows, cols = network.attrs["row_ids"], network.attrs["column_ids"]
    return {(rows[r], cols[c]): float(network.loc[r, c]) for r in network.index for c in network.columns}


# -- the tests ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("aggregation", ["ignore", "congruence", "conflict", "subtract"])
@pytest.mark.parametrize("normalization", ["no", "average", "jaccard", "cosine"])
def test_one_mode_matches_the_definitions(corpus: cc.Corpus, aggregation: str, normalization: str) -> None:
    net = cc.discourse_network(corpus, network_type="onemode", qualifier_aggregation=aggregation, normalization=normalization)
    expected = reference_one_mode(reference_statements(), aggregation, normalization)
    got = as_ids(net)
    assert set(got) == set(expected)
    assert all(np.isclose(got[k], expected[k]) for k in expected), [(k, got[k], expected[k]) for k in expected if not np.isclose(got[k], expected[k])]
    assert net.shape[0] == net.shape[1] and (np.diag(net.to_numpy()) == 0).all()
    assert (net.to_numpy() == net.to_numpy().T).all()


@pytest.mark.parametrize("normalization", ["no", "jaccard"])
def test_one_mode_without_qualifier_merges_the_levels(corpus: cc.Corpus, normalization: str) -> None:
    net = cc.discourse_network(corpus, network_type="onemode", qualifier=None, normalization=normalization)
    expected = reference_one_mode(reference_statements(qualifier=False), "ignore", normalization)
    got = as_ids(net)
    assert all(np.isclose(got[k], expected[k]) for k in expected)
    if normalization == "jaccard":  # the levels are cells of their own with the qualifier: a different figure
        with_q = as_ids(cc.discourse_network(corpus, network_type="onemode", normalization="jaccard"))
        assert any(not np.isclose(with_q[k], got[k]) for k in got)


@pytest.mark.parametrize("aggregation", ["ignore", "subtract", "combine"])
@pytest.mark.parametrize("normalization", ["no", "activity", "prominence"])
def test_two_mode_matches_the_definitions(corpus: cc.Corpus, aggregation: str, normalization: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # combine with a normalisation warns, as DNA does
        net = cc.discourse_network(corpus, qualifier_aggregation=aggregation, normalization=normalization)
    expected = reference_two_mode(reference_statements(), aggregation, normalization)
    got = as_ids(net)
    assert set(got) == set(expected)
    assert all(np.isclose(got[k], expected[k]) for k in expected)


def test_combine_with_a_normalization_warns_as_dna_does(corpus: cc.Corpus) -> None:
    with pytest.warns(UserWarning, match="cannot be"):
        cc.discourse_network(corpus, qualifier_aggregation="combine", normalization="activity")


def test_labels_attrs_and_organization_rule(corpus: cc.Corpus) -> None:
    net = cc.discourse_network(corpus)
    names = dict(zip(corpus.actors["actor_id"], corpus.actors["name"]))
    labels = dict(zip(corpus.topics["topic_id"], corpus.topics["label"]))
    assert list(net.index) == sorted(net.index) and set(net.index) <= set(names.values())
    assert set(net.columns) <= set(labels.values())
    assert net.attrs["n_statements"] == len(reference_statements())
    assert net.attrs["ids"]["Varnia"] == "varnia"
    assert net.attrs["start"] == pd.Timestamp(DATES[0]) and net.attrs["stop"] == pd.Timestamp(DATES[-1])
    assert net.attrs["parameters"]["network_type"] == "twomode"
    # Tov Arlen has no affiliation: his statements count only where an organisation was recorded with them.
    tov = [r for r in _statements() if r["holder"] == "tov-arlen"]
    counted = sum(1 for r in tov if r.get("organization") and r["target"] != "ostrel")
    assert counted < len(tov)
    assert int(net.to_numpy().sum()) == len(reference_statements())


def test_refuses_what_dna_does_not_allow(corpus: cc.Corpus) -> None:
    bad = [dict(network_type="twomode", qualifier_aggregation="congruence"),
           dict(network_type="twomode", qualifier_aggregation="conflict"),
           dict(network_type="onemode", qualifier_aggregation="combine"),
           dict(network_type="twomode", normalization="jaccard"),
           dict(network_type="twomode", normalization="average"),
           dict(network_type="twomode", normalization="cosine"),
           dict(network_type="onemode", normalization="activity"),
           dict(network_type="onemode", normalization="prominence"),
           dict(network_type="onemode", qualifier=None, qualifier_aggregation="congruence"),
           dict(variable1="topic", variable2="topic"),
           dict(duplicates="weekly"),
           dict(network_type="multiplex"),
           dict(layer="claim")]  # claims have no polarity: qualifier=None is needed
    for options in bad:
        with pytest.raises(ValueError):
            cc.discourse_network(corpus, **options)


def test_duplicates_count_one_statement_per_period(corpus: cc.Corpus) -> None:
    stmts = reference_statements()
    dated = [(s, DATES[int(r["article_id"].split("-")[1])], r["article_id"]) for s, r in
             zip(stmts, [r for r in _statements() if _organization(r) and r["target"] != "ostrel"])]
    for duplicates, period in (("acrossrange", lambda d, a: ""), ("document", lambda d, a: a),
                               ("month", lambda d, a: d[:7]), ("year", lambda d, a: d[:4]),
                               ("week", lambda d, a: pd.Timestamp(d).isocalendar()[:2])):
        net = cc.discourse_network(corpus, duplicates=duplicates)
        assert net.attrs["n_statements"] == len({(s[0], s[1], period(d, a)) for s, d, a in dated}), duplicates
    # With a qualifier aggregation the polarity is part of what makes two statements the same.
    net = cc.discourse_network(corpus, duplicates="acrossrange", qualifier_aggregation="subtract")
    assert net.attrs["n_statements"] == len(set(stmts))


def test_start_stop_and_isolates(corpus: cc.Corpus) -> None:
    part = cc.discourse_network(corpus, network_type="onemode", start="2031-02-01", stop="2031-03-02")
    inside = [r for r in _statements() if "2031-02-01" <= DATES[int(r["article_id"].split("-")[1])] <= "2031-03-02"]
    assert part.attrs["n_statements"] == sum(1 for r in inside if _organization(r) and r["target"] != "ostrel")
    every = cc.discourse_network(corpus, network_type="onemode", start="2031-02-01", stop="2031-03-02", isolates=True)
    assert set(part.index) <= set(every.index)
    assert every.loc[part.index, part.columns].equals(part)


def test_time_windows(corpus: cc.Corpus) -> None:
    w = cc.time_window_networks(corpus, window="30D", step="14D", network_type="onemode")
    assert actual_columns(w) == documented_columns(cc.time_window_networks)
    assert w["start"].iloc[0] == pd.Timestamp(DATES[0])
    assert (w["end"] - w["start"] == pd.Timedelta("30D")).all()
    for row in w.itertuples():
        direct = cc.discourse_network(corpus, network_type="onemode", start=row.start, stop=row.end - pd.Timedelta("1ns"))
        assert row.n_statements == direct.attrs["n_statements"]
        assert row.network.equals(direct)
        n = row.network.shape[0]
        assert row.density == pytest.approx(row.n_edges / (n * (n - 1) / 2) if n > 1 else 0.0)
    assert w["modularity"].notna().any()
    with pytest.raises(ValueError):
        cc.time_window_networks(corpus, window="soon")
    with pytest.raises(ValueError):
        cc.time_window_networks(corpus, colour="red")
    import matplotlib

    matplotlib.use("Agg")
    assert plot_time_windows(w).get_legend() is not None


def test_graph_files_and_plot(corpus: cc.Corpus, tmp_path: Path) -> None:
    one = cc.discourse_network(corpus, network_type="onemode", qualifier_aggregation="subtract")
    g = cc.network_graph(one)
    w = one.to_numpy()
    assert g.number_of_edges() == int(np.count_nonzero(np.triu(w, 1)))
    for u, v, d in g.edges(data=True):
        assert d["weight"] == one.loc[g.nodes[u]["label"], g.nodes[v]["label"]]
        assert d["sign"] == (1 if d["weight"] > 0 else -1)
    two = cc.discourse_network(corpus, qualifier_aggregation="combine")
    b = cc.network_graph(two)
    assert nx.is_bipartite(b)
    assert {d for _, d in b.nodes(data="bipartite")} == {0, 1}
    assert {d["sign"] for *_, d in b.edges(data=True)} <= {1, -1, 0}
    back = nx.read_graphml(to_graphml(one, tmp_path / "net.graphml"))
    assert back.number_of_edges() == g.number_of_edges()
    assert {d["label"] for _, d in back.nodes(data=True)} == set(one.index)
    gexf = nx.read_gexf(to_gexf(two, tmp_path / "net.gexf"))
    assert gexf.number_of_edges() == b.number_of_edges()
    import matplotlib

    matplotlib.use("Agg")
    ax = plot_network(two, layout="bipartite")
    assert len(ax.texts) == b.number_of_nodes()


def test_evidence_of_a_tie(corpus: cc.Corpus) -> None:
    stance = corpus.stance.set_index("id")
    ev = cc.network_evidence(corpus, "Green League", "the dam")
    assert actual_columns(ev) == documented_columns(cc.network_evidence)
    want = {r["id"] for r in _statements() if _organization(r) == "green-league" and r["target"] == "dam"}
    assert set(ev["record_id"]) == want and len(ev) == len(want)
    assert (ev["text"] == stance.loc[ev["record_id"], "text"].to_numpy()).all()
    # A one-mode tie: both actors' statements about the concepts both spoke about (congruence: same polarity).
    a, b = "varnia", "ostrel"
    ev = cc.network_evidence(corpus, a, b, qualifier_aggregation="congruence", network_type="onemode")
    stmts = [(r["id"], _organization(r), r["target"], r["polarity"]) for r in _statements()]
    pairs_a = {(c, p) for _, o, c, p in stmts if o == a and p != "none" and c != "ostrel"}
    pairs_b = {(c, p) for _, o, c, p in stmts if o == b and p != "none" and c != "ostrel"}
    want = {i for i, o, c, p in stmts if o in (a, b) and (c, p) in pairs_a & pairs_b}
    assert set(ev["record_id"]) == want
    net = cc.discourse_network(corpus, network_type="onemode", qualifier_aggregation="congruence")
    assert (net.loc["Varnia", "Ostrel"] > 0) == bool(want)
    with pytest.raises(KeyError):
        cc.network_evidence(corpus, "Nobody", "the dam")


def test_bundled_release_stance_network(bundled: cc.Corpus) -> None:
    net = cc.discourse_network(bundled, network_type="onemode", variable1="holder", variable2="target",
                               qualifier_aggregation="subtract")
    assert net.attrs["n_statements"] == len(bundled.stance)
    assert set(net.index) <= set(bundled.actors["name"])


def test_article_viewer_highlights_the_evidence_of_one_tie(corpus: cc.Corpus) -> None:
    import re

    from caucasus_corpus.widgets import article_viewer

    ev = cc.network_evidence(corpus, "Green League", "the dam")
    aid = ev["article_id"].iloc[0]
    ids = list(ev.loc[ev["article_id"] == aid, "record_id"])
    viewer = article_viewer(corpus, aid, highlight=ids)
    shown = set(" ".join(re.findall(r'data-ids="([^"]*)"', viewer.text.value)).split())
    assert shown == set(ids)
    assert "cc-evidence" in viewer.text.value and viewer.text.target == f'[data-ids~="{ids[0]}"]'
    assert set(re.findall(r"net-\d-s\d", viewer.records.value)) == set(ids)
    everything = set(" ".join(re.findall(r'data-ids="([^"]*)"', article_viewer(corpus, aid).text.value)).split())
    assert set(ids) < everything
    with pytest.raises(KeyError):
        article_viewer(corpus, aid, highlight=["net-9-s9"])


def test_claim_networks_count_speaker_target_pairs(bundled: cc.Corpus) -> None:
    claims = bundled.claims
    pairs = [(s, t) for s, targets in zip(claims["speaker"], claims["targets"]) for t in targets]
    net = cc.discourse_network(bundled, layer="claim", variable1="speaker", variable2="target", qualifier=None)
    names = dict(zip(bundled.actors["actor_id"], bundled.actors["name"]))
    counted = {(names[s], names[t]): n for (s, t), n in Counter(pairs).items()}
    assert {(r, c): int(net.loc[r, c]) for r in net.index for c in net.columns if net.loc[r, c]} == counted
    one = cc.discourse_network(bundled, layer="claim", network_type="onemode", variable1="speaker", variable2="target",
                               qualifier=None)
    speakers = {names[s] for s, _ in pairs}
    assert set(one.index) == speakers


def test_the_checker_holds_the_stance_organization_to_the_registry(tmp_path: Path) -> None:
    from caucasus_corpus.authoring import save
    from caucasus_corpus.errors import CorpusValidationError
    from support import FICTION_ID, FICTION_TEXT, fiction_records, span

    root = write_release(tmp_path / "r")
    s, e = span(FICTION_TEXT, "we will close the border")
    base = {"id": "f-s9", "article_id": FICTION_ID, "layer": "stance", "start": s, "end": e, "text": FICTION_TEXT[s:e],
            "annotator": "test", "holder": "pell-andor", "target": "ostrel", "polarity": "against"}
    save(root, records={FICTION_ID: [*fiction_records(), {**base, "organization": "varnia"}]})
    assert cc.load(root).stance.set_index("id").loc["f-s9", "organization"] == "varnia"
    for org, message in (("nowhere", "is not in annotations/actors.jsonl"), ("kesa-rimm", "of kind 'person'")):
        with pytest.raises(CorpusValidationError, match=message):
            save(root, records={FICTION_ID: [*fiction_records(), {**base, "organization": org}]})
    with pytest.raises(KeyError):  # the session resolves it like the holder: an unknown name is refused
        cc.annotate(root, FICTION_ID, annotator="test").stance(quote="welcomed the warning", holder="Kesa Rimm",
                                                              target="dam", polarity="favor", organization="Nowhere")
    rid = cc.annotate(root, FICTION_ID, annotator="test").stance(quote="welcomed the warning", holder="Kesa Rimm",
                                                                target="dam", polarity="favor", organization="Varnia")
    assert cc.load(root).stance.set_index("id").loc[rid, "organization"] == "varnia"


def test_graph_nodes_say_what_they_are(corpus: cc.Corpus) -> None:
    g = cc.network_graph(cc.discourse_network(corpus, variable1="holder"))
    assert g.nodes["pell-andor"]["kind"] == "person" and g.nodes["varnia"]["kind"] == "state"
    assert g.nodes["dam"]["kind"] == "topic" and g.nodes["dam"]["label"] == "the dam"
