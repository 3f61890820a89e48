"""Bringing texts in the way researchers get them, into one staging folder that ``add --from-csv`` takes.

* :func:`collect` (``caucasus-corpus collect``): news pages, RSS/Atom feeds and URL lists, fetched
  politely (:mod:`.fetch`), captured as WARC (:mod:`.warc`), decoded (:mod:`.decode`), extracted
  with a pinned trafilatura (:mod:`.extract`), with their metadata and where it was read
  (:mod:`.pagemeta`, :mod:`.licence`), checked for duplicates (:mod:`.dedup`).
* :func:`convert` (``caucasus-corpus convert``): Nexis Uni DOCX and RTF exports (:mod:`.nexis`),
  Factiva RTF and HTML exports (:mod:`.factiva`), Media Cloud and GDELT URL lists
  (:mod:`.urllists`); RTF is read by :mod:`.rtf`.
* The staging folder (:mod:`.staging`): ``metadata.csv``, ``texts/``, ``captures/``, ``report.csv``.

INTAKE.md at the top of the repository walks through each route.
"""

from __future__ import annotations

from typing import Any

__all__ = ["collect", "convert", "require_libraries"]

# The import names of the intake extra's packages (pip install "caucasus-corpus[intake]").
LIBRARIES = ("trafilatura", "htmldate", "lxml", "warcio", "feedparser", "charset_normalizer", "docx")


def require_libraries() -> None:
    """``ModuleNotFoundError`` naming the extra to install when a library of the intake is missing."""
    import importlib.util

    missing = [m for m in LIBRARIES if importlib.util.find_spec(m) is None]
    if missing:
        raise ModuleNotFoundError(f"{', '.join(missing)} needed for collect and convert, not installed: "
                                  "pip install 'caucasus-corpus[intake]'", name=missing[0])


def __getattr__(name: str) -> Any:
    # Loaded on first use: the intake's libraries (trafilatura, lxml, warcio) are heavy.
    if name == "collect":
        from .collect import collect

        return collect
    if name == "convert":
        from .convert import convert

        return convert
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
