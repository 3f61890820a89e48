"""``export`` and ``import``: the corpus in and out of brat, INCEpTION (XMI), Label Studio and Parquet."""

from __future__ import annotations

import argparse
import sys


def cmd_export(args: argparse.Namespace) -> int:
    import caucasus_corpus as cc
    from ..interop import export

    corpus = cc.load(args.release)
    try:
        written = export(corpus, args.out, format=args.format, articles=args.articles, overwrite=args.overwrite)
    except (ValueError, KeyError, FileExistsError) as exc:
        print(f"caucasus-corpus export: {exc.args[0] if isinstance(exc, KeyError) else exc}", file=sys.stderr)
        print("nothing was exported", file=sys.stderr)
        return 1
    if args.format == "dna":
        print(f"{args.out}: DNA 3 database written ({written['documents']} document(s), {written['statements']} "
              f"statement(s); {written['skipped_none']} stance(s) of polarity none left out: DNA's agreement is 0 or 1); "
              "open it in DNA as coder 'caucasus-corpus' with the password 'caucasus-corpus'")
        return 0
    count = len(written) if isinstance(written, list) else None
    print(f"{args.out}: {count} file(s) written" if count is not None else f"{args.out}: written")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..errors import CorpusValidationError
    from ..interop import import_annotations

    try:
        report = import_annotations(args.release, args.input, format=args.format, annotator=args.annotator,
                                    independent=args.independent, add_articles=args.add_articles, language=args.language)
    except (ValueError, KeyError, FileNotFoundError) as exc:  # every refusal: nothing was written
        problems = exc.problems if isinstance(exc, CorpusValidationError) else [str(exc.args[0] if exc.args else exc)]
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"nothing was imported ({len(problems)} problem(s))", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    return 0


def add_parser(sub: argparse._SubParsersAction, add_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    from ..vocab import EXPORT_FORMATS, IMPORT_FORMATS

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
    p.add_argument("--add-articles", action="store_true",
                   help="--format dna: add the database's documents that are not in the release yet (needs --language)")
    p.add_argument("--language", metavar="CODE", help="--format dna with --add-articles: ISO 639 code of the documents")
    p.add_argument("--path", dest="path_option", default=None, metavar="RELEASE",
                   help="release folder (default: the current folder)")
    p.set_defaults(func=cmd_import, check_args=_default_here)


def _default_here(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.release is None:  # import writes: like add and release, it works on the current folder
        args.release = "."
