"""The rights of each article text, in the one form the manifest, the checker and the data card share.

The package's ``licenses`` (CC BY 4.0) cover the annotations, metadata and documentation. By the
Frictionless v2 rules a resource without ``licenses`` of its own inherits the package's, so every
text resource carries its own, generated from the ``license`` column of ``corpus/articles.csv`` by
:func:`text_licenses`: an SPDX id as itself, a compound SPDX expression as its ids, and
``NOASSERTION`` (or an empty cell: nothing recorded) as a licence named ``NOASSERTION`` that says no
licence is asserted. The one checker compares the manifest with the column
(:func:`caucasus_corpus.release.check.rights_problems`), so the two cannot contradict each other.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

NOASSERTION = "NOASSERTION"

# Where the licences a news text is most likely to carry are published (SPDX ids).
_PATHS = {
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    **{f"CC-{code}-{v}": f"https://creativecommons.org/licenses/{code.lower()}/{v}/"
       for code in ("BY", "BY-SA", "BY-ND", "BY-NC", "BY-NC-SA", "BY-NC-ND") for v in ("3.0", "4.0")},
}
_OPERATORS = {"AND", "OR", "WITH"}
_NAME = re.compile(r"[-a-zA-Z0-9._]+")


def text_licenses(license: str) -> list[dict[str, Any]]:
    """The Frictionless ``licenses`` of a text resource whose ``license`` cell is ``license``.

    >>> text_licenses("CC-BY-4.0")
    [{'name': 'CC-BY-4.0', 'path': 'https://creativecommons.org/licenses/by/4.0/'}]
    >>> text_licenses("NOASSERTION")[0]["name"], text_licenses("")[0]["name"]
    ('NOASSERTION', 'NOASSERTION')
    >>> [lic["name"] for lic in text_licenses("CC-BY-4.0 OR LicenseRef-Outlet-Terms")]
    ['CC-BY-4.0', 'LicenseRef-Outlet-Terms']
    """
    value = (license or "").strip()
    if not value or value == NOASSERTION:
        recorded = "" if value else " (none was recorded)"
        return [{"name": NOASSERTION, "title": f"No licence is asserted for this text{recorded}: its copyright stays with "
                                               "its rights holder, and the package's licence does not cover it"}]
    ids = [t for t in re.split(r"[\s()]+", value) if t and t not in _OPERATORS]
    out = []
    for spdx in dict.fromkeys(ids):
        entry: dict[str, Any] = {"name": spdx if _NAME.fullmatch(spdx) else re.sub(r"[^-a-zA-Z0-9._]", "-", spdx)}
        if spdx in _PATHS:
            entry["path"] = _PATHS[spdx]
        if len(ids) > 1 or entry["name"] != spdx:
            entry["title"] = f"{spdx}, part of the SPDX expression {value!r}"
        out.append(entry)
    return out


def licenses_by_path(articles: bytes) -> dict[str, list[dict[str, Any]]]:
    """``{text path: licenses}`` for every row of an articles table (a table without the ``license``
    column gives every text ``NOASSERTION``: nothing was recorded)."""
    out = {}
    try:
        for row in csv.DictReader(io.StringIO(articles.decode("utf-8", errors="replace"), newline="")):
            path = row.get("path") or ""
            if isinstance(path, str) and path:
                out[path] = text_licenses(row.get("license") or "")
    except csv.Error:
        pass  # a table that cannot be read is the checker's to report, with its line
    return out
