"""brat standoff: ``ID.txt`` + ``ID.ann`` per article, and an ``annotation.conf`` for our layers.

What a record becomes (brat counts code points, as we do, so offsets are written as they are):

* its span: a ``T`` line of type ``Mention``, ``Claim``, ``Threat`` or ``Stance``, one fragment
  ``start end``; the text field is the span with tabs and line breaks shown as spaces (a
  one-line field cannot hold them);
* each attribute: an ``A`` line (``Form``, ``Attribution``, ``ClaimType``, ``Explicitness``,
  ``Cameo``, ``PloverMode``, ``Polarity``) and each actor or topic id an ``A`` line too
  (``Actor``, ``Speaker``, ``Holder``, ``Target``, ``Via``; a claim's targets one ``Targets`` line
  with the ids separated by spaces), so a speaker need not be mentioned in the text;
* a cue: a ``T`` line of type ``Cue`` and a relation ``HasCue Arg1:<record> Arg2:<cue>``;
* a note: an ``AnnotatorNotes`` line (``#``), with backslash, tab and line breaks escaped
  (``\\\\``, ``\\t``, ``\\n``, ``\\uXXXX``).

Record ids and annotators are not carried: an import allocates ids and takes ``annotator=``.

brat reads a ``.txt`` with Python's universal newlines, so a CRLF counts as one character and
every offset after it shifts (brat issues 853 and 1301), and a byte order mark is read as text.
Our texts have neither; an export refuses a text with CR or a BOM, and an import names them.

Import (:func:`read_brat`) takes what brat writes: spans split into fragments at line breaks are
joined again; a truly discontinuous span, an event, an equivalence or a normalisation line
cannot be mapped and is reported, as is an unknown type or attribute, or a ``.ann`` without its
``.txt``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..release.safefile import InputLimits, read_input
from ..vocab import ATTRIBUTIONS, CLAIM_TYPES, EXPLICITNESS, LAYER_ATTRIBUTES, LAYERS, MENTION_FORMS, PLOVER_MODES, POLARITIES
from .exporting import article_selection, cameo_codes, records_by_article, refuse_unsafe_text, write_files
from .importing import LINE_BREAKS, ForeignDocument, ForeignRecord
from .importing import shown as _shown  # (``shown`` names the text a span shows, below)

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike

__all__ = ["annotation_conf", "ann_lines", "read_brat", "to_brat"]

ENTITY = {layer: layer.capitalize() for layer in LAYERS}
CUE_TYPE, CUE_RELATION, NOTE_TYPE = "Cue", "HasCue", "AnnotatorNotes"
# Our attribute name -> brat attribute name.
ATTRIBUTE = {"form": "Form", "attribution": "Attribution", "claim_type": "ClaimType", "explicitness": "Explicitness",
             "cameo": "Cameo", "plover_mode": "PloverMode", "polarity": "Polarity", "actor": "Actor",
             "speaker": "Speaker", "holder": "Holder", "target": "Target", "via": "Via", "targets": "Targets",
             "organization": "Organization"}
_FROM_ENTITY = {v: k for k, v in ENTITY.items()}
_FROM_ATTRIBUTE = {v: k for k, v in ATTRIBUTE.items()}
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n"}


def _field(text: str) -> str:
    """A span's text as a one-line field: tabs and line breaks become spaces (as brat shows them)."""
    return "".join(" " if c in LINE_BREAKS or c == "\t" else c for c in text)


def _escape(note: str) -> str:
    return "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if c in LINE_BREAKS else c) for c in note)


