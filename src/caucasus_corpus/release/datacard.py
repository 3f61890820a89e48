"""The generated parts of the data card ``corpus/README.md``: counts and the list of sources.

The card is written by hand except between marker comments, where
``scripts/update_datacard.py`` writes what these functions compute from the data, so that no
number in the card is typed by a person. A test fails when the card and the data disagree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..vocab import LAYERS
from .layout import DATACARD
from .rawdata import actors, annotation_records

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike as Corpus

__all__ = ["BLOCKS", "DATACARD", "check_datacard", "render_articles", "render_counts", "render_rights", "update_datacard"]
BLOCKS = ("counts", "articles", "rights")
_NOTE = "<!-- generated from the data by scripts/update_datacard.py; edits here are overwritten -->"


def _annotations(corpus: Corpus) -> tuple[dict[str, dict], dict[str, dict]]:
    from .manifest import read_manifest

    if corpus.root is None:
        return {}, {}
    manifest = read_manifest(corpus.root)
    files = manifest.read_all()
    return annotation_records(manifest, files), actors(manifest, files)


def _cell(value: object) -> str:
    import pandas as pd

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return "unknown"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return markdown_cell(str(value))


# Characters that would turn metadata into Markdown structure (a table cell, a link or image,
# raw HTML, code, emphasis); each is shown literally instead.
_MARKDOWN_ESCAPES = {c: "\\" + c for c in "\\|[]`*"} | {"<": "&lt;", ">": "&gt;"}


def markdown_cell(text: str) -> str:
    """``text`` as the literal content of one Markdown table cell: structure characters escaped,
    line breaks and other control characters turned into spaces.

    >>> markdown_cell("a|b [x](javascript:alert(1)) <img src=x>\\n# h")
    'a\\\\|b \\\\[x\\\\](javascript:alert(1)) &lt;img src=x&gt; # h'
    """
    out = []
    for c in text:
        if ord(c) < 32 or c in "\x7f\u2028\u2029":
            out.append(" ")
        else:
            out.append(_MARKDOWN_ESCAPES.get(c, c))
    return "".join(out)


def render_counts(corpus: Corpus) -> str:
    """The counts table of the card, computed from ``corpus`` and its annotation files.

    >>> import caucasus_corpus as cc
    >>> print(render_counts(cc.load()).splitlines()[2])
    | articles | 1 |
    """
    arts = corpus.articles
    tokens = corpus.tokens
    records, actor_map = _annotations(corpus)
    per_layer = {layer: 0 for layer in LAYERS}
    for rec in records.values():
        layer = str(rec.get("layer"))
        per_layer[layer] = per_layer.get(layer, 0) + 1
    annotators = {str(r.get("annotator")) for r in records.values() if r.get("annotator")}
    rows = [
        ("articles", len(arts)),
        ("outlets", arts["outlet"].nunique()),
        ("languages", arts["language"].nunique()),
        ("characters (Unicode code points)", int(arts["n_chars"].sum())),
        ("tokens", len(tokens)),
        ("word tokens", int((tokens["kind"] == "word").sum())),
        ("actors in the registry", len(actor_map)),
        ("annotation records", len(records)),
        *((f"annotation records, layer {layer}", n) for layer, n in per_layer.items()),
        ("annotators named in the records", len(annotators)),
    ]
    lines = ["| measure | count |", "| --- | ---: |", *(f"| {k} | {v} |" for k, v in rows)]
    return "\n".join(lines)


def render_articles(corpus: Corpus) -> str:
    """One row per article: where it came from, as ``corpus/articles.csv`` records it (the
    provenance columns read "unknown" for a table written before they existed)."""
    cols = ["article_id", "outlet", "published", "published_source", "genre", "language", "url", "source_file",
            "retrieved", "extractor"]
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for _i, row in corpus.articles.iterrows():
        lines.append("| " + " | ".join(_cell(row[c]) for c in cols) + " |")
    return "\n".join(lines)


def render_rights(corpus: Corpus) -> str:
    """The rights of the article texts, from the ``license``, ``access_rights`` and
    ``rights_holder`` columns of ``corpus/articles.csv`` (the column each text's ``licenses`` in
    ``datapackage.json`` is generated from, :mod:`.rights`): one row per combination, with the
    number of articles.

    >>> import caucasus_corpus as cc
    >>> print(render_rights(cc.load()).splitlines()[2])
    | NOASSERTION (no licence is asserted: copyright stays with the rights holder) | unknown | commonspace.eu | 1 |
    """
    import pandas as pd

    arts = corpus.articles
    cols = ["license", "access_rights", "rights_holder"]
    for col in cols:
        if col not in arts.columns:
            arts[col] = pd.NA
    counts: dict[tuple[str, str, str], int] = {}
    for _i, row in arts.iterrows():
        lic = row["license"] if isinstance(row["license"], str) else ""
        shown = ("NOASSERTION (no licence is asserted: copyright stays with the rights holder)" if lic == "NOASSERTION"
                 else "not recorded (no licence is asserted)" if not lic else markdown_cell(lic))
        key = (shown, _cell(row["access_rights"]), _cell(row["rights_holder"]))
        counts[key] = counts.get(key, 0) + 1
    lines = ["| licence of the text (`license`) | access rights (COAR) | rights holder | articles |",
             "| --- | --- | --- | ---: |"]
    lines += [f"| {a} | {b} | {c} | {n} |" for (a, b, c), n in sorted(counts.items())]
    return "\n".join(lines)


def _render(block: str, corpus: Corpus) -> str:
    return {"counts": render_counts, "articles": render_articles, "rights": render_rights}[block](corpus)


def _pattern(block: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {block}:start -->\n)(.*?)(<!-- {block}:end -->)", re.S)


def update_datacard(text: str, corpus: Corpus) -> str:
    """``text`` with every generated block replaced by what ``corpus`` gives now."""
    for block in BLOCKS:
        pat = _pattern(block)
        if not pat.search(text):
            raise ValueError(f"{DATACARD}: no '<!-- {block}:start -->' ... '<!-- {block}:end -->' block")
        body = f"{_NOTE}\n{_render(block, corpus)}\n"
        text = pat.sub(lambda m, body=body: m.group(1) + body + m.group(3), text, count=1)
    return text


def check_datacard(root: str | Path) -> list[str]:
    """Problems with the card of the release at ``root``: a block that differs from the data.

    A release without ``corpus/README.md`` (older releases) has nothing to check.
    """
    from .load import load

    card = Path(root) / DATACARD
    if not card.is_file():
        return []
    corpus = load(root)
    text = card.read_text(encoding="utf-8")
    try:
        fresh = update_datacard(text, corpus)
    except ValueError as exc:
        return [str(exc)]
    problems = []
    for block in BLOCKS:
        have, want = _pattern(block).search(text), _pattern(block).search(fresh)
        if have and want and have.group(2) != want.group(2):
            problems.append(
                f"{DATACARD}: the {block} block differs from the data; run `python scripts/update_datacard.py`"
            )
    return problems
