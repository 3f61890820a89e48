"""Release folders: where files are, the manifest, the one checker, loading, the commit protocol,
releasing a data version, diffs, the data card and citations.

>>> from caucasus_corpus.release import validate
>>> validate()
[]
"""

from __future__ import annotations

from .changelog import update_changelog
from .check import CheckedRelease, Problem, check_release, validate
from .commit import read_lock, transaction, write_lock
from .descriptor import build_descriptor, data_files, manifest_json, working_descriptor
from .load import load
from .publish import ReleaseResult, rehash, release, staged
from .versioning import bump_from_hashes, bump_version, file_changes, is_released, released_version

__all__ = [
    "CheckedRelease",
    "Problem",
    "ReleaseResult",
    "build_descriptor",
    "bump_from_hashes",
    "bump_version",
    "check_release",
    "data_files",
    "file_changes",
    "is_released",
    "load",
    "manifest_json",
    "read_lock",
    "rehash",
    "release",
    "released_version",
    "staged",
    "transaction",
    "update_changelog",
    "validate",
    "working_descriptor",
    "write_lock",
]
