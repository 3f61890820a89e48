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
* the unit the offsets count (code points, or UTF-16 code units as Java and browsers count) must
  be established before any span is trusted: a text with no character outside the Basic
  Multilingual Plane counts the same in both; otherwise the spans that the two units place
  differently must cover consistent text under the tool's unit (the text the tool stored, a
  name mention covering a name of its actor, no span cutting a word) and not under the other.
  When the evidence points to the other unit, or tells nothing, the import is refused with the
  reason, and ``offsets="utf16"`` or ``"codepoints"`` (``--offsets``) says which unit it is;
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._options import check_choice
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
    OFFSET_UNITS,
    PLOVER_MODES,
    POLARITIES,
)
from .exporting import cameo_codes, records_by_article

__all__ = ["ForeignDocument", "ForeignRecord", "ImportRefused", "ImportReport", "import_documents", "LINE_BREAKS",
           "oneline", "shown"]

# Characters Python's str.splitlines() breaks at: a one-line field of a tool's file must not hold one.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

UNIT_NAMES = {"utf16": "UTF-16 code units", "codepoints": "code points"}
# How deep a tool's JSON may nest: a Label Studio export nests about ten levels.
MAX_JSON_DEPTH = 100


def oneline(text: str) -> str:
    """``text`` as a one-line field of a tool's file shows it: tabs and line breaks as spaces."""
    return "".join(" " if c in LINE_BREAKS or c == "\t" else c for c in text)


def shown(value: Any, limit: int = 60) -> str:
    """A value from a tool's file as a message quotes it: its repr, cut to ``limit`` characters
    (a hostile file may hold megabytes where an id or offset should be).

    >>> shown("f-c1"), shown(7), shown("x" * 100, 10)
    ("'f-c1'", '7', "'xxxxxxxx... (100 characters)")
    """
    if isinstance(value, (dict, list)) and len(value) >= 20:
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, str) and len(value) > limit:  # cut before repr: the value may be huge
        return f"{repr(value[:limit])[:limit - 1]}... ({len(value)} characters)"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 1]}... ({len(text)} characters)"


def json_depth_problem(payload: Any) -> str | None:
    """Why a parsed JSON value nests too deeply to be a tool's export, or None (checked without recursion)."""
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"it nests more than {MAX_JSON_DEPTH} levels deep, which no export does"
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return None


# Closed values of each attribute, and the attributes that name actors (or topics).
CHOICES = {"form": MENTION_FORMS, "attribution": ATTRIBUTIONS, "claim_type": CLAIM_TYPES,
           "explicitness": EXPLICITNESS, "plover_mode": PLOVER_MODES, "polarity": POLARITIES}
ACTOR_ATTRIBUTES = ("actor", "speaker", "holder", "target", "via", "organization")
REQUIRED = {"mention": ("actor", "form"), "claim": ("speaker", "attribution", "claim_type"),
            "threat": ("speaker", "target", "explicitness", "cameo"), "stance": ("holder", "target", "polarity")}


