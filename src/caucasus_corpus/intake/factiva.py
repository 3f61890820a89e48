"""Factiva exports in "article format" (RTF and HTML): the documents of one export file.

Each field code stands alone on its line, or is followed by a tab (an HTML export's table cell),
and its value runs over the lines up to the next code. The codes read: HD (headline), BY
(byline), WC (word count), PD (date, ``12 March 2024``), SN (source name: the outlet), SC
(source code), LA (language), CY (copyright), LP (lead paragraphs), TD (text), AN (accession
number), and the others Factiva writes (SE, CLM, CR, ET, ED, PG, CT, RF, CO, IN, NS, RE, IPC, IPD,
PUB), which are kept in the notes or dropped as furniture. A document starts at its HD; the
body is the LP paragraphs, then the TD paragraphs; the AN is kept in ``notes``.

Lines before the first HD (a cover page) are skipped. A document without HD, PD, SN or a body
fails loudly (:class:`~caucasus_corpus.intake.nexis.LayoutError`, naming the file and line).
"""

from __future__ import annotations

import re
from datetime import date

from .nexis import LANGUAGES, LayoutError, VendorDocument, rights_holder

__all__ = ["CODES", "factiva_documents", "html_lines"]

CODES = ("HD", "CLM", "SE", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD", "CT", "RF",
         "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN")
_CODE = re.compile(r"^(" + "|".join(CODES) + r")(?:\t(.*)|\s*)$")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_PD = re.compile(r"(?i)^(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})$")
_KEPT = {"SE": "Section", "WC": "Length", "SC": "Factiva source code", "CLM": "Column", "ED": "Edition", "PG": "Page"}


def html_lines(html: str) -> list[str]:
    """The lines of a Factiva HTML export: one per block element; a table row's cells joined by
    tabs (the paragraphs of its last cell after the first on lines of their own)."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    lines: list[str] = []
    blocks = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote"}

    def text_of(el) -> str:  # type: ignore[no-untyped-def]
        return " ".join(el.text_content().split())

    def paragraphs(cell) -> list[str]:  # type: ignore[no-untyped-def]
        parts = [text_of(c) for c in cell if isinstance(c.tag, str) and c.tag in blocks]
        return [p for p in parts if p] if parts else [text_of(cell)]

    def walk(el) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(el.tag, str):
            return
        if el.tag == "tr":  # a field: its code, a tab, the value's first paragraph; its other paragraphs follow
            cells = [paragraphs(td) for td in el if isinstance(td.tag, str) and td.tag in ("td", "th")]
            if cells:
                lines.append("\t".join(c[0] if c else "" for c in cells))
                lines.extend(cells[-1][1:])
            return
        if el.tag in blocks and not any(isinstance(c.tag, str) and (c.tag in blocks or c.tag in ("table", "tr")) for c in el.iter() if c is not el):
            lines.append(text_of(el))
            return
        for child in el:
            walk(child)

    walk(tree)
    return lines


def _fields(lines: list[str], start: int, end: int) -> list[tuple[str, int, list[str]]]:
    out: list[tuple[str, int, list[str]]] = []
    for i in range(start, end):
        m = _CODE.match(lines[i])
        if m:
            out.append((m.group(1), i, [m.group(2).strip()] if m.group(2) and m.group(2).strip() else []))
        elif out and lines[i]:
            out[-1][2].append(lines[i])
    return out


def factiva_documents(lines: list[str], file: str) -> list[VendorDocument]:
    """The documents of a Factiva export's lines (``file`` names it in errors)."""
    lines = [line.strip(" \u00a0\r") for line in lines]
    starts = [i for i, line in enumerate(lines) if _CODE.match(line) and _CODE.match(line).group(1) == "HD"]
    if not starts:
        first = next((i for i, line in enumerate(lines) if line), 0)
        raise LayoutError(f"{file}:{first + 1}: no HD field code on a line of its own: not a Factiva export in article format")
    docs = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        docs.append(_document(_fields(lines, start, end), start, file))
    return docs


def _document(fields: list[tuple[str, int, list[str]]], start: int, file: str) -> VendorDocument:
    values: dict[str, list[str]] = {}
    for code, _line, value in fields:
        values.setdefault(code, []).extend(value)
    title = " ".join(values.get("HD", []))
    if not title:
        raise LayoutError(f"{file}:{start + 1}: HD has no headline")
    pd_text = " ".join(values.get("PD", []))
    m = _PD.match(pd_text)
    if not m:
        raise LayoutError(f"{file}:{start + 1}: the document's PD {pd_text[:40]!r} is not a date like '12 March 2024'")
    try:
        published = date(int(m.group(3)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(1))).isoformat()
    except ValueError:
        raise LayoutError(f"{file}:{start + 1}: the document's PD {pd_text!r} is not a calendar date") from None
    outlet = " ".join(values.get("SN", []))
    if not outlet:
        raise LayoutError(f"{file}:{start + 1}: the document has no SN (source name)")
    body = values.get("LP", []) + values.get("TD", [])
    if not body:
        raise LayoutError(f"{file}:{start + 1}: the document has no LP or TD paragraphs")
    doc = VendorDocument(title=title, outlet=outlet, published=published, body=body, start=start + 1)
    doc.byline = " ".join(values.get("BY", []))
    language = " ".join(values.get("LA", []))
    doc.language = LANGUAGES.get(language.lower(), "")
    if language and not doc.language:
        doc.notes.append(f"Language: {language} (no ISO 639 code known for it; fill language).")
    copyright_ = " ".join(values.get("CY", []))
    if copyright_:
        doc.rights_holder = rights_holder(copyright_)
        doc.notes.append(f"Copyright line: {copyright_.rstrip('.')}.")
    for code, name in _KEPT.items():
        if values.get(code):
            doc.notes.append(f"{name}: {' '.join(values[code])}.")
    if values.get("AN"):
        doc.notes.append(f"Factiva AN: {' '.join(values['AN'])}.")
    return doc
