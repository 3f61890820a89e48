"""Reading one file of a release folder that someone else made: regular files inside it only.

A listed path may be a symbolic link to ``/dev/zero`` (read until memory runs out), to a file
outside the folder (whose content would be hashed, loaded and quoted in error messages), a FIFO
(a read that never returns) or a folder. :func:`read_inside` refuses all of them, and checks the
size the manifest records before reading, so a hostile folder costs at most the bytes it declares.

The input mode (:func:`read_input`, :func:`open_input_zip`) reads files that come from outside any
release (import files, vendor exports, captures, hydration sources, DNA databases) by the same
rules, with a size cap per file and caps on zip members.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusInputError, CorpusIntegrityError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _refuse(root: Path, rel: str, why: str) -> CorpusIntegrityError:
    return CorpusIntegrityError(
        f"{root / rel}: {why}; a release folder holds its data files itself, as regular files. "
        "Replace it with the file it should be (or restore the release from a complete copy).",
        path=rel,
    )


def changed(file: Path, rel: str, detail: str) -> CorpusIntegrityError:
    """The error for a listed file whose size or sha256 differs from the manifest."""
    return CorpusIntegrityError(
        f"{file}: {detail}; the file changed after release. Restore it (e.g. `git checkout -- <path>`), "
        "or if the change is intended, record it with `caucasus-corpus release --bump ...`.",
        path=rel,
    )


def read_inside(root: Path, rel: str, *, size: int | None = None) -> bytes | None:
    """The bytes of ``root/rel``, or None when there is no such file.

    Raises ``CorpusIntegrityError`` naming the file when it is not a regular file, when its real
    path (symbolic links followed) lies outside ``root``, or when its size differs from ``size``
    (the manifest's ``bytes``); nothing is read from such a file.
    """
    return FolderReader(root).read(rel, size=size)


class FolderReader:
    """:func:`read_inside` for many files of one folder: the real path of the folder and of each
    subfolder is resolved once per reader instead of once per file (for 2,000 files that was most
    of the time spent reading them). Make a new reader for each pass over the folder, so that a
    folder replaced by a symbolic link in between is resolved again. Safe to share between threads."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._top = os.fspath(self.root)
        self._real_root = os.path.realpath(self._top)
        self._inside = self._real_root.rstrip(os.sep) + os.sep
        self._real_dirs: dict[str, str] = {}

    def _real(self, path: str, st: os.stat_result) -> str:
        """``os.path.realpath(path)`` of a path whose own ``lstat`` is ``st``."""
        parent, name = os.path.split(path)
        if stat.S_ISLNK(st.st_mode) or name in ("", ".", ".."):
            return os.path.realpath(path)
        # The last part is no link: the real path is the real parent folder's, plus the name.
        real_parent = self._real_dirs.get(parent)
        if real_parent is None:
            real_parent = self._real_dirs[parent] = os.path.realpath(parent)
        return os.path.join(real_parent, name)

    def read(self, rel: str, *, size: int | None = None) -> bytes | None:
        """The bytes of ``rel`` inside the folder, or None when there is no such file (see
        :func:`read_inside` for what is refused)."""
        root = self.root
        path = os.path.join(self._top, rel)
        try:
            st = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        real = self._real(path, st)
        if real != self._real_root and not real.startswith(self._inside):
            raise _refuse(root, rel, "is a symbolic link to a file outside the release folder")
        if stat.S_ISLNK(st.st_mode):
            try:
                st = os.stat(real)
            except OSError as exc:
                raise _refuse(root, rel, f"cannot be read ({exc.strerror or exc})") from None
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, FIFO or socket)"
            raise _refuse(root, rel, f"is {kind}")
        if size is not None and st.st_size != size:
            raise changed(Path(path), rel, f"has {st.st_size} bytes but datapackage.json records {size} (so its sha256 differs too)")
        try:
            fd = os.open(real, _FLAGS)
        except OSError as exc:
            raise _refuse(root, rel, f"cannot be opened ({exc.strerror or exc})") from None
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the check above
                raise _refuse(root, rel, "is not a regular file")
            data = f.read(st.st_size + 1)
        if len(data) != st.st_size:
            raise _refuse(root, rel, "changed size while it was read")
        return data


def list_data_files(root: Path, folders: tuple[str, ...]) -> list[str]:
    """Every entry under ``root/folder`` that is not a folder, as sorted POSIX paths relative to
    ``root``: symbolic links (not followed), FIFOs and devices included, so that whoever reads them
    gets :func:`read_inside`'s refusal instead of having them skipped. Hidden names are skipped."""
    out = []
    for folder in folders:
        top = Path(root) / folder
        if top.is_symlink() or (top.exists() and not top.is_dir()):
            out.append(folder)  # refused by read_inside: not a file inside the folder
            continue
        for here, dirs, names in os.walk(top):
            rel_here = Path(here).relative_to(root).as_posix()
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            links = [d for d in dirs if os.path.islink(os.path.join(here, d))]
            out += [f"{rel_here}/{n}" for n in names + links if not n.startswith(".")]
    return sorted(out)


