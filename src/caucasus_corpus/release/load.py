"""``load()``: one call from a release folder (or the bundled release) to a :class:`Corpus`."""

from __future__ import annotations

import gc
from pathlib import Path

from ..model.articles import articles_frame
from ..model.corpus import Corpus
from .check import check_release
from .commit import read_lock
from .manifest import read_manifest, resolve_root
from .withheld import hydrate_hint, is_withheld


def load(path: str | Path | None = None, *, texts: bool = True) -> Corpus:
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

    ``texts=False`` loads the metadata and annotations without the article texts: offsets are
    kept, the ``text`` and ``cue`` columns are empty, ``n_chars`` still gives each text's length,
    and counts, claim frequencies, stance matrices and networks work; ``text()``, ``tokens``,
    ``kwic``, ``frequency`` and everything else that reads the texts raise ``TextsWithheldError``.
    It is the way to read a release published without its texts (``caucasus-corpus publish
    --without-texts``), which ``load()`` with texts refuses, naming ``caucasus-corpus hydrate``.

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> corpus.articles.loc[0, ["article_id", "outlet"]].tolist()
    ['commonspace-2017-05-17-azerbaijan-russia-low-point', 'commonspace.eu']
    """
    if not isinstance(texts, bool):
        raise ValueError(f"texts must be True or False, not {texts!r}")
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
    withheld = is_withheld(manifest.descriptor)
    if withheld and texts:
        from ..errors import TextsWithheldError

        raise TextsWithheldError(
            f"{root}: this release was published without its article texts; {hydrate_hint(root)}, or load "
            "its metadata and annotations alone with caucasus_corpus.load(path, texts=False)")
    checked.raise_first()
    annotations = checked.annotations
    if not texts:
        return _without_texts(checked, manifest, root)
    return Corpus(
        articles=articles_frame([row for _line, row in checked.rows], checked.texts),
        texts=checked.texts,
        version=manifest.version,
        fingerprint=manifest.fingerprint,
        root=root,
        annotations=annotations if annotations.actors else None,
    )


def _without_texts(checked, manifest, root: Path) -> Corpus:  # type: ignore[no-untyped-def]
    """The corpus of a checked release without its texts: records keep their offsets, their quotes
    are empty (None), and each article keeps its length (from the withheld listing when the
    folder has no texts)."""
    from .withheld import comparable_record

    if checked.withheld is not None:
        lengths = {aid: t.chars for aid, t in checked.withheld.items()}
    else:
        lengths = {aid: len(t) for aid, t in checked.texts.items()}
    annotations = checked.annotations
    if annotations.actors:
        annotations.records = [_quoteless(comparable_record(r)) for r in annotations.records]
    ids = [row["article_id"] for _line, row in checked.rows]
    articles = articles_frame([row for _line, row in checked.rows], {aid: "" for aid in ids})
    articles["n_chars"] = [lengths[aid] for aid in articles["article_id"]]
    articles["n_chars"] = articles["n_chars"].astype("int64")
    return Corpus(
        articles=articles,
        texts={aid: "" for aid in ids},
        version=manifest.version,
        fingerprint=manifest.fingerprint,
        root=root,
        annotations=annotations if annotations.actors else None,
        texts_withheld=True,
    )


def _quoteless(record: dict) -> dict:
    """A record as a corpus without texts holds it: ``text`` (and a cue's) None, no hashes."""
    out = {k: v for k, v in record.items() if k not in ("text_sha256", "text_length")}
    out["text"] = None
    if isinstance(record.get("cue"), dict):
        out["cue"] = {"start": record["cue"]["start"], "end": record["cue"]["end"], "text": None}
    return out
