"""What every exporter shares: which articles, their records as stored, the registries, and writing files.

Exports read a loaded corpus (anything :class:`~caucasus_corpus.model.protocol.CorpusLike`), so a
release, a working copy or a corpus built in memory export alike. Offsets stay code points here;
each format converts at its own boundary, once.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._options import unknown_key
from ..release.files import read_tsv
from ..release.layout import CAMEO_FILE
from ..release.safefile import read_inside

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike

__all__ = ["article_selection", "cameo_codes", "records_by_article", "refuse_unsafe_text", "write_files"]


def article_selection(corpus: CorpusLike, articles: Iterable[str] | None) -> list[str]:
    """The article ids to export, in the corpus's order; ``KeyError`` with close matches for an unknown id."""
    known = list(corpus.article_ids)
    if articles is None:
        return known
    if isinstance(articles, str):
        articles = [articles]
    wanted = list(dict.fromkeys(articles))
    for aid in wanted:
        if aid not in known:
            raise unknown_key("article", aid, known)
    return [aid for aid in known if aid in set(wanted)]


def records_by_article(corpus: CorpusLike, article_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each article's records as stored (id, span, text, annotator, the layer's attributes), in text order."""
    out: dict[str, list[dict[str, Any]]] = {aid: [] for aid in article_ids}
    if not corpus.has_annotations:
        return out
    frame = corpus.annotations
    for row in frame[frame["article_id"].isin(list(article_ids))].itertuples(index=False):
        rec = {"id": row.id, "article_id": row.article_id, "layer": row.layer, "start": int(row.start),
               "end": int(row.end), "text": row.text, "annotator": row.annotator, **row.attributes}
        out[row.article_id].append(rec)
    return out


def cameo_codes(corpus: CorpusLike, records: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """The CAMEO THREATEN codes a tool's configuration offers: the release's list, else the codes in use."""
    codes = {r["cameo"] for recs in records.values() for r in recs if r.get("cameo")}
    if corpus.root is not None:
        data = read_inside(Path(corpus.root), CAMEO_FILE)
        if data:
            codes |= {row["code"] for row in read_tsv(data, CAMEO_FILE, columns=("code", "name"))}
    return sorted(codes)


def refuse_unsafe_text(article_id: str, text: str, fmt: str) -> None:
    """Refuse a text whose offsets a tool would count differently: CR line ends, a leading BOM."""
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        raise ValueError(
            f"article {article_id!r} has a CR (carriage return) on line {line}; {fmt} reads CRLF as one character "
            "and would shift every later offset. Release texts never contain CR: add the text with "
            "`caucasus-corpus add --normalize` (CRLF/CR to LF) and export that corpus")
    if text.startswith("\ufeff"):
        raise ValueError(f"article {article_id!r} starts with a byte order mark, which {fmt} does not count as text; "
                         "remove it (`caucasus-corpus add --normalize`) before exporting")


def write_files(directory: str | Path, files: Mapping[str, bytes], *, overwrite: bool) -> list[Path]:
    """Write ``files`` (relative path to bytes) under ``directory``, each atomically; returns the paths.

    Everything is built before this is called, so a refusal writes nothing; ``overwrite=False``
    refuses a directory that already holds any file.
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise FileExistsError(f"{root} is a file; give a folder to export into")
    if root.is_dir() and any(root.iterdir()) and not overwrite:
        raise FileExistsError(f"{root} is not empty; choose a new folder or pass overwrite=True (--overwrite) "
                              "to replace the files of the same names")
    written = []
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created as open() creates files, so the umask gives the mode (mkstemp's is 0600: other
        # users of a shared folder could not read the export).
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return written
