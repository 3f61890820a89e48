"""The annotator widget driven from Python as the browser drives it: UTF-16 offsets in, code
points on disk, every refusal shown and nothing saved."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caucasus_corpus.authoring.articles import add_article
from caucasus_corpus.widgets import annotator
from caucasus_corpus.widgets._annotator import codepoint_to_utf16, utf16_to_codepoint

# Invented text: an astral-plane emoji and no-break spaces before the target span, and markup.
TEXT = "Varnia \U0001f30a\u00a0news <b>bold</b>\n\nPell\u00a0Andor said the dam threatens our farms.\n"
TARGET = "threatens our farms"


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2  # independent of the code under test


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), st.data())
def test_offset_conversion_round_trips_against_python_utf16(text: str, data: st.DataObject) -> None:
    cp = data.draw(st.integers(0, len(text)))
    assert codepoint_to_utf16(text, cp) == utf16(text, cp)
    assert utf16_to_codepoint(text, utf16(text, cp)) == cp


def test_an_offset_inside_a_surrogate_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="inside the character"):
        utf16_to_codepoint("a\U0001f30ab", 2)


def records(root: Path, aid: str) -> dict[str, dict]:
    path = root / "annotations" / "records" / f"{aid}.jsonl"
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())} if path.exists() else {}


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".caucasus-corpus")}


def test_save_update_delete_undo_through_the_widget(fiction: Path) -> None:
    aid = add_article(fiction, text=TEXT, title="Varnia news", language="en", id="varnia-widget")
    widget = annotator(fiction, aid, annotator="aliyeva")
    start = TEXT.index(TARGET)
    u16 = (utf16(TEXT, start), utf16(TEXT, start + len(TARGET)))
    assert u16[0] == start + 1  # the emoji is two UTF-16 units
    said = TEXT.index("said")
    status = widget.handle({"op": "save", "layer": "claim", "start": u16[0], "end": u16[1],
                            "attrs": {"speaker": "P. Andor", "attribution": "indirect", "claim_type": "evaluation",
                                      "targets": "Ostrel, varnia", "note": ""},
                            "cue": [utf16(TEXT, said), utf16(TEXT, said + 4)]})
    rid = status.removeprefix("saved ")
    rec = records(fiction, aid)[rid]
    assert (rec["start"], rec["end"], rec["text"]) == (start, start + len(TARGET), TARGET)
    assert rec["speaker"] == "pell-andor" and rec["targets"] == ["ostrel", "varnia"]
    assert rec["cue"] == {"start": said, "end": said + 4, "text": "said"}
    assert "note" not in rec
    shown = {r["id"]: r for r in widget.records}[rid]
    assert (shown["u16_start"], shown["u16_end"]) == u16
    widget.handle({"op": "update", "id": rid, "attrs": {"claim_type": "prediction", "note": "checked"}})
    assert records(fiction, aid)[rid]["claim_type"] == "prediction"
    assert records(fiction, aid)[rid]["note"] == "checked"
    widget.handle({"op": "delete", "id": rid})
    assert rid not in records(fiction, aid)
    assert widget.handle({"op": "undo"}).startswith("undone")
    assert records(fiction, aid)[rid]["claim_type"] == "prediction"


def test_a_refused_save_shows_the_error_and_writes_nothing(fiction: Path) -> None:
    aid = add_article(fiction, text=TEXT, title="Varnia news", language="en", id="varnia-widget")
    widget = annotator(fiction, aid, annotator="aliyeva")
    before = tree(fiction)
    status = widget.handle({"op": "save", "layer": "claim", "start": 0, "end": 6,
                            "attrs": {"speaker": "Nobody", "attribution": "direct", "claim_type": "assertion"}})
    assert status.startswith("error: nothing saved") and "unknown actor 'Nobody'" in status
    status = widget.handle({"op": "save", "layer": "threat", "start": 0, "end": 6,
                            "attrs": {"speaker": "Andor", "target": "Ostrel", "explicitness": "explicit", "cameo": "999"}})
    assert status.startswith("error: nothing saved") and "cameo" in status
    assert tree(fiction) == before


def test_a_new_actor_from_the_widget_is_found_by_its_alias(fiction: Path) -> None:
    widget = annotator(fiction, "varnia-ostrel-dam", annotator="t")
    widget.handle({"op": "add_actor", "actor_id": "lio-varn", "name": "Lio Varn", "kind": "person", "aliases": "Varn, L. Varn"})
    assert {"id": "lio-varn", "name": "Lio Varn", "aliases": ["Varn", "L. Varn"]} in widget.actors
    text = widget.text
    start = text.index("Varnian foreign minister")
    status = widget.handle({"op": "save", "layer": "mention", "start": start, "end": start + 24,
                            "attrs": {"actor": "l. varn", "form": "nominal"}})
    assert records(fiction, "varnia-ostrel-dam")[status.removeprefix("saved ")]["actor"] == "lio-varn"


def test_the_javascript_ships_in_the_package_and_shows_text_only_as_text() -> None:
    import caucasus_corpus.widgets._annotator as module

    js = (Path(module.__file__).parent / "static" / "annotator.js").read_text(encoding="utf-8")
    assert str(module.Annotator._esm) == js  # the widget sends this file, read from the package
    assert "export default" in js
    assert "innerHTML" not in js.replace("never innerHTML", "")  # everything via textContent
    assert "http://" not in js and "https://" not in js  # no CDN import


def test_an_update_from_the_form_with_empty_fields_keeps_a_claim_valid(fiction: Path) -> None:
    widget = annotator(fiction, "varnia-ostrel-dam", annotator="t")
    status = widget.handle({"op": "update", "id": "f-c1", "attrs": {"speaker": "Andor", "attribution": "direct",
                            "claim_type": "evaluation", "targets": "", "via": "", "note": ""}, "cue": None})
    assert status == "saved f-c1"
    rec = records(fiction, "varnia-ostrel-dam")["f-c1"]
    assert rec["targets"] == [] and "via" not in rec and rec["cue"]["text"] == "said"


def test_the_widget_annotates_independently_and_shows_no_one_elses_records(fiction: Path) -> None:
    from support import FICTION_ID, FICTION_TEXT

    gold = records(fiction, FICTION_ID)
    widget = annotator(fiction, FICTION_ID, annotator="ann-a", independent=True)
    assert widget.records == [] and "independent" in widget.status  # the gold's ten records are not shown
    start = FICTION_TEXT.index("Kesa Rimm")
    status = widget.handle({"op": "save", "layer": "mention", "start": utf16(FICTION_TEXT, start),
                            "end": utf16(FICTION_TEXT, start + 9), "attrs": {"actor": "Kesa Rimm", "form": "name"}})
    assert status == f"saved {FICTION_ID}-ann-a-m001"
    other = annotator(fiction, FICTION_ID, annotator="ann-b", independent=True)
    assert other.records == []
    own = fiction / "annotations" / "annotators" / "ann-a" / f"{FICTION_ID}.jsonl"
    assert [json.loads(line)["text"] for line in own.read_text(encoding="utf-8").splitlines()] == ["Kesa Rimm"]
    assert records(fiction, FICTION_ID) == gold
