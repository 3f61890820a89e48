"""The ``caucasus-corpus`` command: info and validate (more subcommands register themselves below)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import CorpusError


def _cmd_info(args: argparse.Namespace) -> int:
    from .loading import load

    corpus = load(args.path)
    tokens = corpus.tokens
    print(f"caucasus-corpus data version {corpus.version}")
    print(f"fingerprint  {corpus.fingerprint}")
    print(f"release      {corpus.root}")
    print(f"articles     {len(corpus.articles)}")
    print(f"tokens       {len(tokens)} ({int((tokens['kind'] == 'word').sum())} words)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validation import validate

    problems = validate(args.path)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s); the release is not valid", file=sys.stderr)
        return 1
    print("valid")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caucasus-corpus",
        description="Inspect and check caucasus-corpus releases.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("info", help="print version, fingerprint and counts")
    p.add_argument("path", nargs="?", default=None, help="release folder (default: the bundled release)")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("validate", help="check a release; prints file:line: problem for each one")
    p.add_argument("path", nargs="?", default=None, help="release folder (default: the bundled release)")
    p.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CorpusError as exc:
        print(f"caucasus-corpus: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
