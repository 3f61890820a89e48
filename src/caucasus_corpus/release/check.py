"""The one release checker: ``load()`` raises from it and ``validate()`` reports from it.

It reports every problem as ``file:line: what is wrong and how to fix it`` and never stops at the
first one: a researcher fixing a file wants the whole list. Record shapes are checked with JSON
Schema (the ``jsonschema`` library, schemas shipped in the release); what a schema cannot say
(offsets against the text, ids that must exist, calendar dates) is checked here. Writers check
the release they are about to commit with the same :func:`check_release`, so a saved release
always loads.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import CorpusError, CorpusFormatError, CorpusIntegrityError, CorpusValidationError
from ..model.records import AnnotationData, name_key
from ..vocab import LAYER_ATTRIBUTES, is_slug
from .files import known_valid_values, parse_jsonl, read_csv_rows, read_tsv
from .layout import (
    DATA_FOLDERS,
    ACTOR_SCHEMA,
    ACTORS_FILE,
    ARTICLE_SCHEMA,
    ARTICLES_FILE,
    CAMEO_FILE,
    MANIFEST_NAME,
    RECORD_SCHEMA,
    TOPICS_FILE,
    WITHHELD_RECORD_SCHEMA,
    ADJUDICATION_SCHEMA,
    RECORDS_DIR,
    adjudication_article,
    annotator_records_of,
    annotator_records_path,
    records_article,
    records_path,
)
from .manifest import Manifest, read_manifest, resolve_root
from .metadata import metadata_problems
from .safefile import list_data_files
from .schemas import SchemaSet, schema_errors
from .withheld import WithheldText, is_withheld, read_listing, span_problems

GUIDELINES_FILE = "annotations/GUIDELINES.md"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a release, located as precisely as possible."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def schema_messages(validator, instance: object) -> list[str]:  # type: ignore[no-untyped-def]
    """Readable messages for every JSON Schema error, naming the field (none without a
    validator: the schemas were applied to these very bytes before, see :mod:`.checkcache`)."""
    if validator is None:
        return []
    out = []
    for err in sorted(schema_errors(validator, instance), key=lambda e: [str(p) for p in e.absolute_path]):
        field = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            out.append(f"{err.message}; add it")
        elif err.validator == "additionalProperties":
            out.append(f"{err.message}; remove it or add it to the schema")
        elif err.validator == "enum":
            allowed = ", ".join(repr(v) for v in err.validator_value)
            out.append(f"{field}: {err.instance!r} is not allowed; use one of {allowed}")
        elif err.validator == "pattern":
            out.append(f"{field}: {err.instance!r} does not match {err.validator_value}")
        else:
            out.append(f"{field}: {err.message}" if field else err.message)
    return [m if len(m) <= _LONGEST else m[: _LONGEST - 25] + " ... (message shortened)" for m in out]


# Messages quote the offending value; a hostile value may be megabytes long.
_LONGEST = 1000


def _calendar_problem(value: str) -> str | None:
    """A date of the right shape that no calendar has (2017-02-30); the schema checks the shape."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-" or not value.replace("-", "").isdigit():
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return f"published: {value!r} is not a calendar date; give the real date as YYYY-MM-DD or leave it empty"
    if not _EARLIEST <= day <= _LATEST:  # load() holds dates as pandas datetime64[ns]
        return f"published: {value!r} lies outside {_EARLIEST}..{_LATEST}, the dates a corpus can hold; check the year"
    return None


# The range of pandas' datetime64[ns], in whole days.
_EARLIEST, _LATEST = date(1677, 9, 22), date(2262, 4, 11)


def _short_row(line: int, row: dict[str, str]) -> list[Problem]:
    """A row with fewer values than the header has columns (the missing ones read as None)."""
    missing = [k for k, v in row.items() if k is not None and v is None]
    if not missing:
        return []
    return [Problem(ARTICLES_FILE, line, f"{len(row) - len(missing) - (None in row)} values for {len(row) - (None in row)} "
                    f"header columns (no value for {', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}); "
                    "add an empty value (a comma) for each missing column")]


