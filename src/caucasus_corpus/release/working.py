"""Working copies: the manifest a save writes, and the released bytes it keeps (RELEASING.md).

Between releases every save re-hashes the manifest so that the folder loads. The first save that
changes a released manifest marks the version ``+dev`` and records the release in
``last_release`` (see :func:`~caucasus_corpus.release.descriptor.working_descriptor`); and the
first save that changes or removes a released file keeps that file's released bytes under the
hidden folder :data:`RELEASED_DIR`, so that the working copy can be compared with its last
release record by record (:func:`released_manifest`, ``caucasus-corpus diff`` without OLD).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import CorpusError
from .commit import Transaction
from .descriptor import manifest_json, resource_name, working_descriptor
from .layout import MANIFEST_NAME
from .manifest import Manifest, Resource, is_data_path
from .safefile import read_inside

RELEASED_DIR = ".caucasus-corpus-released"


def _released_bytes(folder: Path, path: str, sha: str | None) -> bytes | None:
    """The bytes of ``folder/path`` when they are still the released ones (hash ``sha``), else None.

    ``last_release`` is part of a manifest that may come from someone else, so its paths are
    checked and read like any data file of a release (regular files inside the folder only).
    """
    if not is_data_path(path):
        return None
    data = read_inside(folder, path)
    return data if data is not None and hashlib.sha256(data).hexdigest() == sha else None


def stage_working_manifest(root: Path, txn: Transaction) -> dict:
    """Stage the manifest of the working copy that ``txn``'s changes make, and keep the released
    bytes of every released file those changes replace or remove. Returns the new descriptor."""
    current = json.loads(txn.read_bytes(MANIFEST_NAME) or b"{}")
    desc = working_descriptor(root, current, txn)
    for path, sha in (desc.get("last_release") or {}).get("hashes", {}).items():
        kept = f"{RELEASED_DIR}/{path}"
        if txn.read_bytes(kept) is not None:
            continue  # kept by an earlier save
        released = _released_bytes(root, path, sha)
        if released is not None and txn.read_bytes(path) != released:
            txn.write_bytes(kept, released)
    txn.write_text(MANIFEST_NAME, manifest_json(desc))
    return desc


def forget_released_copies(root: Path, txn: Transaction) -> None:
    """Stage the removal of the kept released bytes (a new release makes them history)."""
    folder = root / RELEASED_DIR
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                txn.delete(p.relative_to(root).as_posix())


def released_manifest(root: Path, current: Manifest) -> Manifest:
    """The last release of the working copy at ``root`` as a manifest whose files are read from the
    folder where unchanged and from the kept released bytes otherwise (each still hash-checked).

    Raises ``CorpusError`` when ``current`` is not a working copy (it has no ``last_release``).
    """
    last = current.descriptor.get("last_release")
    if not isinstance(last, dict) or not isinstance(last.get("hashes"), dict):
        raise CorpusError(
            f"{root}: this release has not been edited since it was released (its manifest has no "
            "last_release), so there is nothing to compare it with; give the older release folder"
        )
    hashes: dict[str, str] = last["hashes"]
    resources = tuple(Resource(resource_name(p), p, sha, None, {}) for p, sha in sorted(hashes.items()))

    def read(path: str) -> bytes | None:
        for folder in (root, root / RELEASED_DIR):
            data = _released_bytes(folder, path, hashes.get(path))
            if data is not None:
                return data
        return None  # reported by the manifest as a missing released file

    return Manifest(root=root, descriptor={"version": str(last.get("version", ""))}, resources=resources, read=read)
