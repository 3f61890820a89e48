"""The engine interface: the operations the analysis code asks of a corpus's tokens.

Analysis functions (kwic, frequency, collocates, dispersion) talk to tokens only through these
operations, never through arrays or caches of a particular index, so that another engine (a
persisted, memory-mapped index, or shards on a Dask cluster) can answer them instead. Positions
are global token positions: tokens of the articles in corpus order, numbered from 0.

This interface is provisional: it holds what today's analysis code needs, and grows with the
engines that implement it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@runtime_checkable
class TokenEngine(Protocol):
    """Answers token queries over one corpus; owns every cache derived from its tokens."""

    @property
    def article_ids(self) -> list[str]:
        """Article ids in corpus order; an article's number is its place in this list."""
        ...

    def article_names(self, articles: np.ndarray) -> np.ndarray:
        """The article ids (object array) of article numbers."""
        ...

    def __len__(self) -> int:
        """Number of tokens in the corpus."""
        ...

    def token_frame(self) -> pd.DataFrame:
        """The tokens as the documented ``Corpus.tokens`` frame (shared: callers must not modify it)."""
        ...

    def find(self, parts: Sequence[str], *, match: str, case: bool) -> np.ndarray:
        """Positions of the first token of every match of the token patterns ``parts`` (a phrase
        when there are several; never across articles), ascending. ``match`` is one of
        :data:`caucasus_corpus.vocab.MATCH_MODES`."""
        ...

    def article(self, positions: np.ndarray) -> np.ndarray:
        """Article number of each position."""
        ...

    def token_index(self, positions: np.ndarray) -> np.ndarray:
        """Position of each token within its article (int64, as are the other per-position answers)."""
        ...

    def starts(self, positions: np.ndarray) -> np.ndarray:
        """Character offset where each token starts in its article's text."""
        ...

    def ends(self, positions: np.ndarray) -> np.ndarray:
        """Character offset where each token ends (exclusive)."""
        ...

    def tokens(self, positions: np.ndarray) -> np.ndarray:
        """The token strings at the positions (object array)."""
        ...

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Per article: the position of its first token, and of its last (first - 1 when empty)."""
        ...

    def type_codes(self, *, case: bool) -> tuple[np.ndarray, np.ndarray]:
        """(type code of every token, the type strings), case-kept or folded
        (:func:`caucasus_corpus.text.folding.fold`, once per type). The codes may be
        a narrow integer type (int32): widen them before arithmetic that could overflow."""
        ...

    def type_counts(self, kinds: Sequence[str], *, case: bool) -> tuple[np.ndarray, np.ndarray]:
        """(occurrences of each type among the tokens of ``kinds``, the type strings), with the
        types of :meth:`type_codes`; an engine counts these once, when it indexes."""
        ...

    def fold_rank(self, positions: np.ndarray) -> np.ndarray:
        """Rank (from 1) of each token's folded form among the corpus's folded types in
        code-point order (Python's string order): sorting by it sorts by the folded tokens."""
        ...

    def contexts(self, positions: np.ndarray, n: int, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(left, keyword, right) strings (object arrays or pandas ``string`` arrays) for hits of ``n`` tokens starting at
        ``positions``: up to ``window`` tokens on each side, never across articles, as in the
        text with every run of white space shown as one space."""
        ...

    def kind_mask(self, kinds: Sequence[str]) -> np.ndarray:
        """Boolean array over all positions: is the token of one of ``kinds``?"""
        ...

    def positions_in_spans(self, articles: np.ndarray, starts: np.ndarray,
                           ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(span row, position) for every token lying wholly inside each character span."""
        ...
