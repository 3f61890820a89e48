"""The ``caucasus-corpus`` command: the parser, and the one rule for which release a command uses.

The path rule: every command takes ``--path RELEASE``. Read-only commands (info, kwic,
validate, diff, agree) default to the release bundled with the package; writing commands (release)
default to the current folder and refuse a folder without ``datapackage.json``. The positional
forms of earlier versions (``validate PATH``, ``release PATH``) stay as aliases of ``--path``. An
empty ``--path ""`` is refused. :func:`main` turns every ``CorpusError``, ``OSError`` and
``ValueError`` a subcommand raises into one line ``caucasus-corpus: error: ...`` and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import CorpusError
from ..vocab import BUMP_PARTS, LAYERS, MATCH_MODES
from . import agreement, authoring, commands, interop
from . import suggest as suggest_cli
from . import intake as intake_cli
from . import sharing as sharing_cli

# Which commands write into their release folder (and so default to the current folder).
WRITING = ("release", "add")


def _add_path(p: argparse.ArgumentParser, *, positional: bool) -> None:
    where = "the current folder" if p.prog.split()[-1] in WRITING else "the bundled release"
    if positional:
        p.add_argument("path", nargs="?", default=None, metavar="RELEASE", help=f"same as --path (default: {where})")
    p.add_argument("--path", dest="path_option", default=None, metavar="RELEASE", help=f"release folder (default: {where})")


def release_folder(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str | None:
    """The release folder a command works on, by the path rule in the module docstring."""
    if getattr(args, "to", None) == "":  # collect and convert stage into --to: never the current folder either
        parser.error("the staging folder is empty (--to \"\"); give a folder")
    given = {v for v in (getattr(args, "path", None), getattr(args, "path_option", None)) if v is not None}
    if "" in given:  # e.g. an unset $RELEASE: never taken for the current folder
        parser.error("the release folder is empty (--path \"\"); give a folder, or leave --path out")
    if len(given) > 1:
        parser.error(f"the release folder is given twice, differently: {' and '.join(sorted(given))}; give it once with --path")
    if given:
        return given.pop()
    return "." if args.command in WRITING else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caucasus-corpus",
        description="Inspect, check and release caucasus-corpus releases.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("info", help="print version, fingerprint and counts")
    _add_path(p, positional=True)
    p.set_defaults(func=commands.cmd_info)

    p = sub.add_parser("kwic", help="keyword in context: every hit of QUERY with its left and right context")
    p.add_argument("query", metavar="QUERY", help="word or phrase (quote a phrase: \"Azerbaijan parliament\")")
    p.add_argument("--window", type=int, default=5, metavar="N", help="tokens of context on each side (default 5)")
    p.add_argument("--match", default="exact", choices=MATCH_MODES, help="how QUERY matches tokens")
    p.add_argument("--case", action="store_true", help="match case (default: ignore case)")
    p.add_argument("--sort", default=None, metavar="KEYS", help="sort by context words, e.g. R1 or L1,R1 (default: text order)")
    p.add_argument("--speaker", default=None, metavar="ID", help="only hits inside claims/threats of this actor (id, name or alias)")
    p.add_argument("--layer", default=None, choices=LAYERS, help="only hits inside spans of this layer")
    _add_path(p, positional=False)
    p.set_defaults(func=commands.cmd_kwic)

    p = sub.add_parser("validate", help="check a release; prints file:line: problem for each one")
    _add_path(p, positional=True)
    p.set_defaults(func=commands.cmd_validate)

    p = sub.add_parser(
        "release",
        help="re-hash, validate, bump the data version, date the changelog entry; prints the fingerprint",
        description="Refuses (writing nothing) when the release does not validate. SemVer rules: RELEASING.md.",
    )
    p.add_argument("--bump", required=True, choices=BUMP_PARTS, help="which part of the data version to raise")
    _add_path(p, positional=True)
    p.add_argument("--changelog", default=None, help="changelog to update (default: RELEASE/CHANGELOG.md)")
    p.add_argument("--against", default=None, metavar="OLD",
                   help="previous release folder; its diff decides which bump the changes need")
    p.set_defaults(func=commands.cmd_release)

    p = sub.add_parser("diff", help="what changed between two releases: articles, annotations, actors, files")
    p.add_argument("old", metavar="OLD", nargs="?", default=None,
                   help="the older release folder (default: the working copy's last release)")
    _add_path(p, positional=True)
    p.set_defaults(func=commands.cmd_diff)

    authoring.add_parser(sub, _add_path)
    interop.add_parser(sub, _add_path)
    agreement.add_parser(sub, _add_path)
    suggest_cli.add_parser(sub, _add_path)
    intake_cli.add_parser(sub, _add_path)
    sharing_cli.add_parser(sub, _add_path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.release = release_folder(args, parser)
    if hasattr(args, "check_args"):
        args.check_args(args, parser)
    try:
        return int(args.func(args))
    except (CorpusError, OSError, ValueError) as exc:
        # Every subcommand, those added later too: a bad path, an unreadable file or a bad value
        # is one escaped line and exit code 2, never a traceback.
        commands.say(f"caucasus-corpus: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
