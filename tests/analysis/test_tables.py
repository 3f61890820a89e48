"""Annotation tables checked against the fictional release's records, counted independently with
collections.Counter straight from the records written to disk (never from our own output)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

import caucasus_corpus as cc

from support import FICTION_ACTORS, FICTION_ID, FICTION_TEXT, REPO, fiction_records, span, write_release

RECORDS = fiction_records()
NAMES = {a["actor_id"]: a["name"] for a in FICTION_ACTORS} | {"dam": "the river dam"}


def of(layer: str) -> list[dict]:
    return [r for r in RECORDS if r["layer"] == layer]


@pytest.fixture
def fic(fiction: Path) -> cc.Corpus:
    return cc.load(fiction)


def test_claim_frequency_by_speaker(fic: cc.Corpus) -> None:
    table = fic.claim_frequency()
    expected = Counter(r["speaker"] for r in of("claim"))
    got = dict(zip(table["speaker"], table["n_claims"]))
    assert got == expected
    assert table["n_claims"].tolist() == sorted(expected.values(), reverse=True)
    for row in table.itertuples():
        assert row.speaker_name == NAMES[row.speaker]
        assert row.share == pytest.approx(expected[row.speaker] / sum(expected.values()))


@pytest.mark.parametrize("by", [["speaker", "claim_type"], ["attribution"], ["article_id", "attribution", "claim_type"]])
def test_claim_frequency_by_several_keys(fic: cc.Corpus, by: list[str]) -> None:
    table = fic.claim_frequency(by=by)
    expected = Counter(tuple(r[k] for k in by) for r in of("claim"))
    assert {tuple(row[k] for k in by): row["n_claims"] for _, row in table.iterrows()} == expected
    assert [c for c in table.columns if c in by] == by


def test_claim_frequency_by_target_counts_each_target(fic: cc.Corpus) -> None:
    table = fic.claim_frequency(by="target")
    expected = Counter(t for r in of("claim") for t in r["targets"])
    assert dict(zip(table["target"], table["n_claims"])) == expected
    assert dict(zip(table["target"], table["target_name"])) == {t: NAMES[t] for t in expected}


def test_claim_frequency_rejects_bad_keys(fic: cc.Corpus) -> None:
    with pytest.raises(ValueError, match="'speaker', 'attribution', 'claim_type', 'target', 'article_id'"):
        fic.claim_frequency(by="holder")
    with pytest.raises(ValueError, match="twice"):
        fic.claim_frequency(by=["speaker", "speaker"])


def test_stance_matrix_cells_and_evidence(tmp_path: Path) -> None:
    extra = dict(of("stance")[0], id="f-s3", polarity="against")
    extra["start"], extra["end"] = span(FICTION_TEXT, "Kesa Rimm, an MP")
    extra["text"] = "Kesa Rimm, an MP"
    records = RECORDS + [extra]
    corpus = cc.load(write_release(tmp_path / "r", records={FICTION_ID: records}))
    m = corpus.stance_matrix()
    stance = [r for r in records if r["layer"] == "stance"]
    cells = Counter((r["holder"], r["target"], r["polarity"]) for r in stance)
    for row in m.itertuples():
        for pol in ("favor", "against", "none"):
            assert getattr(row, pol) == cells[(row.holder, row.target, pol)]
        ids = [r["id"] for r in sorted(stance, key=lambda r: r["start"]) if (r["holder"], r["target"]) == (row.holder, row.target)]
        assert sorted(row.evidence) == sorted(ids) and row.n == len(ids)
        assert row.holder_name == NAMES[row.holder] and row.target_name == NAMES[row.target]
    assert len(m) == len({(r["holder"], r["target"]) for r in stance})
    pol = dict(zip(zip(m["holder"], m["target"]), m["polarity"]))
    assert pol[("kesa-rimm", "pell-andor")] == "mixed" and pol[("pell-andor", "dam")] == "against"
    assert dict(zip(m["target"], m["target_type"]))["dam"] == "topic"


def test_threat_table_names_and_cameo(fic: cc.Corpus) -> None:
    with open(REPO / "annotations" / "cameo-1.1b3-threaten.tsv", encoding="utf-8", newline="") as f:
        cameo = {row["code"]: row["name"] for row in csv.DictReader(f, delimiter="\t")}
    t = fic.threat_table()
    assert t["id"].tolist() == [r["id"] for r in of("threat")]
    row = t.iloc[0]
    rec = of("threat")[0]
    assert (row["speaker"], row["speaker_name"], row["target"], row["target_name"]) == (
        rec["speaker"], NAMES[rec["speaker"]], rec["target"], NAMES[rec["target"]])
    assert (row["explicitness"], row["cameo"], row["cameo_name"]) == (rec["explicitness"], rec["cameo"], cameo[rec["cameo"]])
    assert FICTION_TEXT[row["start"] : row["end"]] == row["text"]


def test_speaker_profile_counts_every_aspect(fic: cc.Corpus) -> None:
    actor = "pell-andor"
    expected: Counter = Counter()
    ids: dict = {}

    def add(aspect: str, category: str, polarity: object, rid: str) -> None:
        expected[(aspect, category, polarity)] += 1
        ids.setdefault((aspect, category, polarity), []).append(rid)

    for r in RECORDS:
        if r["layer"] == "mention" and r["actor"] == actor:
            add("mention", r["form"], None, r["id"])
        if r["layer"] == "claim" and r["speaker"] == actor:
            add("claim", r["claim_type"], None, r["id"])
        if r["layer"] == "claim" and actor in r["targets"]:
            add("claim about", r["speaker"], None, r["id"])
        if r["layer"] == "threat" and r["speaker"] == actor:
            add("threat made", r["target"], None, r["id"])
        if r["layer"] == "threat" and r["target"] == actor:
            add("threat received", r["speaker"], None, r["id"])
        if r["layer"] == "stance" and r["holder"] == actor:
            add("stance held", r["target"], r["polarity"], r["id"])
        if r["layer"] == "stance" and r["target"] == actor:
            add("stance received", r["holder"], r["polarity"], r["id"])
    profile = fic.speaker_profile("Andor")  # an alias
    got = {(row.aspect, row.category, None if str(row.polarity) == "<NA>" else row.polarity): row.n
           for row in profile.itertuples()}
    assert got == expected
    assert set(profile["actor_id"]) == {actor}
    for row in profile.itertuples():
        key = (row.aspect, row.category, None if str(row.polarity) == "<NA>" else row.polarity)
        assert sorted(row.ids) == sorted(ids[key])
        assert row.label == NAMES.get(row.category, row.category)


def test_speaker_profile_unknown_actor(fic: cc.Corpus) -> None:
    with pytest.raises(KeyError, match="did you mean.*Kesa Rimm"):
        fic.speaker_profile("Kesa Ramm")
    # A doubled letter written single is a spelling variant (text.names): found, with less confidence.
    assert fic.resolve_actor("Kesa Rim", explain=True)[::2] == ("kesa-rimm", 0.8)


@pytest.mark.parametrize("call", [
    lambda c: c.claim_frequency(), lambda c: c.stance_matrix(), lambda c: c.threat_table(),
    lambda c: c.speaker_profile("x"), lambda c: c.frequency(by="speaker"),
])
def test_annotation_functions_on_own_texts_say_there_are_none(call) -> None:  # type: ignore[no-untyped-def]
    mine = cc.from_texts({"note": "Varnia and Ostrel."})
    with pytest.raises(cc.NoAnnotationsError, match="no annotations \\(built from your own texts\\).*kwic"):
        call(mine)


def test_module_functions_mirror_methods(fic: cc.Corpus) -> None:
    import pandas as pd

    pd.testing.assert_frame_equal(cc.claim_frequency(fic, by="claim_type"), fic.claim_frequency(by="claim_type"))
    pd.testing.assert_frame_equal(cc.stance_matrix(fic), fic.stance_matrix())
    pd.testing.assert_frame_equal(cc.threat_table(fic), fic.threat_table())
    pd.testing.assert_frame_equal(cc.speaker_profile(fic, "kesa-rimm"), fic.speaker_profile("Kesa Rimm"))
