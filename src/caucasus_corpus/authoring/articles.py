"""Adding articles to a release: one text at a time (:func:`add_article`) or a whole folder from a
metadata table (:func:`add_articles`), each all-or-nothing through the one write path
(:func:`caucasus_corpus.authoring.writer.commit`).

What is refused, with the reason and the fix, leaving the release byte for byte as it was:

* a text that is not UTF-8 (the byte offset of the first bad byte is named), that starts with a
  byte order mark or has CRLF or CR line ends (unless ``normalize=True`` / ``--normalize``
  converts them; the conversion is then written into the row's ``notes``), or that is empty or
  only whitespace. Otherwise the text is stored byte for byte as given;
* an article id that is not a slug, that exists already, or that cannot be derived (the rule:
  :mod:`caucasus_corpus.authoring.ids`);
* a text whose sha256 equals an existing article's (the existing id is named);
* metadata that the article schema or the checker refuses (a date no calendar has, a genre
  outside :data:`caucasus_corpus.vocab.GENRES`, a language that is not ISO 639, a bad URL), with
  the field named. Missing metadata stays empty; only the title and the language are required;
* a ``text_sha256`` that is not the sha256 of the text (an empty one is filled in), and values for
  provenance columns (``retrieved`` ... ``archived_url``) that a release's table written before
  them does not have.

An article without annotation records is valid; annotate it with :func:`caucasus_corpus.annotate`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusValidationError
from ..release.check import check_articles
from ..release.schemas import SchemaSet
from ..release.commit import Transaction
from ..release.files import read_csv_rows
from ..release.layout import ARTICLE_SCHEMA, ARTICLES_FILE, text_path
from ..model.articles import PROVENANCE_COLUMNS
from .ids import article_id_for, check_article_id
from .writer import commit

__all__ = ["ARTICLE_FIELDS", "add_article", "add_articles", "prepare_text"]

# The columns of corpus/articles.csv, in file order; the provenance and rights columns come last
# and are absent from tables written before them (see _stage).
ARTICLE_FIELDS = ("article_id", "path", "title", "published", "outlet", "url", "genre", "language",
                  "byline", "author", "source_file", "notes", *PROVENANCE_COLUMNS)
# What a caller may give; the path is where the release stores the text, derived from the id.
METADATA_FIELDS = tuple(f for f in ARTICLE_FIELDS if f not in ("article_id", "path"))


@dataclass(frozen=True)
class _NewArticle:
    row: dict[str, str]
    data: bytes
    where: str  # how problems name this article: "text.txt" or "metadata.csv:4"


def prepare_text(data: str | bytes, *, normalize: bool = False, source: str = "text") -> tuple[bytes, list[str]]:
    """The bytes to store for a text, and the conversions made (for the row's notes).

    Raises ``ValueError`` naming ``source`` for a text that is not UTF-8, is empty, or has a byte
    order mark or CR line ends while ``normalize`` is false.

    >>> prepare_text(b"One line.\\n")
    (b'One line.\\n', [])
    >>> prepare_text("\\ufeffTwo\\r\\nlines\\r\\n", normalize=True)
    (b'Two\\nlines\\n', ['byte order mark removed', '2 CRLF line ends converted to LF'])
    """
    if isinstance(data, (bytes, bytearray)):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"{source}: not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); convert the file to UTF-8 "
                "first (e.g. `iconv -f WINDOWS-1251 -t UTF-8`), choosing the encoding it was really saved in"
            ) from None
    elif isinstance(data, str):
        text = data
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{source}: character {exc.start} is a lone surrogate, which UTF-8 cannot store; fix the text") from None
    else:
        raise TypeError(f"{source}: the text must be str or bytes, not {type(data).__name__}")
    conversions = []
    flag = "pass normalize=True (--normalize) to convert it; the conversion is recorded in the row's notes"
    if text.startswith("\ufeff"):
        if not normalize:
            raise ValueError(f"{source}: starts with a byte order mark (BOM); {flag}")
        text = text[1:]
        conversions.append("byte order mark removed")
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    if crlf or cr:
        found = " and ".join(f"{n} {kind}" for n, kind in ((crlf, "CRLF"), (cr, "CR")) if n)
        if not normalize:
            raise ValueError(f"{source}: has {found} line ends; texts are stored with LF (\\n) line ends; {flag}")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        conversions.append(f"{found} line ends converted to LF")
    if not text.strip():
        raise ValueError(f"{source}: the text is empty or only whitespace; give the article's text")
    return text.encode("utf-8"), conversions


def _row(metadata: Mapping[str, object], article_id: str | None, conversions: list[str]) -> dict[str, str]:
    unknown = sorted(set(metadata) - set(METADATA_FIELDS))
    if unknown:
        raise ValueError(f"unknown article field(s) {', '.join(map(repr, unknown))}; the fields are {', '.join(METADATA_FIELDS)}")
    row = {f: "" if metadata.get(f) is None else str(metadata.get(f)) for f in METADATA_FIELDS}
    if not row["title"].strip():
        raise ValueError("title: is required; give the article's title as printed")
    if not row["language"].strip():
        raise ValueError("language: is required (the tokeniser needs it); give its ISO 639 code, e.g. 'en'")
    aid = check_article_id(article_id) if article_id else check_article_id(
        article_id_for(outlet=row["outlet"], published=row["published"], title=row["title"]))
    if conversions:
        note = "Converted when added: " + "; ".join(conversions) + "."
        row["notes"] = f"{row['notes']} {note}".strip()
    return {"article_id": aid, "path": text_path(aid), **row}


def _csv_line(row: Mapping[str, str], fields: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row.get(f, "") for f in fields])
    return out.getvalue()


def _metadata_problems(row: dict[str, str], schema: bytes | None) -> list[str]:
    """What the one checker's article checks say about this row alone (field named first)."""
    if schema is None:
        return []
    header = _csv_line({f: f for f in ARTICLE_FIELDS}, ARTICLE_FIELDS)
    files = {ARTICLES_FILE: (header + _csv_line(row, ARTICLE_FIELDS)).encode("utf-8"), ARTICLE_SCHEMA: schema, row["path"]: b""}
    problems, _rows = check_articles(files, SchemaSet(files))
    return [p.message for p in problems]


def _provenance_fit(art: _NewArticle, absent: list[str]) -> list[str]:
    """Problems with the row's ``text_sha256`` against its text, and with values for provenance
    columns the release's table lacks; fills an empty ``text_sha256`` (only in a table that has it)."""
    found = []
    sha = hashlib.sha256(art.data).hexdigest()
    given = art.row.get("text_sha256", "")
    if given and given != sha:
        found.append(f"{art.where}: text_sha256: {given[:12]}... is not the sha256 of the text ({sha[:12]}...); "
                     "the text is not the one the row describes, or leave text_sha256 empty to have it computed")
    elif "text_sha256" not in absent:
        art.row["text_sha256"] = sha
    lost = [f for f in absent if art.row.get(f)]
    if lost:
        found.append(f"{art.where}: the release's {ARTICLES_FILE} has no column {', '.join(lost)} (it was written before "
                     "these columns existed); leave them empty, or add the columns to the table and its schema "
                     "(corpus/schema/article.schema.json of this version) first")
    return found


def _stage(txn: Transaction, new: list[_NewArticle]) -> dict[str, bytes]:
    """The files that add ``new`` to the release ``txn`` writes; refuses every problem at once."""
    current = txn.read_bytes(ARTICLES_FILE) or b""
    rows = read_csv_rows(current, ARTICLES_FILE)
    header = next(csv.reader(io.StringIO(current.decode("utf-8")))) if current else list(ARTICLE_FIELDS)
    absent = [f for f in PROVENANCE_COLUMNS if f not in header]
    ids = {row.get("article_id"): f"{ARTICLES_FILE}:{line}" for line, row in rows}
    hashes = {}
    for _line, row in rows:
        data = txn.read_bytes(row.get("path") or "")
        if data is not None:
            hashes.setdefault(hashlib.sha256(data).hexdigest(), f"article {row.get('article_id')!r}")
    schema = txn.read_bytes(ARTICLE_SCHEMA)
    problems = []
    for art in new:
        aid = art.row["article_id"]
        found = _provenance_fit(art, absent)
        found += [f"{art.where}: {m}" for m in _metadata_problems(art.row, schema)]
        if aid in ids:
            found.append(f"{art.where}: article id {aid!r} is already used ({ids[aid]}); give another id with --id / id=")
        elif txn.read_bytes(art.row["path"]) is not None:
            found.append(f"{art.where}: {art.row['path']} already exists in the release; give another id with --id / id=")
        sha = hashlib.sha256(art.data).hexdigest()
        if sha in hashes:
            found.append(f"{art.where}: the text is identical (sha256 {sha[:12]}...) to {hashes[sha]}; it is already in the corpus")
        ids.setdefault(aid, art.where)
        hashes.setdefault(sha, f"the text of {art.where}")
        problems += found
    if problems:
        raise CorpusValidationError(problems)
    if current and not current.endswith(b"\n"):
        current += b"\n"
    if not current:
        current = _csv_line({f: f for f in header}, header).encode("utf-8")
    lines = "".join(_csv_line(art.row, header) for art in new).encode("utf-8")
    return {ARTICLES_FILE: current + lines, **{art.row["path"]: art.data for art in new}}


def add_article(
    release: str | Path,
    *,
    text: str | bytes | Path,
    title: str,
    language: str,
    id: str | None = None,  # noqa: A002 - the name users know from --id and articles.csv
    normalize: bool = False,
    published: str = "",
    outlet: str = "",
    url: str = "",
    genre: str = "",
    byline: str = "",
    author: str = "",
    source_file: str = "",
    notes: str = "",
    retrieved: str = "",
    extractor: str = "",
    text_sha256: str = "",
    capture: str = "",
    capture_sha256: str = "",
    published_source: str = "",
    license: str = "",  # noqa: A002 - the column's name
    license_evidence: str = "",
    access_rights: str = "",
    rights_holder: str = "",
    archived_url: str = "",
) -> str:
    """Add one article (its verbatim text and its metadata row) to the release folder ``release``
    and return its id.

    ``text`` is stored byte for byte: bytes as given, a str as UTF-8, a ``pathlib.Path`` as the
    file's bytes (problems then name the file). The id is derived from outlet, date
    and title unless given (rule: :mod:`caucasus_corpus.authoring.ids`). The provenance and rights
    fields (``retrieved`` ... ``archived_url``) are the columns of ``corpus/articles.csv`` of the
    same names (documented in :attr:`caucasus_corpus.Corpus.articles`); ``text_sha256`` is computed
    when empty. Every refusal (listed in
    :mod:`caucasus_corpus.authoring.articles`) raises ``ValueError`` (``CorpusValidationError`` for
    problems found against the release) and leaves the release unchanged; a success leaves a
    working copy that loads and validates.

    Example (in a copy of a release; the bundled one is read-only)::

        cc.add_article("my-release", text=Path("piece.txt"), title="...",
                       language="en", outlet="example.org", published="2031-03-01")
    """
    source = "text"
    if isinstance(text, Path):
        source, text = str(text), text.read_bytes()
    data, conversions = prepare_text(text, normalize=normalize, source=source)
    metadata = dict(title=title, language=language, published=published, outlet=outlet, url=url, genre=genre,
                    byline=byline, author=author, source_file=source_file, notes=notes, retrieved=retrieved,
                    extractor=extractor, text_sha256=text_sha256, capture=capture, capture_sha256=capture_sha256,
                    published_source=published_source, license=license, license_evidence=license_evidence,
                    access_rights=access_rights, rights_holder=rights_holder, archived_url=archived_url)
    row = _row(metadata, id, conversions)
    new = [_NewArticle(row, data, source if source != "text" else f"new article {row['article_id']!r}")]
    commit(release, lambda txn: _stage(txn, new))
    return new[0].row["article_id"]


def add_articles(
    release: str | Path,
    metadata: str | Path,
    texts: str | Path,
    *,
    normalize: bool = False,
    progress: bool = True,
) -> list[str]:
    """Add every article listed in the CSV file ``metadata`` (columns as in corpus/articles.csv)
    with its text from the folder ``texts``, all in one commit, and return their ids.

    Each row names its text file (relative to ``texts``) in ``path`` or, when that is empty, in
    ``source_file``; ``source_file`` is stored (the file name when it is empty). ``article_id``
    may be empty, to derive the id. All or nothing: when any row is bad, nothing is added and the
    ``CorpusValidationError`` lists every bad row as ``metadata.csv:LINE: problem``.
    """
    from tqdm.auto import tqdm

    metadata, texts = Path(metadata), Path(texts)
    rows = read_csv_rows(metadata.read_bytes(), str(metadata))
    if not rows:
        raise CorpusValidationError([f"{metadata}: no rows; give one row per text file under a header line"])
    new: list[_NewArticle] = []
    problems: list[str] = []
    for line, raw in tqdm(rows, desc="checking texts", unit="text", disable=not progress):
        where = f"{metadata}:{line}"
        try:
            if None in raw:
                raise ValueError("more values than header columns; quote values that contain commas")
            name = (raw.get("path") or raw.get("source_file") or "").strip()
            if not name:
                raise ValueError("names no text file; put the file name (relative to the texts folder) in path or source_file")
            file = texts / name
            if not file.is_file():
                raise ValueError(f"text file {file} does not exist")
            data, conversions = prepare_text(file.read_bytes(), normalize=normalize, source=str(file))
            fields = {k: v for k, v in raw.items() if k in METADATA_FIELDS}
            fields["source_file"] = fields.get("source_file") or Path(name).name
            new.append(_NewArticle(_row(fields, (raw.get("article_id") or "").strip() or None, conversions), data, where))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")

    def stage(txn: Transaction) -> dict[str, bytes]:
        # The rows that read well are checked against the release too, so that the report lists
        # every bad row at once; nothing is staged when any row is bad.
        try:
            files = _stage(txn, new)
        except CorpusValidationError as exc:
            raise CorpusValidationError(problems + exc.problems) from None
        if problems:
            raise CorpusValidationError(problems)
        return files

    commit(release, stage)
    return [art.row["article_id"] for art in new]
