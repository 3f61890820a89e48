"""The annotator widget's Suggestions mode driven from Python as the browser drives it: accept,
fix then accept, reject, accept all of one layer after a preview; UTF-16 offsets in the messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from caucasus_corpus.authoring.articles import add_article
from caucasus_corpus.widgets import annotator

# Invented text; the emoji makes UTF-16 and code-point offsets differ after it.
TEXT = ("Varnia \U0001f30a news\n\n"
        '"The river is ours," said Pell Andor. The Ostrel water board claimed that the dam is legal.\n')


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@pytest.fixture
def widget(fiction: Path):  # type: ignore[no-untyped-def]
    aid = add_article(fiction, text=TEXT, title="Varnia news", language="en", id="varnia-suggest")
    w = annotator(fiction, aid, annotator="aliyeva")
    assert w.handle({"op": "suggest"}).endswith("suggestions (not records until accepted)")
    return w


def shown(widget, layer: str, text: str) -> dict:  # type: ignore[no-untyped-def]
    (s,) = [s for s in widget.suggestions if s["layer"] == layer and s["text"] == text]
    return s


def test_suggestions_carry_utf16_offsets_and_are_not_records(widget) -> None:  # type: ignore[no-untyped-def]
    s = shown(widget, "claim", "The river is ours")
    start = TEXT.index("The river")
    assert (s["start"], s["u16_start"]) == (start, utf16(TEXT, start)) and s["u16_start"] == start + 1
    assert s["u16_cue"] == [utf16(TEXT, TEXT.index("said")), utf16(TEXT, TEXT.index("said") + 4)]
    assert widget.records == []


def test_accept_makes_the_persons_record_and_drops_the_suggestion(widget) -> None:  # type: ignore[no-untyped-def]
    s = shown(widget, "claim", "The river is ours")
    status = widget.handle({"op": "accept", "id": s["suggestion_id"]})
    assert status.startswith("saved ")
    (rec,) = [r for r in widget.records if r["layer"] == "claim"]
    assert (rec["text"], rec["speaker"], rec["annotator"], rec["cue"]["text"]) == ("The river is ours", "pell-andor", "aliyeva", "said")
    assert s["suggestion_id"] not in {x["suggestion_id"] for x in widget.suggestions}


def test_fix_then_accept_with_a_new_span_and_speaker(widget) -> None:  # type: ignore[no-untyped-def]
    s = shown(widget, "claim", "the dam is legal")
    status = widget.handle({"op": "accept", "id": s["suggestion_id"], "attrs": {"speaker": "Ostrel", "claim_type": "evaluation"}})
    assert status.startswith("error: nothing saved") is False and status.startswith("saved ")
    rec = widget.session.record(status.removeprefix("saved "))
    assert (rec["speaker"], rec["claim_type"]) == ("ostrel", "evaluation")
    # a mention fixed to a shorter span given in UTF-16 offsets
    m = shown(widget, "mention", "Pell Andor")
    start = TEXT.index("Andor", TEXT.index("Pell"))
    status = widget.handle({"op": "accept", "id": m["suggestion_id"], "attrs": {"actor": "pell-andor", "form": "name"},
                            "start": utf16(TEXT, start), "end": utf16(TEXT, start + 5)})
    assert widget.session.record(status.removeprefix("saved "))["text"] == "Andor"


def test_an_unknown_speaker_is_refused_until_fixed_and_nothing_is_saved(widget) -> None:  # type: ignore[no-untyped-def]
    s = shown(widget, "claim", "the dam is legal")
    status = widget.handle({"op": "accept", "id": s["suggestion_id"]})
    assert status.startswith("error: nothing saved") and "not an actor of the registry" in status
    assert widget.records == [] and s in widget.suggestions


def test_reject_hides_the_suggestion_for_good(widget) -> None:  # type: ignore[no-untyped-def]
    s = shown(widget, "mention", "Varnia")
    # The status says what was rejected, not only its id (issue 27, item 15).
    assert widget.handle({"op": "reject", "id": s["suggestion_id"]}) == \
        f"rejected the suggested mention \u201cVarnia\u201d ({s['suggestion_id']}); Undo offers it again"
    widget.handle({"op": "suggest"})
    assert s["suggestion_id"] not in {x["suggestion_id"] for x in widget.suggestions}
    assert widget.records == []


def test_accept_all_of_a_layer_saves_exactly_the_preview(widget) -> None:  # type: ignore[no-untyped-def]
    preview = widget.preview("mention")
    assert {p["layer"] for p in preview} == {"mention"} and len(preview) >= 3
    status = widget.handle({"op": "accept_all", "ids": [p["suggestion_id"] for p in preview]})
    assert status.startswith(f"saved {len(preview)} records")
    assert sorted((r["start"], r["end"]) for r in widget.records) == sorted((p["start"], p["end"]) for p in preview)
    assert widget.preview("mention") == []
    assert widget.handle({"op": "accept_all", "ids": []}).startswith("error: nothing saved")


def test_undo_after_reject_takes_back_the_reject_and_offers_the_suggestion_again(widget) -> None:  # type: ignore[no-untyped-def]
    # Issue 27, item 3: undo reverses the last action the person saw (the session's undo), and the
    # widget's list of suggestions shows the rejected one again.
    kept = shown(widget, "mention", "Pell Andor")
    assert widget.handle({"op": "accept", "id": kept["suggestion_id"]}).startswith("saved ")
    gone = shown(widget, "mention", "Varnia")
    widget.handle({"op": "reject", "id": gone["suggestion_id"]})
    assert gone["suggestion_id"] not in {s["suggestion_id"] for s in widget.suggestions}
    assert widget.handle({"op": "undo"}).startswith("undone: ")
    assert [r["text"] for r in widget.records] == ["Pell Andor"]  # the accept stays
    assert gone["suggestion_id"] in {s["suggestion_id"] for s in widget.suggestions}


def test_counts_in_the_status_are_singular_for_one(widget) -> None:  # type: ignore[no-untyped-def]
    (one,) = widget.preview("mention")[:1]
    assert widget.handle({"op": "accept_all", "ids": [one["suggestion_id"]]}) == f"saved 1 record: {widget.records[0]['id']}"
