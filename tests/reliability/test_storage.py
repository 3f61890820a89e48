"""Independent annotation: stored apart from the gold, listed in the manifest, checked by the one checker."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from support import FICTION_ID, REPO

import caucasus_corpus as cc
from caucasus_corpus.reliability import read_annotations
from caucasus_corpus.release import rehash
from caucasus_corpus.release.check import validate


def _manifest_hashes(root: Path) -> dict[str, str]:
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return {r["path"]: r["hash"].removeprefix("sha256:") for r in desc["resources"]}


def test_an_independent_session_writes_apart_and_never_reads_the_gold(fiction: Path) -> None:
    gold_before = (fiction / "annotations/records" / f"{FICTION_ID}.jsonl").read_bytes()
    session = cc.annotate(fiction, FICTION_ID, annotator="ann-a", independent=True)
    assert session.records.empty  # the gold has ten records; an independent annotator sees none
    rid = session.mention(quote="Kesa Rimm", actor="Kesa Rimm", form="name")
    own = fiction / "annotations/annotators/ann-a" / f"{FICTION_ID}.jsonl"
    assert [json.loads(line)["id"] for line in own.read_text(encoding="utf-8").splitlines()] == [rid]
    assert rid == f"{FICTION_ID}-ann-a-m001"
    assert (fiction / "annotations/records" / f"{FICTION_ID}.jsonl").read_bytes() == gold_before
    assert _manifest_hashes(fiction)[f"annotations/annotators/ann-a/{FICTION_ID}.jsonl"] == hashlib.sha256(own.read_bytes()).hexdigest()
    assert len(cc.load(fiction).annotations) == 10  # the gold corpus is what it was
    assert validate(fiction) == []


def test_an_annotator_never_sees_another_annotators_records(fiction: Path) -> None:
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a", independent=True)
    b = cc.annotate(fiction, FICTION_ID, annotator="ann-b", independent=True)
    a.mention(quote="Kesa Rimm", actor="kesa-rimm", form="name")
    b.reload()
    assert b.records.empty
    assert cc.annotate(fiction, FICTION_ID, annotator="ann-b", independent=True).records.empty
    b.mention(quote="Kesa Rimm", actor="kesa-rimm", form="name")  # the same span: ids never collide
    data = read_annotations(fiction)
    assert data.annotators == ("ann-a", "ann-b")
    assert [r["id"] for r in data.records["ann-b"][FICTION_ID]] == [f"{FICTION_ID}-ann-b-m001"]


def test_actors_are_one_registry_shared_by_annotators(fiction: Path) -> None:
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a", independent=True)
    b = cc.annotate(fiction, FICTION_ID, annotator="ann-b", independent=True)
    a.add_actor("varnian-farmers", name="Varnian farmers", kind="group", aliases=["our farms"])
    b.reload()
    b.mention(quote="our farms", actor="Varnian farmers", form="nominal")
    registry = (fiction / "annotations/actors.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["actor_id"] for line in registry].count("varnian-farmers") == 1
    assert read_annotations(fiction).records["ann-b"][FICTION_ID][0]["actor"] == "varnian-farmers"


def test_independent_names_must_be_slugs(fiction: Path) -> None:
    with pytest.raises(ValueError, match="slug"):
        cc.annotate(fiction, FICTION_ID, annotator="Ann A", independent=True)


def test_the_checker_reports_bad_annotator_files_with_file_and_line(fiction: Path) -> None:
    folder = fiction / "annotations/annotators/ann-a"
    folder.mkdir(parents=True)
    good = {"id": "x-m001", "article_id": FICTION_ID, "layer": "mention", "start": 0, "end": 6, "text": "Varnia",
            "annotator": "ann-a", "actor": "varnia", "form": "name"}
    # Each line another annotation (a note), so that none is a duplicate of another.
    lines = [good, {**good, "id": "x-m002", "annotator": "ann-b", "note": "b"}, {**good, "id": "f-m1", "note": "c"},
             {**good, "id": "x-m003", "end": 7}]
    (folder / f"{FICTION_ID}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    (folder / "no-such-article.jsonl").write_text("", encoding="utf-8")
    rehash(fiction)
    problems = [str(p) for p in validate(fiction)]
    path = f"annotations/annotators/ann-a/{FICTION_ID}.jsonl"
    assert any(p.startswith(f"{path}:2:") and "differs from the folder 'ann-a'" in p for p in problems), problems
    assert any(p.startswith(f"{path}:3:") and "id already used at annotations/records/" in p for p in problems), problems
    assert any(p.startswith(f"{path}:4:") and "differs from the article text" in p for p in problems), problems
    assert any(p.startswith("annotations/annotators/ann-a/no-such-article.jsonl") and "no article" in p for p in problems), problems
    assert len(problems) == 4, problems
    with pytest.raises(cc.CorpusValidationError):
        read_annotations(fiction)


def test_an_unlisted_annotator_file_is_reported(fiction: Path) -> None:
    folder = fiction / "annotations/annotators/ann-a"
    folder.mkdir(parents=True)
    (folder / f"{FICTION_ID}.jsonl").write_text("", encoding="utf-8")
    assert any("not listed" in str(p) for p in validate(fiction))


def test_the_adjudication_log_is_checked_against_its_schema(fiction: Path) -> None:
    folder = fiction / "annotations/adjudication"
    folder.mkdir(parents=True)
    entry = {"decision_id": "d001", "article_id": FICTION_ID, "layer": "claim", "decision": "maybe", "chosen": None,
             "adjudicator": "judge", "time": "2031-03-01T10:00:00Z", "sources": [], "gold": [], "replaces": []}
    lines = [entry, {**entry, "decision_id": "d002", "decision": "rejected"}, {**entry, "decision_id": "d002", "decision": "agreed"}]
    (folder / f"{FICTION_ID}.jsonl").write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    rehash(fiction)
    problems = [str(p) for p in validate(fiction)]
    assert problems == [
        f"annotations/adjudication/{FICTION_ID}.jsonl:1: decision: decision: 'maybe' is not allowed; "
        "use one of 'agreed', 'chose', 'edited', 'rejected'",
        f"annotations/adjudication/{FICTION_ID}.jsonl:3: decision: decision_id 'd002' already used on line 2",
    ]


def test_a_release_without_the_adjudication_schema_says_to_add_it(fiction: Path) -> None:
    (fiction / "annotations/schema/adjudication.schema.json").unlink()
    (fiction / "annotations/adjudication").mkdir()
    (fiction / "annotations/adjudication" / f"{FICTION_ID}.jsonl").write_text("", encoding="utf-8")
    rehash(fiction)
    assert [str(p) for p in validate(fiction)] == [
        "datapackage.json: annotations/schema/adjudication.schema.json is not listed; adjudication logs need it "
        "(copy it from the caucasus-corpus release, then rehash)"]


def test_the_bundled_release_has_one_annotator_and_no_independent_records() -> None:
    data = read_annotations(None)
    assert data.annotators == ()
    assert data.gold_annotators == ("annotator-1",)
    assert not (REPO / "annotations" / "annotators").exists()
    assert cc.agreement(None).empty


def test_annotator_files_need_the_bump_of_annotations(double: Path, tmp_path: Path) -> None:
    from support import copy_release

    from caucasus_corpus.release.versioning import bump_from_hashes

    before = copy_release(double, tmp_path / "before")
    assert bump_from_hashes({"added": [f"annotations/annotators/ann-a/{FICTION_ID}.jsonl"], "removed": [], "changed": []})[0] == "minor"
    assert bump_from_hashes({"added": [], "removed": [f"annotations/adjudication/{FICTION_ID}.jsonl"], "changed": []})[0] == "major"
    cc.adjudicate(double, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge").write()
    assert cc.diff(before, double).implied_bump == "minor"  # a log added; the agreed record was already gold
    (double / "annotations/annotators/ann-b" / f"{FICTION_ID}.jsonl").unlink()
    rehash(double)
    assert cc.diff(before, double).implied_bump == "major"
