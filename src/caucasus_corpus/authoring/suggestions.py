"""Machine suggestions kept apart from hand records, and accepted or rejected by a person.

Where they are stored: ``.caucasus-corpus-suggestions/ARTICLE_ID.jsonl`` inside the release
folder, one JSON object per suggestion with its ``status`` (``open``, ``accepted``,
``rejected``), who decided and, once accepted, the id of the record it became. The folder is
hidden, and hidden files are never data (``caucasus_corpus.release.layout``): the manifest does
not list them, so the checker, ``load()``, ``release`` and the fingerprint never see them, and a
release folder copied by ``release`` or a wheel does not carry them. Suggestions reach gold data
only by :func:`accept`, which saves a record through the session's own public methods (the one
record writer), with the person's name as annotator. Writes to the store go through the one
commit protocol (:func:`caucasus_corpus.release.commit.transaction`), all-or-nothing.

Re-running :func:`suggest_for` keeps every decision: a suggestion once accepted or rejected is not
shown again (ids are stable: :func:`caucasus_corpus.suggest.suggestion_id`), nor is one that a
record of its layer already covers (so a record made by hand, or an accepted suggestion whose span
was fixed, hides the suggestion too). Accepting saves the record first and the decision second: if
the second write fails, the new record still hides the suggestion on the next run.

``session.undo()`` takes back an accept or a reject like any other change (:func:`undo_decision`):
an undone reject makes the suggestion open again; an undone accept deletes the record (unless
another writer changed it since: ``ConcurrentEditError``) and makes the suggestion open again, so
the next :func:`suggest_for` offers it again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ConcurrentEditError, CorpusFormatError
from ..release.commit import read_lock, transaction
from ..release.files import parse_jsonl
from ..release.safefile import folder_inside, read_inside
from ..suggest import SUGGEST_LAYERS, SUGGESTION_COLUMNS, suggest

if TYPE_CHECKING:
    import pandas as pd

    from .session import AnnotationSession

SUGGESTIONS_DIR = ".caucasus-corpus-suggestions"
STATUSES = ("open", "accepted", "rejected")
_SPAN_FIXES = ("start", "end", "quote", "occurrence", "anchor")
_CUE_FIXES = ("cue", "cue_start", "cue_end", "cue_anchor")


def store_path(article_id: str) -> str:
    """Where an article's suggestions are kept, relative to the release folder."""
    return f"{SUGGESTIONS_DIR}/{article_id}.jsonl"


_AFRESH = "; delete the file to start the suggestions of this article afresh (records are not affected)"


def _row_problem(row: Any) -> str | None:
    """What is wrong with a stored row, in the keys this module relies on (None: nothing)."""
    if not isinstance(row, dict):
        return f"a suggestion is a JSON object, not {type(row).__name__}"
    sid = row.get("suggestion_id")
    if not isinstance(sid, str) or not sid:
        return f"suggestion_id must be a non-empty string, not {sid!r}"[:300]
    if row.get("status") not in STATUSES:
        return f"status must be one of {', '.join(STATUSES)}, not {row.get('status')!r}"[:300]
    if row.get("layer") not in SUGGEST_LAYERS:
        return f"layer must be one of {', '.join(SUGGEST_LAYERS)}, not {row.get('layer')!r}"[:300]
    for key in ("decided_by", "record_id"):
        if row.get(key) is not None and not isinstance(row[key], str):
            return f"{key} must be a string or null, not {row[key]!r}"[:300]
    return None


def _parse(raw: bytes | None, where: Any) -> list[dict[str, Any]]:
    found, errors = parse_jsonl(raw or b"", str(where))
    if errors:
        raise CorpusFormatError(f"{where}:{errors[0][0]}: {errors[0][1]}{_AFRESH}")
    for n, obj in found:
        problem = _row_problem(obj)
        if problem:
            raise CorpusFormatError(f"{where}:{n}: {problem}{_AFRESH}")
    return [obj for _n, obj in found]


