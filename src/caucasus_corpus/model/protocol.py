"""``CorpusLike``: what the analysis, release and widget code may ask of a corpus.

Functions typed with this protocol work on any object that offers these members, not only on
:class:`~caucasus_corpus.Corpus` (a sharded or lazily loaded corpus, for example), and they never
reach into a corpus's private state.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from ..engine.base import TokenEngine


class CorpusLike(Protocol):
    @property
    def version(self) -> str | None: ...

    @property
    def fingerprint(self) -> str | None: ...

    @property
    def root(self) -> Path | None: ...

    @property
    def article_ids(self) -> list[str]: ...

    def text(self, article_id: str) -> str: ...

    @property
    def articles(self) -> pd.DataFrame: ...

    @property
    def tokens(self) -> pd.DataFrame: ...

    @property
    def engine(self) -> TokenEngine: ...

    @property
    def has_annotations(self) -> bool: ...

    @property
    def annotations(self) -> pd.DataFrame: ...

    @property
    def mentions(self) -> pd.DataFrame: ...

    @property
    def claims(self) -> pd.DataFrame: ...

    @property
    def threats(self) -> pd.DataFrame: ...

    @property
    def stance(self) -> pd.DataFrame: ...

    @property
    def actors(self) -> pd.DataFrame: ...

    @property
    def topics(self) -> pd.DataFrame: ...

    def resolve_actor(self, name: str) -> str: ...


def require_annotations(corpus: CorpusLike, what: str) -> None:
    """Raise :class:`~caucasus_corpus.errors.NoAnnotationsError` (saying why, and what still
    works) when ``corpus`` has no annotations; every entry point that needs them calls this."""
    from ..errors import NoAnnotationsError

    if corpus.has_annotations:
        return
    origin = "built from your own texts" if corpus.root is None else f"the release at {corpus.root} has no annotation records"
    raise NoAnnotationsError(
        f"{what} needs annotations, but this corpus has no annotations ({origin}); "
        "kwic, frequency, collocates and dispersion still work"
    )
