"""``load()``: one call from a release folder (or the bundled release) to a :class:`Corpus`."""

from __future__ import annotations

import gc
from pathlib import Path

from ..model.articles import articles_frame
from ..model.corpus import Corpus
from .check import check_release
from .commit import read_lock
from .manifest import read_manifest, resolve_root


def load(path: str | Path | None = None) -> Corpus:
    """Load a corpus release into pandas, checking every file's sha256 and every record.

    ``path`` is a release folder (the one holding ``datapackage.json``) or that file itself;
    None loads the release bundled with the package.

    Raises ``CorpusNotFoundError`` when the folder or manifest is missing, ``CorpusFormatError``
    when a file cannot be parsed, ``CorpusIntegrityError`` (naming the file) when a byte changed
    or a listed file is missing, and ``CorpusValidationError`` listing every broken record.
    These are the problems ``caucasus-corpus validate`` reports: both run one checker. The JSON
    Schema pass is skipped when the same bytes passed the whole check before (remembered in the
    user's cache folder, see :mod:`caucasus_corpus.release.checkcache`); the sha256 of every file
    and every other check run on every load.

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> corpus.articles.loc[0, ["article_id", "outlet"]].tolist()
    ['commonspace-2017-05-17-azerbaijan-russia-low-point', 'commonspace.eu']
    """
    root = resolve_root(path)
    # pandas (needed for the articles table below) is imported before the records are parsed:
    # its import allocates enough to set off two more passes of the garbage collector over
    # every parsed record (0.3 s for 200,000 records) when it comes after them.
    import pandas  # noqa: F401

    # Python's cyclic garbage collector would walk the parsed records again and again while a
    # large release is read (a third of the time); nothing built here holds a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with read_lock(root):
            manifest = read_manifest(root)
            checked = check_release(manifest, remembered=True)
    finally:
        if enabled:
            gc.enable()
    checked.raise_first()
    annotations = checked.annotations
    return Corpus(
        articles=articles_frame([row for _line, row in checked.rows], checked.texts),
        texts=checked.texts,
        version=manifest.version,
        fingerprint=manifest.fingerprint,
        root=root,
        annotations=annotations if annotations.actors else None,
    )
