"""Adjudication: independent annotators' records of one article merged into gold, every decision logged.

:func:`adjudicate` groups the annotators' records of the article into units (spans matched under
the overlap rule, :func:`caucasus_corpus.reliability.measures.units`). A unit is **agreed** when
every annotator marked it with the same start and end and the same attributes (the layer's
attributes and cue; a free-text ``note`` may differ, and the first annotator's note is kept);
agreed units go to gold when :meth:`Adjudication.write` runs. Every other unit is a
**disagreement**, resolved by :meth:`~Adjudication.choose` (one annotator's version),
:meth:`~Adjudication.edit` (the adjudicator's own version) or :meth:`~Adjudication.reject`
(neither). An unresolved disagreement stays open for a later session.

:meth:`~Adjudication.write` writes the gold records and the log in one commit through the one
write path (:func:`caucasus_corpus.authoring.writer.commit`, checked by the one checker). Gold
records get fresh gold ids and ``annotator`` naming the adjudicator; the article's existing gold
records are kept unless a decision names them in ``replaces``, and a version the gold already
holds (same span, attributes and cue) is not written twice: its decision names that gold record.
The log,
``annotations/adjudication/ARTICLE_ID.jsonl``, holds one line per decision: who, when, which
annotator records (by id and the sha256 of their content) and which gold records it wrote, so
every gold record can be traced to the annotators' records. A unit whose records all appear,
unchanged, in the log is done; so running :func:`adjudicate` again after an annotator changed a
record shows only the units that are new or changed.

A unit an annotator changed after it was decided is **reopened**: ``Item.previous`` names the gold
records its earlier decisions wrote (as a decision or as an agreed unit), and the new decision
replaces them (the log's ``replaces`` names them, next to any given by ``replaces=``), so the
gold holds one version of the unit, not the old one and the new one; a new decision that gives
the very version the gold holds keeps that record. A unit is decided once while its records are
unchanged: :meth:`Adjudication.write` raises ``ConcurrentEditError`` (nothing written) when
another adjudication decided it since this one was read, or when a gold record it replaces was
changed or removed meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._options import check_choice, unknown_key
from ..authoring.ids import mark_key, next_record_id, record_prefix
from ..authoring.session import whole_number
from ..authoring.writer import ID_MARKS_FIELD, commit, record_lines
from ..errors import ConcurrentEditError, CorpusFormatError
from ..release.check import MAX_DECISION_DIGITS, decision_id_shown
from ..release.files import parse_jsonl
from ..release.layout import ADJUDICATION_SCHEMA, MANIFEST_NAME, adjudication_path, annotator_records_path, records_path
from ..release.manifest import resolve_root
from ..vocab import LAYER_ATTRIBUTES, LAYERS
from .measures import units
from .records import Annotations, Record, read_annotations, record_sha256

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Adjudication", "Item", "adjudicate"]

# What a record carries that is not its content as a unit of annotation.
_BOOKKEEPING = ("id", "annotator", "note")


def _content(rec: Record) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k not in _BOOKKEEPING}


@dataclass
class Item:
    """One unit to adjudicate: each annotator's version of it (None: that annotator did not mark it).

    ``decision`` is None while open, else what :class:`Adjudication` will write: ``decision``
    (agreed, chose, edited, rejected), ``chosen``, ``record`` (the gold version, without id),
    ``replaces`` (given explicitly) and ``note``. ``previous`` names the gold records an earlier
    decision wrote for this unit (a unit reopened because an annotator changed a record): the new
    decision replaces them.
    """

    item_id: str
    layer: str
    versions: dict[str, Record | None]
    agreed: bool
    decision: dict[str, Any] | None = None
    previous: list[str] = field(default_factory=list)  # gold ids an earlier decision wrote for this unit

    @property
    def reopened(self) -> bool:
        """True when an earlier decision wrote gold for this unit and an annotator changed it since."""
        return bool(self.previous)

    @property
    def sources(self) -> list[dict[str, str]]:
        return [{"annotator": n, "record_id": r["id"], "sha256": record_sha256(r)}
                for n, r in self.versions.items() if r is not None]


@dataclass
class Adjudication:
    """The adjudication of one article (see the module docstring); make one with :func:`adjudicate`."""

    root: Path
    article_id: str
    annotators: tuple[str, ...]
    adjudicator: str
    text: str
    items: list[Item]
    done: int  # units already decided in the log, records unchanged
    gold: list[Record] = field(default_factory=list)  # the article's gold records when read

    # -- reading -----------------------------------------------------------------------------------
    @property
    def agreed(self) -> list[Item]:
        """The units on which every annotator agrees; they go to gold on :meth:`write`."""
        return [i for i in self.items if i.agreed]

    @property
    def disagreements(self) -> list[Item]:
        """The units the annotators disagree on, open or decided in this session."""
        return [i for i in self.items if not i.agreed]

    @property
    def open(self) -> list[Item]:
        """The disagreements not yet decided."""
        return [i for i in self.disagreements if i.decision is None]

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.item_id == item_id:
                return i
        raise unknown_key("adjudication item", item_id, [i.item_id for i in self.items])

    def frame(self) -> pd.DataFrame:
        """One row per annotator's version of each unit.

        Columns
        -------
        item_id : string
            The unit (``d1``, ``d2``, ...), as the methods take it.
        layer : string
            Its layer.
        status : string
            agreed, open, or the decision taken (chose, edited, rejected).
        annotator : string
            Whose version the row shows.
        record_id : string
            That annotator's record, <NA> when they did not mark the unit.
        start : Int64
            Start of the span.
        end : Int64
            End of the span.
        text : string
            The text of the span.
        attributes : object
            The record's attributes, as a dict.
        """
        from .._frames import typed_frame

        rows = []
        for it in self.items:
            status = "agreed" if it.agreed else (it.decision or {}).get("decision", "open")
            for name, rec in it.versions.items():
                rows.append({"item_id": it.item_id, "layer": it.layer, "status": status, "annotator": name,
                             "record_id": rec and rec["id"], "start": rec and rec["start"], "end": rec and rec["end"],
                             "text": rec and rec["text"],
                             "attributes": {} if rec is None else {k: rec[k] for k in LAYER_ATTRIBUTES[it.layer] if k in rec}})
        return typed_frame(rows, {"item_id": "string", "layer": "string", "status": "string", "annotator": "string",
                                  "record_id": "string", "start": "Int64", "end": "Int64", "text": "string",
                                  "attributes": "object"})

    def __repr__(self) -> str:
        return (f"<Adjudication of {self.article_id} by {self.adjudicator}: annotators {', '.join(self.annotators)}; "
                f"{len(self.agreed)} agreed, {len(self.disagreements)} disagreement{'' if len(self.disagreements) == 1 else 's'} "
                f"({len(self.open)} open), "
                f"{self.done} already decided>")

    # -- deciding ----------------------------------------------------------------------------------
    def choose(self, item_id: str, annotator: str, *, replaces: Sequence[str] = (), note: str = "") -> None:
        """Resolve a disagreement by taking ``annotator``'s version."""
        it = self._open_item(item_id)
        check_choice("annotator", annotator, [n for n, r in it.versions.items() if r is not None])
        it.decision = {"decision": "chose", "chosen": annotator, "record": _content(it.versions[annotator] or {}),
                       "replaces": self._replaced(replaces), "note": note}

    def edit(self, item_id: str, *, base: str | None = None, replaces: Sequence[str] = (), note: str = "",
             **fields: Any) -> None:
        """Resolve a disagreement with the adjudicator's own version: ``base`` annotator's record
        (by default the first who marked the unit) changed by ``fields`` (``start``, ``end``, and the
        layer's attributes; ``None`` removes one). The text is taken from the article; the checker
        refuses a version that does not validate when :meth:`write` runs."""
        it = self._open_item(item_id)
        present = [n for n, r in it.versions.items() if r is not None]
        base = base or present[0]
        check_choice("base", base, present)
        allowed = ("start", "end", *LAYER_ATTRIBUTES[it.layer])
        unknown = sorted(set(fields) - set(allowed))
        if unknown:
            raise ValueError(f"{it.layer}: unknown field(s) {', '.join(map(repr, unknown))}; give one of {', '.join(allowed)}")
        for key in ("start", "end"):
            if fields.get(key) is not None:  # offsets copied from a frame are numpy integers
                fields[key] = whole_number(fields[key], key, what=f"{item_id} edit")
        record = {**_content(it.versions[base] or {}), **fields}
        record = {k: v for k, v in record.items() if v is not None or k == "cue"}
        record["text"] = self.text[record["start"]:record["end"]]
        it.decision = {"decision": "edited", "chosen": None, "record": record, "replaces": self._replaced(replaces), "note": note}

    def reject(self, item_id: str, *, replaces: Sequence[str] = (), note: str = "") -> None:
        """Resolve a disagreement by taking no version into gold."""
        it = self._open_item(item_id)
        it.decision = {"decision": "rejected", "chosen": None, "record": None, "replaces": self._replaced(replaces), "note": note}

    def reopen(self, item_id: str) -> None:
        """Take back this session's decision on a disagreement."""
        self._disagreement(item_id).decision = None

    def _disagreement(self, item_id: str) -> Item:
        it = self.item(item_id)
        if it.agreed:
            raise ValueError(f"{item_id} is agreed by every annotator and goes to gold as it is; nothing to decide")
        return it

    def _open_item(self, item_id: str) -> Item:
        it = self._disagreement(item_id)
        if it.decision is not None:
            raise ValueError(f"{item_id} is already decided ({it.decision['decision']}); reopen({item_id!r}) first")
        return it

    def _replaced(self, replaces: Sequence[str]) -> list[str]:
        if isinstance(replaces, str):
            raise ValueError(f"replaces= takes a list of gold record ids, e.g. replaces=[{replaces!r}]")
        ids = [r["id"] for r in self.gold]
        for rid in replaces:
            if rid not in ids:
                raise unknown_key(f"gold record of {self.article_id}", rid, ids)
        return list(replaces)

    # -- writing -----------------------------------------------------------------------------------
    def write(self) -> list[dict[str, Any]]:
        """Write the agreed units and the decided disagreements to gold, and their decisions to the
        log, in one commit; return the log entries written. Open disagreements stay open.

        Raises ``ConcurrentEditError`` (nothing written) when, since this adjudication was read, an
        annotator's record changed, a gold record to replace changed or disappeared, or another
        adjudication decided one of these units; ``CorpusValidationError`` when a version would not
        validate.
        """
        decided = [i for i in self.items if i.agreed or i.decision is not None]
        if not decided:
            return []
        first_note = {i.item_id: next((r["note"] for r in i.versions.values() if r and r.get("note")), None) for i in decided}
        time = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        entries: list[dict[str, Any]] = []
        marks: dict[str, int] = {}

        def stage(txn: Any) -> dict[str, str | bytes]:
            fresh = _source_hashes(txn, self)
            gold = _objects(txn.read_bytes(records_path(self.article_id)), records_path(self.article_id))
            numbered = _numbered(txn.read_bytes(adjudication_path(self.article_id)), adjudication_path(self.article_id))
            log = [obj for _n, obj in numbered]
            manifest = json.loads(txn.read_bytes(MANIFEST_NAME) or b"{}")
            known = dict(manifest.get(ID_MARKS_FIELD) or {})
            prefix = record_prefix(self.article_id, [r["id"] for r in gold])
            next_decision = _next_decision_number(numbered, adjudication_path(self.article_id))
            entries.clear()
            logged = _decided(log)
            on_disk = list(gold)
            for it in decided:
                for src in it.sources:
                    if fresh.get((src["annotator"], src["record_id"])) != src["sha256"]:
                        raise ConcurrentEditError(
                            f"{self.root}: {src['annotator']}'s record {src['record_id']} changed since this adjudication "
                            "was read; nothing was written. Run adjudicate() again to see the change.")
                d = it.decision or {"decision": "agreed", "chosen": None, "replaces": [], "note": "",
                                    "record": _content(next(r for r in it.versions.values() if r is not None))}
                # A reopened unit's new decision replaces the gold its earlier decision wrote.
                replaces = [*it.previous, *(r for r in d["replaces"] if r not in it.previous)]
                decided_since = {(x["annotator"], x["record_id"], x["sha256"]) for x in it.sources} <= logged
                if not decided_since:
                    _check_replaced(self, replaces, on_disk)
                if decided_since or _previous_gold(log, it.versions, {r["id"] for r in on_disk}) != it.previous:
                    raise ConcurrentEditError(
                        f"{self.root}: unit {it.item_id} ({it.layer} {_shown(it)}) of {self.article_id} was decided by "
                        "another adjudication since this one was read; nothing was written. Run adjudicate() again: "
                        "a unit is decided once while its records are unchanged.")
                now = {r["id"] for r in gold}  # an earlier decision of this write may have replaced one already
                kept = [r["id"] for r in gold if r["id"] in replaces and d["record"] is not None and _content(r) == d["record"]]
                replaces = [r for r in replaces if r in now and r not in kept[:1]]  # the same version again: keep it
                gold = [r for r in gold if r["id"] not in replaces]
                written = []
                same = [r["id"] for r in gold if d["record"] is not None and _content(r) == d["record"]]
                if same:  # the gold already holds this version: point to it rather than duplicate it
                    written.append(same[0])
                elif d["record"] is not None:
                    rid, n = next_record_id(prefix, it.layer, [r["id"] for r in gold], {**known, **marks})
                    marks[mark_key(prefix, it.layer)] = n
                    rec = {"id": rid, **d["record"], "annotator": self.adjudicator}
                    note = d["note"] if d["decision"] != "agreed" else first_note[it.item_id]
                    if note:
                        rec["note"] = note
                    rec = _ordered(rec, it.layer)
                    gold.append(rec)
                    written.append(rid)
                entry = {"decision_id": f"d{next_decision:03d}", "article_id": self.article_id, "layer": it.layer,
                         "decision": d["decision"], "chosen": d["chosen"], "adjudicator": self.adjudicator, "time": time,
                         "sources": it.sources, "gold": written, "replaces": replaces}
                if d["note"]:
                    entry["note"] = d["note"]
                next_decision += 1
                entries.append(entry)
            files: dict[str, str | bytes] = {
                records_path(self.article_id): record_lines(gold),
                adjudication_path(self.article_id): "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in [*log, *entries]),
            }
            if txn.read_bytes(ADJUDICATION_SCHEMA) is None:  # a release made before adjudication existed
                files[ADJUDICATION_SCHEMA] = (resolve_root(None) / ADJUDICATION_SCHEMA).read_bytes()
            return files

        commit(self.root, stage, id_marks=marks)
        done = {i.item_id for i in decided}
        self.done += len(done)
        self.items = [i for i in self.items if i.item_id not in done]
        self.gold = _objects((self.root / records_path(self.article_id)).read_bytes(), records_path(self.article_id))
        return list(entries)


