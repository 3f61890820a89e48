"""Suggestions in a session: stored apart from records, accepted (as the person's record, through the
one writer) or rejected, never in a release's data unless accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.authoring.suggestions import SUGGESTIONS_DIR, accept_all, read_store, store_path
from caucasus_corpus.release import release, validate
from caucasus_corpus.suggest import RULESET
from support import FICTION_ID, write_release

TEXT = ("Varnia and Ostrel argue over a dam\n\n"
        '"The river is ours," said Pell Andor. The Ostrel water board claimed that the dam is legal.\n\n'
        "Kesa Rimm warned that Ostrel would face sanctions.\n")


@pytest.fixture
def session(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_release(tmp_path / "release", texts={FICTION_ID: TEXT}, records={FICTION_ID: []})
    return cc.annotate(root, FICTION_ID, annotator="aliyeva")


def claim_of(frame, text: str) -> str:  # type: ignore[no-untyped-def]
    (sid,) = frame[(frame["layer"] == "claim") & (frame["text"] == text)]["suggestion_id"]
    return str(sid)


def test_suggestions_are_stored_in_a_hidden_folder_outside_the_release_data(session) -> None:  # type: ignore[no-untyped-def]
    before = cc.load(session.root).fingerprint
    found = session.suggest()
    assert set(found["layer"]) == {"mention", "claim", "threat"}
    stored = session.root / store_path(FICTION_ID)
    assert stored.parent.name == SUGGESTIONS_DIR and stored.is_file()
    assert len(stored.read_text(encoding="utf-8").splitlines()) == len(found)
    corpus = cc.load(session.root)
    assert corpus.fingerprint == before and len(corpus.claims) == 0 and len(corpus.mentions) == 0
    manifest = json.loads((session.root / "datapackage.json").read_text(encoding="utf-8"))
    assert not [r for r in manifest["resources"] if SUGGESTIONS_DIR in r["path"]]
    assert validate(session.root) == []


def test_a_release_of_the_seed_copy_leaves_the_suggestions_out(release_copy: Path) -> None:
    import importlib.util
    import shutil

    from support import REPO, SEED_ID

    shutil.copy2(REPO / "CHANGELOG.md", release_copy / "CHANGELOG.md")
    spec = importlib.util.spec_from_file_location("update_datacard", REPO / "scripts" / "update_datacard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(release_copy)]) == 0
    gold = cc.load(release_copy).annotations
    session = cc.annotate(release_copy, SEED_ID, annotator="aliyeva")
    found = session.suggest()
    assert len(found) > 0 and (release_copy / store_path(SEED_ID)).is_file()
    release(release_copy, bump="patch")
    manifest = json.loads((release_copy / "datapackage.json").read_text(encoding="utf-8"))
    assert not [r for r in manifest["resources"] if SUGGESTIONS_DIR in r["path"]]
    loaded = cc.load(release_copy)
    assert loaded.annotations["id"].tolist() == gold["id"].tolist()
    assert RULESET not in set(loaded.annotations["annotator"])
    assert (release_copy / store_path(SEED_ID)).is_file()  # kept for the annotator, outside the data


def test_accept_saves_the_persons_record_and_rerunning_does_not_propose_it_again(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    sid = claim_of(found, "The river is ours")
    rid = session.accept(sid)
    rec = session.record(rid)
    assert (rec["layer"], rec["text"], rec["speaker"], rec["attribution"], rec["annotator"]) == (
        "claim", "The river is ours", "pell-andor", "direct", "aliyeva")
    assert rec["cue"]["text"] == "said"
    again = session.suggest()
    assert sid not in set(again["suggestion_id"]) and len(again) == len(found) - 1
    assert {s["suggestion_id"]: s["status"] for s in read_store(session)}[sid] == "accepted"
    with pytest.raises(ValueError, match=f"already accepted by aliyeva \\(record {rid}\\)"):
        session.accept(sid)


def test_an_unknown_speaker_must_be_fixed_before_accepting(session) -> None:  # type: ignore[no-untyped-def]
    sid = claim_of(session.suggest(), "the dam is legal")
    with pytest.raises(ValueError, match="'The Ostrel water board' is not an actor of the registry; give speaker="):
        session.accept(sid)
    assert session.record_list() == []  # nothing saved
    session.add_actor("ostrel-water-board", name="Ostrel water board", kind="organisation", aliases=["Ostrel water board"])
    rid = session.accept(sid, speaker="Ostrel water board", claim_type="evaluation")
    rec = session.record(rid)
    assert (rec["speaker"], rec["claim_type"], rec["annotator"]) == ("ostrel-water-board", "evaluation", "aliyeva")


def test_a_fixed_span_is_saved_and_hides_the_suggestion(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    sid = claim_of(found, "Ostrel would face sanctions")
    rid = session.accept(sid, quote="would face sanctions")
    assert session.record(rid)["text"] == "would face sanctions"
    assert sid not in set(session.suggest()["suggestion_id"])


def test_reject_is_kept_across_runs(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    sid = str(found[found["layer"] == "threat"]["suggestion_id"].iloc[0])
    assert session.reject(sid) == sid
    assert sid not in set(session.suggest()["suggestion_id"])
    assert session.record_list() == []
    with pytest.raises(KeyError, match="unknown open suggestion"):
        session.reject("c-000000000000")


def test_accept_all_of_a_layer_is_one_commit_and_refuses_before_saving_anything(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    mentions = found[found["layer"] == "mention"]["suggestion_id"].tolist()
    ids = accept_all(session, mentions)
    assert len(ids) == len(mentions) and {r["layer"] for r in session.record_list()} == {"mention"}
    claims = found[found["layer"] == "claim"]["suggestion_id"].tolist()  # one has an unknown speaker
    with pytest.raises(ValueError, match="not an actor of the registry"):
        accept_all(session, claims)
    assert {r["layer"] for r in session.record_list()} == {"mention"}


def test_suggestions_of_other_layers_survive_a_run_for_one_layer(session) -> None:  # type: ignore[no-untyped-def]
    everything = session.suggest()
    only_mentions = session.suggest(layers=("mention",))
    assert set(only_mentions["layer"]) == {"mention"}
    assert len(read_store(session)) == len(everything)


def test_a_threat_accepted_unchanged_is_a_valid_record(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    threat = found[found["layer"] == "threat"].iloc[0]
    rid = session.accept(threat["suggestion_id"])
    rec = session.record(rid)
    assert (rec["layer"], rec["speaker"], rec["target"], rec["cameo"], rec["explicitness"], rec["annotator"]) == (
        "threat", "kesa-rimm", "ostrel", "1312", "implicit", "aliyeva")
    assert validate(session.root) == []


def test_a_damaged_store_is_an_error_naming_the_file_line_and_fix(session) -> None:  # type: ignore[no-untyped-def]
    session.suggest()
    path = session.root / store_path(FICTION_ID)
    path.write_text(path.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(cc.errors.CorpusFormatError, match=rf"{SUGGESTIONS_DIR}/{FICTION_ID}.jsonl:{lines}: .*delete the file"):
        session.suggest()
    assert session.record_list() == []


def test_two_sessions_deciding_at_once_keep_every_decision(session) -> None:  # type: ignore[no-untyped-def]
    # A read-modify-write outside the lock lost decisions here in about one run of three (checked by hand).
    # The store is read and written in one transaction, so none is ever lost.
    import threading

    ids = session.suggest()["suggestion_id"].tolist()
    other = cc.annotate(session.root, FICTION_ID, annotator="rimm")
    halves = {session: ids[0::2], other: ids[1::2]}
    errors: list[BaseException] = []

    def work(s, mine) -> None:  # type: ignore[no-untyped-def]
        try:
            for sid in mine:
                s.reject(sid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=item) for item in halves.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    status = {s["suggestion_id"]: (s["status"], s["decided_by"]) for s in read_store(session)}
    assert status == {sid: ("rejected", "aliyeva" if sid in halves[session] else "rimm") for sid in ids}
