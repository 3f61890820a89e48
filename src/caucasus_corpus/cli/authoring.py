"""The writing subcommands that grow a release: ``add`` (one text, or a folder from a CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_add(args: argparse.Namespace) -> int:
    from ..authoring.articles import METADATA_FIELDS, add_article, add_articles
    from ..errors import CorpusValidationError
    from ..release.manifest import read_manifest, resolve_root
    from .commands import say

    # A broken manifest is named with its file and line (one line from main(), exit 2), before staging.
    read_manifest(resolve_root(args.release))
    try:
        if args.from_csv:
            ids = add_articles(args.release, args.from_csv, args.texts, normalize=args.normalize,
                               progress=sys.stderr.isatty())
        else:
            fields = {f: getattr(args, f) or "" for f in METADATA_FIELDS}
            ids = [add_article(args.release, text=Path(args.text_file), id=args.id, normalize=args.normalize, **fields)]
    except ValueError as exc:  # every refusal: nothing was added
        for problem in exc.problems if isinstance(exc, CorpusValidationError) else [str(exc)]:
            say(problem, file=sys.stderr)
        print("nothing was added", file=sys.stderr)
        return 1
    for aid in ids:
        say(aid)
    return 0


def add_parser(sub: argparse._SubParsersAction, add_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    from ..vocab import ACCESS_RIGHTS, GENRES, PUBLISHED_SOURCES

    p = sub.add_parser(
        "add",
        help="add an article (a text file and its metadata), or many with --from-csv; prints the new ids",
        description="Adds the verbatim text and its metadata row in one commit; refuses (adding nothing) "
                    "non-UTF-8 text, a BOM or CRLF/CR line ends (unless --normalize), an empty text, a "
                    "duplicate text or id, and metadata the checker rejects. Ids: caucasus_corpus.authoring.ids.",
    )
    p.add_argument("text_file", nargs="?", metavar="TEXT_FILE", help="the article's text (UTF-8, LF line ends)")
    p.add_argument("--from-csv", metavar="METADATA_CSV", help="add one article per row (columns as in corpus/articles.csv)")
    p.add_argument("--texts", metavar="DIR", help="with --from-csv: the folder holding the rows' text files")
    p.add_argument("--title", help="the title as printed (required for TEXT_FILE)")
    p.add_argument("--language", metavar="CODE", help="ISO 639 code of the text's language, e.g. en (required)")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (empty: unknown)")
    p.add_argument("--outlet", help="the outlet that published it")
    p.add_argument("--url", help="the article's address (http or https)")
    p.add_argument("--genre", choices=GENRES, help="the article's genre")
    p.add_argument("--byline", help="the byline as printed")
    p.add_argument("--author", help="the author, when known")
    p.add_argument("--source-file", dest="source_file", help="the file the text came from (default: none)")
    p.add_argument("--notes", help="notes on the text or its metadata")
    p.add_argument("--retrieved", metavar="YYYY-MM-DDTHH:MM:SSZ", help="when the text was fetched or exported (UTC)")
    p.add_argument("--extractor", help="the extractor that made the text, as name==version and options")
    p.add_argument("--text-sha256", dest="text_sha256", metavar="HEX", help="sha256 of the text (default: computed)")
    p.add_argument("--capture", metavar="FILE#RECORD_ID", help="the WARC capture of the page")
    p.add_argument("--capture-sha256", dest="capture_sha256", metavar="HEX", help="sha256 of the captured HTTP payload")
    p.add_argument("--published-source", dest="published_source", choices=PUBLISHED_SOURCES,
                   help="where the published date was read")
    p.add_argument("--license", metavar="SPDX", help="the text's licence: SPDX id, LicenseRef-... or NOASSERTION")
    p.add_argument("--license-evidence", dest="license_evidence", help="what the licence was read from")
    p.add_argument("--access-rights", dest="access_rights", choices=ACCESS_RIGHTS, help="COAR access rights term")
    p.add_argument("--rights-holder", dest="rights_holder", help="who holds the rights in the text")
    p.add_argument("--archived-url", dest="archived_url", help="address of an archived copy of the page")
    p.add_argument("--id", metavar="SLUG", help="the article id (default: derived from outlet, date and title)")
    p.add_argument("--normalize", action="store_true",
                   help="remove a byte order mark and convert CRLF/CR line ends to LF (recorded in notes)")
    add_path(p, positional=False)
    p.set_defaults(func=cmd_add, check_args=_check_add_args)


def _check_add_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.from_csv:
        from ..authoring.articles import METADATA_FIELDS

        single = [f"--{f.replace('_', '-')}" for f in (*METADATA_FIELDS, "id") if getattr(args, f)]
        if args.text_file or single:
            parser.error(f"add --from-csv takes its metadata from the CSV; drop {' '.join(([args.text_file] if args.text_file else []) + single)}")
        if not args.texts:
            parser.error("add --from-csv needs --texts DIR, the folder of the text files")
    elif not args.text_file:
        parser.error("add needs TEXT_FILE (or --from-csv METADATA_CSV --texts DIR)")
