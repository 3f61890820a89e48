"""Fixtures shared by every test folder; the builders behind them live in ``support.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import REPO, annotate_two, copy_release, write_release


@pytest.fixture
def release_copy(tmp_path: Path) -> Path:
    """A writable copy of the checkout's release folder (manifest, corpus/, annotations/)."""
    return copy_release(REPO, tmp_path / "release")


@pytest.fixture
def fiction(tmp_path: Path) -> Path:
    """A valid fictional release with every annotation layer."""
    return write_release(tmp_path / "fiction")


@pytest.fixture
def double(fiction: Path) -> Path:
    """The fictional release with two independent annotators' records (``support.annotate_two``)."""
    return annotate_two(fiction)


@pytest.fixture(scope="session")
def bundled():  # type: ignore[no-untyped-def]
    """The bundled release, loaded once per test session (treat it as read-only)."""
    import caucasus_corpus as cc

    return cc.load()
