"""What changed between two releases: articles, annotations (per layer, per attribute), actors, files.

Both releases are read from their raw files (see :mod:`caucasus_corpus.release.rawdata`), so an old
release compares with a new one even when only one of them has annotations.

The SemVer rules (also in ``RELEASING.md``) decide which version bump a change needs:

* major: an article's text changed or an article was removed; an annotation was removed or
  changed (a changed annotation is an old one taken back); an actor was removed or merged.
* minor: articles, annotations or actors were added.
* patch: anything else: article metadata, actor attributes, guidelines, schemas, documentation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._frames import typed_frame
from ..vocab import BUMP_LEVELS, LAYERS
from ..model.records import name_key
from .layout import ADJUDICATION_DIR, ANNOTATORS_DIR
from .rawdata import RawRelease, raw_release, read_release

if TYPE_CHECKING:
    import pandas as pd

    from ..model.corpus import Corpus

COLUMNS = {
    "entity": "string",
    "change": "string",
    "id": "string",
    "article_id": "string",
    "layer": "string",
    "field": "string",
    "old": "string",
    "new": "string",
}
_ORDER = {"article": 0, "annotation": 1, "actor": 2, "file": 3}


def _show(value: object) -> str:
    """Values as one string: strings as they are, everything else as canonical JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _names(actor: dict) -> set[str]:
    """An actor's names as compared across releases: case- and normalisation-insensitively, so a
    spelling that only changed case still identifies the actor it was merged into."""
    aliases = actor.get("aliases")
    names = [actor.get("name"), *(aliases if isinstance(aliases, list) else [])]
    return {name_key(n) for n in names if isinstance(n, str) and n}


@dataclass(frozen=True)
class ReleaseDiff:
    """The changes from release ``old`` to release ``new``; build it with :func:`diff`."""

    old_root: Path
    new_root: Path
    old_version: str
    new_version: str
    old_fingerprint: str
    new_fingerprint: str
    rows: tuple[dict, ...] = field(repr=False)

    @property
    def frame(self) -> pd.DataFrame:
        """One row per change; the columns are documented in :func:`caucasus_corpus.diff`."""
        return typed_frame(self.rows, COLUMNS)

    @property
    def implied_bump(self) -> str:
        """The smallest version bump these changes need under the SemVer rules: none/patch/minor/major."""
        return implied_bump(self.rows)

    def count(self, entity: str, change: str) -> int:
        """How many distinct ids of ``entity`` had ``change``."""
        return len({r["id"] for r in self.rows if r["entity"] == entity and r["change"] == change})

    def report(self) -> str:
        """The changes as readable text, grouped by articles, annotations per layer, actors, files."""
        lines = [
            f"caucasus-corpus diff: data version {self.old_version} -> {self.new_version}",
            f"  old  {self.old_root}  fingerprint {self.old_fingerprint}",
            f"  new  {self.new_root}  fingerprint {self.new_fingerprint}",
        ]
        if not self.rows:
            lines.append("No differences: the two releases hold the same data.")
            return "\n".join(lines) + "\n"
        lines.append("")
        lines += self._section("article", "Articles")
        lines += self._annotation_section()
        lines += self._section("actor", "Actors")
        lines += self._section("file", "Other files")
        lines.append(f"Version bump these changes need (SemVer rules in RELEASING.md): {self.implied_bump}")
        return "\n".join(lines) + "\n"

    def _summary(self, rows: list[dict]) -> str:
        parts = []
        for change in ("added", "removed", "changed", "merged"):
            n = len({r["id"] for r in rows if r["change"] == change})
            if n or change in ("added", "removed", "changed"):
                parts.append(f"{n} {change}")
        return ", ".join(parts)

    def _detail(self, r: dict) -> str:
        mark = {"added": "+", "removed": "-", "changed": "~", "merged": ">"}[r["change"]]
        if r["change"] == "merged":
            return f"    {mark} {r['id']} merged into {r['new']}"
        if r["change"] == "changed":
            if r["entity"] == "article" and r["field"] == "text":
                return f"    {mark} {r['id']}: text changed (sha256 {r['old'][:12]}… -> {r['new'][:12]}…)"
            if r["entity"] == "file":
                return f"    {mark} {r['id']}: bytes changed"
            return f"    {mark} {r['id']}: {r['field']}: {r['old']!r} -> {r['new']!r}"
        where = f" ({r['article_id']})" if r["entity"] == "annotation" and r["article_id"] else ""
        return f"    {mark} {r['id']}{where}"

    def _section(self, entity: str, title: str) -> list[str]:
        rows = [r for r in self.rows if r["entity"] == entity]
        if not rows:
            return [f"{title}: no changes", ""]
        return [f"{title}: {self._summary(rows)}", *(self._detail(r) for r in rows), ""]

    def _annotation_section(self) -> list[str]:
        rows = [r for r in self.rows if r["entity"] == "annotation"]
        if not rows:
            return ["Annotations: no changes", ""]
        out = [f"Annotations: {self._summary(rows)}"]
        layers = [la for la in LAYERS if any(r["layer"] == la for r in rows)]
        layers += sorted({r["layer"] or "" for r in rows} - set(LAYERS))
        for layer in layers:
            sub = [r for r in rows if (r["layer"] or "") == layer]
            changed_fields: dict[str, int] = {}
            for r in sub:
                if r["change"] == "changed":
                    changed_fields[r["field"]] = changed_fields.get(r["field"], 0) + 1
            per_attr = ", ".join(f"{k}: {v}" for k, v in sorted(changed_fields.items()))
            out.append(f"  {layer or '(no layer)'}: {self._summary(sub)}" + (f" (changed attributes: {per_attr})" if per_attr else ""))
            out += [f"  {d}" for d in (self._detail(r) for r in sub)]
        return [*out, ""]


