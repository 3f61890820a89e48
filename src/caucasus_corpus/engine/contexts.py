"""KWIC context strings from the token index, without a Python string per row.

A context is a run of tokens, each followed by one space where white space follows it in the text
(so every run of white space shows as one space). Two ways to make them, giving equal strings:

* few cells (rows x window): each row's pieces (a token, or a token and a space) joined by
  Python's ``str.join``;
* many cells, when pandas keeps strings in Arrow: :class:`FlatText`, every article's tokens and
  spaces laid end to end once in one UTF-8 buffer with the byte offset of each token, so that a
  context is one byte range of it. The ranges become an Arrow ``string_view`` array (16 bytes per
  row, pointing into the buffer), which Arrow copies into a ``large_string`` array in compiled
  code: one copy of each context's bytes, nothing per token.

Articles with characters that are neither in a token nor white space are sliced from their text
instead (:func:`replace_rows`), by the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

# pandas keeps ``string`` columns in Arrow when pyarrow is installed (pandas 3): then contexts are
# cut from a FlatText; otherwise joined row by row in Python, giving the same strings.
ARROW_STRINGS = pd.StringDtype().storage == "pyarrow"

#: From this many cells (rows x tokens per row) a query makes the flat text if it is not made
#: yet; from FEW cells it uses the flat text once made; below FEW, Python's str.join is quicker.
FLAT_FROM = 1 << 16
FEW = 2000
#: Rows cut per block, one block at a time: bounds the temporary arrays (about 100 bytes per row).
#: At 10M tokens, blocks four times as big raised the peak of a frequent word's KWIC by 10-30 MB
#: for no gain in time; two threads cut the contexts' time by a quarter on an idle 2-core machine
#: (134 -> 100 ms) but raised the peak by 10-60 MB, past a quarter of NLTK's.
BLOCK = 1 << 15
#: The most bytes of flat text one Arrow buffer holds (string_view offsets are int32); a bigger
#: flat text is split between articles into several buffers.
BUFFER_BYTES = 2**31 - 1
# Tokens copied into the flat text per Arrow take (a multiple of _STEP).
_BUILD_TOKENS = 1 << 16
# Tokens per base offset, and the bytes a delta from it must stay under (see FlatText.byte_at).
_STEP = 64
DELTA_LIMIT = 1 << 16

# A string_view keeps strings of up to 12 bytes inside its 16-byte view.
_INLINE = 12
# Row k keeps the first k of 12 bytes (as three uint32 words, in memory order).
_MASK = np.tril(np.full((_INLINE + 1, _INLINE), 0xFF, dtype=np.uint8), -1).view(np.uint32)


def _arrow():  # type: ignore[no-untyped-def]
    import pyarrow
    import pyarrow.compute  # noqa: F401  (pyarrow.compute, used as pa.compute)

    return pyarrow


def _pool():  # type: ignore[no-untyped-def]
    """The memory pool for contexts: the system allocator. Arrow's default (mimalloc or jemalloc)
    keeps the pages of freed blocks for reuse: at 10M tokens the peak of a frequent word's KWIC
    was about 8 MB higher with it (benchmarks/bench_engine.py, memory)."""
    return _arrow().system_memory_pool()


@cache
def views_supported() -> bool:
    """Can this pyarrow build string_view arrays and cast them to large_string (pyarrow >= 16)?"""
    if not ARROW_STRINGS:
        return False
    pa = _arrow()
    try:
        return pa.array(["a view longer than twelve bytes"], type=pa.string_view()).cast(pa.large_string())[0].as_py() \
            == "a view longer than twelve bytes"
    except (AttributeError, NotImplementedError, pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return False


def string_array(values: Sequence[str] | np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``pd.array(values, dtype="string")`` for str values, without pandas' per-value checks
    when the strings are kept in Arrow."""
    if not ARROW_STRINGS:
        return pd.array(values, dtype="string")
    pa = _arrow()
    return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()))


def as_string_array(strings) -> pd.api.extensions.ExtensionArray:  # type: ignore[no-untyped-def]
    """A pandas ``string`` array of an object array or an Arrow array of strings."""
    if isinstance(strings, np.ndarray):
        return string_array(strings)
    return pd.arrays.ArrowStringArray(strings)


def replace_rows(strings, rows: np.ndarray, values: list[str]):  # type: ignore[no-untyped-def]
    """``strings`` (an object array, or an Arrow array) with the strings at ``rows`` replaced by ``values``."""
    if isinstance(strings, np.ndarray):
        strings[rows] = values
        return strings
    pa = _arrow()
    import pyarrow.compute as pc

    mask = np.zeros(len(strings), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings,
                                pa.array(mask), pa.array(values, type=pa.large_string()))


