"""Working copies: a saved folder keeps its last release, so diff and release measure against it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.authoring import save
from caucasus_corpus.release import release
from caucasus_corpus.release.working import RELEASED_DIR
from support import FICTION_ID, fiction_records

RECORDS = f"annotations/records/{FICTION_ID}.jsonl"


@pytest.fixture
def edited(fiction: Path) -> Path:
    recs = fiction_records()
    recs[0]["note"] = "checked"
    save(fiction, records={FICTION_ID: [r for r in recs if r["id"] != "f-s2"]})
    return fiction


def test_a_save_keeps_the_released_bytes_of_what_it_changes(fiction: Path) -> None:
    released = (fiction / RECORDS).read_bytes()
    recs = fiction_records()
    recs[0]["note"] = "one"
    save(fiction, records={FICTION_ID: recs})
    recs[0]["note"] = "two"
    save(fiction, records={FICTION_ID: recs})
    assert (fiction / RELEASED_DIR / RECORDS).read_bytes() == released  # the release, not the first edit
    assert not (fiction / RELEASED_DIR / "annotations" / "actors.jsonl").exists()  # unchanged files are not copied


def test_diff_without_old_compares_the_working_copy_with_its_last_release(edited: Path) -> None:
    d = cc.diff(new=edited)
    assert (d.old_version, d.new_version) == ("1.0.0", "1.0.0+dev")
    rows = d.frame
    assert set(rows.loc[rows["change"] == "removed", "id"]) == {"f-s2"}
    changed = rows[rows["change"] == "changed"]
    assert changed[["id", "field", "new"]].values.tolist() == [["f-m1", "note", "checked"]]
    assert d.implied_bump == "major"  # a removed annotation
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "diff", "--path", str(edited)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "data version 1.0.0 -> 1.0.0+dev" in out.stdout and "- f-s2" in out.stdout


def test_a_tampered_kept_copy_is_an_integrity_error(edited: Path) -> None:
    kept = edited / RELEASED_DIR / RECORDS
    kept.write_bytes(kept.read_bytes().replace(b"Pell Andor", b"Pell Andur"))
    with pytest.raises(cc.CorpusIntegrityError, match="records/varnia-ostrel-dam.jsonl"):
        cc.diff(new=edited)


def test_a_release_ends_the_working_copy_and_forgets_the_kept_bytes(edited: Path) -> None:
    (edited / "CHANGELOG.md").write_text("# C\n\n## Data\n\n### Unreleased\n- Edits.\n", encoding="utf-8")
    result = release(edited, bump="major")
    assert result.version == "2.0.0"
    assert not [p for p in (edited / RELEASED_DIR).rglob("*") if p.is_file()]
    manifest = json.loads((edited / "datapackage.json").read_text(encoding="utf-8"))
    assert "last_release" not in manifest
    with pytest.raises(cc.CorpusError, match="not been edited since it was released"):
        cc.diff(new=edited)
    assert cc.release.validate(edited) == []
