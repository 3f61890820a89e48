"""Checks of article metadata that the JSON Schema of a row cannot make.

The schema (``corpus/schema/article.schema.json``) checks shapes: a language code is two or three
lower-case letters, a genre one of :data:`caucasus_corpus.vocab.GENRES`. Whether the code is a
real ISO 639 language is checked here, against the code list shipped with the package
(``iso639.txt``: ISO 639-1, 639-2 and 639-3, from Debian's iso-codes). Calendar dates are checked
in :mod:`caucasus_corpus.release.check`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_CODE = re.compile(r"[a-z]{2,3}")


@lru_cache(maxsize=1)
def iso639_codes() -> frozenset[str]:
    """Every ISO 639 code (two or three letters) the package knows."""
    text = resources.files(__package__).joinpath("iso639.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


def language_problem(value: str) -> str | None:
    """Why ``value`` is not an ISO 639 code, or None; a malformed one is left to the schema.

    >>> language_problem("hy"), language_problem("hye"), language_problem("xx")[:30]
    (None, None, "language: 'xx' is not an ISO 6")
    """
    if not _CODE.fullmatch(value) or value in iso639_codes():
        return None
    return f"language: {value!r} is not an ISO 639 language code; use e.g. 'en', 'ru', 'hy', 'ka' or 'az'"


def metadata_problems(row: dict[str, str]) -> list[str]:
    """What is wrong with one articles.csv row beyond its schema (the field is named first)."""
    problem = language_problem(row.get("language") or "")
    return [problem] if problem else []
