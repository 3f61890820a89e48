"""The adjudication widget driven from Python by clicking its buttons, as a person would; a
selection in the text is set as the browser sets it (UTF-16 offsets of the span picker)."""

from __future__ import annotations

import json
from pathlib import Path

from support import FICTION_ID, annotate_two

import caucasus_corpus as cc
from caucasus_corpus.widgets import adjudicator


def _log(root: Path) -> list[dict]:
    path = root / "annotations" / "adjudication" / f"{FICTION_ID}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _select(widget, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
    """A mouse selection in the picker, in UTF-16 units as the browser sends it."""
    text = widget.adjudication.text
    u16 = lambda cp: len(text[:cp].encode("utf-16-le")) // 2  # noqa: E731
    widget.picker.selection = [u16(start), u16(end)]


def test_decide_every_disagreement_by_clicking_then_write_the_gold(fiction: Path) -> None:
    root = annotate_two(fiction)
    widget = adjudicator(root, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge")
    assert "1 unit agreed" in widget.summary.value and "3 disagreements, 3 open" in widget.summary.value
    assert [v for _label, v in widget.item.options] == ["d2", "d3", "d4"]
    widget.item.value = "d4"  # the claim: both versions side by side, in context
    assert "<mark>threatens our farms</mark>" in widget.versions.value
    assert '<mark>the dam "threatens our farms"</mark>' in widget.versions.value
    # Edit: start from ann-b's version, pick ann-a's span with the mouse, change one attribute.
    a = widget.adjudication.item("d4").versions["ann-a"]
    widget.edit_base.value = "ann-b"
    assert widget.edit_fields["claim_type"].value == "assertion"
    _select(widget, a["start"], a["end"])
    assert "span: \u201cthreatens our farms\u201d" in widget.edit_span.value
    widget.edit_fields["claim_type"].value = "prediction"
    widget.note.value = "span of ann-a, the rest of ann-b"
    widget.edit_button.click()
    assert "d4: took an edited version (not written yet)" in widget.status.value
    widget.item.value = "d2"
    assert widget.choose_buttons["ann-b"].disabled  # ann-b did not mark Kesa Rimm
    widget.choose_buttons["ann-b"].click()  # code can still click it: refused, said why
    assert "error: annotator='ann-b' is not valid; choose one of: 'ann-a'" in widget.status.value
    widget.choose_buttons["ann-a"].click()
    assert "d2: took ann-a's version (not written yet)" in widget.status.value  # whose version
    assert dict((v, label) for label, v in widget.item.options)["d2"].endswith(": took ann-a's version")
    assert widget.choose_buttons["ann-a"].disabled and not widget.reopen_button.disabled
    widget.item.value = "d3"
    assert widget.reopen_button.disabled and not widget.reject_button.disabled  # open: nothing to reopen
    widget.reject_button.click()
    assert _log(root) == []  # nothing is written before Write gold
    widget.write_button.click()
    assert "written: 4 decisions" in widget.status.value
    log = _log(root)
    assert [e["decision"] for e in log] == ["agreed", "chose", "rejected", "edited"]
    assert log[3]["note"] == "span of ann-a, the rest of ann-b"
    (gold,) = [r for r in cc.load(root).annotations.to_dict("records") if r["id"] in log[3]["gold"]]
    assert (gold["text"], gold["attributes"]["claim_type"]) == ("threatens our farms", "prediction")
    assert widget.item.options == () and "No disagreements" in widget.versions.value
    assert all(b.disabled for b in (*widget.choose_buttons.values(), widget.reject_button, widget.reopen_button,
                                    widget.edit_button, widget.write_button))  # nothing left to act on


def test_the_edit_form_follows_the_unit_and_the_cue_is_picked_with_the_mouse(fiction: Path) -> None:
    root = annotate_two(fiction)
    widget = adjudicator(root, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge")
    widget.item.value = "d4"
    text = widget.adjudication.text
    b = widget.adjudication.item("d4").versions["ann-b"]
    _select(widget, b["start"], b["end"])  # the span first ...
    said = text.index("said")
    _select(widget, said, said + 4)  # ... then the cue: it does not replace the span
    widget.cue_button.click()
    assert widget.edit_span.value.count("\u201c") == 2
    assert f"span: \u201c{b['text']}\u201d" in widget.edit_span.value and "cue: \u201csaid\u201d" in widget.edit_span.value
    widget.item.value = "d2"  # another unit: the form shows its version, nothing of d4
    assert set(widget.edit_fields) == {"actor", "form"} and widget.edit_fields["actor"].value == "kesa-rimm"
    assert "Kesa Rimm" in widget.edit_span.value and "said" not in widget.edit_span.value
    widget.item.value = "d4"
    widget.edit_fields["claim_type"].value = ""  # an emptied field removes the attribute: refused by write
    widget.edit_button.click()
    assert widget.adjudication.item("d4").decision["record"].get("claim_type") is None


def test_a_reopened_unit_shows_the_gold_it_decided_before(fiction: Path) -> None:
    # Issue 27, item 11: after an annotator changes a decided unit, the adjudicator sees the gold
    # the earlier decision wrote (which the new decision replaces), next to the versions.
    root = annotate_two(fiction)
    first = adjudicator(root, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge")
    first.item.value = "d4"
    first.choose_buttons["ann-a"].click()
    first.write_button.click()
    (entry,) = [e for e in _log(root) if e["decision"] == "chose"]
    b = cc.annotate(root, FICTION_ID, annotator="ann-b", independent=True)
    (claim,) = [r for r in b.record_list() if r["layer"] == "claim"]
    b.update(claim["id"], claim_type="prediction")
    again = adjudicator(root, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge")
    (unit,) = [v for label, v in again.item.options if "claim" in label]
    again.item.value = unit
    assert "Gold now, from an earlier decision" in again.versions.value
    assert f"<p>{entry['gold'][0]}</p>" in again.versions.value
