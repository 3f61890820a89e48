"""The annotation API: :func:`annotate` opens an :class:`AnnotationSession` on one article.

Every call that changes something (``mention``, ``claim``, ``threat``, ``stance``, ``update``,
``delete``, ``undo``, ``add_actor``, ``add_topic``) is saved at once through the one write path
(:func:`caucasus_corpus.authoring.writer.commit`): the article's records file is re-read under the
release-wide lock, changed, checked with the one checker (schema, text == article[start:end], ids,
actor references, CAMEO codes, cues) and committed atomically, so a call either is on disk or
raised and changed nothing, and two sessions (or a session and a script) writing the same article
never lose each other's records. ``update``, ``delete`` and ``undo`` change a record only if it is
still the version this session last saw (read, or wrote itself); when another writer changed it
meanwhile they raise ``ConcurrentEditError`` and save nothing (``reload()`` shows the record as it
is now). Inside ``with session.batch():`` the changes are checked and
committed together when the block ends (for scripts that make many records).

Spans are given by ``start=``/``end=`` (code points of the stored text) or by ``quote=``, which
must occur once, or be made unique by ``occurrence=`` (1 is the first) or by an ``anchor=`` that
occurs once and contains the quote once. A cue likewise: ``cue="said"`` (the occurrence nearest
the span, or the one inside ``cue_anchor=``) or ``cue_start=``/``cue_end=``. Actor attributes
(``speaker``, ``actor``, ``holder``, ``via``, ``target``, ``targets``) take an actor id, name or
any alias; a stance ``target`` may also be a topic id. Record ids follow
:mod:`caucasus_corpus.authoring.ids`.

With ``independent=True`` a session annotates apart from the gold, for measuring agreement: it
reads and writes only ``annotations/annotators/ANNOTATOR/ARTICLE_ID.jsonl`` (see :func:`annotate`).
"""

from __future__ import annotations

import json
import numbers
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._options import check_choice, unknown_key
from ..errors import ConcurrentEditError, CorpusError, CorpusFormatError
from ..release.check import annotation_key, check_release
from ..release.commit import read_lock
from ..release.files import parse_jsonl, read_tsv
from ..release.layout import ACTORS_FILE, CAMEO_FILE, MANIFEST_NAME, TOPICS_FILE, annotator_records_path, records_path, text_path
from ..release.manifest import read_manifest, resolve_root
from ..release.withheld import refuse_withheld
from ..release.safefile import read_inside
from ..text.names import NameIndex
from ..vocab import ACTOR_KINDS, LAYER_ATTRIBUTES, LAYERS, is_slug
from .ids import mark_key, next_record_id, record_prefix
from .writer import ID_MARKS_FIELD, TOPIC_FIELDS, actor_lines, commit, record_lines, topics_tsv

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AnnotationSession", "ConcurrentEditError", "annotate"]

_SPAN_KEYS = ("start", "end", "quote", "occurrence", "anchor")
_CUE_KEYS = ("cue", "cue_start", "cue_end", "cue_anchor")
_ACTOR_FIELDS = ("actor_id", "name", "kind", "aliases", "role", "affiliation", "country", "notes")


@dataclass
class _State:
    """The files a session edits, as parsed objects, and the raw bytes they were read from."""

    records: list[dict[str, Any]]
    actors: list[dict[str, Any]]
    topics: list[dict[str, str]]
    marks: dict[str, int]
    raw: dict[str, bytes | None] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)  # "records", "actors", "topics"
    new_marks: dict[str, int] = field(default_factory=dict)


