"""Label Studio: tasks JSON with our records as predictions, the labeling config for our layers,
and import of Label Studio's JSON export.

Each article is a task (``data.text`` the verbatim text, ``data.article_id`` its id). Each record
is a region: a ``labels`` result of the control ``layer`` (``Mention``, ``Claim``, ``Threat``,
``Stance``) whose ``id`` is the record id, plus one per-region result of the same ``id`` for each
attribute: ``choices`` of the control ``LAYER_ATTRIBUTE`` (``claim_speaker``,
``stance_polarity``, ...; actor and topic ids are choices, so a speaker need not be mentioned),
and a ``textarea`` ``note``. A cue is a ``Cue`` region joined to its claim or threat by a relation
labelled ``cue``.

Offsets: Label Studio's ``start``/``end`` count code points of ``data.text`` (it stored a browser's
UTF-16 offsets for years, label-studio issue 1347, fixed by storing code points); we write code
points, and an import checks every region's ``text`` against ours, refusing UTF-16 offsets by name
(regions without ``text`` must cover what fits code points; ``offsets="utf16"`` imports an old export).
The config sets ``white-space: pre-wrap`` so every space is shown and counted. Label Studio counts
CR as a character of its own; our texts have none (an export refuses one).

:func:`read_labelstudio` takes the JSON export (a list of tasks with ``annotations``): one
annotation per task (an export of several annotators' work is refused: filter it to one
annotator and import with ``--annotator``); cancelled annotations and predictions are not read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from ..errors import CorpusFormatError
from ..release.safefile import InputLimits, read_input
from ..vocab import ATTRIBUTIONS, CLAIM_TYPES, EXPLICITNESS, LAYER_ATTRIBUTES, LAYERS, MENTION_FORMS, PLOVER_MODES, POLARITIES
from .exporting import article_selection, cameo_codes, records_by_article, refuse_unsafe_text, write_files
from .importing import ForeignDocument, ForeignRecord, json_depth_problem, shown

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike

__all__ = ["CONFIG_FILE", "TASKS_FILE", "labeling_config", "read_labelstudio", "tasks", "to_labelstudio"]

CONFIG_FILE, TASKS_FILE = "config.xml", "tasks.json"
LAYER_CONTROL, TEXT_OBJECT, NOTE_CONTROL, CUE_LABEL, CUE_RELATION = "layer", "text", "note", "Cue", "cue"
LABEL = {layer: layer.capitalize() for layer in LAYERS}
_FROM_LABEL = {v: k for k, v in LABEL.items()}
# The per-region controls: name -> (layer, attribute); the note control serves every layer.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.:-]+")
CONTROLS = {f"{layer}_{key}": (layer, key) for layer in LAYERS for key in LAYER_ATTRIBUTES[layer] if key not in ("cue", "note")}


def _choices(layer: str, key: str, actors: list[str], topics: list[str], cameo: list[str]) -> tuple[list[str], bool]:
    """The values a control offers, and whether several may be chosen."""
    closed = {"form": MENTION_FORMS, "attribution": ATTRIBUTIONS, "claim_type": CLAIM_TYPES, "explicitness": EXPLICITNESS,
              "plover_mode": PLOVER_MODES, "polarity": POLARITIES, "cameo": tuple(cameo)}
    if key in closed:
        return list(closed[key]), False
    if layer == "stance" and key == "target":
        return sorted(set(actors) | set(topics)), False
    return sorted(actors), key == "targets"


def labeling_config(actors: Mapping[str, str], topics: Mapping[str, str], cameo: Iterable[str]) -> str:
    """The labeling config XML for our layers: span labels, per-region attribute choices, a note, cue relations.

    ``actors`` and ``topics`` map ids (the choices) to names or labels (shown on hover).
    """
    codes = list(cameo)
    hints = {**topics, **actors}
    out = ["<View>",
           "  <Style>.htx-text{ white-space: pre-wrap; }</Style>",
           f'  <Labels name="{LAYER_CONTROL}" toName="{TEXT_OBJECT}">',
           *(f'    <Label value="{v}"/>' for v in (*LABEL.values(), CUE_LABEL)),
           "  </Labels>",
           f'  <Text name="{TEXT_OBJECT}" value="$text"/>',
           f'  <Relations><Relation value="{CUE_RELATION}"/></Relations>']
    for layer in LAYERS:
        out.append(f'  <View visibleWhen="region-selected" whenLabelValue="{LABEL[layer]}">')
        for name, (owner, key) in CONTROLS.items():
            if owner != layer:
                continue
            values, multiple = _choices(layer, key, list(actors), list(topics), codes)
            out.append(f'    <Header value={quoteattr(key.replace("_", " "))}/>')
            out.append(f'    <Choices name="{name}" toName="{TEXT_OBJECT}" perRegion="true" '
                       f'choice="{"multiple" if multiple else "single"}" layout="select">')
            out += [f"      <Choice value={quoteattr(v)}" + (f" hint={quoteattr(hints[v])}" if v in hints else "") + "/>"
                    for v in values]
            out.append("    </Choices>")
        out.append("  </View>")
    out += ['  <View visibleWhen="region-selected">',
            f'    <TextArea name="{NOTE_CONTROL}" toName="{TEXT_OBJECT}" perRegion="true" editable="true" maxSubmissions="1" placeholder="note"/>',
            "  </View>", "</View>", ""]
    return "\n".join(out)


def _region(rid: str, start: int, end: int, text: str, control: str, kind: str, value: Any) -> dict[str, Any]:
    key = {"labels": "labels", "choices": "choices", "textarea": "text"}[kind]
    body = {"start": start, "end": end} if kind == "textarea" else {"start": start, "end": end, "text": text}
    return {"id": rid, "from_name": control, "to_name": TEXT_OBJECT, "type": kind, "value": {**body, key: value}}


def results(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Label Studio results (regions, per-region attributes, cue relations) of one article's records."""
    out: list[dict[str, Any]] = []
    for rec in records:
        rid, s, e, t = rec["id"], rec["start"], rec["end"], rec["text"]
        out.append(_region(rid, s, e, t, LAYER_CONTROL, "labels", [LABEL[rec["layer"]]]))
        for key in LAYER_ATTRIBUTES[rec["layer"]]:
            value = rec.get(key)
            if key == "cue" or value in (None, "", []):
                continue
            if key == "note":
                out.append(_region(rid, s, e, t, NOTE_CONTROL, "textarea", [value]))
            else:
                out.append(_region(rid, s, e, t, f"{rec['layer']}_{key}", "choices", list(value) if key == "targets" else [value]))
        if rec.get("cue"):
            cue = rec["cue"]
            out.append(_region(f"{rid}-cue", cue["start"], cue["end"], cue["text"], LAYER_CONTROL, "labels", [CUE_LABEL]))
            out.append({"from_id": rid, "to_id": f"{rid}-cue", "type": "relation", "direction": "right", "labels": [CUE_RELATION]})
    return out


