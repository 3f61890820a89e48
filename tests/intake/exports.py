"""Synthetic vendor exports for the convert tests and the benchmark, in the layouts Nexis Uni and
Factiva write. Every document is invented (the fictional Varnia and Ostrel), every date past.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass
class Doc:
    title: str
    outlet: str
    day: date
    body: list[str]
    byline: str = ""
    section: str = ""
    language: str = "English"
    words: int = 0
    copyright: str = ""
    extra: dict[str, str] = field(default_factory=dict)


DOCS = [
    Doc("Varnia and Ostrel sign a river treaty", "Varnia Daily", date(2024, 3, 12),
        ["The governments of Varnia and Ostrel signed a treaty on the shared river on Tuesday in Dorvel.",
         "The invented treaty sets a common limit on water taken for farms in dry summers.",
         "\u201cThis is a good day for both banks,\u201d said the Varnian envoy, Lira Moss."],
        byline="Tomas Reed", section="WORLD NEWS", words=48, copyright="Copyright 2024 Varnia Daily Ltd. All Rights Reserved"),
    Doc("Ostrel farmers protest grain tariff", "Ostrel Courier", date(2023, 11, 2),
        ["Several hundred farmers drove tractors into the centre of Kesk to protest a new grain tariff.",
         "The agriculture ministry said the tariff would be reviewed in the spring."],
        section="Economy", words=31, copyright="Copyright 2023 Ostrel Courier"),
    Doc("Паром между Варнией и Острелом возобновил рейсы", "Острельский вестник", date(2022, 5, 20),
        ["Вымышленный паром между Варнией и Острелом возобновил рейсы после зимнего перерыва.",
         "Капитан парома сказал, что билеты подешевели на десять процентов."],
        language="Russian", words=22, copyright="Copyright 2022 Ostrelsky Vestnik"),
]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def nexis_paragraphs(docs: list[Doc], *, cover: bool = True) -> list[str]:
    """The paragraphs of a Nexis Uni export of ``docs``: cover page, list of titles, documents."""
    out: list[str] = []
    if cover:
        out += ["User Name: = an invented account", "Date and Time: = March 14, 2024 9:02 AM EDT",
                "Job Number: = 000000000", "Documents (%d)" % len(docs)]
        for n, d in enumerate(docs, 1):
            out += [f"{n}. {d.title}", "Client/Matter: -None-", "Search Terms: Varnia OR Ostrel", "Search Type: Terms and Connectors"]
        out += ["", ""]
    for d in docs:
        out += [d.title, d.outlet, f"{d.day:%B} {d.day.day}, {d.day.year} {_WEEKDAYS[d.day.weekday()]}"]
        if d.copyright:
            out.append(d.copyright)
        if d.section:
            out.append(f"Section: {d.section}")
        if d.words:
            out.append(f"Length: {d.words} words")
        if d.byline:
            out.append(f"Byline: {d.byline}")
        if d.language:
            out.append(f"Language: {d.language.upper()}")
        out += [f"{k}: {v}" for k, v in d.extra.items()]
        out += ["Body", *d.body, f"Load-Date: {d.day:%B} {d.day.day + 1 if d.day.day < 28 else 1}, {d.day.year}", "", "End of Document", ""]
    return out


def nexis_docx(path: Path, docs: list[Doc], *, cover: bool = True) -> Path:
    from docx import Document

    document = Document()
    for p in nexis_paragraphs(docs, cover=cover):
        document.add_paragraph(p)
    document.save(str(path))
    return path


def rtf_escape(text: str) -> str:
    """RTF for plain text: ASCII as is (braces and backslashes escaped), the rest as \\uN?."""
    out = []
    for c in text:
        if c in "\\{}":
            out.append("\\" + c)
        elif ord(c) < 128:
            out.append(c)
        else:
            for unit in (c.encode("utf-16-le")[i:i + 2] for i in range(0, len(c.encode("utf-16-le")), 2)):
                n = int.from_bytes(unit, "little")
                out.append(f"\\u{n - 65536 if n > 32767 else n}?")
    return "".join(out)


def rtf_document(lines: list[str]) -> bytes:
    head = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}{\colortbl;\red0\green0\blue0;}{\*\generator Invented 1.0;}" + "\n"
    body = "".join(r"\pard\plain\f0 " + rtf_escape(line) + r"\par" + "\n" for line in lines)
    return (head + body + "}").encode("ascii")


def nexis_rtf(path: Path, docs: list[Doc]) -> Path:
    path.write_bytes(rtf_document(nexis_paragraphs(docs)))
    return path


def factiva_lines(docs: list[Doc], *, tabs: bool = False) -> list[tuple[str, str]]:
    """``(code, value)`` pairs of a Factiva article-format export (value lines joined by newlines)."""
    out: list[tuple[str, str]] = []
    for n, d in enumerate(docs, 1):
        out += [("HD", d.title)]
        if d.byline:
            out.append(("BY", d.byline))
        out += [("WC", f"{d.words} words"), ("PD", f"{d.day.day} {d.day:%B} {d.day.year}"), ("SN", d.outlet),
                ("SC", f"INVENT{n}"), ("LA", d.language)]
        if d.copyright:
            out.append(("CY", d.copyright.replace("Copyright", "(c)")))
        out += [("LP", "\n".join(d.body[:1])), ("TD", "\n".join(d.body[1:]) or " "), ("AN", f"Document INVENT{n:04d}20240312e0001")]
    return out


def factiva_rtf(path: Path, docs: list[Doc]) -> Path:
    lines = ["Factiva (an invented cover page)", "Search summary: Varnia", ""]
    for code, value in factiva_lines(docs):
        lines.append(code)
        lines += value.split("\n")
        lines.append("")
    path.write_bytes(rtf_document(lines))
    return path


def factiva_html(path: Path, docs: list[Doc]) -> Path:
    from html import escape

    rows = []
    for code, value in factiva_lines(docs):
        cells = "".join(f"<p>{escape(v)}</p>" for v in value.split("\n"))
        rows.append(f"<tr><td><b>{code}</b></td><td>{cells}</td></tr>")
    html = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Factiva</title></head><body>"
            "<div class=\"cover\">Factiva (an invented cover page)</div><table>" + "".join(rows) + "</table></body></html>")
    path.write_text(html, encoding="utf-8")
    return path
