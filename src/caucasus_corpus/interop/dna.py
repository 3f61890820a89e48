"""The Discourse Network Analyzer (DNA): import its databases, export ours as a DNA 3 database.

DNA (DNA 3 with the R package rDNA, and the older DNA 2) keeps a project in one SQLite file.
No DNA installation is needed: the file is read with Python's ``sqlite3``, through the safe
reader's input mode (:func:`caucasus_corpus.release.safefile.read_input`, size-capped), and
opened in memory only (``deserialize``), read-only (``PRAGMA query_only``) and with
``PRAGMA trusted_schema=OFF``, so that nothing in the file can run or write anything.

What an import maps (:func:`import_dna`):

* ``DOCUMENTS`` become articles with the id ``dna-<file stem>-<DOCUMENTS.ID>`` (a document
  whose text is exactly that of an article of the release goes to that article, reported): the text byte
  for byte, the title, ``published`` from ``Date`` (seconds since 1970-01-01 UTC in DNA 3,
  milliseconds in DNA 2; 0 is read as no date), ``Source`` as ``outlet``, ``Author`` as ``author``, ``Section``,
  ``Type`` and ``Notes`` in ``notes``. With ``add_articles=True`` (``--add-articles``, which needs
  ``language``) documents not yet in the release are added; otherwise each must be there with
  exactly the same text.
* Statements of every statement type with the variables ``person``, ``organization``,
  ``concept`` (short text) and ``agreement`` (boolean) become stance records: the holder is
  the person (or, without one, the organisation), the target the concept, the polarity
  ``favor`` for agreement 1 and ``against`` for 0, the span ``Start``/``Stop`` converted from
  UTF-16 code units (DNA counts as Java does) to code points, and ``organization`` the
  statement's organisation when a person holds it. Statements of other types are reported as
  not mapped, with counts and type names; statements without a concept, or without person and
  organisation, likewise.
* A person or organisation whose name is a name or alias of a registry actor maps to that
  actor, and the import reports it; otherwise it becomes a new actor (kind ``person`` or
  ``organisation``, DNA's ``Type`` as role, ``Alias`` as alias, ``Notes`` as notes) with a new
  id: never merged with an actor of another name. A concept maps to the topic of that label,
  else to the actor of that name (reported), else to a new topic.
* Exact duplicate statements (same document, span and values) are counted, reported and added
  once; records already in the release are reported and not added again.

Everything is checked before anything is written, then written through the annotation session
(``cc.annotate``, the one write path and the one checker), first into a scratch copy of the
release: if anything fails there, the release is never touched.

:func:`to_dna` writes a DNA 3 database (the tables and columns of DNA 3.0's sample database)
with the corpus's texts and stance records; importing it back gives the same records. A stance
of polarity ``none`` has no DNA agreement value and is left out (and counted).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CorpusError
from ..model.records import name_key
from ..release.commit import read_lock
from ..release.load import load
from ..release.manifest import read_manifest, resolve_root
from ..release.safefile import InputLimits, read_input
from ..vocab import is_slug
from .exporting import article_selection
from .importing import ImportRefused, _comparable, _copy_release, describe_difference

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike

__all__ = ["DnaDatabase", "DnaImportReport", "codepoints_to_utf16", "dna_password_hash", "import_dna", "read_dna",
           "to_dna", "utf16_to_codepoints"]

MAPPED_VARIABLES = {"person": "short text", "organization": "short text", "concept": "short text", "agreement": "boolean"}
# The DNA version whose database layout to_dna writes (the layout of rDNA's sample database).
DNA_SCHEMA_VERSION = "3.0.7"


# -- offsets ------------------------------------------------------------------------------------------

def _utf16_ends(text: str) -> list[int]:
    """ends[i]: the UTF-16 offset where code point i ends (ends[-1] is the text's UTF-16 length)."""
    out, n = [0], 0
    for ch in text:
        n += 2 if ord(ch) > 0xFFFF else 1
        out.append(n)
    return out


def utf16_to_codepoints(text: str, offsets: Sequence[int]) -> list[int | None]:
    """Code-point offsets of UTF-16 offsets into ``text``; None for one inside a surrogate pair
    or past the end.

    >>> utf16_to_codepoints("\\U0001F600 ok", [0, 2, 3, 5])
    [0, 1, 2, 4]
    """
    import bisect

    ends = _utf16_ends(text)
    out: list[int | None] = []
    for off in offsets:
        i = bisect.bisect_left(ends, off)
        out.append(i if i < len(ends) and ends[i] == off else None)
    return out


def codepoints_to_utf16(text: str, offsets: Sequence[int]) -> list[int]:
    """UTF-16 offsets (as DNA and Java count) of code-point offsets into ``text``.

    >>> codepoints_to_utf16("\\U0001F600 ok", [0, 1, 2, 4])
    [0, 2, 3, 5]
    """
    ends = _utf16_ends(text)
    return [ends[o] for o in offsets]


# -- reading a database ---------------------------------------------------------------------------------

@dataclass
class DnaDocument:
    id: int
    title: str
    text: str
    author: str
    source: str
    section: str
    notes: str
    type: str
    date: dt.date | None


@dataclass
class DnaEntity:
    """A value of a short-text variable, with DNA's attributes (Type, Alias, Notes)."""

    value: str
    type: str = ""
    alias: str = ""
    notes: str = ""


@dataclass
class DnaStatement:
    id: int
    document_id: int
    start: int  # UTF-16 code units, as stored
    stop: int
    person: str
    organization: str
    concept: str
    agreement: int | None


@dataclass
class DnaDatabase:
    """What :func:`read_dna` found: documents, the mapped statements, entities by variable,
    and the statements of other types (type label -> count)."""

    path: Path
    version: int
    documents: list[DnaDocument]
    statements: list[DnaStatement]
    entities: dict[str, dict[str, DnaEntity]]
    other_types: dict[str, int] = field(default_factory=dict)


def _open(path: Path, limits: InputLimits | None) -> sqlite3.Connection:
    data = bytearray(read_input(path, limits=limits))
    if not data.startswith(b"SQLite format 3\x00"):
        raise ValueError(f"{path}: not a SQLite database, so not a DNA 2 or DNA 3 file (.dna); check the file")
    if data[18:20] == b"\x02\x02":  # WAL mode: an in-memory copy must read it as a rollback-journal database
        data[18:20] = b"\x01\x01"
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(bytes(data))
        con.execute("PRAGMA trusted_schema=OFF")
        con.execute("PRAGMA query_only=ON")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        con.close()
        raise ValueError(f"{path}: SQLite cannot read it ({exc}); is it a complete DNA database?") from None
    return con


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0].upper() for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _date(value: Any, version: int) -> dt.date | None:
    if value in (None, "") or int(value) == 0:  # 0: to_dna's mark of an undated article
        return None
    seconds = int(value) / (1000 if version == 2 else 1)
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()


