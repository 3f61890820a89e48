"""INCEpTION / WebAnno: UIMA CAS XMI with a type system for our layers, via ``dkpro-cassis``.

The type system (``TypeSystem.xml`` next to this module, copied into every export) has one span
type per layer, ``webanno.custom.Mention``, ``Claim``, ``Threat`` and ``Stance``, with a String
feature per attribute (actor and topic ids as strings, so a speaker need not be mentioned; a
claim's ``targets`` a ``uima.cas.StringArray``; ``recordId``, ``annotator``, ``note``), a
``webanno.custom.Cue`` span and the relation ``webanno.custom.HasCue`` from a claim or threat
(``Governor``) to its cue (``Dependent``). DKPro's ``DocumentMetaData`` carries the article id
(``documentId``).

Offsets: XMI counts UTF-16 code units, so an emoji moves every later offset by one (dkpro-cassis
issue 135, INCEpTION 1811). dkpro-cassis converts itself: a Python ``Cas`` takes and gives code
points and writes and reads UTF-16 offsets (checked in ``tests/interop/test_xmi.py`` against the
raw XML). An export therefore hands cassis our code points unchanged: the conversion happens
once, inside cassis. An import keeps the offsets as the file writes them instead, because some
tools write code points into XMI: :mod:`.importing` establishes the unit from what the spans cover
(or takes ``offsets=``) and converts once, there.

:func:`to_xmi` writes one ``ID.zip`` per article (``ID.xmi`` and ``TypeSystem.xml``), the form
INCEpTION's "UIMA CAS XMI (XML 1.0)" import takes, and the type system at the top of the folder.
:func:`read_xmi` reads such zips or ``.xmi`` files (with the ``TypeSystem.xml`` beside them, or
ours); annotations of other ``webanno.custom`` types are reported, segmentation and metadata
types (tokens, sentences) ignored. Needs ``dkpro-cassis`` (the ``interop`` extra).

In INCEpTION the project needs these layers before the import shows them: span layers Mention,
Claim, Threat, Stance and Cue with the String features of ``TypeSystem.xml``. ``HasCue`` joins two
different span types, which an INCEpTION relation layer (drawn between annotations of one span
layer) may not be able to show or edit. What is tested here is the file, written and read with
dkpro-cassis; it has not been tried in a running INCEpTION.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..release.safefile import InputLimits, open_input_zip, read_input
from ..vocab import LAYERS
from .exporting import article_selection, records_by_article, refuse_unsafe_text, write_files
from .importing import ForeignDocument, ForeignRecord, shown

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike

__all__ = ["TYPESYSTEM_FILE", "cas_for", "read_xmi", "to_xmi", "typesystem"]

TYPESYSTEM_FILE = "TypeSystem.xml"
PREFIX = "webanno.custom."
TYPE = {layer: PREFIX + layer.capitalize() for layer in LAYERS}
CUE, HAS_CUE = PREFIX + "Cue", PREFIX + "HasCue"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
XMI_ID = "{http://www.omg.org/XMI}id"
# Our attribute name -> feature name, where they differ (UIMA features are camelCase).
FEATURE = {"claim_type": "claimType", "plover_mode": "ploverMode"}
_ATTRIBUTE = {v: k for k, v in FEATURE.items()}
_LAYER = {v: k for k, v in TYPE.items()}
_RECORD_ONLY = ("recordId", "annotator")


def _cassis() -> Any:
    try:
        import cassis
    except ImportError:  # pragma: no cover - depends on the installation
        raise ImportError("UIMA CAS XMI needs dkpro-cassis: pip install 'caucasus-corpus[interop]'") from None
    return cassis


def typesystem_xml() -> bytes:
    """Our type system, as shipped (import it into INCEpTION's project layers as it is)."""
    return (resources.files(__package__) / TYPESYSTEM_FILE).read_bytes()


def typesystem() -> Any:
    """Our type system as a ``cassis.TypeSystem``."""
    return _cassis().load_typesystem(io.BytesIO(typesystem_xml()))


def cas_for(article_id: str, text: str, records: Iterable[dict[str, Any]], ts: Any = None) -> Any:
    """A ``cassis.Cas`` of one article: the text as sofa, one annotation per record (code points in)."""
    cassis = _cassis()
    ts = ts or typesystem()
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = text
    cas.sofa_mime = "text/plain"
    meta = ts.get_type(METADATA)
    cas.add(meta(begin=0, end=len(text), documentId=article_id, documentTitle=article_id))
    string_array = ts.get_type("uima.cas.StringArray")
    for rec in records:
        layer_type = ts.get_type(TYPE[rec["layer"]])
        features: dict[str, Any] = {"recordId": rec["id"], "annotator": rec["annotator"]}
        for key, value in rec.items():
            if key in ("id", "article_id", "layer", "start", "end", "text", "annotator", "cue") or value in (None, ""):
                continue
            features[FEATURE.get(key, key)] = string_array(elements=list(value)) if key == "targets" else value
        ann = layer_type(begin=rec["start"], end=rec["end"], **features)
        cas.add(ann)
        if rec.get("cue"):
            cue = ts.get_type(CUE)(begin=rec["cue"]["start"], end=rec["cue"]["end"])
            cas.add(cue)
            cas.add(ts.get_type(HAS_CUE)(begin=cue.begin, end=cue.end, Governor=ann, Dependent=cue))
    return cas


def to_xmi(corpus: CorpusLike, directory: str | Path, *, articles: Iterable[str] | None = None,
           overwrite: bool = False) -> list[Path]:
    """Write ``ID.zip`` (``ID.xmi`` + ``TypeSystem.xml``) per article and ``TypeSystem.xml`` into ``directory``.

    Import each zip into INCEpTION as "UIMA CAS XMI (XML 1.0)". Refuses a text with CR or a BOM.
    """
    ids = article_selection(corpus, articles)
    records = records_by_article(corpus, ids)
    ts_bytes = typesystem_xml()
    ts = typesystem()
    files: dict[str, bytes] = {TYPESYSTEM_FILE: ts_bytes}
    for aid in ids:
        text = corpus.text(aid)
        refuse_unsafe_text(aid, text, "UIMA XMI")
        xmi = cas_for(aid, text, records[aid], ts).to_xmi().encode("utf-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"{aid}.xmi", xmi)
            z.writestr(TYPESYSTEM_FILE, ts_bytes)
        files[f"{aid}.zip"] = buffer.getvalue()
    return write_files(directory, files, overwrite=overwrite)


# -- import ---------------------------------------------------------------------------------------

def _value(fs: Any, feature: str) -> Any:
    value = getattr(fs, feature, None)
    if value is None or value == "":
        return None
    if hasattr(value, "elements"):
        return [str(v) for v in value.elements or []]
    return value


def _raw_offsets(xmi: bytes) -> dict[int, tuple[str, str]]:
    """``begin`` and ``end`` as the file writes them, by ``xmi:id``: cassis converts them from UTF-16
    code units on loading, but a file may count code points (:mod:`.importing` establishes which)."""
    from lxml import etree

    out: dict[int, tuple[str, str]] = {}
    # The same parser limits as cassis's (no huge tree); no entities resolved, nothing fetched.
    for _, el in etree.iterparse(io.BytesIO(xmi), events=("start",), huge_tree=False, resolve_entities=False,
                                 no_network=True, load_dtd=False):
        b, e, i = el.get("begin"), el.get("end"), el.get(XMI_ID)
        if b is not None and e is not None and i is not None and i.isdigit():
            out[int(i)] = (b, e)
    return out


def _offset(value: str) -> int | str:
    """An offset attribute as a number, or as written when it is none (then reported as not a span)."""
    try:
        return int(value)
    except ValueError:
        return value


def _document(cas: Any, raw: dict[int, tuple[str, str]], source: str, default_id: str) -> ForeignDocument:
    meta = next(iter(cas.select(METADATA)), None) if cas.typesystem.contains_type(METADATA) else None
    article_id = (getattr(meta, "documentId", None) or default_id) if meta is not None else default_id
    doc = ForeignDocument(source=source, article_id=article_id, text=cas.sofa_string, unit="utf16", tool="XMI")

    def span(fs: Any) -> tuple[Any, Any]:
        b, e = raw.get(fs.xmiID, (str(fs.begin), str(fs.end)))
        return _offset(b), _offset(e)

    by_fs: dict[int, ForeignRecord] = {}
    for ann in cas.select_all_annotations():
        name = ann.type.name
        if name in _LAYER:
            layer = _LAYER[name]
            begin, end = span(ann)
            where = f"{source}: {name.removeprefix(PREFIX)} {begin}:{end}"
            attrs = {}
            for feature in ann.type.all_features:
                if feature.name in ("begin", "end", "sofa", *_RECORD_ONLY):
                    continue
                value = _value(ann, feature.name)
                if value is not None:
                    attrs[_ATTRIBUTE.get(feature.name, feature.name)] = value
            rec = ForeignRecord(where, layer, begin, end, None, attrs)
            by_fs[id(ann)] = rec
            doc.records.append(rec)
        elif name.startswith(PREFIX) and name not in (CUE, HAS_CUE):
            doc.problems.append(f"{source}: annotations of type {shown(name)} ({':'.join(map(str, span(ann)))}) cannot be "
                                f"mapped; ours are {', '.join(t.removeprefix(PREFIX) for t in (*TYPE.values(), CUE, HAS_CUE))}")
    linked: set[int] = set()
    if cas.typesystem.contains_type(HAS_CUE):
        for link in cas.select(HAS_CUE):
            rec = by_fs.get(id(link.Governor)) if link.Governor is not None else None
            cue = link.Dependent
            if rec is None or cue is None or rec.layer not in ("claim", "threat"):
                doc.problems.append(f"{source}: HasCue {':'.join(map(str, span(link)))} must link a Claim or Threat "
                                    "(Governor) to a Cue (Dependent)")
            elif rec.cue is not None:
                doc.problems.append(f"{rec.where}: has a second cue; a record has at most one")
            else:
                rec.cue = (*span(cue), None)
                linked.add(id(cue))
    if cas.typesystem.contains_type(CUE):
        for cue in cas.select(CUE):
            if id(cue) not in linked:
                doc.problems.append(f"{source}: Cue {':'.join(map(str, span(cue)))} belongs to no claim or threat (no HasCue relation)")
    return doc


def _load(xmi: bytes, ts_bytes: bytes | None, source: str, default_id: str) -> ForeignDocument:
    cassis = _cassis()
    try:
        ts = cassis.load_typesystem(io.BytesIO(ts_bytes)) if ts_bytes else typesystem()
        with warnings.catch_warnings():
            # cassis warns of offsets it cannot convert from UTF-16; the raw offsets are checked instead.
            warnings.filterwarnings("ignore", message="Not mapping", category=UserWarning)
            cas = cassis.load_cas_from_xmi(io.BytesIO(xmi), typesystem=ts)
        raw = _raw_offsets(xmi)
    except Exception as exc:  # cassis raises many kinds (XML, type, value errors); name the file
        doc = ForeignDocument(source=source, article_id=default_id, text=None)
        doc.problems.append(f"{source}: cannot read it as UIMA CAS XMI with its type system ({type(exc).__name__}: "
                            f"{shown(str(exc), 200)}); export it again as 'UIMA CAS XMI (XML 1.0)' with {TYPESYSTEM_FILE}")
        return doc
    return _document(cas, raw, source, default_id)


def read_xmi(path: str | Path, *, limits: InputLimits | None = None) -> list[ForeignDocument]:
    """The documents of a folder of ``ID.zip`` / ``ID.xmi`` files, or of one such file.

    Every file and zip member is read through the safe reader's input mode, capped by ``limits``
    (:func:`~caucasus_corpus.release.safefile.read_input`, :func:`~caucasus_corpus.release.safefile.open_input_zip`):
    a FIFO, a device, a link out of the folder, a zip bomb or a link entry raises ``CorpusInputError``.
    The records keep the offsets as the file writes them (UTF-16 code units by the format).
    """
    path = Path(path)
    if path.is_dir():
        root = path
        files = sorted(p for p in path.iterdir() if p.suffix in (".zip", ".xmi"))
    else:
        root, files = path.parent, ([path] if os.path.lexists(path) else [])
    if not files:
        raise FileNotFoundError(f"{path}: no .zip or .xmi files; give the folder of the XMI export or one file")
    docs = []
    for file in files:
        if file.suffix == ".zip":
            z = open_input_zip(file, root=root, limits=limits)
            names = z.names()
            xmis = [n for n in names if n.endswith(".xmi")]
            ts_names = [n for n in names if n.rsplit("/", 1)[-1].lower() == TYPESYSTEM_FILE.lower()]
            if len(xmis) != 1:
                doc = ForeignDocument(source=file.name, article_id=file.stem, text=None)
                doc.problems.append(f"{file.name}: holds {len(xmis)} .xmi files; a document's zip holds one")
                docs.append(doc)
                continue
            xmi, ts_bytes = z.read(xmis[0]), (z.read(ts_names[0]) if ts_names else None)
        else:
            xmi = read_input(file, root=root, limits=limits)
            beside = file.parent / TYPESYSTEM_FILE
            ts_bytes = read_input(beside, root=root, limits=limits) if os.path.lexists(beside) else None
        docs.append(_load(xmi, ts_bytes, file.name, file.stem))
    return docs