def _next_decision_number(log: list[tuple[int, Any]], path: str) -> int:
    """One more than the highest decision number of the log (d001, d002, ...); ``log`` holds
    ``(line, entry)``."""
    numbers = []
    for line, entry in log:
        did = entry.get("decision_id") if isinstance(entry, dict) else None
        if not isinstance(did, str) or not did[1:].isdigit():
            continue
        if len(did) - 1 > MAX_DECISION_DIGITS:
            raise CorpusFormatError(f"{path}:{line}: {decision_id_shown(did)} is a decision number of more than "
                                    f"{MAX_DECISION_DIGITS} digits, which no adjudication writes (d001, d002, ...); "
                                    "renumber it, then adjudicate again")
        numbers.append(int(did[1:]))
    return max(numbers, default=0) + 1


def _shown(it: Item) -> str:
    rec = next((r for r in it.versions.values() if r is not None), None)
    return "" if rec is None else f"{rec['start']}:{rec['end']} {rec['text'][:40]!r}"


def _check_replaced(adj: Adjudication, replaces: Sequence[str], gold: list[Record]) -> None:
    """Refuse (``ConcurrentEditError``) to replace a gold record that is gone or changed since
    ``adj`` read it: the replacement was decided on the version the adjudicator saw."""
    read = {r["id"]: r for r in adj.gold}
    now = {r["id"]: r for r in gold}
    gone = [rid for rid in replaces if rid not in now]
    changed = [rid for rid in replaces if rid in now and now[rid] != read.get(rid)]
    if gone or changed:
        what = "; ".join(part for part in (gone and f"{', '.join(gone)} gone", changed and f"{', '.join(changed)} changed") if part)
        raise ConcurrentEditError(
            f"{adj.root}: gold record(s) of {adj.article_id} to replace were edited by another writer since this "
            f"adjudication was read ({what}); nothing was written. Run adjudicate() again to decide on the gold as it is now.")


