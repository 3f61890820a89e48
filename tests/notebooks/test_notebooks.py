"""The tutorials: committed without outputs, structured as lessons, and runnable top to bottom."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from support import NOTEBOOKS_DIR, notebooks, write_kernelspec

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(NOTEBOOKS_DIR)) for p in NOTEBOOKS]
NUMBERED = [p for p in NOTEBOOKS if re.match(r"\d\d-", p.name)]
CELL_TIMEOUT = 300  # seconds per cell; the first cell tokenises the corpus


def test_the_numbered_tutorials_exist() -> None:
    assert [p.name[:3] for p in NUMBERED] == ["01-", "02-", "03-", "04-", "05-", "06-", "07-"], IDS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs; run nbstripout on it"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb.metadata, f"{path.name} stores widget state; run nbstripout on it"
    # nbstripout's own check, with the options the repository uses (its defaults).
    out = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, f"nbstripout --verify {path.name}: {out.stdout}{out.stderr}"


@pytest.mark.parametrize("path", NUMBERED, ids=[p.name for p in NUMBERED])
def test_tutorial_says_what_it_teaches_and_ends_with_exercises(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "you will learn" in first.source.lower(), path.name
    headings = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("#")]
    assert any(re.match(r"#+\s*Exercises", h) for h in headings), f"{path.name} has no Exercises section"
    exercises_at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and re.match(r"#+\s*Exercises", c.source))
    after = nb.cells[exercises_at:]
    solutions = [c for c in after if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]
    # The convention of this round (HELPER_RULES): a Markdown cell right after the exercise holding
    # <details><summary>Solution</summary> and a fenced python block, never run by Run All.
    details = [c for c in after if c.cell_type == "markdown" and "<summary>Solution</summary>" in c.source]
    assert solutions or details, f"{path.name}: each exercise needs a solution (a <details> Markdown cell)"
    for cell in solutions:  # hidden in JupyterLab until the student expands them
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, path.name


def _prose(source: str) -> str:
    """Markdown without code (fenced or inline), link targets, headings and exercise labels."""
    source = re.sub(r"```.*?```", "", source, flags=re.S)
    source = re.sub(r"`[^`]*`", "", source)
    source = re.sub(r"\]\([^)]*\)", "]", source)
    lines = [line for line in source.splitlines() if not line.lstrip().startswith("#")]
    text = "\n".join(lines)
    text = re.sub(r"\bSemEval-\d{4} Task \d+", "", text)  # the name of a standard, not a count
    return re.sub(r"\b(?:Exercise|Notebook|notebook|tutorial|Tutorial|step|Step) \d+\b", "", text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_prose_states_no_hand_typed_numbers(path: Path) -> None:
    """Numbers about the corpus must be computed in cells (f-strings / Markdown output), not typed."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            digits = re.findall(r"\b\d[\d,.]*", _prose(cell.source))
            assert not digits, f"{path.name} markdown cell {i} states {digits}; compute it in a code cell"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    jp = write_kernelspec(tmp_path_factory.mktemp("jupyter-path"))
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(jp))
    mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    yield
    mp.undo()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_top_to_bottom(path: Path, kernel_env: None) -> None:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    began = time.monotonic()
    # cwd = the notebook's folder, as when a student opens it in JupyterLab.
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.monotonic() - began
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    tracebacks = [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "stream" and o.name == "stderr" and "Traceback" in o.text]
    assert not tracebacks, tracebacks
    print(f"{path.name}: executed in {elapsed:.1f}s")