def implied_bump(rows: tuple[dict, ...] | list[dict]) -> str:
    """The SemVer bump a list of change rows needs (see the module docstring for the rules)."""
    need = 0
    for r in rows:
        e, c = r["entity"], r["change"]
        if (e == "article" and (c == "removed" or (c == "changed" and r["field"] == "text"))) or (
            e == "annotation" and c in ("removed", "changed")
        ) or (e == "actor" and c in ("removed", "merged")):
            level = 3
        elif c == "added" and e in ("article", "annotation", "actor"):
            level = 2
        elif e == "file" and r["id"].startswith((ANNOTATORS_DIR, ADJUDICATION_DIR)):
            # Independent annotators' records and adjudication logs, compared as files: added is
            # minor, removed major; changed is at least minor (major when a record was changed or
            # removed, which a file hash cannot tell; RELEASING.md).
            level = 3 if c == "removed" else 2
        else:
            level = 1
        need = max(need, level)
    return BUMP_LEVELS[need]


def _row(entity: str, change: str, id_: str, *, article_id: object = None, layer: object = None,
         field_: str | None = None, old: object = None, new: object = None) -> dict:
    return {
        "entity": entity,
        "change": change,
        "id": id_,
        "article_id": article_id if isinstance(article_id, str) else None,
        "layer": layer if isinstance(layer, str) else None,
        "field": field_,
        "old": None if old is None else _show(old),
        "new": None if new is None else _show(new),
    }


def _attribute_changes(entity: str, key: str, old: dict, new: dict, **where: object) -> list[dict]:
    out = []
    for name in sorted(set(old) | set(new)):
        if name == key or old.get(name) == new.get(name):
            continue
        out.append(_row(entity, "changed", new.get(key) or old.get(key), field_=name,
                        old=old.get(name), new=new.get(name), **where))
    return out


def _article_rows(a: RawRelease, b: RawRelease) -> list[dict]:
    rows = []
    for aid in sorted(set(a.articles) | set(b.articles)):
        if aid not in b.articles:
            rows.append(_row("article", "removed", aid, article_id=aid))
        elif aid not in a.articles:
            rows.append(_row("article", "added", aid, article_id=aid))
        else:
            if a.text_sha256.get(aid) != b.text_sha256.get(aid):
                rows.append(_row("article", "changed", aid, article_id=aid, field_="text",
                                 old=a.text_sha256.get(aid), new=b.text_sha256.get(aid)))
            rows += _attribute_changes("article", "article_id", a.articles[aid], b.articles[aid], article_id=aid)
    return rows


def _annotation_rows(a: RawRelease, b: RawRelease) -> list[dict]:
    rows = []
    for rid in sorted(set(a.records) | set(b.records)):
        old, new = a.records.get(rid), b.records.get(rid)
        if new is None:
            rows.append(_row("annotation", "removed", rid, article_id=old.get("article_id"), layer=old.get("layer")))
        elif old is None:
            rows.append(_row("annotation", "added", rid, article_id=new.get("article_id"), layer=new.get("layer")))
        else:
            rows += _attribute_changes("annotation", "id", old, new,
                                       article_id=new.get("article_id"), layer=new.get("layer"))
    return rows


def _actor_rows(a: RawRelease, b: RawRelease) -> list[dict]:
    rows = []
    for aid in sorted(set(a.actors) | set(b.actors)):
        old, new = a.actors.get(aid), b.actors.get(aid)
        if old is None:
            rows.append(_row("actor", "added", aid))
        elif new is None:
            # Merged: every name the old actor went by is now a name of one surviving actor.
            names = _names(old)
            into = sorted(k for k, v in b.actors.items() if names and names <= _names(v))
            if into:
                rows.append(_row("actor", "merged", aid, new=", ".join(into)))
            else:
                rows.append(_row("actor", "removed", aid))
        else:
            rows += _attribute_changes("actor", "actor_id", old, new)
    return rows