def check_articles(files: dict[str, bytes], schemas: SchemaSet, *, withheld: bool = False
                   ) -> tuple[list[Problem], list[tuple[int, dict[str, str]]]]:
    """Check corpus/articles.csv against its schema and the manifest (``withheld``: a folder
    published without its texts, whose text paths are listed in corpus/withheld.csv instead)."""
    problems: list[Problem] = []
    if ARTICLES_FILE not in files:
        return [Problem(MANIFEST_NAME, None, f"{ARTICLES_FILE} is not listed; every release needs it")], []
    rows = read_csv_rows(files[ARTICLES_FILE], ARTICLES_FILE)
    validator = schemas.validator(ARTICLE_SCHEMA)
    seen: dict[str, int] = {}
    for line, row in rows:
        for msg in schema_messages(validator, {k: v for k, v in row.items() if k is not None and v is not None}):
            problems.append(Problem(ARTICLES_FILE, line, msg))
        if None in row:
            problems.append(Problem(ARTICLES_FILE, line, "more values than header columns; quote values that contain commas"))
        problems += _short_row(line, row)
        bad_date = _calendar_problem(row.get("published") or "")
        if bad_date:
            problems.append(Problem(ARTICLES_FILE, line, bad_date))
        problems += [Problem(ARTICLES_FILE, line, m) for m in metadata_problems(row)]
        aid = row.get("article_id") or ""
        if aid in seen:
            problems.append(Problem(ARTICLES_FILE, line, f"article_id {aid!r} already used on line {seen[aid]}; ids must be unique"))
        seen.setdefault(aid, line)
        path = row.get("path") or ""
        if path and path not in files and not withheld:
            problems.append(Problem(ARTICLES_FILE, line, f"path {path!r} is not listed in {MANIFEST_NAME}; add it with its sha256"))
        if aid and path and Path(path).stem != aid:
            problems.append(Problem(ARTICLES_FILE, line, f"path {path!r} should be corpus/texts/{aid}.txt (file named after the id)"))
    if not rows:
        problems.append(Problem(ARTICLES_FILE, None, "no articles; a release holds at least one"))
    return problems, rows


def article_texts(files: dict[str, bytes], rows: list[tuple[int, dict[str, str]]]) -> dict[str, str]:
    """The verbatim texts of the articles listed in articles.csv (rows whose file is listed)."""
    texts: dict[str, str] = {}
    for _line, row in rows:
        path = row.get("path") or ""
        if path not in files or not row.get("article_id"):
            continue
        try:
            texts[row["article_id"]] = files[path].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusFormatError(f"{path}: not valid UTF-8 at byte {exc.start}; save it as UTF-8") from None
    return texts


def text_hash_problems(files: dict[str, bytes], rows: list[tuple[int, dict[str, str]]]) -> list[Problem]:
    """A ``text_sha256`` that differs from the sha256 of the stored text it describes."""
    import hashlib

    problems = []
    for line, row in rows:
        want, path = row.get("text_sha256") or "", row.get("path") or ""
        if not want or path not in files:
            continue
        have = hashlib.sha256(files[path]).hexdigest()
        if have != want:
            problems.append(Problem(ARTICLES_FILE, line, f"text_sha256: {want[:12]}... is not the sha256 of {path} "
                                    f"({have[:12]}...); the text changed or the hash is wrong: put {have} if the text is right"))
    return problems


@dataclass
class CheckedRelease:
    """What :func:`check_release` found: every problem, and the parsed data when there are none.

    ``fatal`` is a file that could not be parsed at all (checking stopped there); ``integrity`` the
    first file whose bytes differ from the manifest. ``load()`` raises the first of fatal,
    integrity and a ``CorpusValidationError`` of ``problems``; ``validate()`` reports them all.
    """

    manifest: Manifest
    problems: list[Problem] = field(default_factory=list)
    fatal: CorpusError | None = None
    integrity: CorpusIntegrityError | None = None
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    annotations: AnnotationData = field(default_factory=AnnotationData)
    independent: list[dict] = field(default_factory=list)  # records under annotations/annotators/
    withheld: dict[str, WithheldText] | None = None  # a folder without texts: article id -> its withheld text
    adjudication: dict[str, list[dict]] = field(default_factory=dict)  # article id -> its log

    def raise_first(self) -> None:
        """Raise what ``load()`` raises for this check: fatal, else integrity, else every problem."""
        if self.fatal is not None:
            raise self.fatal
        if self.integrity is not None:
            raise self.integrity
        if self.problems:
            raise CorpusValidationError([str(p) for p in self.problems])


