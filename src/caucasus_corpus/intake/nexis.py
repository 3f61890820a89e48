"""Nexis Uni exports (DOCX, and RTF): the documents of one export file, each with its metadata and
a body text without the export's furniture.

The layout read, paragraph by paragraph:

* a cover page and a list of titles before the first document (skipped);
* per document: the title, the outlet, the date line (``March 12, 2024 Tuesday``, possibly with a
  time after the weekday), then any of a ``Copyright`` line and the fields ``Section:``,
  ``Length:``, ``Byline:``, ``Language:`` (each may be missing; other ``Name:`` fields such as
  ``Dateline:`` are kept in the notes), the ``Body`` marker, the body paragraphs, and
  ``Load-Date:``, after which everything up to ``End of Document`` (``Classification``, ...) is
  export furniture;
* every document ends with the line ``End of Document``.

Anything else fails loudly (:class:`LayoutError`: the file and the first paragraph it could not
place, counted from 1); a file yields all its documents or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

__all__ = ["LANGUAGES", "LayoutError", "VendorDocument", "nexis_documents", "read_docx_paragraphs", "rights_holder"]

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DATE_LINE = re.compile(r"(?i)^(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),\s+(\d{4})(?:\s*,?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday))?\b.*$")
_FIELD = re.compile(r"^([A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)*):\s*(.*)$")
# Language names as the vendors write them, to ISO 639-1 codes (others are left for a person).
LANGUAGES = {"english": "en", "russian": "ru", "armenian": "hy", "georgian": "ka", "azerbaijani": "az", "azeri": "az",
             "turkish": "tr", "french": "fr", "german": "de", "persian": "fa", "farsi": "fa", "ukrainian": "uk",
             "spanish": "es", "arabic": "ar", "italian": "it", "chinese": "zh"}
END = "End of Document"


class LayoutError(ValueError):
    """An export whose layout is not the one documented: ``file:paragraph: what could not be placed``."""


@dataclass
class VendorDocument:
    """One document of an export, as :func:`caucasus_corpus.intake.convert.convert` stages it."""

    title: str
    outlet: str
    published: str
    body: list[str]
    start: int  # the paragraph (1-based) the document starts at, for the report
    language: str = ""
    byline: str = ""
    rights_holder: str = ""
    notes: list[str] = field(default_factory=list)


def read_docx_paragraphs(path: Path, limits=None) -> list[str]:  # type: ignore[no-untyped-def]
    """The paragraphs of a DOCX file, read through the safe reader: its members are capped in size
    and compression ratio, then python-docx reads the capped copy from memory."""
    import io
    import zipfile

    from docx import Document

    from ..release.safefile import open_input_zip

    archive = open_input_zip(path, limits=limits)
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        for name in archive.names():
            out.writestr(name, archive.read(name))
    try:
        document = Document(io.BytesIO(copy.getvalue()))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a zip that is not a DOCX
        raise LayoutError(f"{path}: not a readable DOCX file ({type(exc).__name__}: {exc})") from None
    # The text of each body paragraph from its runs (w:t, w:tab, w:br), read from python-docx's
    # element tree directly: python-docx's Paragraph.text builds objects per run and is 10 times slower.
    from docx.oxml.ns import qn

    t, tab, br, cr = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    out = []
    for p in document.element.body.iter(qn("w:p")):
        parts = []
        for node in p.iter(t, tab, br, cr):
            parts.append(node.text or "" if node.tag == t else "\t" if node.tag == tab else "\n")
        out.append("".join(parts).strip())
    return out


def _date(line: str) -> str | None:
    m = _DATE_LINE.match(line)
    if not m:
        return None
    try:
        return date(int(m.group(3)), _MONTHS.index(m.group(1).lower()) + 1, int(m.group(2))).isoformat()
    except ValueError:
        return None


def rights_holder(copyright_line: str) -> str:
    """The holder named by a copyright line (``Copyright 2024 Varnia Daily Ltd. All Rights Reserved``).

    >>> rights_holder("Copyright 2024 Varnia Daily Ltd. All Rights Reserved")
    'Varnia Daily Ltd'
    >>> rights_holder("\u00a9 2023 Ostrel Courier")
    'Ostrel Courier'
    """
    text = re.sub(r"(?i)^(copyright|\u00a9|\(c\))\s*(\u00a9|\(c\))?\s*(\d{4}(\s*[-\u2013]\s*\d{4})?)?\s*", "", copyright_line.strip())
    text = re.sub(r"(?i)[\s.,;]*all rights reserved\.?\s*$", "", text).strip()
    return text.strip(" ,;")


def nexis_documents(paragraphs: list[str], file: str) -> list[VendorDocument]:
    """The documents of a Nexis Uni export's paragraphs (``file`` names it in errors)."""
    ends = [i for i, p in enumerate(paragraphs) if p == END]
    if not ends:
        first = next((i for i, p in enumerate(paragraphs) if p), 0)
        raise LayoutError(f"{file}:{first + 1}: no 'End of Document' line: not a Nexis Uni export (or not in its layout)")
    trailing = next((i for i in range(ends[-1] + 1, len(paragraphs)) if paragraphs[i]), None)
    if trailing is not None:
        raise LayoutError(f"{file}:{trailing + 1}: {paragraphs[trailing][:60]!r} comes after the last 'End of Document'")
    docs = []
    start = 0
    for n, end in enumerate(ends):
        docs.append(_document(paragraphs, start, end, file, first=n == 0))
        start = end + 1
    return docs


