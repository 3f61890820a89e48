"""What each ``caucasus-corpus`` subcommand does; ``args.release`` is the release folder the
parser resolved by the one path rule (see :mod:`caucasus_corpus.cli.main`)."""

from __future__ import annotations

import argparse
import sys


def cmd_info(args: argparse.Namespace) -> int:
    from ..release.load import load

    corpus = load(args.release)
    tokens = corpus.tokens
    print(f"caucasus-corpus data version {corpus.version}")
    print(f"fingerprint  {corpus.fingerprint}")
    print(f"release      {corpus.root}")
    print(f"articles     {len(corpus.articles)}")
    print(f"tokens       {len(tokens)} ({int((tokens['kind'] == 'word').sum())} words)")
    return 0


def cmd_kwic(args: argparse.Namespace) -> int:
    from ..release.load import load

    corpus = load(args.release)
    try:
        hits = corpus.kwic(args.query, window=args.window, match=args.match, case=args.case, sort=args.sort,
                           speaker=args.speaker, layer=args.layer)
    except (ValueError, KeyError) as exc:  # bad option, pattern or actor: say which, like a usage error
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"caucasus-corpus kwic: error: {message}", file=sys.stderr)
        return 2
    print(hits.to_text())
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..release.check import validate

    problems = validate(args.release)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s); the release is not valid", file=sys.stderr)
        return 1
    print("valid")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from ..errors import CorpusValidationError
    from ..release.publish import release

    try:
        result = release(args.release, bump=args.bump, changelog=args.changelog, against=args.against,
                         warn=lambda m: print(m, file=sys.stderr))
    except CorpusValidationError as exc:
        for p in exc.problems:
            print(p)
        print(f"{len(exc.problems)} problem(s); nothing was released or written", file=sys.stderr)
        return 1
    print(f"released data version {result.version} (was {result.old_version})")
    print(f"fingerprint  {result.fingerprint}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ..release.diff import diff

    print(diff(args.old, args.release).report(), end="")
    return 0
