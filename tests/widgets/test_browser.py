"""A real browser: JupyterLab on 127.0.0.1 driven by Playwright in Debian's Chromium.

Opens ``notebooks/kwic-explorer.ipynb`` against a fictional release (given to the kernel by the
``CAUCASUS_CORPUS_RELEASE`` environment variable), runs all cells from the Run menu, types a
query, checks the concordance against ``Corpus.kwic``, opens a hit whose article carries
``<img src=x onerror=...>`` and checks that it shows as text and never runs. At the window a new
user has (1440x900, the file browser open) it measures what issue 16 asked: the concordance fits
its box with the keyword column in view, the whole-article context scrolls to the hit, typing
updates the result without Enter, the export writes the result, the outputs of notebook 02 fit
their output areas and the article viewer of notebook 01 stays within about three screens.

Skipped when ``/usr/bin/chromium`` is missing (``make test`` installs it when it can), except
under ``CI=true``, where a missing browser is a failure: CI must run this test.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

import caucasus_corpus as cc

from support import FICTION_ID, FICTION_TEXT, write_release
from support import ARTIFACTS, NOTEBOOKS_DIR, REPO, write_kernelspec

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NOTEBOOK = "kwic-explorer.ipynb"
NOTEBOOK_01 = "01-getting-started.ipynb"  # these two load the bundled release, as a student's do
NOTEBOOK_02 = "02-keyword-in-context.ipynb"
INJECTION = '<img src=x onerror="window.__xss=1">'
# A fictional notice (invented board and places) that carries the payload in its title and body.
HOSTILE_ID = "ostrel-dam-board-notice"
HOSTILE_TEXT = (
    f"Ostrel dam board notice {INJECTION}\n"
    "\n"
    f"The Ostrel dam board pinned {INJECTION} to the notice board beside the dam gate.\n"
)
STARTUP_TIMEOUT = 90  # seconds for JupyterLab to answer; it takes 10-20 s on a 2-core machine
UI_TIMEOUT_MS = 90_000  # first kernel start + first corpus load in the browser
VIEWPORT = {"width": 1440, "height": 900}  # a laptop screen, as in the issue
# A long fictional minutes text (invented board and places): long sentences make window-10
# contexts far wider than the screen, and the one "sluice" sits far below the first screen.
LONG_ID = "ostrel-dam-board-minutes-of-the-long-winter-session-with-every-paragraph"
LONG_TEXT = "Ostrel dam board minutes\n\n" + "".join(
    f"Item {n}: the Ostrel dam board heard at great length from the farmers of the lower Varnia valley "
    f"about the dam, the river, the fields and the long winter, and it agreed to meet again on the matter.\n\n"
    for n in range(1, 41)
) + "Last item: the board closed the sluice gate of the dam.\n"


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (scripts/ensure-chromium.sh does it as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}; the browser test must run in CI")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    release: Path
    log: Path


def _log_tail(log: Path, n: int = 40) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    return "\n".join(lines[-n:])


@contextmanager
def run_lab(base: Path, root: Path, release: Path) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 with a random free port, a token, a throwaway config, serving
    ``root``; its kernels get ``release`` in ``CAUCASUS_CORPUS_RELEASE``."""
    # No news or update checks (no network here, and their pop-ups would cover the page).
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Start the notebook's own kernel without asking (otherwise a "Select Kernel" dialog waits for a click).
    tracker = base / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    # Every cell attached to the page (no virtual scrolling), so that outputs out of view can be measured.
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"autoStartDefaultKernel": True, "windowingMode": "none"}))
    token = secrets.token_hex(16)
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_PATH": str(write_kernelspec(base / "jupyter-path")),
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "CAUCASUS_CORPUS_RELEASE": str(release),
    }
    log = base / "jupyterlab.log"
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.extension_manager=readonly",  # the PyPI extension manager would try the network
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{_log_tail(log)}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer within {STARTUP_TIMEOUT}s:\n{_log_tail(log)}")
            time.sleep(0.5)  # polling an HTTP endpoint: there is no event to wait for
        yield Lab(url, token, root, release, log)
    finally:
        proc.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)  # the process group of the server we started, nothing else
            proc.wait(timeout=10)


def lab_folders(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, Path]:
    """A throwaway folder for a lab and the root folder it serves (skips without Chromium)."""
    require_chromium()
    base = tmp_path_factory.mktemp(name)
    root = base / "root"
    root.mkdir()
    return base, root


# Screen rectangles of the first and last character of ``target`` (its first occurrence after
# ``after``) in the text of the element ``selector``: where a test puts the mouse to select it.
_CHAR_RECTS_JS = """([selector, target, after]) => {
  const box = document.querySelector(selector);
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const nodes = []; let all = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const at = all.indexOf(target, after ? all.indexOf(after) : 0);
  const locate = (i) => { for (const [n, s] of nodes) if (i >= s && i < s + n.data.length) return [n, i - s]; };
  const rect = (i) => { const [n, o] = locate(i); const r = document.createRange(); r.setStart(n, o); r.setEnd(n, o + 1);
                        const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height}; };
  return [rect(at), rect(at + target.length - 1)];
}"""


