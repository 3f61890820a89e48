"""The ``agree`` subcommand: agreement between a release's independent annotators, as a report or CSV."""

from __future__ import annotations

import argparse
import sys


def cmd_agree(args: argparse.Namespace) -> int:
    from ..reliability.measures import agreement, agreement_report
    from .commands import say

    options = {"layer": args.layer, "annotators": args.annotators, "articles": args.articles}
    try:
        if args.csv:
            agreement(args.release, **options).to_csv(sys.stdout, index=False, lineterminator="\n")
        else:
            for line in agreement_report(args.release, **options).rstrip("\n").split("\n"):
                say(line)
    except ValueError as exc:  # a bad option: say which, like a usage error
        say(f"caucasus-corpus agree: error: {exc}", file=sys.stderr)
        return 2
    return 0


def add_parser(sub: argparse._SubParsersAction, add_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    from ..vocab import LAYERS

    p = sub.add_parser(
        "agree",
        help="agreement between independent annotators: span F1, token-wise alpha, attribute kappa and alpha",
        description="Prints the agreement of the annotators whose records are under annotations/annotators/ "
                    "(made with cc.annotate(..., independent=True)), per layer and attribute, with the number of "
                    "units; says so when there are fewer than two. --csv prints every figure, per article too.",
    )
    p.add_argument("--layer", choices=LAYERS, help="only this layer")
    p.add_argument("--annotators", nargs="+", metavar="NAME", help="only these annotators (default: every one)")
    p.add_argument("--articles", nargs="+", metavar="ARTICLE_ID", help="only these articles (default: every shared one)")
    p.add_argument("--csv", action="store_true", help="print the figures as CSV (the columns of cc.agreement) instead")
    add_path(p, positional=False)
    p.set_defaults(func=cmd_agree)
