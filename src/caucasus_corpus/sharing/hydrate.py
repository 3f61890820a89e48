"""``hydrate``: put the texts back into a release published without them, verifying every one.

Each text is read from a source (:mod:`.sources`: a folder of ``ARTICLE_ID.txt`` or ``SHA256.txt``
files, WARC captures re-extracted with the intake's extractor, or the articles' URLs fetched
politely, their archived URLs tried when the live ones fail) and compared with the sha256 the
folder lists. When every text matches,
the records get their quotes back and the folder becomes the release it was published from: its
data files and manifest byte-identical, with the same fingerprint. When a text differs, its
records are re-anchored (:mod:`.anchor`); the folder becomes a working copy (version ``X+dev``,
its manifest noting what it was hydrated from under ``hydrated_from``) whose records files hold
the exact and relocated records only, and ``caucasus-corpus diff --path FOLDER`` shows what
moved. Either way the one checker passes on what is written, and every record's fate is in the
report ``.caucasus-corpus-hydration/report.csv`` inside the folder (hidden, never data).

A source that cannot be used (missing, not a regular file inside its folder, too large, not
UTF-8, a WARC that does not parse, an unreachable URL) refuses the hydration: :class:`HydrationError` lists one line per problem, and the folder
is left byte-identical.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..authoring.writer import record_lines
from ..errors import CorpusError, CorpusValidationError
from ..release.check import check_release
from ..release.commit import transaction
from ..release.descriptor import build_descriptor, file_hashes, manifest_json
from ..release.files import known_valid_values
from ..release.layout import (
    ARTICLES_FILE,
    DATACARD,
    MANIFEST_NAME,
    WITHHELD_RECORD_SCHEMA,
    WITHHELD_TEXTS,
    annotator_records_of,
    records_article,
)
from ..release.manifest import read_manifest, resolve_root
from ..release.safefile import InputLimits
from ..release.withheld import WITHHELD_KEY, is_withheld, restore_record
from ..release.versioning import DEV_SUFFIX, released_version
from ..release.working import RELEASED_DIR
from .anchor import reanchor
from .publish import _ENCODE, remove_datacard_note
from . import sources as _sources
from .sources import Found

if TYPE_CHECKING:
    import pandas as pd

REPORT_DIR = ".caucasus-corpus-hydration"
REPORT = f"{REPORT_DIR}/report.csv"
HYDRATED_FROM = "hydrated_from"
REPORT_COLUMNS = {
    "article_id": "string",
    "record_id": "string",
    "status": "string",
    "old_start": "Int64",
    "new_start": "Int64",
    "old_end": "Int64",
    "new_end": "Int64",
    "text_length": "Int64",
    "text_sha256": "string",
    "prefix_sha256": "string",
    "suffix_sha256": "string",
    "file": "string",
    "note": "string",
}


class HydrationError(CorpusError):
    """A hydration refused: ``problems`` (one line each) and the report ``rows``; nothing was written."""

    def __init__(self, message: str, *, problems: list[str], rows: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.problems = problems
        self.rows = rows


@dataclass(frozen=True)
class HydrationResult:
    """What ``hydrate`` did: ``exact`` when every text matched (the folder is the release again),
    the folder's version and fingerprint now, one report row per record and a summary per article."""

    path: Path
    exact: bool
    version: str
    fingerprint: str
    rows: tuple[dict[str, Any], ...]
    summary: tuple[str, ...]

    @property
    def report(self) -> pd.DataFrame:
        """The hydration report, one row per record (and per article whose source failed).

        Columns
        -------
        article_id : string
            The article the record (or the source) belongs to.
        record_id : string
            The record; <NA> on a row about an article's source.
        status : string
            exact (at its old offsets), relocated (moved with its text), ambiguous (several places
            fit), lost (no place fits), or unavailable (a row about a source that gave no text).
        old_start : Int64
            The record's start in the withheld text.
        new_start : Int64
            Its start in the hydrated text; <NA> when ambiguous or lost.
        old_end : Int64
            The record's end in the withheld text.
        new_end : Int64
            Its end in the hydrated text; <NA> when ambiguous or lost.
        text_length : Int64
            The length of its quote in code points.
        text_sha256 : string
            sha256 of its quote (ambiguous and lost records only, kept to find it by hand).
        prefix_sha256 : string
            sha256 of the 16 characters before it (ambiguous and lost records only).
        suffix_sha256 : string
            sha256 of the 16 characters after it (ambiguous and lost records only).
        file : string
            The records file the record is in (gold or an annotator's), or the source of the text.
        note : string
            Why a source gave no text, or what changed; <NA> otherwise.
        """
        from .._frames import typed_frame

        return typed_frame(list(self.rows), REPORT_COLUMNS)


