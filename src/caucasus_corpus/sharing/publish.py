"""``publish --without-texts``: a complete release folder that holds no article text.

The folder is the release with four differences (:mod:`caucasus_corpus.release.withheld`): no
``corpus/texts/``; ``corpus/withheld.csv`` listing each text's sha256, lengths, URL, archived URL
and extractor; records whose quotes are replaced by hashes (:func:`withhold_record`), checked by
``annotations/schema/record-withheld.schema.json``; a manifest that keeps the release's own
manifest under ``withheld``. The data card gains a note saying so (and, with ``keep_quotes``, that
the kept quotes are the publisher's text); ``CITATION.cff`` and ``CHANGELOG.md`` are copied. The
folder passes the one checker before anything is written, and no file holds a run of 40
characters of any article text apart from its title (:mod:`.quotes`): publish refuses otherwise,
naming ``file:line``, and writes nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError, CorpusValidationError
from ..release.check import check_release
from ..release.commit import LOCK_NAME, read_lock, transaction
from ..release.descriptor import build_descriptor, manifest_json
from ..release.files import known_valid_values
from ..release.layout import (
    CHANGELOG,
    DATACARD,
    MANIFEST_NAME,
    RECORD_SCHEMA,
    WITHHELD_RECORD_SCHEMA,
    WITHHELD_TEXTS,
    annotator_records_of,
    records_article,
)
from ..release.manifest import read_manifest, resolve_root
from ..release.safefile import read_inside
from ..release.withheld import (
    WITHHELD_KEY,
    WithheldText,
    listing_csv,
    refuse_withheld,
    withheld_schema,
    withhold_record,
)
from .quotes import QuoteScan

CITATION = "CITATION.cff"
# Files of a release folder that are not data (not in the manifest) but travel with it.
COMPANIONS = (CITATION, CHANGELOG)

NOTE_START, NOTE_END = "<!-- withheld:start -->", "<!-- withheld:end -->"
_NOTE_RE = re.compile(re.escape(NOTE_START) + r"\n.*?" + re.escape(NOTE_END) + r"\n\n", re.S)


@dataclass(frozen=True)
class PublishResult:
    """What ``publish`` wrote: the folder, its data version and fingerprint, the fingerprint of the
    release with its texts, and how many texts it withholds and records it holds."""

    path: Path
    version: str
    fingerprint: str
    release_fingerprint: str
    texts: int
    records: int
    keep_quotes: bool


def datacard_note(*, keep_quotes: bool) -> str:
    """The block ``publish`` puts at the top of the data card (``hydrate`` takes it out again)."""
    lines = [
        NOTE_START,
        "> **This copy of the release holds no article texts.** It was made with `caucasus-corpus publish",
        "> --without-texts`: `corpus/withheld.csv` lists each text's sha256, length, address and archived",
        "> address, and each annotation record carries the sha256 of its quote and of the characters around it.",
        "> `caucasus-corpus hydrate --path FOLDER --from DIR` puts the texts back and checks every one; the",
        "> counts below describe the release with its texts.",
    ]
    if keep_quotes:
        lines += [
            ">",
            "> **The annotation records keep their quotes** (published with `--keep-quotes`): those quotes are",
            "> the publishers' text, whose copyright stays with them (see the rights table below).",
        ]
    return "\n".join([*lines, NOTE_END]) + "\n\n"


def add_datacard_note(card: bytes, *, keep_quotes: bool) -> bytes:
    """The data card with :func:`datacard_note` after its first heading and the blank line below it."""
    text = card.decode("utf-8")
    head, sep, rest = text.partition("\n\n")
    note = datacard_note(keep_quotes=keep_quotes)
    return (head + sep + note + rest if sep else note + text).encode("utf-8")


def remove_datacard_note(card: bytes) -> bytes:
    """The data card without the block :func:`add_datacard_note` put in."""
    return _NOTE_RE.sub("", card.decode("utf-8"), count=1).encode("utf-8")


# json.dumps(obj, ensure_ascii=False), as the record writer writes, without building an encoder per call.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _withheld_records(path: str, data: bytes, texts: dict[str, str], keep_quotes: bool) -> tuple[bytes, int]:
    """A records file with every quote replaced by hashes, and how many records it holds; refuses
    a file that is not written as the library writes records (its hydrated copy would differ)."""
    records = known_valid_values(data)
    lines = [_ENCODE(r) + "\n" for r in records]
    if "".join(lines).encode("utf-8") != data:
        have = data.decode("utf-8").split("\n")
        n = next((i for i, (a, b) in enumerate(zip(have, lines), start=1) if a + "\n" != b), min(len(have), len(lines)))
        raise CorpusValidationError([
            f"{path}:{n}: not written as the library writes records (one json.dumps(record, ensure_ascii=False) per "
            "line, no blank lines), so a hydrated copy could not be byte-identical to the release; save the records "
            "once through caucasus_corpus.authoring.save (or an annotation session) and publish again"])
    out = "".join(_ENCODE(withhold_record(r, texts[r["article_id"]], keep_quotes=keep_quotes)) + "\n" for r in records)
    return out.encode("utf-8"), len(records)


def publish(out: str | Path, *, path: str | Path | None = None, without_texts: bool = True,
            keep_quotes: bool = False) -> PublishResult:
    """Write the release at ``path`` (the bundled release when None) into the new folder ``out``
    without its article texts (see the module docstring for what the folder holds).

    ``keep_quotes`` keeps each record's quote next to its hashes (the data card then warns that
    the quotes are the publishers' text). ``out`` must not exist or be an empty folder. Raises
    ``CorpusValidationError`` listing every ``file:line`` that would quote 40 characters of an
    article text, or any problem the checker finds; nothing is written then.

    >>> import tempfile, caucasus_corpus as cc
    >>> folder = Path(tempfile.mkdtemp()) / "shared"
    >>> result = cc.publish(folder)
    >>> sorted(p.name for p in (folder / "corpus").iterdir())
    ['README.md', 'articles.csv', 'schema', 'withheld.csv']
    >>> cc.load(folder, texts=False).texts_withheld
    True
    """
    if without_texts is not True:
        raise ValueError("publish writes a release without its texts (without_texts=True); a release with its texts "
                         "is the release folder itself (copy it, or make one with `caucasus-corpus release`)")
    if not isinstance(keep_quotes, bool):
        raise ValueError(f"keep_quotes must be True or False, not {keep_quotes!r}")
    root = resolve_root(path)
    out = Path(out).expanduser()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CorpusError(f"{out}: exists and is not an empty folder; publish writes a new folder (give one that does not exist yet)")
    if out.resolve() == root.resolve():
        raise CorpusError(f"{out}: is the release folder itself; publish into a new folder")

    with read_lock(root):
        manifest = read_manifest(root)
        refuse_withheld(root, manifest.descriptor, "publish")
        checked = check_release(manifest, remembered=True)
        checked.raise_first()
        files = manifest.read_all()
        companions = {name: read_inside(root, name) for name in COMPANIONS}

    texts = checked.texts
    rows = {row["article_id"]: row for _line, row in checked.rows}
    text_paths = {row["path"]: aid for aid, row in rows.items()}
    staged: dict[str, bytes] = {}
    n_records = 0
    for res in manifest.resources:
        p = res.path
        if p in text_paths:
            continue
        if records_article(p) is not None or annotator_records_of(p) is not None:
            staged[p], n = _withheld_records(p, files[p], texts, keep_quotes)
            n_records += n
        elif p == DATACARD:
            staged[p] = add_datacard_note(files[p], keep_quotes=keep_quotes)
        else:
            staged[p] = files[p]
    listing = [
        WithheldText(aid, row["path"], res.sha256, len(texts[aid]), len(files[row["path"]]), row.get("url") or "",
                     row.get("archived_url") or "", row.get("extractor") or "")
        for aid, row in rows.items()
        for res in [manifest.resource_at(row["path"])] if res is not None
    ]
    staged[WITHHELD_TEXTS] = listing_csv(listing).encode("utf-8")
    if RECORD_SCHEMA in files:
        schema = withheld_schema(json.loads(files[RECORD_SCHEMA]))
        staged[WITHHELD_RECORD_SCHEMA] = (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    for name, data in companions.items():
        if data is not None:
            staged[name] = data

    scan = QuoteScan(texts, {aid: row.get("title") or "" for aid, row in rows.items()})
    quotes = [str(q) for p in sorted(staged) for q in scan.scan(p, staged[p], keep_quotes=keep_quotes)]
    if quotes:
        raise CorpusValidationError(quotes + [f"nothing was written to {out}"])

    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with transaction(out) as txn:
            for p, data in staged.items():
                txn.write_bytes(p, data)
            base = {k: v for k, v in manifest.descriptor.items() if k != "resources"}
            desc = build_descriptor(out, base=base, version=manifest.version, view=txn)
            desc[WITHHELD_KEY] = {"fingerprint": manifest.fingerprint, "quotes": keep_quotes, "original": manifest.descriptor}
            text = manifest_json(desc)
            quotes = [str(q) for q in scan.scan(MANIFEST_NAME, text.encode("utf-8"))]
            if quotes:
                raise CorpusValidationError(quotes + [f"nothing was written to {out}"])
            txn.write_text(MANIFEST_NAME, text)
            # remembered: a folder with these very bytes that passed the full check before (the
            # same release published again) is not checked record by record again
            result = check_release(read_manifest(out, read=txn.read_bytes), remembered=True)
            if result.fatal is not None:
                raise result.fatal
            if result.problems:
                raise CorpusValidationError([str(p) for p in result.problems])
    except BaseException:
        if created:
            _remove_if_only_lock(out)
        raise
    published = read_manifest(out)
    return PublishResult(out, published.version, published.fingerprint, manifest.fingerprint, len(listing), n_records, keep_quotes)


def _remove_if_only_lock(folder: Path) -> None:
    """Remove a folder publish created when nothing but the lock file is in it."""
    try:
        if {p.name for p in folder.iterdir()} <= {LOCK_NAME}:
            shutil.rmtree(folder)
    except OSError:
        pass


__all__ = ["COMPANIONS", "PublishResult", "add_datacard_note", "datacard_note", "publish", "remove_datacard_note"]