# --- Input mode: files that come from outside any release ------------------------------------
#
# Import files, vendor exports, WARC captures, hydration sources and DNA databases are read
# through the functions below and nothing else. They hold an input file to the same rules as a
# release file (a regular file whose real path is inside the folder it was given in) and add caps
# that a release does not need, because an input declares no size: a per-file byte cap, and for
# zip containers (DOCX, XMI zips) a cap on every member's size and on its compression ratio, so
# that a zip bomb is refused before it is inflated.

DEFAULT_MAX_INPUT_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_ZIP_RATIO = 200.0


@dataclass(frozen=True)
class InputLimits:
    """The caps of the input mode. ``max_bytes`` bounds one file and one zip member (512 MB by
    default); ``max_ratio`` bounds a zip member's uncompressed size over its compressed size
    (200:1 by default). Raise them for an input you trust: ``InputLimits(max_bytes=2 * 1024**3)``."""

    max_bytes: int = DEFAULT_MAX_INPUT_BYTES
    max_ratio: float = DEFAULT_MAX_ZIP_RATIO

    def __post_init__(self) -> None:
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int) or self.max_bytes < 1:
            raise ValueError(f"max_bytes must be a positive whole number of bytes, not {self.max_bytes!r}")
        if isinstance(self.max_ratio, bool) or not isinstance(self.max_ratio, (int, float)) or not self.max_ratio >= 1:
            raise ValueError(f"max_ratio must be a number of at least 1, not {self.max_ratio!r}")


def _input_refusal(path: Path | str, why: str) -> CorpusInputError:
    return CorpusInputError(f"{path}: {why}", path=os.fspath(path))


def _check_input(path: Path, root: Path | None) -> tuple[str, os.stat_result]:
    """The real path and status of an input file, after the checks that need no reading."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise _input_refusal(path, "no such file") from None
    except OSError as exc:
        raise _input_refusal(path, f"cannot be read ({exc.strerror or exc})") from None
    real = os.path.realpath(path)
    top = os.path.realpath(root if root is not None else os.path.dirname(os.path.abspath(path)))
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        raise _input_refusal(path, f"is a symbolic link to a file outside {top}; copy the file itself into the input folder")
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(real)
        except OSError as exc:
            raise _input_refusal(path, f"is a broken symbolic link ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, FIFO or socket)"
        raise _input_refusal(path, f"is {kind}; give a regular file")
    return real, st


def read_input(path: Path | str, *, root: Path | str | None = None, limits: InputLimits | None = None) -> bytes:
    """The bytes of one input file, read safely.

    ``root`` is the input folder the file must be inside (its real path, links followed); by
    default the folder the path names. Raises ``CorpusInputError`` naming the file (never quoting
    it) when the file is missing, a folder, a FIFO, a device or a socket, a link out of ``root``, or
    larger than ``limits.max_bytes``; nothing is read from such a file.
    """
    limits = limits or InputLimits()
    path = Path(path)
    real, st = _check_input(path, Path(root) if root is not None else None)
    if st.st_size > limits.max_bytes:
        raise _input_refusal(path, f"has {st.st_size:,} bytes, more than the cap of {limits.max_bytes:,} (raise it with limits=InputLimits(max_bytes=...) if you trust the file)")
    try:
        fd = os.open(real, _FLAGS)
    except OSError as exc:
        raise _input_refusal(path, f"cannot be opened ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the check above
            raise _input_refusal(path, "is not a regular file")
        data = f.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _input_refusal(path, f"grew past the cap of {limits.max_bytes:,} bytes while it was read")
    return data


class InputZip:
    """A zip container read in input mode (a DOCX, a zip of XMI files): its members are read into
    memory only, never extracted to disk, and each is refused past the caps before it is inflated
    and again while it is (a header may lie about the size). Make one with :func:`open_input_zip`."""

    def __init__(self, path: Path, data: bytes, limits: InputLimits) -> None:
        import io
        import zipfile

        self.path = path
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _input_refusal(path, f"is not a readable zip file ({exc})") from None

    def names(self) -> list[str]:
        """The names of the members that are files (folders left out), in the archive's order."""
        return [i.filename for i in self._zip.infolist() if not i.is_dir()]

    def read(self, name: str) -> bytes:
        """The bytes of one member; ``CorpusInputError`` naming the member and the cap it breaks,
        or saying it is a symbolic link entry, which is never followed."""
        import zipfile

        where = f"{self.path}: member {name!r}"
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise _input_refusal(self.path, f"has no member {name!r}") from None
        if stat.S_ISLNK(info.external_attr >> 16):
            raise CorpusInputError(f"{where} is a symbolic link entry; links in zip files are not followed", path=os.fspath(self.path))
        if stat.S_IFMT(info.external_attr >> 16) not in (0, stat.S_IFREG):
            raise CorpusInputError(f"{where} is not a regular file entry (a FIFO, device, socket or folder); give the file itself", path=os.fspath(self.path))
        cap = self.limits.max_bytes
        if info.file_size > cap:
            raise CorpusInputError(f"{where} inflates to {info.file_size:,} bytes, more than the cap of {cap:,} (raise it with limits=InputLimits(max_bytes=...) if you trust the file)", path=os.fspath(self.path))
        ratio_cap = self.limits.max_ratio
        if info.file_size > ratio_cap * max(info.compress_size, 1):
            raise CorpusInputError(
                f"{where} has a compression ratio of {info.file_size / max(info.compress_size, 1):,.0f}:1, more than the cap of "
                f"{ratio_cap:,.0f}:1 (a zip bomb, or raise it with limits=InputLimits(max_ratio=...) if you trust the file)",
                path=os.fspath(self.path),
            )
        limit = min(cap, int(ratio_cap * max(info.compress_size, 1)))
        chunks, total = [], 0
        try:
            with self._zip.open(info) as member:
                while True:
                    chunk = member.read(1 << 20)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > limit:
                        raise CorpusInputError(f"{where} inflates past its declared size and the caps ({limit:,} bytes); refused", path=os.fspath(self.path))
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _input_refusal(self.path, f"member {name!r} cannot be read ({exc})") from None
        return b"".join(chunks)


