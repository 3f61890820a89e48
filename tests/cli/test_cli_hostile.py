"""The command line against odd release paths (issue 26, audit round 2, cases 6.1 to 6.4).

Every subcommand is discovered from the parser, so a subcommand added later joins these tests
without an edit here: each must turn a bad path into one escaped line (exit 2), or its own
refusal (exit 1), never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import importlib
from pathlib import Path

import pytest

from caucasus_corpus.cli.main import main

cli_main = importlib.import_module("caucasus_corpus.cli.main")  # the module (the package exports the function main)


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli_main.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


# Commands that never open a release write into a folder of their own: collect and convert stage
# into --to STAGE (a release is only read, with collect --against). Their folder takes the odd paths.
FOLDER_OPTIONS = ("--path", "--to")


def folder_option(parser: argparse.ArgumentParser) -> str:
    options = {o for a in parser._actions for o in a.option_strings}
    return next(o for o in FOLDER_OPTIONS if o in options)


def minimal_args(name: str, parser: argparse.ArgumentParser, folder: str | None = None) -> list[str]:
    """The subcommand with a placeholder for every positional (the release path alias left out)
    and for every required option (its first choice, where it has choices), and ``folder`` given
    to its folder option (:func:`folder_option`)."""
    args = [name]
    where = folder_option(parser)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest in ("path", "path_option"):
            continue
        if not action.option_strings and action.nargs != "*":
            args.append("placeholder")
        elif action.option_strings and action.required and (folder is None or where not in action.option_strings):
            flag = action.nargs == 0  # a required switch (publish --without-texts) takes no value
            args += [action.option_strings[0]] if flag else \
                [action.option_strings[0], str(action.choices[0]) if action.choices else "placeholder"]
    for group in parser._mutually_exclusive_groups:  # hydrate's one source of --from/--from-warc/--from-urls
        if group.required:
            first = group._group_actions[0]
            args += [first.option_strings[0]] + ([] if first.nargs == 0 else ["placeholder"])
    return args if folder is None else [*args, where, folder]


def outcome(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one run of main() (usage errors exit through SystemExit)."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def odd_paths(tmp: Path) -> dict[str, str]:
    (tmp / "a-file.txt").write_text("not a release\n", encoding="utf-8")
    (tmp / "broken").mkdir()
    (tmp / "broken" / "datapackage.json").write_text('{"resources": [\n', encoding="utf-8")
    (tmp / "empty-manifest").mkdir()
    (tmp / "empty-manifest" / "datapackage.json").write_text("{}", encoding="utf-8")
    return {"5000 characters": "x" * 5000, "missing": str(tmp / "absent"), "a file": str(tmp / "a-file.txt"),
            "broken JSON": str(tmp / "broken"), "{}": str(tmp / "empty-manifest"),
            "ESC in the name": str(tmp / "re\x1b[2Jlease"), "/dev/null": "/dev/null"}


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A subcommand added at test time, as later helpers add theirs: it raises what a careless
    subcommand lets through (an OSError from a long path, a ValueError), and must join the tests."""
    original = cli_main.build_parser

    def failing(args: argparse.Namespace) -> int:
        if args.path_option and len(args.path_option) > 1000:
            raise OSError(errno.ENAMETOOLONG, "File name too long", args.path_option)
        raise ValueError(f"probe: cannot use {args.path_option!r}\nsecond line")

    def build() -> argparse.ArgumentParser:
        parser = original()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        p = sub.add_parser("probe", help="a subcommand added at test time")
        cli_main._add_path(p, positional=False)
        p.set_defaults(func=failing)
        return parser

    monkeypatch.setattr(cli_main, "build_parser", build)


def test_every_subcommand_takes_a_folder(probe: None) -> None:
    found = subcommands()
    assert {"info", "validate", "kwic", "release", "diff", "add", "import", "export", "probe"} <= set(found)
    for name, parser in found.items():
        assert folder_option(parser) == ("--to" if name in ("collect", "convert") else "--path"), name


@pytest.mark.parametrize("which", ["5000 characters", "missing", "a file", "broken JSON", "{}", "ESC in the name", "/dev/null"])
def test_6_1_6_2_every_subcommand_gives_one_escaped_line_for_an_odd_path(which: str, probe: None, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # whatever a command might write lands here
    path = odd_paths(tmp_path)[which]
    for name, parser in subcommands().items():
        code, out, err = outcome(minimal_args(name, parser, path), capsys)
        assert code in (1, 2), (name, code, out, err)
        assert "Traceback" not in err and "\x1b" not in err + out, (name, err)
        lines = err.rstrip("\n").split("\n")
        if code == 2:
            assert len(lines) == 1 and lines[0].startswith("caucasus-corpus"), (name, err)
        else:  # a command's own refusal (validate, add, import): its problems, then a summary line
            assert lines[-1].startswith("nothing was") or "problem(s)" in lines[-1], (name, err)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_6_3_an_empty_path_is_refused(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = outcome(minimal_args(name, subcommands()[name], ""), capsys)
    assert code == 2 and ("the release folder is empty" in err or "the staging folder is empty" in err), err
    assert list(tmp_path.iterdir()) == []


def test_6_3_a_subcommand_added_later_refuses_an_empty_path_too(probe: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = outcome(["probe", "--path", ""], capsys)
    assert code == 2 and "the release folder is empty" in err


def test_6_2_a_subcommand_added_later_turns_oserror_and_valueerror_into_one_line(probe: None,
                                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = outcome(["probe", "--path", "y" * 5000], capsys)
    assert code == 2 and err.count("\n") == 1 and err.startswith("caucasus-corpus: error: [Errno 36] File name too long")
    code, _, err = outcome(["probe", "--path", "there"], capsys)
    assert code == 2 and err == "caucasus-corpus: error: probe: cannot use 'there'\\nsecond line\n"


def test_6_4_add_on_a_broken_manifest_names_the_file_and_line(tmp_path: Path, fiction: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "piece.txt"
    text.write_text("A fictional Varnia dispatch.\n", encoding="utf-8")
    (fiction / "datapackage.json").write_text('{"resources": [\n', encoding="utf-8")
    before = sorted((p, p.read_bytes()) for p in fiction.rglob("*") if p.is_file())
    code, _, err = outcome(["add", str(text), "--id", "x", "--title", "T", "--language", "en", "--path", str(fiction)], capsys)
    assert code == 2 and f"{fiction / 'datapackage.json'}:2:" in err and err.count("\n") == 1
    assert sorted((p, p.read_bytes()) for p in fiction.rglob("*") if p.is_file()) == before
