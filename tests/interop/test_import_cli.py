"""caucasus-corpus export / import from the shell: files written, records imported, refusals exit 1 writing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import caucasus_corpus as cc
import caucasus_corpus.reliability
from caucasus_corpus.cli.main import main
from interop_support import comparable, release_bytes
from support import FICTION_ID, write_release


def test_export_then_import_brat_and_xmi(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_release(tmp_path / "s")
    for fmt in ("brat", "xmi"):
        assert main(["export", str(tmp_path / fmt), "--format", fmt, "--articles", FICTION_ID, "--path", str(source)]) == 0
        target = write_release(tmp_path / f"t-{fmt}", records={FICTION_ID: []})
        assert main(["import", str(tmp_path / fmt), "--format", fmt, "--annotator", "test", "--path", str(target)]) == 0
        assert f"{FICTION_ID}: 10 record(s) added" in capsys.readouterr().out
        assert comparable(cc.load(target).annotations) == comparable(cc.load(source).annotations)
        # Importing the same files again adds nothing and says so.
        assert main(["import", str(tmp_path / fmt), "--format", fmt, "--annotator", "test", "--path", str(target)]) == 0
        assert "10 record(s) already in the release, not added again" in capsys.readouterr().out


def test_import_refusal_prints_every_problem_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_release(tmp_path / "s")
    main(["export", str(tmp_path / "b"), "--format", "brat", "--path", str(source)])
    ann = tmp_path / "b" / f"{FICTION_ID}.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("Claim 114 133", "Claim 113 133").replace("Polarity T4 against", "Polarity T4 hostile"),
                   encoding="utf-8")
    target = write_release(tmp_path / "t", records={FICTION_ID: []})
    before = release_bytes(target)
    assert main(["import", str(tmp_path / "b"), "--format", "brat", "--annotator", "test", "--path", str(target)]) == 1
    err = capsys.readouterr().err
    assert "113:133 says 'threatens our farms'" in err and "polarity 'hostile' is not one of ours" in err
    assert "nothing was imported (2 problem(s))" in err
    assert release_bytes(target) == before


def test_export_unknown_article_and_import_without_annotator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_release(tmp_path / "s")
    assert main(["export", str(tmp_path / "o"), "--format", "brat", "--articles", "varnia-ostrel", "--path", str(source)]) == 1
    assert "did you mean 'varnia-ostrel-dam'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    with pytest.raises(SystemExit):
        main(["import", str(tmp_path / "o"), "--format", "brat", "--path", str(source)])
    assert "--annotator" in capsys.readouterr().err


def test_import_defaults_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_release(tmp_path / "s")
    main(["export", str(tmp_path / "b"), "--format", "brat", "--path", str(source)])
    target = write_release(tmp_path / "t", records={FICTION_ID: []})
    monkeypatch.chdir(target)
    assert main(["import", str(tmp_path / "b"), "--format", "brat", "--annotator", "test"]) == 0
    assert len(cc.load(target).annotations) == 10


def test_cli_exports_parquet_that_reads_back_as_the_same_corpus(tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "pq"
    assert main(["export", "--format", "parquet", str(out)]) == 0
    again = cc.from_parquet(out)
    corpus = cc.load()
    assert again.fingerprint == corpus.fingerprint
    pd.testing.assert_frame_equal(again.claims, corpus.claims)
    assert main(["export", "--format", "parquet", str(out)]) != 0  # refuses a folder that is not empty


def test_independent_import_writes_the_annotators_own_records_and_leaves_gold_alone(tmp_path: Path) -> None:
    source = write_release(tmp_path / "s")
    assert main(["export", str(tmp_path / "b"), "--format", "brat", "--path", str(source)]) == 0
    target = write_release(tmp_path / "t", records={FICTION_ID: []})
    gold_before = (target / "annotations" / "records" / f"{FICTION_ID}.jsonl").read_bytes()
    assert main(["import", str(tmp_path / "b"), "--format", "brat", "--annotator", "ann-x", "--independent",
                 "--path", str(target)]) == 0
    assert (target / "annotations" / "records" / f"{FICTION_ID}.jsonl").read_bytes() == gold_before
    own = cc.reliability.read_annotations(target)
    assert len(own.records["ann-x"][FICTION_ID]) == 10
    assert len(cc.load(target).annotations) == 0
