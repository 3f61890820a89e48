"""Re-adjudication (issue 27, item 2): a decision on a reopened unit replaces the gold the earlier
decision wrote for it, and a unit is decided once while its records are unchanged.

The walk-through is notebook 07's own (its invented example text and annotators, run through the
API as the notebook runs it): ann-b changes its threat after the first adjudication, and taking
ann-b's changed version must leave one gold threat, not two.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import ConcurrentEditError
from caucasus_corpus.release.check import validate
from support import FICTION_ID, write_release

PAIR = ["ann-a", "ann-b"]
ARTICLE = "example-dam"
EXAMPLE = (  # notebook 07's invented example text, not a real article
    "Varnia warns Ostrel over a river dam (example text)\n\n"
    "Varnian foreign minister Pell Andor said that the dam threatens our farms. "
    "Andor added: \"If Ostrel keeps building, we will close the border.\" "
    "Kesa Rimm, an MP, welcomed the warning.\n"
)
THREAT = "If Ostrel keeps building, we will close the border."


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def gold(root: Path, article: str = ARTICLE) -> list[dict]:
    return _lines(root / "annotations/records" / f"{article}.jsonl")


def log(root: Path, article: str = ARTICLE) -> list[dict]:
    return _lines(root / "annotations/adjudication" / f"{article}.jsonl")


@pytest.fixture
def walkthrough(tmp_path: Path) -> Path:
    """Notebook 07 up to its first ``adj.write()``: both annotators' records and the decisions it takes."""
    work = write_release(tmp_path / "work", texts={ARTICLE: EXAMPLE}, records={ARTICLE: []})
    a = cc.annotate(work, ARTICLE, annotator="ann-a", independent=True)
    with a.batch():
        a.mention(quote="Pell Andor", actor="pell-andor", form="name")
        a.mention(quote="Andor", occurrence=2, actor="pell-andor", form="name")
        a.mention(quote="Kesa Rimm", actor="kesa-rimm", form="name")
        a.claim(quote="the dam threatens our farms", speaker="pell-andor", cue="said", attribution="indirect",
                claim_type="evaluation", targets=["ostrel"])
        a.claim(quote=THREAT, speaker="pell-andor", cue="added", attribution="direct", claim_type="assertion", targets=["ostrel"])
        a.threat(quote="we will close the border", speaker="pell-andor", target="ostrel", explicitness="explicit",
                 cameo="1381", plover_mode="restrict")
    b = cc.annotate(work, ARTICLE, annotator="ann-b", independent=True)
    with b.batch():
        b.mention(quote="Pell Andor", actor="pell-andor", form="name")
        b.mention(quote="Andor", occurrence=2, actor="pell-andor", form="name")
        b.mention(quote="an MP", actor="kesa-rimm", form="nominal")
        b.claim(quote="threatens our farms", speaker="pell-andor", cue="said", attribution="indirect",
                claim_type="evaluation", targets=["ostrel"])
        b.claim(quote=THREAT, speaker="pell-andor", cue="added", attribution="direct", claim_type="prediction", targets=["ostrel"])
        b.threat(quote=THREAT, speaker="pell-andor", target="ostrel", explicitness="explicit", cameo="1381")
    adj = cc.adjudicate(work, ARTICLE, annotators=PAIR, adjudicator="tutorial")

    def unit(layer: str, annotator: str, text: str) -> str:
        return next(i.item_id for i in adj.open if i.layer == layer and i.versions[annotator]
                    and i.versions[annotator]["text"] == text)

    adj.choose(unit("mention", "ann-a", "Kesa Rimm"), "ann-a", note="name mention")
    adj.choose(unit("mention", "ann-b", "an MP"), "ann-b", note="nominal mention of the same actor")
    adj.choose(unit("claim", "ann-a", "the dam threatens our farms"), "ann-a", note="C2: the content clause")
    adj.choose(unit("claim", "ann-a", THREAT), "ann-b", note="C5: the speaker's stated intention is a prediction")
    adj.edit(unit("threat", "ann-b", THREAT), base="ann-b", plover_mode="restrict", note="T3: the whole statement; T7")
    adj.write()
    return work


def ann_b_changes_its_threat(work: Path) -> None:
    b = cc.annotate(work, ARTICLE, annotator="ann-b", independent=True)
    b.update(b.records[b.records["layer"] == "threat"]["id"].iloc[0], explicitness="implicit")


def threats(work: Path) -> list[dict]:
    return [r for r in gold(work) if r["layer"] == "threat"]


