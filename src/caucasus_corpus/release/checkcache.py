"""Releases that passed the full check, remembered so that ``load()`` need not check them again.

Checking records against the release's JSON Schemas is the slow part of ``load()`` (importing
``jsonschema`` alone takes about a second, and 200,000 records take a minute). What the check
finds depends only on the bytes of the release's files and on the checking code, so once a
release passed the whole check, a later ``load()`` of the same bytes skips the JSON Schema pass
and the per-record checks (offsets against the texts, ids, actors), and parses each records
file in one call. What runs on every load: every file's size and sha256 against the manifest,
the refusal of unlisted data files, and the checks of the articles table and the actor registry
that need no schema. A release with any problem is never remembered, so it is refused as before.

A remembered release is an empty file named by a sha256 of the manifest's fingerprint (every
file's path and sha256, verified as the files are read) and of this library's checking code
(the source of the modules below and the Python version): a changed byte in a data file, a
schema, or the checker gives another name. It lives in the user's cache folder
(``platformdirs.user_cache_dir("caucasus-corpus")/checked``) or the folder named by the
``CAUCASUS_CORPUS_CHECK_CACHE`` environment variable (``off`` remembers nothing); never in the
installed package. Anyone who can write that folder can make a release pass unchecked, as
anyone who can write the user's files can change the library itself. ``validate()`` always
runs the full check.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

# The modules whose code decides what the check accepts.
_CHECKER = ("release/check.py", "release/schemas.py", "release/files.py", "release/metadata.py", "release/iso639.txt",
            "release/layout.py", "release/manifest.py", "release/safefile.py", "release/checkcache.py",
            "model/records.py", "vocab.py", "release/withheld.py", "release/rights.py")


def folder() -> Path | None:
    """Where passed releases are remembered, or None when ``CAUCASUS_CORPUS_CHECK_CACHE=off``."""
    env = os.environ.get("CAUCASUS_CORPUS_CHECK_CACHE", "")
    if env.lower() == "off":
        return None
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("caucasus-corpus")) / "checked"


@lru_cache(maxsize=1)
def _code_hash() -> bytes:
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"{sys.version}\0".encode())
    for rel in _CHECKER:
        h.update(rel.encode() + b"\0" + (package / rel).read_bytes() + b"\0")
    return h.digest()


def _name(fingerprint: str) -> str:
    return hashlib.sha256(_code_hash() + fingerprint.encode()).hexdigest()


def passed(fingerprint: str) -> bool:
    """Did the release with this manifest fingerprint pass the full check with this code?"""
    where = folder()
    return where is not None and (where / _name(fingerprint)).is_file()


def remember(fingerprint: str) -> None:
    """Note that the release passed the full check; a cache folder that cannot be written is
    not an error (the next load checks in full again)."""
    where = folder()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        (where / _name(fingerprint)).touch()
    except OSError:
        pass