def read_dna(path: str | Path, *, limits: InputLimits | None = None) -> DnaDatabase:
    """Read a DNA 3 or DNA 2 database (see the module docstring); ``ValueError`` for a file that
    is not one, naming what is missing."""
    path = Path(path)
    con = _open(path, limits)
    try:
        tables = _tables(con)
        missing = {"DOCUMENTS", "STATEMENTS", "STATEMENTTYPES", "VARIABLES", "DATASHORTTEXT", "DATABOOLEAN"} - tables
        if missing:
            raise ValueError(f"{path}: has no table(s) {', '.join(sorted(missing))}; it is not a DNA 2 or DNA 3 database")
        version = 3 if "ENTITIES" in tables else 2
        docs = [DnaDocument(int(r[0]), r[1] or "", r[2] or "", r[3] or "", r[4] or "", r[5] or "", r[6] or "", r[7] or "",
                            _date(r[8], version))
                for r in con.execute("SELECT ID, Title, Text, Author, Source, Section, Notes, Type, Date FROM DOCUMENTS ORDER BY ID")]
        variables = {}  # (type id, name) -> (variable id, data type)
        for vid, name, dtype, tid in con.execute("SELECT ID, Variable, DataType, StatementTypeId FROM VARIABLES"):
            variables[(tid, name)] = (vid, dtype)
        types = dict(con.execute("SELECT ID, Label FROM STATEMENTTYPES"))
        mapped = [tid for tid in types if all(variables.get((tid, v), (None, None))[1] == d for v, d in MAPPED_VARIABLES.items())]
        counts = Counter(tid for (tid,) in con.execute("SELECT StatementTypeId FROM STATEMENTS"))
        other = {str(types.get(tid, f"type {tid}")): n for tid, n in counts.items() if tid not in mapped}
        entities: dict[str, dict[str, DnaEntity]] = {"person": {}, "organization": {}, "concept": {}}
        var_name = {vid: name for (tid, name), (vid, _) in variables.items() if tid in mapped}
        if version == 3:
            short = ("SELECT d.StatementId, d.VariableId, e.Value FROM DATASHORTTEXT d JOIN ENTITIES e ON e.ID = d.Entity")
            names = dict(con.execute("SELECT ID, AttributeVariable FROM ATTRIBUTEVARIABLES")) if "ATTRIBUTEVARIABLES" in tables else {}
            attrs: dict[int, dict[str, str]] = {}
            if "ATTRIBUTEVALUES" in tables:
                for eid, avid, value in con.execute("SELECT EntityId, AttributeVariableId, AttributeValue FROM ATTRIBUTEVALUES"):
                    attrs.setdefault(eid, {})[names.get(avid, "")] = value or ""
            for eid, vid, value in con.execute("SELECT ID, VariableId, Value FROM ENTITIES"):
                if vid in var_name and var_name[vid] in entities and value:
                    a = attrs.get(eid, {})
                    entities[var_name[vid]][value] = DnaEntity(value, a.get("Type", ""), a.get("Alias", ""), a.get("Notes", ""))
        else:
            short = "SELECT StatementId, VariableId, Value FROM DATASHORTTEXT"
            if "ATTRIBUTES" in tables:
                for vid, value, typ, alias, notes in con.execute("SELECT VariableId, Value, Type, Alias, Notes FROM ATTRIBUTES"):
                    if vid in var_name and var_name[vid] in entities and value:
                        entities[var_name[vid]][value] = DnaEntity(value, typ or "", alias or "", notes or "")
        values: dict[int, dict[str, Any]] = {}
        for sid, vid, value in con.execute(short):
            if vid in var_name:
                values.setdefault(sid, {})[var_name[vid]] = value or ""
        for sid, vid, value in con.execute("SELECT StatementId, VariableId, Value FROM DATABOOLEAN"):
            if vid in var_name:
                values.setdefault(sid, {})[var_name[vid]] = None if value is None else int(value)
        statements = []
        marks = ",".join("?" * len(mapped))
        query = f"SELECT ID, DocumentId, Start, Stop FROM STATEMENTS WHERE StatementTypeId IN ({marks}) ORDER BY ID"
        for sid, doc, start, stop in (con.execute(query, mapped) if mapped else []):
            v = values.get(sid, {})
            statements.append(DnaStatement(int(sid), int(doc), int(start), int(stop), v.get("person", ""),
                                           v.get("organization", ""), v.get("concept", ""), v.get("agreement")))
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path}: a DNA table cannot be read ({exc}); is it a DNA 2 or DNA 3 database?") from None
    finally:
        con.close()
    return DnaDatabase(path, version, docs, statements, entities, other)


