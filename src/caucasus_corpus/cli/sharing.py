"""``publish --without-texts OUT`` and ``hydrate --path OUT --from DIR``: sharing a release whose
texts may not be redistributed (:mod:`caucasus_corpus.sharing`)."""

from __future__ import annotations

import argparse
import sys

from .commands import say


def cmd_publish(args: argparse.Namespace) -> int:
    from ..errors import CorpusValidationError
    from ..sharing.publish import publish

    try:
        result = publish(args.out, path=args.release, keep_quotes=args.keep_quotes)
    except CorpusValidationError as exc:
        for problem in exc.problems:
            say(problem, file=sys.stderr)
        say(f"{len(exc.problems) - 1 if exc.problems and exc.problems[-1].startswith('nothing') else len(exc.problems)} "
            "problem(s); nothing was published", file=sys.stderr)
        return 1
    say(f"published {result.path} without texts: {result.texts} text(s) withheld, {result.records} record(s)"
        + (" (quotes kept)" if result.keep_quotes else ""))
    say(f"data version {result.version}, fingerprint {result.fingerprint}")
    say(f"the release with its texts: fingerprint {result.release_fingerprint}")
    return 0


def cmd_hydrate(args: argparse.Namespace) -> int:
    from ..sharing.hydrate import HydrationError, hydrate

    try:
        result = hydrate(args.release, from_dir=args.from_dir, from_warc=args.from_warc, from_urls=args.from_urls,
                         archive=args.archive, progress=sys.stderr.isatty(), say=say)
    except HydrationError as exc:
        for problem in exc.problems:
            say(problem, file=sys.stderr)
        say(str(exc), file=sys.stderr)
        return 1
    if result.exact:
        say(f"every text matches: {result.path} is release {result.version} again, fingerprint {result.fingerprint}")
    else:
        say(f"{result.path} is a working copy ({result.version}): texts changed and records were re-anchored; "
            f"the report is {result.path}/.caucasus-corpus-hydration/report.csv, and `caucasus-corpus diff --path "
            f"{result.path}` shows what moved")
    return 0


def add_parser(sub: argparse._SubParsersAction, add_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    p = sub.add_parser(
        "publish",
        help="write a copy of a release without its article texts, for sharing (see `hydrate`)",
        description="Writes OUT: the release without corpus/texts/, each text's sha256, lengths and addresses in "
                    "corpus/withheld.csv, each record's quote replaced by hashes. Refuses (writing nothing) when a "
                    "file would quote 40 characters of an article text.",
    )
    p.add_argument("--without-texts", dest="without_texts", action="store_true", required=True,
                   help="required: the copy holds no article text")
    p.add_argument("out", metavar="OUT", help="the new folder (must not exist, or be empty)")
    p.add_argument("--keep-quotes", action="store_true",
                   help="keep each record's quote (the publishers' text; the data card then says so)")
    add_path(p, positional=False)
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser(
        "hydrate",
        help="put the texts back into a release published without them, verifying every one",
        description="Reads each text from DIR (ARTICLE_ID.txt or SHA256.txt), re-extracts it from WARC captures, or "
                    "fetches it from its URL (politely, as collect does), and checks its sha256. When all match, "
                    "the folder becomes the release again (same fingerprint); a changed text makes it a working copy "
                    "with its records re-anchored (report: .caucasus-corpus-hydration/report.csv). A source that "
                    "cannot be used refuses the whole hydration and leaves the folder as it was.",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="from_dir", metavar="DIR", help="the folder holding the texts as ARTICLE_ID.txt or SHA256.txt")
    source.add_argument("--from-warc", dest="from_warc", metavar="CAPTURES",
                        help="the folder of WARC captures (as collect writes them); each text is re-extracted")
    source.add_argument("--from-urls", dest="from_urls", action="store_true",
                        help="fetch each article's URL politely and extract its text")
    p.add_argument("--archive", action="store_true", help="with --from-urls: try the archived URL when the live one fails")
    add_path(p, positional=False)
    p.set_defaults(func=cmd_hydrate, check_args=_check_hydrate_args)


def _check_hydrate_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.release is None:
        parser.error("hydrate writes into the folder published without texts: give it with --path FOLDER")
    if args.archive and not args.from_urls:
        parser.error("--archive goes with --from-urls (it tries the archived URL when the live one fails)")
