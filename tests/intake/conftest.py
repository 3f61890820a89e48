"""Fixtures of the intake tests: the invented site on 127.0.0.1 and a clock that does not sleep."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixture_site import FakeClock, Site, serve


@pytest.fixture
def site() -> Iterator[Site]:
    running = serve()
    yield running
    running.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