def char_rects(page: Any, selector: str, target: str, after: str = "") -> tuple[dict, dict]:
    """The screen rectangles (x, y, w, h) of the first and last character of ``target``."""
    first, last = page.evaluate(_CHAR_RECTS_JS, [selector, target, after])
    return first, last


@contextmanager
def one_cell_lab(tmp_path_factory: pytest.TempPathFactory, name: str, notebook: str, code: str,
                 release: Callable[[Path], Path]) -> Iterator[Lab]:
    """JupyterLab serving ``notebook``, one code cell of ``code``, over the release that
    ``release(folder)`` writes into a throwaway folder (skips without Chromium)."""
    base, root = lab_folders(tmp_path_factory, name)
    served = release(base / "release")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), root / notebook)
    with run_lab(base, root, served) as running:
        yield running


@contextmanager
def notebook_page(lab: Lab, notebook: str, shot: Path, before_run: Any = None) -> Iterator[Any]:
    """A Chromium page with ``notebook`` open in the lab and all its cells run; on any failure a
    screenshot goes to ``shot`` first."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(UI_TIMEOUT_MS)
        try:
            # reset: a fresh workspace, not the notebooks an earlier test left open.
            page.goto(f"{lab.url}/lab/tree/{notebook}?reset&token={lab.token}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell >> visible=true")
            # The file browser open beside the notebook, as JupyterLab starts by default.
            if not page.locator("#filebrowser").is_visible():
                page.locator(".jp-SideBar [data-id='filebrowser']").click()
            page.wait_for_selector("#filebrowser", state="visible")
            # Run All drops cells silently while the kernel is still connecting, so wait for the
            # browser's websocket to reach the kernel and for the kernel to be idle.
            wait_for_kernel_connection(lab, notebook=notebook)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true")
            if before_run is not None:
                before_run(page)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
            yield page
        except Exception:
            page.screenshot(path=str(shot))
            raise
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab serving the KWIC explorer notebook over a fictional release with a hostile text."""
    base, root = lab_folders(tmp_path_factory, "lab")
    for name in (NOTEBOOK, NOTEBOOK_01, NOTEBOOK_02):
        shutil.copy2(NOTEBOOKS_DIR / name, root / name)
    # What `make lab` does before JupyterLab starts: this Python's version in the metadata. The
    # test kernel has a display name of its own; a student's is the committed one.
    nb = nbformat.read(root / NOTEBOOK_01, as_version=4)
    nb.metadata["kernelspec"]["display_name"] = json.loads(
        (write_kernelspec(base / "probe") / "kernels" / "python3" / "kernel.json").read_text())["display_name"]
    nbformat.write(nb, root / NOTEBOOK_01)
    subprocess.run([sys.executable, str(REPO / "scripts" / "notebook_metadata.py"), str(root)], check=True, capture_output=True)
    release = write_release(base / "release", texts={FICTION_ID: FICTION_TEXT, HOSTILE_ID: HOSTILE_TEXT, LONG_ID: LONG_TEXT})
    with run_lab(base, root, release) as running:
        yield running


