"""Adjudication: agreed records go to gold, disagreements are decided, every decision is traceable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import FICTION_ID

import caucasus_corpus as cc
import caucasus_corpus.reliability
from caucasus_corpus.reliability.records import record_sha256
from caucasus_corpus.errors import ConcurrentEditError
from caucasus_corpus.release.check import validate

PAIR = ["ann-a", "ann-b"]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _gold(root: Path) -> list[dict]:
    return _lines(root / "annotations/records" / f"{FICTION_ID}.jsonl")


def _log(root: Path) -> list[dict]:
    return _lines(root / "annotations/adjudication" / f"{FICTION_ID}.jsonl")


def _annotator_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "annotations/annotators").rglob("*.jsonl"))}


@pytest.fixture
def fresh(double: Path) -> Path:
    """The double annotation without the fictional gold, so that every gold record comes from adjudication."""
    cc.authoring.save(double, records={FICTION_ID: []})
    return double


def test_agreed_records_go_to_gold_with_fresh_ids_and_provenance(fresh: Path) -> None:
    adj = cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge")
    assert [(i.layer, i.agreed) for i in adj.items] == [("mention", True), ("mention", False), ("mention", False), ("claim", False)]
    entries = adj.write()
    gold = _gold(fresh)
    assert len(gold) == 1 and gold[0]["text"] == "Pell Andor" and gold[0]["annotator"] == "judge"
    assert gold[0]["id"] == f"{FICTION_ID}-m001"  # a gold id, not an annotator's
    [entry] = entries
    assert entry["decision"] == "agreed" and entry["gold"] == [gold[0]["id"]]
    sources = {(s["annotator"], s["record_id"]) for s in entry["sources"]}
    assert sources == {("ann-a", f"{FICTION_ID}-ann-a-m001"), ("ann-b", f"{FICTION_ID}-ann-b-m001")}
    assert _log(fresh) == entries
    assert len(adj.open) == 3 and validate(fresh) == []


def test_every_decision_is_logged_and_no_annotator_record_is_lost(fresh: Path) -> None:
    before = _annotator_files(fresh)
    adj = cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge")
    kesa, mp, claim = (i.item_id for i in adj.open)
    adj.choose(kesa, "ann-a")
    adj.reject(mp, note="not a mention of an actor here")
    adj.edit(claim, base="ann-b", start=adj.item(claim).versions["ann-a"]["start"], end=adj.item(claim).versions["ann-a"]["end"],
             note="span of ann-a, claim type of ann-b")
    adj.write()
    assert _annotator_files(fresh) == before  # adjudication never touches an annotator's records
    log, gold = _log(fresh), {r["id"]: r for r in _gold(fresh)}
    assert [e["decision"] for e in log] == ["agreed", "chose", "rejected", "edited"]
    # every annotator record is a source of some decision, with the hash of what was decided on
    data = cc.reliability.read_annotations(fresh)
    every = {(n, r["id"], record_sha256(r)) for n in PAIR for r in data.records[n][FICTION_ID]}
    assert every == {(s["annotator"], s["record_id"], s["sha256"]) for e in log for s in e["sources"]}
    # every gold record is traced to its decision, and only rejected decisions wrote nothing
    assert sorted(g for e in log for g in e["gold"]) == sorted(gold)
    edited = gold[log[3]["gold"][0]]
    assert (edited["text"], edited["claim_type"], edited["note"]) == ("threatens our farms", "assertion", "span of ann-a, claim type of ann-b")
    assert log[1]["chosen"] == "ann-a" and log[2]["gold"] == [] and log[2]["note"] == "not a mention of an actor here"
    assert validate(fresh) == []
    assert len(cc.load(fresh).annotations) == 3


def test_running_again_after_a_change_shows_only_what_is_new(fresh: Path) -> None:
    adj = cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge")
    for item in adj.open:
        adj.reject(item.item_id)
    adj.write()
    again = cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge")
    assert again.items == [] and again.done == 4
    b = cc.annotate(fresh, FICTION_ID, annotator="ann-b", independent=True)
    b.update(f"{FICTION_ID}-ann-b-c001", claim_type="evaluation")
    after = cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge")
    assert [(i.layer, {n: r and r["id"] for n, r in i.versions.items()}) for i in after.items] == [
        ("claim", {"ann-a": f"{FICTION_ID}-ann-a-c001", "ann-b": f"{FICTION_ID}-ann-b-c001"})]
    assert after.done == 3


def test_a_change_between_reading_and_writing_is_refused_and_nothing_written(fresh: Path) -> None:
    adj = cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge")
    b = cc.annotate(fresh, FICTION_ID, annotator="ann-b", independent=True)
    b.update(f"{FICTION_ID}-ann-b-m001", form="nominal")
    with pytest.raises(ConcurrentEditError, match="ann-b's record .*-ann-b-m001 changed"):
        adj.write()
    assert _gold(fresh) == [] and _log(fresh) == []


def test_existing_gold_is_kept_unless_replaced_and_never_duplicated(double: Path) -> None:
    gold_before = {r["id"] for r in _gold(double)}  # the fictional gold: ten records
    adj = cc.adjudicate(double, FICTION_ID, annotators=PAIR, adjudicator="judge")
    claim = adj.open[-1].item_id
    adj.choose(claim, "ann-b", replaces=["f-c1"])
    entries = adj.write()
    gold = {r["id"]: r for r in _gold(double)}
    # Pell Andor, agreed, is already gold as f-m1: the decision points to it instead of copying it
    assert entries[0]["decision"] == "agreed" and entries[0]["gold"] == ["f-m1"]
    assert set(gold) == (gold_before - {"f-c1"}) | set(entries[1]["gold"])
    assert entries[1]["replaces"] == ["f-c1"] and gold[entries[1]["gold"][0]]["text"] == 'the dam "threatens our farms"'
    with pytest.raises(KeyError, match="unknown gold record"):
        cc.adjudicate(double, FICTION_ID, annotators=PAIR, adjudicator="judge").reject(adj.open[0].item_id, replaces=["f-zz"])


def test_a_release_made_before_adjudication_gets_the_schema_with_its_first_log(fresh: Path) -> None:
    from caucasus_corpus.release import rehash

    (fresh / "annotations/schema/adjudication.schema.json").unlink()
    rehash(fresh)
    cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge").write()
    assert (fresh / "annotations/schema/adjudication.schema.json").is_file() and validate(fresh) == []


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"annotators": ["ann-a"], "adjudicator": "judge"}, ValueError, "two or more"),
    ({"annotators": PAIR, "adjudicator": " "}, ValueError, "adjudicator= is required"),
    ({"annotators": ["ann-a", "ann-z"], "adjudicator": "judge"}, ValueError, "annotator='ann-z' is not valid"),
])
def test_bad_arguments_are_refused_with_the_fix(double: Path, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        cc.adjudicate(double, FICTION_ID, **kwargs)


def test_decisions_are_only_for_open_disagreements(double: Path) -> None:
    adj = cc.adjudicate(double, FICTION_ID, annotators=PAIR, adjudicator="judge")
    with pytest.raises(ValueError, match="agreed by every annotator"):
        adj.reject(adj.agreed[0].item_id)
    item = adj.open[0].item_id
    adj.reject(item)
    with pytest.raises(ValueError, match="already decided"):
        adj.choose(item, "ann-a")
    adj.reopen(item)
    with pytest.raises(ValueError, match="annotator='ann-b' is not valid"):  # ann-b did not mark this unit
        adj.choose(item, "ann-b")


def test_the_adjudication_frame_has_the_documented_columns(double: Path) -> None:
    from support import actual_columns, documented_columns

    adj = cc.adjudicate(double, FICTION_ID, annotators=PAIR, adjudicator="judge")
    frame = adj.frame()
    assert actual_columns(frame) == documented_columns(type(adj).frame)
    assert len(frame) == 2 * len(adj.items)  # one row per annotator's version of each unit
    assert frame[frame["record_id"].isna()]["status"].tolist() == ["open", "open"]  # the two lone mentions


def test_repr_counts_in_words_that_fit_the_number(fresh: Path) -> None:
    adj = cc.adjudicate(fresh, FICTION_ID, annotators=PAIR, adjudicator="judge")
    n = len(adj.disagreements)
    assert f" {n} disagreement{'' if n == 1 else 's'} (" in repr(adj)
    assert " 1 disagreements" not in repr(adj)
