"""Checks of article metadata that the JSON Schema of a row cannot make.

The schema (``corpus/schema/article.schema.json``) checks shapes: a language code is two or three
lower-case letters, a genre one of :data:`caucasus_corpus.vocab.GENRES`. Whether the code is a
real ISO 639 language is checked here, against the code list shipped with the package
(``iso639.txt``: ISO 639-1, 639-2 and 639-3, from Debian's iso-codes), and so are the provenance
columns (:func:`provenance_problems`): a licence is a real SPDX expression, a retrieval time a
real UTC instant, and a date's source or a capture's hash is not given without what it describes.
Calendar dates, and a ``text_sha256`` against the stored text, are checked in
:mod:`caucasus_corpus.release.check`.
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


# Not an SPDX licence but SPDX's own word for "no statement is made" (SPDX 2.3, clause 3.15).
NOASSERTION = "NOASSERTION"


def license_problem(value: str) -> str | None:
    """Why ``value`` is not an SPDX license expression (ids such as ``CC-BY-4.0``, ``LicenseRef-...``,
    ``AND``/``OR``/``WITH``), ``NOASSERTION`` or empty, or None. Ids are checked against the SPDX
    licence list that ``packaging`` carries; the spelling must be the canonical one.

    >>> license_problem("CC-BY-NC-4.0"), license_problem("NOASSERTION"), license_problem("LicenseRef-Outlet-Terms")
    (None, None, None)
    >>> license_problem("cc-by-4.0")
    "license: 'cc-by-4.0' is spelled 'CC-BY-4.0' in SPDX; write it so"
    >>> license_problem("All rights reserved")[:48]
    "license: 'All rights reserved' is not an SPDX li"
    """
    if not value or value == NOASSERTION:
        return None
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        canonical = canonicalize_license_expression(value)
    except InvalidLicenseExpression as exc:
        return (f"license: {value!r} is not an SPDX license expression ({exc}); give an SPDX id such as "
                "'CC-BY-4.0', 'LicenseRef-' followed by a name for other terms, or 'NOASSERTION' when unknown")
    if canonical != value:
        return f"license: {value!r} is spelled {canonical!r} in SPDX; write it so"
    return None


def retrieved_problem(value: str) -> str | None:
    """Why ``value`` (shaped ``YYYY-MM-DDTHH:MM:SSZ`` by the schema) is not a real UTC instant, or None.

    >>> retrieved_problem("2024-03-12T08:15:00Z"), retrieved_problem("")
    (None, None)
    >>> retrieved_problem("2024-02-30T08:15:00Z")[:42]
    "retrieved: '2024-02-30T08:15:00Z' is not a"
    """
    from datetime import datetime

    if not value.endswith("Z") or "T" not in value:
        return None  # empty, or a shape the schema reports
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:
        return f"retrieved: {value!r} is not a real time; give it as YYYY-MM-DDTHH:MM:SSZ in UTC, or leave it empty"
    return None


def provenance_problems(row: dict[str, str]) -> list[str]:
    """What is wrong with the provenance columns of one row (absent columns are not checked)."""
    out = [p for p in (license_problem(row.get("license") or ""), retrieved_problem(row.get("retrieved") or "")) if p]
    if row.get("published_source") and not row.get("published"):
        out.append(f"published_source: {row['published_source']!r} names where an empty date was read; "
                   "give the date or leave published_source empty")
    if row.get("capture_sha256") and not row.get("capture"):
        out.append("capture_sha256: is given without capture; name the WARC file and record it hashes, or leave it empty")
    if row.get("license_evidence") and not row.get("license"):
        out.append("license_evidence: is given without license; give the licence it shows (or 'NOASSERTION')")
    return out


def metadata_problems(row: dict[str, str]) -> list[str]:
    """What is wrong with one articles.csv row beyond its schema (the field is named first)."""
    problem = language_problem(row.get("language") or "")
    return ([problem] if problem else []) + provenance_problems(row)