def _ordered(rec: Record, layer: str) -> Record:
    """A gold record with its keys in the record schema's order."""
    head = ("id", "article_id", "layer", "start", "end", "text", "annotator")
    return {**{k: rec[k] for k in head}, **{k: rec[k] for k in LAYER_ATTRIBUTES[layer] if k in rec}}


def _numbered(raw: bytes | None, path: str) -> list[tuple[int, Any]]:
    """``(line, object)`` of a JSON Lines file, refused at its first bad line."""
    found, errors = parse_jsonl(raw or b"", path)
    if errors:
        raise CorpusFormatError(f"{path}:{errors[0][0]}: {errors[0][1]}; fix the file before adjudicating")
    return list(found)


def _objects(raw: bytes | None, path: str) -> list[dict[str, Any]]:
    return [obj for _n, obj in _numbered(raw, path)]


def _source_hashes(txn: Any, adj: Adjudication) -> dict[tuple[str, str], str]:
    """``(annotator, record id) -> sha256`` of the adjudicated annotators' records as ``txn`` sees them."""
    out = {}
    for name in adj.annotators:
        path = annotator_records_path(name, adj.article_id)
        for rec in _objects(txn.read_bytes(path), path):
            out[(name, rec["id"])] = record_sha256(rec)
    return out