def check_release(manifest: Manifest, *, remembered: bool = False) -> CheckedRelease:
    """Check every file of a release: size and sha256, articles, texts, actors and records.

    Only regular files inside the release folder are read, each at most the size the manifest
    records (:mod:`.safefile`); schemas are the release's own, confined to it (:mod:`.schemas`).
    With ``remembered`` (``load()``), the JSON Schema pass is skipped when these very bytes
    passed the whole check before, and a release that passes is remembered (:mod:`.checkcache`);
    every other check runs.
    """
    out = CheckedRelease(manifest)
    files: dict[str, bytes] = {}  # each file is read and hashed once per check
    for res, data in zip(manifest.resources, manifest.read_each(), strict=True):
        if isinstance(data, CorpusIntegrityError):
            out.problems.append(Problem(res.path, None, str(data)))
            out.integrity = out.integrity or data
        else:
            files[res.path] = data
    if manifest.read is None:  # on disk: a data file the manifest does not list is not silently ignored
        listed = {res.path for res in manifest.resources}
        out.problems += [
            Problem(path, None, f"is in the release folder but not listed in {MANIFEST_NAME}, so it would be "
                                "ignored; list it with its sha256 (`caucasus_corpus.release.rehash(folder)`) or remove it")
            for path in list_data_files(manifest.root, DATA_FOLDERS) if path not in listed
        ]
    out.problems += _unparsed_files(manifest)
    if out.problems:
        return out
    from . import checkcache

    known = remembered and checkcache.passed(manifest.fingerprint)
    schemas = SchemaSet(files, known_valid=known)
    try:
        withheld = is_withheld(manifest.descriptor)
        problems, out.rows = check_articles(files, schemas, withheld=withheld)
        out.problems += problems
        out.texts = article_texts(files, out.rows)
        out.problems += text_hash_problems(files, out.rows)
        out.problems += rights_problems(manifest, out.rows)
        if withheld:
            out.problems += _check_withheld(files, out, manifest)
        problems, out.annotations = check_annotations(files, out.texts, schemas, out.independent, withheld=out.withheld)
        out.problems += problems
        out.problems += _check_adjudication(files, out.texts if out.withheld is None else out.withheld, schemas, out.adjudication)
    except CorpusError as exc:
        out.fatal = exc
        out.problems.append(_fatal_problem(exc, files))
    if remembered and not known and not out.problems:
        checkcache.remember(manifest.fingerprint)
    return out


def rights_problems(manifest: Manifest, rows: list[tuple[int, dict[str, str]]]) -> list[Problem]:
    """Each listed text's ``licenses`` in the manifest against the ``license`` column they are
    generated from (:mod:`.rights`): a text must never inherit the package's licence, nor claim
    one its row does not give."""
    import json

    from .rights import text_licenses

    if not any("license" in row for _line, row in rows):
        # A table from before the rights columns (data 1.0.2 and older): its texts' licences were
        # never generated, and a release a citation pins must stay loadable as it was made.
        return []
    problems = []
    for line, row in rows:
        res = manifest.resource_at(row.get("path") or "")
        if res is None:
            continue
        want = text_licenses(row.get("license") or "")
        have = res.descriptor.get("licenses")
        if have != want:
            shown = "no licenses (so it would inherit the package's)" if have is None else f"licenses {json.dumps(have, ensure_ascii=False)[:300]}"
            problems.append(Problem(MANIFEST_NAME, None, f"resource {res.name!r} ({res.path}) has {shown}, but {ARTICLES_FILE} line "
                                    f"{line} gives license {row.get('license') or ''!r}, which is {json.dumps(want, ensure_ascii=False)[:300]}; "
                                    "re-hash the manifest (caucasus_corpus.release.rehash(folder)) so it is generated from the column"))
    return problems


def _check_withheld(files: dict[str, bytes], out: CheckedRelease, manifest: Manifest) -> list[Problem]:
    """A folder published without its texts (release/withheld.py): its listing of withheld texts
    against the articles table and the manifest; the rows that pass go into ``out.withheld``."""
    texts = {row.get("path") or "" for _line, row in out.rows} & set(files)
    problems, out.withheld = read_listing(files, out.rows, manifest.descriptor, texts)
    return [Problem(*p) for p in problems]