def _file_rows(a: RawRelease, b: RawRelease) -> list[dict]:
    """Files that no article, annotation or actor row already accounts for (schemas, guidelines...)."""
    covered_a = {row.get("path") for row in a.articles.values()}
    covered_b = {row.get("path") for row in b.articles.values()}
    skip = covered_a | covered_b | {"corpus/articles.csv", "annotations/actors.jsonl"}
    rows = []
    for path in sorted(set(a.files) | set(b.files)):
        if path in skip or path.startswith("annotations/records/"):
            continue
        if path not in b.files:
            rows.append(_row("file", "removed", path))
        elif path not in a.files:
            rows.append(_row("file", "added", path))
        elif a.files[path] != b.files[path]:
            rows.append(_row("file", "changed", path, field_="sha256", old=a.files[path], new=b.files[path]))
    return rows


def _comparable(a: RawRelease, b: RawRelease) -> tuple[RawRelease, RawRelease]:
    """Both releases with quotes as hashes when one of them holds records without quotes (a working
    copy hydrated from a folder published without its texts is compared with that folder)."""
    from dataclasses import replace

    from .withheld import comparable_record

    if not any("text_sha256" in r for side in (a, b) for r in side.records.values()):
        return a, b
    return tuple(replace(side, records={k: comparable_record(r) for k, r in side.records.items()}) for side in (a, b))  # type: ignore[return-value]


def diff(old: str | Path | Corpus | None = None, new: str | Path | Corpus | None = None) -> ReleaseDiff:
    """Compare two release folders (or loaded corpora): what was added, removed, changed, merged.

    ``old=None`` compares the working copy ``new`` with its last release (RELEASING.md, "Working
    copies"); ``new=None`` is the bundled release.

    Every file of both releases is checked against its manifest's sha256 first. ``.frame`` holds
    one row per change, ``.report()`` the same as readable text, ``.implied_bump`` the SemVer bump
    the changes need. Annotation records are matched by ``id``, actors by ``actor_id``, articles by
    ``article_id``. An actor whose id disappears is *merged* when all its names (name and aliases)
    are names of one actor of the new release, otherwise *removed*.

    Columns
    -------
    entity : string
        ``article``, ``annotation``, ``actor`` or ``file`` (a data file no other row covers).
    change : string
        ``added``, ``removed``, ``changed`` or ``merged`` (actors only).
    id : string
        article_id, annotation record id, actor_id, or the file's path.
    article_id : string
        The article an article or annotation row is about; <NA> for actors and files.
    layer : string
        The annotation layer (new one when it changed); <NA> for other entities.
    field : string
        The attribute that changed (one row per attribute; ``text`` for an article's text,
        ``sha256`` for a file); <NA> for added, removed and merged.
    old : string
        The old value (strings as they are, other values as JSON, a text as its sha256); <NA> when none.
    new : string
        The new value, likewise; for ``merged``, the actor_id(s) the actor was merged into.

    >>> import caucasus_corpus as cc
    >>> same = cc.diff(cc.load(), cc.load())
    >>> len(same.frame), same.implied_bump
    (0, 'none')
    """
    from ..model.corpus import Corpus

    def root_of(x: str | Path | Corpus) -> str | Path:
        if isinstance(x, Corpus):
            if x.root is None:
                raise ValueError("this Corpus was built in memory and has no release folder to compare")
            return x.root
        return x

    from .manifest import read_manifest, resolve_root
    from .working import released_manifest

    from .withheld import refuse_withheld

    new_root = resolve_root(root_of(new) if new is not None else None)
    refuse_withheld(new_root, read_manifest(new_root).descriptor, "diff")
    if old is not None:
        refuse_withheld(root_of(old), read_manifest(resolve_root(root_of(old))).descriptor, "diff")
    b = read_release(new_root)
    a = read_release(root_of(old)) if old is not None else raw_release(released_manifest(new_root, read_manifest(new_root)))
    a, b = _comparable(a, b)
    rows = _article_rows(a, b) + _annotation_rows(a, b) + _actor_rows(a, b) + _file_rows(a, b)
    rows.sort(key=lambda r: (_ORDER[r["entity"]], r["article_id"] or "", r["id"], r["field"] or ""))
    return ReleaseDiff(
        old_root=a.root,
        new_root=b.root,
        old_version=a.version,
        new_version=b.version,
        old_fingerprint=a.fingerprint,
        new_fingerprint=b.fingerprint,
        rows=tuple(rows),
    )