def test_taking_the_changed_version_replaces_the_gold_threat_of_the_first_decision(walkthrough: Path) -> None:
    [first] = threats(walkthrough)
    ann_b_changes_its_threat(walkthrough)
    again = cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="tutorial")
    [item] = again.open
    assert item.layer == "threat" and item.previous == [first["id"]] and item.reopened
    again.choose(item.item_id, "ann-b", note="ann-b's revised reading")  # Exercise 2's solution
    [entry] = again.write()
    [now] = threats(walkthrough)  # one gold threat on the span, not two
    assert now["explicitness"] == "implicit" and now["id"] != first["id"]
    assert entry["replaces"] == [first["id"]] and entry["gold"] == [now["id"]]
    assert cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="tutorial").open == []
    assert validate(walkthrough) == []


def test_a_reopened_unit_rejected_removes_its_earlier_gold(walkthrough: Path) -> None:
    [first] = threats(walkthrough)
    ann_b_changes_its_threat(walkthrough)
    again = cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="tutorial")
    again.reject(again.open[0].item_id, note="neither reading holds")
    [entry] = again.write()
    assert threats(walkthrough) == [] and entry["replaces"] == [first["id"]] and entry["gold"] == []


def test_a_reopened_agreed_unit_replaces_the_agreed_gold(walkthrough: Path) -> None:
    [agreed] = [r for r in gold(walkthrough) if r["text"] == "Pell Andor"]
    b = cc.annotate(walkthrough, ARTICLE, annotator="ann-b", independent=True)
    b.update(b.records[b.records["text"] == "Pell Andor"]["id"].iloc[0], form="nominal")
    again = cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="tutorial")
    [item] = again.open
    assert item.previous == [agreed["id"]]
    again.choose(item.item_id, "ann-b")
    [entry] = again.write()
    [now] = [r for r in gold(walkthrough) if r["text"] == "Pell Andor"]
    assert now["form"] == "nominal" and entry["replaces"] == [agreed["id"]] and validate(walkthrough) == []


def test_an_explicit_replaces_still_works_next_to_the_earlier_gold(walkthrough: Path) -> None:
    [first] = threats(walkthrough)
    [mp] = [r for r in gold(walkthrough) if r["text"] == "an MP"]
    ann_b_changes_its_threat(walkthrough)
    again = cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="tutorial")
    again.choose(again.open[0].item_id, "ann-b", replaces=[mp["id"]])
    [entry] = again.write()
    assert entry["replaces"] == [first["id"], mp["id"]]
    assert {r["text"] for r in gold(walkthrough)}.isdisjoint({"an MP"}) and len(threats(walkthrough)) == 1


def test_the_same_version_again_keeps_the_gold_record(walkthrough: Path) -> None:
    [first] = threats(walkthrough)
    ann_b_changes_its_threat(walkthrough)
    again = cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="tutorial")
    item = again.open[0]
    version = {k: first[k] for k in ("start", "end", "explicitness", "plover_mode")}
    again.edit(item.item_id, base="ann-a", **version)  # the very version the gold holds
    [entry] = again.write()
    assert threats(walkthrough) == [first] and entry["gold"] == [first["id"]] and entry["replaces"] == []


def test_a_stale_adjudication_cannot_decide_a_unit_twice(walkthrough: Path) -> None:
    ann_b_changes_its_threat(walkthrough)
    one = cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="tutorial")
    two = cc.adjudicate(walkthrough, ARTICLE, annotators=PAIR, adjudicator="someone-else")
    one.choose(one.open[0].item_id, "ann-b")
    one.write()
    before = (gold(walkthrough), log(walkthrough))
    two.choose(two.open[0].item_id, "ann-a")
    with pytest.raises(ConcurrentEditError, match="decided by another adjudication"):
        two.write()
    assert (gold(walkthrough), log(walkthrough)) == before and len(threats(walkthrough)) == 1


def test_a_stale_adjudication_of_agreed_units_logs_nothing_twice(tmp_path: Path) -> None:
    from support import annotate_two

    root = annotate_two(write_release(tmp_path / "r", records={FICTION_ID: []}))
    one = cc.adjudicate(root, FICTION_ID, annotators=PAIR, adjudicator="judge")
    two = cc.adjudicate(root, FICTION_ID, annotators=PAIR, adjudicator="judge")
    one.write()  # the agreed unit
    with pytest.raises(ConcurrentEditError, match="decided by another adjudication"):
        two.write()
    assert len(log(root, FICTION_ID)) == 1
