"""Writing a release's manifest: list every data file with its sha256 and bytes.

Used by ``caucasus-corpus release``; reading is in :mod:`caucasus_corpus.manifest`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from ._options import check_choice
from .errors import CorpusError, CorpusFormatError, CorpusValidationError
from .manifest import MANIFEST_NAME, read_manifest, resolve_root

DATA_FOLDERS = ("corpus", "annotations")

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
    else:
        # Frictionless guesses a type from the name otherwise: it reads ``*.schema.json`` as a
        # Table Schema and JSON Lines as a table, and then rejects them. Annotation records are
        # nested and differ by layer, so they are files checked by hash (their shape is checked
        # by JSON Schema in ``validate``).
        desc["type"] = _RESOURCE_TYPES.get(suffix, "file")
        if suffix == ".tsv":
            desc["format"] = "tsv"
    return desc


def build_descriptor(root: Path, *, base: dict, version: str) -> dict:
    """The manifest for ``root``: ``base``'s package-level fields, this version, fresh resources."""
    desc = {k: v for k, v in base.items() if k != "resources"}
    desc["version"] = version
    desc["resources"] = [resource_descriptor(root, p) for p in data_files(root)]
    return desc


def write_json_atomic(path: Path, obj: object) -> None:
    """Write JSON through a temp file and a rename, so a crash never leaves half a file."""
    write_text_atomic(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text through a temp file in the same folder and a rename (atomic on POSIX and Windows)."""
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


# -- versions ------------------------------------------------------------------------------------

BUMP_PARTS = ("major", "minor", "patch")
_SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_LEVELS = ("none", "patch", "minor", "major")


def bump_version(version: str, part: str) -> str:
    """The next SemVer data version.

    >>> bump_version("1.2.3", "minor"), bump_version("1.2.3", "major"), bump_version("1.2.3", "patch")
    ('1.3.0', '2.0.0', '1.2.4')
    """
    check_choice("bump", part, BUMP_PARTS)
    m = _SEMVER_RE.match(version)
    if not m:
        raise CorpusFormatError(f"{MANIFEST_NAME}: version {version!r} is not MAJOR.MINOR.PATCH; fix it by hand first")
    major, minor, patch = (int(g) for g in m.groups())
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def file_changes(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """Paths added, removed and changed between two ``{path: sha256}`` listings."""
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(p for p in set(old) & set(new) if old[p] != new[p]),
    }


def bump_from_hashes(changes: dict[str, list[str]]) -> tuple[str, str]:
    """The least bump file-level changes imply, with the reason; a lower bound (see RELEASING.md).

    Hashes cannot tell an annotation file that gained records from one that lost some, so a
    changed records file counts as minor here; ``caucasus-corpus diff`` against the previous
    release folder gives the exact answer.

    >>> bump_from_hashes({"added": [], "removed": [], "changed": ["corpus/texts/a.txt"]})
    ('major', 'corpus/texts/a.txt changed (a changed text)')
    """
    level, reason = "none", "no data file changed"

    def need(lvl: str, why: str) -> None:
        nonlocal level, reason
        if _LEVELS.index(lvl) > _LEVELS.index(level):
            level, reason = lvl, why

    for p in changes["changed"]:
        if p.startswith("corpus/texts/"):
            need("major", f"{p} changed (a changed text)")
        elif p.startswith("annotations/records/") or p == "annotations/actors.jsonl":
            need("minor", f"{p} changed (annotations added at least; removed or changed ones need major)")
        else:
            need("patch", f"{p} changed")
    for p in changes["removed"]:
        if p.startswith(("corpus/texts/", "annotations/records/")) or p == "annotations/actors.jsonl":
            need("major", f"{p} removed")
        else:
            need("patch", f"{p} removed")
    for p in changes["added"]:
        if p.startswith(("corpus/texts/", "annotations/records/")) or p == "annotations/actors.jsonl":
            need("minor", f"{p} added")
        else:
            need("patch", f"{p} added")
    return level, reason


# -- the changelog's data section ----------------------------------------------------------------

_GENERATED = ("- Fingerprint: ", "- Data files added: ", "- Data files removed: ", "- Data files changed: ")


def _listing(paths: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"`{p}`" for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def update_changelog(text: str, *, version: str, fingerprint: str, day: date,
                     changes: dict[str, list[str]]) -> str:
    """``text`` with a dated entry for ``version`` in its ``## Data`` section.

    Notes written by hand under ``### Unreleased`` or ``### VERSION (unreleased)`` become that
    entry; the fingerprint and the list of data files that changed are added to it. Running it
    again for the same version replaces the generated lines, so a retried release does not
    duplicate them.

    >>> out = update_changelog("# C\\n\\n## Data\\n\\n### Unreleased\\n- Added a text.\\n\\n## Code\\n",
    ...     version="1.1.0", fingerprint="f" * 64, day=date(2030, 1, 2),
    ...     changes={"added": ["corpus/texts/a.txt"], "removed": [], "changed": []})
    >>> print(out)
    # C
    <BLANKLINE>
    ## Data
    <BLANKLINE>
    ### 1.1.0 (2030-01-02)
    - Added a text.
    - Fingerprint: `ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff`
    - Data files added: `corpus/texts/a.txt`
    <BLANKLINE>
    ## Code
    <BLANKLINE>
    """
    lines = text.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "## Data")
    except StopIteration:
        raise CorpusFormatError("CHANGELOG.md: no '## Data' section; add one (see RELEASING.md)") from None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    pending = re.compile(rf"^### (Unreleased|{re.escape(version)}\s*\((unreleased|\d{{4}}-\d{{2}}-\d{{2}})\))\s*$", re.I)
    generated = [f"- Fingerprint: `{fingerprint}`"]
    for kind in ("added", "removed", "changed"):
        if changes[kind]:
            generated.append(f"- Data files {kind}: {_listing(changes[kind])}")
    heading = f"### {version} ({day.isoformat()})"

    at = next((i for i in range(start + 1, end) if pending.match(lines[i])), None)
    if at is None:
        first = next((i for i in range(start + 1, end) if lines[i].startswith("### ")), end)
        block = [heading, *generated, ""]
        if first == end and lines[end - 1].strip():
            block.insert(0, "")
        return "\n".join(lines[:first] + block + lines[first:]) + "\n"
    stop = next((i for i in range(at + 1, end) if lines[i].startswith("### ")), end)
    notes = [ln for ln in lines[at + 1:stop] if not ln.startswith(_GENERATED)]
    while notes and not notes[-1].strip():
        notes.pop()
    return "\n".join(lines[:at] + [heading, *notes, *generated, ""] + lines[stop:]) + "\n"


# -- releasing -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReleaseResult:
    """What ``release`` did: old and new version, the new fingerprint, warnings it printed."""

    old_version: str
    version: str
    fingerprint: str
    changes: dict[str, list[str]]
    warnings: tuple[str, ...]


@contextmanager
def staged(root: str | Path, desc: dict | None = None) -> Iterator[Path]:
    """A temporary release folder showing ``root``'s data under a fresh manifest (``desc``, or
    ``root``'s re-hashed), so the data can be checked and loaded before anything in ``root`` is written."""
    root = Path(root)
    if desc is None:
        current = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
        desc = build_descriptor(root, base=current, version=current["version"])
    with tempfile.TemporaryDirectory() as tmp:
        yield _stage(root, desc, Path(tmp))


def _stage(root: Path, desc: dict, into: Path) -> Path:
    import shutil

    stage = into / "release"
    stage.mkdir()
    (stage / MANIFEST_NAME).write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for folder in DATA_FOLDERS:
        if (root / folder).is_dir():
            try:
                (stage / folder).symlink_to((root / folder).resolve(), target_is_directory=True)
            except OSError:  # e.g. Windows without symlink rights: copy instead
                shutil.copytree(root / folder, stage / folder)
    return stage


def release(
    root: str | Path,
    *,
    bump: str,
    changelog: str | Path | None = None,
    against: str | Path | None = None,
    now: datetime | None = None,
    warn: Callable[[str], None] | None = None,
) -> ReleaseResult:
    """Hash every data file, check the release, bump the data version and date the changelog entry.

    Nothing is written unless the re-hashed release validates (``CorpusValidationError`` lists
    every problem otherwise). The changelog (default ``root/CHANGELOG.md``) is written first and
    ``datapackage.json`` last, each through a temp file and a rename: the manifest is the commit
    point, so an interrupted release leaves the previous manifest, and so the previous release,
    as it was. ``against`` is the previous release folder: when given, ``caucasus-corpus diff``
    decides which bump the changes need; otherwise the manifest's old hashes give a lower bound.
    A smaller bump than needed is reported through ``warn``, not refused.
    """
    from .datacard import check_datacard
    from .validation import validate

    check_choice("bump", bump, BUMP_PARTS)
    root = resolve_root(root)
    log_path = Path(changelog) if changelog is not None else root / "CHANGELOG.md"
    if not log_path.is_file():
        raise CorpusError(f"{log_path}: no changelog here; a release records itself in its '## Data' section")
    previous = read_manifest(root)
    current = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    version = bump_version(previous.version, bump)
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)

    desc = build_descriptor(root, base=current, version=version)
    desc["created"] = moment.isoformat().replace("+00:00", "Z")
    with staged(root, desc) as stage:
        problems = [str(p) for p in validate(stage)]
        if not problems:
            problems = check_datacard(stage)
        if problems:
            raise CorpusValidationError(problems)
        fresh = read_manifest(stage)
        fp = fresh.fingerprint
        changes = file_changes({r.path: r.sha256 for r in previous.resources}, {r.path: r.sha256 for r in fresh.resources})
        if against is not None:
            from .diff import diff

            needed = diff(against, stage).implied_bump
            reason = f"`caucasus-corpus diff {against} .` shows changes that need it"
        else:
            needed, reason = bump_from_hashes(changes)

    warnings = []
    if _LEVELS.index(needed) > _LEVELS.index(bump):
        warnings.append(
            f"warning: --bump {bump} but the SemVer rules (RELEASING.md) need {needed}: {reason}"
        )
    for w in warnings:
        (warn or (lambda _m: None))(w)

    text = update_changelog(log_path.read_text(encoding="utf-8"), version=version, fingerprint=fp,
                            day=moment.date(), changes=changes)
    write_text_atomic(log_path, text)
    write_json_atomic(root / MANIFEST_NAME, desc)
    return ReleaseResult(previous.version, version, fp, changes, tuple(warnings))
