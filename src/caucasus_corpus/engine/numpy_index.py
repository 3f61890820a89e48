"""The in-memory engine: numpy arrays over every token plus an inverted index by word type.

Built from the texts on first use: the tokens frame (by the rules of :mod:`caucasus_corpus.text`),
then a vocabulary (``pd.factorize``), the positions of each type sorted once (a stable argsort
with CSR-style bounds), and per-article bounds. A query looks words up in the vocabulary instead
of scanning every token; ``benchmarks/bench_kwic.py`` compares this with NLTK's ``ConcordanceIndex``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._options import check_choice
from ..text.frame import tokens_frame
from ..vocab import MATCH_MODES


@dataclass(frozen=True)
class _Arrays:
    article: np.ndarray  # int: position of the token's article in article_ids
    token_index: np.ndarray  # int: position of the token within its article
    start: np.ndarray
    end: np.ndarray
    tokens: np.ndarray  # object: the token strings
    kind: np.ndarray  # object: word / number / punct
    codes: np.ndarray  # int: position of the token's type in vocab
    vocab: np.ndarray  # object: distinct token strings (case kept)
    folded_vocab: np.ndarray  # object: vocab casefolded
    order: np.ndarray  # token positions sorted by code (stable, so ascending within a code)
    bounds: np.ndarray  # positions of code c are order[bounds[c]:bounds[c + 1]]
    first: np.ndarray  # per article: global position of its first token
    last: np.ndarray  # per article: global position of its last token (first - 1 when empty)


def _arrays(frame: pd.DataFrame, ids: list[str]) -> _Arrays:
    article = pd.Categorical(frame["article_id"].astype(object), categories=ids).codes.astype(np.int64)
    tokens = frame["token"].to_numpy(dtype=object)
    codes, vocab = pd.factorize(tokens)
    codes = codes.astype(np.int64)
    vocab = np.asarray(vocab, dtype=object)
    n_per_article = np.bincount(article, minlength=len(ids))
    first = np.concatenate([[0], np.cumsum(n_per_article)[:-1]]) if len(ids) else np.empty(0, np.int64)
    return _Arrays(
        article=article,
        token_index=frame["token_index"].to_numpy(dtype=np.int64),
        start=frame["start"].to_numpy(dtype=np.int64),
        end=frame["end"].to_numpy(dtype=np.int64),
        tokens=tokens,
        kind=frame["kind"].to_numpy(dtype=object),
        codes=codes,
        vocab=vocab,
        folded_vocab=np.array([v.casefold() for v in vocab], dtype=object),
        order=np.argsort(codes, kind="stable"),
        bounds=np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(vocab)))]),
        first=first.astype(np.int64),
        last=(first + n_per_article - 1).astype(np.int64),
    )


def _matcher(part: str, match: str, case: bool) -> re.Pattern[str] | None:
    """A compiled whole-token pattern for glob/regex parts (None for exact parts)."""
    if match == "exact":
        return None
    pattern = fnmatch.translate(part) if match == "glob" else part
    try:
        return re.compile(pattern, 0 if case else re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {part!r}: {exc}") from None


class NumpyEngine:
    """A :class:`~caucasus_corpus.engine.base.TokenEngine` over texts held in memory.

    It owns the caches derived from the tokens (the tokens frame and the arrays), built on
    first use, so that a corpus nobody queries is never tokenised.
    """

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = texts
        self._ids = list(texts)
        self._frame: pd.DataFrame | None = None
        self._arrays: _Arrays | None = None

    @property
    def article_ids(self) -> list[str]:
        return list(self._ids)

    def token_frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = tokens_frame(self._texts)
        return self._frame

    @property
    def _a(self) -> _Arrays:
        if self._arrays is None:
            self._arrays = _arrays(self.token_frame(), self._ids)
        return self._arrays

    def __len__(self) -> int:
        return len(self._a.tokens)

    def _positions(self, codes: Iterable[int]) -> np.ndarray:
        a = self._a
        parts = [a.order[a.bounds[c] : a.bounds[c + 1]] for c in codes]
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.sort(np.concatenate(parts))

    def _matching_codes(self, part: str, match: str, case: bool) -> np.ndarray:
        a = self._a
        rx = _matcher(part, match, case)
        if rx is None:
            hits = a.vocab == part if case else a.folded_vocab == part.casefold()
            return np.flatnonzero(hits)
        return np.array([i for i, v in enumerate(a.vocab) if rx.fullmatch(v)], dtype=np.int64)

    def find(self, parts: Sequence[str], *, match: str, case: bool) -> np.ndarray:
        check_choice("match", match, MATCH_MODES)
        a = self._a
        code_sets = [self._matching_codes(p, match, case) for p in parts]
        pos = self._positions(code_sets[0])
        for k, codes in enumerate(code_sets[1:], start=1):
            # Phrase: the k-th following token must match part k and lie in the same article.
            pos = pos[pos + k < len(a.tokens)]
            nxt = pos + k
            pos = pos[(a.article[nxt] == a.article[pos]) & np.isin(a.codes[nxt], codes)]
        return pos

    def article(self, positions: np.ndarray) -> np.ndarray:
        return self._a.article[positions]

    def token_index(self, positions: np.ndarray) -> np.ndarray:
        return self._a.token_index[positions]

    def starts(self, positions: np.ndarray) -> np.ndarray:
        return self._a.start[positions]

    def ends(self, positions: np.ndarray) -> np.ndarray:
        return self._a.end[positions]

    def tokens(self, positions: np.ndarray) -> np.ndarray:
        return self._a.tokens[positions]

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return self._a.first, self._a.last

    def type_codes(self, *, case: bool) -> tuple[np.ndarray, np.ndarray]:
        a = self._a
        if case:
            return a.codes, a.vocab
        fcodes, fvocab = pd.factorize(a.folded_vocab)
        return fcodes.astype(np.int64)[a.codes], np.asarray(fvocab, dtype=object)

    def kind_mask(self, kinds: Sequence[str]) -> np.ndarray:
        return np.isin(self._a.kind, list(kinds))

    def positions_in_spans(self, articles: np.ndarray, starts: np.ndarray,
                           ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Tokens are sorted by article then offset and never overlap, so the tokens of a span
        # are one contiguous run, found by binary search on (article, offset) keys.
        a = self._a
        scale = int(max(a.end.max(initial=0), ends.max(initial=0))) + 1
        key_start = a.article * scale + a.start
        key_end = a.article * scale + a.end
        lo = np.searchsorted(key_start, articles * scale + starts, side="left")
        hi = np.searchsorted(key_end, articles * scale + ends, side="right")
        n = np.maximum(hi - lo, 0)
        rows = np.repeat(np.arange(len(starts)), n)
        offsets = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        return rows, np.repeat(lo, n) + offsets
