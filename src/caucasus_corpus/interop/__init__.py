"""Exchange with the tools researchers already use: brat, INCEpTION (UIMA CAS XMI), Label Studio,
Parquet / Hugging Face datasets and NLTK readers.

Exporters read a loaded corpus; importers read a tool's files into foreign documents
(:mod:`.importing`), check every span, label and actor against the release, refuse (writing
nothing) with the list of what they could not map, and write through the annotation API
(``cc.annotate``). Our offsets are code points of the verbatim text; each format converts at its
own boundary, once. The heavy readers load lazily: ``import caucasus_corpus.interop`` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._options import check_choice
from ..release.safefile import InputLimits
from ..vocab import EXPORT_FORMATS, IMPORT_FORMATS, OFFSET_UNITS

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike
    from .importing import ImportReport

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "export", "import_annotations"]



def export(corpus: CorpusLike, out: str | Path, *, format: str, articles: Iterable[str] | None = None,
           overwrite: bool = False) -> list[Path] | Any:
    """Write ``corpus`` (or the ``articles`` given) into the folder ``out`` in ``format``.

    brat: :func:`.brat.to_brat`; xmi: :func:`.xmi.to_xmi`; labelstudio:
    :func:`.labelstudio.to_labelstudio`; parquet: :func:`.parquet.to_parquet` (all articles); dna:
    :func:`.dna.to_dna` (``out`` is the database file to write).
    """
    check_choice("format", format, EXPORT_FORMATS)
    if format == "brat":
        from .brat import to_brat

        return to_brat(corpus, out, articles=articles, overwrite=overwrite)
    if format == "xmi":
        from .xmi import to_xmi

        return to_xmi(corpus, out, articles=articles, overwrite=overwrite)
    if format == "labelstudio":
        from .labelstudio import to_labelstudio

        return to_labelstudio(corpus, out, articles=articles, overwrite=overwrite)
    if format == "dna":  # one SQLite file, not a folder
        from .dna import to_dna

        return to_dna(corpus, out, articles=articles, overwrite=overwrite)
    if articles is not None:
        raise ValueError("the parquet export writes the whole corpus; drop articles= (--articles)")
    from .parquet import to_parquet  # pyarrow loads only when asked for

    return to_parquet(corpus, out, overwrite=overwrite)


def import_annotations(release: str | Path, path: str | Path, *, format: str, annotator: str,
                       independent: bool = False, offsets: str | None = None,
                       limits: InputLimits | None = None, add_articles: bool = False,
                       language: str | None = None) -> ImportReport | Any:
    """Import the records of a tool's export at ``path`` into the release folder ``release``.

    Every article must already be in the release with the same text (``caucasus-corpus add`` it
    first). Raises :class:`.importing.ImportRefused` listing everything that could not be mapped,
    having written nothing; see :mod:`.importing`.

    The tool's files are read through the safe reader's input mode: regular files inside the
    input folder only, each at most ``limits.max_bytes`` (512 MB), zip members also at most
    ``limits.max_ratio`` (200:1) compressed; anything else raises
    :class:`~caucasus_corpus.errors.CorpusInputError` naming the file and the cap. ``offsets``
    (``"utf16"`` or ``"codepoints"``) says which unit the tool's offsets count, when what the spans
    cover cannot establish it (:mod:`.importing`).

    ``format="dna"`` reads a DNA database (:mod:`.dna`) and may add its documents as articles
    (``add_articles=True`` with ``language``); it returns a :class:`.dna.DnaImportReport`.
    """
    check_choice("format", format, IMPORT_FORMATS)
    if offsets is not None:
        check_choice("offsets", offsets, OFFSET_UNITS)
    if limits is not None and not isinstance(limits, InputLimits):
        raise ValueError(f"limits= takes an InputLimits (caucasus_corpus.release.safefile), not {type(limits).__name__}")
    from .importing import import_documents

    if format == "dna":  # documents and statements of a DNA database (:mod:`.dna`)
        from .dna import import_dna

        if independent:
            raise ValueError("a DNA import writes gold records; --independent is not available with --format dna")
        if offsets is not None:
            raise ValueError("offsets= is not for --format dna: DNA always counts UTF-16 code units, and the import converts them")
        return import_dna(release, path, annotator=annotator, add_articles=add_articles, language=language, limits=limits)
    if add_articles or language:
        raise ValueError("add_articles/language (--add-articles, --language) are only for --format dna")
    if format == "brat":
        from .brat import read_brat as read
    elif format == "xmi":
        from .xmi import read_xmi as read
    else:
        from .labelstudio import read_labelstudio as read
    return import_documents(release, read(path, limits=limits), annotator=annotator, independent=independent,
                            offsets=offsets)
