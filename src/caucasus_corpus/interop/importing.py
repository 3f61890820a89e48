"""Bring records made in another tool into a release: map, check, refuse or write through the annotation API.

Every reader (:mod:`.brat`, :mod:`.xmi`, :mod:`.labelstudio`) turns its files into
:class:`ForeignDocument` objects holding :class:`ForeignRecord` objects: our layer names, our
attribute names, code-point offsets, and the values as the tool stored them. :func:`import_documents`
then checks everything it can before writing anything, and refuses (writing nothing) with the
whole list of what it could not map:

* the article must be in the release, with the same id and exactly the same text (a tool that
  added a byte order mark, CRLF line ends or changed one character is named, with where);
* every span must be a span of that text and, where the tool stored the text it covers, cover
  exactly that text (a shifted offset is never moved to where the text "probably" is);
* every label and attribute value must be one of ours, every actor an id, name or alias of the
  release's registry (a stance target may also be a topic id); a name is never guessed.

Records already in the article with the same span, layer and attributes are reported as
already present and not added twice. The rest are written article by article through
``cc.annotate(...).batch()`` (the same validation, commit protocol and id allocation as every
other write), first into a scratch copy of the release: if any article fails there, the release
itself is never touched.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorpusError, CorpusValidationError
from ..model.records import name_key
from ..release.commit import read_lock
from ..release.layout import MANIFEST_NAME
from ..release.load import load
from ..release.manifest import read_manifest, resolve_root
from ..vocab import (
    ATTRIBUTIONS,
    CLAIM_TYPES,
    EXPLICITNESS,
    LAYER_ATTRIBUTES,
    LAYERS,
    MENTION_FORMS,
    PLOVER_MODES,
    POLARITIES,
)
from .exporting import cameo_codes, records_by_article

__all__ = ["ForeignDocument", "ForeignRecord", "ImportRefused", "ImportReport", "import_documents", "LINE_BREAKS"]

# Characters Python's str.splitlines() breaks at: a one-line field of a tool's file must not hold one.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# Closed values of each attribute, and the attributes that name actors (or topics).
CHOICES = {"form": MENTION_FORMS, "attribution": ATTRIBUTIONS, "claim_type": CLAIM_TYPES,
           "explicitness": EXPLICITNESS, "plover_mode": PLOVER_MODES, "polarity": POLARITIES}
ACTOR_ATTRIBUTES = ("actor", "speaker", "holder", "target", "via", "organization")
REQUIRED = {"mention": ("actor", "form"), "claim": ("speaker", "attribution", "claim_type"),
            "threat": ("speaker", "target", "explicitness", "cameo"), "stance": ("holder", "target", "polarity")}


@dataclass
class ForeignRecord:
    """One record as a tool stored it, in our terms: layer, code-point span, attributes by our names.

    ``text`` is the text the tool says the span covers (None when it stores none); ``cue`` is
    ``(start, end, text-or-None)`` or None; ``where`` locates it for messages (``file:line``).
    """

    where: str
    layer: str
    start: int
    end: int
    text: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    cue: tuple[int, int, str | None] | None = None


@dataclass
class ForeignDocument:
    """One document of a tool's export: which article, its text as the tool holds it, its records.

    ``problems`` are what the reader could not map (unknown labels, broken lines), each a full
    message; they refuse the import like any other problem.
    """

    source: str
    article_id: str
    text: str | None
    records: list[ForeignRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import wrote: new record ids by article; records already there (same span, layer and
    attributes) by article, with the ids they have; records a file held twice (added once)."""

    added: dict[str, list[str]] = field(default_factory=dict)
    already_present: dict[str, list[str]] = field(default_factory=dict)
    repeated: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for aid, ids in self.added.items():
            out.append(f"{aid}: {len(ids)} record(s) added ({', '.join(ids)})" if ids else f"{aid}: nothing new")
            if self.already_present.get(aid):
                present = self.already_present[aid]
                out.append(f"{aid}: {len(present)} record(s) already in the release, not added again ({', '.join(present)})")
        return out + self.repeated