def _read_state(read: Callable[[str], bytes | None], records_file: str) -> _State:
    paths = (records_file, ACTORS_FILE, TOPICS_FILE, MANIFEST_NAME)
    raw = {p: read(p) for p in paths}

    def objects(path: str) -> list[dict[str, Any]]:
        found, errors = parse_jsonl(raw[path] or b"", path)
        if errors:
            raise CorpusFormatError(f"{path}:{errors[0][0]}: {errors[0][1]}; fix the file before annotating")
        return [obj for _n, obj in found]

    topics = read_tsv(raw[TOPICS_FILE], TOPICS_FILE) if raw[TOPICS_FILE] else []
    marks = json.loads(raw[MANIFEST_NAME] or b"{}").get(ID_MARKS_FIELD) or {}
    return _State(objects(records_file), objects(ACTORS_FILE), topics, dict(marks), raw)


def _occurrences(text: str, quote: str, lo: int = 0, hi: int | None = None) -> list[int]:
    hi = len(text) if hi is None else hi
    hits, i = [], text.find(quote, lo, hi)
    while i != -1:
        hits.append(i)
        i = text.find(quote, i + 1, hi)
    return hits


def _unique(text: str, quote: str, what: str, lo: int = 0, hi: int | None = None) -> int:
    hits = _occurrences(text, quote, lo, hi)
    if len(hits) != 1:
        where = "" if (lo, hi) == (0, None) else f" inside the anchor at {lo}:{hi}"
        if not hits:
            raise ValueError(f"{what} {quote!r} does not occur in the article{where}; copy it from the stored text (keep its typos)")
        shown = ", ".join(f"start={h}" for h in hits[:20])
        raise ValueError(f"{what} {quote!r} occurs {len(hits)} times{where} ({shown}); "
                         "give occurrence= (1 is the first), a unique anchor= or start=/end=")
    return hits[0]