def _store_folder(session: AnnotationSession) -> None:
    """Refuse a store folder that is a symbolic link or a file (it would read or write outside
    the store: elsewhere on the disk, or over gold records)."""
    folder_inside(session.root, SUGGESTIONS_DIR)


def read_store(session: AnnotationSession) -> list[dict[str, Any]]:
    """Every stored suggestion of the session's article (open and decided), in file order."""
    path = store_path(session.article_id)
    with read_lock(session.root):
        _store_folder(session)
        raw = read_inside(session.root, path)
    return _parse(raw, session.root / path)


def _update_store(session: AnnotationSession, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
    """Read, change and write the store in one transaction (under the release's write lock), so
    that two sessions deciding at once do not lose each other's decisions."""
    path = store_path(session.article_id)
    with transaction(session.root) as txn:
        _store_folder(session)  # the transaction refuses it too; this names the store first
        rows = change(_parse(txn.read_bytes(path), session.root / path))
        txn.write_text(path, "".join(json.dumps(dict(r), ensure_ascii=False) + "\n" for r in rows))


def _plain(value: Any) -> Any:
    """A frame cell as JSON: <NA> and NaN become None, numpy numbers Python numbers."""
    import pandas as pd

    if isinstance(value, list):
        return list(value)
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def suggest_for(session: AnnotationSession, *, layers: Iterable[str] = SUGGEST_LAYERS) -> pd.DataFrame:
    """Run the rules on the session's article and return the open suggestions (columns of
    :func:`caucasus_corpus.suggest.suggest`); they are stored, with every earlier decision kept."""
    from .._frames import typed_frame

    layers = tuple(layers)
    session.reload()
    fresh = suggest(session.text, session.actors, records=session.record_list(), layers=layers,
                    language=getattr(session, "language", "") or "auto")
    new_open: list[dict[str, Any]] = []

    def change(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
        decided = {s["suggestion_id"]: s for s in stored if s.get("status") != "open"}
        kept_open = [s for s in stored if s.get("status") == "open" and s["layer"] not in layers]
        new_open[:] = [{**{k: _plain(v) for k, v in row.items()}, "status": "open"}
                       for row in fresh.to_dict("records") if row["suggestion_id"] not in decided]
        return [*decided.values(), *kept_open, *new_open]

    _update_store(session, change)
    return typed_frame([{k: s.get(k) for k in SUGGESTION_COLUMNS} for s in new_open], SUGGESTION_COLUMNS)


def _find(session: AnnotationSession, stored: list[dict[str, Any]], suggestion_id: str) -> dict[str, Any]:
    from .._options import unknown_key

    for s in stored:
        if s["suggestion_id"] == suggestion_id:
            if s.get("status") != "open":
                raise ValueError(f"suggestion {suggestion_id} was already {s['status']} by {s.get('decided_by')}"
                                 + (f" (record {s['record_id']})" if s.get("record_id") else ""))
            return s
    raise unknown_key(f"open suggestion of {session.article_id} (run session.suggest() first)", suggestion_id,
                      [s["suggestion_id"] for s in stored if s.get("status") == "open"])


def record_fields(suggestion: Mapping[str, Any], fixes: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``session.mention/claim/threat`` that make ``suggestion`` a record,
    with ``fixes`` (any of those arguments) applied over it."""
    layer = suggestion["layer"]
    fields: dict[str, Any] = {} if any(k in fixes for k in _SPAN_FIXES) else \
        {"start": suggestion["start"], "end": suggestion["end"]}
    if layer == "mention":
        fields.update(actor=suggestion.get("actor"), form=suggestion.get("form"))
    else:
        if suggestion.get("cue_start") is not None and not any(k in fixes for k in _CUE_FIXES):
            fields.update(cue_start=suggestion["cue_start"], cue_end=suggestion["cue_end"])
        fields["speaker"] = suggestion.get("speaker")
        if layer == "claim":
            fields.update(attribution=suggestion.get("attribution"), claim_type=suggestion.get("claim_type"),
                          targets=list(suggestion.get("targets") or []))
        else:
            fields.update(target=suggestion.get("target"), explicitness=suggestion.get("explicitness"),
                          cameo=suggestion.get("cameo"))
    fields.update(fixes)
    principal = "actor" if layer == "mention" else "speaker"
    if fields.get(principal) is None:
        written = suggestion.get("speaker_text") or suggestion.get("text")
        raise ValueError(f"suggestion {suggestion['suggestion_id']}: {written!r} is not an actor of the registry; "
                         f"give {principal}= (an actor id, name or alias), or add the actor first with "
                         f"session.add_actor(...) and accept again")
    return {k: v for k, v in fields.items() if v is not None or k in fixes}


_ACTOR_FIXES = ("actor_id", "name", "kind", "aliases", "role", "affiliation", "country", "notes", "alias_sources")


def actor_fields(suggestion: Mapping[str, Any], fixes: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of ``session.add_actor`` that make a new-actor suggestion an actor, with ``fixes``."""
    unknown = sorted(set(fixes) - set(_ACTOR_FIXES))
    if unknown:
        raise ValueError(f"suggestion {suggestion['suggestion_id']} proposes an actor: {', '.join(unknown)} cannot be "
                         f"fixed; give any of {', '.join(_ACTOR_FIXES)}")
    aliases = list(suggestion.get("aliases") or [])
    fields = {"actor_id": suggestion.get("actor"), "name": aliases[0] if aliases else suggestion.get("text"),
              "kind": suggestion.get("kind"), "aliases": aliases, "role": suggestion.get("role") or ""}
    fields.update(fixes)
    return fields


def _check_new_actors(session: AnnotationSession, stored: list[dict[str, Any]], fields: Mapping[str, Any],
                      coming: Iterable[str] = ()) -> None:
    """Refuse a record naming a proposed actor that is not in the registry yet, saying which suggestion adds it."""
    known = {a["actor_id"] for a in session.actors} | set(coming)
    proposed = {s.get("actor"): s["suggestion_id"] for s in stored if s["layer"] == "actor" and s.get("status") == "open"}
    for key in ("actor", "speaker", "target", "targets"):
        for value in (fields.get(key) if isinstance(fields.get(key), list) else [fields.get(key)]):
            if isinstance(value, str) and value not in known and value in proposed:
                sid = proposed[value]
                raise ValueError(f"{key} {value!r} is a proposed new actor that is not in the registry yet: accept "
                                 f"suggestion {sid} first (session.accept({sid!r}), fixing its name or aliases if "
                                 f"needed), or give {key}= an actor of the registry")


def _save(session: AnnotationSession, suggestion: Mapping[str, Any], fields: dict[str, Any]) -> str:
    if suggestion["layer"] == "actor":
        return session.add_actor(fields.pop("actor_id"), **fields)
    return getattr(session, suggestion["layer"])(**fields)


def _fields(suggestion: Mapping[str, Any], fixes: Mapping[str, Any]) -> dict[str, Any]:
    return actor_fields(suggestion, fixes) if suggestion["layer"] == "actor" else record_fields(suggestion, fixes)


def accept(session: AnnotationSession, suggestion_id: str, **fixes: Any) -> str:
    """Save the suggestion (with ``fixes``) as the person's record; returns the new record id.
    A new actor is added to the registry (``session.add_actor``); its id is returned."""
    stored = read_store(session)
    suggestion = _find(session, stored, suggestion_id)
    fields = _fields(suggestion, fixes)
    if suggestion["layer"] != "actor":
        _check_new_actors(session, stored, fields)
    record_id = _save(session, suggestion, fields)
    _decide(session, suggestion_id, "accepted", record_id)
    session._as_decision("accept", [suggestion_id], 1)
    return record_id


def accept_all(session: AnnotationSession, suggestion_ids: Iterable[str]) -> list[str]:
    """Accept several suggestions unchanged in one commit (all or none); returns the record ids
    (new actors are added first, so records of the same batch may name them)."""
    stored = read_store(session)
    chosen = [_find(session, stored, sid) for sid in suggestion_ids]
    fields = [_fields(s, {}) for s in chosen]  # every refusal before anything is saved
    coming = [f["actor_id"] for s, f in zip(chosen, fields) if s["layer"] == "actor"]
    for s, f in zip(chosen, fields):
        if s["layer"] != "actor":
            _check_new_actors(session, stored, f, coming)
    order = sorted(range(len(chosen)), key=lambda i: chosen[i]["layer"] != "actor")
    saved: dict[int, str] = {}
    with session.batch():
        for i in order:
            saved[i] = _save(session, chosen[i], fields[i])
    ids = [saved[i] for i in range(len(chosen))]
    _decide_many(session, {s["suggestion_id"]: ("accepted", rid) for s, rid in zip(chosen, ids)})
    session._as_decision("accept", [s["suggestion_id"] for s in chosen], len(ids))
    return ids


def reject(session: AnnotationSession, suggestion_id: str) -> str:
    """Mark the suggestion rejected: it is not shown again. Returns its id."""
    _find(session, read_store(session), suggestion_id)
    _decide(session, suggestion_id, "rejected", None)
    session._as_decision("reject", [suggestion_id], 0)
    return suggestion_id


def undo_decision(session: AnnotationSession, kind: str, suggestion_ids: list[str], records: list[dict[str, Any]]) -> str:
    """Take back the session's last accept or reject (``session.undo()`` calls this): the records
    an accept made are deleted (refused if another writer changed them) and the suggestions are
    open again, so ``suggest()`` offers them again. Raises ``ConcurrentEditError`` (nothing
    changed) when a suggestion is no longer decided as this session decided it."""
    status = "accepted" if kind == "accept" else "rejected"
    made = {s: r["id"] for s, r in zip(suggestion_ids, records)}

    def check(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        found = {s.get("suggestion_id"): s for s in rows if isinstance(s, dict)}
        for sid in suggestion_ids:
            row = found.get(sid)
            if row is None or row.get("status") != status or row.get("record_id") != made.get(sid):
                now = "gone from the store" if row is None else f"{row.get('status')} by {row.get('decided_by')}"
                raise ConcurrentEditError(
                    f"{session.root}: suggestion {sid} is no longer {status} as this session left it (now {now}); "
                    "nothing was undone, and this step is dropped from the session's undo history")
        return found

    check(read_store(session))
    if records:
        session._remove_records(records)

    def reopen(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = check(rows)
        for sid in suggestion_ids:
            row = found[sid]
            row["status"] = "open"
            row.pop("decided_by", None)
            row.pop("record_id", None)
        return rows

    try:
        _update_store(session, reopen)
    except ConcurrentEditError as exc:
        if not records:
            raise
        raise ConcurrentEditError(f"{exc}; but record(s) {', '.join(made.values())} were already deleted, "
                                  "so run session.suggest() to see what is offered") from exc
    if records:
        return f"deleted {', '.join(made.values())} and reopened suggestion(s) {', '.join(suggestion_ids)}"
    return f"reopened suggestion(s) {', '.join(suggestion_ids)} (the reject is undone)"


def _decide(session: AnnotationSession, suggestion_id: str, status: str, record_id: str | None) -> None:
    _decide_many(session, {suggestion_id: (status, record_id)})


def _decide_many(session: AnnotationSession, decisions: Mapping[str, tuple[str, str | None]]) -> None:
    def change(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for s in rows:
            if s["suggestion_id"] in decisions:
                s["status"], record_id = decisions[s["suggestion_id"]]
                s["decided_by"] = session.annotator
                if record_id is not None:
                    s["record_id"] = record_id
        return rows

    _update_store(session, change)
