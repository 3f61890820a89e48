"""hydrate: the texts back from a folder, every one verified; byte-identical when they match, a
re-anchored working copy when one changed, nothing written when a source is bad (fictional texts)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusError
from caucasus_corpus.release import validate
from caucasus_corpus.release.withheld import sha256_text
from caucasus_corpus.sharing import HydrationError, hydrate, publish

from support import FICTION_ID, FICTION_TEXT

from conftest import data_snapshot, snapshot


def _records(folder: Path) -> dict[str, dict]:
    path = folder / "annotations" / "records" / f"{FICTION_ID}.jsonl"
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_matching_texts_give_back_the_release_byte_for_byte(fiction: Path, published: Path, texts_dir: Path) -> None:
    result = hydrate(published, from_dir=texts_dir, progress=False)
    assert result.exact and result.fingerprint == cc.load(fiction).fingerprint
    assert data_snapshot(published) == data_snapshot(fiction)
    assert cc.load(published).fingerprint == cc.load(fiction).fingerprint
    report = result.report
    assert set(report["status"]) == {"exact"} and len(report) == len(_records(fiction))
    assert (report["old_start"] == report["new_start"]).all()
    on_disk = list(csv.DictReader((published / ".caucasus-corpus-hydration" / "report.csv").open(encoding="utf-8")))
    assert [r["record_id"] for r in on_disk] == report["record_id"].tolist()
    assert list(on_disk[0])[:5] == ["article_id", "record_id", "status", "old_start", "new_start"]
    assert result.summary == (f"{FICTION_ID}: the text matches; records: 10 exact, 0 relocated, 0 ambiguous, 0 lost",)


def test_texts_named_by_their_sha256_are_found(fiction: Path, published: Path, tmp_path: Path) -> None:
    folder = tmp_path / "by-hash"
    folder.mkdir()
    (folder / f"{sha256_text(FICTION_TEXT)}.txt").write_bytes(FICTION_TEXT.encode("utf-8"))
    assert hydrate(published, from_dir=folder, progress=False).exact
    assert data_snapshot(published) == data_snapshot(fiction)


def test_annotators_records_adjudication_and_kept_quotes_round_trip(double: Path, tmp_path: Path, texts_dir: Path) -> None:
    adj = cc.adjudicate(double, FICTION_ID, annotators=["ann-a", "ann-b"], adjudicator="judge")
    for item in list(adj.open):
        adj.reject(item.item_id, note="invented test decision")
    adj.write()
    assert (double / "annotations" / "adjudication" / f"{FICTION_ID}.jsonl").is_file()
    for keep in (False, True):
        out = tmp_path / f"shared-{keep}"
        publish(out, path=double, keep_quotes=keep)
        annotator_file = out / "annotations" / "annotators" / "ann-b" / f"{FICTION_ID}.jsonl"
        assert ("threatens our farms" in annotator_file.read_text(encoding="utf-8")) is keep
        assert hydrate(out, from_dir=texts_dir, progress=False).exact
        assert data_snapshot(out) == data_snapshot(double)


def test_the_data_card_note_comes_out_again(fiction: Path, tmp_path: Path, texts_dir: Path) -> None:
    from caucasus_corpus.release import rehash

    (fiction / "corpus" / "README.md").write_text("# Data card: fiction\n\nAn invented release for tests.\n", encoding="utf-8")
    rehash(fiction)
    for keep in (False, True):
        out = tmp_path / f"card-{keep}"
        publish(out, path=fiction, keep_quotes=keep)
        assert "withheld:start" in (out / "corpus" / "README.md").read_text(encoding="utf-8")
        assert hydrate(out, from_dir=texts_dir, progress=False).exact
        assert data_snapshot(out) == data_snapshot(fiction)


CHANGED = (FICTION_TEXT
           .replace("1 March 2031\n", "1 March 2031 (updated 2 March)\nThis paragraph was added later.\n")
           .replace("Kesa Rimm, an MP,", "Kesa Rimm, a member of parliament,"))


def test_a_changed_text_gives_a_re_anchored_working_copy(fiction: Path, published: Path, tmp_path: Path) -> None:
    folder = tmp_path / "changed"
    folder.mkdir()
    (folder / f"{FICTION_ID}.txt").write_text(CHANGED, encoding="utf-8")
    published_fp = cc.load(published, texts=False).fingerprint
    result = hydrate(published, from_dir=folder, progress=False)
    assert not result.exact and result.version == "1.0.0+dev"
    status = dict(zip(result.report["record_id"], result.report["status"]))
    assert status["f-m4"] == "lost"  # "an MP" is gone
    assert {s for rid, s in status.items() if rid != "f-m4"} == {"relocated"}
    # every record kept points at its quote in the new text, cue included
    before, after = _records(fiction), _records(published)
    assert set(after) == set(before) - {"f-m4"}
    for rid, rec in after.items():
        assert CHANGED[rec["start"]:rec["end"]] == rec["text"] == before[rid]["text"]
        if rec.get("cue"):
            assert CHANGED[rec["cue"]["start"]:rec["cue"]["end"]] == rec["cue"]["text"]
    lost = result.report.set_index("record_id").loc["f-m4"]
    assert lost["old_start"] == before["f-m4"]["start"] and lost["text_sha256"] == sha256_text("an MP")
    manifest = json.loads((published / "datapackage.json").read_text())
    assert manifest["hydrated_from"]["release"]["fingerprint"] == cc.load(fiction).fingerprint
    assert manifest["hydrated_from"]["published_fingerprint"] == published_fp
    assert manifest["hydrated_from"]["changed_texts"] == [FICTION_ID]
    assert "withheld" not in manifest
    assert validate(published) == []
    corpus = cc.load(published)
    assert corpus.text(FICTION_ID) == CHANGED and corpus.version == "1.0.0+dev"
    # diff explains it: the text changed, records moved, one removed
    change = cc.diff(None, published)
    frame = change.frame
    assert ((frame["entity"] == "article") & (frame["field"] == "text")).sum() == 1
    assert set(frame.loc[frame["change"] == "removed", "id"]) >= {"f-m4"}
    moved = frame[(frame["entity"] == "annotation") & (frame["field"] == "start")]
    assert set(moved["id"]) == set(after)
    assert change.implied_bump == "major"


@pytest.mark.parametrize("make, expected", [
    ("missing", "holds neither"),
    ("folder", "is a folder"),
    ("outside", "symbolic link to a file outside"),
    ("latin1", "is not valid UTF-8"),
])
def test_a_bad_source_refuses_and_leaves_the_folder_byte_identical(published: Path, tmp_path: Path, make: str, expected: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    target = folder / f"{FICTION_ID}.txt"
    if make == "folder":
        target.mkdir()
    elif make == "outside":
        (tmp_path / "elsewhere.txt").write_text(FICTION_TEXT, encoding="utf-8")
        os.symlink(tmp_path / "elsewhere.txt", target)
    elif make == "latin1":
        target.write_bytes(FICTION_TEXT.replace("Varnia", "Värnia").encode("latin-1"))
    before = snapshot(published)
    with pytest.raises(HydrationError) as err:
        hydrate(published, from_dir=folder, progress=False)
    assert len(err.value.problems) == 1 and expected in err.value.problems[0]
    assert err.value.problems[0].startswith(f"{FICTION_ID}: ")
    [row] = err.value.rows
    assert row["status"] == "unavailable" and expected in row["note"]
    assert snapshot(published) == before
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "hydrate", "--path", str(published), "--from", str(folder)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1 and expected in out.stderr and "Traceback" not in out.stderr
    assert snapshot(published) == before


def test_cli_hydrate_prints_a_summary_per_article(fiction: Path, published: Path, texts_dir: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "hydrate", "--path", str(published), "--from", str(texts_dir)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"{FICTION_ID}: the text matches; records: 10 exact" in out.stdout
    assert "every text matches" in out.stdout
    assert data_snapshot(published) == data_snapshot(fiction)


def test_a_folder_with_its_texts_has_nothing_to_hydrate(fiction: Path, texts_dir: Path) -> None:
    with pytest.raises(CorpusError, match="holds its texts already"):
        hydrate(fiction, from_dir=texts_dir)
    with pytest.raises(ValueError, match="from_dir"):
        hydrate(fiction)
