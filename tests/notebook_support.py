"""Shared by the notebook and browser tests: a kernelspec for this interpreter, notebook paths."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"


def notebooks() -> list[Path]:
    """Every tutorial and explorer notebook (solutions included), in a stable order."""
    return sorted(p for p in NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def write_kernelspec(jupyter_path: Path) -> Path:
    """A ``python3`` kernelspec running *this* interpreter, under ``jupyter_path/kernels``.

    Put ``jupyter_path`` first on ``JUPYTER_PATH``: it is searched before the user's and the
    system's kernelspecs, so a ``python3`` kernel elsewhere (another Python without this package)
    cannot be picked up by mistake.
    """
    spec_dir = jupyter_path / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (caucasus-corpus tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return jupyter_path
