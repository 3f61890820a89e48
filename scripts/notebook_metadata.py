"""Write this Python's version into the tutorials' ``language_info`` metadata, so that JupyterLab
does not mark every notebook modified the moment its kernel starts (it writes the kernel's
``language_info``, version included, and a notebook whose metadata differs turns "modified").

``make lab`` runs it before starting JupyterLab. The version differs from machine to machine, so
the git filter that ``make lab`` sets up (nbstripout with ``metadata.language_info.version``)
drops it again: git sees no change. Git notices a file's new size before it runs the filter, so
a notebook that had no changes before is re-added to the index (its filtered content is the
committed content: nothing new is staged); a notebook with changes of your own is left alone.
Only notebooks whose version differs are rewritten; outputs and everything else are kept.

    python scripts/notebook_metadata.py [FOLDER]   (default: notebooks/)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat


def _git_clean(path: Path) -> bool:
    """Is ``path`` tracked by git with no change against the index (False outside a checkout)?"""
    def git(*args: str) -> int:
        return subprocess.run(["git", *args, "--", path.name], cwd=path.parent, capture_output=True).returncode

    return git("ls-files", "--error-unmatch") == 0 and git("diff", "--quiet") == 0


def main(folder: Path) -> int:
    version = "{}.{}.{}".format(*sys.version_info[:3])
    changed = 0
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = nbformat.read(path, as_version=4)
        info = nb.metadata.setdefault("language_info", {"name": "python"})
        if info.get("name") != "python" or info.get("version") == version:
            continue
        unchanged = _git_clean(path)
        info["version"] = version
        nbformat.write(nb, path)
        if unchanged:
            subprocess.run(["git", "add", "--", path.name], cwd=path.parent, check=True)
        changed += 1
    print(f"{changed} notebook(s) given this Python's version ({version}) in their metadata")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("notebooks")))
