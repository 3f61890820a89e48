"""``caucasus-corpus collect`` and ``convert``: texts into a staging folder (caucasus_corpus.intake).

Exit 0 when every input got a report row (failed ones included), 2 when the command itself is
refused (a bad STAGE, an unreadable or unrecognised FILE, a bad option), with one line saying
``file:line: problem`` or ``URL: problem``. Neither writes into a release.
"""

from __future__ import annotations

import argparse
import sys

from .interop import size


def _summary(command: str, report, stage: str) -> None:  # type: ignore[no-untyped-def]
    from .commands import say

    counts = report["status"].value_counts()
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    say(f"caucasus-corpus {command}: {len(report)} input(s) in {stage}/report.csv: {parts or 'none'}")
    for row in report.itertuples():
        if row.status != "ok":
            say(f"{row.input}: {row.status}" + (f": {row.message}" if isinstance(row.message, str) else ""))
    say(f"review {stage}/metadata.csv, then: caucasus-corpus add --from-csv {stage}/metadata.csv --texts {stage}/texts --path RELEASE")


def _refused(command: str, exc: Exception) -> int:
    from .commands import say

    say(f"caucasus-corpus {command}: error: {exc}", file=sys.stderr)
    return 2


def cmd_collect(args: argparse.Namespace) -> int:
    from ..intake.collect import collect

    try:
        report = collect(args.urls, feeds=args.feed or [], from_csv=args.from_csv, to=args.to, against=args.against,
                         user_agent=args.user_agent, contact=args.contact, delay=args.delay, retries=args.retries,
                         timeout=args.timeout, max_bytes=args.max_bytes, progress=sys.stderr.isatty())
    except ValueError as exc:
        return _refused("collect", exc)
    _summary("collect", report, args.to)
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from ..intake.convert import convert
    from ..release.safefile import InputLimits

    try:
        limits = InputLimits(max_bytes=args.max_bytes) if args.max_bytes else None
        report = convert(args.files, format=args.format, to=args.to, limits=limits, progress=sys.stderr.isatty())
    except ValueError as exc:
        return _refused("convert", exc)
    _summary("convert", report, args.to)
    return 0


def add_parser(sub: argparse._SubParsersAction, add_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    from ..vocab import CONVERT_FORMATS

    p = sub.add_parser(
        "collect",
        help="fetch news pages, feeds or a URL list politely into a staging folder (INTAKE.md)",
        description="Reads robots.txt and honours it, waits at least --delay seconds between requests to a host, "
                    "retries 429/503 after Retry-After; extracts the main text (trafilatura, pinned), reads metadata "
                    "with its source, keeps WARC captures; writes STAGE/metadata.csv, texts/, captures/, report.csv.",
    )
    p.add_argument("urls", nargs="*", metavar="URL", help="article addresses")
    p.add_argument("--feed", action="append", metavar="URL", help="an RSS or Atom feed whose items are collected (repeatable)")
    p.add_argument("--from-csv", metavar="FILE", help="a URL list with a url column (Media Cloud, GDELT, convert --format urls)")
    p.add_argument("--to", required=True, metavar="STAGE", help="the staging folder (created; never inside a release)")
    p.add_argument("--against", metavar="RELEASE", help="report texts already in this release as duplicates")
    p.add_argument("--user-agent", metavar="UA", help="replace the User-Agent (default: caucasus-corpus/VERSION)")
    p.add_argument("--contact", metavar="URL_OR_EMAIL", help="your project page or e-mail, added to the User-Agent")
    p.add_argument("--delay", type=float, default=1.0, metavar="SECONDS", help="at least this long between requests to one host (default 1)")
    p.add_argument("--retries", type=int, default=3, metavar="N", help="retries after 429/503 (default 3)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per connection and read (default 30)")
    p.add_argument("--max-bytes", type=size, default=10 * 1024 * 1024, metavar="N",
                   help="largest answer accepted, e.g. 10M (default 10 MB)")
    p.set_defaults(func=cmd_collect, path_option=None)

    p = sub.add_parser(
        "convert",
        help="convert Nexis Uni, Factiva or Media Cloud/GDELT exports into a staging folder (INTAKE.md)",
        description="nexis: Nexis Uni DOCX/RTF; factiva: Factiva RTF/HTML (article format); urls: a Media Cloud or "
                    "GDELT CSV into STAGE/urls.csv for collect --from-csv. Refuses every file (writing nothing) when "
                    "one cannot be read or its layout is not recognised.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="export files")
    p.add_argument("--format", required=True, choices=CONVERT_FORMATS, help="the export's layout")
    p.add_argument("--to", required=True, metavar="STAGE", help="the staging folder (created; never inside a release)")
    p.add_argument("--max-bytes", type=size, default=None, metavar="N",
                   help="largest file (and DOCX member) read, e.g. 2G (default 512 MB)")
    p.set_defaults(func=cmd_convert, path_option=None)
