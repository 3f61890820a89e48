"""The one commit protocol for every write to a release folder.

A release folder is checked against the sha256 hashes in its ``datapackage.json``, so a write that
dies halfway (a killed notebook kernel, a full disk, a power cut) must never leave some files new
and others old: the next open would report corrupt data that nobody corrupted. Every write (adding
articles, saving annotation records, imports, releases) therefore goes through :func:`transaction`:

1. the new bytes are staged in the hidden folder ``TXN_DIR`` inside the release folder and fsync'ed;
   nothing outside it changes, so a crash here leaves the old state;
2. the commit point is one atomic rename that creates ``TXN_DIR/plan.json``; from then on the
   change is committed even if the process dies;
3. the staged files are renamed into place in plan order (``datapackage.json`` always last, because
   it is the manifest whose hashes must match the data) and ``TXN_DIR`` is removed.

Whoever opens the folder next (:func:`write_lock` and :func:`read_lock` both call :func:`recover`)
rolls a committed plan forward or throws uncommitted staging away before reading, so a reader sees
the complete old or the complete new state. One lock file per release folder keeps writers (other
processes, or other threads of this one) from interleaving and keeps readers out of a half-applied
commit.

Both hidden names start with a dot because hidden files are never data files.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import CorpusError, CorpusIntegrityError, ReleaseBusyError
from .safefile import folder_inside, read_inside

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

__all__ = [
    "LOCK_NAME",
    "TXN_DIR",
    "ReleaseBusyError",
    "Transaction",
    "read_lock",
    "recover",
    "refuse_installed",
    "transaction",
    "write_lock",
]

LOCK_NAME = ".caucasus-corpus.lock"
TXN_DIR = ".caucasus-corpus-txn"

_MANIFEST = "datapackage.json"
_PLAN = "plan.json"
_FILES = "files"
_BUSY_ERRNOS = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


# -- locking -------------------------------------------------------------------------------------
# Two layers, because neither is enough alone: an in-process reader/writer state per folder (flock
# on NFS and msvcrt.locking may not separate threads of one process), and the OS lock on the lock
# file for other processes. Each outermost acquisition opens its own file descriptor, so a flock
# held by one thread never counts as held by another. Re-entry is counted per thread, so a writer
# can call code that takes the lock again (e.g. validation inside a release) without deadlocking.


class _RootState:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.writer: int | None = None  # thread ident of the in-process writer
        self.readers = 0  # threads of this process holding a read lock


class _Held:
    def __init__(self, mode: str, fd: int | None) -> None:
        self.mode = mode  # "w" or "r"
        self.fd = fd  # None when the folder could not be locked (read-only, no lock file)
        self.depth = 1


_guard = threading.Lock()
_states: dict[str, _RootState] = {}
_open_txns: set[str] = set()  # folders whose TXN_DIR belongs to a Transaction open in this process
_local = threading.local()


def _key(root: Path) -> str:
    return str(Path(root).resolve())


def _held_locks() -> dict[str, _Held]:
    locks = getattr(_local, "locks", None)
    if locks is None:
        locks = _local.locks = {}
    return locks


def _state(key: str) -> _RootState:
    with _guard:
        return _states.setdefault(key, _RootState())


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _holder_pid(root: Path) -> int | None:
    try:
        pid = int((root / LOCK_NAME).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None  # no pid (a reader holds it) or the file is locked against reading (Windows)
    if fcntl is not None:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None  # left by a writer that was killed; the lock itself died with it
        except OSError:
            pass
    return pid


def _busy(root: Path, timeout: float, *, holder: str | None = None) -> ReleaseBusyError:
    if holder is None:
        pid = _holder_pid(root)
        holder = f"process {pid}" if pid is not None else "another process (pid unknown; possibly a reader)"
    return ReleaseBusyError(
        f"{root}: the release folder is locked by {holder}; gave up after {timeout:g} s. "
        "Wait for that write to finish (or stop it) and try again, or pass a longer timeout=. "
        f"The lock is released automatically when its holder exits, so do not delete {LOCK_NAME}."
    )


def _open_lock_file(root: Path, mode: str) -> int | None:
    path = root / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError as exc:
        if mode == "w" or exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise CorpusError(
                f"{root}: cannot open the lock file {LOCK_NAME}: {exc.strerror or exc}; nothing was changed"
            ) from exc
    try:  # a read-only copy: lock it if someone left a lock file, else nothing can be writing there
        return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None


def _os_lock(fd: int, mode: str) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, (fcntl.LOCK_EX if mode == "w" else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        else:  # Windows has no shared byte locks here: readers exclude each other too.
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:
        if exc.errno in _BUSY_ERRNOS:
            return False
        raise
    return True


def _os_unlock(fd: int) -> None:
    try:
        if fcntl is None:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)  # closing the descriptor releases a flock


def _acquire(root: Path, key: str, mode: str, timeout: float) -> None:
    """Take the lock for this thread (outermost acquisition only) or raise ReleaseBusyError."""
    deadline = time.monotonic() + timeout
    state = _state(key)
    with state.cond:
        free = state.cond.wait_for(
            lambda: state.writer is None and (mode == "r" or state.readers == 0), timeout=timeout
        )
        if not free:
            raise _busy(root, timeout, holder="another thread of this process")
        if mode == "w":
            state.writer = threading.get_ident()
        else:
            state.readers += 1
    fd = None
    try:
        fd = _open_lock_file(root, mode)
        if fd is not None:
            delay = 0.002
            while not _os_lock(fd, mode):
                if time.monotonic() >= deadline:
                    raise _busy(root, timeout)
                time.sleep(min(delay, _remaining(deadline)))
                delay = min(delay * 2, 0.05)
            if mode == "w":  # for the ReleaseBusyError of whoever waits next
                try:
                    os.ftruncate(fd, 0)
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
                except OSError:
                    pass
    except BaseException:
        if fd is not None:
            os.close(fd)
        _release_state(state, mode)
        raise
    _held_locks()[key] = _Held(mode, fd)


def _release_state(state: _RootState, mode: str) -> None:
    with state.cond:
        if mode == "w":
            state.writer = None
        else:
            state.readers -= 1
        state.cond.notify_all()


def _release(key: str) -> None:
    held = _held_locks().pop(key)
    try:
        if held.fd is not None:
            if held.mode == "w":
                try:
                    os.ftruncate(held.fd, 0)  # no stale pid in the next busy message
                except OSError:
                    pass
            _os_unlock(held.fd)
    finally:
        _release_state(_state(key), held.mode)


@contextmanager
def _reenter(held: _Held) -> Iterator[None]:
    held.depth += 1
    try:
        yield
    finally:
        held.depth -= 1


def _upgrade_error(root: Path) -> CorpusError:
    return CorpusError(
        f"{root}: this thread holds a read lock and asked for the write lock; a read lock cannot "
        "be upgraded without letting another writer in between. Take write_lock (or transaction) "
        "around the whole operation instead."
    )


def _held_writer(root: Path, key: str) -> _Held | None:
    """This thread's write lock on the folder, None when it holds none; a read lock cannot grow."""
    held = _held_locks().get(key)
    if held is not None and held.mode != "w":
        raise _upgrade_error(root)
    return held


