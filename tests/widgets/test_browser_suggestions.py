"""The annotator's Suggestions mode in a real browser (JupyterLab + Playwright + Chromium): the
suggestions are shown apart from records, one is accepted (a record on disk, annotator = the
person), one fixed and accepted, one rejected (kept in the hidden store, never a record)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from caucasus_corpus.authoring.suggestions import store_path
from support import ARTIFACTS, write_release
from test_browser import Lab, notebook_page, one_cell_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "suggest.ipynb"
ARTICLE = "varnia-suggest"
# Invented text.
TEXT = ("Varnia river news\n\n"
        '"The river is ours," said Pell Andor. Kesa Rimm said that the dam threatens our farms.\n')


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    code = ("import os\nfrom caucasus_corpus.widgets import annotator\n"
            f"annotator(os.environ['CAUCASUS_CORPUS_RELEASE'], {ARTICLE!r}, annotator='browser-test')")
    with one_cell_lab(tmp_path_factory, "suggest-lab", NOTEBOOK, code,
                      lambda folder: write_release(folder, texts={ARTICLE: TEXT}, records={ARTICLE: []})) as running:
        yield running


def on_disk(release: Path) -> list[dict]:
    path = release / "annotations" / "records" / f"{ARTICLE}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def store(release: Path) -> dict[str, str]:
    lines = (release / store_path(ARTICLE)).read_text(encoding="utf-8").splitlines()
    return {s["text"] + "|" + s["layer"]: s["status"] for s in map(json.loads, lines)}


def wait_until(check, what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)  # polling files the kernel writes: no browser event to wait for


def test_accept_fix_and_reject_suggestions_in_jupyterlab(lab: Lab) -> None:
    shot = ARTIFACTS / "browser-suggestions.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        page.locator(".cc-ann-text").wait_for(state="visible")
        page.locator("button[name='suggestions']").click()
        page.locator(".cc-sug-row").first.wait_for(state="visible")
        assert page.locator(".cc-sug-text span.cc-sug-claim").count() > 0  # shown apart, in their own style
        assert on_disk(lab.release) == []

        row = page.locator(".cc-sug-row", has_text="The river is ours")
        row.locator("button[name='accept']").click()
        wait_until(lambda: any(r["text"] == "The river is ours" for r in on_disk(lab.release)), "the accepted claim on disk")
        (rec,) = on_disk(lab.release)
        assert (rec["speaker"], rec["annotator"], rec["attribution"]) == ("pell-andor", "browser-test", "direct")

        page.locator(".cc-sug-row", has_text="the dam threatens our farms").filter(has_text="claim").first \
            .locator("button[name='fix']").click()
        form = page.locator(".cc-ann-form").first
        form.locator("select[name='claim_type']").select_option("evaluation")
        page.locator("button[name='accept-fixed']").click()
        wait_until(lambda: any(r["text"] == "the dam threatens our farms" and r["layer"] == "claim"
                               for r in on_disk(lab.release)), "the fixed claim on disk")
        fixed = [r for r in on_disk(lab.release) if r["text"] == "the dam threatens our farms"][0]
        assert (fixed["claim_type"], fixed["speaker"]) == ("evaluation", "kesa-rimm")

        page.locator(".cc-sug-row", has_text="mention “Varnia”").locator("button[name='reject']").click()
        wait_until(lambda: store(lab.release).get("Varnia|mention") == "rejected", "the rejection in the store")
        assert not [r for r in on_disk(lab.release) if r["layer"] == "mention"]
        page.screenshot(path=str(shot))