def _previous_gold(log: Sequence[dict[str, Any]], versions: dict[str, Record | None], gold_ids: set[str]) -> list[str]:
    """The gold records still in gold that earlier decisions wrote for the unit of ``versions``:
    those of every logged decision that had one of its records (by annotator and id) as a source."""
    mine = {(name, r["id"]) for name, r in versions.items() if r is not None}
    out: list[str] = []
    for e in log:
        if any((src.get("annotator"), src.get("record_id")) in mine for src in _sources(e)):
            out += [g for g in e.get("gold") or [] if isinstance(g, str) and g in gold_ids and g not in out]
    return out


def _sources(entry: Any) -> list[dict[str, Any]]:
    """A log entry's sources; write() reads the log as it is on disk, before the checker sees it."""
    found = entry.get("sources") if isinstance(entry, dict) else None
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []


def _decided(log: Sequence[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """Every ``(annotator, record id, sha256)`` a logged decision was made on."""
    return {(s.get("annotator"), s.get("record_id"), s.get("sha256")) for e in log for s in _sources(e)}


def _items(data: Annotations, article_id: str, names: Sequence[str]) -> tuple[list[Item], int]:
    log = data.log.get(article_id, [])
    decided = _decided(log)
    gold_ids = {r["id"] for r in data.gold.get(article_id, [])}
    items, done, n = [], 0, 0
    for layer in LAYERS:
        by_name = {name: [r for r in data.records[name][article_id] if r["layer"] == layer] for name in names}
        for unit in units(by_name):
            versions = {name: unit.get(name) for name in names}
            sources = {(name, r["id"], record_sha256(r)) for name, r in versions.items() if r is not None}
            if sources <= decided:
                done += 1
                continue
            present = [r for r in versions.values() if r is not None]
            agreed = len(present) == len(names) and all(_content(r) == _content(present[0]) for r in present)
            n += 1
            items.append(Item(f"d{n}", layer, versions, agreed, previous=_previous_gold(log, versions, gold_ids)))
    return items, done


def adjudicate(release: str | Path, article_id: str, *, annotators: Sequence[str], adjudicator: str) -> Adjudication:
    """Open the adjudication of ``article_id`` between ``annotators`` (two or more names of
    ``annotations/annotators/``), decided by ``adjudicator`` (who is named in the gold records and
    the log). See :mod:`caucasus_corpus.reliability.adjudication`.
    """
    if not isinstance(adjudicator, str) or not adjudicator.strip():
        raise ValueError("adjudicator= is required: the name of the person deciding, e.g. 'aliyeva'")
    if isinstance(annotators, str) or len(set(annotators)) < 2:
        raise ValueError("annotators= takes two or more annotator names, e.g. annotators=['ann-a', 'ann-b']")
    data = read_annotations(release)
    if article_id not in data.texts:
        raise unknown_key("article", article_id, sorted(data.texts))
    for name in annotators:
        check_choice("annotator", name, data.annotators or ("(none: the release has no independent annotators)",))
        if article_id not in data.records[name]:
            raise ValueError(f"{name} has not annotated {article_id} independently (no annotations/annotators/{name}/"
                             f"{article_id}.jsonl); annotate it with cc.annotate(..., independent=True) first")
    items, done = _items(data, article_id, list(annotators))
    return Adjudication(data.root, article_id, tuple(annotators), adjudicator, data.texts[article_id], items, done,
                        list(data.gold.get(article_id, [])))
