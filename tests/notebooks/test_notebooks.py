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
    prefixes = [p.name[:3] for p in NUMBERED]
    assert {"01-", "02-", "03-", "04-", "05-", "06-", "07-", "08-", "09-", "10-", "11-"} <= set(prefixes), IDS
    assert len(prefixes) == len(set(prefixes)), f"two tutorials share a number: {IDS}"


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


# -- exercises and their solutions -----------------------------------------------------------------
# The convention every notebook follows: a solution is a Markdown cell right after its exercise,
#   <details><summary>Solution</summary>  + a fenced ```python block +  </details>
# so Run All never runs it and the page shows only the word "Solution" until a student opens it.
SOLUTION = re.compile(r"<details>\s*<summary>\s*Solution\s*</summary>(?P<body>.*?)</details>", re.S | re.I)
FENCED = re.compile(r"```python\n(?P<code>.*?)```", re.S)
EXERCISE = re.compile(r"\*\*Exercise\b[^*]*\*\*")


def solutions(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, code) of every solution block of ``nb``, in order."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for block in SOLUTION.finditer(cell.source):
            codes = FENCED.findall(block.group("body"))
            assert len(codes) == 1, f"cell {i}: a solution holds exactly one fenced ```python block, found {len(codes)}"
            out.append((i, codes[0]))
    return out


def _exercises_at(nb: nbformat.NotebookNode) -> int | None:
    return next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and re.match(r"#+\s*Exercises", c.source)), None)


def _is_placeholder(source: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in source.splitlines())


