"""The ``caucasus-corpus`` command: info and validate (more subcommands register themselves below)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .annotations import LAYERS
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


def _cmd_kwic(args: argparse.Namespace) -> int:
    from .loading import load

    corpus = load(args.path)
    try:
        hits = corpus.kwic(args.query, window=args.window, match=args.match, case=args.case, sort=args.sort,
                           speaker=args.speaker, layer=args.layer)
    except (ValueError, KeyError) as exc:  # bad option, pattern or actor: say which, like a usage error
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"caucasus-corpus kwic: error: {message}", file=sys.stderr)
        return 2
    print(hits.to_text())
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


def _cmd_release(args: argparse.Namespace) -> int:
    from .errors import CorpusValidationError
    from .release import release

    try:
        result = release(args.path, bump=args.bump, changelog=args.changelog, against=args.against,
                         warn=lambda m: print(m, file=sys.stderr))
    except CorpusValidationError as exc:
        for p in exc.problems:
            print(p)
        print(f"{len(exc.problems)} problem(s); nothing was released or written", file=sys.stderr)
        return 1
    print(f"released data version {result.version} (was {result.old_version})")
    print(f"fingerprint  {result.fingerprint}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff

    print(diff(args.old, args.new).report(), end="")
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

    p = sub.add_parser("kwic", help="keyword in context: every hit of QUERY with its left and right context")
    p.add_argument("query", metavar="QUERY", help="word or phrase (quote a phrase: \"Azerbaijan parliament\")")
    p.add_argument("--window", type=int, default=5, metavar="N", help="tokens of context on each side (default 5)")
    p.add_argument("--match", default="exact", choices=["exact", "glob", "regex"], help="how QUERY matches tokens")
    p.add_argument("--case", action="store_true", help="match case (default: ignore case)")
    p.add_argument("--sort", default=None, metavar="KEYS", help="sort by context words, e.g. R1 or L1,R1 (default: text order)")
    p.add_argument("--speaker", default=None, metavar="ID", help="only hits inside claims/threats of this actor (id, name or alias)")
    p.add_argument("--layer", default=None, choices=LAYERS, help="only hits inside spans of this layer")
    p.add_argument("--path", default=None, metavar="RELEASE", help="release folder (default: the bundled release)")
    p.set_defaults(func=_cmd_kwic)

    p = sub.add_parser("validate", help="check a release; prints file:line: problem for each one")
    p.add_argument("path", nargs="?", default=None, help="release folder (default: the bundled release)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "release",
        help="re-hash, validate, bump the data version, date the changelog entry; prints the fingerprint",
        description="Refuses (writing nothing) when the release does not validate. SemVer rules: RELEASING.md.",
    )
    p.add_argument("--bump", required=True, choices=["major", "minor", "patch"], help="which part of the data version to raise")
    p.add_argument("path", nargs="?", default=".", help="release folder to release (default: the current folder)")
    p.add_argument("--changelog", default=None, help="changelog to update (default: PATH/CHANGELOG.md)")
    p.add_argument("--against", default=None, metavar="OLD",
                   help="previous release folder; its diff decides which bump the changes need")
    p.set_defaults(func=_cmd_release)

    p = sub.add_parser("diff", help="what changed between two releases: articles, annotations, actors, files")
    p.add_argument("old", help="the older release folder")
    p.add_argument("new", help="the newer release folder")
    p.set_defaults(func=_cmd_diff)
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
