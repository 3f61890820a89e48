"""The README's Python examples run as written, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import REPO


def python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_the_readme_has_examples() -> None:
    assert len(python_blocks()) >= 4


def test_every_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    matplotlib.use("Agg")
    # The README reads a CSV of the reader's own articles; these two are fictional.
    (tmp_path / "my_articles.csv").write_text(
        "article_id,text\nnote-1,The parliament of Varnia met.\nnote-2,Ostrel's parliament replied.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec("import pandas as pd", namespace)  # the README assumes pandas is imported, as in a notebook
    for n, block in enumerate(python_blocks(), start=1):
        try:
            exec(compile(block, f"README.md python block {n}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"README python block {n} fails: {exc!r}\n{block}") from exc
    assert len(namespace["mine"].kwic("parliament")) == 2  # type: ignore[attr-defined]
