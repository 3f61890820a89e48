"""Duplicates: the same text (sha256 of the stored bytes), and near-duplicates (syndicated copies
of one wire story with another headline or a sentence added) by MinHash over word shingles.

A text's shingles are its runs of :data:`SHINGLE` = 5 consecutive words (lower-cased runs of
word characters), each hashed with CRC-32; :data:`PERMUTATIONS` = 128 hash functions estimate the
Jaccard similarity of two shingle sets. Two texts whose estimated similarity is at least
:data:`THRESHOLD` = 0.8 are near-duplicates: the later one is reported ``near-duplicate-of`` the
earlier and not staged. (With 128 permutations the estimate's standard error is at most 0.044,
so a pair at 0.8 is told apart from one at 0.6 almost always.) Texts of fewer than 5 words are
compared by sha256 only.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field

import numpy as np

__all__ = ["PERMUTATIONS", "SHINGLE", "THRESHOLD", "DuplicateIndex", "minhash"]

SHINGLE = 5
PERMUTATIONS = 128
THRESHOLD = 0.8
_rng = np.random.default_rng(20240311)  # fixed: the same text gets the same signature in every run
# Multiply-add-shift hashing (Dietzfelbinger): h(x) = ((a*x + b) mod 2**64) >> 32 for 32-bit x,
# a 2-universal family that needs no modulo (numpy's uint64 arithmetic wraps).
_A = _rng.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64)
_SHIFT = np.uint64(32)
_WORD = re.compile(r"\w+")


def minhash(text: str) -> np.ndarray | None:
    """The MinHash signature of ``text`` (None when it has fewer than :data:`SHINGLE` words)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return None
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles))
    with np.errstate(over="ignore"):
        return ((_A[:, None] * hashes + _B[:, None]) >> _SHIFT).min(axis=1)


@dataclass
class DuplicateIndex:
    """Texts seen so far, by sha256 and by signature, each with the name it is reported by."""

    hashes: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    signatures: list[np.ndarray] = field(default_factory=list)

    _last: tuple[str, np.ndarray | None] | None = None  # the text match() saw last, and its signature

    def add(self, name: str, text: str, sha256: str | None = None) -> None:
        sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.hashes.setdefault(sha, name)
        sig = self._last[1] if self._last is not None and self._last[0] == sha else minhash(text)
        if sig is not None:
            self.names.append(name)
            self.signatures.append(sig)

    def match(self, text: str, sha256: str | None = None) -> tuple[str, str, float] | None:
        """``("duplicate-of" | "near-duplicate-of", name, similarity)`` for a text seen before."""
        sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        if sha in self.hashes:
            return "duplicate-of", self.hashes[sha], 1.0
        sig = minhash(text)
        self._last = (sha, sig)  # add() after match() reuses it
        if sig is None or not self.signatures:
            return None
        similarity = (np.stack(self.signatures) == sig).mean(axis=1)
        best = int(similarity.argmax())
        if similarity[best] >= THRESHOLD:
            return "near-duplicate-of", self.names[best], float(similarity[best])
        return None
