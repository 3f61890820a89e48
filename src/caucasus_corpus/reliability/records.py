"""Reading the independent annotators' records of a release, checked by the one checker.

An annotator has annotated an article when the file ``annotations/annotators/NAME/ARTICLE_ID.jsonl``
is listed in the manifest (an empty file says "I read it and found nothing"); the records come
from :func:`caucasus_corpus.release.check.check_release`, so what is compared here is exactly what
``load()`` and ``validate`` accept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._options import check_choice
from ..release.check import check_release
from ..release.commit import read_lock
from ..release.layout import annotator_records_of
from ..release.manifest import read_manifest, resolve_root
from ..vocab import LAYERS

Record = dict[str, Any]


@dataclass(frozen=True)
class Annotations:
    """The independent annotation of a release: who annotated which article, and how.

    ``records[annotator][article_id]`` is that annotator's records of the article (sorted by
    start, end, layer, id); ``gold`` the gold records by article; ``log`` the adjudication log by
    article; ``gold_annotators`` the names the gold records carry.
    """

    root: Path
    texts: dict[str, str]
    records: dict[str, dict[str, list[Record]]]
    gold: dict[str, list[Record]]
    log: dict[str, list[dict[str, Any]]]
    gold_annotators: tuple[str, ...]

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(sorted(self.records))

    def articles_of(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """The articles every one of ``names`` has annotated, sorted."""
        sets = [set(self.records.get(n, {})) for n in names]
        return sorted(set.intersection(*sets)) if sets else []


def read_annotations(release: str | Path) -> Annotations:
    """The independent annotation of the release folder ``release``; raises what ``load()`` raises."""
    root = resolve_root(release)
    with read_lock(root):
        checked = check_release(read_manifest(root))
    checked.raise_first()
    records: dict[str, dict[str, list[Record]]] = {}
    for res in checked.manifest.resources:
        where = annotator_records_of(res.path)
        if where is not None:
            records.setdefault(where[0], {}).setdefault(where[1], [])
    for rec in checked.independent:
        records[rec["annotator"]][rec["article_id"]].append(rec)
    gold: dict[str, list[Record]] = {}
    for rec in checked.annotations.records:
        gold.setdefault(rec["article_id"], []).append(rec)
    for by_article in (*records.values(), gold):
        for recs in by_article.values():
            recs.sort(key=lambda r: (r["start"], r["end"], r["layer"], r["id"]))
    names = tuple(sorted({r["annotator"] for r in checked.annotations.records}))
    return Annotations(root, dict(checked.texts), records, gold, dict(checked.adjudication), names)


def check_selection(data: Annotations, *, layer: str | None, annotators: list[str] | tuple[str, ...] | None,
                    articles: list[str] | tuple[str, ...] | None) -> tuple[tuple[str, ...], tuple[str, ...], list[str] | None]:
    """The layers, annotators and articles asked for, each checked against what the release has."""
    if layer is not None:
        check_choice("layer", layer, LAYERS)
    layers = LAYERS if layer is None else (layer,)
    if isinstance(annotators, str):
        raise ValueError(f"annotators= takes a list of names, e.g. annotators=[{annotators!r}, ...]")
    names = data.annotators if annotators is None else tuple(annotators)
    for name in names:
        check_choice("annotator", name, data.annotators or ("(none: the release has no independent annotators)",))
    if isinstance(articles, str):
        raise ValueError(f"articles= takes a list of article ids, e.g. articles=[{articles!r}]")
    if articles is not None:
        for aid in articles:
            check_choice("article", aid, tuple(sorted(data.texts)))
    return layers, names, (None if articles is None else list(articles))


def record_sha256(record: Record) -> str:
    """The sha256 of a record's content (JSON with sorted keys, UTF-8): changes when the record does."""
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
