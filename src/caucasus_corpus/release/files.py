"""Parsing the text formats of a release (JSON Lines, CSV, TSV) from bytes, with line numbers.

Nothing here opens files: callers pass the bytes the manifest has already hash-checked.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..errors import CorpusFormatError


def parse_jsonl(data: bytes, file: str) -> tuple[list[tuple[int, Any]], list[tuple[int, str]]]:
    """``([(line, object)], [(line, error)])`` for a JSON Lines file; blank lines are skipped."""
    objects: list[tuple[int, Any]] = []
    errors: list[tuple[int, str]] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [(line, f"not valid UTF-8 at byte {exc.start}; save the file as UTF-8")]
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            objects.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append((n, f"malformed JSON at column {exc.colno}: {exc.msg}; each line must be one JSON object"))
    return objects, errors


def read_tsv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter="\t"))


def read_csv_rows(data: bytes, file: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV with their 1-based line numbers in the file (header is line 1)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusFormatError(f"{file}: not valid UTF-8 at byte {exc.start}: save it as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    for row in reader:
        # line_num is the line the row *ends* on; rows with embedded newlines start earlier.
        rows.append((reader.line_num, row))
    return rows
