"""``benchmarks/bench_suggest.py`` prints in-sample, out-of-sample (only when a held-out release is
given, with n) and per-language figures apart. The held-out folder here is the fictional release
of tests/support.py, used only to run the code path: its figures mean nothing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from support import REPO, write_release


def run(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    spec = importlib.util.spec_from_file_location("bench_suggest", REPO / "benchmarks" / "bench_suggest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", ["bench_suggest.py", *argv])
    module.main()
    return capsys.readouterr().out


def test_without_a_heldout_release_nothing_out_of_sample_is_claimed(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = run([], capsys, monkeypatch)
    assert "## In-sample: data" in out and "n = 1 article(s)" in out
    assert "Not measured: this repository holds no held-out annotated release" in out
    per_language = out.split("## Per language")[1]
    assert all(f"| {code} |" in per_language for code in ("ru", "az", "ka", "hy"))


def test_a_heldout_release_is_scored_with_n_and_a_cold_registry(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = write_release(tmp_path / "heldout")
    out = run(["--heldout", str(folder)], capsys, monkeypatch)
    section = out.split("## Out-of-sample")[1].split("## Per language")[0]
    assert f"### {folder}: data" in section and "n = 1 article(s), 3 gold claims" in section
    assert "With its own registry:" in section and "Cold (only the 0 of its" in section
    assert section.count("| claim | quoted | overlap |") == 2
