"""``convert``: vendor exports into a staging folder (:mod:`.staging`).

``format="nexis"`` reads Nexis Uni DOCX and RTF exports (:mod:`.nexis`), ``"factiva"`` Factiva
RTF and HTML exports in article format (:mod:`.factiva`), ``"urls"`` Media Cloud and GDELT CSV
exports (:mod:`.urllists`) into ``STAGE/urls.csv`` for ``collect --from-csv``. Every file is read
through the safe reader's input mode (a DOCX is a zip: its members are capped). Every file is
read and checked before anything is written: an unreadable file or an unrecognised layout
refuses the whole command (``ValueError`` naming ``file:line``) and the stage is left as it was.
Each export document (or URL row) then gets a report row; documents are staged under ``add``'s
id rule, their duplicates reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..authoring.ids import article_id_for
from ..release.safefile import InputLimits, read_input
from ..vocab import CONVERT_FORMATS
from .dedup import DuplicateIndex
from .factiva import factiva_documents, html_lines
from .nexis import LayoutError, VendorDocument, nexis_documents, read_docx_paragraphs
from .rtf import RtfError, rtf_paragraphs
from .staging import URLS, Stage, _read_csv, _write_csv
from .urllists import ListedUrl, UrlListError, read_url_list

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ConvertError", "convert"]


class ConvertError(ValueError):
    """The command is refused: a file that cannot be read or whose layout is not recognised."""


def _converter_spec(fmt: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("caucasus-corpus")
    except PackageNotFoundError:
        ver = "0"
    return f"caucasus-corpus=={ver} (convert --format {fmt})"


def _read(file: Path, fmt: str, limits: InputLimits | None) -> list[VendorDocument]:
    suffix = file.suffix.lower()
    if fmt == "nexis":
        if suffix == ".docx":
            return nexis_documents(read_docx_paragraphs(file, limits), str(file))
        if suffix == ".rtf":
            return nexis_documents(rtf_paragraphs(read_input(file, limits=limits)), str(file))
        raise ConvertError(f"{file}: a Nexis Uni export is a .docx or .rtf file")
    if suffix == ".rtf":
        return factiva_documents(rtf_paragraphs(read_input(file, limits=limits)), str(file))
    if suffix in (".htm", ".html"):
        from .decode import DecodeError, decode_page

        try:
            html = decode_page(read_input(file, limits=limits))[0]
        except DecodeError as exc:
            raise ConvertError(f"{file}: {exc}") from None
        return factiva_documents(html_lines(html), str(file))
    raise ConvertError(f"{file}: a Factiva export is an .rtf, .htm or .html file")


def convert(
    files: Sequence[str | Path],
    *,
    format: str,  # noqa: A002 - the option's name on the command line
    to: str | Path,
    limits: InputLimits | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Convert vendor export files into the staging folder ``to`` and return its report.

    ``format``: one of ``nexis``, ``factiva``, ``urls``; ``limits``: the safe reader's caps for
    each file (:class:`caucasus_corpus.release.safefile.InputLimits`). The report has the columns
    of :func:`caucasus_corpus.intake.collect.collect`'s; its ``input`` is ``FILE#N`` for the N-th
    document of an export, ``FILE:LINE`` for a row of a URL list.

    Columns
    -------
    input : string
        The URL, feed URL or export document the row is about.
    status : string
        ok, robots-disallowed, http-NNN, not-an-article, paywalled, duplicate-of, near-duplicate-of, decode-error or error.
    http_status : string
        The final HTTP status code; <NA> when nothing was requested or answered.
    article_id : string
        The staged article's id (ok), or the article it duplicates; <NA> otherwise.
    message : string
        Why, and what to check or fill in metadata.csv; <NA> when there is nothing to say.
    """
    from tqdm.auto import tqdm

    from ..errors import CorpusInputError

    from . import require_libraries

    require_libraries()
    if format not in CONVERT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(CONVERT_FORMATS)}, not {format!r}")
    if not files:
        raise ValueError("no files to convert; give at least one export file")
    Stage.check_path(to)
    parsed: list[tuple[Path, list[VendorDocument] | list[ListedUrl]]] = []
    for name in files:
        file = Path(name)
        try:
            parsed.append((file, read_url_list(file, limits=limits) if format == "urls" else _read(file, format, limits)))
        except (LayoutError, UrlListError, CorpusInputError) as exc:
            raise ConvertError(str(exc)) from None
        except RtfError as exc:
            raise ConvertError(f"{file}:1: {exc}") from None
    stage = Stage.open(to)
    if format == "urls":
        _stage_urls(stage, parsed)  # type: ignore[arg-type]
        stage.save()
        return stage.report_frame()
    index, taken = DuplicateIndex(), stage.ids()
    for aid, text in stage.texts():
        index.add(aid, text)
    spec = _converter_spec(format)
    work = [(file, n, doc) for file, docs in parsed for n, doc in enumerate(docs, 1)]
    for file, n, doc in tqdm(work, desc="converting", unit="document", disable=not progress):
        item = f"{file.name}#{n}"
        if not stage.done(item):
            _stage_document(stage, item, file, n, doc, index, taken, spec, format)  # type: ignore[arg-type]
    stage.save()
    return stage.report_frame()