# -- import ------------------------------------------------------------------------------------------------

@dataclass
class DnaImportReport:
    """What :func:`import_dna` did: articles added, record ids added by article, records already
    there, actors and topics added, DNA names mapped to registry actors, and what was not mapped."""

    articles_added: list[str] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)
    already_present: dict[str, list[str]] = field(default_factory=dict)
    actors_added: list[str] = field(default_factory=list)
    topics_added: list[str] = field(default_factory=list)
    mapped_to_registry: list[str] = field(default_factory=list)
    duplicates: int = 0
    not_mapped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{len(self.articles_added)} article(s) added" + (f" ({', '.join(self.articles_added)})" if self.articles_added else "")]
        out += [f"{aid}: {len(ids)} stance record(s) added" for aid, ids in self.added.items() if ids]
        out += [f"{aid}: {len(ids)} record(s) already in the release, not added again" for aid, ids in self.already_present.items()]
        if self.actors_added:
            out.append(f"{len(self.actors_added)} actor(s) added: {', '.join(self.actors_added)}")
        if self.topics_added:
            out.append(f"{len(self.topics_added)} topic(s) added: {', '.join(self.topics_added)}")
        out += self.mapped_to_registry
        if self.duplicates:
            out.append(f"{self.duplicates} exact duplicate statement(s) in the database, each added once")
        return out + self.not_mapped


def _slug(text: str, fallback: str) -> str:
    from ..authoring.ids import slugify

    s = slugify(text)[:60].strip("-")
    return s if s and is_slug(s) else fallback


def _unique_id(base: str, taken: set[str]) -> str:
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def _notes(doc: DnaDocument) -> str:
    parts = [f"DNA {k}: {v}" for k, v in (("section", doc.section), ("type", doc.type), ("notes", doc.notes)) if v.strip()]
    return "; ".join(p.replace("\n", " ") for p in parts)