@pytest.mark.parametrize("path", NUMBERED, ids=[p.name for p in NUMBERED])
def test_tutorial_says_what_it_teaches_and_ends_with_exercises(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "you will learn" in first.source.lower(), path.name
    exercises_at = _exercises_at(nb)
    assert exercises_at is not None, f"{path.name} has no Exercises section"
    exercises = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and EXERCISE.search(c.source)]
    assert exercises and all(i >= exercises_at for i in exercises), path.name
    solved = [i for i, _ in solutions(nb)]
    # Each exercise has its own solution after it and before the next exercise.
    for here, after in zip(exercises, [*exercises[1:], len(nb.cells)]):
        assert any(here <= i < after for i in solved), f"{path.name} cell {here}: exercise without a solution block"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_run_all_cannot_run_or_show_a_solution(path: Path) -> None:
    """No solution is a code cell (Run All would run it and print the answer); after the
    Exercises heading every code cell is a comment for the student to replace."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        assert "solution" not in cell.metadata.get("tags", []), (
            f"{path.name} cell {i} is a solution cell: Run All would run it; write it as a "
            "<details><summary>Solution</summary> Markdown cell instead")
    start = _exercises_at(nb)
    if start is None:
        return
    code = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and i > start]
    assert all(_is_placeholder(src) for _, src in code), (
        f"{path.name}: code cells after the Exercises heading run under Run All: "
        f"{[i for i, src in code if not _is_placeholder(src)]}")
    for _, src in solutions(nb):
        first = next(line for line in src.splitlines() if line.strip())
        assert all(first not in c.source for c in nb.cells if c.cell_type == "code"), (
            f"{path.name}: a code cell repeats the solution line {first!r}")


def test_solution_blocks_are_found_and_parsed() -> None:
    """The runner's parser on a notebook made here: two blocks found, the code exact, a block
    without its fenced code refused (so a malformed solution cannot slip past the runner)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("**Exercise 1.** Count Varnia."),
        nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>\n\n```python\nx = 1\nprint(x)\n```\n\n</details>"),
        nbformat.v4.new_markdown_cell("<details>\n<summary>Solution</summary>\n```python\ny = 2\n```\n</details>"),
    ]
    assert solutions(nb) == [(1, "x = 1\nprint(x)\n"), (2, "y = 2\n")]
    nb.cells.append(nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>\nprint(3)\n</details>"))
    with pytest.raises(AssertionError, match="exactly one fenced"):
        solutions(nb)


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
def test_notebook_runs_top_to_bottom_then_every_solution(path: Path, kernel_env: None) -> None:
    """Run All on a fresh kernel, as a student would: no error, and no output in the exercise
    part (no answer printed). Then, in the same kernel, every solution block in order: each must
    run without an error, so a solution cannot rot while it is hidden from Run All."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    n_cells = len(nb.cells)
    blocks = solutions(nb)
    for i, code in blocks:
        nb.cells.append(nbformat.v4.new_code_cell(code, metadata={"solution_of_cell": i}))
    began = time.monotonic()
    # cwd = the notebook's folder, as when a student opens it in JupyterLab.
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.monotonic() - began
    errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert not errors, [(f"solution of cell {nb.cells[i].metadata['solution_of_cell']}" if i >= n_cells else f"cell {i}", e, v)
                        for i, e, v in errors]
    tracebacks = [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "stream" and o.name == "stderr" and "Traceback" in o.text]
    assert not tracebacks, tracebacks
    start = _exercises_at(nb)
    if start is not None:
        shown = [i for i, c in enumerate(nb.cells[:n_cells]) if c.cell_type == "code" and i > start and c.outputs]
        assert not shown, f"{path.name}: Run All printed output in the exercises (cells {shown})"
    if blocks:
        assert all(nb.cells[n_cells + k].get("execution_count") for k in range(len(blocks))), "a solution did not run"
    print(f"{path.name}: executed in {elapsed:.1f}s with {len(blocks)} solution(s)")


# -- make lab: saved outputs never reach git --------------------------------------------------------


def test_make_lab_sets_up_nbstripout_so_saved_outputs_never_reach_git(tmp_path: Path) -> None:
    """The ``git-filter`` step of ``make lab`` in a fresh git repository: a notebook saved with
    outputs, widget state and this machine's Python version is staged without them, and the
    working file keeps them (the student loses nothing)."""
    import shutil

    from support import REPO

    repo = tmp_path / "checkout"
    repo.mkdir()
    shutil.copy2(REPO / "Makefile", repo / "Makefile")
    git = ["git", "-C", str(repo), "-c", "user.name=Kesa Rimm", "-c", "user.email=kesa@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    out = subprocess.run(["make", "-s", "-C", str(repo), f"BIN={Path(sys.executable).parent}", "git-filter"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "git filter" in out.stdout
    nb = nbformat.read(NUMBERED[0], as_version=4)
    nb.metadata["language_info"]["version"] = "3.99.1"
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Varnia\n")]
    cell.execution_count = 1
    nbformat.write(nb, repo / "saved.ipynb")
    subprocess.run([*git, "add", "saved.ipynb"], check=True)
    staged = nbformat.reads(subprocess.run([*git, "show", ":saved.ipynb"], capture_output=True, text=True, check=True).stdout,
                            as_version=4)
    code = [c for c in staged.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "widgets" not in staged.metadata and "version" not in staged.metadata["language_info"]
    assert staged.metadata["kernelspec"]["name"] == "python3"
    on_disk = nbformat.read(repo / "saved.ipynb", as_version=4)
    assert next(c for c in on_disk.cells if c.cell_type == "code").outputs  # the student's file keeps them


def test_make_lab_gives_notebooks_this_python_version_and_git_sees_no_change(tmp_path: Path) -> None:
    """What JupyterLab writes on opening (the kernel's Python version) is already in the file, so
    the tab does not turn "modified" (measured in test_browser.py); the filter keeps git clean."""
    import shutil

    from support import REPO

    repo = tmp_path / "checkout"
    (repo / "notebooks").mkdir(parents=True)
    (repo / "scripts").mkdir()
    shutil.copy2(REPO / "Makefile", repo / "Makefile")
    shutil.copy2(REPO / "scripts" / "notebook_metadata.py", repo / "scripts" / "notebook_metadata.py")
    for path in NUMBERED[:2]:
        shutil.copy2(path, repo / "notebooks" / path.name)
    git = ["git", "-C", str(repo), "-c", "user.name=Kesa Rimm", "-c", "user.email=kesa@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "tutorials"], check=True)
    bin_dir = Path(sys.executable).parent
    assert subprocess.run(["make", "-s", "-C", str(repo), f"BIN={bin_dir}", "git-filter"], capture_output=True).returncode == 0
    # The student's own edit in the second notebook: it must stay theirs, not staged.
    mine = repo / "notebooks" / NUMBERED[1].name
    edited = nbformat.read(mine, as_version=4)
    edited.cells[0].source += "\n\nMy note on Varnia."
    nbformat.write(edited, mine)
    out = subprocess.run([sys.executable, "scripts/notebook_metadata.py", "notebooks"], cwd=repo, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("2 notebook(s)"), out.stdout + out.stderr
    nb = nbformat.read(repo / "notebooks" / NUMBERED[0].name, as_version=4)
    assert nb.metadata["language_info"]["version"] == "{}.{}.{}".format(*sys.version_info[:3])
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    assert status == f" M notebooks/{NUMBERED[1].name}\n", status  # only the student's edit shows
    assert "My note on Varnia" in nbformat.read(mine, as_version=4).cells[0].source
    again = subprocess.run([sys.executable, "scripts/notebook_metadata.py", "notebooks"], cwd=repo, capture_output=True, text=True)
    assert again.stdout.startswith("0 notebook(s)")


def test_make_lab_outside_a_git_checkout_says_so_and_goes_on(tmp_path: Path) -> None:
    import shutil

    from support import REPO

    shutil.copy2(REPO / "Makefile", tmp_path / "Makefile")
    env = {**__import__("os").environ, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    out = subprocess.run(["make", "-s", "-C", str(tmp_path), f"BIN={Path(sys.executable).parent}", "git-filter"],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0 and "Not a git checkout" in out.stdout, out.stdout + out.stderr