def _unescape(value: str) -> str:
    """A note as written by :func:`_escape`; ``ValueError`` for a ``\\u`` not followed by four hex digits."""
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            if nxt == "u" and i + 6 <= len(value):
                digits = value[i + 2:i + 6]
                if not all(d in "0123456789abcdefABCDEF" for d in digits):
                    raise ValueError(f"the escape {_shown(value[i:i + 6])} is not \\u and four hexadecimal digits; "
                                     "write a backslash as \\\\")
                out.append(chr(int(digits, 16)))
                i += 6
                continue
            out.append({"\\": "\\", "t": "\t", "n": "\n"}.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def ann_lines(records: Iterable[dict[str, Any]]) -> str:
    """The ``.ann`` file of one article's records (in the order given)."""
    lines: list[str] = []
    n = {"T": 0, "A": 0, "R": 0, "#": 0}

    def new(kind: str) -> str:
        n[kind] += 1
        return f"{kind}{n[kind]}"

    for rec in records:
        tid = new("T")
        lines.append(f"{tid}\t{ENTITY[rec['layer']]} {rec['start']} {rec['end']}\t{_field(rec['text'])}")
        for key in LAYER_ATTRIBUTES[rec["layer"]]:
            value = rec.get(key)
            if key in ("cue", "note") or value in (None, "", []):
                continue
            shown = " ".join(value) if key == "targets" else value
            lines.append(f"{new('A')}\t{ATTRIBUTE[key]} {tid} {shown}")
        if rec.get("cue"):
            cue = rec["cue"]
            cid = new("T")
            lines.append(f"{cid}\t{CUE_TYPE} {cue['start']} {cue['end']}\t{_field(cue['text'])}")
            lines.append(f"{new('R')}\t{CUE_RELATION} Arg1:{tid} Arg2:{cid}")
        if rec.get("note"):
            lines.append(f"{new('#')}\t{NOTE_TYPE} {tid}\t{_escape(rec['note'])}")
    return "".join(line + "\n" for line in lines)


def annotation_conf(actor_ids: Iterable[str], topic_ids: Iterable[str], cameo: Iterable[str]) -> str:
    """brat's ``annotation.conf`` for our layers: entity and relation types, attributes and their values."""
    actors, topics = sorted(actor_ids), sorted(topic_ids)

    def values(vals: Iterable[str]) -> str:
        return "|".join(vals)

    attrs = [
        ("Form", "Mention", MENTION_FORMS), ("Actor", "Mention", actors),
        ("Speaker", "Claim|Threat", actors), ("Attribution", "Claim", ATTRIBUTIONS), ("ClaimType", "Claim", CLAIM_TYPES),
        ("Targets", "Claim", actors), ("Via", "Claim", actors),
        ("Target", "Threat|Stance", sorted(set(actors) | set(topics))), ("Explicitness", "Threat", EXPLICITNESS),
        ("Cameo", "Threat", list(cameo)), ("PloverMode", "Threat", PLOVER_MODES),
        ("Holder", "Stance", actors), ("Polarity", "Stance", POLARITIES),
    ]
    return "\n".join([
        "# caucasus-corpus layers for brat (annotations/GUIDELINES.md says how to annotate).",
        "# Actor and topic ids are attribute values; Targets of a claim lists its ids separated by spaces.",
        "[entities]", *ENTITY.values(), CUE_TYPE, "",
        "[relations]", f"{CUE_RELATION}\tArg1:Claim|Threat, Arg2:{CUE_TYPE}",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>", "",
        "[events]", "",
        "[attributes]", *(f"{name}\tArg:{args}, Value:{values(vals)}" for name, args, vals in attrs if vals), "",
    ])


def to_brat(corpus: CorpusLike, directory: str | Path, *, articles: Iterable[str] | None = None,
            overwrite: bool = False) -> list[Path]:
    """Write ``ID.txt`` and ``ID.ann`` for each article and ``annotation.conf`` into ``directory``.

    The folder opens in brat as a collection (copy it under brat's ``data/``). Refuses, writing
    nothing, a text with CR line ends or a BOM. Returns the files written.
    """
    ids = article_selection(corpus, articles)
    records = records_by_article(corpus, ids)
    files: dict[str, bytes] = {}
    for aid in ids:
        text = corpus.text(aid)
        refuse_unsafe_text(aid, text, "brat")
        files[f"{aid}.txt"] = text.encode("utf-8")
        files[f"{aid}.ann"] = ann_lines(records[aid]).encode("utf-8")
    actors = list(corpus.actors["actor_id"]) if corpus.has_annotations else []
    topics = list(corpus.topics["topic_id"]) if corpus.has_annotations else []
    files["annotation.conf"] = annotation_conf(actors, topics, cameo_codes(corpus, records)).encode("utf-8")
    return write_files(directory, files, overwrite=overwrite)


# -- import ---------------------------------------------------------------------------------------

def _span(frags: str, text: str, where: str) -> tuple[int, int]:
    """One span from brat fragments; fragments split only at line breaks (as brat splits) are joined."""
    try:
        parts = [tuple(int(x) for x in f.split(" ")) for f in frags.split(";")]
        if any(len(p) != 2 for p in parts):
            raise ValueError
    except ValueError:
        raise ValueError(f"{where}: cannot read the offsets {_shown(frags)}; brat writes 'START END' (or fragments 'S E;S E')") from None
    for (_, e1), (s2, _) in zip(parts, parts[1:]):
        gap = text[e1:s2]
        if s2 < e1 or any(c not in LINE_BREAKS and not c.isspace() for c in gap):
            raise ValueError(f"{where}: a discontinuous span ({frags}) cannot be mapped; our spans are one "
                             "stretch of text: annotate it as one span or as separate records")
    return parts[0][0], parts[-1][1]


def _stored_text(text: str, start: int, end: int, shown: str, frags: str) -> str:
    """The text a T line claims for its span, in the text's own characters when the field matches."""
    actual = text[start:end]
    pieces = [text[int(a):int(b)] for a, b in (f.split(" ") for f in frags.split(";"))]
    if shown in (_field(actual), " ".join(_field(p) for p in pieces)):
        return actual
    return shown


def _read_ann(ann: Path, data: bytes, text: str, doc: ForeignDocument) -> None:
    """Parse one ``.ann`` file (its bytes ``data``) into ``doc.records`` (and ``doc.problems``)."""
    name = ann.name
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        doc.problems.append(f"{name}: not valid UTF-8 at byte {exc.start}; save it as UTF-8")
        return
    if content.startswith("\ufeff"):
        doc.problems.append(f"{name}:1: the file starts with a byte order mark (BOM), which brat does not write and "
                            "would read as part of the first id; save it as UTF-8 without BOM")
        return
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(content.split("\n"), start=1) if line.strip()]
    spans: dict[str, tuple[str, ForeignRecord]] = {}  # T id -> (brat type, record or cue span)
    cues: dict[str, tuple[int, int, str | None]] = {}
    for n, line in lines:
        where = f"{name}:{n}"
        if not line.startswith("T"):
            continue
        parts = line.split("\t", 2)
        kind, _, frags = parts[1].partition(" ") if len(parts) > 1 else ("", "", "")
        if len(parts) != 3 or not frags:
            doc.problems.append(f"{where}: a T line is 'ID<TAB>TYPE START END<TAB>TEXT'; fix the line")
            continue
        if parts[0] in spans:
            doc.problems.append(f"{where}: the id {parts[0]} is used twice in the file; give each span its own id")
            continue
        if kind not in _FROM_ENTITY and kind != CUE_TYPE:
            doc.problems.append(f"{where}: unknown entity type {_shown(kind)}; ours are {', '.join([*ENTITY.values(), CUE_TYPE])}")
            continue
        try:
            start, end = _span(frags, text, where)
        except ValueError as exc:
            doc.problems.append(str(exc))
            continue
        shown = _stored_text(text, start, end, parts[2], frags) if end <= len(text) else parts[2]
        if kind == CUE_TYPE:
            cues[parts[0]] = (start, end, shown)
        spans[parts[0]] = (kind, ForeignRecord(where, _FROM_ENTITY.get(kind, "cue"), start, end, shown))
    used_cues: dict[str, str] = {}
    notes: set[str] = set()
    for n, line in lines:
        where = f"{name}:{n}"
        head = line[:1]
        if head == "T":
            continue
        parts = line.split("\t", 2)
        words = parts[1].split(" ") if len(parts) > 1 else []
        if head == "A" and len(words) >= 2:
            target = spans.get(words[1])
            key = _FROM_ATTRIBUTE.get(words[0])
            if target is None or target[0] == CUE_TYPE:
                doc.problems.append(f"{where}: attribute {words[0]} refers to {words[1]}, which is not a record span")
            elif key is None:
                doc.problems.append(f"{where}: unknown attribute {_shown(words[0])}; ours are {', '.join(ATTRIBUTE.values())}")
            elif len(words) < 3:
                doc.problems.append(f"{where}: attribute {words[0]} has no value")
            elif key in target[1].attributes:
                doc.problems.append(f"{where}: {words[0]} is given twice for {words[1]}; keep one")
            else:
                target[1].attributes[key] = words[2:] if key == "targets" else " ".join(words[2:])
        elif head == "R" and len(words) == 3:
            args = dict(w.split(":", 1) for w in words[1:] if ":" in w)
            rec, cue = spans.get(args.get("Arg1", "")), args.get("Arg2", "")
            if words[0] != CUE_RELATION:
                doc.problems.append(f"{where}: unknown relation type {_shown(words[0])}; ours is {CUE_RELATION} (a claim or threat to its cue)")
            elif rec is None or rec[0] == CUE_TYPE or cue not in cues:
                doc.problems.append(f"{where}: {CUE_RELATION} must go from a Claim or Threat (Arg1) to a Cue (Arg2)")
            elif rec[1].cue is not None:
                doc.problems.append(f"{where}: {args['Arg1']} has a second cue; a record has at most one")
            else:
                rec[1].cue = cues[cue]
                used_cues[cue] = args["Arg1"]
        elif head == "#" and len(parts) == 3 and len(words) == 2:
            rec = spans.get(words[1])
            if words[0] != NOTE_TYPE or rec is None or rec[0] == CUE_TYPE:
                doc.problems.append(f"{where}: a note must be {NOTE_TYPE} on a record span")
            elif words[1] in notes:
                doc.problems.append(f"{where}: {words[1]} has a second note; merge them into one")
            else:
                notes.add(words[1])
                try:
                    rec[1].attributes["note"] = _unescape(parts[2])
                except ValueError as exc:
                    doc.problems.append(f"{where}: {exc}")
        else:
            what = {"E": "an event", "*": "an equivalence", "N": "a normalisation", "M": "a modifier"}.get(head, "this line")
            doc.problems.append(f"{where}: {what} cannot be mapped to our records ({line[:60]!r}); "
                                "actor and topic ids are attributes (annotation.conf)")
    for tid in sorted(set(cues) - set(used_cues)):
        doc.problems.append(f"{spans[tid][1].where}: cue {tid} belongs to no claim or threat (no {CUE_RELATION} relation)")
    doc.records += [rec for kind, rec in spans.values() if kind != CUE_TYPE]


