"""Duplicates: the same text (sha256 of the stored bytes), and near-duplicates (syndicated copies
of one wire story with another headline or a sentence added) by MinHash over word shingles.

A text's shingles are its runs of :data:`SHINGLE` = 5 consecutive words (lower-cased, by the
corpus's token rules' word characters); :data:`PERMUTATIONS` = 128 hash functions estimate the
Jaccard similarity of two shingle sets. Two texts whose estimated similarity is at least
:data:`THRESHOLD` = 0.8 are near-duplicates: the later one is reported ``near-duplicate-of`` the
earlier and not staged. (With 128 permutations the estimate's standard error is at most 0.044,
so a pair at 0.8 is told apart from one at 0.6 almost always.) Texts of fewer than 5 words are
compared by sha256 only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

__all__ = ["PERMUTATIONS", "SHINGLE", "THRESHOLD", "DuplicateIndex", "minhash"]

SHINGLE = 5
PERMUTATIONS = 128
THRESHOLD = 0.8
_PRIME = np.uint64((1 << 31) - 1)
_rng = np.random.default_rng(20240311)  # fixed: signatures must be comparable across runs
# (a*x + b) mod p with p = 2**31 - 1 and a, b, x below p: a*x + b stays below 2**64, and the
# modulo wraps often enough that each (a, b) orders the shingles differently.
_A = _rng.integers(1, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def minhash(text: str) -> np.ndarray | None:
    """The MinHash signature of ``text`` (None when it has fewer than :data:`SHINGLE` words)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return None
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.array([int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little") % ((1 << 31) - 1)
                       for s in shingles], dtype=np.uint64)
    return ((_A[:, None] * hashes + _B[:, None]) % _PRIME).min(axis=1)


@dataclass
class DuplicateIndex:
    """Texts seen so far, by sha256 and by signature, each with the name it is reported by."""

    hashes: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    signatures: list[np.ndarray] = field(default_factory=list)

    def add(self, name: str, text: str, sha256: str | None = None) -> None:
        self.hashes.setdefault(sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(), name)
        sig = minhash(text)
        if sig is not None:
            self.names.append(name)
            self.signatures.append(sig)

    def match(self, text: str, sha256: str | None = None) -> tuple[str, str, float] | None:
        """``("duplicate-of" | "near-duplicate-of", name, similarity)`` for a text seen before."""
        sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        if sha in self.hashes:
            return "duplicate-of", self.hashes[sha], 1.0
        sig = minhash(text)
        if sig is None or not self.signatures:
            return None
        similarity = (np.stack(self.signatures) == sig).mean(axis=1)
        best = int(similarity.argmax())
        if similarity[best] >= THRESHOLD:
            return "near-duplicate-of", self.names[best], float(similarity[best])
        return None
