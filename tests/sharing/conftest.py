"""Fixtures of the sharing tests: a fictional release published without its texts, and the texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import FICTION_ID, FICTION_TEXT


@pytest.fixture
def published(fiction: Path, tmp_path: Path) -> Path:
    """The fictional release (invented texts) published without its texts."""
    from caucasus_corpus.sharing import publish

    publish(tmp_path / "published", path=fiction)
    return tmp_path / "published"


@pytest.fixture
def texts_dir(tmp_path: Path) -> Path:
    """A folder holding the fictional release's text as ARTICLE_ID.txt."""
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / f"{FICTION_ID}.txt").write_bytes(FICTION_TEXT.encode("utf-8"))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) by its relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def data_snapshot(folder: Path) -> dict[str, bytes]:
    """The manifest and every data file of a release folder."""
    return {k: v for k, v in snapshot(folder).items() if k == "datapackage.json" or k.split("/")[0] in ("corpus", "annotations")}