@dataclass
class ForeignRecord:
    """One record as a tool stored it, in our terms: layer, code-point span, attributes by our names.

    ``start`` and ``end`` count in the unit of the tool's file (see :class:`ForeignDocument`);
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
    message; they refuse the import like any other problem. ``unit`` is the unit the tool's
    format documents for its offsets (``"codepoints"`` or ``"utf16"``), which the import checks
    against what the spans cover; ``tool`` names the format in messages.
    """

    source: str
    article_id: str
    text: str | None
    records: list[ForeignRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unit: str = "codepoints"
    tool: str = "the tool's"


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


def _is_offset(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _span_problem(text: str, start: Any, end: Any, quoted: Any, what: str) -> str | None:
    if not (_is_offset(start) and _is_offset(end) and 0 <= start < end <= len(text)):
        return f"{what} {shown(start)}:{shown(end)} is not a span of the text (0 <= start < end <= {len(text)})"
    actual = text[start:end]
    if quoted is None or quoted == actual:
        return None
    if not isinstance(quoted, str):
        return f"{what} {start}:{end}: the text it says it covers, {shown(quoted)}, is not text"
    units = text.encode("utf-16-le")
    as_utf16 = units[2 * start:2 * end].decode("utf-16-le", errors="replace")
    hint = ("; the offsets count UTF-16 code units (a browser's string length), not code points: "
            "import with offsets='utf16' (--offsets utf16)") if as_utf16 == quoted else \
        "; its offsets are shifted or the text was edited in the tool"
    if unicodedata.normalize("NFC", actual) == unicodedata.normalize("NFC", quoted):
        hint = "; they differ only in Unicode normalisation: the tool changed the text's code points"
    return f"{what} {start}:{end} says {shown(quoted)} but the text there is {shown(actual)}{hint}"


# -- the unit of the offsets ----------------------------------------------------------------------

def _utf16_table(text: str) -> dict[int, int]:
    """UTF-16 offset -> code-point offset, at every boundary between characters (and the end)."""
    table, u = {0: 0}, 0
    for i, c in enumerate(text, start=1):
        u += 2 if ord(c) > 0xFFFF else 1
        table[u] = i
    return table


def _wordish(c: str) -> bool:
    return c.isalnum() or unicodedata.category(c).startswith("M")


def _cuts_word(text: str, i: int) -> bool:
    return 0 < i < len(text) and _wordish(text[i - 1]) and _wordish(text[i])


def _spans(rec: ForeignRecord) -> list[tuple[str, Any, Any, Any]]:
    """The spans of one record a unit applies to: its own and its cue's, with the text the tool stored."""
    out = [("span", rec.start, rec.end, rec.text)]
    if isinstance(rec.cue, tuple) and len(rec.cue) == 3:
        out.append(("cue", *rec.cue))
    return out


def _in_unit(table: dict[int, int] | None, x: Any) -> Any:
    """An offset of the file as a code point, under the unit ``table`` stands for (None: code points)."""
    if table is None or not _is_offset(x):
        return x
    return table.get(x)


class _Evidence:
    """What the spans that the two units place differently cover, under each unit."""

    def __init__(self, doc: ForeignDocument, text: str, registry: _Registry) -> None:
        table = _utf16_table(text)
        self.tables = {"codepoints": None, "utf16": table}
        self.hard: dict[str, list[str]] = {u: [] for u in OFFSET_UNITS}  # text the span cannot cover
        self.soft: dict[str, list[str]] = {u: [] for u in OFFSET_UNITS}  # a span that cuts a word
        self.ambiguous = 0
        for rec in doc.records:
            for kind, start, end, quoted in _spans(rec):
                if not (_is_offset(start) and _is_offset(end)):
                    continue  # reported as not a span, whatever the unit
                placed = {u: (_in_unit(t, start), _in_unit(t, end)) for u, t in self.tables.items()}
                if placed["codepoints"] == placed["utf16"]:
                    continue
                self.ambiguous += 1
                for unit, (s, e) in placed.items():
                    where = f"{rec.where}: {kind} {start}:{end}"
                    if s is None or e is None or not 0 <= s < e <= len(text):
                        self.hard[unit].append(f"{where} is not a span of the text")
                        continue
                    covered = text[s:e]
                    if isinstance(quoted, str) and oneline(quoted) != oneline(covered):
                        self.hard[unit].append(f"{where} covers {shown(covered)}, not {shown(quoted)} as the file says")
                    elif kind == "span" and rec.layer == "mention" and rec.attributes.get("form") == "name" \
                            and (actor := registry.resolve(rec.attributes.get("actor"), topics=False)) is not None \
                            and name_key(covered) not in registry.keys[actor]:
                        self.hard[unit].append(f"{where} covers {shown(covered)}, which is no name of {actor}")
                    elif _cuts_word(text, s) or _cuts_word(text, e):
                        self.soft[unit].append(f"{where} covers {shown(covered)}, which cuts a word")

    def fitting(self) -> list[str]:
        """The units under which the spans cover consistent text: stored text and names first,
        word boundaries only where those tell nothing."""
        ok = [u for u in OFFSET_UNITS if not self.hard[u]]
        whole = [u for u in ok if not self.soft[u]]
        return whole if len(ok) == 2 and len(whole) == 1 else ok

    def first(self, unit: str) -> str:
        found = self.hard[unit] or self.soft[unit]
        more = len(self.hard[unit]) + len(self.soft[unit]) - 1
        return found[0] + (f" (and {more} more)" if more > 0 else "")


def _establish(doc: ForeignDocument, text: str, registry: _Registry) -> str | None:
    """Why the unit of ``doc``'s offsets cannot be taken as its tool's, or None (module docstring)."""
    if all(ord(c) <= 0xFFFF for c in text):
        return None  # no character outside the BMP: both units count the same
    evidence = _Evidence(doc, text, registry)
    if not evidence.ambiguous:
        return None
    ok = evidence.fitting()
    ours, other = doc.unit, next(u for u in OFFSET_UNITS if u != doc.unit)
    option = "give the unit with offsets='utf16' or offsets='codepoints' (--offsets utf16|codepoints)"
    if ok == [ours]:
        return None
    if ok == [other]:
        return (f"{doc.source}: its offsets count {UNIT_NAMES[other]}, not the {UNIT_NAMES[ours]} {doc.tool} files "
                f"count: under {UNIT_NAMES[ours]} {evidence.first(ours)}, while under {UNIT_NAMES[other]} every span "
                f"fits. If the tool that wrote it counts {UNIT_NAMES[other]}, import with offsets={other!r} "
                f"(--offsets {other})")
    if ok:
        return (f"{doc.source}: cannot tell whether its offsets count UTF-16 code units or code points: the text has "
                f"characters outside the Basic Multilingual Plane (emoji, ...) before {evidence.ambiguous} span(s), and "
                "what they cover fits both (no stored text, no name mention, no word cut under one unit only); "
                f"{option}")
    return (f"{doc.source}: its spans cover inconsistent text in either unit (under UTF-16 code units "
            f"{evidence.first('utf16')}; under code points {evidence.first('codepoints')}): the offsets are shifted "
            f"or the text was edited in the tool; if you know the unit, {option} to see every span's problem")


def _convert(doc: ForeignDocument, text: str, unit: str) -> tuple[list[ForeignRecord], list[str]]:
    """``doc``'s records with code-point offsets, from offsets counted in ``unit``."""
    if unit == "codepoints":
        return list(doc.records), []
    table = _utf16_table(text)
    out, problems = [], []
    for rec in doc.records:
        bad = [f"{rec.where}: {kind} offset {x} falls inside a character outside the BMP (a surrogate pair) "
               f"or past the text's {max(table)} UTF-16 code units"
               for kind, start, end, _ in _spans(rec) for x in (start, end) if _is_offset(x) and x not in table]
        if bad:
            problems += bad
            continue
        cue = rec.cue
        if isinstance(cue, tuple) and len(cue) == 3:
            cue = (_in_unit(table, cue[0]), _in_unit(table, cue[1]), cue[2])
        out.append(replace(rec, start=_in_unit(table, rec.start), end=_in_unit(table, rec.end), cue=cue))
    return out, problems


class _Registry:
    """The release's actors and topics, to turn what a tool stored into ids (never by a guess)."""

    def __init__(self, actors: Iterable[dict[str, Any]], topics: Iterable[dict[str, str]]) -> None:
        self.actor_ids = {a["actor_id"] for a in actors}
        self.topic_ids = {t.get("topic_id", "") for t in topics} - {""}
        self.names: dict[str, str] = {}
        self.keys: dict[str, set[str]] = {}  # actor id -> its name and aliases, as name_key compares them
        for a in actors:
            for form in (a["name"], *a["aliases"]):
                self.names[name_key(form)] = a["actor_id"]
                self.keys.setdefault(a["actor_id"], set()).add(name_key(form))

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
        return None, [f"{rec.where}: unknown layer {shown(rec.layer)}; ours are {', '.join(LAYERS)}"]
    if (p := _span_problem(text, rec.start, rec.end, rec.text, "span")) is not None:
        problems.append(f"{where}: {p}")
    allowed = LAYER_ATTRIBUTES[rec.layer]
    for key in sorted(set(rec.attributes) - set(allowed)):
        problems.append(f"{where}: unknown attribute {shown(key)}; a {rec.layer} takes {', '.join(allowed)}")
    for key in REQUIRED[rec.layer]:
        if rec.attributes.get(key) in (None, ""):
            problems.append(f"{where}: {key} is missing; every {rec.layer} needs one")
    fields: dict[str, Any] = {"start": rec.start, "end": rec.end}
    for key, value in rec.attributes.items():
        if key not in allowed or value in (None, "", []):
            continue
        if key in CHOICES and value not in CHOICES[key]:
            problems.append(f"{where}: {key} {shown(value)} is not one of ours ({', '.join(CHOICES[key])})")
        elif key == "cameo" and value not in cameo:
            problems.append(f"{where}: cameo {shown(value)} is not a code of the release's CAMEO THREATEN list")
        elif key in ACTOR_ATTRIBUTES:
            topics = rec.layer == "stance" and key == "target"
            resolved = registry.resolve(value, topics=topics)
            if resolved is None:
                kind = "actor or topic" if topics else "actor"
                problems.append(f"{where}: {key} {shown(value)} is not an {kind} of the release (an id, name or alias); "
                                "add it to the registry first or fix the value")
            value = resolved
        elif key == "targets":
            values = value if isinstance(value, list) else [value]
            resolved_list = [registry.resolve(v, topics=False) for v in values]
            for v, r in zip(values, resolved_list):
                if r is None:
                    problems.append(f"{where}: target {shown(v)} is not an actor of the release (an id, name or alias); "
                                    "add it to the registry first or fix the value")
            value = resolved_list
        elif key == "note" and not isinstance(value, str):
            problems.append(f"{where}: note {shown(value)} is not text")
        fields[key] = value
    if rec.cue is not None:
        if rec.layer not in ("claim", "threat"):
            problems.append(f"{where}: only claims and threats have a cue")
        elif (p := _span_problem(text, rec.cue[0], rec.cue[1], rec.cue[2], "cue")) is not None:
            problems.append(f"{where}: {p}")
        else:
            fields["cue"] = {"start": rec.cue[0], "end": rec.cue[1], "text": text[rec.cue[0]:rec.cue[1]]}
    elif rec.layer in ("claim", "threat"):
        fields["cue"] = None
    return (None if problems else fields), problems


def _order(rec: ForeignRecord) -> tuple[int, int, str]:
    """Records are created in text order (a tool's file may hold anything where an offset should be)."""
    def number(x: Any) -> int:
        return x if _is_offset(x) else -1

    return number(rec.start), number(rec.end), str(rec.layer)


def _comparable(layer: str, fields: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two records the same annotation (everything but id and annotator)."""
    attrs = {k: v for k, v in fields.items() if k in LAYER_ATTRIBUTES[layer] and v not in (None, "", [])}
    if "targets" in attrs:
        attrs["targets"] = sorted(attrs["targets"])
    return (layer, fields["start"], fields["end"], json.dumps(attrs, sort_keys=True))


def _own_records(root: Path, annotator: str, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """An independent annotator's records of these articles, as their files hold them now."""
    from ..release.files import parse_jsonl
    from ..release.layout import annotator_records_path
    from ..release.safefile import read_inside
    from ..vocab import is_slug

    if not is_slug(annotator):
        return []  # cc.annotate refuses the name, with the reason
    out: list[dict[str, Any]] = []
    with read_lock(root):
        for aid in dict.fromkeys(article_ids):
            path = annotator_records_path(annotator, aid)
            found, _errors = parse_jsonl(read_inside(root, path) or b"", path)  # load() has checked them
            out += [r for _n, r in found if isinstance(r, dict) and r.get("layer") in LAYER_ATTRIBUTES]
    return out


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
                     independent: bool = False, offsets: str | None = None) -> ImportReport:
    """Check ``documents`` against the release and write their records (module docstring).

    Raises :class:`ImportRefused` listing every problem, having written nothing. ``independent``
    writes into the annotator's own records (``cc.annotate(..., independent=True)``). ``offsets``
    (``"utf16"`` or ``"codepoints"``) is the unit the files' offsets count; by default each
    document's unit is established from what its spans cover, and refused when it cannot be.
    """
    if not isinstance(annotator, str) or not annotator.strip():
        raise ValueError("annotator= is required: the name or id of the person who made the records in the tool")
    if offsets is not None:
        check_choice("offsets", offsets, OFFSET_UNITS)
    root = resolve_root(release)
    corpus = load(root)  # the one checker: an import starts from a release that loads
    texts = {aid: corpus.text(aid) for aid in corpus.article_ids}
    stored = records_by_article(corpus, corpus.article_ids)
    registry = _Registry(corpus.actors.to_dict("records") if corpus.has_annotations else [],
                         corpus.topics.to_dict("records") if corpus.has_annotations else [])
    cameo = set(cameo_codes(corpus, stored))
    existing: dict[tuple[str, tuple[Any, ...]], str] = {}
    # An independent annotator's records are compared with their own earlier records (with gold
    # only later, for agreement): the checker refuses an exact duplicate in one file.
    for r in (_own_records(root, annotator, [d.article_id for d in documents if d.article_id in texts]) if independent
              else [r for recs in stored.values() for r in recs]):
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
        if offsets is None and (why := _establish(doc, ours, registry)) is not None:
            problems.append(why)
            continue
        records, found = _convert(doc, ours, offsets or doc.unit)
        problems += found
        for rec in sorted(records, key=_order):
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