def import_dna(release: str | Path, path: str | Path, *, annotator: str, add_articles: bool = False,
               language: str | None = None, limits: InputLimits | None = None) -> DnaImportReport:
    """Import a DNA database's documents and statements into the release folder ``release``
    (module docstring). Raises :class:`~caucasus_corpus.interop.importing.ImportRefused` listing
    every problem, having written nothing.
    """
    from ..authoring.articles import _NewArticle, _row, _stage, prepare_text
    from ..authoring.session import annotate
    from ..authoring.writer import commit

    if not isinstance(annotator, str) or not annotator.strip():
        raise ValueError("annotator= is required: the name or id of the person who coded the statements in DNA")
    if add_articles and not language:
        raise ValueError("add_articles=True (--add-articles) needs language= (--language), the ISO 639 code of the documents")
    db = read_dna(path, limits=limits)
    root = resolve_root(release)
    corpus = load(root)
    report = DnaImportReport()
    problems: list[str] = []
    stem = _slug(Path(path).stem, "database")
    where = Path(path).name

    # Documents -> articles.
    new_articles = []
    texts: dict[int, str] = {}
    ids: dict[int, str] = {}
    known = set(corpus.article_ids)
    by_text = {corpus.text(a): a for a in corpus.article_ids}
    for doc in db.documents:
        aid = f"dna-{stem}-{doc.id}"
        if aid not in known and doc.text in by_text:  # e.g. a database written by to_dna from this release
            aid = by_text[doc.text]
            report.mapped_to_registry.append(f"DNA document {doc.id} has exactly the text of article {aid!r}; its statements go there")
        ids[doc.id] = aid
        texts[doc.id] = doc.text
        if aid in known:
            ours = corpus.text(aid)
            if ours != doc.text:
                problems.append(f"{where}: document {doc.id}: the text of article {aid!r} is not the release's: "
                                f"{describe_difference(doc.text, ours)}")
        elif add_articles:
            try:
                data, _ = prepare_text(doc.text, source=f"{where}: document {doc.id}")
                row = _row(dict(title=" ".join(doc.title.split()) or f"DNA document {doc.id}", language=language or "",
                                published=doc.date.isoformat() if doc.date else "", outlet=doc.source, author=doc.author,
                                source_file=Path(path).name, notes=_notes(doc)), aid, [])
                new_articles.append(_NewArticle(row, data, f"{where}: document {doc.id}"))
            except ValueError as exc:
                hint = " (DNA counts CR as a character, so the offsets cannot be kept if it is converted)" if "\r" in doc.text else ""
                problems.append(f"{exc}{hint}")
        else:
            problems.append(f"{where}: document {doc.id} ({doc.title!r}) is not in the release as article {aid!r}; "
                            "pass --add-articles --language CODE (add_articles=True, language=...) to add it")

    # Names -> actors and topics.
    registry: dict[str, str] = {}
    for a in corpus.actors.to_dict("records") if corpus.has_annotations else []:
        for form in (a["name"], *a["aliases"]):
            registry.setdefault(name_key(form), a["actor_id"])
    kinds = dict(zip(corpus.actors["actor_id"], corpus.actors["kind"])) if corpus.has_annotations else {}
    topic_by_label = dict(zip(corpus.topics["label"], corpus.topics["topic_id"])) if corpus.has_annotations else {}
    taken = set(kinds) | set(corpus.topics["topic_id"] if corpus.has_annotations else [])
    new_actors: dict[str, dict[str, Any]] = {}
    new_topics: dict[str, dict[str, str]] = {}
    actor_of: dict[tuple[str, str], str] = {}
    topic_of: dict[str, str] = {}

    def actor(variable: str, value: str) -> str:
        if (variable, value) in actor_of:
            return actor_of[variable, value]
        ent = db.entities[variable].get(value, DnaEntity(value))
        found = registry.get(name_key(value))
        if found is not None:
            report.mapped_to_registry.append(f"DNA {variable} {value!r} is the registry actor {found!r}")
        else:
            found = _unique_id(_slug(value, variable), taken)
            aliases = [ent.alias.strip()] if ent.alias.strip() and name_key(ent.alias) != name_key(value) else []
            new_actors[found] = dict(name=value, kind="person" if variable == "person" else "organisation", aliases=aliases,
                                     role=ent.type, notes=" ".join(f"From DNA ({where}). {ent.notes}".split()))
            registry[name_key(value)] = found
            for alias in aliases:
                registry.setdefault(name_key(alias), found)
            kinds[found] = new_actors[found]["kind"]
        actor_of[variable, value] = found
        return found

    def topic(concept: str) -> str:
        if concept in topic_of:
            return topic_of[concept]
        if concept in topic_by_label:
            found = topic_by_label[concept]
        elif name_key(concept) in registry:
            found = registry[name_key(concept)]
            report.mapped_to_registry.append(f"DNA concept {concept!r} is the registry actor {found!r}")
        else:
            ent = db.entities["concept"].get(concept, DnaEntity(concept))
            found = _unique_id(_slug(concept, "concept"), taken)
            new_topics[found] = dict(label=" ".join(concept.split()), description=" ".join(ent.notes.split()))
        topic_of[concept] = found
        return found

    # Statements -> stance records.
    existing: dict[tuple[str, tuple[Any, ...]], str] = {}
    if corpus.has_annotations:
        for r in corpus.annotations.itertuples(index=False):
            rec = {"start": int(r.start), "end": int(r.end), **r.attributes}
            existing.setdefault((r.article_id, _comparable(r.layer, rec)), r.id)
    plan: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, tuple[Any, ...]]] = set()
    skipped: Counter[str] = Counter()
    for st in db.statements:
        here = f"{where}: statement {st.id}"
        if st.document_id not in texts:
            problems.append(f"{here}: its document {st.document_id} is not in the database")
            continue
        if not st.concept:
            skipped["without a concept"] += 1
            continue
        if not st.person and not st.organization:
            skipped["without a person or an organization"] += 1
            continue
        text = texts[st.document_id]
        start, end = utf16_to_codepoints(text, [st.start, st.stop])
        if start is None or end is None or not start < end:
            problems.append(f"{here}: Start/Stop {st.start}:{st.stop} (UTF-16 code units) is not a span of document "
                            f"{st.document_id} ({len(_utf16_ends(text)) and _utf16_ends(text)[-1]} UTF-16 code units)")
            continue
        if st.agreement not in (0, 1):
            problems.append(f"{here}: agreement is {st.agreement!r}; DNA's agreement is 0 or 1")
            continue
        fields: dict[str, Any] = {"start": start, "end": end, "polarity": "favor" if st.agreement == 1 else "against"}
        if st.person:
            fields["holder"] = actor("person", st.person)
            if st.organization:
                fields["organization"] = actor("organization", st.organization)
                if kinds.get(fields["organization"]) not in ("organisation", "state", "group"):
                    problems.append(f"{here}: organization {st.organization!r} is the registry actor {fields['organization']!r} "
                                    f"of kind {kinds.get(fields['organization'])!r}, not an organisation; rename it in DNA or fix the registry")
        else:
            fields["holder"] = actor("organization", st.organization)
        fields["target"] = topic(st.concept)
        aid = ids[st.document_id]
        key = (aid, _comparable("stance", {**fields}))
        if key in existing:
            report.already_present.setdefault(aid, []).append(existing[key])
        elif key in seen:
            report.duplicates += 1
        else:
            seen.add(key)
            plan.setdefault(aid, []).append(fields)
    report.not_mapped = [f"{where}: {n} statement(s) of type {name!r} not mapped (only person/organization/concept/agreement "
                         "statements become stance records)" for name, n in sorted(db.other_types.items())]
    report.not_mapped += [f"{where}: {n} statement(s) {why} not mapped" for why, n in sorted(skipped.items())]
    if not db.documents:
        problems.append(f"{where}: the database holds no documents")
    if problems:
        raise ImportRefused(problems)

    def write(target: Path, record_ids: dict[str, list[str]]) -> None:
        if new_articles:
            commit(target, lambda txn: _stage(txn, new_articles))
        first = next(iter(plan), None) or (new_articles[0].row["article_id"] if new_articles else None) or next(iter(ids.values()))
        if new_actors or new_topics:
            session = annotate(target, first, annotator=annotator)
            with session.batch():
                for aid_, a in new_actors.items():
                    session.add_actor(aid_, **a)
                for tid, t in new_topics.items():
                    session.add_topic(tid, **t)
        for aid, items in plan.items():
            session = annotate(target, aid, annotator=annotator)
            with session.batch():
                record_ids[aid] = [session.stance(**f) for f in items]

    with tempfile.TemporaryDirectory(prefix="caucasus-dna-import-") as scratch:
        with read_lock(root):
            copy = _copy_release(root, [r.path for r in read_manifest(root).resources], Path(scratch))
        try:
            write(copy, {})
        except (ValueError, KeyError, CorpusError) as exc:
            raise ImportRefused([f"{where}: the import does not validate in the release: "
                                 f"{exc.args[0] if isinstance(exc, KeyError) else exc}"]) from exc
    try:
        write(root, report.added)
    except Exception as exc:  # e.g. another writer changed the release meanwhile
        raise CorpusError(f"{root}: the DNA import stopped ({exc}); articles with records imported: "
                          f"{', '.join(report.added) or 'none'}. Import the database again: records already in "
                          "are recognised and not added twice") from exc
    report.articles_added = [a.row["article_id"] for a in new_articles]
    report.actors_added, report.topics_added = list(new_actors), list(new_topics)
    return report


