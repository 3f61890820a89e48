"""Parsing the text formats of a release (JSON Lines, CSV, TSV) from bytes, with line numbers.

Nothing here opens files: callers pass the bytes the manifest has already hash-checked.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..errors import CorpusFormatError


class JSONProblem(ValueError):
    """Why a JSON text cannot be used, with the 1-based line (within that text) where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line, self.column = line, column

    def located(self, file: object) -> str:
        """``file:line:column: problem`` (as much of the place as is known)."""
        if self.line and self.column:
            return f"{file}:{self.line}:{self.column}: malformed JSON: {str(self).split(': ', 1)[-1]}"
        return f"{file}:{self.line}: {self}" if self.line else f"{file}: {self}"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):  # the dict is built in C; look for the repeated key only when there is one
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise JSONProblem(f"the key {key!r} appears twice in one object; keep one (JSON readers disagree on which wins)")
            seen.add(key)
    return out


# One decoder for every call: json.loads with a hook would build a new one per line.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys)


def loads_json(text: str) -> Any:
    """``json.loads`` for files from someone else: duplicate keys, integers too long to convert
    and nesting too deep to parse become :class:`JSONProblem` instead of a silent choice or a
    traceback."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise JSONProblem(f"malformed JSON at column {exc.colno}: {exc.msg}", exc.lineno, exc.colno) from None
    except JSONProblem:
        raise
    except RecursionError:
        raise JSONProblem("nested too deeply to parse; flatten the structure") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise JSONProblem(f"cannot be read: {exc}") from None


def read_json(data: bytes, file: object, *, fix: str) -> Any:
    """One JSON document from UTF-8 bytes; ``CorpusFormatError`` at ``file:line`` (ending in
    ``fix``, what to do about it) when it is not UTF-8 or not acceptable JSON (see :func:`loads_json`)."""
    try:
        return loads_json(_decode(data, str(file)))
    except JSONProblem as exc:
        raise CorpusFormatError(f"{exc.located(file)}; {fix}") from None


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
            objects.append((n, loads_json(line)))
        except JSONProblem as exc:
            errors.append((n, f"{exc}; each line must be one JSON object"))
    return objects, errors


def known_valid_values(data: bytes) -> list[Any]:
    """The values of a JSON Lines file whose bytes :func:`parse_jsonl` read without a problem
    before (a release remembered by :mod:`.checkcache`), the same values it gives, in one call.

    Every non-blank line is one JSON value without repeated keys, so the lines joined by commas
    are one JSON array of the same values. ``orjson`` parses it (about twice as fast as ``json``
    on 200,000 records) unless the file holds a run of 19 digits or more: orjson turns integers
    beyond 64 bits into floats, where ``json`` keeps them exact. What else orjson reads
    differently it refuses (``NaN``, ``1e400``, lone surrogates, nesting deeper than 1,024), and
    ``json`` parses those bytes.
    """
    if _LONG_DIGITS in data.translate(_DIGITS):
        return _json_values(data)
    import orjson

    # A file without blank lines (as the writer saves them) is joined without splitting it: no
    # newline can occur inside a JSON value of one line. A blank line leaves two commas in a
    # row, which orjson refuses; a line blank to str.strip but not to bytes.strip holds only
    # non-ASCII spaces, which are no JSON either.
    for joined in (lambda: data.strip().replace(b"\n", b","),
                   lambda: b",".join(line for line in data.split(b"\n") if line.strip())):
        try:
            return orjson.loads(b"[" + joined() + b"]")
        except orjson.JSONDecodeError:
            pass
    return _json_values(data)


def _json_values(data: bytes) -> list[Any]:
    text = data.decode("utf-8")
    return json.loads("[" + ",".join(line for line in text.split("\n") if line.strip()) + "]")


# Every digit kept as "0", every other byte a space: a run of 19 zeros is a run of 19 digits.
_DIGITS = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))
_LONG_DIGITS = b"0" * 19


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusFormatError(f"{file}:{line}: not valid UTF-8 at byte {exc.start}; save it as UTF-8") from None


def _rows(reader: csv.DictReader, file: str) -> list[tuple[int, dict[str, str]]]:
    rows = []
    try:
        for row in reader:
            # line_num is the line the row *ends* on; rows with embedded newlines start earlier.
            rows.append((reader.line_num, row))
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit() (131,072 characters)
        raise CorpusFormatError(f"{file}:{reader.line_num + 1}: cannot be read as a table: {exc}") from None
    return rows


def read_tsv(data: bytes, file: str, *, columns: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows of a UTF-8 TSV; ``CorpusFormatError`` (file:line) when it is not UTF-8, cannot be
    parsed, or its header lacks one of ``columns``."""
    reader = csv.DictReader(io.StringIO(_decode(data, file), newline=""), delimiter="\t")
    rows = _rows(reader, file)
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise CorpusFormatError(
            f"{file}:1: the header has no column {', '.join(map(repr, missing))}; the columns must be "
            f"{', '.join(columns)} (tab-separated)"
        )
    return [row for _line, row in rows]


def read_csv_rows(data: bytes, file: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV with their 1-based line numbers in the file (header is line 1)."""
    return _rows(csv.DictReader(io.StringIO(_decode(data, file), newline="")), file)
