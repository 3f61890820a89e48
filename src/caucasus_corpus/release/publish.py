"""Releasing a data version: hash every data file, check, bump the version, date the changelog.

Every write goes through the commit protocol (:mod:`caucasus_corpus.release.commit`): the
changelog and the manifest are committed together, so an interrupted release leaves either the
previous release or the new one (never a changelog that disagrees with the manifest), and a
release-wide lock keeps two writers apart.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .._options import check_choice
from ..errors import CorpusError, CorpusValidationError
from ..vocab import BUMP_LEVELS, BUMP_PARTS
from .changelog import update_changelog
from .commit import transaction
from .descriptor import build_descriptor, file_hashes, manifest_json
from .layout import CHANGELOG, MANIFEST_NAME
from .manifest import read_manifest, resolve_root
from .safefile import read_inside
from .versioning import bump_from_hashes, bump_version, file_changes, released_version
from .working import forget_released_copies


def rehash(root: str | Path, *, version: str | None = None) -> dict:
    """Rewrite ``root/datapackage.json`` with fresh hashes of the files as they are, keeping its
    version (or setting ``version``, which also drops a working copy's ``last_release``).

    A maintainer's tool for a folder edited by hand, and the way test releases are built; the
    library's own writers update the manifest as part of each save.
    """
    root = Path(root)
    with transaction(root) as txn:
        raw = txn.read_bytes(MANIFEST_NAME)
        current = json.loads(raw) if raw is not None else {}
        desc = build_descriptor(root, base=current, version=version or current["version"], view=txn)
        if version is not None:
            desc.pop("last_release", None)
            forget_released_copies(root, txn)
        txn.write_text(MANIFEST_NAME, manifest_json(desc))
    return desc


@dataclass(frozen=True)
class ReleaseResult:
    """What ``release`` did: old and new version, the new fingerprint, warnings it printed."""

    old_version: str
    version: str
    fingerprint: str
    changes: dict[str, list[str]]
    warnings: tuple[str, ...]


# Hidden folders inside the release folder: never data, and on the same disk as the release.
STAGE_PREFIX = ".caucasus-corpus-stage-"


@contextmanager
def staged(root: str | Path, desc: dict | None = None) -> Iterator[Path]:
    """A temporary release folder showing ``root``'s data under a fresh manifest (``desc``, or
    ``root``'s re-hashed), so the data can be checked and loaded before anything in ``root`` is written.

    The copy is a hidden folder inside ``root`` (``STAGE_PREFIX`` + process id), removed when the
    block ends; one left behind by a killed process is removed by the next call. Only regular
    files inside ``root`` are copied (see :mod:`.safefile`).
    """
    root = Path(root)
    if desc is None:
        current = json.loads(read_inside(root, MANIFEST_NAME) or b"{}")
        desc = build_descriptor(root, base=current, version=current["version"])
    _remove_stale_stages(root)
    try:
        stage = Path(tempfile.mkdtemp(dir=root, prefix=f"{STAGE_PREFIX}{os.getpid()}-"))
    except OSError as exc:
        raise CorpusError(f"{root}: cannot write a staging copy here ({exc.strerror or exc}); nothing was changed") from exc
    try:
        try:
            _stage(root, desc, stage)
        except OSError as exc:
            raise CorpusError(f"{root}: cannot write a staging copy here ({exc.strerror or exc}); nothing was changed") from exc
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _remove_stale_stages(root: Path) -> None:
    for old in root.glob(STAGE_PREFIX + "*"):
        try:
            pid = int(old.name[len(STAGE_PREFIX):].split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)  # its process is gone
        except (ValueError, OSError):
            pass  # not ours to judge (or a live process, or no signals on this system)


def _stage(root: Path, desc: dict, stage: Path) -> None:
    (stage / MANIFEST_NAME).write_text(manifest_json(desc), encoding="utf-8")
    for res in desc.get("resources", []):
        data = read_inside(root, res["path"])
        if data is not None:
            target = stage / res["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


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
    every problem otherwise). The changelog (default ``root/CHANGELOG.md``; it must lie inside
    the release folder) and ``datapackage.json`` are committed together by the commit protocol,
    so an interrupted release leaves the previous release or the new one, never a mix. What changed is measured
    against the last release: a working copy's ``last_release`` hashes, or the manifest's own.
    ``against`` is the previous release folder: when given, ``caucasus-corpus diff`` decides which
    bump the changes need; otherwise the file hashes give a lower bound. A smaller bump than
    needed is reported through ``warn``, not refused.
    """
    from .check import validate
    from .datacard import check_datacard

    check_choice("bump", bump, BUMP_PARTS)
    root = resolve_root(root)
    log_path = Path(changelog) if changelog is not None else root / CHANGELOG
    if not log_path.is_file():
        raise CorpusError(f"{log_path}: no changelog here; a release records itself in its '## Data' section")
    try:
        log_rel = log_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise CorpusError(f"{log_path}: the changelog must lie inside the release folder {root}, so that it is "
                          "committed together with the manifest") from None
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)

    with transaction(root) as txn:
        current = json.loads(txn.read_bytes(MANIFEST_NAME) or b"{}")
        from .withheld import refuse_withheld

        refuse_withheld(root, current, "release")
        last = current.get("last_release") or {}
        previous_hashes = last.get("hashes") or file_hashes(current)
        old_version = released_version(str(current.get("version", "")))
        version = bump_version(old_version, bump)
        desc = build_descriptor(root, base=current, version=version, view=txn)
        desc.pop("last_release", None)
        desc["created"] = moment.isoformat().replace("+00:00", "Z")
        with staged(root, desc) as stage:
            problems = [str(p) for p in validate(stage)]
            if not problems:
                problems = check_datacard(stage)
            if problems:
                raise CorpusValidationError(problems)
            fp = read_manifest(stage).fingerprint
            changes = file_changes(previous_hashes, file_hashes(desc))
            if against is not None:
                from .diff import diff

                needed = diff(against, stage).implied_bump
                reason = f"`caucasus-corpus diff {against} .` shows changes that need it"
            else:
                needed, reason = bump_from_hashes(changes)
        warnings = []
        if BUMP_LEVELS.index(needed) > BUMP_LEVELS.index(bump):
            warnings.append(f"warning: --bump {bump} but the SemVer rules (RELEASING.md) need {needed}: {reason}")
        for w in warnings:
            (warn or (lambda _m: None))(w)
        text = update_changelog(log_path.read_text(encoding="utf-8"), version=version, fingerprint=fp,
                                day=moment.date(), changes=changes)
        txn.write_text(log_rel, text)
        forget_released_copies(root, txn)
        txn.write_text(MANIFEST_NAME, manifest_json(desc))
    return ReleaseResult(old_version, version, fp, changes, tuple(warnings))