# -- export ----------------------------------------------------------------------------------------------

_SCHEMA = [
    "CREATE TABLE SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL)",
    "CREATE TABLE CODERS(ID INTEGER NOT NULL PRIMARY KEY, Name TEXT NOT NULL CHECK (LENGTH(Name) < 191), Red INTEGER NOT NULL "
    "DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), Blue INTEGER "
    "NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255), Refresh INTEGER NOT NULL CHECK (Refresh BETWEEN 0 AND 9999) DEFAULT 0, "
    "FontSize INTEGER NOT NULL CHECK (FontSize BETWEEN 1 AND 99) DEFAULT 14, Password TEXT NOT NULL CHECK (LENGTH(Password) < 191), "
    "PopupWidth INTEGER CHECK (PopupWidth BETWEEN 100 AND 9999) DEFAULT 300, ColorByCoder INTEGER NOT NULL CHECK (ColorByCoder "
    "BETWEEN 0 AND 1) DEFAULT 0, PopupDecoration INTEGER NOT NULL CHECK (PopupDecoration BETWEEN 0 AND 1) DEFAULT 0, "
    "PopupAutoComplete INTEGER NOT NULL CHECK (PopupAutoComplete BETWEEN 0 AND 1) DEFAULT 1, "
    + ", ".join(f"Permission{p} INTEGER NOT NULL CHECK (Permission{p} BETWEEN 0 AND 1) DEFAULT 1" for p in (
        "AddDocuments", "EditDocuments", "DeleteDocuments", "ImportDocuments", "AddStatements", "EditStatements",
        "DeleteStatements", "EditAttributes", "EditRegex", "EditStatementTypes", "EditCoders", "EditCoderRelations",
        "ViewOthersDocuments", "EditOthersDocuments", "ViewOthersStatements", "EditOthersStatements")) + ")",
    "CREATE TABLE DOCUMENTS(ID INTEGER NOT NULL PRIMARY KEY, Title TEXT NOT NULL CHECK (LENGTH(Title) < 191), Text TEXT NOT NULL, "
    "Coder INTEGER, Author TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Author) < 191), Source TEXT NOT NULL DEFAULT '' CHECK "
    "(LENGTH(Source) < 191), Section TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Section) < 191), Notes TEXT NOT NULL DEFAULT '', "
    "Type TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Type) < 191), Date INTEGER NOT NULL, FOREIGN KEY(Coder) REFERENCES CODERS(ID) "
    "ON DELETE CASCADE)",
    "CREATE TABLE STATEMENTTYPES(ID INTEGER NOT NULL PRIMARY KEY, Label TEXT NOT NULL CHECK (LENGTH(Label) < 191), Red INTEGER "
    "NOT NULL DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), Blue "
    "INTEGER NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255))",
    "CREATE TABLE VARIABLES(ID INTEGER NOT NULL PRIMARY KEY, Variable TEXT NOT NULL CHECK (LENGTH(Variable) < 191), DataType "
    "TEXT NOT NULL CHECK (DataType = 'boolean' OR DataType = 'integer' OR DataType = 'long text' OR DataType = 'short text') "
    "DEFAULT 'short text', StatementTypeId INTEGER, FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE "
    "CASCADE, UNIQUE (Variable, StatementTypeId))",
    "CREATE TABLE VARIABLELINKS(ID INTEGER NOT NULL PRIMARY KEY, SourceVariableId INTEGER, TargetVariableId INTEGER, CHECK "
    "(TargetVariableId != SourceVariableId), FOREIGN KEY(SourceVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(TargetVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE)",
    "CREATE TABLE REGEXES(Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), Red INTEGER NOT NULL DEFAULT 0 CHECK (Red BETWEEN "
    "0 AND 255), Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), Blue INTEGER NOT NULL DEFAULT 0 CHECK "
    "(Blue BETWEEN 0 AND 255))",
    "CREATE TABLE CODERRELATIONS(ID INTEGER NOT NULL PRIMARY KEY, Coder INTEGER CHECK(Coder > 0), OtherCoder INTEGER "
    "CHECK(OtherCoder > 0), viewStatements INTEGER NOT NULL DEFAULT 1 CHECK(viewStatements BETWEEN 0 AND 1), editStatements "
    "INTEGER NOT NULL DEFAULT 1 CHECK(editStatements BETWEEN 0 AND 1), viewDocuments INTEGER NOT NULL DEFAULT 1 "
    "CHECK(viewDocuments BETWEEN 0 AND 1), editDocuments INTEGER NOT NULL DEFAULT 1 CHECK(editDocuments BETWEEN 0 AND 1), "
    "CHECK (Coder != OtherCoder), FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, FOREIGN KEY(OtherCoder) "
    "REFERENCES CODERS(ID) ON DELETE CASCADE)",
    "CREATE TABLE STATEMENTS(ID INTEGER NOT NULL PRIMARY KEY, StatementTypeId INTEGER, DocumentId INTEGER, Start INTEGER NOT "
    "NULL CHECK(Start >= 0), Stop INTEGER NOT NULL CHECK(Stop >= 0), Coder INTEGER, CHECK (Start < Stop), FOREIGN "
    "KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON "
    "DELETE CASCADE, FOREIGN KEY(DocumentId) REFERENCES DOCUMENTS(ID) ON DELETE CASCADE)",
    "CREATE TABLE DATABOOLEAN(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Value INTEGER NOT NULL DEFAULT 1, FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, FOREIGN "
    "KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, UNIQUE (StatementId, VariableId))",
    "CREATE TABLE DATAINTEGER(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Value INTEGER NOT NULL DEFAULT 0, FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, FOREIGN "
    "KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, UNIQUE (StatementId, VariableId))",
    "CREATE TABLE ENTITIES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, Value TEXT NOT NULL DEFAULT '' CHECK "
    "(LENGTH(Value) < 191), Red INTEGER CHECK (Red BETWEEN 0 AND 255), Green INTEGER CHECK (Green BETWEEN 0 AND 255), Blue "
    "INTEGER CHECK (Blue BETWEEN 0 AND 255), ChildOf INTEGER CHECK(ChildOf > 0), UNIQUE (VariableId, Value), FOREIGN "
    "KEY(ChildOf) REFERENCES ENTITIES(ID) ON DELETE CASCADE, FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE)",
    "CREATE TABLE DATASHORTTEXT(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Entity INTEGER NOT NULL, FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, FOREIGN KEY(VariableId) "
    "REFERENCES VARIABLES(ID) ON DELETE CASCADE, FOREIGN KEY(Entity) REFERENCES ENTITIES(ID) ON DELETE CASCADE, UNIQUE "
    "(StatementId, VariableId))",
    "CREATE TABLE DATALONGTEXT(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, "
    "Value TEXT DEFAULT '', FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, FOREIGN KEY(VariableId) "
    "REFERENCES VARIABLES(ID) ON DELETE CASCADE, UNIQUE (StatementId, VariableId))",
    "CREATE TABLE ATTRIBUTEVARIABLES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, AttributeVariable TEXT NOT "
    "NULL CHECK (LENGTH(AttributeVariable) < 191), UNIQUE(VariableId, AttributeVariable), FOREIGN KEY(VariableId) REFERENCES "
    "VARIABLES(ID) ON DELETE CASCADE)",
    "CREATE TABLE ATTRIBUTEVALUES(ID INTEGER PRIMARY KEY NOT NULL, EntityId INTEGER NOT NULL, AttributeVariableId INTEGER NOT "
    "NULL, AttributeValue TEXT NOT NULL DEFAULT '' CHECK (LENGTH(AttributeValue) < 191), UNIQUE (EntityId, AttributeVariableId), "
    "FOREIGN KEY(EntityId) REFERENCES ENTITIES(ID) ON DELETE CASCADE, FOREIGN KEY(AttributeVariableId) REFERENCES "
    "ATTRIBUTEVARIABLES(ID) ON DELETE CASCADE)",
]
_VARIABLE_IDS = {"person": 1, "organization": 2, "concept": 3, "agreement": 4}