class ImportRefused(CorpusValidationError):
    """An import found things it cannot map; ``problems`` lists every one. Nothing was written."""


def describe_difference(theirs: str, ours: str) -> str:
    """Why two texts differ, in the terms of the known traps (BOM, CRLF), else where they first do."""
    if theirs.startswith("\ufeff") and not ours.startswith("\ufeff"):
        return "it starts with a byte order mark (BOM) that the stored text does not have; save it as UTF-8 without BOM"
    if "\r" in theirs and "\r" not in ours:
        return ("it has CR or CRLF line ends and the stored text has LF; a tool that counts CRLF as one character "
                "shifts every later offset, so convert the file to LF line ends and annotate again")
    n = next((i for i, (a, b) in enumerate(zip(theirs, ours)) if a != b), min(len(theirs), len(ours)))
    line = ours.count("\n", 0, n) + 1
    col = n - (ours.rfind("\n", 0, n) + 1) + 1
    return (f"it differs from the stored text first at character {n} (line {line}, column {col}): "
            f"{theirs[n:n + 20]!r} where the release has {ours[n:n + 20]!r}")


def _span_problem(text: str, start: Any, end: Any, quoted: str | None, what: str) -> str | None:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return f"{what} {start}:{end} is not a span of the text (0 <= start < end <= {len(text)})"
    actual = text[start:end]
    if quoted is None or quoted == actual:
        return None
    units = text.encode("utf-16-le")
    as_utf16 = units[2 * start:2 * end].decode("utf-16-le", errors="replace")
    hint = ("; the offsets count UTF-16 code units (a browser's string length), not code points: "
            "re-export with a tool version that stores code points") if as_utf16 == quoted else \
        "; its offsets are shifted or the text was edited in the tool"
    if unicodedata.normalize("NFC", actual) == unicodedata.normalize("NFC", quoted):
        hint = "; they differ only in Unicode normalisation: the tool changed the text's code points"
    return f"{what} {start}:{end} says {quoted!r} but the text there is {actual!r}{hint}"


class _Registry:
    """The release's actors and topics, to turn what a tool stored into ids (never by a guess)."""

    def __init__(self, actors: Iterable[dict[str, Any]], topics: Iterable[dict[str, str]]) -> None:
        self.actor_ids = {a["actor_id"] for a in actors}
        self.topic_ids = {t.get("topic_id", "") for t in topics} - {""}
        self.names: dict[str, str] = {}
        for a in actors:
            for form in (a["name"], *a["aliases"]):
                self.names[name_key(form)] = a["actor_id"]

    def resolve(self, value: Any, *, topics: bool) -> str | None:
        if not isinstance(value, str) or not value:
            return None
        if value in self.actor_ids or (topics and value in self.topic_ids):
            return value
        return self.names.get(name_key(value))


