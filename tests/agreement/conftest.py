"""Fixtures of agreement tests: the fictional release with two independent annotators' records
(built by ``support.annotate_two``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import annotate_two


@pytest.fixture
def double(fiction: Path) -> Path:
    """The fictional release with ann-a's and ann-b's independent records (see annotate_two)."""
    return annotate_two(fiction)
