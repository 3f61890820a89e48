"""The main text of a page: trafilatura, pinned exactly in the ``intake`` extra, with fixed options.

The options (:data:`OPTIONS`) are recorded with the version in every article's ``extractor``
column (:func:`extractor_spec`), so the same capture can be re-extracted the same way later.
``deduplicate`` is off: trafilatura's deduplication remembers text across calls, so with it on a
run returns nothing for pages once it has seen their paragraphs a few times.

The stored text is the extractor's plain-text output with one change, so that the corpus's
tokeniser sees paragraphs: each line of the output is a paragraph, and paragraphs are separated
by one blank line; white space at the ends of lines is dropped, and the text ends with one line end.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MIN_CHARS", "OPTIONS", "extract_text", "extractor_spec", "looks_javascript_only"]

# Passed to trafilatura.extract for every page; changing them changes the texts (and the spec).
OPTIONS: dict[str, Any] = {
    "output_format": "txt",
    "include_comments": False,
    "include_tables": False,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "favor_precision": True,
    "fast": True,
}
# Less text than this is not an article (an index page, a teaser, a consent wall).
MIN_CHARS = 200


def extractor_spec() -> str:
    """``trafilatura==VERSION (option=value, ...)`` for the installed trafilatura."""
    from importlib.metadata import version

    opts = ", ".join(f"{k}={v}" for k, v in OPTIONS.items())
    return f"trafilatura=={version('trafilatura')} ({opts})"


def extract_text(html: Any) -> str:
    """The main text of ``html`` (a str or an lxml tree) as stored; empty when there is none."""
    import trafilatura

    out = trafilatura.extract(html, **OPTIONS) or ""
    lines = [line.strip() for line in out.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs = [line for line in lines if line]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def looks_javascript_only(html: str) -> bool:
    """A page whose text is written by scripts: a ``<noscript>`` asking for JavaScript, or an
    empty application root (``<div id="root">``, ``id="app"``, ``id="__next"``)."""
    import re

    low = html.lower()
    noscript = re.search(r"<noscript[^>]*>(.*?)</noscript>", low, re.S)
    if noscript and "javascript" in noscript.group(1):
        return True
    return bool(re.search(r"<div id=[\"'](?:root|app|__next)[\"']>\s*</div>", low))