def _map_record(rec: ForeignRecord, text: str, registry: _Registry, cameo: set[str]) -> tuple[dict[str, Any] | None, list[str]]:
    """The keyword arguments of the session call for ``rec``, or the problems that prevent it."""
    where = f"{rec.where}: {rec.layer}"
    problems = []
    if rec.layer not in LAYERS:
        return None, [f"{rec.where}: unknown layer {rec.layer!r}; ours are {', '.join(LAYERS)}"]
    if (p := _span_problem(text, rec.start, rec.end, rec.text, "span")) is not None:
        problems.append(f"{where}: {p}")
    allowed = LAYER_ATTRIBUTES[rec.layer]
    for key in sorted(set(rec.attributes) - set(allowed)):
        problems.append(f"{where}: unknown attribute {key!r}; a {rec.layer} takes {', '.join(allowed)}")
    for key in REQUIRED[rec.layer]:
        if rec.attributes.get(key) in (None, ""):
            problems.append(f"{where}: {key} is missing; every {rec.layer} needs one")
    fields: dict[str, Any] = {"start": rec.start, "end": rec.end}
    for key, value in rec.attributes.items():
        if key not in allowed or value in (None, "", []):
            continue
        if key in CHOICES and value not in CHOICES[key]:
            problems.append(f"{where}: {key} {value!r} is not one of ours ({', '.join(CHOICES[key])})")
        elif key == "cameo" and value not in cameo:
            problems.append(f"{where}: cameo {value!r} is not a code of the release's CAMEO THREATEN list")
        elif key in ACTOR_ATTRIBUTES:
            topics = rec.layer == "stance" and key == "target"
            resolved = registry.resolve(value, topics=topics)
            if resolved is None:
                kind = "actor or topic" if topics else "actor"
                problems.append(f"{where}: {key} {value!r} is not an {kind} of the release (an id, name or alias); "
                                "add it to the registry first or fix the value")
            value = resolved
        elif key == "targets":
            values = value if isinstance(value, list) else [value]
            resolved_list = [registry.resolve(v, topics=False) for v in values]
            for v, r in zip(values, resolved_list):
                if r is None:
                    problems.append(f"{where}: target {v!r} is not an actor of the release (an id, name or alias); "
                                    "add it to the registry first or fix the value")
            value = resolved_list
        elif key == "note" and not isinstance(value, str):
            problems.append(f"{where}: note {value!r} is not text")
        fields[key] = value
    if rec.cue is not None:
        if rec.layer not in ("claim", "threat"):
            problems.append(f"{where}: only claims and threats have a cue")
        elif (p := _span_problem(text, rec.cue[0], rec.cue[1], rec.cue[2], "cue")) is not None:
            problems.append(f"{where}: {p}")
        fields["cue"] = {"start": rec.cue[0], "end": rec.cue[1], "text": text[rec.cue[0]:rec.cue[1]]}
    elif rec.layer in ("claim", "threat"):
        fields["cue"] = None
    return (None if problems else fields), problems


def _order(rec: ForeignRecord) -> tuple[int, int, str]:
    """Records are created in text order (a tool's file may hold anything where an offset should be)."""
    def number(x: Any) -> int:
        return x if isinstance(x, int) else -1

    return number(rec.start), number(rec.end), str(rec.layer)


def _comparable(layer: str, fields: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two records the same annotation (everything but id and annotator)."""
    attrs = {k: v for k, v in fields.items() if k in LAYER_ATTRIBUTES[layer] and v not in (None, "", [])}
    if "targets" in attrs:
        attrs["targets"] = sorted(attrs["targets"])
    return (layer, fields["start"], fields["end"], json.dumps(attrs, sort_keys=True))


def _copy_release(root: Path, manifest_paths: Sequence[str], scratch: Path) -> Path:
    """A copy of the release's listed files, to try the import on before the release itself."""
    copy = scratch / "release"
    for rel in (MANIFEST_NAME, *manifest_paths):
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, copy / rel)
    return copy


def _write(root: Path, plan: dict[str, list[tuple[str, dict[str, Any]]]], annotator: str, independent: bool,
           added: dict[str, list[str]]) -> None:
    """Write each article's records in one batch; ``added`` holds the new ids of the articles done."""
    from ..authoring.session import annotate

    options: dict[str, Any] = {"independent": True} if independent else {}
    for aid, items in plan.items():
        session = annotate(root, aid, annotator=annotator, **options)
        ids: list[str] = []
        if items:
            with session.batch():
                for layer, fields in items:
                    ids.append(getattr(session, layer)(**fields))
        added[aid] = ids


