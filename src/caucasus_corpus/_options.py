"""Small checks shared by every public function: option values and id look-ups."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def check_choice(name: str, value: object, valid: Iterable[object]) -> None:
    """Raise ``ValueError`` naming the valid values when ``value`` is not one of them."""
    valid = list(valid)
    if value not in valid:
        shown = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{name}={value!r} is not valid; choose one of: {shown}")


def unknown_key(kind: str, key: object, known: Iterable[str]) -> KeyError:
    """A ``KeyError`` for an unknown id that suggests the closest known ones."""
    known = list(known)
    close = difflib.get_close_matches(str(key), known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    listing = "" if close or len(known) > 10 else f"; known: {', '.join(repr(k) for k in known)}"
    return KeyError(f"unknown {kind} {key!r}{hint}{listing}")
