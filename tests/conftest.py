"""Shared fixtures: the checkout's release, writable copies of it, and docstring column parsing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_277601ae54135c83.txt"
SEED_SHA256 = "d91f92467c680dfc3d75addd3852f26eedbe03e2c0033412a668801d4eed01b8"
SEED_ID = "commonspace-2017-05-17-azerbaijan-russia-low-point"


@pytest.fixture
def release_copy(tmp_path: Path) -> Path:
    """A writable copy of the checkout's release folder (manifest, corpus/, annotations/)."""
    dst = tmp_path / "release"
    dst.mkdir()
    shutil.copy2(REPO / "datapackage.json", dst / "datapackage.json")
    for folder in ("corpus", "annotations"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, dst / folder)
    return dst


_COLUMN_LINE = re.compile(r"^(\w+) : (\S+)$")


def documented_columns(obj: object) -> dict[str, str]:
    """``{column: dtype}`` from the ``Columns`` section of an object's docstring (numpydoc style)."""
    import inspect

    doc = inspect.getdoc(obj) or ""
    lines = doc.splitlines()
    try:
        start = lines.index("Columns") + 2  # skip the dashes under the heading
    except ValueError:
        raise AssertionError(f"{obj!r} has no 'Columns' section in its docstring") from None
    cols: dict[str, str] = {}
    for line in lines[start:]:
        if line and not line.startswith(" ") and not _COLUMN_LINE.match(line):
            break  # the next section
        m = _COLUMN_LINE.match(line)
        if m:
            cols[m.group(1)] = m.group(2)
    return cols


def actual_columns(frame) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {str(c): str(t) for c, t in frame.dtypes.items()}
