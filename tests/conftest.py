"""Fixtures shared by every test folder; the builders behind them live in ``support.py``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import REPO, annotate_two, copy_release, write_release


@pytest.fixture(autouse=True, scope="session")
def check_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """load() remembers releases that passed its check (release/checkcache.py): in a folder of
    this test session (child processes inherit it), not in the user's cache."""
    os.environ.setdefault("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path_factory.mktemp("checked")))


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make test`` runs two workers), every browser test runs on one worker:
    each browser module starts its own JupyterLab and Chromium once, and two of them at once on a
    2-core machine made each slower than both in turn. The other tests spread one by one."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
