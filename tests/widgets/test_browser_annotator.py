"""The annotator in a real browser: JupyterLab + Playwright + Debian's Chromium.

An invented article whose text has an emoji and no-break spaces before the target span; the span
is selected with the mouse, a claim saved with a speaker given by an alias, then clicked, its
claim type changed and finally deleted, checking the records file on disk after each step.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import ARTIFACTS, write_release
from test_browser import Lab, char_rects, notebook_page, one_cell_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "annotate.ipynb"
ARTICLE = "varnia-astral"
# Invented text: an astral-plane emoji and no-break spaces before the target span.
TEXT = "Varnia \U0001f30a\u00a0river news\n\nForeign minister Pell\u00a0Andor said that\u00a0the dam threatens our farms.\n"
TARGET = "the dam threatens our farms"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    code = ("import os\nfrom caucasus_corpus.widgets import annotator\n"
            f"annotator(os.environ['CAUCASUS_CORPUS_RELEASE'], {ARTICLE!r}, annotator='browser-test')")
    with one_cell_lab(tmp_path_factory, "annotator-lab", NOTEBOOK, code,
                      lambda folder: write_release(folder, texts={ARTICLE: TEXT}, records={ARTICLE: []})) as running:
        yield running


def on_disk(release: Path) -> dict[str, dict]:
    path = release / "annotations" / "records" / f"{ARTICLE}.jsonl"
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def wait_until(check, what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)  # polling a file the kernel writes: no browser event to wait for




def test_select_save_edit_delete_a_claim_in_jupyterlab(lab: Lab) -> None:
    start = TEXT.index(TARGET)
    shot = ARTIFACTS / "browser-annotator.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        page.locator(".cc-ann-text").wait_for(state="visible")

        first, last = char_rects(page, ".cc-ann-text", TARGET)
        page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
        page.mouse.down()
        page.mouse.move(last["x"] + last["w"] / 2, last["y"] + last["h"] / 2, steps=5)
        page.mouse.move(last["x"] + last["w"] - 1, last["y"] + last["h"] / 2)
        page.mouse.up()
        assert TARGET in page.locator(".cc-ann-selection").inner_text()
        assert "Not saved yet" in page.locator(".cc-ann-pending").inner_text()

        form = page.locator(".cc-ann-form").first
        form.locator("input[name='speaker']").fill("P. Andor")  # an alias of pell-andor
        form.locator("select[name='attribution']").select_option("indirect")
        form.locator("select[name='claim_type']").select_option("evaluation")
        page.locator(".cc-ann-buttons button[name='save']").click()
        page.wait_for_function("() => document.querySelector('.cc-ann-status').textContent.startsWith('saved ')")
        rid = page.locator(".cc-ann-status").inner_text().removeprefix("saved ").strip()
        rec = on_disk(lab.release)[rid]
        assert (rec["start"], rec["end"], rec["text"]) == (start, start + len(TARGET), TARGET)
        assert (rec["speaker"], rec["claim_type"], rec["annotator"]) == ("pell-andor", "evaluation", "browser-test")
        assert page.locator(".cc-ann-pending").inner_text() == ""

        page.locator(f".cc-ann-text span[data-ids~='{rid}']").first.click()
        form.locator("select[name='claim_type']").select_option("prediction")
        page.locator(".cc-ann-buttons button[name='update']").click()
        wait_until(lambda: on_disk(lab.release)[rid]["claim_type"] == "prediction", "the changed claim type on disk")
        assert on_disk(lab.release)[rid]["start"] == start

        page.locator(".cc-ann-buttons button[name='delete']").click()
        wait_until(lambda: rid not in on_disk(lab.release), "the deleted record to leave the file")
        page.wait_for_function("() => document.querySelector('.cc-ann-status').textContent.startsWith('deleted ')")
        page.screenshot(path=str(shot))
