"""Label Studio out and in: tasks and config checked with label-studio-sdk, code-point offsets, refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from label_studio_sdk.label_interface import LabelInterface

import caucasus_corpus as cc
from caucasus_corpus.interop import import_annotations
from caucasus_corpus.interop.importing import ImportRefused
from caucasus_corpus.interop.labelstudio import to_labelstudio
from interop_support import (bundled_without_records, comparable, empty_release, release_bytes, text_and_records,
                             tricky_round_trip)
from support import FICTION_ID, REPO, SEED_ID, write_release

DATA = REPO / "tests" / "data" / "labelstudio"


def as_label_studio_export(folder: Path) -> Path:
    """Check config and tasks with label-studio-sdk, then make the JSON export Label Studio writes
    when one annotator accepts each task's prediction (the prediction's results become the annotation's)."""
    config = LabelInterface((folder / "config.xml").read_text(encoding="utf-8"))
    config.validate()
    tasks = json.loads((folder / "tasks.json").read_text(encoding="utf-8"))
    exported = []
    for n, task in enumerate(tasks, start=1):
        # (LabelInterface.validate_task of label-studio-sdk 2.1.2 fails on any task with predictions:
        # it calls validate_prediction() without the prediction; each object's data is checked here.)
        assert all(isinstance(task["data"].get(obj.value_name), str) for obj in config.objects)
        result = task.get("predictions", [{"result": []}])[0]["result"]
        if result:
            assert config.validate_prediction({"result": result}, return_errors=True) == []
        exported.append({"id": n, "data": task["data"], "predictions": [],
                         "annotations": [{"id": n, "completed_by": 1, "was_cancelled": False, "result": result}]})
    out = folder / "export.json"
    out.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    return out


def test_sdk_rejects_a_value_outside_the_config(tmp_path: Path, bundled) -> None:
    to_labelstudio(bundled, tmp_path / "ls")
    config = LabelInterface((tmp_path / "ls" / "config.xml").read_text(encoding="utf-8"))
    result = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))[0]["predictions"][0]["result"]
    assert config.validate_prediction({"result": result}, return_errors=True) == []
    polarity = next(r for r in result if r["from_name"] == "stance_polarity")
    polarity["value"]["choices"] = ["hostile"]
    assert config.validate_prediction({"result": result}, return_errors=True)


def test_bundled_release_round_trips(tmp_path: Path, bundled) -> None:
    to_labelstudio(bundled, tmp_path / "ls")
    export = as_label_studio_export(tmp_path / "ls")
    release = bundled_without_records(tmp_path / "release")
    report = import_annotations(release, export, format="labelstudio", annotator="annotator-1")
    assert len(report.added[SEED_ID]) == 192
    assert comparable(cc.load(release).annotations) == comparable(bundled.annotations)


@given(case=text_and_records())
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_tricky_texts_round_trip(tmp_path_factory: pytest.TempPathFactory, case) -> None:
    tricky_round_trip(tmp_path_factory.mktemp("labelstudio"), case, "labelstudio", as_label_studio_export)


def _fixture_release(tmp_path: Path) -> Path:
    task = json.loads((DATA / "export.json").read_text(encoding="utf-8"))[0]
    return empty_release(tmp_path / "r", {task["data"]["article_id"]: task["data"]["text"]})


def test_hand_made_export_imports_as_expected(tmp_path: Path) -> None:
    # As Label Studio 1.x exports JSON: random region ids, per-region choices sharing the region's
    # id, a relation to a Cue region, offsets in code points after an emoji, a cancelled annotation.
    release = _fixture_release(tmp_path)
    report = import_annotations(release, DATA / "export.json", format="labelstudio", annotator="kesa")
    assert len(report.added["varnia-emoji"]) == 3
    got = {r["layer"]: r for r in cc.load(release).annotations.to_dict("records")}
    assert (got["mention"]["start"], got["mention"]["end"], got["mention"]["text"]) == (15, 21, "Ostrel")
    claim = got["claim"]["attributes"]
    assert claim["cue"] == {"start": 23, "end": 27, "text": "said"} and claim["targets"] == ["ostrel"]
    assert claim["speaker"] == "pell-andor" and claim["note"] == "Reported speech."
    assert got["stance"]["attributes"] == {"holder": "pell-andor", "target": "ostrel", "polarity": "against"}


def test_utf16_offsets_unknown_label_and_two_annotators_are_refused(tmp_path: Path) -> None:
    release = _fixture_release(tmp_path)
    before = release_bytes(release)
    for name, expected in (("export-utf16.json", "offsets count UTF-16 code units"),
                           ("export-unknown-label.json", "labels ['Person'] cannot be mapped"),
                           ("export-two-annotators.json", "has 2 annotations (by 1, 2)")):
        with pytest.raises(ImportRefused) as info:
            import_annotations(release, DATA / name, format="labelstudio", annotator="kesa")
        assert expected in "\n".join(info.value.problems)
    assert release_bytes(release) == before


def test_missing_article_is_refused(tmp_path: Path) -> None:
    release = write_release(tmp_path / "r", records={FICTION_ID: []})
    with pytest.raises(ImportRefused, match="article 'varnia-emoji' is not in the release"):
        import_annotations(release, DATA / "export.json", format="labelstudio", annotator="kesa")
    shutil.rmtree(tmp_path / "r")


def test_our_own_tasks_file_is_not_taken_for_an_export(tmp_path: Path) -> None:
    release = write_release(tmp_path / "r")
    to_labelstudio(cc.load(release), tmp_path / "ls")
    with pytest.raises(ValueError, match="predictions but no annotations"):
        import_annotations(release, tmp_path / "ls" / "tasks.json", format="labelstudio", annotator="kesa")