def wait_for_kernel_connection(lab: Lab, timeout: float = UI_TIMEOUT_MS / 1000, notebook: str = NOTEBOOK) -> None:
    """Until the server reports the notebook's kernel idle with a client connected."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{lab.url}/api/sessions?token={lab.token}", timeout=5) as r:
            sessions = json.load(r)
        kernels = [s["kernel"] for s in sessions if s.get("path", "").endswith(notebook)]
        if any(k.get("connections", 0) >= 1 and k.get("execution_state") == "idle" for k in kernels):
            return
        time.sleep(0.25)  # polling the REST API: there is no event to wait for from here
    pytest.fail(f"the notebook's kernel did not connect within {timeout:.0f}s:\n{_log_tail(lab.log)}")


def test_kwic_explorer_in_jupyterlab_shows_hits_and_never_runs_stored_html(lab: Lab) -> None:
    expected = cc.load(lab.release).kwic("dam")
    hostile_rows = [i for i, a in enumerate(expected["article_id"]) if a == HOSTILE_ID]
    assert len(expected) >= 3 and hostile_rows  # the test corpus itself is as intended
    shot = ARTIFACTS / "browser-kwic-explorer.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        query = page.locator(".cc-kwic-query input")
        query.wait_for(state="visible")
        query.fill("dam")
        query.press("Enter")
        page.wait_for_function(
            "n => document.querySelectorAll('.cc-kwic-table td.cc-kw').length === n", arg=len(expected)
        )
        status = page.locator(".cc-kwic-status").inner_text()
        assert f"{len(expected)} hit(s) for dam" in status
        keywords = page.locator(".cc-kwic-table td.cc-kw").all_inner_texts()
        assert keywords == list(expected["keyword"])
        lefts = page.locator(".cc-kwic-table td.cc-left").all_inner_texts()
        assert [s.strip() for s in lefts] == [s.strip() for s in expected["left"]]

        # Open a hit in the body of the annotated article: the claims in its paragraph are
        # highlighted, and their hover text (title) names the speaker.
        fiction_row = [i for i, a in enumerate(expected["article_id"]) if a == FICTION_ID][-1]
        page.locator(".cc-kwic-hit select").select_option(index=fiction_row + 1)  # 0 = "(pick a hit)"
        claim = page.locator(".cc-kwic-context .cc-span.cc-claim").first
        claim.wait_for(state="visible")
        assert "speaker: Pell Andor (pell-andor)" in (claim.get_attribute("title") or "")

        # Open a hit in the article whose text and title carry the payload.
        page.locator(".cc-kwic-hit select").select_option(index=hostile_rows[-1] + 1)  # 0 = "(pick a hit)"
        context = page.locator(".cc-kwic-context .cc-article")
        context.wait_for(state="visible")
        page.wait_for_function(
            "s => document.querySelector('.cc-kwic-context').innerText.includes(s)", arg=INJECTION
        )
        assert page.locator(".cc-kwic-context .cc-hit-mark").inner_text() == "dam"
        assert INJECTION in page.locator(".cc-kwic-context .cc-title").inner_text()
        assert "<img" in page.locator(".cc-kwic-table").inner_text()  # context columns: text too
        assert page.locator(".cc-kwic img, .jp-OutputArea-output img[src='x']").count() == 0
        page.locator(".cc-kwic-context").scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
        page.locator(".cc-kwic").screenshot(path=str(ARTIFACTS / "browser-kwic-widget.png"))
        assert page.evaluate("typeof window.__xss") == "undefined"
    assert shot.stat().st_size > 0


def test_missing_chromium_skips_locally_but_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="is missing"):
        require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_chromium()


# -- issue 16: what fits the screen ----------------------------------------------------------------


def wait_for_run_all(page: Any) -> None:
    """Until every code cell has run (its prompt shows an execution count)."""
    page.wait_for_function(
        """() => { const p = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
                   return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.innerText)); }"""
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true")


BOX = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def inside(inner: list[float], outer: list[float], slack: float = 1.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[2] <= outer[2] + slack
            and inner[1] >= outer[1] - slack and inner[3] <= outer[3] + slack)


def test_explorer_fits_the_screen_scrolls_to_the_hit_searches_as_you_type_and_exports(lab: Lab) -> None:
    from caucasus_corpus.widgets._kwic import csv_frame

    corpus = cc.load(lab.release)
    shot = ARTIFACTS / "browser-kwic-explorer-fit.png"
    with notebook_page(lab, NOTEBOOK, shot) as page:
        wait_for_run_all(page)
        assert page.locator("#filebrowser").is_visible()
        query = page.locator(".cc-kwic-query input")
        query.wait_for(state="visible")
        # Typing without Enter: the result follows after a short pause.
        query.press_sequentially("dam", delay=60)
        expected = corpus.kwic("dam")
        page.wait_for_function(
            "n => document.querySelectorAll('.cc-kwic-table td.cc-kw').length === n", arg=len(expected))
        assert f"{len(expected)} hit(s) for dam" in page.locator(".cc-kwic-status").inner_text()

        # Window 10: the contexts are far wider than the box, the keyword column stays in view.
        readout = page.locator(".cc-kwic .widget-readout").first
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("10")
        page.keyboard.press("Enter")
        wide = corpus.kwic("dam", window=10)
        page.wait_for_function(
            "s => [...document.querySelectorAll('.cc-kwic-table td.cc-left')].some(e => e.innerText.trim() === s)",
            arg=str(wide["left"].iloc[-1]).strip())
        box = page.locator(".cc-kwic-table-box").evaluate(BOX)
        table = page.locator(".cc-kwic-table").evaluate(BOX)
        assert table[2] - table[0] <= box[2] - box[0] + 1, (table, box)  # no horizontal overflow
        for rect in page.locator(".cc-kwic-table td.cc-kw").evaluate_all(f"els => els.slice(0, 8).map({BOX})"):
            assert box[0] <= rect[0] and rect[2] <= box[2], (rect, box)
        centre = [(r[0] + r[2]) / 2 for r in page.locator(".cc-kwic-table td.cc-kw").evaluate_all(f"els => els.map({BOX})")]
        assert max(centre) - min(centre) < 1  # one keyword column for every line
        # Where a left context is longer than its cell, it is cut on its left: its text ends at
        # the cell's right edge, next to the keyword, and runs out past the cell's left edge.
        clipped = page.locator(".cc-kwic-table td.cc-left").evaluate_all(
            """els => els.map(e => {
                   const c = e.getBoundingClientRect(), node = e.firstElementChild.firstChild, r = document.createRange();
                   r.setStart(node, 0); r.setEnd(node, 1); const first = r.getBoundingClientRect();
                   r.setStart(node, node.length - 1); r.setEnd(node, node.length); const last = r.getBoundingClientRect();
                   return {cut: e.scrollWidth > e.clientWidth, left: first.left < c.left, right: last.right <= c.right + 1}; })
               .filter(x => x.cut)""")
        assert clipped and all(x["left"] and x["right"] for x in clipped), clipped
        page.screenshot(path=str(shot))

        # Export: the button writes the result to a CSV it names.
        page.locator(".cc-kwic-export button, button.cc-kwic-export").first.click()
        saved = page.locator(".cc-kwic-saved .cc-saved-path code")
        saved.wait_for(state="visible")
        path = lab.root / Path(saved.inner_text()).name
        written = __import__("pandas").read_csv(path, keep_default_na=False)
        want = csv_frame(wide)
        assert list(written.columns) == list(want.columns) and len(written) == len(want)
        for col in want.columns:
            assert written[col].astype(str).tolist() == want[col].astype(str).tolist(), col

        # A hit far down a long article, opened with "whole article": the box scrolls to it.
        query.fill("")
        query.press_sequentially("sluice", delay=60)
        page.wait_for_function("() => document.querySelector('.cc-kwic-status').innerText.includes('1 hit(s) for sluice')")
        page.locator(".cc-kwic-hit select").select_option(index=1)
        page.locator(".cc-kwic-context .cc-hit-mark").wait_for(state="attached")
        page.locator(".cc-kwic-whole input").check()
        page.wait_for_function("() => document.querySelector('.cc-kwic-context').innerText.includes('Item 1:')")
        context = page.locator(".cc-kwic-context .cc-scrollbox")
        context.scroll_into_view_if_needed()
        page.wait_for_function(
            """() => { const b = document.querySelector('.cc-kwic-context .cc-scrollbox').getBoundingClientRect();
                       const m = document.querySelector('.cc-kwic-context .cc-hit-mark').getBoundingClientRect();
                       return m.top >= b.top && m.bottom <= b.bottom; }""")
        assert context.evaluate("e => e.scrollHeight > 2 * e.clientHeight")  # the article is far longer than the box
        assert context.evaluate("e => e.scrollTop") > 0  # and the box did scroll to the hit
        assert inside(page.locator(".cc-kwic-context .cc-hit-mark").evaluate(BOX), context.evaluate(BOX))
        page.screenshot(path=str(ARTIFACTS / "browser-kwic-whole-article.png"))


def _outputs_too_wide(page: Any) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-OutputArea-output')].map((o, i) => {
               const r = o.getBoundingClientRect();
               const widest = Math.max(0, ...[...o.querySelectorAll('table, img, .widget-vbox')].map(t => t.getBoundingClientRect().right - r.left));
               return {i, area: Math.round(r.width), scroll: o.scrollWidth, client: o.clientWidth, widest: Math.round(widest)};
           }).filter(x => x.area > 0 && (x.scroll > x.client + 1 || x.widest > x.area + 1))"""
    )


