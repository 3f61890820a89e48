"""The tutorials as files (issue 27, items 9 and 14): committed exactly as nbformat writes them, so
``make lab`` leaves ``git status`` clean, and notebook 06's recipe for annotating in a folder you
keep really keeps the work across a kernel restart (its own ``work`` folder is temporary)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from support import NOTEBOOKS_DIR, REPO, notebooks

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(NOTEBOOKS_DIR)) for p in NOTEBOOKS]
ANNOTATING = NOTEBOOKS_DIR / "06-annotating.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_in_nbformats_own_key_order(path: Path) -> None:
    """scripts/notebook_metadata.py (run by ``make lab``) rewrites a notebook with nbformat; a file
    in another key order then differs from the commit even after the git filter."""
    text = path.read_text(encoding="utf-8")
    written = nbformat.writes(nbformat.read(path, as_version=4))
    assert text == written + ("" if written.endswith("\n") else "\n"), (
        f"{path.name} is not in nbformat's key order; run "
        f"python -c \"import nbformat as n; p='{path}'; n.write(n.read(p, as_version=4), p)\"")


def test_make_lab_leaves_git_status_clean_for_every_tutorial(tmp_path: Path) -> None:
    """Every tutorial committed, ``make git-filter`` and ``scripts/notebook_metadata.py`` run as
    ``make lab`` runs them: git sees no change (before, notebook 06 showed as modified)."""
    repo = tmp_path / "checkout"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(REPO / "Makefile", repo / "Makefile")
    shutil.copy2(REPO / "scripts" / "notebook_metadata.py", repo / "scripts" / "notebook_metadata.py")
    shutil.copytree(NOTEBOOKS_DIR, repo / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    git = ["git", "-C", str(repo), "-c", "user.name=Kesa Rimm", "-c", "user.email=kesa@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "tutorials"], check=True)
    assert subprocess.run(["make", "-s", "-C", str(repo), f"BIN={Path(sys.executable).parent}", "git-filter"],
                          capture_output=True).returncode == 0
    out = subprocess.run([sys.executable, "scripts/notebook_metadata.py", "notebooks"], cwd=repo, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith(f"{len(NOTEBOOKS)} notebook(s)"), out.stdout + out.stderr
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    assert status == "", status


def _kept_copy_recipe() -> str:
    nb = nbformat.read(ANNOTATING, as_version=4)
    blocks = [m for c in nb.cells if c.cell_type == "markdown" and "a folder you keep" in c.source
              for m in re.findall(r"```python\n(.*?)```", c.source, re.S)]
    assert len(blocks) == 1, "notebook 06 shows one recipe for annotating in a folder you keep"
    return blocks[0]


def test_the_annotating_tutorial_says_its_own_folder_is_temporary() -> None:
    nb = nbformat.read(ANNOTATING, as_version=4)
    widget_cell = next(c.source for c in nb.cells if c.cell_type == "markdown" and "restarting the kernel" in c.source)
    assert "temporary folder, deleted when the kernel stops" in widget_cell.replace("\n", " ")
    setup = next(c.source for c in nb.cells if c.cell_type == "code")
    assert "tempfile.TemporaryDirectory()" in setup  # what the warning is about


def test_the_kept_copy_recipe_keeps_annotations_across_a_restart(tmp_path: Path) -> None:
    """The recipe run in one Python process (a kernel), an article added and annotated there, then
    the recipe run again in a new process (the kernel after a restart): the record is still there
    and the copy was not made afresh. HOME points at a test folder; the widget line is left out."""
    recipe = _kept_copy_recipe()
    body, last = recipe.rstrip("\n").rsplit("\n", 1)
    assert last.startswith("annotator(kept, ")
    first_kernel = body + """
text = "Varnia warns Ostrel over a dam (invented example)\\n\\nPell Andor said the dam threatens our farms.\\n"
article = cc.add_article(kept, text=text, title="Varnia warns Ostrel over a dam (invented example)", language="en",
                         outlet="example.org", published="2031-03-01",
                         notes="invented test text")
s = cc.annotate(kept, article, annotator="you")
s.add_actor("pell-andor", name="Pell Andor", kind="person", notes="invented")
print("RECORD", s.mention(quote="Pell Andor", actor="pell-andor", form="name"), article)
"""
    after_restart = body + """
import sys
rid, article = sys.argv[1], sys.argv[2]
print("FOUND", rid in set(cc.load(kept).annotations["id"]), article in cc.load(kept).article_ids)
"""
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    one = subprocess.run([sys.executable, "-c", first_kernel], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert one.returncode == 0, one.stderr
    rid, article = one.stdout.split("RECORD ", 1)[1].split()
    kept = tmp_path / "caucasus-annotation" / "my-release"
    assert kept.is_dir()
    two = subprocess.run([sys.executable, "-c", after_restart, rid, article], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=600)
    assert two.returncode == 0, two.stderr
    assert "FOUND True True" in two.stdout
