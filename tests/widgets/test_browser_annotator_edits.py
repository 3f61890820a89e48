"""Issue 27 in a real browser (JupyterLab + Playwright + Debian's Chromium): the annotator used
with the mouse and the keyboard as a new user would, on an invented article.

1. a span selected, then a cue selected and taken: the record keeps the span (both marked);
3. Undo after Reject in Suggestions mode takes back the reject (the accept before it stays);
5. Suggestions off and on: the list is drawn again under "N suggestions";
6. "New actor…" opens and closes the actor form, which is empty again after "Add actor", and the
   "saved …" line is next to Save;
7. a triple-click or a drag ending outside the text takes the part inside, never the selection before;
8. keys typed in the widget stay in it (Shift+Enter does not run the cell), Enter saves, Ctrl+Z undoes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caucasus_corpus.authoring.suggestions import store_path
from support import ARTIFACTS, write_release
from test_browser import Lab, char_rects, notebook_page, one_cell_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "annotate-issue27.ipynb"
ARTICLE = "varnia-keys"
# Invented text (fictional people and places of tests/support.py).
TEXT = ("Varnia river news\n\n"
        '"The river is ours," said Pell Andor. Kesa Rimm said that the dam threatens our farms.\n\n'
        "The Ostrel water board met Andor on Tuesday.\n")
SPAN = "the dam threatens our farms"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    code = ("import os\nfrom caucasus_corpus.widgets import annotator\n"
            f"annotator(os.environ['CAUCASUS_CORPUS_RELEASE'], {ARTICLE!r}, annotator='browser-test')")
    with one_cell_lab(tmp_path_factory, "annotator-issue27-lab", NOTEBOOK, code,
                      lambda folder: write_release(folder, texts={ARTICLE: TEXT}, records={ARTICLE: []})) as running:
        yield running


def on_disk(release: Path) -> list[dict]:
    path = release / "annotations" / "records" / f"{ARTICLE}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def store(release: Path) -> dict[str, str]:
    lines = (release / store_path(ARTICLE)).read_text(encoding="utf-8").splitlines()
    return {s["text"] + "|" + s["layer"]: s["status"] for s in map(json.loads, lines)}


def wait_until(check: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)  # polling files the kernel writes: no browser event to wait for




def drag(page: Any, target: str, *, after: str = "", to: tuple[float, float] | None = None) -> None:
    """Select ``target`` with the mouse, or from its first character to the point ``to``."""
    first, last = char_rects(page, ".cc-ann-text", target, after)
    page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
    page.mouse.down()
    end = to or (last["x"] + last["w"] - 1, last["y"] + last["h"] / 2)
    page.mouse.move((first["x"] + end[0]) / 2, (first["y"] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=3)
    page.mouse.up()


def status_is(page: Any, prefix: str) -> None:
    page.wait_for_function("p => document.querySelector('.cc-ann-status').textContent.startsWith(p)", arg=prefix)


def box_of(locator: Any) -> dict[str, float]:
    """The element's rectangle; the buttons are drawn again when the kernel answers (Undo enabled),
    and an element replaced while measured has none, so measure again."""
    for _ in range(50):
        box = locator.bounding_box()
        if box is not None:
            return box
        time.sleep(0.1)  # the redraw is one event-loop turn of the page
    pytest.fail(f"{locator} has no rectangle")


def open_widget(page: Any) -> Any:
    page.locator(".cc-ann-text").wait_for(state="visible")
    return page.locator(".cc-ann-form").first


def test_a_cue_taken_after_the_span_does_not_replace_the_span(lab: Lab) -> None:  # item 1
    shot = ARTIFACTS / "browser-issue27-span-then-cue.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        form = open_widget(page)
        drag(page, SPAN)
        form.locator("input[name='speaker']").fill("Kesa Rimm")
        drag(page, "said", after="Kesa Rimm")
        form.locator("button[name='take-cue']").click()
        info = page.locator(".cc-ann-selection").inner_text()
        assert SPAN in info and "said" in info, info  # side by side: the cue did not replace the span
        assert f"span: “{SPAN}”" in info and "cue: “said”" in info
        assert page.locator(".cc-ann-text .cc-pending-span").all_inner_texts() == [SPAN]  # both marked
        assert page.locator(".cc-ann-text .cc-pending-cue").all_inner_texts() == ["said"]
        form.locator("select[name='attribution']").select_option("indirect")
        form.locator("select[name='claim_type']").select_option("evaluation")
        form.locator("input[name='targets']").fill("Ostrel")
        page.locator(".cc-ann-buttons button[name='save']").click()
        status_is(page, "saved ")
        rid = page.locator(".cc-ann-status").inner_text().removeprefix("saved ").strip()
        (rec,) = [r for r in on_disk(lab.release) if r["id"] == rid]
        start = TEXT.index(SPAN)
        cue = TEXT.index("said", TEXT.index("Kesa Rimm"))
        assert (rec["start"], rec["end"], rec["text"]) == (start, start + len(SPAN), SPAN)
        assert (rec["cue"]["start"], rec["cue"]["end"], rec["speaker"]) == (cue, cue + 4, "kesa-rimm")
        # The saved record's cue is marked in the text.
        page.wait_for_function("() => [...document.querySelectorAll('.cc-ann-text .cc-cue-mark')].map(e => e.textContent).join('') === 'said'")
        page.screenshot(path=str(shot))


def test_undo_after_reject_takes_back_the_reject(lab: Lab) -> None:  # item 3
    shot = ARTIFACTS / "browser-issue27-undo-reject.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        open_widget(page)
        page.locator("button[name='suggestions']").click()
        page.locator(".cc-sug-row").first.wait_for(state="visible")
        page.locator(".cc-sug-row", has_text="mention “Pell Andor”").locator("button[name='accept']").click()
        wait_until(lambda: any(r["text"] == "Pell Andor" for r in on_disk(lab.release)), "the accepted mention on disk")
        status_is(page, "saved ")
        page.locator(".cc-sug-row", has_text="mention “Varnia”").locator("button[name='reject']").click()
        status_is(page, "rejected ")
        rejected = page.locator(".cc-ann-status").inner_text()
        assert page.locator(".cc-sug-row", has_text="mention “Varnia”").count() == 0
        page.locator(".cc-ann-buttons button[name='undo']").click()
        status_is(page, "undone")
        page.locator(".cc-sug-row", has_text="mention “Varnia”").wait_for(state="visible")  # offered again
        assert store(lab.release)["Varnia|mention"] != "rejected"
        assert [r["text"] for r in on_disk(lab.release) if r["layer"] == "mention"] == ["Pell Andor"]
        assert "“Varnia”" in rejected  # the status said what was rejected, not only its id
        page.screenshot(path=str(shot))


def test_suggestions_off_and_on_draws_the_list_again(lab: Lab) -> None:  # item 5
    shot = ARTIFACTS / "browser-issue27-suggestions-toggle.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        open_widget(page)
        toggle = page.locator("button[name='suggestions']")
        toggle.click()
        page.locator(".cc-sug-row").first.wait_for(state="visible")
        shown = page.locator(".cc-sug-row").count()
        toggle.click()
        assert page.locator(".cc-sug-row").count() == 0
        toggle.click()
        status_is(page, f"{shown} suggestion")  # the kernel answered the same list again
        page.wait_for_timeout(500)  # and the browser had the time to draw it
        assert page.locator(".cc-sug-row").count() == shown
        assert page.locator(".cc-sug-text span.cc-seg[data-suggestions]").count() > 0
        page.screenshot(path=str(shot))


def test_new_actor_toggles_the_form_which_is_cleared_after_adding(lab: Lab) -> None:  # item 6
    shot = ARTIFACTS / "browser-issue27-actor-form.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        open_widget(page)
        actor_form = page.locator(".cc-ann-actor")
        assert not actor_form.is_visible()  # hidden until asked
        page.locator("button[name='new-actor']").click()
        assert actor_form.is_visible()
        page.locator("button[name='new-actor']").click()
        assert not actor_form.is_visible()
        page.locator("button[name='new-actor']").click()
        actor_form.locator("input[name='actor_id']").fill("tamsin-oru")
        actor_form.locator("input[name='name']").fill("Tamsin Oru")
        actor_form.locator("select[name='kind']").select_option("person")
        actor_form.locator("button[name='add-actor']").click()
        status_is(page, "saved actor tamsin-oru")
        assert not actor_form.is_visible()
        save = box_of(page.locator(".cc-ann-buttons button[name='save']"))
        said = box_of(page.locator(".cc-ann-status"))
        assert abs((said["y"] + said["height"] / 2) - (save["y"] + save["height"] / 2)) < save["height"]  # one row
        assert said["x"] > save["x"] and said["x"] - (save["x"] + save["width"]) < 600
        page.locator("button[name='new-actor']").click()
        assert actor_form.locator("input[name='actor_id']").input_value() == ""
        assert actor_form.locator("input[name='name']").input_value() == ""
        page.screenshot(path=str(shot))


def test_a_selection_leaving_the_text_takes_its_part_inside(lab: Lab) -> None:  # item 7
    shot = ARTIFACTS / "browser-issue27-selection-outside.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        open_widget(page)
        drag(page, "Kesa Rimm")
        assert "Kesa Rimm" in page.locator(".cc-ann-selection").inner_text()
        # A drag from "Ostrel" to a point far below the text box, outside the text.
        box = page.locator(".cc-ann-text").bounding_box()
        drag(page, "Ostrel", to=(box["x"] + 40, box["y"] + box["height"] + 120))
        info = page.locator(".cc-ann-selection").inner_text()
        assert "Ostrel water board met Andor on Tuesday." in info and "Kesa" not in info, info  # to the end of the text
        assert "span: “Ostrel water board met Andor on Tuesday.”" in info, info
        # A triple-click on a word selects its paragraph (past the end of the text).
        first, _last = char_rects(page, ".cc-ann-text", "threatens")
        page.mouse.click(first["x"] + 2, first["y"] + first["h"] / 2, click_count=3)
        info = page.locator(".cc-ann-selection").inner_text()
        assert "threatens our farms" in info and "Ostrel" not in info, info
        page.screenshot(path=str(shot))


def test_keys_stay_in_the_widget_enter_saves_ctrl_z_undoes(lab: Lab) -> None:  # item 8
    shot = ARTIFACTS / "browser-issue27-keys.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        form = open_widget(page)
        prompt = page.locator(".jp-Cell .jp-InputPrompt").first
        page.wait_for_function("() => /\\[\\d+\\]/.test(document.querySelector('.jp-Cell .jp-InputPrompt').textContent)")
        ran = prompt.inner_text()
        form.locator("select[name='layer']").select_option("mention")
        drag(page, "Ostrel")
        form.locator("input[name='actor']").fill("Ostrel")
        form.locator("select[name='form']").select_option("name")
        form.locator("input[name='actor']").press("Shift+Enter")
        page.wait_for_timeout(1500)  # time for JupyterLab to run the cell, if the key reached it
        assert prompt.inner_text() == ran  # the cell did not run again
        assert page.locator(".cc-ann").count() == 1
        status_is(page, "saved ")  # Shift+Enter in a field saves, as Enter does
        assert [r["text"] for r in on_disk(lab.release) if r["layer"] == "mention" and r["text"] == "Ostrel"] == ["Ostrel"]
        # Enter in a field saves (a mention of the "Andor" after "Ostrel": no other test marks it).
        ids = lambda: {r["id"] for r in on_disk(lab.release)}  # noqa: E731
        before = ids()
        drag(page, "Andor", after="Ostrel")
        form.locator("input[name='actor']").fill("Pell Andor")
        form.locator("select[name='form']").select_option("name")
        form.locator("input[name='actor']").press("Enter")
        wait_until(lambda: len(ids() - before) == 1, "the mention saved with Enter")
        # Ctrl+Z in the widget (not in a text field) undoes that save.
        page.locator(".cc-ann-legend .cc-legend-title").click()  # the widget has the focus, no text field
        page.keyboard.press("Control+z")
        wait_until(lambda: ids() == before, "the mention taken back by Ctrl+Z")
        status_is(page, "undone")
        assert prompt.inner_text() == ran
        page.screenshot(path=str(shot))
