"""The one record writer: validated, deterministic, committed with the manifest as a working copy."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.authoring import record_lines, save
from caucasus_corpus.release import release
from support import FICTION_ID, REPO, SEED_ID, fiction_records


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".caucasus-corpus")}


def manifest(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def test_the_seed_decisions_made_through_the_annotation_api_equal_the_bundled_records(release_copy: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("annotate_seed", REPO / "scripts" / "annotate_seed.py")
    seed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seed)
    records = seed.build_records()  # made by cc.annotate in a scratch copy
    bundled = [json.loads(line) for line in (REPO / "annotations" / "records" / f"{SEED_ID}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(records, key=lambda r: r["id"]) == sorted(bundled, key=lambda r: r["id"])
    assert seed.stale_files(records) == []
    save(release_copy, records={SEED_ID: records}, actors=seed.ACTORS, topics=seed.topics())
    assert cc.load(release_copy).annotations["id"].tolist() == cc.load(REPO).annotations["id"].tolist()


def test_records_are_written_in_a_deterministic_order() -> None:
    recs = fiction_records()
    shuffled = recs[:]
    random.Random(7).shuffle(shuffled)
    assert record_lines(shuffled) == record_lines(recs)
    starts = [json.loads(line)["start"] for line in record_lines(shuffled).splitlines()]
    assert starts == sorted(starts)


def test_a_save_makes_a_working_copy_that_loads_and_says_it_is_unreleased(fiction: Path) -> None:
    released = manifest(fiction)
    recs = fiction_records()
    recs[0]["note"] = "checked twice"
    checked = save(fiction, records={FICTION_ID: recs})
    assert checked.problems == []
    after = manifest(fiction)
    assert after["version"] == "1.0.0+dev"
    assert "created" not in after
    last = after["last_release"]
    assert last["version"] == "1.0.0"
    assert last["hashes"] == {r["path"]: r["hash"].removeprefix("sha256:") for r in released["resources"]}
    corpus = cc.load(fiction)
    assert corpus.version == "1.0.0+dev"
    assert corpus.mentions.set_index("id").loc["f-m1", "note"] == "checked twice"
    assert "Unreleased working copy, edited since data version 1.0.0" in corpus.cite(style="apa")
    assert cc.release.validate(fiction) == []
    # A second save keeps the first release as the baseline.
    recs[1]["note"] = "and again"
    save(fiction, records={FICTION_ID: recs})
    assert manifest(fiction)["last_release"] == last


def test_release_measures_changes_since_the_last_release_and_ends_the_working_copy(fiction: Path) -> None:
    (fiction / "CHANGELOG.md").write_text("# Changes\n\n## Data\n\n### Unreleased\n- A note.\n", encoding="utf-8")
    recs = fiction_records()
    recs[0]["note"] = "first edit"
    save(fiction, records={FICTION_ID: recs})
    recs[0]["note"] = "second edit"
    save(fiction, records={FICTION_ID: recs})
    result = release(fiction, bump="minor")
    assert (result.old_version, result.version) == ("1.0.0", "1.1.0")
    assert result.changes["changed"] == [f"annotations/records/{FICTION_ID}.jsonl"]
    after = manifest(fiction)
    assert after["version"] == "1.1.0" and "last_release" not in after and "created" in after
    assert f"- Fingerprint: `{cc.load(fiction).fingerprint}`" in (fiction / "CHANGELOG.md").read_text()


@pytest.mark.parametrize("change", ["unknown speaker", "text drift", "record of another article"])
def test_a_save_that_would_not_load_writes_nothing(fiction: Path, change: str) -> None:
    recs = fiction_records()
    if change == "unknown speaker":
        recs[4]["speaker"] = "nobody"
    elif change == "text drift":
        recs[0]["start"] += 1
    else:
        recs[0]["article_id"] = "another-article"
    before = tree_hashes(fiction)
    with pytest.raises(cc.CorpusValidationError) as info:
        save(fiction, records={FICTION_ID: recs})
    assert any(f"annotations/records/{FICTION_ID}.jsonl:" in p for p in info.value.problems), info.value.problems
    assert tree_hashes(fiction) == before
    assert not (fiction / ".caucasus-corpus-txn").exists()


def test_a_new_actor_and_its_records_are_saved_in_one_commit(fiction: Path) -> None:
    actors = json.loads("[" + ",".join((fiction / "annotations" / "actors.jsonl").read_text().splitlines()) + "]")
    actors.append({"actor_id": "dam-builders", "name": "the dam builders", "kind": "group", "aliases": [],
                   "role": "", "affiliation": "ostrel", "country": "", "notes": "fictional"})
    recs = fiction_records()
    recs.append({**recs[6], "id": "f-c4", "speaker": "dam-builders"})
    with pytest.raises(cc.CorpusValidationError):  # the record alone names an actor that does not exist
        save(fiction, records={FICTION_ID: recs})
    save(fiction, records={FICTION_ID: recs}, actors=actors)
    corpus = cc.load(fiction)
    assert corpus.claims.set_index("id").loc["f-c4", "speaker"] == "dam-builders"
