"""``caucasus-corpus agree``, run as a real subprocess."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import caucasus_corpus as cc


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True, timeout=300)


def test_agree_on_the_bundled_release_says_plainly_there_is_one_annotator() -> None:
    out = run("agree")
    assert out.returncode == 0, out.stderr
    assert "Gold records made by: annotator-1." in out.stdout
    assert "No agreement figures" in out.stdout


def test_agree_prints_the_report_and_the_csv_of_the_frame(double: Path) -> None:
    out = run("agree", "--path", str(double), "--layer", "claim")
    assert out.returncode == 0, out.stderr
    assert "ann-a vs ann-b" in out.stdout and "claim_type: kappa 0.000  alpha 0.000 (n=1 matched spans)" in out.stdout
    assert "mention" not in out.stdout.split("ann-a vs ann-b", 1)[1].split("\n\n")[0]
    table = run("agree", "--path", str(double), "--csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    frame = cc.agreement(double)
    assert len(rows) == len(frame) and list(rows[0]) == list(frame.columns)


def test_agree_names_a_bad_annotator(double: Path) -> None:
    out = run("agree", "--path", str(double), "--annotators", "ann-a", "ann-z")
    assert out.returncode == 2 and "annotator='ann-z' is not valid; choose one of: 'ann-a', 'ann-b'" in out.stderr
