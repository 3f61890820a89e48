"""Token engines: the index behind kwic, frequency, collocates and dispersion.

:class:`TokenEngine` is the interface (operations, not arrays); :class:`NumpyEngine` is the
in-memory implementation every corpus gets by default (``corpus.engine``).
"""

from __future__ import annotations

from .base import TokenEngine
from .numpy_index import NumpyEngine

__all__ = ["NumpyEngine", "TokenEngine"]
