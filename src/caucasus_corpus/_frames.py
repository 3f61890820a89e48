"""Building DataFrames whose columns and dtypes are fixed, empty or not (docstrings promise them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def typed_frame(rows: Sequence[Mapping[str, Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """``rows`` as a frame with exactly the columns of ``dtypes``, in that order and of those dtypes.

    >>> typed_frame([], {"id": "string", "n": "int64"}).dtypes.astype(str).tolist()
    ['string', 'int64']
    """
    import pandas as pd  # here, so that importing a module that uses this stays light

    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in dtypes.items()})
    return pd.DataFrame(list(rows), columns=list(dtypes)).astype(dict(dtypes))