def whole_number(value: Any, key: str, *, what: str = "") -> int:
    """``value`` as a Python int: offsets copied from a frame (``corpus.tokens``) are numpy integers.
    A bool, a float or a string is refused, as the checker refuses it in a record.

    >>> import numpy as np
    >>> whole_number(np.int64(6), "end")
    6
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "..."
        raise ValueError(f"{what + ': ' if what else ''}{key}={shown} is not a whole number; give "
                         + ("1 for the first occurrence" if key == "occurrence" else "code points of the stored text, e.g. start=0, end=6"))
    return int(value)


def resolve_span(text: str, *, start: int | None = None, end: int | None = None, quote: str | None = None,
                 occurrence: int | None = None, anchor: str | None = None, what: str = "quote") -> tuple[int, int]:
    """``(start, end)`` of a span given by offsets, or by a quote made unique (module docstring).

    >>> resolve_span("a b a b", quote="b", occurrence=2)
    (6, 7)
    """
    if start is not None or end is not None:
        if start is None or end is None:
            raise ValueError(f"give both start= and end= for the {what} (code points of the stored text)")
        start, end = whole_number(start, "start", what=what), whole_number(end, "end", what=what)
        if not 0 <= start < end <= len(text):
            raise ValueError(f"{what} offsets {start}:{end} are not a span of the article (0 <= start < end <= {len(text)})")
        if quote is not None and text[start:end] != quote:
            raise ValueError(f"{what} {quote!r} differs from the article text at {start}:{end}, {text[start:end]!r}")
        return start, end
    if not quote:
        raise ValueError(f"give the {what} by quote= (its text) or by start= and end=")
    if anchor is not None:
        a = _unique(text, anchor, "anchor")
        s = _unique(text, quote, what, a, a + len(anchor))
    elif occurrence is not None:
        hits = _occurrences(text, quote)
        occurrence = whole_number(occurrence, "occurrence", what=what)
        if not 1 <= occurrence <= len(hits):
            raise ValueError(f"occurrence={occurrence!r}: {what} {quote!r} occurs {len(hits)} times; 1 is the first")
        s = hits[occurrence - 1]
    else:
        s = _unique(text, quote, what)
    return s, s + len(quote)


def _nearest(text: str, cue: str, span: tuple[int, int]) -> int:
    hits = _occurrences(text, cue)
    if not hits:
        raise ValueError(f"cue {cue!r} does not occur in the article; copy it from the stored text")

    def distance(h: int) -> int:
        return max(span[0] - (h + len(cue)), h - span[1], 0)

    return min(hits, key=lambda h: (distance(h), h))


def _refuse_duplicate(state: _State, rec: dict[str, Any]) -> None:
    """Refuse a record that repeats another of the file (the checker refuses it too; this names
    the record the person is making rather than whichever of the two sorts later)."""
    key = annotation_key(rec)
    twin = next((r["id"] for r in state.records if r["id"] != rec.get("id") and annotation_key(r) == key), None)
    if twin is not None:
        raise ValueError(f"this {rec['layer']} would be a duplicate of {twin} (same layer, span and attributes); "
                         "nothing was saved")


class AnnotationSession:
    """Annotate one article of a release folder; every change is saved at once (module docstring).

    Make one with :func:`annotate`. ``text`` is the article, ``records`` its records (a frame),
    ``actors`` and ``topics`` the registries, ``cameo`` the THREATEN codes and names.
    """

    def __init__(self, release: str | Path, article_id: str, *, annotator: str, prefix: str | None = None,
                 independent: bool = False) -> None:
        if not isinstance(annotator, str) or not annotator.strip():
            raise ValueError("annotator= is required: the name or id of the person making the records, e.g. 'aliyeva'")
        if independent and not is_slug(annotator):
            raise ValueError(f"annotator={annotator!r}: an independent annotator's records live in a folder named after "
                             "them, so the name must be a slug (lower-case letters, digits, hyphens), e.g. 'aliyeva'")
        # Independent annotation reads and writes only this annotator's own file: neither the gold
        # records nor another annotator's are ever read (the actor registry is shared).
        self.independent = bool(independent)
        self.records_file = annotator_records_path(annotator, article_id) if independent else records_path(article_id)
        self.root = resolve_root(release)
        self.article_id = article_id
        self.annotator = annotator
        with read_lock(self.root):
            manifest = read_manifest(self.root)
            refuse_withheld(self.root, manifest.descriptor, "annotate")
            checked = check_release(manifest)
            # What load() raises, when the check could not read the texts (an unreadable or changed
            # file, one the manifest does not list): "unknown article" would hide it. Other problems
            # do not stop a session, so that one can open it to fix a record; every save is checked.
            if checked.fatal is not None or checked.integrity is not None or article_id not in checked.texts:
                checked.raise_first()
            if article_id not in checked.texts:
                raise unknown_key("article", article_id, sorted(checked.texts))
            self.text: str = checked.texts[article_id]
            # the article's language picks the suggestion rules (caucasus_corpus.suggest.languages)
            self.language: str = next((row.get("language") or "" for _n, row in checked.rows
                                       if row.get("article_id") == article_id), "")
        self._state = self._read_disk()
        self.cameo: dict[str, str] = dict(checked.annotations.cameo)
        if prefix is not None and not is_slug(prefix):
            raise ValueError(f"prefix={prefix!r} is not a slug (lower-case letters, digits, hyphens)")
        # An independent annotator's ids carry their name, so that one id names one record of the release.
        default_prefix = f"{article_id}-{annotator}" if independent else article_id
        self.prefix = prefix or record_prefix(default_prefix, [r["id"] for r in self._state.records])
        self._undo: list[tuple[str, Any, Any]] = []
        self._batch: _State | None = None

    # -- reading -------------------------------------------------------------------------------
    @property
    def records(self) -> pd.DataFrame:
        """This article's records, one row per record, as ``Corpus.annotations`` shows them.

        Columns
        -------
        id : string
            The record id.
        article_id : string
            This article.
        layer : string
            mention, claim, threat or stance.
        start : int64
            First code point of the span.
        end : int64
            One past its last code point.
        text : string
            The text of the span.
        actor : string
            The principal actor: mention actor, claim or threat speaker, stance holder.
        annotator : string
            Who made the record.
        attributes : object
            The layer's other attributes, as a dict.
        """
        from ..model.records import AnnotationData, annotations_frame

        return annotations_frame(AnnotationData(records=self.record_list()))

    def record_list(self) -> list[dict[str, Any]]:
        """This article's records as dicts (copies), in file order."""
        return [json.loads(json.dumps(r)) for r in self._current.records]

    def record(self, record_id: str) -> dict[str, Any]:
        """One record of this article (a copy)."""
        return json.loads(json.dumps(self._find(self._current, record_id)))

    @property
    def actors(self) -> list[dict[str, Any]]:
        return [dict(a) for a in self._current.actors]

    @property
    def topics(self) -> list[dict[str, str]]:
        return [dict(t) for t in self._current.topics]

    def reload(self) -> None:
        """Read the article's records and the registries again (another writer may have saved)."""
        if self._batch is not None:
            raise CorpusError("reload() inside a batch would drop its changes; end the batch first")
        self._state = self._read_disk()

    def _read_disk(self) -> _State:
        with read_lock(self.root):
            return _read_state(lambda p: read_inside(self.root, p), self.records_file)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def resolve_actor(self, name: str) -> str:
        """The actor id for an id, name or alias, in any script and with case endings, as
        ``Corpus.resolve_actor`` matches them."""
        return self._resolve(self._current, name, topics=False)

    @property
    def _current(self) -> _State:
        return self._batch if self._batch is not None else self._state

    # -- making records ------------------------------------------------------------------------
    def mention(self, **fields: Any) -> str:
        """Record a mention (``actor``, ``form``, ``note``); returns the new record id."""
        return self._create("mention", fields)

    def claim(self, **fields: Any) -> str:
        """Record a claim (``speaker``, cue, ``attribution``, ``claim_type``, ``targets``, ``via``, ``note``)."""
        return self._create("claim", fields)

    def threat(self, **fields: Any) -> str:
        """Record a threat (``speaker``, ``target``, ``explicitness``, ``cameo``, ``plover_mode``, cue, ``note``)."""
        return self._create("threat", fields)

    def stance(self, **fields: Any) -> str:
        """Record a stance (``holder``, ``target``: actor or topic, ``polarity``, ``note``)."""
        return self._create("stance", fields)

    def update(self, record_id: str, **changes: Any) -> str:
        """Change a record's span, cue or attributes (``None`` removes an optional attribute).

        Raises ``ConcurrentEditError`` (nothing saved) when another writer changed or deleted the
        record since this session read it: ``reload()`` shows it as it is now."""
        seen = self._seen(record_id)

        def edit(state: _State) -> str:
            old = self._unchanged(state, record_id, seen, "update")
            rec = {"id": record_id, **self._build(state, old["layer"], changes, base=old)}
            _refuse_duplicate(state, rec)
            state.records[state.records.index(old)] = rec
            state.dirty.add("records")
            self._undo.append(("record", old, rec))
            return record_id

        return self._apply(edit)

    def delete(self, record_id: str) -> str:
        """Remove a record; its id is never given to another record. Raises ``ConcurrentEditError``
        (nothing saved) when another writer changed the record since this session read it."""
        seen = self._seen(record_id)

        def edit(state: _State) -> str:
            old = self._unchanged(state, record_id, seen, "delete")
            state.records.remove(old)
            state.dirty.add("records")
            self._undo.append(("record", old, None))
            return record_id

        return self._apply(edit)

    def undo(self) -> str:
        """Take back the last change of this session (saved at once); returns what was undone.

        The last change is the last thing done through this session: a record made, changed or
        deleted, an actor or topic added, or suggestions accepted or rejected (an undone reject
        offers the suggestion again; an undone accept deletes the record and offers it again).
        Raises ``ConcurrentEditError`` (nothing saved) when another writer changed what that
        change wrote; the step is then dropped from the session's history, since it can no longer
        be taken back as it was.
        """
        if not self._undo:
            raise ValueError("nothing to undo in this session")
        kind, before, after = self._undo[-1]
        if kind in ("accept", "reject"):  # a decision on suggestions: before = their ids, after = the records made
            from .suggestions import undo_decision

            try:
                done = undo_decision(self, kind, before, after)
            except ConcurrentEditError:
                self._undo.pop()
                raise
            self._undo.pop()
            return done

        def edit(state: _State) -> str:
            if kind == "record":
                rid = (after or before)["id"]
                current = next((r for r in state.records if r["id"] == rid), None)
                if current != after:
                    raise self._conflict(rid, after, current, "undo")
                if current is not None:
                    state.records.remove(current)
                if before is not None:
                    state.records.append(before)
                state.dirty.add("records")
                return f"{'deleted' if before is None else 'restored'} {rid}"
            registry, key, dirty = (state.actors, "actor_id", "actors") if kind == "actor" else (state.topics, "topic_id", "topics")
            current = next((x for x in registry if x.get(key) == after[key]), None)
            if current != after:
                what = "deleted" if current is None else "changed"
                raise ConcurrentEditError(
                    f"{self.root}: {kind} {after[key]!r} was {what} by another writer after this session added it; "
                    "nothing was saved, and this step is dropped from the session's undo history. "
                    f"Edit {ACTORS_FILE if kind == 'actor' else TOPICS_FILE} if it must go.")
            registry.remove(current)
            state.dirty.add(dirty)
            return f"removed {kind} {after[key]}"

        try:
            done = self._apply(edit)
        except ConcurrentEditError:
            self._undo.pop()
            raise
        self._undo.pop()
        return done

    # -- registries ------------------------------------------------------------------------------
    def add_actor(self, actor_id: str, *, name: str, kind: str, aliases: list[str] | tuple[str, ...] = (),
                  role: str = "", affiliation: str = "", country: str = "", notes: str = "",
                  alias_sources: Mapping[str, str] | None = None) -> str:
        """Add an actor to the registry; refuses an id in use or an alias that names another actor."""
        if not is_slug(actor_id):
            raise ValueError(f"actor id {actor_id!r} is not a slug (lower-case letters, digits, hyphens), e.g. 'pell-andor'")
        check_choice("kind", kind, ACTOR_KINDS)
        actor = dict(actor_id=actor_id, name=name, kind=kind, aliases=list(aliases))
        if alias_sources:
            actor["alias_sources"] = dict(alias_sources)
        actor.update(role=role, affiliation=affiliation, country=country, notes=notes)

        def edit(state: _State) -> str:
            owners = {}
            for a in state.actors:
                for form in (a["name"], *a["aliases"]):
                    owners.setdefault(form.casefold(), a["actor_id"])
            if any(a["actor_id"] == actor_id for a in state.actors):
                raise ValueError(f"actor id {actor_id!r} is already in {ACTORS_FILE}; use it, or choose another id")
            for form in (name, *aliases):
                if form.casefold() in owners:
                    raise ValueError(f"{form!r} already names actor {owners[form.casefold()]!r}; an alias must name one actor")
            state.actors.append(actor)
            state.dirty.add("actors")
            self._undo.append(("actor", None, actor))
            return actor_id

        return self._apply(edit)

    def add_topic(self, topic_id: str, *, label: str, description: str = "") -> str:
        """Add a topic that a stance can target."""
        if not is_slug(topic_id):
            raise ValueError(f"topic id {topic_id!r} is not a slug (lower-case letters, digits, hyphens)")

        def edit(state: _State) -> str:
            if any(t.get("topic_id") == topic_id for t in state.topics):
                raise ValueError(f"topic {topic_id!r} is already in {TOPICS_FILE}")
            topic = dict(zip(TOPIC_FIELDS, (topic_id, label, description)))
            state.topics.append(topic)
            state.dirty.add("topics")
            self._undo.append(("topic", None, topic))
            return topic_id

        return self._apply(edit)

    # -- batches ----------------------------------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[AnnotationSession]:
        """Check and save every change made in the block in one commit when it ends (nothing on error).

        Refuses with ``ConcurrentEditError`` when another writer changed the same files meanwhile.
        """
        if self._batch is not None:
            raise CorpusError("a batch is already open on this session")
        self._batch = self._read_disk()
        undo_mark = len(self._undo)
        try:
            yield self
            pending, self._batch = self._batch, None

            def stage(txn: Any) -> dict[str, str]:
                changed = [p for p, data in pending.raw.items() if p != MANIFEST_NAME and txn.read_bytes(p) != data]
                if changed:
                    raise ConcurrentEditError(
                        f"{self.root}: {', '.join(changed)} changed while the batch was open (another session or "
                        "script wrote it); nothing of the batch was saved. Run the batch again.")
                marks.update(pending.new_marks)
                return self._files(pending)

            marks: dict[str, int] = {}
            if pending.dirty:
                commit(self.root, stage, id_marks=marks)
            self._state = self._read_disk()
        except BaseException:
            self._batch = None
            del self._undo[undo_mark:]
            raise

    # -- internals ----------------------------------------------------------------------------------
    def _apply(self, edit: Callable[[_State], str]) -> str:
        if self._batch is not None:
            return edit(self._batch)
        result: list[str] = []
        marks: dict[str, int] = {}
        undo_mark = len(self._undo)

        def stage(txn: Any) -> dict[str, str]:
            state = _read_state(txn.read_bytes, self.records_file)
            result.append(edit(state))
            marks.update(state.new_marks)
            result_state.append(state)
            return self._files(state)

        result_state: list[_State] = []
        try:
            commit(self.root, stage, id_marks=marks)
        except BaseException:
            del self._undo[undo_mark:]
            raise
        state = result_state[0]
        state.marks.update(marks)
        self._state = state
        return result[0]

    def _files(self, state: _State) -> dict[str, str]:
        files = {}
        if "records" in state.dirty:
            files[self.records_file] = record_lines(state.records)
        if "actors" in state.dirty:
            files[ACTORS_FILE] = actor_lines(state.actors)
        if "topics" in state.dirty:
            files[TOPICS_FILE] = topics_tsv(state.topics)
        return files

    def _as_decision(self, kind: str, suggestion_ids: list[str], n_records: int) -> None:
        """Make the last ``n_records`` record creations (an accept) one undo step with the
        decision on ``suggestion_ids``, so that undo reverses what the person did."""
        made = self._undo[len(self._undo) - n_records:] if n_records else []
        if len(made) != n_records or any(k != "record" or before is not None for k, before, _after in made):
            return  # not the records of this decision: leave the history as it is
        del self._undo[len(self._undo) - n_records:]
        self._undo.append((kind, list(suggestion_ids), [after for _k, _b, after in made]))

    def _remove_records(self, records: list[dict[str, Any]]) -> None:
        """Delete ``records`` in one commit, refused when any of them is not on disk as given."""
        def edit(state: _State) -> str:
            for rec in records:
                current = next((r for r in state.records if r["id"] == rec["id"]), None)
                if current != rec:
                    raise self._conflict(rec["id"], rec, current, "undo")
                state.records.remove(current)
            state.dirty.add("records")
            return ", ".join(r["id"] for r in records)

        self._apply(edit)

    def _seen(self, record_id: str) -> dict[str, Any] | None:
        """The record as this session last read or wrote it (None: never seen)."""
        return next((r for r in self._current.records if r["id"] == record_id), None)

    def _unchanged(self, state: _State, record_id: str, seen: dict[str, Any] | None, action: str) -> dict[str, Any]:
        """The record of ``state`` (what is on disk now), refused when it is not the one the session saw."""
        current = next((r for r in state.records if r["id"] == record_id), None)
        if current is None and seen is None:
            return self._find(state, record_id)  # unknown everywhere: the usual error naming the ids
        if current != seen:
            raise self._conflict(record_id, seen, current, action)
        return current

    def _conflict(self, record_id: str, expected: dict[str, Any] | None, current: dict[str, Any] | None,
                  action: str) -> ConcurrentEditError:
        if current is None:
            what = "was deleted by another writer"
        elif expected is None:
            what = "was saved by another writer after this session read the article"
        else:
            keys = sorted(k for k in {*expected, *current} if expected.get(k) != current.get(k))
            what = f"was changed by another writer ({', '.join(keys)})"
        if action == "undo":
            then = "nothing was saved, and this step is dropped from the session's undo history (the record is no " \
                   "longer the one this session saved). session.reload() shows it as it is now; change it from there"
        else:
            then = f"nothing was saved. session.reload() shows it as it is now; then {action} it again if you still want to"
        return ConcurrentEditError(f"{self.root}: record {record_id} of {self.article_id} {what} since this session "
                                   f"last saw it; {then}.")

    def _find(self, state: _State, record_id: str) -> dict[str, Any]:
        for r in state.records:
            if r["id"] == record_id:
                return r
        raise unknown_key(f"record of {self.article_id}", record_id, [r["id"] for r in state.records])

    def _resolve(self, state: _State, name: Any, *, topics: bool) -> str:
        ids = {a["actor_id"] for a in state.actors}
        if name in ids or (topics and name in {t.get("topic_id") for t in state.topics}):
            return str(name)
        # The same tiers as Corpus.resolve_actor: exact, a case ending, another script, both; a name
        # that two actors share at its best tier raises AmbiguousNameError instead of a silent choice.
        found = NameIndex(state.actors).match(str(name))
        if found is not None:
            return found.actor_id
        known = sorted(ids | {a["name"] for a in state.actors} | ({t.get("topic_id", "") for t in state.topics} if topics else set()))
        raise unknown_key("actor or topic" if topics else "actor", name, known)

    def _create(self, layer: str, fields: dict[str, Any]) -> str:
        def edit(state: _State) -> str:
            rec = self._build(state, layer, fields, base=None)
            _refuse_duplicate(state, rec)
            rid, n = next_record_id(self.prefix, layer, [r["id"] for r in state.records], {**state.marks, **state.new_marks})
            rec = {"id": rid, **rec}
            state.new_marks[mark_key(self.prefix, layer)] = n
            state.records.append(rec)
            state.dirty.add("records")
            self._undo.append(("record", None, rec))
            return rid

        return self._apply(edit)

    def _build(self, state: _State, layer: str, fields: Mapping[str, Any], *, base: dict[str, Any] | None) -> dict[str, Any]:
        """The record (without id for a new one) that ``fields`` make of ``base``; checks names and refs."""
        check_choice("layer", layer, LAYERS)
        allowed = LAYER_ATTRIBUTES[layer]
        unknown = sorted(set(fields) - set(allowed) - set(_SPAN_KEYS) - set(_CUE_KEYS))
        if unknown:
            raise ValueError(f"{layer}: unknown attribute(s) {', '.join(map(repr, unknown))}; a {layer} takes "
                             f"{', '.join(allowed)} and the span (start/end or quote/occurrence/anchor)")
        text = self.text
        if base is None or any(k in fields for k in _SPAN_KEYS):
            span = resolve_span(text, **{k: fields.get(k) for k in _SPAN_KEYS})
        else:
            span = (base["start"], base["end"])
        rec: dict[str, Any] = {"article_id": self.article_id, "layer": layer, "start": span[0], "end": span[1],
                               "text": text[span[0]:span[1]],
                               "annotator": base["annotator"] if base is not None else self.annotator}
        attrs = {k: v for k, v in (base or {}).items() if k in allowed}
        if layer == "claim":
            attrs.setdefault("targets", [])
            attrs.setdefault("cue", None)
        for key in allowed:
            if key in fields and key != "cue":
                attrs[key] = fields[key]
        if any(fields.get(k) is not None for k in _CUE_KEYS) or "cue" in fields:
            attrs["cue"] = self._cue(fields, span)
        for key in ("actor", "speaker", "holder", "via", "organization"):
            if attrs.get(key) is not None:
                attrs[key] = self._resolve(state, attrs[key], topics=False)
        if attrs.get("target") is not None:
            attrs["target"] = self._resolve(state, attrs["target"], topics=(layer == "stance"))
        if "targets" in attrs:
            if isinstance(attrs["targets"], str):
                raise ValueError("targets= takes a list of actors, e.g. targets=['russia']")
            attrs["targets"] = [self._resolve(state, t, topics=False) for t in attrs["targets"]]
        for key, value in list(attrs.items()):
            if value is None or value == "":
                if not (layer == "claim" and key == "cue"):  # a claim keeps cue: null, as the schema asks
                    del attrs[key]
        rec.update({k: attrs[k] for k in allowed if k in attrs})  # keys in the schema's order
        return rec

    def _cue(self, fields: Mapping[str, Any], span: tuple[int, int]) -> dict[str, Any] | None:
        cue, start, end, anchor = (fields.get(k) for k in _CUE_KEYS)
        if cue is None and start is None and end is None:
            return None
        if isinstance(cue, Mapping):  # a cue object as stored in a record
            start, end, cue = cue.get("start"), cue.get("end"), cue.get("text")
        if start is not None or end is not None:
            s, e = resolve_span(self.text, start=start, end=end, quote=cue, what="cue")
        elif anchor is not None:
            s, e = resolve_span(self.text, quote=cue, anchor=anchor, what="cue")
        else:
            s = _nearest(self.text, str(cue), span)
            e = s + len(str(cue))
        return {"start": s, "end": e, "text": self.text[s:e]}

    # -- machine suggestions (kept apart from records: caucasus_corpus.authoring.suggestions) ------
    def suggest(self, *, layers: tuple[str, ...] = ("mention", "claim", "threat", "actor")) -> pd.DataFrame:
        """Run the suggestion rules (those of the article's language) on this article; the open
        suggestions, one row each (columns: :func:`caucasus_corpus.suggest.suggest`), new actors
        for the registry among them (layer ``actor``). Stored apart from records; decisions are kept."""
        from .suggestions import suggest_for

        return suggest_for(self, layers=layers)

    def accept(self, suggestion_id: str, **fixes: Any) -> str:
        """Save a suggestion as your record (``fixes``: any argument of ``mention``/``claim``/
        ``threat`` to change first); returns the record id. A new actor (layer ``actor``) is added
        to the registry with :meth:`add_actor` (``fixes``: its arguments, e.g. ``actor_id=``,
        ``name=``, ``aliases=``); returns the actor id."""
        from .suggestions import accept

        return accept(self, suggestion_id, **fixes)

    def reject(self, suggestion_id: str) -> str:
        """Mark a suggestion rejected, so that it is not shown again; returns its id."""
        from .suggestions import reject

        return reject(self, suggestion_id)


def annotate(release: str | Path, article_id: str, *, annotator: str, prefix: str | None = None,
             independent: bool = False) -> AnnotationSession:
    """Open an annotation session on ``article_id`` of the release folder ``release``.

    ``annotator`` is stored in every new record. ``prefix`` overrides the record-id prefix (by
    default the one the article's records share, else the article id; see
    :mod:`caucasus_corpus.authoring.ids`). Everything a session changes is saved at once; see
    :mod:`caucasus_corpus.authoring.session`.

    ``independent=True`` annotates apart from the gold, for measuring agreement: the records go to
    ``annotations/annotators/ANNOTATOR/ARTICLE_ID.jsonl`` (``annotator`` must then be a slug), and
    the session neither reads nor shows the gold records or another annotator's; record ids get the
    prefix ``ARTICLE_ID-ANNOTATOR``. Actors and topics are shared: an actor one annotator adds is
    there for the other. See :mod:`caucasus_corpus.reliability`.
    """
    return AnnotationSession(release, article_id, annotator=annotator, prefix=prefix, independent=independent)
