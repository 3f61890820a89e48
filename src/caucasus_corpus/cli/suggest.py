"""``caucasus-corpus suggest ARTICLE_ID``: print what the suggestion rules propose for one article.

Read-only: it stores nothing (an annotation session's ``suggest()`` stores and keeps decisions).
Suggestions that a record of the release already covers are left out.
"""

from __future__ import annotations

import argparse
import sys


def _shorten(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_suggest(args: argparse.Namespace) -> int:
    from .._options import unknown_key
    from ..release.load import load
    from ..suggest import SUGGEST_LAYERS, suggest
    from .commands import say

    corpus = load(args.release)
    if args.article_id not in corpus.article_ids:
        say(f"caucasus-corpus suggest: error: {unknown_key('article', args.article_id, corpus.article_ids).args[0]}",
            file=sys.stderr)
        return 2
    records = []
    if corpus.has_annotations and not args.ignore_records:
        ann = corpus.annotations
        for r in ann[ann["article_id"] == args.article_id].to_dict("records"):
            records.append({**r["attributes"], "layer": r["layer"], "start": r["start"], "end": r["end"]})
    import warnings

    from ..suggest import RULESET

    arts = corpus.articles
    language = str(arts.loc[arts["article_id"] == args.article_id, "language"].iloc[0] or "auto")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same message is printed below, once
        found = suggest(corpus.text(args.article_id), corpus.actors if corpus.has_annotations else [], records=records,
                        layers=tuple(args.layer or SUGGEST_LAYERS), language=language)
    if found.attrs.get("warning"):
        say(f"caucasus-corpus suggest: warning: {found.attrs['warning']}", file=sys.stderr)
    found = found[found["confidence"] >= args.min_confidence]
    say(f"{len(found)} suggestion(s) for {args.article_id} (annotator {RULESET}, language {language}; "
        "none is a record until accepted)")
    for r in found.itertuples():
        if r.layer == "mention":
            who, how = f"actor={r.actor}", r.form
        elif r.layer == "actor":
            who, how = f"new actor={r.actor}", f"{r.kind}, aliases {list(r.aliases)}"
        else:
            speaker = r.speaker if isinstance(r.speaker, str) else "?"
            who = f"speaker={speaker} ({r.speaker_text!r})" if isinstance(r.speaker_text, str) else f"speaker={speaker}"
            how = r.attribution if r.layer == "claim" else f"cameo {r.cameo}, {r.explicitness}"
        cue = f" cue={r.cue!r}" if isinstance(r.cue, str) else ""
        say(f"{r.suggestion_id}\t{r.layer}\t{r.start}:{r.end}\t{r.confidence:.2f}\t{who}\t{how}{cue}\t"
            f"{_shorten(r.text)!r}\t{r.rule}")
    return 0


def add_parser(sub: argparse._SubParsersAction, add_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    from ..suggest import SUGGEST_LAYERS

    p = sub.add_parser(
        "suggest",
        help="print machine suggestions (mentions, claims, threats, new actors) for one article; stores nothing",
        description="Runs the offline suggestion rules (caucasus_corpus.suggest) of the article's language on its "
                    "text with the release's actor registry. One line per suggestion: id, layer, span, confidence, actor or "
                    "speaker, attribution or threat attributes, cue, text, rules. Accept or reject them in an "
                    "annotation session (session.suggest(), accept(), reject()).",
    )
    p.add_argument("article_id", metavar="ARTICLE_ID", help="the article to read")
    p.add_argument("--layer", action="append", choices=SUGGEST_LAYERS, help="only this layer (repeatable; default: all)")
    p.add_argument("--min-confidence", type=float, default=0.0, metavar="X", help="only suggestions with confidence >= X")
    p.add_argument("--ignore-records", action="store_true",
                   help="also print what the article's records already cover (to compare the rules with them)")
    add_path(p, positional=False)
    p.set_defaults(func=cmd_suggest)
