"""`caucasus-corpus release`: bump, validation gate, changelog, atomic writes; old releases load."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus import release as rel
from caucasus_corpus.release import bump_version, rehash, release, update_changelog

from support import REPO, SEED_ID

NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)  # a fixed clock for the tests only


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def checkout(release_copy: Path) -> Path:
    """A release copy with the repository's changelog, as a maintainer's checkout has, and its
    data card up to date (test_datacard checks the real card; these tests check releasing)."""
    shutil.copy2(REPO / "CHANGELOG.md", release_copy / "CHANGELOG.md")
    refresh_datacard(release_copy)
    rehash(release_copy)
    return release_copy


def add_article(root: Path, article_id: str, text: str) -> None:
    (root / "corpus" / "texts" / f"{article_id}.txt").write_text(text, encoding="utf-8", newline="")
    table = root / "corpus" / "articles.csv"
    extra = "," * (table.read_text(encoding="utf-8").split("\n", 1)[0].count(",") - 11)  # any columns after notes
    with open(table, "a", encoding="utf-8", newline="") as f:
        f.write(f"{article_id},corpus/texts/{article_id}.txt,A fictional title,,,,,en,,,,fictional test text{extra}\n")


def change_seed_text(root: Path) -> None:
    """Append a line end to the seed's text (annotation offsets stay valid), with its text_sha256."""
    import hashlib

    text = root / "corpus" / "texts" / f"{SEED_ID}.txt"
    old = hashlib.sha256(text.read_bytes()).hexdigest()
    text.write_bytes(text.read_bytes() + b"\n")
    table = root / "corpus" / "articles.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(old, hashlib.sha256(text.read_bytes()).hexdigest()), encoding="utf-8")


