"""Reading one file of a release folder that someone else made: regular files inside it only.

A listed path may be a symbolic link to ``/dev/zero`` (read until memory runs out), to a file
outside the folder (whose content would be hashed, loaded and quoted in error messages), a FIFO
(a read that never returns) or a folder. :func:`read_inside` refuses all of them, and checks the
size the manifest records before reading, so a hostile folder costs at most the bytes it declares.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import CorpusIntegrityError

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