def tasks(corpus: CorpusLike, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """One Label Studio task per article, its records as a prediction."""
    ids = list(article_ids)
    records = records_by_article(corpus, ids)
    out = []
    for aid in ids:
        text = corpus.text(aid)
        refuse_unsafe_text(aid, text, "Label Studio")
        task: dict[str, Any] = {"data": {"text": text, "article_id": aid}}
        if records[aid]:
            task["predictions"] = [{"model_version": f"caucasus-corpus {corpus.version or 'in memory'}",
                                    "result": results(records[aid])}]
        out.append(task)
    return out


def to_labelstudio(corpus: CorpusLike, directory: str | Path, *, articles: Iterable[str] | None = None,
                   overwrite: bool = False) -> list[Path]:
    """Write ``tasks.json`` and the labeling config ``config.xml`` into ``directory``.

    Create a Label Studio project with the config (Settings, Labeling Interface, Code) and import
    the tasks; the records appear as predictions to accept or correct.
    """
    ids = article_selection(corpus, articles)
    task_list = tasks(corpus, ids)
    actors = dict(zip(corpus.actors["actor_id"], corpus.actors["name"])) if corpus.has_annotations else {}
    topics = dict(zip(corpus.topics["topic_id"], corpus.topics["label"])) if corpus.has_annotations else {}
    config = labeling_config(actors, topics, cameo_codes(corpus, records_by_article(corpus, ids)))
    files = {TASKS_FILE: (json.dumps(task_list, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
             CONFIG_FILE: config.encode("utf-8")}
    return write_files(directory, files, overwrite=overwrite)


# -- import ---------------------------------------------------------------------------------------

def _id(value: Any) -> str | None:
    """A task, region or relation-end id as a key: text or a whole number, else None."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    return None


def _shown_id(value: Any) -> str:
    """An id from the file as a message shows it: plain when it is a short plain id, else quoted
    and cut (an id may hold anything, a line break or an escape sequence included)."""
    key = _id(value)
    if key is not None and len(key) <= 64 and _PLAIN_ID.fullmatch(key):
        return key
    return shown(value)


def _task_document(task: Any, source: str, n: int) -> ForeignDocument:
    if not isinstance(task, dict):
        doc = ForeignDocument(source=f"{source}: task {n}", article_id="?", text=None)
        doc.problems.append(f"{source}: task {n}: is {shown(task)}, not a task object; is this a Label Studio JSON export?")
        return doc
    where = f"{source}: task {_shown_id(task.get('id', n))}"
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        doc = ForeignDocument(source=where, article_id="?", text=None)
        doc.problems.append(f"{where}: has no data.text; is this a Label Studio JSON export of tasks made with our config?")
        return doc
    aid = data.get("article_id")
    doc = ForeignDocument(source=where, article_id=aid if isinstance(aid, str) else "?", text=data["text"],
                          unit="codepoints", tool="Label Studio")
    if not isinstance(aid, str) or not aid:
        doc.problems.append(f"{where}: has no data.article_id; the tasks must come from `caucasus-corpus export --format labelstudio`")
        return doc
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        doc.problems.append(f"{where}: annotations is {shown(annotations)}, not a list of annotation objects; "
                            "export the project from Label Studio as JSON")
        return doc
    annotations = [a for a in annotations if not a.get("was_cancelled")]
    if not annotations:
        return doc
    if len(annotations) > 1:
        people = ", ".join(_shown_id(a.get("completed_by", "?")) for a in annotations)
        doc.problems.append(f"{where}: has {len(annotations)} annotations (by {people}); export one annotator's "
                            "annotations at a time and import each with its --annotator")
        return doc
    result = annotations[0].get("result") or []
    if not isinstance(result, list):
        doc.problems.append(f"{where}: the annotation's result is {shown(result)}, not a list of results")
        return doc
    _read_results(result, where, doc)
    return doc


def _read_results(result: list[Any], where: str, doc: ForeignDocument) -> None:
    regions: dict[str, ForeignRecord] = {}
    cues: dict[str, tuple[Any, Any, Any]] = {}
    attributes: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    relations: list[dict[str, Any]] = []
    for n, item in enumerate(result, start=1):
        if not isinstance(item, dict):
            doc.problems.append(f"{where}: result {n} is {shown(item)}, not a result object")
            continue
        kind = item.get("type")
        if kind == "relation":
            relations.append(item)
            continue
        rid, value = _id(item.get("id")), item.get("value") or {}
        here = f"{where}, region {_shown_id(item.get('id'))}"
        if rid is None:
            doc.problems.append(f"{here}: a region id is text or a number")
        elif not isinstance(value, dict):
            doc.problems.append(f"{here}: its value is {shown(value)}, not an object with start, end and labels")
        elif kind == "labels" and item.get("from_name") == LAYER_CONTROL:
            labels = value.get("labels") or []
            if rid in regions or rid in cues:
                doc.problems.append(f"{here}: two regions have this id; give each its own")
            elif not isinstance(labels, list) or len(labels) != 1 or labels[0] not in (*_FROM_LABEL, CUE_LABEL) \
                    or not isinstance(labels[0], str):
                doc.problems.append(f"{here}: labels {shown(labels)} cannot be mapped; a region has one of "
                                    f"{', '.join([*LABEL.values(), CUE_LABEL])}")
            elif labels[0] == CUE_LABEL:
                cues[rid] = (value.get("start"), value.get("end"), value.get("text"))
            else:
                regions[rid] = ForeignRecord(here, _FROM_LABEL[labels[0]], value.get("start"), value.get("end"), value.get("text"))
        else:
            attributes.append((here, item, value))
    for here, item, value in attributes:
        rid, control, kind = _id(item.get("id")), item.get("from_name"), item.get("type")
        rec = regions.get(rid or "")
        if rec is None:
            doc.problems.append(f"{here}: {shown(kind)} result of {shown(control)} belongs to no Mention, Claim, Threat or Stance region")
        elif control == NOTE_CONTROL and kind == "textarea":
            lines = value.get("text") or []
            if not isinstance(lines, list) or not all(isinstance(t, str) for t in lines):
                doc.problems.append(f"{here}: the note is {shown(lines)}, not a list of lines of text")
            else:
                rec.attributes["note"] = "\n".join(lines)
        elif isinstance(control, str) and control in CONTROLS and kind == "choices":
            layer, key = CONTROLS[control]
            chosen = value.get("choices") or []
            if layer != rec.layer:
                doc.problems.append(f"{here}: {control} belongs to a {layer}, but the region is a {rec.layer}")
            elif not isinstance(chosen, list):
                doc.problems.append(f"{here}: {control} chose {shown(chosen)}, not a list of choices")
            elif key == "targets":
                rec.attributes[key] = list(chosen)
            elif len(chosen) != 1:
                doc.problems.append(f"{here}: {control} needs exactly one choice, not {shown(chosen)}")
            else:
                rec.attributes[key] = chosen[0]
        else:
            doc.problems.append(f"{here}: the control {shown(control)} ({shown(kind)}) is not in our config; "
                                "use the config written by `caucasus-corpus export --format labelstudio`")
    linked: set[str] = set()
    for rel in relations:
        ends = [_id(rel.get("from_id")), _id(rel.get("to_id"))]
        shown_ends = " -> ".join(_shown_id(rel.get(k)) for k in ("from_id", "to_id"))
        cue_end = [e for e in ends if e in cues]
        rec_end = [regions[e] for e in ends if e in regions]
        labels = rel.get("labels") or []
        if labels not in ([], [CUE_RELATION]) or len(cue_end) != 1 or len(rec_end) != 1 or rec_end[0].layer not in ("claim", "threat"):
            doc.problems.append(f"{where}: relation {shown_ends} {shown(labels)} cannot be mapped; a relation "
                                f"'{CUE_RELATION}' joins a Claim or Threat to a Cue region")
        elif rec_end[0].cue is not None:
            doc.problems.append(f"{rec_end[0].where}: has a second cue; a record has at most one")
        else:
            rec_end[0].cue = cues[cue_end[0]]  # type: ignore[index]
            linked.add(cue_end[0])  # type: ignore[arg-type]
    for rid in sorted(set(cues) - linked):
        doc.problems.append(f"{where}, region {_shown_id(rid)}: a Cue belongs to no claim or threat (no '{CUE_RELATION}' relation)")
    doc.records += regions.values()


def read_labelstudio(path: str | Path, *, limits: InputLimits | None = None) -> list[ForeignDocument]:
    """The documents of a Label Studio JSON export (a file, or a folder holding one ``.json`` file).

    The file is read through the safe reader's input mode (capped by ``limits``); JSON that does
    not parse, or nests deeper than any export, raises ``CorpusFormatError`` naming the file.
    """
    path = Path(path)
    root = path
    if path.is_dir():
        found = sorted(p for p in path.glob("*.json"))
        if len(found) != 1:
            raise FileNotFoundError(f"{path}: holds {len(found)} .json files; give the export file itself")
        path = found[0]
    else:
        root = path.parent
    if not os.path.lexists(path):
        raise FileNotFoundError(f"{path}: no such file; give Label Studio's JSON export")
    data = read_input(path, root=root, limits=limits)
    try:
        payload = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorpusFormatError(f"{path}: not UTF-8 at byte {exc.start}; export the project from Label Studio as JSON") from None
    except json.JSONDecodeError as exc:
        raise CorpusFormatError(f"{path}:{exc.lineno}: not a JSON file ({exc.msg}, column {exc.colno}); "
                                "export the project from Label Studio as JSON") from None
    except RecursionError:
        raise CorpusFormatError(f"{path}: not a Label Studio export: it nests too deeply to be read") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise CorpusFormatError(f"{path}: not a JSON file that can be read ({shown(str(exc), 120)})") from None
    if (why := json_depth_problem(payload)) is not None:
        raise CorpusFormatError(f"{path}: not a Label Studio export: {why}")
    task_list = payload if isinstance(payload, list) else [payload]
    dicts = [t for t in task_list if isinstance(t, dict)]
    if dicts and not any(t.get("annotations") for t in dicts) and any(t.get("predictions") for t in dicts):
        raise ValueError(f"{path}: its tasks hold predictions but no annotations: it is a tasks file (as "
                         "`caucasus-corpus export` writes), not Label Studio's export; import the tasks into "
                         "Label Studio, annotate, and export the project as JSON")
    return [_task_document(task, path.name, n) for n, task in enumerate(task_list, start=1)]
