"""cc.diff and `caucasus-corpus diff` on small fictional releases built in tmp folders."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import rehash

from support import FICTION_ID, REPO, SEED_ID, actual_columns, documented_columns, write_release


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def add_article(root: Path, article_id: str, text: str) -> None:
    """Append a fictional article to a release folder (file + metadata row); the caller rehashes."""
    (root / "corpus" / "texts" / f"{article_id}.txt").write_text(text, encoding="utf-8", newline="")
    table = root / "corpus" / "articles.csv"
    extra = "," * (table.read_text(encoding="utf-8").split("\n", 1)[0].count(",") - 11)  # any columns after notes
    with open(table, "a", encoding="utf-8", newline="") as f:
        f.write(f"{article_id},corpus/texts/{article_id}.txt,A fictional title,,,,,en,,,,fictional test text{extra}\n")


def rows_of(d: cc.ReleaseDiff, **match: str) -> pd.DataFrame:
    f = d.frame
    for k, v in match.items():
        f = f[f[k] == v]
    return f


@pytest.fixture
def old_new(tmp_path: Path) -> tuple[Path, Path]:
    old = write_release(tmp_path / "old", version="1.0.0")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    return old, new


def test_identical_releases_have_no_changes(old_new: tuple[Path, Path]) -> None:
    old, new = old_new
    d = cc.diff(old, new)
    assert d.frame.empty and d.implied_bump == "none"
    assert "No differences" in d.report()
    assert actual_columns(d.frame) == documented_columns(cc.diff)


def test_added_annotation_and_article_need_minor(old_new: tuple[Path, Path]) -> None:
    old, new = old_new
    recs_path = new / "annotations" / "records" / f"{FICTION_ID}.jsonl"
    recs = _jsonl(recs_path)
    extra = dict(recs[0], id="f-m9")
    _write_jsonl(recs_path, [*recs, extra])
    add_article(new, "another-fictional-article", "Another fictional text.\n")
    rehash(new)

    d = cc.diff(old, new)
    added = rows_of(d, change="added")
    assert sorted(zip(added["entity"], added["id"])) == [("annotation", "f-m9"), ("article", "another-fictional-article")]
    assert rows_of(d, id="f-m9")["layer"].tolist() == ["mention"]
    assert rows_of(d, id="f-m9")["article_id"].tolist() == [FICTION_ID]
    assert d.implied_bump == "minor"
    assert actual_columns(d.frame) == documented_columns(cc.diff)


def test_removed_and_changed_annotations_per_layer_and_attribute(old_new: tuple[Path, Path]) -> None:
    old, new = old_new
    recs_path = new / "annotations" / "records" / f"{FICTION_ID}.jsonl"
    recs = {r["id"]: r for r in _jsonl(recs_path)}
    del recs["f-c3"]  # a claim removed
    recs["f-s1"]["polarity"] = "against"  # a stance attribute changed
    recs["f-t1"]["cameo"] = "138"  # a threat attribute changed
    recs["f-t1"]["explicitness"] = "implicit"
    _write_jsonl(recs_path, list(recs.values()))
    rehash(new)

    d = cc.diff(old, new)
    assert rows_of(d, change="removed")[["entity", "id", "layer"]].values.tolist() == [["annotation", "f-c3", "claim"]]
    changed = rows_of(d, change="changed")
    got = sorted(zip(changed["id"], changed["layer"], changed["field"], changed["old"], changed["new"]))
    assert got == [
        ("f-s1", "stance", "polarity", "favor", "against"),
        ("f-t1", "threat", "cameo", "1381", "138"),
        ("f-t1", "threat", "explicitness", "explicit", "implicit"),
    ]
    assert d.implied_bump == "major"
    report = d.report()
    assert "claim: 0 added, 1 removed, 0 changed" in report
    assert "threat: 0 added, 0 removed, 1 changed (changed attributes: cameo: 1, explicitness: 1)" in report
    assert "f-s1: polarity: 'favor' -> 'against'" in report


def test_merged_removed_and_added_actors(old_new: tuple[Path, Path]) -> None:
    old, new = old_new
    actors_path = new / "annotations" / "actors.jsonl"
    actors = {a["actor_id"]: a for a in _jsonl(actors_path)}
    # kesa-rimm disappears; all her names become aliases of a new actor: a merge.
    merged = dict(actors.pop("kesa-rimm"), actor_id="k-rimm", aliases=["Kesa Rimm", "K. Rimm"])
    actors["k-rimm"] = merged
    actors["ostrel"]["notes"] = "fictional; note changed"
    actors["new-body"] = {"actor_id": "new-body", "name": "A fictional body", "kind": "organisation", "aliases": [],
                          "role": "", "affiliation": "", "country": "", "notes": "fictional"}
    _write_jsonl(actors_path, list(actors.values()))
    recs_path = new / "annotations" / "records" / f"{FICTION_ID}.jsonl"
    recs = _jsonl(recs_path)
    for r in recs:
        for key in ("actor", "holder", "speaker", "target"):
            if r.get(key) == "kesa-rimm":
                r[key] = "k-rimm"
    _write_jsonl(recs_path, recs)
    rehash(new)
    assert cc.load(new).version == "1.0.0"  # the fictional new release is itself valid

    d = cc.diff(old, new)
    assert rows_of(d, entity="actor", change="merged")[["id", "new"]].values.tolist() == [["kesa-rimm", "k-rimm"]]
    assert sorted(rows_of(d, entity="actor", change="added")["id"]) == ["k-rimm", "new-body"]
    assert rows_of(d, entity="actor", change="changed")[["id", "field"]].values.tolist() == [["ostrel", "notes"]]
    # records now pointing at the merged actor are changed annotations (attribute actor / holder)
    fields = set(rows_of(d, entity="annotation", change="changed")["field"])
    assert fields == {"actor", "holder"}
    assert "kesa-rimm merged into k-rimm" in d.report()
    assert d.implied_bump == "major"

    # Without her names surviving anywhere it is a removal, not a merge. Records still point at
    # k-rimm, so this release would not validate; diff reads the raw files and does not need it to.
    actors.pop("k-rimm")
    _write_jsonl(actors_path, list(actors.values()))
    rehash(new)
    assert rows_of(cc.diff(old, new), entity="actor", id="kesa-rimm")["change"].tolist() == ["removed"]


def test_changed_text_metadata_and_files(release_copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(release_copy, old)
    text = release_copy / "corpus" / "texts" / f"{SEED_ID}.txt"
    text.write_bytes(text.read_bytes().replace(b"will not hav a", b"will not have a"))
    csv_path = release_copy / "corpus" / "articles.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(",commentary,", ",analysis,"), encoding="utf-8")
    schema = release_copy / "corpus" / "schema" / "article.schema.json"
    schema.write_bytes(schema.read_bytes() + b"\n")
    rehash(release_copy)

    d = cc.diff(old, release_copy)
    art = rows_of(d, entity="article", change="changed")
    assert sorted(art["field"]) == ["genre", "text"]
    assert rows_of(d, field="genre")[["old", "new"]].values.tolist() == [["commentary", "analysis"]]
    assert rows_of(d, field="text")["new"].tolist() == [hashlib.sha256(text.read_bytes()).hexdigest()]
    assert ["corpus/schema/article.schema.json", "changed"] in rows_of(d, entity="file")[["id", "change"]].values.tolist()
    assert d.implied_bump == "major"
    assert f"{SEED_ID}: genre: 'commentary' -> 'analysis'" in d.report()


def test_metadata_only_change_is_a_patch(release_copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(release_copy, old)
    csv_path = release_copy / "corpus" / "articles.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(",commentary,", ",analysis,"), encoding="utf-8")
    rehash(release_copy)
    assert cc.diff(old, release_copy).implied_bump == "patch"


def test_release_without_annotations_against_one_with_them(tmp_path: Path) -> None:
    old = write_release(tmp_path / "old", actors=[], records={})
    new = write_release(tmp_path / "new")
    assert not (old / "annotations").exists()
    d = cc.diff(old, new)
    n_records = sum(len(_jsonl(p)) for p in (new / "annotations" / "records").glob("*.jsonl"))
    assert d.count("annotation", "added") == n_records > 0
    assert d.count("actor", "added") == len(_jsonl(new / "annotations" / "actors.jsonl"))
    assert d.implied_bump == "minor"
    assert cc.diff(new, old).implied_bump == "major"  # taking annotations away


def test_diff_refuses_a_tampered_release(old_new: tuple[Path, Path]) -> None:
    old, new = old_new
    p = new / "annotations" / "actors.jsonl"
    p.write_bytes(p.read_bytes() + b"\n")
    with pytest.raises(cc.CorpusIntegrityError, match="actors.jsonl"):
        cc.diff(old, new)


def test_cli_diff_prints_the_report(old_new: tuple[Path, Path]) -> None:
    old, new = old_new
    add_article(new, "another-fictional-article", "Another fictional text.\n")
    rehash(new)
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "diff", str(old), str(new)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout == cc.diff(old, new).report()
    assert "Articles: 1 added, 0 removed, 0 changed" in out.stdout
    assert "+ another-fictional-article" in out.stdout


def test_diff_accepts_loaded_corpora() -> None:
    d = cc.diff(cc.load(), cc.load(REPO))
    assert d.old_fingerprint == d.new_fingerprint == cc.load().fingerprint