def dna_password_hash(password: str, *, salt: bytes | None = None) -> str:
    """A coder password as DNA 3 stores it (jasypt's StrongPasswordEncryptor: SHA-256 of a random
    16-byte salt and the password, digested 100,000 times in all, stored as base64 of salt and
    digest), so that DNA can open a database :func:`to_dna` wrote."""
    import base64
    import hashlib
    import os

    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    for _ in range(100_000 - 1):
        digest = hashlib.sha256(digest).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def _cut(value: str, limit: int = 190) -> str:
    """DNA's short fields hold fewer than 191 characters."""
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[:limit - 1] + "…"


DEFAULT_CODER_PASSWORD = "caucasus-corpus"


def to_dna(corpus: CorpusLike, path: str | Path, *, articles: Iterable[str] | None = None,
           overwrite: bool = False, password: str = DEFAULT_CODER_PASSWORD) -> dict[str, int]:
    """Write the corpus's texts and stance records as a DNA 3 database at ``path`` (one file).

    Each stance becomes a "DNA Statement": ``person`` the holder when it is not an organisation
    or state, ``organization`` the holder when it is one (else the record's ``organization``),
    ``concept`` the target's topic label or actor name, ``agreement`` 1 for favor, 0 for
    against; offsets in UTF-16 code units; an undated article gets ``Date`` 0, which an import
    reads as no date. The one coder, ``caucasus-corpus`` (id 1), opens the database in DNA with
    ``password`` (default ``"caucasus-corpus"``). Returns counts: ``documents``, ``statements``
    and ``skipped_none`` (stances of polarity none, which DNA's agreement cannot hold).
    """
    path = Path(path)
    if path.exists() and (path.is_dir() or not overwrite):
        raise FileExistsError(f"{path} exists; choose a new file name or pass overwrite=True (--overwrite)")
    ids = article_selection(corpus, articles)
    actors = corpus.actors.set_index("actor_id") if corpus.has_annotations else None
    labels = dict(zip(corpus.topics["topic_id"], corpus.topics["label"])) if corpus.has_annotations else {}
    stance = corpus.stance if corpus.has_annotations else None
    published = dict(zip(corpus.articles["article_id"], corpus.articles["published"]))
    meta = corpus.articles.set_index("article_id")
    counts = {"documents": 0, "statements": 0, "skipped_none": 0}
    entities: dict[tuple[int, str], int] = {}
    rows_entities: list[tuple[int, int, str]] = []
    attr_values: list[tuple[int, int, str]] = []

    def entity(variable: str, value: str, actor_id: str | None = None) -> int:
        vid = _VARIABLE_IDS[variable]
        value = _cut(value)
        if (vid, value) not in entities:
            eid = len(rows_entities) + 1
            entities[vid, value] = eid
            rows_entities.append((eid, vid, value))
            # Every entity has a value (maybe empty) for each attribute variable, as in DNA's own databases.
            a = actors.loc[actor_id] if actor_id is not None and actors is not None and actor_id in actors.index else None
            texts = ("", "", "") if a is None else (a["role"], "; ".join(a["aliases"]), a["notes"])
            for k, text in enumerate(texts):
                attr_values.append((eid, 3 * (vid - 1) + k + 1, _cut(text if isinstance(text, str) else "")))
        return entities[vid, value]

    for var in ("person", "organization", "concept"):
        entity(var, "")
    documents, statements, short, boolean = [], [], [], []
    for n, aid in enumerate(ids, start=1):
        text = corpus.text(aid)
        date = published.get(aid)
        seconds = 0 if date is None or str(date) == "NaT" else int(dt.datetime(date.year, date.month, date.day,
                                                                              tzinfo=dt.timezone.utc).timestamp())
        row = meta.loc[aid]

        def field_(name: str) -> str:
            value = row.get(name)
            return "" if value is None or str(value) == "<NA>" else str(value)

        documents.append((n, _cut(field_("title") or aid), text, 1, _cut(field_("author")), _cut(field_("outlet")), "",
                          " ".join(f"caucasus-corpus article {aid}. {field_('notes')}".split()), _cut(field_("genre")), seconds))
        counts["documents"] += 1
        if stance is None:
            continue
        for rec in stance[stance["article_id"] == aid].itertuples(index=False):
            if rec.polarity == "none":
                counts["skipped_none"] += 1
                continue
            kind = actors.loc[rec.holder, "kind"]
            name = actors.loc[rec.holder, "name"]
            if kind in ("organisation", "state"):
                person, org, org_id = "", name, rec.holder
            else:
                org_id = None if rec.organization is None or str(rec.organization) == "<NA>" else rec.organization
                person, org = name, (actors.loc[org_id, "name"] if org_id else "")
            target = labels.get(rec.target) or actors.loc[rec.target, "name"]
            u = codepoints_to_utf16(text, [int(rec.start), int(rec.end)])
            sid = len(statements) + 1
            statements.append((sid, 1, n, u[0], u[1], 1))
            short += [(sid, 1, entity("person", person, rec.holder if person else None)),
                      (sid, 2, entity("organization", org, org_id)),
                      (sid, 3, entity("concept", target, None if rec.target in labels else rec.target))]
            boolean.append((sid, 4, 1 if rec.polarity == "favor" else 0))
            counts["statements"] += 1

    tmp = Path(tempfile.mkdtemp(prefix=".dna-", dir=path.parent if path.parent.exists() else None)) / "out.dna"
    try:
        con = sqlite3.connect(tmp)
        with con:
            for ddl in _SCHEMA:
                con.execute(ddl)
            con.executemany("INSERT INTO SETTINGS VALUES (?, ?)", [("version", DNA_SCHEMA_VERSION),
                                                                   ("date", dt.date.today().isoformat())])
            con.execute("INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password) VALUES (1, 'caucasus-corpus', 0, 0, 0, ?)",
                        (dna_password_hash(password),))
            con.execute("INSERT INTO STATEMENTTYPES VALUES (1, 'DNA Statement', 239, 208, 51)")
            con.executemany("INSERT INTO VARIABLES VALUES (?, ?, ?, 1)",
                            [(vid, name, MAPPED_VARIABLES[name]) for name, vid in _VARIABLE_IDS.items()])
            con.executemany("INSERT INTO ATTRIBUTEVARIABLES VALUES (?, ?, ?)",
                            [(3 * (vid - 1) + k + 1, vid, a) for vid in (1, 2, 3) for k, a in enumerate(("Type", "Alias", "Notes"))])
            con.executemany("INSERT INTO DOCUMENTS VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", documents)
            con.executemany("INSERT INTO ENTITIES (ID, VariableId, Value, Red, Green, Blue) VALUES (?, ?, ?, 0, 0, 0)", rows_entities)
            con.executemany("INSERT INTO ATTRIBUTEVALUES (EntityId, AttributeVariableId, AttributeValue) VALUES (?, ?, ?)", attr_values)
            con.executemany("INSERT INTO STATEMENTS VALUES (?, ?, ?, ?, ?, ?)", statements)
            con.executemany("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?, ?, ?)", short)
            con.executemany("INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (?, ?, ?)", boolean)
        con.close()
        shutil.move(str(tmp), str(path))
    finally:
        shutil.rmtree(tmp.parent, ignore_errors=True)
    return counts