def _fatal_problem(exc: CorpusError, files: dict[str, bytes]) -> Problem:
    """The problem for an error that stopped the check, filed under the file its message names."""
    where, _, rest = str(exc).partition(": ")
    if where.split(":", 1)[0] in files and rest:
        return Problem(where, None, rest)  # "file:line" stays as the error gave it
    return Problem(MANIFEST_NAME, None, str(exc))


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in the release at ``path`` (the bundled release when None); empty when valid.

    >>> validate()
    []
    """
    from .commit import read_lock

    root = resolve_root(path)
    try:
        with read_lock(root):
            result = check_release(read_manifest(root))
    except CorpusError as exc:
        return [Problem(MANIFEST_NAME, None, str(exc))]
    warn_name_collisions(result.annotations)
    return result.problems


def warn_name_collisions(data: AnnotationData) -> list[str]:
    """Warn (``NameCollisionWarning``) about actors whose names or aliases meet across scripts or
    spellings (:func:`caucasus_corpus.text.names.cross_script_collisions`), and return the
    messages. Warnings, not problems: two actors may rightly share a spelling in another script,
    but a name matching it is ambiguous. Exact collisions are problems, refused above."""
    import warnings

    from ..text.names import NameCollisionWarning, cross_script_collisions

    messages = [f"{ACTORS_FILE}: {m}" for m in cross_script_collisions(data.actors)]
    for message in messages:
        warnings.warn(message, NameCollisionWarning, stacklevel=3)
    return messages


def _locate(text: str, wanted: str, near: int) -> str:
    """A fix hint: where the quoted text really occurs, closest to where the record points."""
    hits, i = [], text.find(wanted)
    while i != -1 and len(hits) < 50:
        hits.append(i)
        i = text.find(wanted, i + 1)
    if not hits:
        return "the quoted text does not occur in the article; copy it from the stored text (keep its typos)"
    best = min(hits, key=lambda h: abs(h - near))
    return f"the quoted text occurs at start={best}, end={best + len(wanted)}; fix the offsets"


def _form(value: str) -> str:
    for form in ("NFC", "NFD"):
        if unicodedata.is_normalized(form, value):
            return form
    return "neither NFC nor NFD"


def _check_span(span: dict, text: str, what: str) -> list[str]:
    start, end, quoted = span.get("start"), span.get("end"), span.get("text")
    if not (type(start) is int and type(end) is int and isinstance(quoted, str)):
        return [f"{what} start, end and text must be whole numbers and a string; fix the record"]
    if end <= start:
        return [f"{what} end ({end}) must be greater than start ({start})"]
    if end > len(text):
        return [f"{what} end ({end}) is past the end of the article ({len(text)} characters); {_locate(text, quoted, start)}"]
    actual = text[start:end]
    if actual != quoted:
        if unicodedata.normalize("NFC", actual) == unicodedata.normalize("NFC", quoted):
            return [f"{what} text {quoted!r} differs from the article text at {start}:{end}, {actual!r}, only in Unicode "
                    f"normalisation (one is {_form(quoted)}, the other {_form(actual)}); copy the article's code points exactly"]
        return [f"{what} text {quoted!r} differs from the article text at {start}:{end}, {actual!r}; {_locate(text, quoted, start)}"]
    return []


def check_annotations(
    files: dict[str, bytes], texts: dict[str, str], schemas: SchemaSet, independent: list[dict] | None = None,
    *, withheld: dict[str, WithheldText] | None = None,
) -> tuple[list[Problem], AnnotationData]:
    """Check every annotation file against its schema and the texts; report all problems.

    The independent annotators' records that pass go into ``independent`` when given. In a folder
    published without its texts (``withheld``), records are checked against the lengths of the
    withheld texts and the withheld record schema (release/withheld.py)."""
    independent = [] if independent is None else independent
    data = AnnotationData()
    if ACTORS_FILE not in files:
        # A release without annotations (e.g. texts only) is valid; records without the actor
        # registry would load as no annotations at all, silently.
        return [
            Problem(f, None, f"annotation records need the actor registry, but {ACTORS_FILE} is not listed in "
                             f"{MANIFEST_NAME}; restore it (and its entry) or remove the records")
            for f in sorted(files) if _records_file(f) is not None
        ], data
    problems = [
        Problem(MANIFEST_NAME, None, f"{name} is not listed; releases with annotations need it")
        for name in (ACTOR_SCHEMA, RECORD_SCHEMA, TOPICS_FILE, CAMEO_FILE, *([WITHHELD_RECORD_SCHEMA] if withheld is not None else []))
        if name not in files
    ]
    if problems:
        return problems, data
    data.cameo = {row["code"]: row["name"] for row in read_tsv(files[CAMEO_FILE], CAMEO_FILE, columns=("code", "name"))}
    data.topics = read_tsv(files[TOPICS_FILE], TOPICS_FILE, columns=("topic_id", "label", "description"))
    problems += _check_actors(files, data, schemas)
    problems += _check_records(files, data, texts, schemas, independent, withheld)
    return problems, data


def _check_actors(files: dict[str, bytes], data: AnnotationData, schemas: SchemaSet) -> list[Problem]:
    """Check the actor registry; the actors that pass go into ``data.actors``."""
    validator = schemas.validator(ACTOR_SCHEMA)
    objects, errors = parse_jsonl(files[ACTORS_FILE], ACTORS_FILE)
    problems = [Problem(ACTORS_FILE, n, msg) for n, msg in errors]
    actor_lines: dict[str, int] = {}
    alias_owner: dict[str, str] = {}
    for n, actor in objects:
        msgs = schema_messages(validator, actor)
        aid = actor.get("actor_id") if isinstance(actor, dict) else None
        label = f"actor/{aid}" if aid else "actor"
        problems += [Problem(ACTORS_FILE, n, f"{label}: {m}") for m in msgs]
        if msgs:
            continue
        if aid in actor_lines:
            problems.append(Problem(ACTORS_FILE, n, f"{label}: actor_id already used on line {actor_lines[aid]}; merge the two entries"))
            continue
        actor_lines[aid] = n
        for alias in {name_key(actor["name"]), *(name_key(a) for a in actor["aliases"])}:
            other = alias_owner.setdefault(alias, aid)
            if other != aid:
                problems.append(Problem(ACTORS_FILE, n, f"{label}: alias {alias!r} also belongs to {other}; an alias must name one actor"))
        data.actors.append(actor)
    problems += _id_name_collisions(data.actors, actor_lines)
    ids = {a["actor_id"] for a in data.actors}
    for actor in data.actors:
        n, label = actor_lines[actor["actor_id"]], f"actor/{actor['actor_id']}"
        if actor["affiliation"] and actor["affiliation"] not in ids:
            problems.append(Problem(ACTORS_FILE, n, f"{label}: affiliation {actor['affiliation']!r} is not an actor_id; add that actor or fix the id"))
        for alias in actor.get("alias_sources") or {}:
            if alias not in actor["aliases"]:
                problems.append(Problem(ACTORS_FILE, n, f"{label}: alias_sources names {alias!r}, which is not in aliases; add it to aliases"))
    return problems


def _id_name_collisions(actors: list[dict], lines: dict[str, int]) -> list[Problem]:
    """An actor id that is another actor's name or alias, as ``resolve_actor`` matches them: ids
    exactly, names and aliases by :func:`name_key`. Such a pair makes ``speaker="andor"`` and
    ``speaker="Andor"`` name different actors. Each pair is reported once, on the later line
    (usually the entry just added)."""
    form_owner: dict[str, tuple[str, str, str]] = {}  # name_key -> (actor id, form as written, "name"/"alias")
    for actor in actors:
        for kind, form in (("name", actor["name"]), *(("alias", a) for a in actor["aliases"])):
            form_owner.setdefault(name_key(form), (actor["actor_id"], form, kind))
    problems = []
    for actor in actors:
        aid = actor["actor_id"]
        owner = form_owner.get(name_key(aid))
        if owner is None or owner[0] == aid:
            continue
        other, form, kind = owner
        why = (f"resolve_actor({aid!r}) gives {aid} but resolve_actor({form!r}) gives {other}, so records naming the "
               "one or the other by that spelling mean different actors")
        if lines[aid] > lines[other]:
            msg = (f"actor id {aid!r} is also {'an alias' if kind == 'alias' else 'the name'} of {other} ({form!r}): {why}; "
                   f"choose another id, or remove the {kind} from {other}")
            problems.append(Problem(ACTORS_FILE, lines[aid], f"actor/{aid}: {msg}"))
        else:
            msg = f"{kind} {form!r} is the actor id of {aid}: {why}; remove the {kind} or spell it differently"
            problems.append(Problem(ACTORS_FILE, lines[other], f"actor/{other}: {msg}"))
    return sorted(problems, key=lambda p: p.line or 0)


def _unparsed_files(manifest: Manifest) -> list[Problem]:
    """Listed files under ``annotations/`` that no reader parses: their content would never be
    checked (an annotator's records one folder too deep, a log saved as ``.json``), so they are
    reported as unlisted files are."""
    return [
        Problem(res.path, None, f"is listed in {MANIFEST_NAME} but no reader parses it, so its content is never checked "
                                f"(annotations/ holds {_ANNOTATION_FILES}); move it where it belongs or remove it, then "
                                "rehash (`caucasus_corpus.release.rehash(folder)`)")
        for res in manifest.resources
        if res.path.startswith(ANNOTATIONS_DIR) and not _parsed_annotation_file(res.path)
    ]


ANNOTATIONS_DIR = "annotations/"
_ANNOTATION_FILES = ("actors.jsonl, topics.tsv, the CAMEO list, GUIDELINES.md, schema/NAME.schema.json, "
                     "records/ARTICLE_ID.jsonl, annotators/NAME/ARTICLE_ID.jsonl and adjudication/ARTICLE_ID.jsonl")


def _parsed_annotation_file(path: str) -> bool:
    """True for a path under ``annotations/`` that a reader of this package parses (or, for the
    guidelines, that people read)."""
    if path in (ACTORS_FILE, TOPICS_FILE, CAMEO_FILE, GUIDELINES_FILE):
        return True
    rest = path[len(ANNOTATIONS_DIR):]
    folder, _, name = rest.rpartition("/")
    if folder == "schema":
        return name.endswith(".schema.json")
    if folder in ("records", "adjudication"):
        return name.endswith(".jsonl")
    return annotator_records_of(path) is not None


# Record attributes that must name an actor of the registry, by layer.
_ACTOR_REFS = {"mention": ("actor",), "claim": ("speaker", "via"), "threat": ("speaker", "target"), "stance": ("holder",)}


def _records_file(path: str) -> tuple[str | None, str] | None:
    """``(annotator or None for gold, article_id)`` of a records file, or None for any other path."""
    gold = records_article(path)
    return (None, gold) if gold is not None else annotator_records_of(path)


def _check_records(files: dict[str, bytes], data: AnnotationData, texts: dict[str, str], schemas: SchemaSet,
                   independent: list[dict], withheld: dict[str, WithheldText] | None = None) -> list[Problem]:
    """Check every records file, gold and independent; the gold records that pass go into
    ``data.records``, the independent ones into ``independent``. One id names one record of the
    release, so ids are unique across gold and every annotator."""
    validator = schemas.validator(RECORD_SCHEMA if withheld is None else WITHHELD_RECORD_SCHEMA)
    articles = texts if withheld is None else withheld
    actors = {a["actor_id"]: a for a in data.actors}
    topic_ids = {t.get("topic_id", "") for t in data.topics}
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    # Gold first: an id an annotator's record shares with a gold record is reported on the annotator's file.
    paths = sorted((f for f in files if _records_file(f) is not None), key=lambda f: (not f.startswith(RECORDS_DIR), f))
    for file in _progress(paths, files, schemas.known_valid):
        file_annotator, file_article = _records_file(file)  # type: ignore[misc]
        if schemas.known_valid:
            # These bytes passed every check below before (see checkcache): parse them only.
            parsed = known_valid_values(files[file])
            (data.records if file_annotator is None else independent).extend(parsed)
            continue
        if file_article not in articles:
            problems.append(Problem(file, None, f"no article {file_article!r} in corpus/articles.csv; name the file after an article id"))
        if file_annotator is not None and not is_slug(file_annotator):
            problems.append(Problem(file, None, f"annotator folder {file_annotator!r} is not a slug (lower-case letters, digits, "
                                                "hyphens); rename the folder"))
        objects, errors = parse_jsonl(files[file], file)
        problems += [Problem(file, n, msg) for n, msg in errors]
        first_of: dict[tuple, str] = {}  # one annotation's key -> the id of its first record in this file
        for n, rec in objects:
            rid = rec.get("id") if isinstance(rec, dict) else None
            layer = rec.get("layer") if isinstance(rec, dict) else None
            where = f"{layer or 'record'}/{rid or '?'}"
            msgs = schema_messages(validator, rec)
            if not msgs:
                if rid in seen_ids:
                    msgs.append(f"id already used at {seen_ids[rid]}; give each record its own id")
                seen_ids.setdefault(rid, f"{file}:{n}")
                if rec["article_id"] != file_article:
                    home = records_path(rec["article_id"]) if file_annotator is None else annotator_records_path(file_annotator, rec["article_id"])
                    msgs.append(f"article_id {rec['article_id']!r} does not match the file; move the record to {home}")
                if file_annotator is not None and rec["annotator"] != file_annotator:
                    msgs.append(f"annotator {rec['annotator']!r} differs from the folder {file_annotator!r}; an annotator's "
                                "records live in their own folder, so move the record or fix its annotator")
                msgs += _record_problems(rec, texts.get(rec["article_id"]), actors, topic_ids, data.cameo,
                                         withheld.get(rec["article_id"]) if withheld is not None else None)
                msgs += _duplicate_problems(rec, first_of)
                if not msgs:
                    (data.records if file_annotator is None else independent).append(rec)
            problems += [Problem(file, n, f"{where}: {m}") for m in msgs]
    return problems


# Checking records in full takes about 0.25 ms each: a progress bar from about 2 s of it on.
_PROGRESS_FROM_BYTES = 2_000_000


def _progress(paths: list[str], files: dict[str, bytes], known_valid: bool) -> Iterable[str]:
    """``paths``, behind a tqdm bar when checking them in full takes more than about 2 s (only
    parsing them, for a remembered release, takes under a second even for 200,000 records)."""
    if known_valid or sum(len(files[p]) for p in paths) < _PROGRESS_FROM_BYTES:
        return paths
    from tqdm.auto import tqdm

    return tqdm(paths, desc="checking records", unit="file", mininterval=1.0)


def _record_problems(
    rec: dict, text: str | None, actors: dict[str, dict], topic_ids: set[str], cameo: dict[str, str],
    withheld: WithheldText | None = None,
) -> list[str]:
    """What a schema-valid record gets wrong against its article text (or, in a folder without
    texts, the length of the withheld text) and the registries."""
    layer = rec["layer"]
    out: list[str] = []
    if withheld is not None:
        out += span_problems(rec, withheld.chars)
    elif text is not None:
        out += _check_span(rec, text, "span")
        if rec.get("cue"):
            out += _check_span(rec["cue"], text, "cue")
    for key in _ACTOR_REFS[layer]:
        if key in rec and rec[key] not in actors:
            out.append(f"{key} {rec[key]!r} is not in {ACTORS_FILE}; add the actor or fix the id")
    if layer == "claim":
        out += [f"target {t!r} is not in {ACTORS_FILE}; add the actor or fix the id" for t in rec["targets"] if t not in actors]
    if layer == "stance" and rec["target"] not in actors and rec["target"] not in topic_ids:
        out.append(f"target {rec['target']!r} is neither an actor_id nor a topic_id of {TOPICS_FILE}")
    if layer == "stance":
        out += _stance_organization_problems(rec, actors)
    if layer == "threat" and rec["cameo"] not in cameo:
        out.append(f"cameo {rec['cameo']!r} is not in {CAMEO_FILE}; use a THREATEN code such as 130-139 or a listed four-digit subcode")
    out += _cue_only_problems(rec)
    if layer == "mention" and rec["form"] == "name" and rec["actor"] in actors and "text" in rec:
        actor = actors[rec["actor"]]
        if name_key(rec["text"]) not in {name_key(f) for f in [actor["name"], *actor["aliases"]]} and \
                not _another_form_of(rec["text"], actor):
            out.append(f"name {rec['text']!r} is not among {rec['actor']}'s name and aliases; add the spelling to aliases or fix the actor")
    return out


def _another_form_of(text: str, actor: dict) -> bool:
    """Whether a name mention's text is one of the actor's registered names with a case ending or
    in another script (``Алиева`` for ``Aliyev``: :mod:`caucasus_corpus.text.names`), so that a
    text in the region's languages need not register every inflected form as an alias."""
    from ..text.names import NameIndex

    return NameIndex([actor]).match(text) is not None


def annotation_key(rec: dict) -> tuple:
    """What makes two records of one file the same annotation: layer, span and every attribute of
    the layer (note and cue included; targets as a set, an empty value as no value). Only the id
    and the annotator may differ. Imports compare records the same way."""
    attrs = {k: v for k, v in rec.items() if k in LAYER_ATTRIBUTES.get(rec.get("layer"), ()) and v not in (None, "", [])}
    if isinstance(attrs.get("targets"), list):
        attrs["targets"] = sorted(map(str, attrs["targets"]))
    return (rec.get("layer"), rec.get("start"), rec.get("end"), json.dumps(attrs, sort_keys=True, ensure_ascii=False))


def _duplicate_problems(rec: dict, first_of: dict[tuple, str]) -> list[str]:
    """An exact duplicate of an earlier record of the same file (counted twice by every table)."""
    key = annotation_key(rec)
    if key in first_of:
        return [f"duplicate of {first_of[key]} (same layer, span and attributes); remove one of the two records"]
    first_of[key] = rec["id"]
    return []


def _cue_only_problems(rec: dict) -> list[str]:
    """A claim or threat whose span lies inside its cue: the span is what is said, the cue the verb
    that says it (typically the span was replaced by the cue when picking it)."""
    cue = rec.get("cue")
    if rec["layer"] not in ("claim", "threat") or not isinstance(cue, dict):
        return []
    if type(cue.get("start")) is int and type(cue.get("end")) is int and cue["start"] <= rec["start"] and rec["end"] <= cue["end"]:
        return [f"the {rec['layer']}'s span is only its cue ({rec.get('text', cue.get('text'))!r}); the span is what is "
                f"{'claimed' if rec['layer'] == 'claim' else 'threatened'}: select that text and keep {cue.get('text')!r} as the cue"]
    return []


# The kinds of actor that can be the organisation a stance holder spoke for.
_ORGANISATION_KINDS = ("organisation", "state", "group")


def _stance_organization_problems(rec: dict, actors: dict[str, dict]) -> list[str]:
    """A stance's optional ``organization`` must be a body of the registry (DNA's organization variable)."""
    org = rec.get("organization")
    if org is None:
        return []
    if org not in actors:
        return [f"organization {org!r} is not in {ACTORS_FILE}; add the organisation or fix the id"]
    if actors[org]["kind"] not in _ORGANISATION_KINDS:
        return [f"organization {org!r} is an actor of kind {actors[org]['kind']!r}; it must be one of "
                f"{', '.join(_ORGANISATION_KINDS)} (put a person in holder)"]
    return []


def _check_adjudication(files: dict[str, bytes], texts: Mapping[str, object], schemas: SchemaSet,
                        logs: dict[str, list[dict]]) -> list[Problem]:
    """Check every adjudication log against its schema; the entries that pass go into ``logs``.

    A log is history: it names annotator and gold records that later edits may have changed or
    removed, so only its shape, its article and the uniqueness of its decision ids are checked.
    """
    paths = sorted(f for f in files if adjudication_article(f) is not None)
    if paths and ADJUDICATION_SCHEMA not in files:
        return [Problem(MANIFEST_NAME, None, f"{ADJUDICATION_SCHEMA} is not listed; adjudication logs need it "
                                             "(copy it from the caucasus-corpus release, then rehash)")]
    problems: list[Problem] = []
    for file in paths:
        article = adjudication_article(file)
        if article not in texts:
            problems.append(Problem(file, None, f"no article {article!r} in corpus/articles.csv; name the file after an article id"))
        validator = schemas.validator(ADJUDICATION_SCHEMA)
        objects, errors = parse_jsonl(files[file], file)
        problems += [Problem(file, n, msg) for n, msg in errors]
        seen: dict[str, int] = {}
        for n, entry in objects:
            msgs = schema_messages(validator, entry)
            if not msgs:
                if entry["article_id"] != article:
                    msgs.append(f"article_id {entry['article_id']!r} does not match the file; move the entry to its article's log")
                msgs += _decision_id_problems(entry["decision_id"])
                if entry["decision_id"] in seen:
                    msgs.append(f"decision_id {entry['decision_id']!r} already used on line {seen[entry['decision_id']]}")
                seen.setdefault(entry["decision_id"], n)
            if msgs:
                problems += [Problem(file, n, f"decision: {m}") for m in msgs]
            else:
                logs.setdefault(str(article), []).append(entry)
    return problems


# Decision ids are written as d001, d002, ...; a number past this many digits was not written by
# an adjudication, and turning it into an int (to number the next decision) would hit Python's
# limit on converting long digit strings.
MAX_DECISION_DIGITS = 9


def _decision_id_problems(decision_id: str) -> list[str]:
    """A decision id of the form d + digits whose number is longer than any log needs."""
    digits = decision_id[1:]
    if decision_id.startswith("d") and digits.isdigit() and len(digits) > MAX_DECISION_DIGITS:
        return [f"{decision_id_shown(decision_id)} is a decision number of more than {MAX_DECISION_DIGITS} digits, "
                "which no adjudication writes (d001, d002, ...); renumber it"]
    return []


def decision_id_shown(decision_id: str) -> str:
    """``decision_id 'd9999...' (5001 characters)``: a hostile id may be thousands of characters long."""
    if len(decision_id) <= 20:
        return f"decision_id {decision_id!r}"
    return f"decision_id {decision_id[:12]!r}... ({len(decision_id)} characters)"