def _decode(found: Found) -> str | None:
    try:
        return (found.data or b"").decode("utf-8")
    except UnicodeDecodeError:
        return None


def _row(aid: str, rec: Mapping[str, Any] | None, status: str, *, new_start: int | None = None, file: str = "",
         note: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in REPORT_COLUMNS}
    row.update(article_id=aid, status=status, file=file or None, note=note or None)
    if rec is not None:
        row.update(record_id=rec["id"], old_start=rec["start"], old_end=rec["end"], text_length=rec["text_length"])
        if new_start is not None:
            row.update(new_start=new_start, new_end=new_start + rec["end"] - rec["start"])
        if status in ("ambiguous", "lost"):
            row.update(text_sha256=rec["text_sha256"], prefix_sha256=rec["prefix_sha256"], suffix_sha256=rec["suffix_sha256"])
    return row


def report_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in REPORT_COLUMNS])
    return buf.getvalue()


def _progress(items: Iterable[Found], total: int, show: bool) -> Iterable[Found]:
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc="hydrating", unit="article", mininterval=0.5)


def _update_text_hashes(data: bytes, new: Mapping[str, str]) -> bytes:
    """articles.csv with the ``text_sha256`` of the drifted texts set to their new hash (when the
    table has that column and the row gives one)."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    fields = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")).fieldnames or [])
    if "text_sha256" not in fields:
        return data
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if row.get("article_id") in new and row.get("text_sha256"):
            row["text_sha256"] = new[row["article_id"]]
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def hydrate(
    path: str | Path,
    *,
    from_dir: str | Path | None = None,
    from_warc: str | Path | None = None,
    from_urls: bool = False,
    archive: bool = False,
    delay: float = 1.0,
    limits: InputLimits | None = None,
    progress: bool = True,
    say: Callable[[str], None] | None = None,
) -> HydrationResult:
    """Put the texts back into the folder ``path`` published without them; see the module docstring.

    Give one source: ``from_dir`` (a folder of ``ARTICLE_ID.txt`` or ``SHA256.txt`` files),
    ``from_warc`` (a folder of WARC captures; each article's ``capture`` names its response, else
    its URL is looked up; the text is re-extracted, and an installed extractor other than the one
    recorded is said in the report and its differences treated as drift) or ``from_urls=True``
    (each article's URL fetched politely, ``delay`` seconds apart per host; with ``archive`` its
    archived URL is tried when the live one fails). ``limits`` caps the files read.

    Returns a :class:`HydrationResult` (``.report`` is the report as a DataFrame, ``.summary``
    one line per article, also given to ``say`` when set). Raises :class:`HydrationError` (nothing
    written) when a source gives no usable text, and ``CorpusError`` when the folder holds its
    texts already.
    """
    given = [name for name, value in (("from_dir", from_dir), ("from_warc", from_warc), ("from_urls", from_urls)) if value]
    if len(given) != 1:
        raise ValueError("give exactly one source of the texts: from_dir=FOLDER (ARTICLE_ID.txt or SHA256.txt files), "
                         f"from_warc=CAPTURES (a folder of WARC files) or from_urls=True; got {', '.join(given) or 'none'}")
    if archive and not from_urls:
        raise ValueError("archive=True goes with from_urls=True (it tries the archived URL when the live one fails)")
    folder = Path(from_dir or from_warc or ".").expanduser()
    if not from_urls and not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder; give the folder that holds the "
                          + ("texts as ARTICLE_ID.txt or SHA256.txt" if from_dir else "WARC captures"))
    root = resolve_root(path)
    say = say or (lambda _line: None)

    with transaction(root) as txn:
        manifest = read_manifest(root, read=txn.read_bytes)
        if not is_withheld(manifest.descriptor):
            raise CorpusError(f"{root}: holds its texts already (it was not published without them); there is nothing to hydrate")
        checked = check_release(manifest, remembered=True)
        checked.raise_first()
        listing = checked.withheld or {}
        meta = manifest.descriptor[WITHHELD_KEY]
        original = meta["original"]
        files = manifest.read_all()

        rows: list[dict[str, Any]] = []
        problems: list[str] = []
        texts: dict[str, str] = {}
        raw: dict[str, bytes] = {}
        if from_dir:
            found_texts = _sources.from_folder(folder, listing, limits=limits)
            source = f"folder {folder.resolve()}"
        elif from_warc:
            captures = {row["article_id"]: row.get("capture") or "" for _line, row in checked.rows}
            found_texts = _sources.from_warc(folder, listing, captures, limits=limits)
            source = f"WARC captures in {folder.resolve()}"
        else:
            found_texts = _sources.from_urls(listing, archive=archive, delay=delay)
            source = "the articles' URLs" + (" and archived URLs" if archive else "")
        notes: dict[str, str] = {}
        for found in _progress(found_texts, len(listing), progress):
            aid = found.article_id
            text = _decode(found) if found.problem is None else None
            problem = found.problem or (None if text is not None else
                                        f"{found.source}: is not valid UTF-8 text; give the text as UTF-8")
            if problem is not None:
                problems.append(f"{aid}: {problem}")
                rows.append(_row(aid, None, "unavailable", file=found.source, note=problem))
                continue
            texts[aid], raw[aid] = text or "", found.data or b""
            if found.note:
                notes[aid] = found.note
        if problems:
            raise HydrationError(f"{root}: hydration refused, nothing was written: {len(problems)} text(s) could not be used",
                                 problems=problems, rows=rows)

        drifted = {aid for aid, data in raw.items() if hashlib.sha256(data).hexdigest() != listing[aid].sha256}
        record_files = sorted(p for p in files if records_article(p) is not None or annotator_records_of(p) is not None)
        parsed = {p: known_valid_values(files[p]) for p in record_files}
        kept: dict[str, list[dict[str, Any]]] = {p: [] for p in record_files}
        placements: dict[str, Any] = {}
        for aid in sorted(drifted):
            recs = [(p, r) for p in record_files for r in parsed[p] if r["article_id"] == aid]
            for (p, rec), place in zip(recs, reanchor([r for _p, r in recs], texts[aid])):
                placements[rec["id"]] = place
        summary: list[str] = []
        counts: dict[str, dict[str, int]] = {aid: {} for aid in listing}
        for p in record_files:
            for rec in parsed[p]:
                aid = rec["article_id"]
                if aid not in drifted:
                    kept[p].append(restore_record(rec, texts[aid]))
                    rows.append(_row(aid, rec, "exact", new_start=rec["start"], file=p, note=notes.get(aid, "")))
                    status = "exact"
                else:
                    place = placements[rec["id"]]
                    status = place.status
                    if place.start is not None:
                        kept[p].append(restore_record(rec, texts[aid], shift=place.shift))
                    rows.append(_row(aid, rec, status, new_start=place.start, file=p, note=notes.get(aid, "")))
                counts[aid][status] = counts[aid].get(status, 0) + 1

        for aid, want in listing.items():
            txn.write_bytes(want.path, raw[aid])
            tally = ", ".join(f"{counts[aid].get(s, 0)} {s}" for s in ("exact", "relocated", "ambiguous", "lost"))
            if aid in drifted:
                have = hashlib.sha256(raw[aid]).hexdigest()
                summary.append(f"{aid}: the text differs from the withheld one (sha256 {want.sha256[:12]}… -> {have[:12]}…, "
                               f"{len(texts[aid])} characters, was {want.chars}); records: {tally}")
            else:
                summary.append(f"{aid}: the text matches; records: {tally}")
            if aid in notes:
                summary[-1] += f" ({notes[aid]})"
        for p in record_files:
            if _file_article(p) in drifted:
                txn.write_text(p, record_lines(kept[p]))
            else:
                txn.write_text(p, "".join(_ENCODE(r) + "\n" for r in kept[p]))
        if DATACARD in files:
            txn.write_bytes(DATACARD, remove_datacard_note(files[DATACARD]))
        txn.delete(WITHHELD_TEXTS)
        txn.delete(WITHHELD_RECORD_SCHEMA)

        if not drifted:
            txn.write_text(MANIFEST_NAME, manifest_json(original))
            _verify_restored(root, txn, original, meta["fingerprint"])
        else:
            if ARTICLES_FILE in files:
                txn.write_bytes(ARTICLES_FILE, _update_text_hashes(
                    files[ARTICLES_FILE], {aid: hashlib.sha256(raw[aid]).hexdigest() for aid in drifted}))
            desc = _working_manifest(root, txn, manifest.descriptor, files)
            desc[HYDRATED_FROM] = {
                "release": {"version": str(original.get("version", "")), "fingerprint": meta["fingerprint"]},
                "published_fingerprint": manifest.fingerprint,
                "source": source,
                "changed_texts": sorted(drifted),
            }
            txn.write_text(MANIFEST_NAME, manifest_json(desc))
        # remembered: a release restored byte for byte is one that passed the full check before
        after = check_release(read_manifest(root, read=txn.read_bytes), remembered=True)
        if after.fatal is not None:
            raise after.fatal
        if after.problems:
            raise CorpusValidationError([str(p) for p in after.problems] + ["hydration refused, nothing was written"])
        txn.write_text(REPORT, report_csv(rows))
        final = read_manifest(root, read=txn.read_bytes)
    for line in summary:
        say(line)
    return HydrationResult(root, not drifted, final.version, final.fingerprint, tuple(rows), tuple(summary))


def _working_manifest(root: Path, txn: Any, published: Mapping[str, Any], files: Mapping[str, bytes]) -> dict[str, Any]:
    """The manifest of the working copy a hydration with a changed text makes (RELEASING.md,
    "Working copies"), whatever the published version: ``+dev``, and ``last_release`` the folder
    as published, whose replaced or removed files are kept under the hidden released folder, so
    that ``caucasus-corpus diff --path FOLDER`` compares the two record by record."""
    base = {k: v for k, v in published.items() if k not in (WITHHELD_KEY, "last_release", "created")}
    version = str(published.get("version", ""))
    desc = build_descriptor(root, base=base, version=released_version(version) + DEV_SUFFIX, view=txn)
    last: dict[str, Any] = {"version": version, "hashes": file_hashes(dict(published))}
    if "created" in published:
        last["created"] = published["created"]
    desc["last_release"] = last
    for path, data in files.items():
        if txn.read_bytes(path) != data:
            txn.write_bytes(f"{RELEASED_DIR}/{path}", data)
    return desc


def _file_article(path: str) -> str:
    gold = records_article(path)
    return gold if gold is not None else (annotator_records_of(path) or ("", ""))[1]


def _verify_restored(root: Path, txn: Any, original: Mapping[str, Any], fingerprint: str) -> None:
    """Every file of the restored release has the sha256 the release's manifest records."""
    for res in original.get("resources", []):
        data = txn.read_bytes(res["path"])
        have = hashlib.sha256(data).hexdigest() if data is not None else None
        if "sha256:" + str(have) != res["hash"]:
            raise CorpusError(f"{root / res['path']}: restored with sha256 {have}, but the release records {res['hash']}; "
                              "the published folder was changed after it was published (publish it again from the release)")
    restored = read_manifest(root, read=txn.read_bytes)
    if restored.fingerprint != fingerprint:
        raise CorpusError(f"{root}: restored fingerprint {restored.fingerprint} differs from the release's {fingerprint}")
