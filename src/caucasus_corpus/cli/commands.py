"""What each ``caucasus-corpus`` subcommand does; ``args.release`` is the release folder the
parser resolved by the one path rule (see :mod:`caucasus_corpus.cli.main`)."""

from __future__ import annotations

import argparse
import sys
import unicodedata


def printable(text: object) -> str:
    """``text`` safe for a terminal and for parsers of ``file:line:`` output: control characters
    (ESC, a newline inside one problem, ...) and lone surrogates are shown as escapes, not sent raw.

    >>> printable("id\\x1b[2Jx\\nforged.jsonl:1: fine")
    'id\\\\x1b[2Jx\\\\nforged.jsonl:1: fine'
    """
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp")
        and c != "\t" else c
        for c in str(text)
    )


def say(text: object = "", *, file=None) -> None:  # type: ignore[no-untyped-def]
    """Print one line of output, escaped (see :func:`printable`)."""
    print(printable(text), file=file)


def cmd_info(args: argparse.Namespace) -> int:
    from ..release.load import load

    corpus = load(args.release)
    tokens = corpus.tokens
    say(f"caucasus-corpus data version {corpus.version}")
    say(f"fingerprint  {corpus.fingerprint}")
    say(f"release      {corpus.root}")
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
        say(f"caucasus-corpus kwic: error: {message}", file=sys.stderr)
        return 2
    for line in hits.to_text().split("\n"):
        say(line)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    import warnings

    from ..release.check import validate
    from ..text.names import NameCollisionWarning

    with warnings.catch_warnings(record=True) as caught:  # name collisions: said as warnings, not problems
        warnings.simplefilter("always", NameCollisionWarning)
        problems = validate(args.release)
    for w in caught:
        if issubclass(w.category, NameCollisionWarning):
            say(f"warning: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    for p in problems:
        say(p)
    if problems:
        print(f"{len(problems)} problem(s); the release is not valid", file=sys.stderr)
        return 1
    from ..release.manifest import read_manifest, resolve_root
    from ..release.withheld import hydrate_hint, is_withheld

    root = resolve_root(args.release)
    if is_withheld(read_manifest(root).descriptor):
        say(f"valid, with the article texts withheld (published without them); to read the texts, {hydrate_hint(root)}")
        return 0
    print("valid")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from ..errors import CorpusValidationError
    from ..release.publish import release

    try:
        result = release(args.release, bump=args.bump, changelog=args.changelog, against=args.against,
                         warn=lambda m: say(m, file=sys.stderr))
    except CorpusValidationError as exc:
        for p in exc.problems:
            say(p)
        print(f"{len(exc.problems)} problem(s); nothing was released or written", file=sys.stderr)
        return 1
    print(f"released data version {result.version} (was {result.old_version})")
    print(f"fingerprint  {result.fingerprint}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ..release.diff import diff

    for line in diff(args.old, args.release).report().splitlines():
        say(line)
    return 0
