"""Hand annotations in memory: the parsed records of a release and the DataFrames built from them.

Reading and checking the files is the release's job (:mod:`caucasus_corpus.release.check`); the
file layout is in :mod:`caucasus_corpus.release.layout`. Records here have passed every check.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from .._frames import typed_frame
from ..vocab import PRINCIPAL

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class AnnotationData:
    """Parsed annotation files of one release (every record already checked)."""

    actors: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, str]] = field(default_factory=list)
    cameo: dict[str, str] = field(default_factory=dict)


def _str(value: Any) -> Any:
    return None if value in (None, "") else value  # becomes <NA> in the frame's string columns


def _cue(rec: dict[str, Any]) -> tuple[Any, Any, Any]:
    cue = rec.get("cue")
    if not cue:
        return None, None, None
    return cue["text"], cue["start"], cue["end"]


ACTOR_COLUMNS = {
    "actor_id": "string",
    "name": "string",
    "kind": "string",
    "aliases": "object",
    "role": "string",
    "affiliation": "string",
    "country": "string",
    "notes": "string",
}

ANNOTATION_COLUMNS = {
    "id": "string",
    "article_id": "string",
    "layer": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "actor": "string",
    "annotator": "string",
    "attributes": "object",
}

MENTION_COLUMNS = {
    "id": "string",
    "article_id": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "actor": "string",
    "form": "string",
    "annotator": "string",
    "note": "string",
}

CLAIM_COLUMNS = {
    "id": "string",
    "article_id": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "speaker": "string",
    "cue": "string",
    "cue_start": "Int64",
    "cue_end": "Int64",
    "attribution": "string",
    "claim_type": "string",
    "targets": "object",
    "via": "string",
    "annotator": "string",
    "note": "string",
}

THREAT_RECORD_COLUMNS = {
    "id": "string",
    "article_id": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "speaker": "string",
    "target": "string",
    "explicitness": "string",
    "cameo": "string",
    "cameo_name": "string",
    "plover_mode": "string",
    "cue": "string",
    "cue_start": "Int64",
    "cue_end": "Int64",
    "annotator": "string",
    "note": "string",
}

STANCE_RECORD_COLUMNS = {
    "id": "string",
    "article_id": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "holder": "string",
    "target": "string",
    "target_type": "string",
    "polarity": "string",
    "organization": "string",
    "annotator": "string",
    "note": "string",
}

TOPIC_COLUMNS = {"topic_id": "string", "label": "string", "description": "string"}

_COMMON = ("id", "article_id", "layer", "start", "end", "text", "annotator")

_F = TypeVar("_F", bound=Callable[..., Any])


def _without_gc(build: _F) -> _F:
    """Python's cyclic garbage collector would walk every parsed record again and again while a
    frame of 200,000 records is built (over half the time); the rows hold no cycles."""
    @wraps(build)
    def run(*args: Any, **kwargs: Any) -> Any:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return run  # type: ignore[return-value]


def actors_frame(data: AnnotationData) -> pd.DataFrame:
    rows = [{**{k: _str(a.get(k)) for k in ACTOR_COLUMNS}, "aliases": list(a["aliases"])} for a in data.actors]
    return typed_frame(rows, ACTOR_COLUMNS)


def topics_frame(data: AnnotationData) -> pd.DataFrame:
    return typed_frame([{k: _str(t.get(k)) for k in TOPIC_COLUMNS} for t in data.topics], TOPIC_COLUMNS)


@_without_gc
def annotations_frame(data: AnnotationData) -> pd.DataFrame:
    """Every record, one row each; built column by column, each column straight in its dtype
    (200,000 rows in a third of the time a frame of 200,000 row dicts takes)."""
    import pandas as pd

    records = data.records
    if not records:
        return typed_frame([], ANNOTATION_COLUMNS)
    columns = {k: [r[k] for r in records] for k in _COMMON}
    columns["actor"] = [r[PRINCIPAL[r["layer"]]] for r in records]
    columns["attributes"] = [_attributes(r) for r in records]
    frame = pd.DataFrame({k: pd.Series(columns[k], dtype=d) for k, d in ANNOTATION_COLUMNS.items()})
    return frame.sort_values(["article_id", "start", "end", "layer"], ignore_index=True)


def _attributes(record: dict[str, Any]) -> dict[str, Any]:
    """The record without the fields every record has, in the record's order."""
    out = dict(record)
    for key in _COMMON:
        out.pop(key, None)
    return out


@_without_gc
def layer_frame(data: AnnotationData, layer: str) -> pd.DataFrame:
    """The records of one layer as a flat frame with that layer's columns."""
    topic_ids = {t["topic_id"] for t in data.topics}
    rows = []
    for r in data.records:
        if r["layer"] != layer:
            continue
        row: dict[str, Any] = {k: _str(v) for k, v in r.items() if k != "layer"}
        if layer in ("claim", "threat"):
            row["cue"], row["cue_start"], row["cue_end"] = _cue(r)
        if layer == "claim":
            row["targets"] = list(r["targets"])
        if layer == "threat":
            row["cameo_name"] = data.cameo.get(r["cameo"])
        if layer == "stance":
            row["target_type"] = "topic" if r["target"] in topic_ids else "actor"
        rows.append(row)
    columns = {"mention": MENTION_COLUMNS, "claim": CLAIM_COLUMNS, "threat": THREAT_RECORD_COLUMNS, "stance": STANCE_RECORD_COLUMNS}[layer]
    return typed_frame(rows, columns).sort_values(["article_id", "start", "end"], ignore_index=True)


def name_key(name: str) -> str:
    """How names of actors are compared: case-folded and NFC-normalised, so that "Müller" typed
    with a combining diaeresis (NFD) finds the alias stored precomposed (NFC), and back.

    >>> name_key("Mu\u0308ller") == name_key("M\u00fcller") == name_key("MÜLLER")
    True
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def alias_index(data: AnnotationData) -> dict[str, str]:
    """Every alias and canonical name (compared by :func:`name_key`) to its actor_id."""
    out: dict[str, str] = {}
    for a in data.actors:
        for form in [a["name"], *a["aliases"]]:
            out[name_key(form)] = a["actor_id"]
    return out
