"""Undo after accepting or rejecting suggestions (issue 27, item 3): ``session.undo()`` reverses the
last thing the person did. An undone reject makes the suggestion open again; an undone accept
deletes the record and offers the suggestion again; a record changed since is refused with
``ConcurrentEditError``. The text is invented (Varnia, Ostrel, Pell Andor, Kesa Rimm: fictional).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.authoring.suggestions import accept_all, read_store
from caucasus_corpus.errors import ConcurrentEditError
from caucasus_corpus.release import validate
from support import FICTION_ID, write_release

TEXT = ("Varnia and Ostrel argue over a dam\n\n"
        '"The river is ours," said Pell Andor. The Ostrel water board claimed that the dam is legal.\n\n'
        "Kesa Rimm warned that Ostrel would face sanctions.\n")


@pytest.fixture
def session(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_release(tmp_path / "release", texts={FICTION_ID: TEXT}, records={FICTION_ID: []})
    return cc.annotate(root, FICTION_ID, annotator="aliyeva")


def status(session) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {s["suggestion_id"]: s["status"] for s in read_store(session)}


def records_file(session) -> bytes:  # type: ignore[no-untyped-def]
    return (session.root / f"annotations/records/{FICTION_ID}.jsonl").read_bytes()


def mention_ids(found) -> list[str]:  # type: ignore[no-untyped-def]
    return found[found["layer"] == "mention"]["suggestion_id"].tolist()


def test_undo_after_reject_undoes_the_reject_not_the_accept_before_it(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    first, second = mention_ids(found)[:2]
    rid = session.accept(first)
    session.reject(second)
    done = session.undo()
    assert "reopened" in done and second in done
    assert status(session) == {**status(session), first: "accepted", second: "open"}
    assert rid in {r["id"] for r in session.record_list()}  # the accepted mention stays
    assert second in set(session.suggest()["suggestion_id"])  # offered again


def test_an_undone_accept_deletes_the_record_and_offers_the_suggestion_again(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    sid = mention_ids(found)[0]
    before = records_file(session)
    rid = session.accept(sid)
    assert session.undo() == f"deleted {rid} and reopened suggestion(s) {sid}"
    assert records_file(session) == before and status(session)[sid] == "open"
    assert sid in set(session.suggest()["suggestion_id"])
    assert not session.can_undo and validate(session.root) == []


def test_an_undone_accept_all_is_one_step(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    mentions = mention_ids(found)
    ids = accept_all(session, mentions)
    assert len(ids) == len(mentions) > 1
    session.undo()
    assert session.record_list() == [] and all(status(session)[s] == "open" for s in mentions)
    assert set(mentions) <= set(session.suggest()["suggestion_id"])


def test_undo_of_an_accept_refuses_when_the_record_was_changed_since(session) -> None:  # type: ignore[no-untyped-def]
    sid = mention_ids(session.suggest())[0]
    rid = session.accept(sid)
    cc.annotate(session.root, FICTION_ID, annotator="rimm").update(rid, note="checked by Rimm")
    before = (records_file(session), status(session))
    with pytest.raises(ConcurrentEditError, match=f"record {rid} .*changed by another writer \\(note\\)"):
        session.undo()
    assert (records_file(session), status(session)) == before
    assert not session.can_undo  # dropped: it can no longer be taken back as it was


def test_undo_of_a_reject_refuses_when_the_store_was_started_afresh(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    sid = mention_ids(found)[0]
    session.reject(sid)
    store = session.root / f".caucasus-corpus-suggestions/{FICTION_ID}.jsonl"
    rows = [json.loads(x) for x in store.read_text(encoding="utf-8").splitlines()]
    store.write_text("".join(json.dumps({**r, "status": "open"} if r["suggestion_id"] == sid else r) + "\n" for r in rows),
                     encoding="utf-8")
    with pytest.raises(ConcurrentEditError, match=f"suggestion {sid} is no longer rejected"):
        session.undo()


def test_record_changes_and_decisions_are_undone_in_the_order_they_were_made(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    first, second = mention_ids(found)[:2]
    rid = session.accept(first)
    session.update(rid, note="my note")
    session.reject(second)
    session.undo()  # the reject
    assert status(session)[second] == "open" and session.record(rid)["note"] == "my note"
    session.undo()  # the note
    assert "note" not in session.record(rid)
    session.undo()  # the accept
    assert session.record_list() == [] and status(session)[first] == "open"
