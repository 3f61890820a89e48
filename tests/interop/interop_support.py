"""Builders shared by the interop tests: releases to import into, records compared without ids,
release bytes to prove a refusal wrote nothing, and hypothesis texts with the known offset traps."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from support import FICTION_ACTORS, REPO, SEED_ID, copy_release, write_release

# Pieces that break offset arithmetic: astral emoji (2 UTF-16 units), a combining mark, NBSP,
# CJK, right-to-left scripts, line breaks; plus plain words.
PIECES = ["😀", "👍🏽", "e\u0301", "\u00a0", "中文", "שלום", "مرحبا", "\n", "\n\n", " ", "Varnia", "Ostrel", "dam", ",", "."]


def comparable(records: Any) -> list[str]:
    """Records without their ids, attributes that are None dropped (a session keeps a claim's cue: null only)."""
    rows = records.to_dict("records") if hasattr(records, "to_dict") else records
    out = []
    for r in rows:
        r = dict(r)
        r.pop("id", None)
        if "attributes" in r:  # a frame row (its actor column repeats an attribute)
            attrs = r.pop("attributes")
        else:  # a record as stored
            attrs = {k: v for k, v in r.items() if k not in ("article_id", "layer", "start", "end", "text", "annotator")}
        r = {k: r[k] for k in ("article_id", "layer", "start", "end", "text", "annotator")}
        r["attributes"] = {k: v for k, v in attrs.items() if v is not None and not (k == "targets" and v == [])}
        out.append(json.dumps(r, sort_keys=True, default=str))
    return sorted(out)


def release_bytes(root: Path) -> dict[str, str]:
    """sha256 of every file under a release folder (hidden lock files excluded)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".caucasus-corpus.lock")}


def empty_release(root: Path, texts: dict[str, str]) -> Path:
    """A release holding ``texts`` and the fictional registry, with no records."""
    return write_release(root, texts=texts, records={aid: [] for aid in texts})


@st.composite
def text_and_records(draw: Any) -> tuple[str, list[dict[str, Any]]]:
    """A text of tricky pieces and records of every layer, spans at the very start and end included."""
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=3, max_size=25)))
    if not text.strip():
        text = "Varnia" + text
    # Other spans start and end on a non-space code point (a span of blanks says nothing).
    marks = [i for i, c in enumerate(text) if not c.isspace()]
    actors = [a["actor_id"] for a in FICTION_ACTORS]

    def span() -> tuple[int, int]:
        a, b = sorted(draw(st.lists(st.sampled_from(marks), min_size=2, max_size=2)))
        return a, b + 1

    def cue(of: tuple[int, int]) -> dict[str, Any] | None:
        if not draw(st.booleans()):
            return None
        s, e = span()
        if s <= of[0] and of[1] <= e:
            return None  # a span that is only its cue is refused by the checker
        return {"start": s, "end": e, "text": text[s:e]}

    note = st.one_of(st.none(), st.sampled_from(["a note", "two\nlines", "tab\there", "back\\slash", "עברית 😀"]))
    records = []
    # The very first and last code points are always covered (line breaks or spaces included).
    spans = [(0, marks[0] + 1), (marks[-1], len(text)), (0, len(text))]
    spans += [span() for _ in range(draw(st.integers(1, 4)))]
    spans = list(dict.fromkeys(spans))  # one record per span: no two records the same
    for n, (s, e) in enumerate(spans):
        layer = draw(st.sampled_from(["mention", "claim", "threat", "stance"]))
        rec: dict[str, Any] = {"id": f"h-x{n}", "article_id": "h", "layer": layer, "start": s, "end": e,
                               "text": text[s:e], "annotator": "test"}
        if layer == "mention":
            rec |= {"actor": draw(st.sampled_from(actors)), "form": "nominal"}
        elif layer == "claim":
            rec |= {"speaker": draw(st.sampled_from(actors)), "cue": cue((s, e)), "attribution": "direct",
                    "claim_type": draw(st.sampled_from(["assertion", "question"])),
                    "targets": draw(st.lists(st.sampled_from(actors), max_size=3, unique=True))}
        elif layer == "threat":
            rec |= {"speaker": draw(st.sampled_from(actors)), "target": draw(st.sampled_from(actors)),
                    "explicitness": "implicit", "cameo": "130", "cue": cue((s, e))}
        else:
            rec |= {"holder": draw(st.sampled_from(actors)), "target": draw(st.sampled_from(["dam", *actors])),
                    "polarity": draw(st.sampled_from(["favor", "against", "none"]))}
        if (value := draw(note)) is not None:
            rec["note"] = value
        records.append(rec)
    return text, records


def bundled_without_records(root: Path) -> Path:
    """A copy of the bundled release whose article has no records left (deleted in one batch)."""
    import caucasus_corpus as cc

    release = copy_release(REPO, root)
    session = cc.annotate(release, SEED_ID, annotator="x")
    with session.batch():
        for rid in [r["id"] for r in session.record_list()]:
            session.delete(rid)
    return release


def tricky_round_trip(tmp: Path, case: tuple[str, list[dict[str, Any]]], fmt: str, through: Any) -> None:
    """Export a release of the hypothesis ``case`` as ``fmt``, pass the folder ``through`` the
    third-party library (which returns what to import), import it into an empty release and compare."""
    import caucasus_corpus as cc
    from caucasus_corpus.interop import export, import_annotations

    text, records = case
    source = write_release(tmp / "source", texts={"h": text}, records={"h": records})
    export(cc.load(source), tmp / "out", format=fmt)
    target = empty_release(tmp / "target", {"h": text})
    import_annotations(target, through(tmp / "out"), format=fmt, annotator="test")
    assert comparable(cc.load(target).annotations) == comparable(records)