@contextmanager
def write_lock(root: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """Hold the release folder's exclusive lock; on first entry finish any interrupted transaction.

    Re-entrant within one thread, so a writer can call code that takes the lock again. Other
    threads and processes wait up to ``timeout`` seconds, then get :class:`ReleaseBusyError`.
    On Windows the lock is ``msvcrt.locking`` on byte 0, which has no shared mode: readers
    exclude each other there as well.
    """
    root = Path(root)
    key = _key(root)
    held = _held_writer(root, key)
    if held is not None:
        with _reenter(held):
            yield
        return
    refuse_installed(root)
    _acquire(root, key, "w", timeout)
    try:
        _recover_locked(root, key)
        yield
    finally:
        _release(key)


@contextmanager
def read_lock(root: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """Hold a shared lock while reading, so a reader never sees a writer's half-applied commit.

    An interrupted transaction is finished first (under the write lock). The bundled release and
    read-only copies without a lock file are read without locking: nothing can be writing there.
    """
    root = Path(root)
    key = _key(root)
    held = _held_locks().get(key)
    if held is not None:  # a writer reading its own folder, or a nested read
        with _reenter(held):
            yield
        return
    if not root.is_dir() or _is_installed(root):
        yield  # a missing folder is the loader's error to report, in its own words
        return
    deadline = time.monotonic() + timeout
    while True:
        txn = root / TXN_DIR
        writable = os.access(root, os.W_OK)
        if txn.exists():
            if writable:
                with write_lock(root, timeout=_remaining(deadline)):
                    pass  # write_lock recovers on entry
            elif (txn / _PLAN).exists():
                raise CorpusError(
                    f"{root}: a committed write was interrupted before it was complete, and the "
                    "folder is read-only, so it cannot be finished now. Open the release once with "
                    "write access (that completes it), or copy it from a complete source."
                )
        _acquire(root, key, "r", _remaining(deadline))
        if not (writable and txn.exists()):
            break
        _release(key)  # another writer crashed in between: recover again
    try:
        yield
    finally:
        _release(key)


# -- recovery ------------------------------------------------------------------------------------


def recover(root: Path) -> str | None:
    """Finish or throw away a transaction that a killed writer left behind.

    A plan file means the transaction was committed, so it is rolled forward (again, if a previous
    roll-forward was itself interrupted); staging without a plan was never committed and is
    discarded. Returns ``"rolled forward"``, ``"discarded"`` or ``None`` (nothing to do). Meant to
    be called with the write lock held; takes it for the call if this thread does not hold it.
    """
    root = Path(root)
    key = _key(root)
    if _held_writer(root, key) is not None:
        return _recover_locked(root, key)
    refuse_installed(root)
    _acquire(root, key, "w", 30.0)
    try:
        return _recover_locked(root, key)
    finally:
        _release(key)


def _recover_locked(root: Path, key: str) -> str | None:
    txn = root / TXN_DIR
    with _guard:
        if key in _open_txns:
            return None  # staging of a transaction still open in this process, not a leftover
    if not os.path.lexists(txn):
        return None
    try:
        folder_inside(root, TXN_DIR)  # a linked staging folder is never read, applied or removed
    except CorpusIntegrityError as exc:
        raise _refused_plan(txn, exc) from None
    plan_path = txn / _PLAN
    if os.path.lexists(plan_path):
        try:
            plan = _read_plan(plan_path)
        except (OSError, ValueError) as exc:
            raise _refused_plan(plan_path, exc) from None
        try:
            _check_plan(root, plan)  # every path before any is acted on: all of the plan or none
        except CorpusIntegrityError as exc:
            raise _refused_plan(plan_path, exc) from None
        try:
            _apply(root, plan)
        except OSError as exc:
            raise _apply_error(root, exc) from exc
        return "rolled forward"
    try:
        shutil.rmtree(txn)
    except OSError as exc:
        raise CorpusError(
            f"{root}: could not remove the staging of an interrupted write ({exc.strerror or exc}); "
            "the data itself is unchanged. Check the folder's permissions."
        ) from exc
    return "discarded"


def _refused_plan(where: Path, exc: Exception) -> CorpusError:
    return CorpusError(
        f"{where}: the plan of an interrupted write is refused ({exc}), so it cannot be completed automatically: "
        "it is left in place, not applied, and nothing was changed. A write of this library never makes such a plan: someone else's folder may carry "
        f"it (a copy, an archive, a pull). Look at {TXN_DIR}/ and delete it if you did not make that write, or "
        "restore the release folder from a complete copy."
    )


def _read_plan(plan_path: Path) -> list[dict[str, str]]:
    raw = read_inside(plan_path.parent.parent, f"{TXN_DIR}/{_PLAN}")  # a regular file, never a link out
    if raw is None:
        raise ValueError("the plan vanished while it was read")
    plan = json.loads(raw.decode("utf-8"))
    if not isinstance(plan, list):
        raise ValueError("not a list of operations")
    for op in plan:
        if not (isinstance(op, dict) and op.get("op") in ("write", "delete")):
            raise ValueError(f"bad operation {op!r}")
        _check_path(op.get("path"))  # never act on a path outside the release folder
    return plan


def _parent(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _folders_of(root: Path, path: str, deleted: set[str] | frozenset[str] = frozenset(), *,
                create: bool = False) -> None:
    """Check the folders ``path`` lies in with :func:`folder_inside`, up to the first one that a
    delete before it removes (a file there becomes a folder after that delete: nothing below it
    exists yet, so nothing there can be followed)."""
    parts = PurePosixPath(path).parts[:-1]
    upto = next((i for i in range(len(parts)) if "/".join(parts[: i + 1]) in deleted), len(parts))
    folder_inside(root, "/".join(parts[:upto]), create=create and upto == len(parts))


def _check_plan(root: Path, plan: list[dict[str, str]]) -> None:
    """Refuse a plan that would act through a symbolic link or a file where a folder should be:
    the folders of every target and of every staged file must be real folders inside ``root``,
    and every staged file a regular file (nothing is moved in from outside)."""
    deleted: set[str] = set()
    for op in plan:
        _folders_of(root, op["path"], deleted)
        if op["op"] == "delete":
            deleted.add(op["path"])
        if op["op"] == "write":
            staged = f"{TXN_DIR}/{_FILES}/{op['path']}"
            folder_inside(root, _parent(staged))
            try:
                mode = os.lstat(root / staged).st_mode
            except FileNotFoundError:
                continue  # already moved into place before a crash
            if not stat.S_ISREG(mode):
                src = root / staged
                raise CorpusIntegrityError(f"{src}: a staged file must be a regular file, not a link, folder or device",
                                           path=staged)


def _apply(root: Path, plan: list[dict[str, str]]) -> None:
    # Idempotent: a staged file that is gone was already moved into place before a crash.
    txn = root / TXN_DIR
    touched = {root}
    for op in plan:
        dst = root / op["path"]
        if op["op"] == "write":
            src = txn / _FILES / op["path"]
            if src.exists():
                folder_inside(root, _parent(op["path"]), create=True)  # never through a link
                os.replace(src, dst)
        else:
            folder_inside(root, _parent(op["path"]))
            try:
                dst.unlink()
            except (FileNotFoundError, NotADirectoryError):
                pass
        touched.update(p for p in dst.parents if p == root or root in p.parents)
    for folder in sorted(touched, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir():  # a delete in a folder that never existed touched nothing
            _fsync_dir(folder)
    shutil.rmtree(txn)
    _fsync_dir(root)


def _apply_error(root: Path, exc: OSError) -> CorpusError:
    return CorpusError(
        f"{root}: the change is committed but could not be applied completely "
        f"({exc.strerror or exc}); it will be completed automatically the next time the release "
        "is opened (after fixing the cause, e.g. freeing disk space)."
    )


def _fsync_dir(path: Path | str) -> None:
    if os.name == "nt":
        return  # folders cannot be opened for fsync on Windows; NTFS journals renames
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # file systems without folder fsync
            raise
    finally:
        os.close(fd)


# -- the bundled copy ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _package_dir() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:  # this module may live in a subpackage
        if parent.name == "caucasus_corpus" and (parent / "__init__.py").is_file():
            return parent
    return here.parent


def _is_installed(root: Path) -> bool:
    resolved = Path(root).resolve()
    package = _package_dir()
    return resolved == package or package in resolved.parents


def refuse_installed(root: Path) -> None:
    """Refuse writes into the release installed inside the package.

    That copy is shared by every project using this installation and is overwritten by the next
    upgrade, so changes there would be silently lost or leak into other work.
    """
    if _is_installed(root):
        raise CorpusError(
            f"{Path(root)}: this is the release bundled with the installed caucasus_corpus package, "
            "which is read-only. Copy it first (e.g. shutil.copytree(src, 'my-release') or "
            "`git clone` the corpus repository) and write into the copy."
        )


# -- transactions --------------------------------------------------------------------------------


def _check_path(path: object) -> str:
    if not isinstance(path, str):
        raise TypeError(f"{path!r}: a path in the release folder must be a str")
    pure = PurePosixPath(path)
    if (
        path.strip() in ("", ".")
        or "\\" in path
        or "\0" in path
        or pure.is_absolute()
        or PureWindowsPath(path).drive
        or ".." in pure.parts
        or str(pure) == "."
    ):
        raise ValueError(
            f"{path!r}: not a file path inside the release folder; use a relative POSIX path "
            "such as 'corpus/articles/x.txt'"
        )
    if pure.parts[0] in (TXN_DIR, LOCK_NAME):
        raise ValueError(f"{path!r}: {pure.parts[0]} belongs to the commit machinery, not to the data")
    return str(pure)


class Transaction:
    """Writes and deletes of files in one release folder, staged and then committed all at once.

    Prefer :func:`transaction`. Used directly, the first write, delete or read takes the write
    lock and :meth:`commit` or :meth:`discard` releases it, so use one Transaction from one thread
    and always finish it.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        refuse_installed(self.root)
        self._ops: dict[str, bool] = {}  # path -> True (write) / False (delete), in staging order
        self._stack: ExitStack | None = None
        self._key: str | None = None
        self._closed = False

    def _begin(self) -> None:
        if self._closed:
            raise CorpusError(f"{self.root}: this transaction is already committed or discarded; start a new one")
        if self._stack is not None:
            return
        stack = ExitStack()
        stack.enter_context(write_lock(self.root))
        key = _key(self.root)
        try:
            with _guard:
                nested = key in _open_txns
            if nested:
                raise CorpusError(
                    f"{self.root}: another transaction on this release folder is still open in this "
                    "process; commit or discard it first (or stage these writes in it)."
                )
            _recover_locked(self.root, key)  # a plan left by a failed apply while the lock stayed held
            with _guard:
                _open_txns.add(key)
        except BaseException:
            stack.close()
            raise
        self._stack, self._key = stack, key

    def _close(self) -> None:
        self._closed = True
        if self._stack is not None:
            with _guard:
                _open_txns.discard(self._key)  # type: ignore[arg-type]
            stack, self._stack = self._stack, None
            stack.close()

    def _staged(self, path: str) -> Path:
        return self.root / TXN_DIR / _FILES / path

    def _stage_failed(self, path: str, exc: OSError) -> CorpusError:
        self.discard()
        return CorpusError(f"{self.root}: could not stage {path}: {exc.strerror or exc}; nothing was changed")

    def _check_write_target(self, path: str) -> None:
        # Caught now, because after the commit point a file/folder clash could never be applied.
        if (self.root / path).is_dir():
            raise ValueError(f"{path!r}: is a folder in {self.root}; only files can be written")
        for parent in PurePosixPath(path).parents:
            name = str(parent)
            if name == ".":
                continue
            on_disk = self.root / name
            if self._ops.get(name) is True or (
                on_disk.exists() and not on_disk.is_dir() and self._ops.get(name) is not False
            ):
                raise ValueError(f"{path!r}: {name!r} is a file, so it cannot also be a folder")
        prefix = path + "/"
        if any(write and p.startswith(prefix) for p, write in self._ops.items()):
            raise ValueError(f"{path!r}: files are staged inside it, so it cannot also be a file")

    def write_bytes(self, path: str, data: bytes) -> None:
        """Stage ``data`` as the new content of ``path`` (relative to the release folder).

        Raises ``CorpusIntegrityError`` when a folder on the way is a symbolic link or a file
        (:func:`~caucasus_corpus.release.safefile.folder_inside`), before anything is staged."""
        path = _check_path(path)
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"{path}: write_bytes takes bytes, not {type(data).__name__}")
        self._begin()
        self._check_write_target(path)
        _folders_of(self.root, path, self._deleted())  # caught now, not after the commit point
        staged = self._staged(path)
        try:
            if staged.is_dir():  # left by deletes staged below this path; nothing is written there
                shutil.rmtree(staged)
            folder_inside(self.root, f"{TXN_DIR}/{_FILES}/{_parent(path)}", create=True)
            with open(staged, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise self._stage_failed(path, exc) from exc
        self._ops[path] = True

    def _deleted(self) -> set[str]:
        return {p for p, write in self._ops.items() if not write}

    def write_text(self, path: str, text: str) -> None:
        """Stage ``text`` as UTF-8, byte for byte (no newline translation, so hashes are portable)."""
        if not isinstance(text, str):
            raise TypeError(f"{path}: write_text takes str, not {type(text).__name__}")
        self.write_bytes(path, text.encode("utf-8"))

    def delete(self, path: str) -> None:
        """Stage the removal of ``path``; removing a file that does not exist is not an error."""
        path = _check_path(path)
        self._begin()
        _folders_of(self.root, path, self._deleted())  # never unlink through a linked folder
        if (self.root / path).is_dir():
            raise ValueError(f"{path!r}: is a folder in {self.root}; only files can be deleted")
        staged = self._staged(path)
        try:
            staged.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise self._stage_failed(path, exc) from exc
        self._ops[path] = False

    def read_bytes(self, path: str) -> bytes | None:
        """The content ``path`` will have after commit (``None``: absent), for read-modify-write.

        Takes the write lock like a write does, so what is read cannot change before the commit.
        """
        path = _check_path(path)
        self._begin()
        if path in self._ops:
            return self._staged(path).read_bytes() if self._ops[path] else None
        _folders_of(self.root, path, self._deleted())  # a missing file behind a link is still refused
        if (self.root / path).is_dir():
            return None
        return read_inside(self.root, path)  # only a regular file inside the folder

    @property
    def paths(self) -> list[str]:
        """Every staged path, in the order it was first staged."""
        return list(self._ops)

    def _plan(self) -> list[dict[str, str]]:
        # The manifest goes last: until it is replaced, its hashes describe the old data.
        order = [p for p in self._ops if p != _MANIFEST] + [p for p in self._ops if p == _MANIFEST]
        return [{"op": "write" if self._ops[p] else "delete", "path": p} for p in order]

    def _check_same_device(self, txn: Path) -> None:
        # os.replace cannot cross file systems; finding that out after the commit point would
        # leave a plan that can never be applied.
        device = os.stat(txn).st_dev
        for path, write in self._ops.items():
            if not write:
                continue
            folder = (self.root / path).parent
            while not folder.exists():
                folder = folder.parent
            if os.stat(folder).st_dev != device:
                raise CorpusError(
                    f"{self.root}: {path} is on a different file system from the release folder, "
                    "so it cannot be replaced atomically; nothing was changed"
                )

    def commit(self) -> None:
        """Apply every staged change, so that a crash at any moment leaves all or none of them."""
        if self._closed:
            raise CorpusError(f"{self.root}: this transaction is already committed or discarded; start a new one")
        try:
            if not self._ops:
                return
            txn = self.root / TXN_DIR
            plan = self._plan()
            try:
                folder_inside(self.root, TXN_DIR, create=True)  # a transaction of deletes only has staged nothing yet
                self._check_same_device(txn)
                for folder, _, _ in os.walk(txn, topdown=False):
                    _fsync_dir(folder)  # the staged files' names must survive a power cut too
                _fsync_dir(self.root)
                tmp = txn / (_PLAN + ".tmp")
                with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                    json.dump(plan, f, indent=1)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, txn / _PLAN)  # the commit point
            except OSError as exc:
                raise self._stage_failed(f"{TXN_DIR}/{_PLAN}", exc) from exc
            except BaseException:
                self.discard()
                raise
            with _guard:
                _open_txns.discard(self._key)  # type: ignore[arg-type]  # committed: recover may finish it
            try:
                _fsync_dir(txn)
                _apply(self.root, plan)
            except OSError as exc:
                raise _apply_error(self.root, exc) from exc
        finally:
            self._close()

    def discard(self) -> None:
        """Throw away everything staged; the release folder is left exactly as it was."""
        if self._closed:
            return
        try:
            if self._stack is not None:
                # Leftovers are harmless: without a plan the next open discards them.
                shutil.rmtree(self.root / TXN_DIR, ignore_errors=True)
        finally:
            self._close()


@contextmanager
def transaction(root: Path, *, timeout: float = 30.0) -> Iterator[Transaction]:
    """Stage changes to a release folder in the ``with`` block; commit them all when it ends.

    An exception in the block discards everything staged and propagates; nothing in ``root``
    changes before the commit.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> with transaction(root) as txn:
    ...     txn.write_text("corpus/a.txt", "one\\n")
    ...     txn.write_text("datapackage.json", "{}\\n")
    >>> (root / "corpus" / "a.txt").read_text()
    'one\\n'
    >>> shutil.rmtree(root)
    """
    root = Path(root)
    refuse_installed(root)
    with write_lock(root, timeout=timeout):
        txn = Transaction(root)
        try:
            yield txn
        except BaseException:
            txn.discard()
            raise
        txn.commit()
