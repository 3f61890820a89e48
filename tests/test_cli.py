"""The caucasus-corpus command: exit codes and messages, run as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import caucasus_corpus as cc
from caucasus_corpus.release import rehash

from conftest import SEED_ID


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True, timeout=300
    )


def test_info_prints_version_fingerprint_and_counts() -> None:
    corpus = cc.load()
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
