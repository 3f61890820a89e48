"""The commit protocol: all-or-nothing writes, one lock per release folder, no writes into the package.

The kill test at the end is the one that matters most: it SIGKILLs a writer at random moments and
checks that the next open always finds a complete generation of a small release.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

import caucasus_corpus
from caucasus_corpus.release.commit import (
    LOCK_NAME,
    TXN_DIR,
    ReleaseBusyError,
    Transaction,
    read_lock,
    recover,
    refuse_installed,
    transaction,
    write_lock,
)
from caucasus_corpus.errors import CorpusError

PACKAGE_DIR = Path(caucasus_corpus.__file__).resolve().parent
SRC = PACKAGE_DIR.parent  # what a child process needs on PYTHONPATH to import this same code
POSIX = os.name == "posix"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every file under root (hidden ones too), except the lock file."""
    return {
        p.relative_to(root).as_posix(): sha(p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def hidden_entries(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob(".*")}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "release"
    (r / "corpus").mkdir(parents=True)
    (r / "annotations").mkdir()
    (r / "corpus" / "a.txt").write_bytes(b"old a\n")
    (r / "annotations" / "b.jsonl").write_bytes(b'{"old": "b"}\n')
    (r / "corpus" / "gone.txt").write_bytes(b"to be deleted\n")
    (r / "datapackage.json").write_bytes(b'{"version": "1.0.0"}\n')
    return r


def env_for_child() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    return env


# -- commit and discard --------------------------------------------------------------------------


def test_commit_writes_deletes_and_creates_folders(root: Path) -> None:
    with transaction(root) as txn:
        txn.write_bytes("corpus/a.txt", b"new a\n")
        txn.write_text("corpus/deep/er/c.txt", "line one\r\nline two\n")  # exactly as given
        txn.delete("corpus/gone.txt")
        txn.delete("corpus/never-existed.txt")  # not an error
        txn.write_text("datapackage.json", '{"version": "1.1.0"}\n')

    assert (root / "corpus" / "a.txt").read_bytes() == b"new a\n"
    assert (root / "corpus" / "deep" / "er" / "c.txt").read_bytes() == b"line one\r\nline two\n"
    assert not (root / "corpus" / "gone.txt").exists()
    assert (root / "annotations" / "b.jsonl").read_bytes() == b'{"old": "b"}\n'
    assert (root / "datapackage.json").read_bytes() == b'{"version": "1.1.0"}\n'
    assert set(snapshot(root)) == {
        "corpus/a.txt",
        "corpus/deep/er/c.txt",
        "annotations/b.jsonl",
        "datapackage.json",
    }
    assert hidden_entries(root) == {LOCK_NAME}


def test_nothing_changes_before_commit(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    with transaction(root) as txn:
        txn.write_bytes("corpus/a.txt", b"new")
        txn.delete("annotations/b.jsonl")
        txn.write_bytes("corpus/new.txt", b"new")
        staged = snapshot(root)
        assert {k: v for k, v in staged.items() if not k.startswith(TXN_DIR)} == before
    assert snapshot(root) != before

    Transaction(tmp_path / "not-yet")  # construction alone touches nothing
    assert not (tmp_path / "not-yet").exists()


def test_exception_in_block_leaves_every_file_identical(root: Path) -> None:
    before = snapshot(root)
    with pytest.raises(RuntimeError, match="changed my mind"):
        with transaction(root) as txn:
            txn.write_bytes("corpus/a.txt", b"new a")
            txn.write_bytes("corpus/sub/new.txt", b"new file")
            txn.delete("corpus/gone.txt")
            txn.write_text("datapackage.json", "{}")
            raise RuntimeError("changed my mind")
    assert snapshot(root) == before
    assert hidden_entries(root) == {LOCK_NAME}
    assert not (root / "corpus" / "sub").exists()


def test_staging_failure_is_a_corpus_error_and_changes_nothing(root: Path, monkeypatch) -> None:
    before = snapshot(root)
    real_fsync = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second staged file
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(CorpusError) as info:
        with transaction(root) as txn:
            txn.write_bytes("corpus/a.txt", b"new a")
            txn.write_bytes("annotations/b.jsonl", b"new b")
            txn.write_text("datapackage.json", "{}")
    monkeypatch.undo()

    message = str(info.value)
    assert str(root) in message and "could not stage annotations/b.jsonl" in message
    assert os.strerror(errno.ENOSPC) in message and "nothing was changed" in message
    assert isinstance(info.value.__cause__, OSError) and info.value.__cause__.errno == errno.ENOSPC
    assert snapshot(root) == before
    assert hidden_entries(root) == {LOCK_NAME}
    with transaction(root, timeout=0.5) as txn:  # the lock was released
        txn.write_bytes("corpus/a.txt", b"after")
    assert (root / "corpus" / "a.txt").read_bytes() == b"after"


READ_ONLY_CHECK = textwrap.dedent("""
    import sys
    from pathlib import Path
    from caucasus_corpus.errors import CorpusError
    from caucasus_corpus.release.commit import read_lock, transaction
    root = Path(sys.argv[1])
    if len(sys.argv) > 2:  # started as root: become nobody once everything is imported
        import os
        os.setgid(65534)
        os.setuid(65534)
    try:
        with transaction(root) as txn:
            txn.write_bytes("corpus/a.txt", b"new")
    except CorpusError as exc:
        assert "nothing was changed" in str(exc), exc
    else:
        raise AssertionError("a write into a read-only folder did not fail")
    with read_lock(root):  # reading a read-only release still works
        pass
    print("ok")
""")


@pytest.mark.skipif(not POSIX, reason="needs POSIX permissions")
def test_read_only_folder_is_a_corpus_error(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Root may write anywhere, so as root (CI, containers) the check runs as the user nobody on a
    # folder that nobody can read but not write; otherwise as this user on a chmod 555 folder.
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="cc-read-only-"))
    try:
        base.chmod(0o755)
        root = base / "release"
        (root / "corpus").mkdir(parents=True)
        (root / "corpus" / "a.txt").write_bytes(b"old a\n")
        (root / "datapackage.json").write_bytes(b'{"version": "1.0.0"}\n')
        with transaction(root) as txn:  # so that a lock file exists and staging is what fails
            txn.write_bytes("corpus/a.txt", b"a")
        for p in [root, *root.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        before = snapshot(root)
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        if os.geteuid() == 0:
            out = subprocess.run([sys.executable, "-c", READ_ONLY_CHECK, str(root), "as-nobody"], capture_output=True,
                                 text=True, env=env, timeout=120, cwd=base)
        else:
            root.chmod(0o555)
            try:
                out = subprocess.run([sys.executable, "-c", READ_ONLY_CHECK, str(root)], capture_output=True,
                                     text=True, env=env, timeout=120)
            finally:
                root.chmod(0o755)
        assert out.returncode == 0 and out.stdout.strip() == "ok", out.stdout + out.stderr
        assert snapshot(root) == before
    finally:
        import shutil

        shutil.rmtree(base, ignore_errors=True)


def test_read_bytes_shows_the_state_after_commit_and_paths_keep_staging_order(root: Path) -> None:
    with transaction(root) as txn:
        assert txn.read_bytes("corpus/a.txt") == b"old a\n"
        assert txn.read_bytes("corpus/missing.txt") is None
        txn.write_bytes("corpus/z.txt", b"z")
        txn.delete("corpus/a.txt")
        txn.write_bytes("annotations/b.jsonl", b"b1")
        txn.write_bytes("corpus/z.txt", b"z2")  # re-staging keeps the first position
        assert txn.read_bytes("corpus/z.txt") == b"z2"
        assert txn.read_bytes("corpus/a.txt") is None
        assert txn.read_bytes("annotations/b.jsonl") == b"b1"
        assert txn.paths == ["corpus/z.txt", "corpus/a.txt", "annotations/b.jsonl"]
        txn.write_bytes("corpus/a.txt", b"back")
        assert txn.read_bytes("corpus/a.txt") == b"back"
    assert (root / "corpus" / "z.txt").read_bytes() == b"z2"
    assert (root / "corpus" / "a.txt").read_bytes() == b"back"


@pytest.mark.parametrize(
    "bad",
    ["", ".", "./", "/etc/passwd", "../outside.txt", "corpus/../../x", "a\\b", "C:/x",
     TXN_DIR, f"{TXN_DIR}/plan.json", LOCK_NAME],
)
def test_bad_paths_are_refused(root: Path, bad: str) -> None:
    txn = Transaction(root)
    for stage in (lambda: txn.write_bytes(bad, b"x"), lambda: txn.delete(bad), lambda: txn.read_bytes(bad)):
        with pytest.raises(ValueError) as info:
            stage()
        assert repr(bad) in str(info.value)
    txn.discard()
    assert not (root / LOCK_NAME).exists() and not (root / TXN_DIR).exists()


def test_file_and_folder_clashes_are_refused_before_commit(root: Path) -> None:
    with transaction(root) as txn:
        with pytest.raises(ValueError, match="is a file"):
            txn.write_bytes("corpus/a.txt/inner.txt", b"x")
        with pytest.raises(ValueError, match="is a folder"):
            txn.write_bytes("corpus", b"x")
        with pytest.raises(ValueError, match="is a folder"):
            txn.delete("annotations")
        txn.write_bytes("new/inner.txt", b"x")
        with pytest.raises(ValueError, match="staged inside it"):
            txn.write_bytes("new", b"x")
        txn.delete("corpus/gone.txt")
        txn.write_bytes("corpus/gone.txt/now-a-folder.txt", b"ok")  # allowed once the file is deleted
    assert (root / "corpus" / "gone.txt" / "now-a-folder.txt").read_bytes() == b"ok"
    assert (root / "new" / "inner.txt").read_bytes() == b"x"


def test_a_finished_transaction_cannot_be_reused(root: Path) -> None:
    txn = Transaction(root)
    txn.write_bytes("corpus/a.txt", b"1")
    txn.commit()
    with pytest.raises(CorpusError, match="already committed"):
        txn.write_bytes("corpus/a.txt", b"2")
    with pytest.raises(CorpusError, match="already committed"):
        txn.commit()
    txn.discard()  # harmless
    assert (root / "corpus" / "a.txt").read_bytes() == b"1"


# -- recovery ------------------------------------------------------------------------------------


class ApplyCrash:
    """os.replace that lets the plan and the first ``n_ok`` applied files through, then fails."""

    def __init__(self, n_ok: int) -> None:
        self.n_ok = n_ok
        self.applied: list[str] = []
        self.real = os.replace

    def __call__(self, src, dst) -> None:  # type: ignore[no-untyped-def]
        if Path(dst).name != "plan.json":
            if len(self.applied) >= self.n_ok:
                raise OSError(errno.EIO, "simulated I/O error")
            self.applied.append(Path(dst).name)
        self.real(src, dst)


def stage_standard(txn: Transaction) -> None:
    # The manifest is staged FIRST on purpose: it must still be applied last.
    txn.write_text("datapackage.json", '{"version": "2.0.0"}\n')
    txn.write_bytes("corpus/a.txt", b"new a\n")
    txn.delete("corpus/gone.txt")
    txn.write_bytes("annotations/b.jsonl", b'{"new": "b"}\n')


def assert_new_state(root: Path) -> None:
    assert (root / "datapackage.json").read_bytes() == b'{"version": "2.0.0"}\n'
    assert (root / "corpus" / "a.txt").read_bytes() == b"new a\n"
    assert not (root / "corpus" / "gone.txt").exists()
    assert (root / "annotations" / "b.jsonl").read_bytes() == b'{"new": "b"}\n'
    assert not (root / TXN_DIR).exists()


@pytest.mark.parametrize("n_ok", [0, 1, 2])
def test_manifest_is_applied_last_and_a_partial_apply_rolls_forward(root: Path, monkeypatch, n_ok: int) -> None:
    crash = ApplyCrash(n_ok)
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(CorpusError) as info:
        with transaction(root) as txn:
            stage_standard(txn)
    monkeypatch.undo()

    message = str(info.value)
    assert "committed" in message and "completed automatically the next time" in message
    assert isinstance(info.value.__cause__, OSError)
    plan = json.loads((root / TXN_DIR / "plan.json").read_text(encoding="utf-8"))
    assert plan == [
        {"op": "write", "path": "corpus/a.txt"},
        {"op": "delete", "path": "corpus/gone.txt"},
        {"op": "write", "path": "annotations/b.jsonl"},
        {"op": "write", "path": "datapackage.json"},
    ]
    assert crash.applied == ["a.txt", "b.jsonl"][:n_ok]
    # Half applied, but the manifest is still the old one, so nothing claims the new hashes yet.
    assert (root / "datapackage.json").read_bytes() == b'{"version": "1.0.0"}\n'
    assert (root / "corpus" / "a.txt").read_bytes() == (b"new a\n" if n_ok >= 1 else b"old a\n")

    assert recover(root) == "rolled forward"
    assert_new_state(root)
    assert recover(root) is None


def test_write_lock_and_read_lock_roll_a_committed_plan_forward(root: Path, monkeypatch) -> None:
    for opener in (write_lock, read_lock):
        monkeypatch.setattr(os, "replace", ApplyCrash(1))
        with pytest.raises(CorpusError):
            with transaction(root) as txn:
                stage_standard(txn)
        monkeypatch.undo()
        assert (root / TXN_DIR / "plan.json").exists()
        with opener(root):
            assert_new_state(root)
        (root / "datapackage.json").write_bytes(b'{"version": "1.0.0"}\n')  # reset for the next round
        (root / "corpus" / "gone.txt").write_bytes(b"to be deleted\n")


def test_recover_discards_staging_without_a_plan(root: Path) -> None:
    before = snapshot(root)
    staged = root / TXN_DIR / "files" / "corpus"
    staged.mkdir(parents=True)
    (staged / "a.txt").write_bytes(b"staged but never committed")
    (root / TXN_DIR / "plan.json.tmp").write_text("[{\"op\": \"wri")  # killed while writing the plan
    assert recover(root) == "discarded"
    assert not (root / TXN_DIR).exists()
    assert snapshot(root) == before
    assert recover(root) is None


def test_recover_refuses_a_plan_that_points_outside_the_release(root: Path, tmp_path: Path) -> None:
    (root / TXN_DIR / "files").mkdir(parents=True)
    (root / TXN_DIR / "plan.json").write_text(json.dumps([{"op": "delete", "path": "../outside.txt"}]))
    (tmp_path / "outside.txt").write_text("keep me")
    with pytest.raises(CorpusError, match="cannot be completed automatically"):
        recover(root)
    assert (tmp_path / "outside.txt").read_text() == "keep me"


# -- locking -------------------------------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from caucasus_corpus.release.commit import read_lock, write_lock

    lock = write_lock if sys.argv[2] == "write" else read_lock
    with lock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.read()  # hold the lock until the parent closes stdin
    """
)


def start_holder(root: Path, mode: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env_for_child(),
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked", "the child could not take the lock"
    return child


def test_second_process_times_out_then_waits_for_the_first(root: Path) -> None:
    child = start_holder(root, "write")
    try:
        t0 = time.monotonic()
        with pytest.raises(ReleaseBusyError) as info:
            with write_lock(root, timeout=0.3):
                pass
        assert time.monotonic() - t0 >= 0.25
        assert isinstance(info.value, TimeoutError) and isinstance(info.value, CorpusError)
        assert f"process {child.pid}" in str(info.value) and str(root) in str(info.value)
        with pytest.raises(ReleaseBusyError, match=f"process {child.pid}"):
            with read_lock(root, timeout=0.2):  # readers wait for writers too
                pass
        with pytest.raises(ReleaseBusyError):
            with transaction(root, timeout=0.2) as txn:
                txn.write_bytes("corpus/a.txt", b"must not land")

        threading.Timer(0.4, child.stdin.close).start()  # type: ignore[union-attr]
        t0 = time.monotonic()
        with transaction(root, timeout=20) as txn:  # waits until the child lets go
            txn.write_bytes("corpus/a.txt", b"second writer")
        assert time.monotonic() - t0 >= 0.3
    finally:
        child.kill()
        child.wait()
    assert (root / "corpus" / "a.txt").read_bytes() == b"second writer"


def test_a_killed_holder_does_not_leave_a_stale_lock(root: Path) -> None:
    child = start_holder(root, "write")
    child.send_signal(signal.SIGKILL if POSIX else signal.SIGTERM)
    child.wait()
    with write_lock(root, timeout=2):
        pass


def test_a_reader_process_keeps_writers_out_but_not_readers(root: Path) -> None:
    child = start_holder(root, "read")
    try:
        with pytest.raises(ReleaseBusyError, match="pid unknown"):
            with write_lock(root, timeout=0.2):
                pass
        if POSIX:  # no shared locks on Windows
            with read_lock(root, timeout=1):
                pass
    finally:
        child.kill()
        child.wait()


def test_two_threads_exclude_each_other(root: Path) -> None:
    (root / "counter").write_text("0")
    errors: list[BaseException] = []

    def bump(times: int) -> None:
        try:
            for _ in range(times):
                with transaction(root, timeout=20) as txn:
                    n = int(txn.read_bytes("counter"))  # type: ignore[arg-type]
                    time.sleep(0.002)  # a lost update would show without the lock
                    txn.write_text("counter", str(n + 1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(15,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert (root / "counter").read_text() == "45"


def test_another_thread_times_out_with_a_clear_error(root: Path) -> None:
    held, done = threading.Event(), threading.Event()

    def hold(lock) -> None:  # type: ignore[no-untyped-def]
        with lock(root):
            held.set()
            done.wait(10)

    for holder_lock, waiter_lock, excluded in [
        (write_lock, write_lock, True),
        (write_lock, read_lock, True),
        (read_lock, write_lock, True),
        (read_lock, read_lock, False),
    ]:
        held.clear()
        done.clear()
        t = threading.Thread(target=hold, args=(holder_lock,))
        t.start()
        try:
            assert held.wait(10)
            if excluded:
                with pytest.raises(ReleaseBusyError, match="another thread of this process"):
                    with waiter_lock(root, timeout=0.1):
                        pass
            else:
                with waiter_lock(root, timeout=1):
                    pass
        finally:
            done.set()
            t.join()


def test_locks_are_reentrant_within_a_thread(root: Path) -> None:
    with write_lock(root):
        with write_lock(root, timeout=0):
            with read_lock(root, timeout=0):  # a writer can validate what it writes
                with transaction(root, timeout=0) as txn:
                    txn.write_bytes("corpus/a.txt", b"nested")
    assert (root / "corpus" / "a.txt").read_bytes() == b"nested"
    with read_lock(root):
        with read_lock(root):
            pass
        with pytest.raises(CorpusError, match="cannot be upgraded"):
            with write_lock(root):
                pass
    with write_lock(root, timeout=0):  # everything was released
        pass


def test_nested_transactions_are_refused_and_the_outer_one_survives(root: Path) -> None:
    with transaction(root) as outer:
        outer.write_bytes("corpus/a.txt", b"outer")
        with pytest.raises(CorpusError, match="another transaction"):
            with transaction(root) as inner:
                inner.write_bytes("annotations/b.jsonl", b"inner")
        assert (root / TXN_DIR / "files" / "corpus" / "a.txt").read_bytes() == b"outer"
        outer.write_bytes("corpus/c.txt", b"outer too")
    assert (root / "corpus" / "a.txt").read_bytes() == b"outer"
    assert (root / "corpus" / "c.txt").read_bytes() == b"outer too"
    assert (root / "annotations" / "b.jsonl").read_bytes() == b'{"old": "b"}\n'
    assert hidden_entries(root) == {LOCK_NAME}


def test_a_bare_transaction_releases_the_lock_when_finished(root: Path) -> None:
    txn = Transaction(root)
    txn.write_bytes("corpus/a.txt", b"bare")
    result: list[object] = []

    def try_lock() -> None:
        try:
            with write_lock(root, timeout=0.05):
                result.append("locked")
        except ReleaseBusyError as exc:
            result.append(exc)

    t = threading.Thread(target=try_lock)
    t.start()
    t.join()
    assert isinstance(result[0], ReleaseBusyError)  # held from the first write ...
    txn.commit()
    t = threading.Thread(target=try_lock)
    t.start()
    t.join()
    assert result[1] == "locked"  # ... until the commit


# -- the bundled release -------------------------------------------------------------------------


def test_refuse_installed(tmp_path: Path) -> None:
    for inside in (PACKAGE_DIR / "_data", PACKAGE_DIR, PACKAGE_DIR / "_data" / "corpus"):
        with pytest.raises(CorpusError, match="read-only. Copy it first"):
            refuse_installed(inside)
    refuse_installed(tmp_path)
    refuse_installed(SRC.parent)  # a source checkout's own release is writable

    link = tmp_path / "link"
    link.symlink_to(PACKAGE_DIR, target_is_directory=True)
    with pytest.raises(CorpusError):
        refuse_installed(link / "_data")
    with pytest.raises(CorpusError):
        with transaction(link / "_data"):
            pass
    with pytest.raises(CorpusError):
        Transaction(PACKAGE_DIR / "_data")


def test_read_lock_inside_the_package_creates_no_lock_file() -> None:
    folder = PACKAGE_DIR / "analysis" / "stopwords"
    assert folder.is_dir()
    with read_lock(folder):
        pass
    assert not (folder / LOCK_NAME).exists()


# -- the kill test -------------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import hashlib, json, random, sys
    from pathlib import Path
    from caucasus_corpus.release.commit import transaction

    root, rng = Path(sys.argv[1]), random.Random(int(sys.argv[2]))

    def content(name, gen):
        size = int(1024 * 2 ** rng.uniform(0, 11))  # 1 KB .. 2 MB
        line = f"{name} generation {gen}\\n".encode()
        return (line * (size // len(line) + 1))[:size]

    while True:
        with transaction(root) as txn:
            old = json.loads(txn.read_bytes("datapackage.json"))
            gen = old["generation"] + 1
            files = {name: content(name, gen) for name in ("corpus/a.txt", "annotations/b.jsonl")}
            if gen % 3:  # a file that comes and goes, so deletes are tested too
                files[f"corpus/extra/{gen}.txt"] = content("extra", gen)
            manifest = {"generation": gen,
                        "resources": {p: hashlib.sha256(b).hexdigest() for p, b in files.items()}}
            order = [*files, "datapackage.json"]
            rng.shuffle(order)  # the manifest is staged anywhere, and must still land last
            for path in order:
                if path == "datapackage.json":
                    txn.write_text(path, json.dumps(manifest, indent=1))
                else:
                    txn.write_bytes(path, files[path])
            for path in old["resources"]:
                if path not in files:
                    txn.delete(path)
    """
)


def complete_generation(root: Path) -> int:
    """The manifest's generation, after checking it describes exactly the data files on disk."""
    manifest = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    data_files = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    } - {"datapackage.json"}
    assert data_files == set(manifest["resources"]), f"generation {manifest['generation']}"
    for path, digest in manifest["resources"].items():
        assert sha((root / path).read_bytes()) == digest, f"{path} in generation {manifest['generation']}"
    return manifest["generation"]


@pytest.mark.slow
@pytest.mark.skipif(not POSIX, reason="SIGKILL")
def test_sigkill_at_any_moment_leaves_a_complete_generation(tmp_path: Path) -> None:
    trials = 40
    root = tmp_path / "release"
    (root / "corpus").mkdir(parents=True)
    (root / "annotations").mkdir()
    resources = {}
    for name in ("corpus/a.txt", "annotations/b.jsonl"):
        (root / name).write_bytes(b"generation 0\n")
        resources[name] = sha(b"generation 0\n")
    (root / "datapackage.json").write_text(json.dumps({"generation": 0, "resources": resources}))
    script = tmp_path / "writer.py"
    script.write_text(WRITER)

    rng = random.Random(1_729)
    seen: Counter[str] = Counter()
    generation = 0
    started = time.monotonic()
    for trial in range(trials):
        stderr = tmp_path / f"writer-{trial}.err"
        with open(stderr, "wb") as err:
            child = subprocess.Popen(
                [sys.executable, str(script), str(root), str(trial)], env=env_for_child(), stderr=err
            )
        # Early kills land in interpreter start-up and the first staging; later ones anywhere in
        # the loop (staging, the commit point, applying).
        time.sleep(rng.uniform(0.003, 0.12) if rng.random() < 0.3 else rng.uniform(0.12, 1.5))
        assert child.poll() is None, f"the writer died by itself:\n{stderr.read_text()}"
        child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL

        txn = root / TXN_DIR
        if (txn / "plan.json").exists():
            seen["committed, not applied"] += 1
        else:
            seen["staging" if txn.exists() else "between transactions"] += 1
        with read_lock(root):
            now = complete_generation(root)
        assert not txn.exists()
        assert hidden_entries(root) <= {LOCK_NAME}
        assert now >= generation, "a committed generation was lost"
        generation = now

    elapsed = time.monotonic() - started
    print(f"\n{trials} kills in {elapsed:.1f} s; reached generation {generation}; kill landed: {dict(seen)}")
    assert generation > 0  # the writers made progress between kills
    assert seen["staging"] + seen["committed, not applied"] > 0  # kills did land mid-transaction
