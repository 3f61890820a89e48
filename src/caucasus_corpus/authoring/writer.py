"""The one record writer: every save of annotation records, actors and topics goes through here.

A save stages the new files, re-hashes the manifest as a working copy (RELEASING.md), checks the
whole release it is about to commit with the one checker (:func:`caucasus_corpus.release.check_release`)
and commits it with the commit protocol, under the release-wide lock. A save that would leave a
release ``load()`` rejects writes nothing and raises ``CorpusValidationError`` listing every
problem. Files are written deterministically: records sorted by (start, end, layer, id), one JSON
object per line with its keys in the order given, actors in registry order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import CorpusValidationError
from ..release.check import CheckedRelease, check_release
from ..release.commit import Transaction, transaction
from ..release.descriptor import manifest_json
from ..release.layout import ACTORS_FILE, MANIFEST_NAME, TOPICS_FILE, records_path
from ..release.manifest import read_manifest, resolve_root
from ..release.working import stage_working_manifest

TOPIC_FIELDS = ("topic_id", "label", "description")

# The manifest field that keeps, per record-id prefix and layer code, the highest number ever
# allocated (see caucasus_corpus.authoring.ids): the records files alone forget deleted ids.
ID_MARKS_FIELD = "record_id_marks"


def _line(obj: Mapping[str, Any]) -> str:
    return json.dumps(dict(obj), ensure_ascii=False) + "\n"


def record_lines(records: Sequence[Mapping[str, Any]]) -> str:
    """One article's records file: sorted by (start, end, layer, id), one JSON object per line."""
    ordered = sorted(records, key=lambda r: (r["start"], r["end"], r["layer"], r["id"]))
    return "".join(_line(r) for r in ordered)


def actor_lines(actors: Sequence[Mapping[str, Any]]) -> str:
    """The actor registry file, in the order given."""
    return "".join(_line(a) for a in actors)


def topics_tsv(topics: Sequence[Mapping[str, str]]) -> str:
    """The topics file: a header and one tab-separated row per topic."""
    rows = []
    for t in topics:
        values = [str(t.get(k, "")) for k in TOPIC_FIELDS]
        bad = [v for v in values if "\t" in v or "\n" in v or "\r" in v]
        if bad:
            raise ValueError(f"topic {t.get('topic_id')!r}: {bad[0]!r} holds a tab or line break, which the TSV file cannot store")
        rows.append("\t".join(values) + "\n")
    return "\t".join(TOPIC_FIELDS) + "\n" + "".join(rows)


def annotation_files(
    *,
    records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    actors: Sequence[Mapping[str, Any]] | None = None,
    topics: Sequence[Mapping[str, str]] | None = None,
) -> dict[str, str]:
    """The release files (path -> text) that hold these records, actors and topics."""
    files = {records_path(aid): record_lines(recs) for aid, recs in (records or {}).items()}
    if actors is not None:
        files[ACTORS_FILE] = actor_lines(actors)
    if topics is not None:
        files[TOPICS_FILE] = topics_tsv(topics)
    return files


def commit(
    release: str | Path,
    stage: Callable[[Transaction], Mapping[str, str | bytes]],
    *,
    id_marks: Mapping[str, int] | None = None,
) -> CheckedRelease:
    """The one write path: stage the files ``stage(txn)`` returns (path -> text or bytes), re-hash
    the manifest as a working copy, check the staged release with the one checker, commit.

    ``stage`` runs under the release-wide lock and reads the current files with ``txn.read_bytes``,
    so a read-modify-write (the annotation session) cannot lose another writer's change.
    ``id_marks`` raises the manifest's high-water marks of allocated record ids
    (:data:`ID_MARKS_FIELD`), so that a deleted id is never reused; ``stage`` may fill it (it is
    read after ``stage`` has run).
    Raises ``CorpusValidationError`` (nothing written) when the release would not load.
    """
    root = resolve_root(release)
    with transaction(root) as txn:
        for path, content in stage(txn).items():
            if isinstance(content, str):
                txn.write_text(path, content)
            else:
                txn.write_bytes(path, content)
        desc = stage_working_manifest(root, txn)
        if id_marks:
            marks = dict(desc.get(ID_MARKS_FIELD) or {})
            for key, n in id_marks.items():
                marks[key] = max(int(marks.get(key, 0)), int(n))
            desc[ID_MARKS_FIELD] = dict(sorted(marks.items()))
            txn.write_text(MANIFEST_NAME, manifest_json(desc))
        checked = check_release(read_manifest(root, read=txn.read_bytes))
        if checked.fatal is not None:
            raise checked.fatal
        if checked.problems:
            raise CorpusValidationError([str(p) for p in checked.problems])
    return checked


def save(
    release: str | Path,
    *,
    records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    actors: Sequence[Mapping[str, Any]] | None = None,
    topics: Sequence[Mapping[str, str]] | None = None,
) -> CheckedRelease:
    """Write the records of the articles in ``records`` (article id -> all its records; an empty
    list empties the file), and the actor registry and topics when given, all in one commit.

    Returns the check of the saved release. Raises ``CorpusValidationError`` (nothing written)
    when the release would not load, and ``ReleaseBusyError`` when another writer holds the lock.
    """
    files = annotation_files(records=records, actors=actors, topics=topics)
    return commit(release, lambda txn: files)
