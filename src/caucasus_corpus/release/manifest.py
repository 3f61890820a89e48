"""The manifest: a Frictionless Data Package (v2) ``datapackage.json`` at the top of a release folder.

It lists every data file with its sha256 and holds the data version. The version lives here and
nowhere else; the code version (``caucasus_corpus.__version__``) is separate.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import CorpusFormatError, CorpusIntegrityError, CorpusNotFoundError
from .files import read_json
from ..vocab import is_slug
from .layout import DATA_FOLDERS, MANIFEST_NAME, annotator_records_of
from .safefile import FolderReader, changed, read_inside
from .versioning import is_semver

_HASH_RE = re.compile(r"sha256:([0-9a-f]{64})")


@dataclass(frozen=True)
class Resource:
    """One file listed in the manifest."""

    name: str
    path: str  # POSIX path relative to the release folder
    sha256: str
    bytes: int | None
    descriptor: dict


@dataclass(frozen=True)
class Manifest:
    """A parsed ``datapackage.json``.

    ``read`` gives the bytes of a file by its relative path; by default the file in ``root``. A
    writer passes its transaction's view instead, so that the release it is about to commit is
    checked exactly as ``load()`` will read it.
    """

    root: Path
    descriptor: dict
    resources: tuple[Resource, ...]
    read: Callable[[str], bytes | None] | None = field(default=None, repr=False, compare=False)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.resources)

    def resource_at(self, path: str) -> Resource | None:
        """The listed resource stored at ``path`` (relative, POSIX), or None when it is not listed."""
        return next((r for r in self.resources if r.path == path), None)

    def _raw(self, res: Resource, reader: FolderReader | None) -> bytes | None:
        if self.read is not None:
            return self.read(res.path)
        return (reader or FolderReader(self.root)).read(res.path, size=res.bytes)

    def read_bytes(self, res: Resource, *, reader: FolderReader | None = None) -> bytes:
        """Read one listed file and check its size and sha256; raise ``CorpusIntegrityError`` naming it.

        Only a regular file inside the release folder is read (see :mod:`.safefile`); ``reader``
        reads it when given (one reader for many files of the folder).
        """
        file = self.root / res.path
        data = self._raw(res, reader)
        if data is None:
            raise CorpusIntegrityError(
                f"{file}: listed in {MANIFEST_NAME} (resource {res.name!r}) but missing. "
                "Restore the file from the release (e.g. `git checkout -- <path>`) or remove it "
                "from the manifest with `caucasus-corpus release`.",
                path=res.path,
            )
        if res.bytes is not None and len(data) != res.bytes:
            raise changed(file, res.path, f"has {len(data)} bytes but {MANIFEST_NAME} records {res.bytes} (so its sha256 differs too)")
        actual = hashlib.sha256(data).hexdigest()
        if actual != res.sha256:
            raise changed(file, res.path, f"sha256 is {actual} but {MANIFEST_NAME} records {res.sha256}")
        return data

    def read_all(self) -> dict[str, bytes]:
        """Every listed file's bytes by path, each hash-checked once (the first bad one raises)."""
        reader = None if self.read is not None else FolderReader(self.root)
        return {res.path: self.read_bytes(res, reader=reader) for res in self.resources}

    def read_each(self) -> list[bytes | CorpusIntegrityError]:
        """Every listed file's bytes, size and sha256 checked, in the order of ``resources``; the
        ``CorpusIntegrityError`` naming the file in place of the bytes of a file that fails.

        One :class:`~.safefile.FolderReader` reads them all. (Threads were tried: reading and
        hashing release the GIL, but on two busy cores 2,000 files took longer, not shorter.)
        """
        reader = None if self.read is not None else FolderReader(self.root)
        return [self._checked(res, reader) for res in self.resources]

    def _checked(self, res: Resource, reader: FolderReader | None) -> bytes | CorpusIntegrityError:
        try:
            return self.read_bytes(res, reader=reader)
        except CorpusIntegrityError as exc:
            return exc


def fingerprint(resources_: tuple[Resource, ...] | list[Resource]) -> str:
    """sha256 over the sorted ``path<TAB>sha256`` lines of the manifest: the same on every machine.

    >>> fp = fingerprint([Resource("a", "a.txt", "0" * 64, 1, {})])
    >>> len(fp), fp == fingerprint([Resource("renamed", "a.txt", "0" * 64, None, {})])
    (64, True)
    """
    lines = sorted(f"{r.path}\t{r.sha256}\n" for r in resources_)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def bundled_root() -> Path:
    """The release folder shipped with the package.

    A wheel carries the data under ``caucasus_corpus/_data``. An editable install or a plain
    checkout has no copy there (hatchling's force-include does not apply to editable installs),
    so the data is read from the repository the package is imported from, found by walking up
    from ``src/caucasus_corpus`` to the folder that holds ``datapackage.json`` and ``pyproject.toml``.
    """
    packaged = resources.files("caucasus_corpus") / "_data"
    if packaged.is_dir() and (packaged / MANIFEST_NAME).is_file():
        return Path(str(packaged))
    here = Path(__file__).resolve().parents[1]  # the caucasus_corpus package folder
    if here.parent.name == "src":
        checkout = here.parent.parent
        if (checkout / MANIFEST_NAME).is_file() and (checkout / "pyproject.toml").is_file():
            return checkout
    raise CorpusNotFoundError(
        f"no bundled corpus found: neither {packaged} nor a source checkout around {here} holds "
        f"{MANIFEST_NAME}. Reinstall the package (`pip install caucasus-corpus`) or pass the "
        "release folder explicitly: caucasus_corpus.load('path/to/release')."
    )


