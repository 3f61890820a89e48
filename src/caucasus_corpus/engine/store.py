"""A saved token index: the engine's arrays as ``.npy`` files, memory-mapped when reopened.

An index is saved in a folder named by the corpus's fingerprint (a hash of every article id and
text, the token pattern, the index format and the versions of the ``regex`` engine and of Unicode
that tokenising depends on), so a changed text, id or rule gives a new folder and the old index
is never used for it. ``manifest.json`` lists the size and CRC-32 of every file; a file that is
missing, truncated or altered fails the check and the index is rebuilt, never trusted. A save is
written in a temporary folder and renamed into place, so a crash leaves no half-written index.

The default place is the user's cache folder (``platformdirs.user_cache_dir("caucasus-corpus")``,
``~/.cache/caucasus-corpus`` on Linux), or the folder in ``CAUCASUS_CORPUS_INDEX_CACHE`` (``off``
saves none); never the installed package. A corpus saves its index there by default only when it
holds at least ``numpy_index.CACHE_FROM_CHARS`` characters.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import shutil
import unicodedata
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..text.rules import TOKEN_PATTERN

FORMAT = 2  # 2: no per-token article numbers (found from where each article starts)


def default_folder() -> Path:
    """Where indexes are saved unless a folder is given: ``CAUCASUS_CORPUS_INDEX_CACHE`` or the
    user's cache folder."""
    env = os.environ.get("CAUCASUS_CORPUS_INDEX_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("caucasus-corpus")) / "index"


def fingerprint(texts: Mapping[str, str]) -> str:
    """A hash of the texts, their ids and everything tokenising depends on."""
    import regex

    # sha256 runs in the CPU's SHA instructions where it has them: the fastest of hashlib's here.
    h = hashlib.sha256()
    h.update(f"{FORMAT}\0{TOKEN_PATTERN}\0{regex.__version__}\0{unicodedata.unidata_version}\0".encode())
    for aid, text in texts.items():
        data = text.encode("utf-8", "surrogatepass")
        h.update(f"{len(aid)}:{aid}{len(data)}:".encode("utf-8", "surrogatepass"))
        h.update(data)
    return h.hexdigest()


def _crc(path: Path) -> int:
    """CRC-32 of the file's bytes, computed in C over the memory-mapped file (no copy is read)."""
    with path.open("rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return zlib.crc32(b"")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return zlib.crc32(mapped)


def save(folder: Path, key: str, arrays: Mapping[str, np.ndarray], vocab: list[str]) -> None:
    """Write the arrays and the vocabulary into ``folder`` (atomically: temp folder, rename)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        blob = "\0".join(vocab).encode("utf-8", "surrogatepass")
        sizes = np.fromiter((len(v.encode("utf-8", "surrogatepass")) for v in vocab), dtype=np.int64, count=len(vocab))
        files = {**arrays, "vocab_sizes": sizes}
        for name, values in files.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(values), allow_pickle=False)
        (tmp / "vocab.bin").write_bytes(blob)
        listing = {p.name: [p.stat().st_size, _crc(p)] for p in sorted(tmp.iterdir())}
        (tmp / "manifest.json").write_text(json.dumps({"format": FORMAT, "key": key, "files": listing}))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load(folder: Path, key: str, names: tuple[str, ...]) -> tuple[dict[str, np.ndarray], list[str]] | None:
    """The saved arrays (memory-mapped, read-only) and vocabulary, or None when the folder holds
    no complete, unaltered index for ``key`` (a broken one is removed so it can be rebuilt)."""
    if not (folder / "manifest.json").is_file():
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        listing = manifest["files"]
        if manifest.get("format") != FORMAT or manifest.get("key") != key:
            raise ValueError("another format or corpus")
        if set(listing) != {f"{n}.npy" for n in (*names, "vocab_sizes")} | {"vocab.bin"}:
            raise ValueError("files missing or extra")
        for name, (size, crc) in listing.items():
            path = folder / name
            if path.stat().st_size != size or _crc(path) != crc:
                raise ValueError(f"{name} is truncated or altered")
        arrays = {n: np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in names}
        sizes = np.load(folder / "vocab_sizes.npy", allow_pickle=False)
        blob = (folder / "vocab.bin").read_bytes()
        vocab = blob.decode("utf-8", "surrogatepass").split("\0") if len(sizes) else []
        # "\0" can be a token of its own: rejoin pieces by the saved byte sizes when it is.
        if len(vocab) != len(sizes):
            vocab, at = [], 0
            for n in sizes.tolist():
                vocab.append(blob[at : at + n].decode("utf-8", "surrogatepass"))
                at += n + 1
        return arrays, vocab
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
