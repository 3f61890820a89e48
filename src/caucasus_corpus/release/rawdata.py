"""Reading a release's files straight from its manifest, hash-checked, without building a Corpus.

``diff`` and the data card use this so that they work on any release: an old one that later
validation rules would reject, and one that has no annotations yet (then there are simply none).
Annotation files are read as plain JSON Lines keyed by ``id`` (records) and ``actor_id`` (actors).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusFormatError
from .files import parse_jsonl, read_csv_rows
from .layout import ACTORS_FILE, ARTICLES_FILE, WITHHELD_TEXTS, records_article
from .manifest import Manifest, read_manifest, resolve_root


@dataclass(frozen=True)
class RawRelease:
    """Everything ``diff`` compares, read from one release folder."""

    root: Path
    version: str
    fingerprint: str
    files: dict[str, str]  # path -> sha256, as the manifest lists them
    articles: dict[str, dict[str, str]]  # article_id -> articles.csv row
    text_sha256: dict[str, str]  # article_id -> sha256 of its text file
    text_chars: dict[str, int]  # article_id -> length in code points
    records: dict[str, dict]  # record id -> record
    actors: dict[str, dict]  # actor_id -> actor


def read_jsonl(root: Path, files: dict[str, bytes], path: str) -> list[tuple[int, dict]]:
    """``(line number, object)`` for every non-blank line of a listed JSON Lines file."""
    objects, errors = parse_jsonl(files[path], path)
    if errors:
        n, msg = errors[0]
        raise CorpusFormatError(f"{root / path}:{n}: {msg}")
    for n, obj in objects:
        if not isinstance(obj, dict):
            raise CorpusFormatError(f"{root / path}:{n}: each line must be a JSON object")
    return objects


def _keyed(root: Path, files: dict[str, bytes], paths: list[str], key: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    where: dict[str, str] = {}
    for path in paths:
        for n, obj in read_jsonl(root, files, path):
            k = obj.get(key)
            if not isinstance(k, str) or not k:
                raise CorpusFormatError(f"{root / path}:{n}: needs a string {key!r}")
            if k in out:
                raise CorpusFormatError(
                    f"{root / path}:{n}: {key} {k!r} is already used at {where[k]}; ids must be unique"
                )
            out[k] = obj
            where[k] = f"{path}:{n}"
    return out


def annotation_records(manifest: Manifest, files: dict[str, bytes]) -> dict[str, dict]:
    """Every annotation record of the release by ``id``; empty when it has no annotations."""
    paths = sorted(p for p in files if records_article(p) is not None)
    return _keyed(manifest.root, files, paths, "id")


def actors(manifest: Manifest, files: dict[str, bytes]) -> dict[str, dict]:
    """Every actor of the release by ``actor_id``; empty when it lists no actors file."""
    return _keyed(manifest.root, files, [p for p in files if p == ACTORS_FILE], "actor_id")


def read_release(path: str | Path) -> RawRelease:
    """Read and hash-check one release folder (``CorpusIntegrityError`` names a changed file)."""
    return raw_release(read_manifest(resolve_root(path)))


def raw_release(manifest: Manifest) -> RawRelease:
    """Everything ``diff`` compares, from a manifest (its files are hash-checked as they are read)."""
    import hashlib

    root = manifest.root
    files = manifest.read_all()
    if ARTICLES_FILE not in files:
        raise CorpusFormatError(f"{root}: {ARTICLES_FILE} is not listed in the manifest") from None
    rows = [row for _line, row in read_csv_rows(files[ARTICLES_FILE], ARTICLES_FILE)]
    articles: dict[str, dict[str, str]] = {}
    text_sha: dict[str, str] = {}
    text_chars: dict[str, int] = {}
    for row in rows:
        aid = row.get("article_id") or ""
        articles[aid] = {k: (v or "") for k, v in row.items() if k is not None}
        data = files.get(row.get("path") or "")
        if data is not None:
            text_sha[aid] = hashlib.sha256(data).hexdigest()
            text_chars[aid] = len(data.decode("utf-8", errors="replace"))
    if WITHHELD_TEXTS in files:  # a folder published without its texts lists their hashes (release/withheld.py)
        for _line, row in read_csv_rows(files[WITHHELD_TEXTS], WITHHELD_TEXTS):
            aid = row.get("article_id") or ""
            if aid in articles and aid not in text_sha and (row.get("chars") or "").isdigit():
                text_sha[aid], text_chars[aid] = row.get("sha256") or "", int(row["chars"])
    return RawRelease(
        root=root,
        version=manifest.version,
        fingerprint=manifest.fingerprint,
        files={r.path: r.sha256 for r in manifest.resources},
        articles=articles,
        text_sha256=text_sha,
        text_chars=text_chars,
        records=annotation_records(manifest, files),
        actors=actors(manifest, files),
    )
