"""Writing a release's manifest: list every data file with its sha256 and bytes.

Used by ``caucasus-corpus release``; reading is in :mod:`caucasus_corpus.manifest`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from .manifest import MANIFEST_NAME

DATA_FOLDERS = ("corpus", "annotations")

_MEDIATYPES = {
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".txt": "text/plain",
    ".json": "application/json",
    ".jsonl": "application/jsonl",
    ".md": "text/markdown",
}

ARTICLES_TABLE_SCHEMA = {
    "fields": [
        {"name": "article_id", "type": "string", "constraints": {"required": True, "unique": True, "pattern": "[a-z0-9][a-z0-9-]*"}},
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
    ],
    "primaryKey": ["article_id"],
    "missingValues": [""],
}


def data_files(root: Path) -> list[str]:
    """Every data file of a release, as sorted POSIX paths relative to ``root`` (hidden files skipped)."""
    out = []
    for folder in DATA_FOLDERS:
        for p in sorted((root / folder).rglob("*")):
            rel = p.relative_to(root)
            if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                out.append(rel.as_posix())
    return sorted(out)


def resource_name(path: str) -> str:
    """A Frictionless resource name derived from the path, e.g. ``corpus-articles``."""
    stem = path.rsplit(".", 1)[0]
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-")


def resource_descriptor(root: Path, path: str) -> dict:
    data = (root / path).read_bytes()
    suffix = Path(path).suffix
    desc: dict = {
        "name": resource_name(path),
        "path": path,
        "mediatype": _MEDIATYPES.get(suffix, "application/octet-stream"),
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
    }
    if path == "corpus/articles.csv":
        desc.update({"type": "table", "format": "csv", "schema": ARTICLES_TABLE_SCHEMA})
    return desc


def build_descriptor(root: Path, *, base: dict, version: str) -> dict:
    """The manifest for ``root``: ``base``'s package-level fields, this version, fresh resources."""
    desc = {k: v for k, v in base.items() if k != "resources"}
    desc["version"] = version
    desc["resources"] = [resource_descriptor(root, p) for p in data_files(root)]
    return desc


def write_json_atomic(path: Path, obj: object) -> None:
    """Write JSON through a temp file and a rename, so a crash never leaves half a file."""
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rehash(root: Path) -> dict:
    """Rewrite ``root/datapackage.json`` with fresh hashes, keeping its version."""
    current = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    desc = build_descriptor(root, base=current, version=current["version"])
    write_json_atomic(root / MANIFEST_NAME, desc)
    return desc
