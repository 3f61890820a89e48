"""The adjudication widget driven from Python by clicking its buttons, as a person would."""

from __future__ import annotations

import json
from pathlib import Path

from support import FICTION_ID, annotate_two

from caucasus_corpus.widgets import adjudicator


def _log(root: Path) -> list[dict]:
    path = root / "annotations" / "adjudication" / f"{FICTION_ID}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_decide_every_disagreement_by_clicking_then_write_the_gold(fiction: Path) -> None:
    root = annotate_two(fiction)
    widget = adjudicator(root, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge")
    assert "1 unit(s) agreed" in widget.summary.value and "3 open" in widget.summary.value
    assert [v for _label, v in widget.item.options] == ["d2", "d3", "d4"]
    widget.item.value = "d4"  # the claim: both versions side by side, in context
    assert "<mark>threatens our farms</mark>" in widget.versions.value
    assert '<mark>the dam "threatens our farms"</mark>' in widget.versions.value
    widget.edit_start.value = widget.adjudication.item("d4").versions["ann-a"]["start"]
    widget.edit_end.value = widget.adjudication.item("d4").versions["ann-a"]["end"]
    attrs = json.loads(widget.edit_attributes.value)
    widget.edit_attributes.value = json.dumps({**attrs, "claim_type": "assertion"})
    widget.note.value = "span of ann-a, type of ann-b"
    widget.edit_button.click()
    assert "d4: edited (not written yet)" in widget.status.value
    widget.item.value = "d2"
    widget.choose_buttons["ann-b"].click()  # ann-b did not mark Kesa Rimm: refused, said why
    assert "error: annotator='ann-b' is not valid; choose one of: 'ann-a'" in widget.status.value
    widget.choose_buttons["ann-a"].click()
    widget.item.value = "d3"
    widget.reject_button.click()
    assert _log(root) == []  # nothing is written before Write gold
    widget.write_button.click()
    assert "written: 4 decision(s)" in widget.status.value
    log = _log(root)
    assert [e["decision"] for e in log] == ["agreed", "chose", "rejected", "edited"]
    assert log[3]["note"] == "span of ann-a, type of ann-b"
    assert widget.item.options == () and "No disagreements" in widget.versions.value


def test_bad_edit_json_is_refused_and_nothing_decided(fiction: Path) -> None:
    root = annotate_two(fiction)
    widget = adjudicator(root, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge")
    widget.item.value = "d4"
    widget.edit_attributes.value = "{claim_type: assertion"
    widget.edit_button.click()
    assert "error: attributes: not JSON" in widget.status.value
    widget.edit_attributes.value = json.dumps({"colour": "red"})
    widget.edit_button.click()
    assert "unknown field(s) 'colour'" in widget.status.value
    assert widget.adjudication.item("d4").decision is None