def import_documents(release: str | Path, documents: Sequence[ForeignDocument], *, annotator: str,
                     independent: bool = False) -> ImportReport:
    """Check ``documents`` against the release and write their records (module docstring).

    Raises :class:`ImportRefused` listing every problem, having written nothing. ``independent``
    writes into the annotator's own records (``cc.annotate(..., independent=True)``).
    """
    if not isinstance(annotator, str) or not annotator.strip():
        raise ValueError("annotator= is required: the name or id of the person who made the records in the tool")
    root = resolve_root(release)
    corpus = load(root)  # the one checker: an import starts from a release that loads
    texts = {aid: corpus.text(aid) for aid in corpus.article_ids}
    stored = records_by_article(corpus, corpus.article_ids)
    registry = _Registry(corpus.actors.to_dict("records") if corpus.has_annotations else [],
                         corpus.topics.to_dict("records") if corpus.has_annotations else [])
    cameo = set(cameo_codes(corpus, stored))
    existing: dict[tuple[str, tuple[Any, ...]], str] = {}
    # An independent annotator's records are compared with gold later (agreement), not deduplicated here.
    for r in ([] if independent else [r for recs in stored.values() for r in recs]):
        existing.setdefault((r["article_id"], _comparable(r["layer"], r)), r["id"])

    problems: list[str] = []
    report = ImportReport()
    plan: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    seen_sources: dict[str, str] = {}
    for doc in documents:
        problems += doc.problems
        ours = texts.get(doc.article_id)
        if ours is None:
            same = [aid for aid, t in texts.items() if t == doc.text]
            hint = f" (its text is that of article {same[0]!r}: rename the document to that id)" if same else ""
            problems.append(f"{doc.source}: article {doc.article_id!r} is not in the release at {root}{hint}; "
                            f"add its text first (`caucasus-corpus add TEXT_FILE --id {doc.article_id} ...`), then import")
            continue
        if doc.article_id in seen_sources:
            problems.append(f"{doc.source}: article {doc.article_id!r} is also in {seen_sources[doc.article_id]}; import one of them")
            continue
        seen_sources[doc.article_id] = doc.source
        if doc.text is not None and doc.text != ours:
            problems.append(f"{doc.source}: the text of article {doc.article_id!r} is not the release's: "
                            f"{describe_difference(doc.text, ours)}")
            continue
        items = plan.setdefault(doc.article_id, [])
        batch_keys: set[tuple[Any, ...]] = set()
        for rec in sorted(doc.records, key=_order):
            fields, found = _map_record(rec, ours, registry, cameo)
            problems += found
            if fields is None:
                continue
            key = _comparable(rec.layer, fields)
            if (doc.article_id, key) in existing:
                report.already_present.setdefault(doc.article_id, []).append(existing[doc.article_id, key])
            elif key not in batch_keys:
                batch_keys.add(key)
                items.append((rec.layer, fields))
            else:
                report.repeated.append(f"{rec.where}: the same {rec.layer} occurs twice in the file; added once")
    if not documents:
        problems.append("no documents found to import")
    if problems:
        raise ImportRefused(problems)

    # Try the whole import on a scratch copy first: any refusal there leaves the release as it was.
    with tempfile.TemporaryDirectory(prefix="caucasus-import-") as scratch:
        with read_lock(root):
            copy = _copy_release(root, [r.path for r in read_manifest(root).resources], Path(scratch))
        tried: dict[str, list[str]] = {}
        try:
            _write(copy, plan, annotator, independent, tried)
        except (ValueError, KeyError, CorpusError) as exc:
            failed = next(aid for aid in plan if aid not in tried)
            raise ImportRefused([f"{failed}: the records do not validate in the release: "
                                 f"{exc.args[0] if isinstance(exc, KeyError) else exc}"]) from exc
    try:
        _write(root, plan, annotator, independent, report.added)
    except Exception as exc:  # e.g. another writer changed an article meanwhile: say what is in
        done = ", ".join(report.added) or "none"
        raise CorpusError(f"{root}: the import stopped at article {next(a for a in plan if a not in report.added)!r} "
                          f"({exc}); articles already imported: {done}. Import the files of the other "
                          "articles again") from exc
    return report
