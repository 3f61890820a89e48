"""Releases published without their texts: what such a folder holds and how it is read.

``caucasus-corpus publish --without-texts`` (:mod:`caucasus_corpus.sharing`) writes a release
folder whose article texts are withheld. It differs from the release in four places, all defined
here so that the one checker, ``load()`` and ``diff`` read it by the same rules:

* no ``corpus/texts/``; ``corpus/withheld.csv`` (:data:`LISTING_COLUMNS`) lists each withheld text:
  its path, sha256, length in characters and bytes, URL, archived URL and extractor;
* every record (gold and each annotator's) carries ``text_sha256`` and ``text_length`` in place of
  its ``text``, and ``prefix_sha256`` / ``suffix_sha256`` of the :data:`CONTEXT` characters before
  and after it (fewer at the text's ends); a cue likewise carries ``text_sha256`` and
  ``text_length`` (:func:`withhold_record`). With ``--keep-quotes`` the ``text`` stays as well;
* those records are checked against ``annotations/schema/record-withheld.schema.json``, made from
  the release's record schema by :func:`withheld_schema`;
* the manifest holds, under ``withheld``, the manifest of the release with its texts (``original``)
  and its fingerprint: ``caucasus-corpus hydrate`` restores it when every text matches.

Every hash is the sha256 of the UTF-8 bytes, as 64 lower-case hex digits.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TextsWithheldError
from .files import read_csv_rows
from .layout import WITHHELD_TEXTS

WITHHELD_KEY = "withheld"
# Characters of context hashed on each side of a record: enough to tell most repeats of a short
# quote apart, short enough that an edit near a record usually leaves one side intact.
CONTEXT = 16

LISTING_COLUMNS = ("article_id", "path", "sha256", "chars", "bytes", "url", "archived_url", "extractor")

_HEX = "^[0-9a-f]{64}$"
LISTING_TABLE_SCHEMA = {
    "fields": [
        {"name": "article_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "path", "type": "string", "constraints": {"required": True}},
        {"name": "sha256", "type": "string", "constraints": {"required": True, "pattern": _HEX.strip("^$")}},
        {"name": "chars", "type": "integer", "constraints": {"required": True, "minimum": 0}},
        {"name": "bytes", "type": "integer", "constraints": {"required": True, "minimum": 0}},
        {"name": "url", "type": "string"},
        {"name": "archived_url", "type": "string"},
        {"name": "extractor", "type": "string"},
    ],
    "primaryKey": ["article_id"],
    "missingValues": [""],
}


def sha256_text(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes.

    >>> sha256_text("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def context_hashes(text: str, start: int, end: int) -> tuple[str, str]:
    """sha256 of the :data:`CONTEXT` characters before ``start`` and after ``end`` (fewer at the ends).

    >>> context_hashes("ab", 0, 2) == (sha256_text(""), sha256_text(""))
    True
    """
    return sha256_text(text[max(0, start - CONTEXT):start]), sha256_text(text[end:end + CONTEXT])


def is_withheld(descriptor: Mapping[str, Any]) -> bool:
    """True for the manifest of a folder published without its texts."""
    return isinstance(descriptor, Mapping) and WITHHELD_KEY in descriptor


def hydrate_hint(root: Path | str) -> str:
    return (f"run `caucasus-corpus hydrate --path {root} --from DIR` first (DIR holds the texts as ARTICLE_ID.txt or "
            "SHA256.txt files; --from-warc and --from-urls fetch them)")


def refuse_withheld(root: Path | str, descriptor: Mapping[str, Any], action: str) -> None:
    """Raise :class:`~caucasus_corpus.errors.TextsWithheldError` naming ``caucasus-corpus hydrate``
    when ``descriptor`` is the manifest of a folder published without its texts."""
    if is_withheld(descriptor):
        raise TextsWithheldError(f"{root}: this release was published without its article texts, so {action} "
                                 f"cannot use it; {hydrate_hint(root)}")


# -- records ---------------------------------------------------------------------------------


def _hashed_span(span: Mapping[str, Any], *, keep: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in span.items():
        if key == "text":
            if keep:
                out["text"] = value
            out["text_sha256"] = sha256_text(value)
            out["text_length"] = len(value)
        else:
            out[key] = value
    return out


def withhold_record(record: Mapping[str, Any], text: str, *, keep_quotes: bool = False) -> dict[str, Any]:
    """The record as a folder without texts holds it: ``text`` replaced, in its place, by
    ``text_sha256``, ``text_length``, ``prefix_sha256`` and ``suffix_sha256`` (kept before them
    with ``keep_quotes``); a cue's ``text`` by ``text_sha256`` and ``text_length``.
    :func:`restore_record` is its inverse, key order included.

    >>> rec = {"id": "r1", "start": 4, "end": 9, "text": "Varia", "annotator": "a"}
    >>> list(withhold_record(rec, "Lee Varia spoke."))
    ['id', 'start', 'end', 'text_sha256', 'text_length', 'prefix_sha256', 'suffix_sha256', 'annotator']
    >>> restore_record(withhold_record(rec, "Lee Varia spoke."), "Lee Varia spoke.") == rec
    True
    """
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key == "text":
            out.update(_hashed_span({"text": value}, keep=keep_quotes))
            out["prefix_sha256"], out["suffix_sha256"] = context_hashes(text, record["start"], record["end"])
        elif key == "cue" and isinstance(value, Mapping):
            out["cue"] = _hashed_span(value, keep=keep_quotes)
        else:
            out[key] = value
    return out


_ADDED = ("text_sha256", "text_length", "prefix_sha256", "suffix_sha256")


def _restored_span(span: Mapping[str, Any], text: str, shift: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in span.items():
        if key in ("start", "end"):
            out[key] = value + shift
        elif key == "text_sha256" and "text" not in span:
            start, end = span["start"] + shift, span["end"] + shift
            out["text"] = text[start:end]
        elif key == "text" and shift:
            out["text"] = text[span["start"] + shift:span["end"] + shift]
        elif key not in _ADDED:
            out[key] = value
    return out


def restore_record(record: Mapping[str, Any], text: str, *, shift: int = 0) -> dict[str, Any]:
    """A record of a folder without texts as the release holds it, its offsets moved by ``shift``
    and its quotes (``text``, the cue's ``text``) cut from ``text``; the inverse of
    :func:`withhold_record`. The caller has checked the hashes at the new place."""
    out = _restored_span(record, text, shift)
    if isinstance(record.get("cue"), Mapping):
        out["cue"] = _restored_span(record["cue"], text, shift)
    return out


def comparable_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record in the form ``diff`` compares when one side has no texts: quotes as their sha256
    and length (as a folder without texts holds them), context hashes left out."""
    def span(s: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in s.items() if k not in ("text", "prefix_sha256", "suffix_sha256")}
        if isinstance(s.get("text"), str) and "text_sha256" not in s:
            out["text_sha256"], out["text_length"] = sha256_text(s["text"]), len(s["text"])
        return out

    out = span(record)
    if isinstance(record.get("cue"), Mapping):
        out["cue"] = span(record["cue"])
    return out


def span_problems(record: Mapping[str, Any], chars: int) -> list[str]:
    """What a schema-valid withheld record gets wrong against the length of its withheld text."""
    out: list[str] = []
    spans = [("span", record)] + ([("cue", record["cue"])] if isinstance(record.get("cue"), Mapping) else [])
    for what, span in spans:
        start, end, length = span.get("start"), span.get("end"), span.get("text_length")
        if not (type(start) is int and type(end) is int and type(length) is int):
            out.append(f"{what} start, end and text_length must be whole numbers; fix the record")
        elif end <= start:
            out.append(f"{what} end ({end}) must be greater than start ({start})")
        elif end > chars:
            out.append(f"{what} end ({end}) is past the end of the withheld text ({chars} characters in {WITHHELD_TEXTS})")
        elif length != end - start:
            out.append(f"{what} text_length ({length}) differs from end - start ({end - start}); fix the offsets")
        elif isinstance(span.get("text"), str) and (len(span["text"]) != length or sha256_text(span["text"]) != span.get("text_sha256")):
            out.append(f"{what} text does not match its text_sha256 and text_length; restore the record from the release")
    return out


# -- the record schema of a folder without texts ------------------------------------------------

_HASH = {"type": "string", "pattern": _HEX}


def _fields(record_level: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "text_sha256": {**_HASH, "description": "sha256 of the UTF-8 bytes of the quoted text."},
        "text_length": {"type": "integer", "minimum": 1, "description": "Length of the quoted text in code points."},
    }
    if record_level:
        fields["prefix_sha256"] = {**_HASH, "description": f"sha256 of the {CONTEXT} characters before the span (fewer at the text's start)."}
        fields["suffix_sha256"] = {**_HASH, "description": f"sha256 of the {CONTEXT} characters after the span (fewer at the text's end)."}
    return fields


def withheld_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The record schema of a folder without texts, made from the release's record schema: wherever
    a record or a cue has ``text``, it has the hashes of :func:`withhold_record` (required where
    ``text`` was), and ``text`` becomes optional (kept with ``--keep-quotes``)."""
    out = copy.deepcopy(schema)
    out["$id"] = "caucasus-corpus/record-withheld.schema.json"
    out["title"] = ("One standoff annotation record of a release published without its texts: the quote replaced by "
                    "its sha256 and length, with hashes of its context")

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict) and "text" in props:
                record_level = "annotator" in props
                new: dict[str, Any] = {}
                for key, value in props.items():
                    new[key] = value
                    if key == "text":
                        new.update({k: (True if value is True else v) for k, v in _fields(record_level).items()})
                node["properties"] = new
            required = node.get("required")
            if isinstance(required, list) and "text" in required:
                record_level = isinstance(props, dict) and "annotator" in props
                node["required"] = [k for r in required for k in ([r] if r != "text" else list(_fields(record_level)))]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(out)
    return out


# -- the listing of withheld texts ------------------------------------------------------------


@dataclass(frozen=True)
class WithheldText:
    """One row of ``corpus/withheld.csv``: a text the folder does not hold."""

    article_id: str
    path: str
    sha256: str
    chars: int
    bytes: int
    url: str = ""
    archived_url: str = ""
    extractor: str = ""


def listing_csv(texts: list[WithheldText]) -> str:
    """``corpus/withheld.csv``: a header and one row per withheld text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(LISTING_COLUMNS)
    for t in texts:
        writer.writerow([getattr(t, c) for c in LISTING_COLUMNS])
    return buf.getvalue()


def read_listing(files: Mapping[str, bytes], articles: list[tuple[int, dict[str, str]]],
                 descriptor: Mapping[str, Any], text_listed: set[str]
                 ) -> tuple[list[tuple[str, int | None, str]], dict[str, WithheldText]]:
    """Check ``corpus/withheld.csv`` against the articles table and the manifest; ``(problems as
    (file, line, message), {article_id: WithheldText})`` of the rows that pass."""
    problems: list[tuple[str, int | None, str]] = []
    out: dict[str, WithheldText] = {}
    meta = descriptor.get(WITHHELD_KEY)
    if not (isinstance(meta, Mapping) and isinstance(meta.get("original"), Mapping)
            and isinstance(meta["original"].get("resources"), list) and isinstance(meta.get("fingerprint"), str)):
        problems.append(("datapackage.json", None, f"'{WITHHELD_KEY}' must hold the manifest of the release with its texts "
                                                   "('original') and its 'fingerprint'; restore the file from the published folder"))
    for path in sorted(text_listed):
        problems.append((path, None, "this folder was published without its texts, yet lists a text; hydrate it "
                                     "(`caucasus-corpus hydrate`) instead of adding texts by hand"))
    if WITHHELD_TEXTS not in files:
        problems.append(("datapackage.json", None, f"{WITHHELD_TEXTS} is not listed; a folder without texts needs it "
                                                   "(restore it from the published folder)"))
        return problems, out
    rows = read_csv_rows(files[WITHHELD_TEXTS], WITHHELD_TEXTS)
    header = list(rows[0][1]) if rows else []
    if rows and header != list(LISTING_COLUMNS):
        problems.append((WITHHELD_TEXTS, 1, f"the columns must be {', '.join(LISTING_COLUMNS)}"))
        return problems, out
    by_id = {row.get("article_id") or "": (line, row) for line, row in articles}
    for line, row in rows:
        aid = row.get("article_id") or ""
        msgs = []
        if aid not in by_id:
            msgs.append(f"article_id {aid!r} is not in corpus/articles.csv")
        elif (row.get("path") or "") != (by_id[aid][1].get("path") or ""):
            msgs.append(f"path {row.get('path')!r} differs from corpus/articles.csv line {by_id[aid][0]}")
        sha = row.get("sha256") or ""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            msgs.append(f"sha256 {sha!r} is not 64 lower-case hex digits")
        elif aid in by_id and (by_id[aid][1].get("text_sha256") or sha) != sha:
            msgs.append(f"sha256 differs from text_sha256 in corpus/articles.csv line {by_id[aid][0]}")
        sizes = []
        for column in ("chars", "bytes"):
            value = row.get(column) or ""
            if not value.isdigit() or not value.isascii():
                msgs.append(f"{column} {value!r} is not a whole number")
            else:
                sizes.append(int(value))
        if len(sizes) == 2 and not sizes[0] <= sizes[1] <= 4 * sizes[0]:
            msgs.append(f"{sizes[1]} bytes cannot hold {sizes[0]} characters of UTF-8")
        if aid in out:
            msgs.append(f"article_id {aid!r} is listed twice")
        if msgs:
            problems += [(WITHHELD_TEXTS, line, m) for m in msgs]
            continue
        out[aid] = WithheldText(aid, row["path"], sha, sizes[0], sizes[1], row.get("url") or "",
                                row.get("archived_url") or "", row.get("extractor") or "")
    for aid, (line, _row) in sorted(by_id.items()):
        if aid and aid not in out and not any(p[0] == WITHHELD_TEXTS for p in problems):
            problems.append(("corpus/articles.csv", line, f"article {aid!r} has no row in {WITHHELD_TEXTS}; a folder without "
                                                          "texts lists every withheld text there"))
    return problems, out
