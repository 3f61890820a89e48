"""The caucasus-corpus command: exit codes and messages, run as a real subprocess."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import caucasus_corpus as cc
from caucasus_corpus.release import rehash

from support import SEED_ID


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True, timeout=300
    )


def test_info_prints_version_fingerprint_and_counts(bundled: cc.Corpus) -> None:
    corpus = bundled
    out = run("info")
    assert out.returncode == 0, out.stderr
    assert f"data version {corpus.version}" in out.stdout
    assert corpus.fingerprint in out.stdout
    assert f"articles     {len(corpus.articles)}" in out.stdout
    assert f"tokens       {len(corpus.tokens)}" in out.stdout


def test_validate_passes_on_the_shipped_release() -> None:
    out = run("validate")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().endswith("valid")


def test_validate_reports_file_and_line_and_exits_nonzero(release_copy: Path) -> None:
    csv_path = release_copy / "corpus" / "articles.csv"
    csv_path.write_text(csv_path.read_text().replace(f"\n{SEED_ID},", "\nBad Id,", 1))
    rehash(release_copy)
    out = run("validate", str(release_copy))
    assert out.returncode == 1
    assert "corpus/articles.csv:2: article_id: 'Bad Id' does not match" in out.stdout
    assert "corpus/articles.csv:2: path" in out.stdout  # all problems, not just the first


def test_validate_reports_tampered_file(release_copy: Path) -> None:
    text = release_copy / "corpus" / "texts" / f"{SEED_ID}.txt"
    text.write_bytes(text.read_bytes() + b" ")
    out = run("validate", str(release_copy))
    assert out.returncode == 1
    assert f"corpus/texts/{SEED_ID}.txt" in out.stdout and "sha256" in out.stdout


def test_missing_folder_exits_2_with_message(tmp_path: Path) -> None:
    out = run("info", str(tmp_path / "absent"))
    assert out.returncode == 2
    assert "no such folder" in out.stderr


def test_usage_error_exits_2() -> None:
    out = run("frobnicate")
    assert out.returncode == 2
    assert "invalid choice" in out.stderr


def run_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True,
                          timeout=300, cwd=folder)


def test_every_command_takes_path_and_read_only_ones_default_to_the_bundled_release(release_copy: Path, tmp_path: Path) -> None:
    bundled_fp = cc.load().fingerprint
    for args in (["info"], ["validate"], ["kwic", "Putin"], ["diff", str(release_copy)]):
        out = run_in(tmp_path, *args)  # an empty folder: the bundled release is used
        assert out.returncode == 0, (args, out.stderr)
    assert bundled_fp in run_in(tmp_path, "info").stdout
    for args in (["info", "--path", str(release_copy)], ["validate", "--path", str(release_copy)],
                 ["kwic", "Putin", "--path", str(release_copy)], ["diff", str(release_copy), "--path", str(release_copy)]):
        out = run_in(tmp_path, *args)
        assert out.returncode == 0, (args, out.stderr)
    assert str(release_copy) in run_in(tmp_path, "info", "--path", str(release_copy)).stdout
    # Every subcommand that opens a release, those added later included (discovered from the
    # parser), takes --path; collect and convert write a staging folder (--to) and open no release.
    # test_cli_hostile.py runs each of them against odd paths.
    from caucasus_corpus.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in sub.choices.items():
        option = "--to" if name in ("collect", "convert") else "--path"
        assert any(option in a.option_strings for a in parser._actions), name


def test_a_release_folder_given_twice_differently_is_refused(release_copy: Path) -> None:
    out = run("validate", str(release_copy), "--path", str(release_copy.parent))
    assert out.returncode == 2 and "given twice" in out.stderr


def test_writing_commands_default_to_the_current_folder_and_refuse_one_without_a_manifest(tmp_path: Path) -> None:
    out = run_in(tmp_path, "release", "--bump", "patch")
    assert out.returncode == 2
    assert f"{tmp_path}" in out.stderr or "." in out.stderr
    assert "no datapackage.json here" in out.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was written


def test_add_prints_the_id_and_refuses_with_exit_1_writing_nothing(fiction: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from caucasus_corpus.cli.main import main

    good = tmp_path / "good.txt"
    good.write_text("A fictional Varnia dispatch.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Varnia \xe9t\xe9\n")
    monkeypatch.chdir(fiction)  # add writes into the current folder by default
    assert main(["add", str(good), "--title", "Dispatch", "--language", "en", "--outlet", "varnia.example", "--published", "2031-06-01"]) == 0
    assert capsys.readouterr().out.strip() == "varnia-2031-06-01-dispatch"
    before = sorted((p.name, p.stat().st_size) for p in fiction.rglob("*") if p.is_file())
    assert main(["add", str(bad), "--title", "Bad", "--language", "en", "--id", "bad"]) == 1
    err = capsys.readouterr().err
    assert "not valid UTF-8 at byte 7" in err and "nothing was added" in err
    assert sorted((p.name, p.stat().st_size) for p in fiction.rglob("*") if p.is_file()) == before
    assert main(["validate", "--path", str(fiction)]) == 0


def test_add_from_csv_prints_every_id_or_lists_every_bad_row(fiction: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caucasus_corpus.cli.main import main

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("Fictional Ostrel bulletin one.\n", encoding="utf-8")
    (texts / "b.txt").write_text("Fictional Ostrel bulletin two.\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("article_id,path,title,language\nbulletin-a,a.txt,Bulletin A,en\nbulletin-b,b.txt,Bulletin B,xx\n", encoding="utf-8")
    assert main(["add", "--from-csv", str(meta), "--texts", str(texts), "--path", str(fiction)]) == 1
    err = capsys.readouterr().err
    assert f"{meta}:3: language: 'xx' is not an ISO 639 language code" in err and "nothing was added" in err
    assert "bulletin-a" not in cc.load(fiction).article_ids
    meta.write_text(meta.read_text(encoding="utf-8").replace(",xx", ",en"), encoding="utf-8")
    assert main(["add", "--from-csv", str(meta), "--texts", str(texts), "--path", str(fiction)]) == 0
    assert capsys.readouterr().out.split() == ["bulletin-a", "bulletin-b"]