def join_pieces(pieces: np.ndarray, codes: np.ndarray, space_after: np.ndarray, pos: np.ndarray, n: int,
                window: int, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
    """[left, keyword, right] (object arrays) of hits of ``n`` tokens at ``pos``: the tokens
    lo..pos-1, pos..pos+n-1 and pos+n..hi of each row, joined in Python.

    ``pieces``: per type the token, then per type the token and a space, then "" (as
    ``np.concatenate([vocab, vocab + " ", [""]])``); a token takes its space unless it ends its
    context."""
    n_types = (len(pieces) - 1) // 2
    width = 2 * window + n
    cuts = ((0, window), (window, window + n), (window + n, width))
    out = [np.empty(len(pos), dtype=object) for _ in cuts]
    for r in range(0, len(pos), BLOCK):  # a block of rows at a time bounds the temporary arrays
        p, low, high = (x[r : r + BLOCK, None] for x in (pos, lo, hi))
        at = (p - window) + np.arange(width)  # every cell of the three contexts
        spaced = np.take(space_after, at, mode="clip") & (at != p - 1) & (at != p + (n - 1)) & (at < high)
        code = np.where((at >= low) & (at <= high), np.take(codes, at, mode="clip") + spaced * n_types, 2 * n_types)
        for strings, (c0, c1) in zip(out, cuts):
            strings[r : r + BLOCK] = ["".join(row) for row in pieces[code[:, c0:c1]].tolist()]
    return out


@dataclass(frozen=True)
class FlatText:
    """Every token and the space after it (where the text has white space there), end to end.

    ``data``: the UTF-8 bytes (numpy uint8, with zero bytes after the end so views can read a
    fixed width). Where the bytes of token position p begin (for p up to the number of tokens,
    whose offset is the end) is :meth:`byte_at`: ``base[p // 64] + delta[p]``, with ``delta``
    in uint16 (a quarter of the memory of int64 offsets), or ``delta[p]`` alone (``base`` None)
    when some 64 tokens take 64 KiB or more. ``buffers`` and ``buffer_start``: the Arrow buffers
    the bytes are split into (at article starts, each under :data:`BUFFER_BYTES`) and the byte
    where each begins."""

    data: np.ndarray
    base: np.ndarray | None
    delta: np.ndarray
    buffers: tuple  # type: ignore[type-arg]
    buffer_start: np.ndarray

    @classmethod
    def build(cls, vocab: np.ndarray, codes: np.ndarray, space_after: np.ndarray, first: np.ndarray) -> FlatText:
        """From the index: ``vocab`` (type strings), ``codes`` and ``space_after`` per token, and
        the position of each article's first token."""
        pa = _arrow()
        pieces = pa.array(np.concatenate([vocab, vocab + " "]), type=pa.large_string())
        piece_offsets = np.frombuffer(pieces.buffers()[1], dtype=np.int64, count=len(pieces) + 1)
        byte_len = np.diff(piece_offsets[: len(vocab) + 1])
        n = len(codes)
        total = int(byte_len @ np.bincount(codes, minlength=len(vocab))) + int(np.count_nonzero(space_after))
        data = np.zeros(total + 16, dtype=np.uint8)
        base: np.ndarray | None = np.empty(n // _STEP + 1, dtype=np.int64)
        delta = np.empty(n + 1, dtype=np.uint16)
        n_types = np.int32(len(vocab))
        at = 0
        from tqdm.auto import tqdm

        # A block of tokens at a time (a multiple of _STEP): the temporary arrays stay small. At
        # 100M tokens this takes seconds: a progress bar from about 20M.
        blocks = range(0, n + 1, _BUILD_TOKENS)
        for b in tqdm(blocks, desc="flat text for contexts", unit="block", disable=n < 1 << 24, mininterval=1.0):
            e = min(b + _BUILD_TOKENS, n)  # tokens b..e-1; offsets of positions b..e (e + 1 = n + 1 at the end)
            local = np.empty(e - b + 1, dtype=np.int64)
            local[0] = at
            np.cumsum(byte_len[codes[b:e]] + space_after[b:e], out=local[1:])
            local[1:] += at
            taken = pa.compute.take(pieces, pa.array(codes[b:e] + space_after[b:e] * n_types), memory_pool=_pool())
            if local[-1] > at:
                data[at : local[-1]] = np.frombuffer(taken.buffers()[2], dtype=np.uint8, count=int(local[-1] - at))
            at = int(local[-1])
            stop = min(b + _BUILD_TOKENS, n + 1)  # positions this block gives offsets for
            local = local[: stop - b]
            if base is not None:
                step_base = local[::_STEP]
                base[b // _STEP : b // _STEP + len(step_base)] = step_base
                d = local - np.repeat(step_base, _STEP)[: len(local)]
                if d.max(initial=0) < DELTA_LIMIT:
                    delta[b:stop] = d
                    continue
                # Some 64 tokens take 64 KiB or more: plain offsets for every position.
                full = np.empty(n + 1, dtype=np.int64 if total >= 2**31 else np.int32)
                full[:b] = base[np.arange(b) // _STEP] + delta[:b]
                base, delta = None, full
            delta[b:stop] = local
        # Buffers begin at article starts, so no context (which stays in its article) spans two;
        # an article bigger than BUFFER_BYTES gets a buffer of its own.
        starts = [0]
        article_start = (base[first // _STEP] + delta[first]) if base is not None else delta[first].astype(np.int64)
        while total - starts[-1] > BUFFER_BYTES:
            k = int(np.searchsorted(article_start, starts[-1] + BUFFER_BYTES, side="right")) - 1
            if article_start[k] <= starts[-1]:
                k = int(np.searchsorted(article_start, starts[-1], side="right"))
                if k == len(article_start):
                    break
            starts.append(int(article_start[k]))
        if max(np.diff(starts + [total]), default=0) >= 2**31:
            raise ValueError("an article's tokens take 2 GiB or more: too long for Arrow's string views")
        bounds = starts + [total]
        buffers = tuple(pa.py_buffer(data[s:e]) for s, e in zip(bounds[:-1], bounds[1:]))
        return cls(data=data, base=base, delta=delta, buffers=buffers, buffer_start=np.array(starts, dtype=np.int64))

    def byte_at(self, positions: np.ndarray) -> np.ndarray:
        """Where the bytes of each token position begin in ``data`` (int64)."""
        if self.base is None:
            return self.delta[positions].astype(np.int64)
        return self.base[positions // _STEP] + self.delta[positions]

    def cut(self, bounds: Sequence[np.ndarray], space_after: np.ndarray) -> list:  # type: ignore[type-arg]
        """For each pair of consecutive position arrays (b, e) in ``bounds``, the strings of
        tokens b..e-1 (e >= b; without the space after the last one), as Arrow ``large_string``
        arrays (ChunkedArrays, a chunk per block of rows)."""
        pa = _arrow()

        def block(r: int) -> list:  # type: ignore[type-arg]
            at = [x[r : r + BLOCK] for x in bounds]
            byte = [self.byte_at(x) for x in at]
            # A range's last token may be followed by a space in the flat text: not in the context.
            return [self._views(byte[k], np.maximum(byte[k + 1] - byte[k] - space_after[at[k + 1] - 1], 0))
                    for k in range(len(at) - 1)]

        blocks = [block(r) for r in range(0, len(bounds[0]), BLOCK)]
        return [pa.chunked_array([b[k] for b in blocks], type=pa.large_string()) for k in range(len(bounds) - 1)]

    def _views(self, start: np.ndarray, length: np.ndarray):  # type: ignore[no-untyped-def]
        """A large_string array of the byte ranges [start, start + length) of the flat text."""
        pa = _arrow()
        m = len(start)
        # Arrow's string view: the length, then the first 12 bytes (zero-padded) of a string of
        # at most 12, or else its first 4 bytes, its buffer and its offset in that buffer. The 12
        # bytes at each start are read once and serve both (the first 4 are the prefix).
        head = np.ndarray((len(self.data) - 15,), dtype=f"V{_INLINE}", buffer=self.data, strides=(1,))[start]
        head = head.view(np.uint32).reshape(m, 3) & _MASK.take(np.minimum(length, _INLINE), axis=0)
        views = np.empty((m, 4), dtype=np.uint32)
        views[:, 0] = length
        views[:, 1] = head[:, 0]
        short = length <= _INLINE
        if len(self.buffers) == 1:
            which, at = np.uint32(0), start
        else:
            which = np.searchsorted(self.buffer_start, start, side="right") - 1
            at = start - self.buffer_start[which]
        views[:, 2] = np.where(short, head[:, 1], which)
        views[:, 3] = np.where(short, head[:, 2], at.astype(np.uint32, copy=False))
        array = pa.Array.from_buffers(pa.string_view(), m, [None, pa.py_buffer(views), *self.buffers])
        return pa.compute.cast(array, pa.large_string(), memory_pool=_pool())

    @property
    def nbytes(self) -> int:
        return int(self.data.nbytes + self.delta.nbytes + (0 if self.base is None else self.base.nbytes))
