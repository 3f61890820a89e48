"""Checks a release folder and reports every problem as ``file:line: what is wrong and how to fix it``.

``validate()`` never stops at the first problem: a researcher fixing a file wants the whole list.
Record shapes are checked with JSON Schema (the ``jsonschema`` library, schemas shipped in the
release); what a schema cannot say (offsets against the text, ids that must exist) is checked here.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError
from .manifest import MANIFEST_NAME, Manifest, read_manifest, resolve_root

ARTICLES_FILE = "corpus/articles.csv"
ARTICLE_SCHEMA = "corpus/schema/article.schema.json"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a release, located as precisely as possible."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def read_csv_rows(data: bytes, file: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV with their 1-based line numbers in the file (header is line 1)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        from .errors import CorpusFormatError

        raise CorpusFormatError(f"{file}: not valid UTF-8 at byte {exc.start}: save it as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    for row in reader:
        # line_num is the line the row *ends* on; rows with embedded newlines start earlier.
        rows.append((reader.line_num, row))
    return rows


def load_schema(manifest: Manifest, path: str) -> dict:
    res = next((r for r in manifest.resources if r.path == path), None)
    if res is None:
        raise CorpusError(f"{manifest.root / MANIFEST_NAME}: the schema {path} is not listed; add it to the release")
    return json.loads(manifest.read_bytes(res))


def schema_messages(validator, instance: object) -> list[str]:  # type: ignore[no-untyped-def]
    """Readable messages for every JSON Schema error, naming the field."""
    out = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        field = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            out.append(f"{err.message}; add it")
        elif err.validator == "additionalProperties":
            out.append(f"{err.message}; remove it or add it to the schema")
        elif err.validator == "enum":
            allowed = ", ".join(repr(v) for v in err.validator_value)
            out.append(f"{field}: {err.instance!r} is not allowed; use one of {allowed}")
        elif err.validator == "pattern":
            out.append(f"{field}: {err.instance!r} does not match {err.validator_value}")
        else:
            out.append(f"{field}: {err.message}" if field else err.message)
    return out


def check_articles(manifest: Manifest) -> tuple[list[Problem], list[tuple[int, dict[str, str]]]]:
    """Check corpus/articles.csv against its schema and the manifest."""
    from jsonschema import Draft202012Validator

    problems: list[Problem] = []
    try:
        res = next(r for r in manifest.resources if r.path == ARTICLES_FILE)
    except StopIteration:
        return [Problem(MANIFEST_NAME, None, f"{ARTICLES_FILE} is not listed; every release needs it")], []
    rows = read_csv_rows(manifest.read_bytes(res), ARTICLES_FILE)
    validator = Draft202012Validator(load_schema(manifest, ARTICLE_SCHEMA))
    listed = {r.path for r in manifest.resources}
    seen: dict[str, int] = {}
    for line, row in rows:
        for msg in schema_messages(validator, {k: v for k, v in row.items() if k is not None}):
            problems.append(Problem(ARTICLES_FILE, line, msg))
        if None in row:
            problems.append(Problem(ARTICLES_FILE, line, "more values than header columns; quote values that contain commas"))
        aid = row.get("article_id") or ""
        if aid in seen:
            problems.append(Problem(ARTICLES_FILE, line, f"article_id {aid!r} already used on line {seen[aid]}; ids must be unique"))
        seen.setdefault(aid, line)
        path = row.get("path") or ""
        if path and path not in listed:
            problems.append(Problem(ARTICLES_FILE, line, f"path {path!r} is not listed in {MANIFEST_NAME}; add it with its sha256"))
        if aid and path and Path(path).stem != aid:
            problems.append(Problem(ARTICLES_FILE, line, f"path {path!r} should be corpus/texts/{aid}.txt (file named after the id)"))
    if not rows:
        problems.append(Problem(ARTICLES_FILE, None, "no articles; a release holds at least one"))
    return problems, rows


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in the release at ``path`` (the bundled release when None); empty when valid.

    >>> validate()
    []
    """
    root = resolve_root(path)
    try:
        manifest = read_manifest(root)
    except CorpusError as exc:
        return [Problem(MANIFEST_NAME, None, str(exc))]
    problems: list[Problem] = []
    for res in manifest.resources:
        try:
            manifest.read_bytes(res)
        except CorpusError as exc:
            problems.append(Problem(res.path, None, str(exc)))
    if problems:
        return problems
    try:
        art_problems, _ = check_articles(manifest)
    except CorpusError as exc:
        return [Problem(ARTICLES_FILE, None, str(exc))]
    problems += art_problems
    return problems