def read_brat(path: str | Path, *, limits: InputLimits | None = None) -> list[ForeignDocument]:
    """The documents of a brat folder (every ``ID.ann`` with its ``ID.txt``), or of one ``.ann`` file.

    Each file is read through the safe reader's input mode (:func:`~caucasus_corpus.release.safefile.read_input`,
    capped by ``limits``): a FIFO, a device or a link out of the folder raises ``CorpusInputError``.
    """
    path = Path(path)
    if path.suffix == ".ann" and os.path.lexists(path) and not path.is_dir():
        anns, root = [path], path.parent
    elif path.is_dir():
        root = path
        anns = sorted(path.glob("*.ann"))
        if not anns:
            raise FileNotFoundError(f"{path}: no .ann files; give the brat folder holding ID.txt and ID.ann")
    else:
        raise FileNotFoundError(f"{path}: not a brat folder or .ann file; give the folder holding ID.txt and ID.ann")
    docs = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        doc = ForeignDocument(source=ann.name, article_id=ann.stem, text=None, unit="codepoints", tool="brat")
        docs.append(doc)
        data = read_input(ann, root=root, limits=limits)
        if not os.path.lexists(txt):
            doc.problems.append(f"{ann.name}: its text file {txt.name} is missing; brat keeps the text next to the "
                                "annotations: copy it back from the export")
            continue
        try:
            doc.text = read_input(txt, root=root, limits=limits).decode("utf-8")
        except UnicodeDecodeError as exc:
            doc.problems.append(f"{txt.name}: not valid UTF-8 at byte {exc.start}; save it as UTF-8")
            continue
        _read_ann(ann, data, doc.text, doc)
    return docs
