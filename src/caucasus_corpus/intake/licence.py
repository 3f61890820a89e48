"""A page's licence, read from what the page says and mapped to SPDX, with the evidence kept.

Read, in this order: ``<link rel="license">`` and ``<a rel="license">`` (the rel=license
microformat), the JSON-LD ``license`` of the article, then Creative Commons badge images
(``licensebuttons.net`` or ``i.creativecommons.org``). A Creative Commons licence address maps to
its SPDX id (``.../licenses/by-nc-sa/4.0/`` is ``CC-BY-NC-SA-4.0``; ``.../publicdomain/zero/1.0/``
is ``CC0-1.0``); a ported licence (``.../by/3.0/de/``) maps only where SPDX lists that port.
Evidence of a licence that does not map (another address, a name) gives ``NOASSERTION`` with the
evidence kept, so a person can decide. No evidence gives an empty licence: nothing was stated.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["find_licence", "spdx_for_url"]

_CC = re.compile(r"creativecommons\.org/licenses/(by(?:-nc)?(?:-nd|-sa)?)/(\d\.\d)(?:/([a-z]{2}))?", re.I)
_CC0 = re.compile(r"creativecommons\.org/publicdomain/zero/1\.0", re.I)
_BADGE = re.compile(r"(?:licensebuttons\.net|i\.creativecommons\.org)/(?:l|p)/(by(?:-nc)?(?:-nd|-sa)?|zero)/(\d\.\d)(?:/([a-z]{2}))?", re.I)


def _valid_spdx(candidate: str) -> str | None:
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        return canonicalize_license_expression(candidate)
    except InvalidLicenseExpression:
        return None


def spdx_for_url(url: str) -> str | None:
    """The SPDX id of a Creative Commons licence address or badge, or None.

    >>> spdx_for_url("https://creativecommons.org/licenses/by-nc-sa/4.0/")
    'CC-BY-NC-SA-4.0'
    >>> spdx_for_url("https://licensebuttons.net/l/by/3.0/88x31.png"), spdx_for_url("https://example.org/terms")
    ('CC-BY-3.0', None)
    """
    if _CC0.search(url):
        return "CC0-1.0"
    m = _CC.search(url) or _BADGE.search(url)
    if not m:
        return None
    code, version, port = m.group(1).lower(), m.group(2), m.group(3)
    if code == "zero":
        return "CC0-1.0" if version == "1.0" else None
    candidate = f"CC-{code.upper()}-{version}" + (f"-{port.upper()}" if port else "")
    return _valid_spdx(candidate)


def _jsonld_licence(article: dict[str, Any] | None) -> str | None:
    if not article:
        return None
    value = article.get("license")
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or value.get("name")
    if isinstance(value, list) and value:
        value = value[0]
    return str(value).strip() if value else None


def find_licence(tree: Any, article: dict[str, Any] | None) -> tuple[str, str]:
    """``(license, evidence)`` for a parsed page (an lxml tree) and its JSON-LD article object.

    ``license`` is an SPDX id, ``NOASSERTION`` (evidence that does not map), or empty (no evidence).
    """
    found: list[tuple[str, str]] = []  # (evidence, address or name)
    for el in tree.iter("link", "a"):
        rel = (el.get("rel") or "").lower().split()
        if "license" in rel and el.get("href"):
            found.append((f"<{el.tag} rel=license> {el.get('href').strip()}", el.get("href").strip()))
    value = _jsonld_licence(article)
    if value:
        found.append((f"JSON-LD license {value}", value))
    for img in tree.iter("img"):
        src = img.get("src") or ""
        if _BADGE.search(src):
            found.append((f"Creative Commons badge {src.strip()}", src))
    if not found:
        return "", ""
    for evidence, value in found:
        spdx = spdx_for_url(value) or (_valid_spdx(value) if re.fullmatch(r"[A-Za-z0-9.+-]+", value) else None)
        if spdx:
            return spdx, evidence
    return "NOASSERTION", found[0][0] + " (not a licence with an SPDX id; decide by reading it)"
