"""Data versions (SemVer) and the bump a set of file changes needs (rules in RELEASING.md)."""

from __future__ import annotations

import re

from .._options import check_choice
from ..errors import CorpusFormatError
from ..vocab import BUMP_LEVELS, BUMP_PARTS
from .layout import ACTORS_FILE, ADJUDICATION_DIR, ANNOTATORS_DIR, MANIFEST_NAME, RECORDS_DIR, TEXTS_DIR

_SEMVER_RE = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)", re.ASCII)
# The full SemVer 2.0.0 grammar: a core, an optional -prerelease and an optional +build suffix.
_IDENT = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
_FULL_SEMVER_RE = re.compile(
    rf"{_SEMVER_RE.pattern}(?:-{_IDENT}(?:\.{_IDENT})*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?", re.ASCII
)
# A working copy edited since its last release carries that release's version plus this SemVer
# build suffix, so that it is never passed off as the release it started from (RELEASING.md).
DEV_SUFFIX = "+dev"


def is_semver(version: object) -> bool:
    """True for a whole SemVer 2.0.0 version string (a working copy's ``+dev`` included).

    >>> is_semver("1.0.0"), is_semver("1.0.0+dev"), is_semver("1.0"), is_semver("1.0.0\\n"), is_semver("1.0.0},")
    (True, True, False, False, False)
    """
    return isinstance(version, str) and _FULL_SEMVER_RE.fullmatch(version) is not None


def released_version(version: str) -> str:
    """The release a version names: itself, or for a working copy the release it started from.

    >>> released_version("1.0.0+dev"), released_version("1.0.0")
    ('1.0.0', '1.0.0')
    """
    return version[: -len(DEV_SUFFIX)] if version.endswith(DEV_SUFFIX) else version


def is_released(version: str) -> bool:
    """False for the version of a working copy edited since its last release."""
    return not version.endswith(DEV_SUFFIX)


def bump_version(version: str, part: str) -> str:
    """The next SemVer data version.

    >>> bump_version("1.2.3", "minor"), bump_version("1.2.3", "major"), bump_version("1.2.3", "patch")
    ('1.3.0', '2.0.0', '1.2.4')
    """
    check_choice("bump", part, BUMP_PARTS)
    m = _SEMVER_RE.fullmatch(released_version(version))
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


# Folders of annotation records: gold, each independent annotator's, and the adjudication logs.
_RECORD_DIRS = (RECORDS_DIR, ANNOTATORS_DIR, ADJUDICATION_DIR)


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
        if BUMP_LEVELS.index(lvl) > BUMP_LEVELS.index(level):
            level, reason = lvl, why

    for p in changes["changed"]:
        if p.startswith(TEXTS_DIR):
            need("major", f"{p} changed (a changed text)")
        elif p.startswith(_RECORD_DIRS) or p == ACTORS_FILE:
            need("minor", f"{p} changed (annotations added at least; removed or changed ones need major)")
        else:
            need("patch", f"{p} changed")
    for p in changes["removed"]:
        if p.startswith((TEXTS_DIR, *_RECORD_DIRS)) or p == ACTORS_FILE:
            need("major", f"{p} removed")
        else:
            need("patch", f"{p} removed")
    for p in changes["added"]:
        if p.startswith((TEXTS_DIR, *_RECORD_DIRS)) or p == ACTORS_FILE:
            need("minor", f"{p} added")
        else:
            need("patch", f"{p} added")
    return level, reason
