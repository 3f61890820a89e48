"""The adjudication widget in a real browser: JupyterLab + Playwright + Debian's Chromium.

Two invented annotators' records of the fictional article; each disagreement is picked in the
dropdown and decided with the widget's buttons, then Write gold, checking the log on disk.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import ARTIFACTS, FICTION_ID, annotate_two, write_release
from test_browser import Lab, char_rects, notebook_page, one_cell_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "adjudicate.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    code = ("import os\nfrom caucasus_corpus.widgets import adjudicator\n"
            f"adjudicator(os.environ['CAUCASUS_CORPUS_RELEASE'], {FICTION_ID!r}, annotators=['ann-a', 'ann-b'], "
            "adjudicator='browser-test')")
    with one_cell_lab(tmp_path_factory, "adjudicator-lab", NOTEBOOK, code,
                      lambda folder: annotate_two(write_release(folder, records={FICTION_ID: []}))) as running:
        yield running


def log(release: Path) -> list[dict]:
    path = release / "annotations" / "adjudication" / f"{FICTION_ID}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []




def test_edit_a_version_picks_the_span_with_the_mouse(lab: Lab) -> None:
    # Issue 27, item 11: no offsets or JSON to type; the span is selected in the text. Nothing is
    # decided here (the test below decides every unit).
    shot = ARTIFACTS / "browser-adjudicator-edit.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        widget = page.locator(".cc-adjudicator")
        widget.wait_for(state="visible")
        widget.locator("select").first.select_option(index=2)  # d4, the claim
        page.wait_for_function("() => document.querySelector('.cc-adjudicator').innerText.includes('the dam')")
        widget.get_by_text("Edit a version").click()
        page.locator(".cc-spanpick").wait_for(state="visible")
        assert page.locator(".cc-spanpick .cc-pick-span").first.inner_text() == "threatens our farms"  # ann-a's span
        page.locator(".cc-spanpick").scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # the picker scrolls its own text to the span on the next frame
        first, last = char_rects(page, ".cc-spanpick", "Varnian foreign minister")
        page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
        page.mouse.down()
        page.mouse.move(last["x"] + last["w"] - 1, last["y"] + last["h"] / 2, steps=5)
        page.mouse.up()
        page.wait_for_function("() => document.querySelector('.cc-adjudicator').innerText.includes('span: “Varnian foreign minister”')")
        page.wait_for_function("() => document.querySelector('.cc-spanpick .cc-pick-span').textContent === 'Varnian foreign minister'")
        assert widget.locator("input[type='number']").count() == 0 and widget.locator("textarea").count() == 0
        page.screenshot(path=str(shot))


def test_decide_disagreements_and_write_gold_in_jupyterlab(lab: Lab) -> None:
    shot = ARTIFACTS / "browser-adjudicator.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        widget = page.locator(".cc-adjudicator")
        widget.wait_for(state="visible")
        assert "Kesa Rimm" in widget.locator(".cc-adjudicate").inner_text()  # d2, shown first
        for index, (item, button) in enumerate((("d2", "Take ann-a"), ("d3", "Reject all"), ("d4", "Take ann-b"))):
            widget.locator("select").first.select_option(index=index)  # options are shown by label: "d2 mention: open"
            page.wait_for_timeout(300)  # the kernel redraws the versions of the picked unit
            widget.get_by_role("button", name=button).click()
            page.wait_for_function(f"() => document.querySelector('.cc-adjudicator').innerText.includes('{item}: ')")
        assert log(lab.release) == []  # nothing is written before Write gold
        page.screenshot(path=str(shot))  # the last unit's versions side by side, decided
        widget.get_by_role("button", name="Write gold").click()
        deadline = time.monotonic() + 60
        while len(log(lab.release)) < 4:
            if time.monotonic() > deadline:
                pytest.fail("timed out waiting for the adjudication log")
            time.sleep(0.2)  # polling a file the kernel writes: no browser event to wait for
        assert [(e["decision"], e["chosen"]) for e in log(lab.release)] == [
            ("agreed", None), ("chose", "ann-a"), ("rejected", None), ("chose", "ann-b")]
        page.wait_for_function("() => document.querySelector('.cc-adjudicator').innerText.includes('written: 4 decisions')")