def test_notebook_02_outputs_fit_their_output_areas(lab: Lab) -> None:
    shot = ARTIFACTS / "browser-notebook-02.png"
    with notebook_page(lab, NOTEBOOK_02, shot) as page:
        wait_for_run_all(page)
        page.locator(".cc-kwic-table").first.wait_for(state="visible")
        n = page.locator(".jp-OutputArea-output").count()
        assert n >= 20
        too_wide = _outputs_too_wide(page)
        assert not too_wide, too_wide
        page.locator(".caucasus-corpus-kwic").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(shot))


def test_notebook_01_article_viewer_is_at_most_three_screens_tall(lab: Lab) -> None:
    shot = ARTIFACTS / "browser-notebook-01-viewer.png"
    dirty: list[int] = []
    with notebook_page(lab, NOTEBOOK_01, shot, before_run=lambda page: dirty.append(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count())) as page:
        wait_for_run_all(page)
        assert dirty == [0], "JupyterLab marked notebook 01 modified as soon as it opened"
        viewer = page.locator(".cc-article-viewer")
        viewer.wait_for(state="visible")
        height = viewer.evaluate("e => e.getBoundingClientRect().height")
        assert 0 < height <= 3 * VIEWPORT["height"], height
        assert page.locator(".cc-article-viewer details.cc-records-box").count() == 1
        viewer.scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