def _document(paragraphs: list[str], start: int, end: int, file: str, *, first: bool) -> VendorDocument:
    body_at = next((i for i in range(start, end) if paragraphs[i] == "Body"), None)
    if body_at is None:
        where = next((i for i in range(start, end) if paragraphs[i]), start)
        raise LayoutError(f"{file}:{where + 1}: no 'Body' line before the 'End of Document' on line {end + 1}")
    date_at = next((i for i in range(body_at - 1, start - 1, -1) if _date(paragraphs[i])), None)
    if date_at is None:
        raise LayoutError(f"{file}:{body_at + 1}: no date line (e.g. 'March 12, 2024 Tuesday') before this 'Body'")
    head = [i for i in range(start, date_at) if paragraphs[i]]
    if len(head) < 2:
        raise LayoutError(f"{file}:{date_at + 1}: a title and an outlet must come before the date line")
    title_at, outlet_at = head[-2], head[-1]
    if not first and len(head) > 2:  # only the first document follows the cover page and the list of titles
        raise LayoutError(f"{file}:{head[0] + 1}: {paragraphs[head[0]][:60]!r} cannot be placed before a document's title")
    doc = VendorDocument(title=paragraphs[title_at], outlet=paragraphs[outlet_at], published=_date(paragraphs[date_at]) or "",
                         body=[], start=title_at + 1)
    for i in range(date_at + 1, body_at):
        line = paragraphs[i]
        if not line:
            continue
        if re.match(r"(?i)^(copyright\b|\u00a9)", line):
            doc.rights_holder = rights_holder(line)
            doc.notes.append(line.rstrip(".") + ".")
            continue
        m = _FIELD.match(line)
        if not m:
            raise LayoutError(f"{file}:{i + 1}: {line[:60]!r} cannot be placed between the date line and 'Body' "
                              "(expected Copyright, Section:, Length:, Byline: or Language:)")
        name, value = m.group(1), m.group(2).strip()
        if name == "Byline":
            doc.byline = value
        elif name == "Language":
            doc.language = LANGUAGES.get(value.lower(), "")
            if not doc.language:
                doc.notes.append(f"Language: {value} (no ISO 639 code known for it; fill language).")
        else:
            doc.notes.append(f"{name}: {value}.")
    load_at = next((i for i in range(body_at + 1, end) if paragraphs[i].startswith("Load-Date:")), None)
    if load_at is None:
        raise LayoutError(f"{file}:{body_at + 1}: no 'Load-Date:' line after this 'Body' and before 'End of Document' on line {end + 1}")
    doc.body = [p for p in paragraphs[body_at + 1:load_at] if p]
    if not doc.body:
        raise LayoutError(f"{file}:{body_at + 1}: the body is empty")
    doc.notes.append(paragraphs[load_at].rstrip(".") + ".")
    return doc