def resolve_root(path: str | Path | None) -> Path:
    """Turn ``load()``'s argument into a release folder, with clear errors for bad input."""
    if path is None:
        return bundled_root()
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or pathlib.Path, not {type(path).__name__}")
    p = Path(path).expanduser()
    if p.is_file() and p.name == MANIFEST_NAME:
        return p.parent
    if not p.exists():
        raise CorpusNotFoundError(f"{p}: no such folder. Pass the folder that holds {MANIFEST_NAME}.")
    if not p.is_dir():
        raise CorpusNotFoundError(f"{p}: not a folder. Pass the folder that holds {MANIFEST_NAME}.")
    if not (p / MANIFEST_NAME).is_file():
        raise CorpusNotFoundError(
            f"{p}: no {MANIFEST_NAME} here, so this is not a corpus release folder. Pass the folder "
            f"that holds {MANIFEST_NAME} (the top of a caucasus-corpus checkout or release)."
        )
    return p


def is_data_path(rel: str) -> bool:
    """True for a relative POSIX path of a file inside one of the data folders (never hidden).

    >>> is_data_path("corpus/texts/a.txt"), is_data_path("corpus"), is_data_path("corpus/../x"), is_data_path("")
    (True, False, False, False)
    """
    parts = rel.split("/")
    return (
        len(parts) > 1
        and parts[0] in DATA_FOLDERS
        and all(p and p not in (".", "..") and not p.startswith(".") for p in parts)
        and "\\" not in rel
        and "\0" not in rel
    )


def _same_name_hint(first: str, second: str) -> str:
    """Why two paths got one resource name, when it is a folder named against the rules: an
    annotator folder that is not a slug ("Ann A" next to "ann-a")."""
    for path in (first, second):
        where = annotator_records_of(path)
        if where is not None and not is_slug(where[0]):
            return (f" ({first} and {second}): annotator folder {where[0]!r} is not a slug (lower-case letters, "
                    "digits, hyphens); rename the folder, then rehash")
    return f" ({first} and {second}); rename one of the files, then rehash"


def read_manifest(root: Path, *, read: Callable[[str], bytes | None] | None = None) -> Manifest:
    """Parse and check the shape of ``root/datapackage.json`` (or of the manifest ``read`` gives)."""
    file = root / MANIFEST_NAME
    try:
        raw = read(MANIFEST_NAME) if read is not None else read_inside(root, MANIFEST_NAME)
    except CorpusIntegrityError as exc:
        raise CorpusFormatError(str(exc)) from None
    if raw is None:
        raise CorpusNotFoundError(f"{root}: no {MANIFEST_NAME} here, so this is not a corpus release folder.")
    desc = read_json(raw, file, fix="fix the file or restore it from the release")
    if not isinstance(desc, dict):
        raise CorpusFormatError(f"{file}:1: the top level must be a JSON object (a Data Package descriptor)")
    res_list = desc.get("resources")
    if not isinstance(res_list, list) or not res_list:
        raise CorpusFormatError(f"{file}: 'resources' must be a non-empty list of data files")
    version = desc.get("version")
    if not isinstance(version, str) or not version:
        raise CorpusFormatError(f"{file}: 'version' (the data version, e.g. \"1.0.0\") is missing")
    if not is_semver(version):
        raise CorpusFormatError(
            f"{file}: version {version!r} is not a SemVer version (MAJOR.MINOR.PATCH, e.g. \"1.0.0\", "
            "optionally with a -prerelease or +build suffix); fix it or restore the file from the release"
        )
    out: list[Resource] = []
    seen: dict[str, str] = {}
    for i, r in enumerate(res_list):
        where = f"{file}: resources[{i}]"
        if not isinstance(r, dict):
            raise CorpusFormatError(f"{where}: must be an object")
        name, rpath, rhash = r.get("name"), r.get("path"), r.get("hash")
        if not isinstance(name, str) or not isinstance(rpath, str):
            raise CorpusFormatError(f"{where}: needs a string 'name' and 'path'")
        if name in seen:
            raise CorpusFormatError(f"{where}: resource name {name!r} is used twice"
                                    + _same_name_hint(seen[name], rpath))
        seen[name] = rpath
        if not is_data_path(rpath):
            raise CorpusFormatError(
                f"{where}: path {rpath!r} must name a file inside {' or '.join(f'{d}/' for d in DATA_FOLDERS)} "
                "as a relative POSIX path (no '..', no hidden or empty parts)"
            )
        m = _HASH_RE.fullmatch(rhash) if isinstance(rhash, str) else None
        if not m:
            raise CorpusFormatError(f"{where} ({rpath}): 'hash' must look like 'sha256:<64 hex digits>'")
        nbytes = r.get("bytes")
        if nbytes is not None and (type(nbytes) is not int or nbytes < 0):
            raise CorpusFormatError(f"{where} ({rpath}): 'bytes' must be the file's size, a whole number of bytes")
        out.append(Resource(name, rpath, m.group(1), nbytes, r))
    return Manifest(root=root, descriptor=desc, resources=tuple(out), read=read)
