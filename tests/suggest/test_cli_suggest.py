"""``caucasus-corpus suggest ARTICLE_ID`` prints suggestions and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from caucasus_corpus.authoring.suggestions import SUGGESTIONS_DIR
from caucasus_corpus.cli.main import main
from support import FICTION_ID, SEED_ID, write_release


def test_suggest_prints_one_line_per_suggestion_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_release(tmp_path / "f", records={FICTION_ID: []})
    assert main(["suggest", FICTION_ID, "--path", str(root), "--layer", "claim"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("4 suggestion(s) for varnia-ostrel-dam")
    lines = [line.split("\t") for line in out[1:]]
    assert [(f[1], f[4]) for f in lines] == [
        ("claim", "speaker=varnia ('Varnia')"), ("claim", "speaker=pell-andor ('Pell Andor')"),
        ("claim", "speaker=pell-andor ('Andor')"), ("claim", "speaker=observers ('Some observers')")]
    assert "'the dam \"threatens our farms\"'" in out[2] and "cue='said'" in out[2]
    assert not (root / SUGGESTIONS_DIR).exists()


def test_records_hide_what_they_cover_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", SEED_ID, "--layer", "claim"]) == 0  # the bundled release: its records cover every claim
    assert capsys.readouterr().out.startswith("0 suggestion(s)")
    assert main(["suggest", SEED_ID, "--layer", "claim", "--ignore-records", "--min-confidence", "0.7"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) > 1 and all(float(line.split("\t")[3]) >= 0.7 for line in out[1:])


def test_an_unknown_article_is_an_error_naming_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "commonspace-2017"]) == 2
    assert f"unknown article 'commonspace-2017'; known: '{SEED_ID}'" in capsys.readouterr().err