def open_input_zip(path: Path | str, *, root: Path | str | None = None, limits: InputLimits | None = None) -> InputZip:
    """A zip input file read as :func:`read_input` reads any input, its members capped (see
    :class:`InputZip`)."""
    limits = limits or InputLimits()
    path = Path(path)
    return InputZip(path, read_input(path, root=root, limits=limits), limits)


# --- Folders a write goes into ----------------------------------------------------------------
#
# read_inside resolves a file and refuses one whose real path leaves the folder. A write cannot be
# checked that way: the file does not exist yet, and os.replace, unlink and mkdir follow every
# linked folder on the way. So every folder the library writes, deletes or stages in (the commit
# protocol's targets and staging, the suggestions store, export and shard folders, staging folders
# and hydration reports) is walked here one component at a time, each one lstat'ed: a symbolic
# link, even one pointing back inside, is refused and never followed.


def _folder_refusal(root: Path, shown: str, why: str) -> CorpusIntegrityError:
    return CorpusIntegrityError(
        f"{root / shown if shown else root}: {why}; the library writes only into real folders inside {root}, never "
        "through a symbolic link. Replace it with a real folder (or remove it), then try again.",
        path=shown,
    )


def folder_inside(root: Path | str, rel: str, *, create: bool = False) -> Path:
    """``root/rel`` after checking that it is a real folder chain inside ``root``.

    ``rel`` is a relative POSIX path ("" or "." for ``root`` itself). Every component below
    ``root`` is checked with ``lstat``: a symbolic link (wherever it points), a component that is
    not a folder, and a path that is absolute or climbs out with ``..`` raise
    ``CorpusIntegrityError`` naming the path and saying how to fix it. A component that does not
    exist yet is made when ``create`` (and checked again, so a link swapped in is refused);
    otherwise the path is returned as it would be, with nothing followed. ``root`` itself may be
    a link (the user named it).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> folder_inside(root, "a/b", create=True) == root / "a" / "b"
    True
    >>> (root / "link").symlink_to(root / "a")
    >>> folder_inside(root, "link/b")
    Traceback (most recent call last):
    ...
    caucasus_corpus.errors.CorpusIntegrityError: ...link: is a symbolic link; ...
    """
    import posixpath

    root = Path(root)
    rel = os.fspath(rel)
    if "\\" in rel or "\0" in rel or posixpath.isabs(rel) or os.path.isabs(rel) or (len(rel) > 1 and rel[1] == ":"):
        raise _folder_refusal(root, rel, "is not a relative path inside the folder")
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise _folder_refusal(root, rel, "climbs out with '..', so it is not inside the folder")
    here = root
    for i, part in enumerate(parts):
        here = here / part
        shown = "/".join(parts[: i + 1])
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            if not create:
                return root.joinpath(*parts)
            try:
                os.mkdir(here)
            except FileExistsError:
                pass  # made meanwhile: checked below like any other
            except OSError as exc:
                raise _folder_refusal(root, shown, f"cannot be made ({exc.strerror or exc})") from None
            st = os.lstat(here)
        except OSError as exc:
            raise _folder_refusal(root, shown, f"cannot be checked ({exc.strerror or exc})") from None
        if stat.S_ISLNK(st.st_mode):
            raise _folder_refusal(root, shown, "is a symbolic link")
        if not stat.S_ISDIR(st.st_mode):
            raise _folder_refusal(root, shown, "is not a folder")
    return here