def _stage_document(stage: Stage, item: str, file: Path, n: int, doc: VendorDocument, index: DuplicateIndex,
                    taken: set[str], spec: str, fmt: str) -> None:
    text = "\n\n".join(doc.body) + "\n"
    try:
        wanted = article_id_for(outlet=doc.outlet, published=doc.published, title=doc.title)
    except ValueError as exc:
        stage.note(item, "error", message=f"no article id: {exc}")
        return
    seen = index.match(text)
    if seen:
        kind, other, similarity = seen
        stage.note(item, kind, article_id=other, message=f"{kind} {other}"
                   + (f" (estimated shingle similarity {similarity:.2f})" if kind == "near-duplicate-of" else ""))
        return
    aid = stage.free_id(wanted, taken)
    notes = [f"Converted by caucasus-corpus convert --format {fmt} from {file.name}, document {n} (line {doc.start})."]
    notes += doc.notes
    if aid != wanted:
        notes.append(f"Id {wanted} was taken, so this one is {aid}.")
    row = {"article_id": aid, "title": doc.title, "published": doc.published, "outlet": doc.outlet, "url": "",
           "genre": "", "language": doc.language, "byline": doc.byline, "author": "", "source_file": file.name,
           "notes": " ".join(notes), "retrieved": "", "extractor": spec, "capture": "", "capture_sha256": "",
           "published_source": "export", "license": "", "license_evidence": "", "access_rights": "",
           "rights_holder": doc.rights_holder, "archived_url": ""}
    stage.put(row, text)
    index.add(aid, text)
    taken.add(aid)
    problems = [] if doc.language else ["language: not given by the export; fill it in metadata.csv"]
    stage.note(item, "ok", article_id=aid, message="; ".join(problems))


def _stage_urls(stage: Stage, parsed: list[tuple[Path, list[ListedUrl]]]) -> None:
    from urllib.parse import urlsplit

    path = stage.root / URLS
    rows = _read_csv(path, stage.root) if path.exists() else []
    names = {file.name for file, _ in parsed}
    rows = [r for r in rows if r.get("source_file") not in names]  # a file converted again replaces its rows
    fields = ["url", "source_file", "source_line"]
    for file, listed in parsed:
        for item in listed:
            where = f"{file.name}:{item.line}"
            parts = urlsplit(item.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                stage.note(where, "error", message=f"{item.url[:80]!r} is not an http or https address" if item.url else "the row has no URL")
                continue
            fields += [c for c in item.columns if c not in fields]
            rows.append({"url": item.url, "source_file": file.name, "source_line": str(item.line), **item.columns})
            stage.note(where, "ok", message=f"listed in {URLS}; collect it with collect --from-csv {path}")
    for row in rows:
        fields += [c for c in row if c not in fields]
    _write_csv(path, fields, rows)