def refresh_datacard(root: Path) -> None:
    """Run the maintainer script that regenerates the data card's counts (as before a real release)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("update_datacard", REPO / "scripts" / "update_datacard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(root)]) == 0


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("version", "part", "expected"), [
    ("1.0.0", "patch", "1.0.1"), ("1.0.9", "minor", "1.1.0"), ("1.4.2", "major", "2.0.0"), ("0.9.0", "minor", "0.10.0"),
])
def test_bump_version(version: str, part: str, expected: str) -> None:
    assert bump_version(version, part) == expected


def test_bump_rejects_bad_part_and_bad_version() -> None:
    with pytest.raises(ValueError, match="'major', 'minor', 'patch'"):
        bump_version("1.0.0", "huge")
    with pytest.raises(cc.CorpusFormatError, match="MAJOR.MINOR.PATCH"):
        bump_version("1.0", "minor")


def test_cli_release_bumps_version_updates_changelog_prints_fingerprint(checkout: Path) -> None:
    was = cc.load(checkout).version
    out = run("release", "--bump", "minor", str(checkout))
    assert out.returncode == 0, out.stdout + out.stderr
    corpus = cc.load(checkout)
    new = bump_version(was, "minor")
    assert corpus.version == new and new.split(".")[1] == str(int(was.split(".")[1]) + 1)
    assert f"fingerprint  {corpus.fingerprint}" in out.stdout
    assert f"released data version {new} (was {was})" in out.stdout
    manifest = json.loads((checkout / "datapackage.json").read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created"])
    log = (checkout / "CHANGELOG.md").read_text()
    data = log.split("## Data", 1)[1].split("\n## ", 1)[0]
    assert f"### {new} ({manifest['created'][:10]})" in data
    assert f"- Fingerprint: `{corpus.fingerprint}`" in data
    assert data.index(f"### {new}") < data.index(f"### {was}") < data.index("### 1.0.0")  # newest first
    assert "## Code" in log  # the rest of the changelog is kept
    assert cc.release.validate(checkout) == []


def test_release_records_added_files_and_hand_written_notes(checkout: Path) -> None:
    log = checkout / "CHANGELOG.md"
    text = log.read_text()
    if "### Unreleased\n" in text:  # the checkout's own notes for the next data release
        text = text.replace("### Unreleased\n", "", 1)
    log.write_text(text.replace("## Data\n", "## Data\n\n### Unreleased\n- Added a fictional article.\n", 1))
    new = bump_version(cc.load(checkout).version, "minor")
    add_article(checkout, "a-fictional-article", "A fictional text.\n")
    refresh_datacard(checkout)  # the card counts articles, so it must be regenerated first
    result = release(checkout, bump="minor", now=NOW)
    text = log.read_text()
    entry = text.split(f"### {new} (2030-01-02)\n", 1)[1].split("\n### ", 1)[0]
    assert entry.splitlines()[0] == "- Added a fictional article."
    added = next(ln for ln in entry.splitlines() if ln.startswith("- Data files added: "))
    assert "`corpus/texts/a-fictional-article.txt`" in added
    assert "corpus/articles.csv" in entry and "corpus/README.md" in entry
    assert "### Unreleased" not in text.split("## Data", 1)[1]
    assert result.warnings == ()
    assert cc.load(checkout).version == new and "a-fictional-article" in cc.load(checkout).article_ids


def test_release_refuses_an_invalid_corpus_and_writes_nothing(checkout: Path) -> None:
    csv_path = checkout / "corpus" / "articles.csv"
    csv_path.write_text(csv_path.read_text().replace(f"\n{SEED_ID},", "\nBad Id,", 1))
    before = snapshot(checkout)
    out = run("release", "--bump", "patch", str(checkout))
    assert out.returncode == 1
    assert "corpus/articles.csv:2: article_id: 'Bad Id' does not match" in out.stdout
    assert "nothing was released" in out.stderr
    assert snapshot(checkout) == before  # not even a temp file left behind


def test_release_refuses_a_stale_data_card(checkout: Path) -> None:
    add_article(checkout, "a-fictional-article", "A fictional text.\n")
    before = snapshot(checkout)
    with pytest.raises(cc.CorpusValidationError, match="update_datacard"):
        release(checkout, bump="minor", now=NOW)
    assert snapshot(checkout) == before


def test_release_warns_when_the_bump_is_too_small(checkout: Path) -> None:
    change_seed_text(checkout)
    refresh_datacard(checkout)
    warnings: list[str] = []
    was = json.loads((checkout / "datapackage.json").read_text())["version"]  # the text changed: load() would refuse
    result = release(checkout, bump="patch", now=NOW, warn=warnings.append)
    assert result.version == bump_version(was, "patch")  # warned, not refused
    assert len(warnings) == 1 and "need major" in warnings[0] and f"{SEED_ID}.txt changed" in warnings[0]


def test_release_against_previous_folder_uses_the_exact_diff(checkout: Path, tmp_path: Path) -> None:
    previous = tmp_path / "previous"
    shutil.copytree(checkout, previous)
    csv_path = checkout / "corpus" / "articles.csv"
    csv_path.write_text(csv_path.read_text().replace(",commentary,", ",analysis,"))
    refresh_datacard(checkout)
    rehash(checkout)  # the manifest's hashes no longer show the change; the diff still does
    warnings: list[str] = []
    release(checkout, bump="patch", against=previous, now=NOW, warn=warnings.append)
    assert warnings == []
    release(checkout, bump="patch", now=NOW, warn=warnings.append)
    assert warnings == []
    change_seed_text(checkout)
    refresh_datacard(checkout)
    rehash(checkout)
    release(checkout, bump="minor", against=previous, now=NOW, warn=warnings.append)
    assert len(warnings) == 1 and "need major" in warnings[0]


@pytest.mark.parametrize("fail_on", ["plan.json", "CHANGELOG.md", "datapackage.json"])
def test_interrupted_release_leaves_the_old_or_the_new_release_never_a_mix(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, fail_on: str
) -> None:
    # plan.json is the commit point: interrupted there, nothing was released; interrupted while the
    # committed files are moved into place, the next open completes the release.
    from caucasus_corpus.release import commit

    before_corpus = cc.load(checkout)
    before_version, before_fp = before_corpus.version, before_corpus.fingerprint
    new = bump_version(before_version, "minor")
    before = {p: p.read_bytes() for p in (checkout / "datapackage.json", checkout / "CHANGELOG.md")}
    real_replace = os.replace

    def crash(src: str, dst: str) -> None:
        if Path(dst).name == fail_on:
            raise KeyboardInterrupt("simulated interruption")
        real_replace(src, dst)

    monkeypatch.setattr(commit.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        release(checkout, bump="minor", now=NOW)
    monkeypatch.undo()
    corpus = cc.load(checkout)  # finishes or throws away what the interrupted release left
    assert not (checkout / commit.TXN_DIR).exists()
    assert not [p for p in checkout.rglob("*.tmp")]  # temp files are cleaned up
    log = (checkout / "CHANGELOG.md").read_text()
    if fail_on == "plan.json":
        assert (corpus.version, corpus.fingerprint) == (before_version, before_fp)
        assert all(p.read_bytes() == data for p, data in before.items())
        release(checkout, bump="minor", now=NOW)  # retrying gives one entry, not two
        log = (checkout / "CHANGELOG.md").read_text()
        corpus = cc.load(checkout)
    assert corpus.version == new
    assert log.count(f"### {new} (2030-01-02)") == 1
    entry = log.split(f"### {new} (2030-01-02)\n", 1)[1].split("\n### ", 1)[0]
    assert entry.count("- Fingerprint: ") == 1
    assert f"- Fingerprint: `{corpus.fingerprint}`" in log  # changelog and manifest agree


def test_update_changelog_inserts_before_older_entries_and_needs_a_data_section() -> None:
    text = "# C\n\n## Data\n\n### 1.0.0 (unreleased)\n- First.\n\n## Code\n- x\n"
    out = update_changelog(text, version="1.0.1", fingerprint="a" * 64, day=date(2030, 1, 2),
                           changes={"added": [], "removed": [], "changed": ["corpus/articles.csv"]})
    assert out.startswith("# C\n\n## Data\n\n### 1.0.1 (2030-01-02)\n- Fingerprint: `" + "a" * 64 + "`\n"
                          "- Data files changed: `corpus/articles.csv`\n\n### 1.0.0 (unreleased)\n- First.\n")
    with pytest.raises(cc.CorpusFormatError, match="## Data"):
        update_changelog("# C\n", version="1.0.1", fingerprint="a" * 64, day=date(2030, 1, 2),
                         changes={"added": [], "removed": [], "changed": []})


def test_release_needs_a_changelog(release_copy: Path) -> None:
    with pytest.raises(cc.CorpusError, match="no changelog"):
        release(release_copy, bump="patch", now=NOW)


# -- older releases ------------------------------------------------------------------------------

@pytest.fixture
def old_release(tmp_path: Path) -> Path:
    """A release as an older version shipped it: 0.9.0, no data card, no annotations, no ``created``,
    and resources written without Frictionless types (as the first manifests were)."""
    root = tmp_path / "old-0.9.0"
    root.mkdir()
    shutil.copytree(REPO / "corpus", root / "corpus", ignore=shutil.ignore_patterns("README.md"))
    desc = rel.build_descriptor(root, base={"name": "caucasus-corpus", "title": "caucasus-corpus"}, version="0.9.0")
    for res in desc["resources"]:
        if res.get("type") != "table":
            res.pop("type", None)
            res.pop("format", None)
    (root / "datapackage.json").write_text(rel.manifest_json(desc), encoding="utf-8")
    return root


def test_an_older_release_loads_and_reports_its_version(old_release: Path) -> None:
    corpus = cc.load(old_release)
    assert corpus.version == "0.9.0"
    assert corpus.text(SEED_ID) == cc.load().text(SEED_ID)
    assert cc.release.validate(old_release) == []
    out = run("info", str(old_release))
    assert out.returncode == 0 and "data version 0.9.0" in out.stdout
    assert "Version 0.9.0" in corpus.cite(style="apa")


def test_diff_between_an_older_release_and_this_one(old_release: Path) -> None:
    d = cc.diff(old_release, REPO)
    assert (d.old_version, d.new_version) == ("0.9.0", cc.load().version)
    added_files = set(d.frame.query("entity == 'file' and change == 'added'")["id"])
    assert "corpus/README.md" in added_files
    assert d.frame.query("entity == 'article'").empty  # same articles and texts
    assert "data version 0.9.0 -> " in d.report()
