"""Building a manifest (``datapackage.json``): every data file with its media type, size and sha256.

Reading a manifest is :mod:`caucasus_corpus.release.manifest`; writing one happens only through
the commit protocol (:mod:`caucasus_corpus.release.commit`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Protocol

from ..vocab import SLUG_PATTERN
from ..errors import CorpusIntegrityError
from .layout import ARTICLES_FILE, DATA_FOLDERS, TEXTS_DIR, WITHHELD_TEXTS
from .manifest import is_data_path
from .rights import licenses_by_path, text_licenses
from .safefile import list_data_files, read_inside
from .versioning import DEV_SUFFIX, is_released

_MEDIATYPES = {
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".txt": "text/plain",
    ".json": "application/json",
    ".jsonl": "application/jsonl",
    ".md": "text/markdown",
}

# Frictionless resource types for files other than the articles table (see resource_descriptor).
_RESOURCE_TYPES = {".json": "json", ".txt": "text", ".md": "text", ".tsv": "table"}

ARTICLES_TABLE_SCHEMA = {
    "fields": [
        {"name": "article_id", "type": "string", "constraints": {"required": True, "unique": True, "pattern": SLUG_PATTERN.strip("^$")}},
        {"name": "path", "type": "string", "constraints": {"required": True}},
        {"name": "title", "type": "string", "constraints": {"required": True}},
        {"name": "published", "type": "date"},
        {"name": "outlet", "type": "string"},
        {"name": "url", "type": "string"},
        {"name": "genre", "type": "string"},
        {"name": "language", "type": "string", "constraints": {"required": True}},
        {"name": "byline", "type": "string"},
        {"name": "author", "type": "string"},
        {"name": "source_file", "type": "string"},
        {"name": "notes", "type": "string"},
        *({"name": name, "type": "string"} for name in (
            "retrieved", "extractor", "text_sha256", "capture", "capture_sha256", "published_source",
            "license", "license_evidence", "access_rights", "rights_holder", "archived_url")),
    ],
    "primaryKey": ["article_id"],
    "missingValues": [""],
}


class StagedView(Protocol):
    """What a manifest needs of a transaction: the staged paths and every file as it will be."""

    @property
    def paths(self) -> list[str]: ...

    def read_bytes(self, path: str) -> bytes | None: ...


def data_files(root: Path, view: StagedView | None = None) -> list[str]:
    """Every data file of a release, as sorted POSIX paths relative to ``root`` (hidden files
    skipped); with ``view``, the files as they will be once its staged changes are committed."""
    out = set(list_data_files(root, DATA_FOLDERS))
    if view is not None:
        out |= {p for p in view.paths if is_data_path(p)}
        out = {p for p in out if view.read_bytes(p) is not None}
    return sorted(out)


def resource_name(path: str) -> str:
    """A Frictionless resource name derived from the path, e.g. ``corpus-articles``."""
    stem = path.rsplit(".", 1)[0]
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-")


def articles_table_schema(data: bytes) -> dict:
    """The Table Schema of an articles table: its fields in the order of its header line, so that a
    table written before the provenance columns existed (or with columns of its own) matches."""
    import csv
    import io

    first = data.decode("utf-8", errors="replace").split("\n", 1)[0]
    header = next(csv.reader(io.StringIO(first)), [])
    known = {f["name"]: f for f in ARTICLES_TABLE_SCHEMA["fields"]}
    if not header or header == list(known):
        return ARTICLES_TABLE_SCHEMA
    fields = [known.get(name, {"name": name, "type": "string"}) for name in header]
    return {**ARTICLES_TABLE_SCHEMA, "fields": fields}


def resource_descriptor(path: str, data: bytes) -> dict:
    suffix = Path(path).suffix
    desc: dict = {
        "name": resource_name(path),
        "path": path,
        "mediatype": _MEDIATYPES.get(suffix, "application/octet-stream"),
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
    }
    if path == WITHHELD_TEXTS:  # the texts a folder published without them withholds (release/withheld.py)
        from .withheld import LISTING_TABLE_SCHEMA

        desc.update({"type": "table", "format": "csv", "schema": LISTING_TABLE_SCHEMA})
    elif path == ARTICLES_FILE:
        desc.update({"type": "table", "format": "csv", "schema": articles_table_schema(data)})
    else:
        # Frictionless guesses a type from the name otherwise: it reads ``*.schema.json`` as a
        # Table Schema and JSON Lines as a table, and then rejects them. Annotation records are
        # nested and differ by layer, so they are files checked by hash (their shape is checked
        # by JSON Schema in ``validate``).
        desc["type"] = _RESOURCE_TYPES.get(suffix, "file")
        if suffix == ".tsv":
            desc["format"] = "tsv"
    return desc


def build_descriptor(root: Path, *, base: dict, version: str, view: StagedView | None = None) -> dict:
    """The manifest for ``root`` (as ``view`` will leave it, when given): ``base``'s package-level
    fields, this version, fresh resources."""
    def read(path: str) -> bytes:
        data = view.read_bytes(path) if view is not None else read_inside(root, path)
        if data is None:
            raise CorpusIntegrityError(f"{root / path}: vanished while the release was hashed; try again", path=path)
        return data

    desc = {k: v for k, v in base.items() if k != "resources"}
    desc["version"] = version
    paths = data_files(root, view)
    desc["resources"] = [resource_descriptor(p, read(p)) for p in paths]
    add_text_licenses(desc["resources"], read(ARTICLES_FILE) if ARTICLES_FILE in paths else b"")
    return desc


def add_text_licenses(resources: list[dict], articles: bytes) -> None:
    """Give every text resource its own ``licenses``, generated from the ``license`` column of the
    articles table (:mod:`.rights`), so that no text inherits the package's licence."""
    by_path = licenses_by_path(articles)
    for res in resources:
        path = res["path"]
        if path in by_path or path.startswith(TEXTS_DIR):
            res["licenses"] = by_path.get(path) or text_licenses("")


def manifest_json(desc: dict) -> str:
    """A manifest descriptor as the text written to ``datapackage.json``."""
    return json.dumps(desc, indent=2, ensure_ascii=False) + "\n"


def file_hashes(desc: dict) -> dict[str, str]:
    """``{path: sha256}`` of a manifest descriptor's resources."""
    return {r["path"]: str(r["hash"]).removeprefix("sha256:") for r in desc.get("resources", [])}


def working_descriptor(root: Path, current: dict, view: StagedView) -> dict:
    """The manifest of a working copy after a save (RELEASING.md, "Working copies").

    Hashes are fresh so that the working copy loads. When a released manifest changes for the
    first time, its version gets the ``+dev`` suffix, its release date goes, and ``last_release``
    keeps the released version, date and file hashes, from which ``release`` computes what
    changed since.
    """
    version = str(current.get("version", ""))
    desc = build_descriptor(root, base=current, version=version, view=view)
    if is_released(version) and file_hashes(desc) != file_hashes(current):
        last = {"version": version, "hashes": file_hashes(current)}
        if "created" in current:
            last["created"] = current["created"]
        desc.pop("created", None)
        desc["version"] = version + DEV_SUFFIX
        desc["last_release"] = last
    return desc
