"""``export`` and ``import``: the corpus in and out of brat, INCEpTION (XMI), Label Studio and Parquet."""

from __future__ import annotations

import argparse
import sys


def cmd_export(args: argparse.Namespace) -> int:
    import caucasus_corpus as cc
    from ..interop import export
    from .commands import say

    corpus = cc.load(args.release)
    try:
        written = export(corpus, args.out, format=args.format, articles=args.articles, overwrite=args.overwrite)
    except (ValueError, KeyError, FileExistsError) as exc:
        say(f"caucasus-corpus export: {exc.args[0] if isinstance(exc, KeyError) else exc}", file=sys.stderr)
        print("nothing was exported", file=sys.stderr)
        return 1
    if args.format == "dna":
        say(f"{args.out}: DNA 3 database written ({written['documents']} document(s), {written['statements']} "
              f"statement(s); {written['skipped_none']} stance(s) of polarity none left out: DNA's agreement is 0 or 1); "
              "open it in DNA as coder 'caucasus-corpus' with the password 'caucasus-corpus'")
        return 0
    count = len(written) if isinstance(written, list) else None
    say(f"{args.out}: {count} file(s) written" if count is not None else f"{args.out}: written")
    return 0


def size(value: str) -> int:
    """A number of bytes for --max-bytes: digits, optionally with K, M or G (powers of 1024).

    >>> size("512M"), size("2G"), size("1000")
    (536870912, 2147483648, 1000)
    """
    text = value.strip().upper().removesuffix("B")
    factor = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(text[-1:], 1)
    digits = text[:-1] if factor > 1 else text
    if not digits.isdigit() or int(digits) * factor < 1 or len(digits) > 15:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of bytes (e.g. 1000, 512M, 2G)")
    return int(digits) * factor


def ratio(value: str) -> float:
    """A compression ratio for --max-ratio: a number of at least 1 (200 means 200:1)."""
    try:
        number = float(value.removesuffix(":1"))
    except ValueError:
        number = 0.0
    if not number >= 1 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a compression ratio of at least 1 (e.g. 200)")
    return number


def cmd_import(args: argparse.Namespace) -> int:
    from ..errors import CorpusInputError, CorpusValidationError
    from ..interop import import_annotations
    from ..release.manifest import resolve_root
    from ..release.safefile import InputLimits
    from .commands import say

    root = resolve_root(args.release)  # a bad release folder is main()'s one line, exit 2
    caps = {k: v for k, v in (("max_bytes", args.max_bytes), ("max_ratio", args.max_ratio)) if v is not None}
    limits = InputLimits(**caps)
    try:
        report = import_annotations(root, args.input, format=args.format, annotator=args.annotator,
                                    independent=args.independent, offsets=args.offsets, limits=limits,
                                    add_articles=args.add_articles, language=args.language)
    except (ValueError, KeyError, FileNotFoundError) as exc:  # every refusal: nothing was written
        problems = exc.problems if isinstance(exc, CorpusValidationError) else [str(exc.args[0] if exc.args else exc)]
        for problem in problems:
            say(problem, file=sys.stderr)  # escaped: a tool's file may hold anything in an id
        if isinstance(exc, CorpusInputError) and "cap of" in str(exc):
            say(f"caucasus-corpus import: the caps are --max-bytes {limits.max_bytes} and --max-ratio "
                f"{limits.max_ratio:g}; raise them only for files you trust", file=sys.stderr)
        print(f"nothing was imported ({len(problems)} problem(s))", file=sys.stderr)
        return 1
    for line in report.lines():
        say(line)
    return 0


def add_parser(sub: argparse._SubParsersAction, add_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    from ..vocab import EXPORT_FORMATS, IMPORT_FORMATS, OFFSET_UNITS

    p = sub.add_parser(
        "export", help="write the corpus for brat, INCEpTION (xmi), Label Studio or as Parquet",
        description="Writes into the folder OUT (which must be new or empty unless --overwrite). Offsets are "
                    "converted at the format's boundary: brat and Label Studio count code points as we do, XMI "
                    "UTF-16 code units. README, 'Exchange formats'.")
    p.add_argument("out", metavar="OUT", help="the folder to write (with --format dna: the .dna file)")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("--articles", nargs="+", metavar="ID", help="only these articles (default: all)")
    p.add_argument("--overwrite", action="store_true", help="replace files of the same names in OUT")
    add_path(p, positional=False)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import", help="bring records made in brat, INCEpTION (xmi) or Label Studio into a release",
        description="Every article must already be in the release with the same id and text (add it first). "
                    "Prints everything it cannot map (unknown labels, shifted spans, unknown actors) and then "
                    "writes nothing; otherwise writes through the annotation API and prints the new record ids.")
    p.add_argument("input", metavar="IN", help="the tool's export: a folder or file")
    p.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    p.add_argument("--annotator", required=True, metavar="NAME", help="who made the records in the tool")
    p.add_argument("--independent", action="store_true",
                   help="write into the annotator's own records (for agreement), not the gold records")
    p.add_argument("--offsets", choices=OFFSET_UNITS, default=None,
                   help="the unit the tool's offsets count: utf16 (UTF-16 code units, as Java and browsers count) "
                        "or codepoints; needed only when what the spans cover cannot establish it (the import says so)")
    p.add_argument("--max-bytes", type=size, default=None, metavar="N",
                   help="refuse a file or zip member larger than N bytes (default 512M; e.g. 2G)")
    p.add_argument("--max-ratio", type=ratio, default=None, metavar="R",
                   help="refuse a zip member compressed more than R:1 (default 200; a zip bomb is far above)")
    p.add_argument("--add-articles", action="store_true",
                   help="--format dna: add the database's documents that are not in the release yet (needs --language)")
    p.add_argument("--language", metavar="CODE", help="--format dna with --add-articles: ISO 639 code of the documents")
    p.add_argument("--path", dest="path_option", default=None, metavar="RELEASE",
                   help="release folder (default: the current folder)")
    p.set_defaults(func=cmd_import, check_args=_default_here)


def _default_here(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.release is None:  # import writes: like add and release, it works on the current folder
        args.release = "."
