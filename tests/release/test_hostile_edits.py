"""Hostile audit 2 (issue 26, classes 5 and 6): no edit is lost, and the registry and the folders
under ``annotations/`` are checked like everything else. One test per case of the report
(``hostile-audit-2.md``: 3.2, 3.7, 3.11, 3.12, 4.2, 4.3, 4.5, 4.9), plus variants it does not list.

Every release here is the fictional one of ``tests/support.py`` (Varnia, Ostrel, Pell Andor:
invented); a hand-edited folder is re-hashed the way someone handing it over would.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import ConcurrentEditError, CorpusError, CorpusIntegrityError, CorpusValidationError
from caucasus_corpus.release import rehash, validate
from caucasus_corpus.release.commit import LOCK_NAME
from support import FICTION_ID, FICTION_TEXT, REPO

RECORDS = f"annotations/records/{FICTION_ID}.jsonl"
ACTORS = "annotations/actors.jsonl"
PAIR = ["ann-a", "ann-b"]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the folder (the lock file left out), to show that a refusal wrote nothing."""
    out = {}
    for here, _dirs, names in os.walk(root):
        for name in names:
            p = Path(here) / name
            if p.relative_to(root).as_posix() != LOCK_NAME:
                out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def on_disk(root: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, (root / RECORDS).read_text(encoding="utf-8").splitlines())}


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in validate(root)]


# -- 3.2: undo, update and delete never discard another writer's edit -----------------------------

def test_undo_refuses_to_restore_over_another_writers_later_edit(fiction: Path) -> None:  # 3.2
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    a.update("f-c1", claim_type="assertion")
    b = cc.annotate(fiction, FICTION_ID, annotator="ann-b")  # opened after A's edit, so B's is made on top of it
    b.update("f-c1", claim_type="prediction", note="B's fix")
    before = snapshot(fiction)
    with pytest.raises(ConcurrentEditError, match=r"f-c1.*changed.*claim_type, note"):
        a.undo()
    assert snapshot(fiction) == before
    assert on_disk(fiction)["f-c1"]["note"] == "B's fix"
    assert not a.can_undo  # the step that can no longer be taken back is dropped, and says so


def test_undo_of_a_new_record_refuses_when_another_writer_edited_it(fiction: Path) -> None:  # 3.2, second part
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    rid = a.mention(quote="Varnian foreign minister", actor="pell-andor", form="nominal")
    b = cc.annotate(fiction, FICTION_ID, annotator="ann-b")
    b.update(rid, note="checked by B")
    before = snapshot(fiction)
    with pytest.raises(ConcurrentEditError, match="nothing was saved"):
        a.undo()
    assert snapshot(fiction) == before and on_disk(fiction)[rid]["note"] == "checked by B"


def test_undo_refuses_when_another_writer_deleted_the_record(fiction: Path) -> None:  # variant
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    a.update("f-s1", note="mine")
    cc.annotate(fiction, FICTION_ID, annotator="ann-b").delete("f-s1")
    before = snapshot(fiction)
    with pytest.raises(ConcurrentEditError, match="f-s1.*deleted"):
        a.undo()
    assert snapshot(fiction) == before


@pytest.mark.parametrize("call", ["update", "delete"])
def test_update_and_delete_refuse_a_record_changed_since_the_session_read_it(fiction: Path, call: str) -> None:  # variant
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    cc.annotate(fiction, FICTION_ID, annotator="ann-b").update("f-c1", note="B's fix")
    before = snapshot(fiction)
    with pytest.raises(ConcurrentEditError, match="reload"):
        a.update("f-c1", claim_type="prediction") if call == "update" else a.delete("f-c1")
    assert snapshot(fiction) == before
    a.reload()  # seen the edit: now the change is made on top of it
    a.update("f-c1", claim_type="prediction") if call == "update" else a.delete("f-c1")
    if call == "update":
        assert (on_disk(fiction)["f-c1"]["claim_type"], on_disk(fiction)["f-c1"]["note"]) == ("prediction", "B's fix")
    else:
        assert "f-c1" not in on_disk(fiction)


def test_a_record_another_writer_added_is_not_changed_unseen(fiction: Path) -> None:  # variant
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    rid = cc.annotate(fiction, FICTION_ID, annotator="ann-b").mention(quote="Varnian foreign minister", actor="pell-andor", form="nominal")
    with pytest.raises(ConcurrentEditError, match="reload"):
        a.delete(rid)
    assert rid in on_disk(fiction)


def test_changes_to_other_records_do_not_block_undo_or_update(fiction: Path) -> None:  # what still works
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    b = cc.annotate(fiction, FICTION_ID, annotator="ann-b")
    a.update("f-c1", claim_type="assertion")
    b.update("f-c2", note="B's note")
    a.update("f-c3", note="A's note")  # another record, changed by nobody else
    a.undo()
    a.undo()
    disk = on_disk(fiction)
    assert disk["f-c1"]["claim_type"] == "evaluation" and "note" not in disk["f-c3"] and disk["f-c2"]["note"] == "B's note"
    assert validate(fiction) == []


def test_undo_of_an_added_actor_refuses_when_the_entry_was_changed(fiction: Path) -> None:  # variant
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    a.add_actor("mira-tell", name="Mira Tell", kind="person", notes="fictional")
    entries = [json.loads(x) for x in (fiction / ACTORS).read_text(encoding="utf-8").splitlines()]
    for e in entries:
        if e["actor_id"] == "mira-tell":
            e["notes"] = "someone's notes"
    (fiction / ACTORS).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    rehash(fiction)
    with pytest.raises(ConcurrentEditError, match="mira-tell"):
        a.undo()
    assert "someone's notes" in (fiction / ACTORS).read_text(encoding="utf-8")


def test_a_batch_still_undoes_its_own_records(fiction: Path) -> None:  # what still works
    a = cc.annotate(fiction, FICTION_ID, annotator="ann-a")
    with a.batch():
        rid = a.mention(quote="Varnian foreign minister", actor="pell-andor", form="nominal")
        a.update(rid, note="inside the batch")
    a.undo()
    assert "note" not in on_disk(fiction)[rid]
    a.undo()
    assert rid not in on_disk(fiction)


# -- 4.5: adjudication never deletes gold edited after it was read --------------------------------

def _two_claims(root: Path) -> cc.reliability.Adjudication:
    for n, ct in (("ann-a", "evaluation"), ("ann-b", "assertion")):
        cc.annotate(root, FICTION_ID, annotator=n, independent=True).claim(
            quote="threatens our farms", speaker="pell-andor", attribution="direct", claim_type=ct, cue="said")
    return cc.adjudicate(root, FICTION_ID, annotators=PAIR, adjudicator="judge")


def test_adjudication_refuses_to_replace_gold_edited_since_it_was_read(fiction: Path) -> None:  # 4.5
    adj = _two_claims(fiction)
    adj.choose(adj.disagreements[0].item_id, "ann-a", replaces=["f-c1"])
    cc.annotate(fiction, FICTION_ID, annotator="editor").update("f-c1", claim_type="demand", note="fix made meanwhile")
    before = snapshot(fiction)
    with pytest.raises(ConcurrentEditError, match=r"edited by another writer since this adjudication was read \(f-c1 changed\)"):
        adj.write()
    assert snapshot(fiction) == before and on_disk(fiction)["f-c1"]["note"] == "fix made meanwhile"


def test_adjudication_refuses_when_gold_to_replace_was_deleted(fiction: Path) -> None:  # variant (held before)
    adj = _two_claims(fiction)
    adj.reject(adj.disagreements[0].item_id, replaces=["f-c1"])
    cc.annotate(fiction, FICTION_ID, annotator="editor").delete("f-c1")
    before = snapshot(fiction)
    with pytest.raises(ConcurrentEditError, match="f-c1"):
        adj.write()
    assert snapshot(fiction) == before


def test_adjudication_still_replaces_unchanged_gold(fiction: Path) -> None:  # what still works
    adj = _two_claims(fiction)
    cc.annotate(fiction, FICTION_ID, annotator="editor").update("f-c2", note="another record")
    adj.choose(adj.disagreements[0].item_id, "ann-a", replaces=["f-c1"])
    [entry] = adj.write()
    assert entry["replaces"] == ["f-c1"] and "f-c1" not in on_disk(fiction) and on_disk(fiction)["f-c2"]["note"] == "another record"


def test_an_annotator_record_changed_meanwhile_is_still_refused(fiction: Path) -> None:  # 4.6 keeps holding
    adj = _two_claims(fiction)
    adj.choose(adj.disagreements[0].item_id, "ann-a")
    s = cc.annotate(fiction, FICTION_ID, annotator="ann-a", independent=True)
    s.update(s.record_list()[0]["id"], note="changed")
    before = snapshot(fiction)
    with pytest.raises(ConcurrentEditError):
        adj.write()
    assert snapshot(fiction) == before


# -- 3.11: an actor id is never another actor's name or alias ------------------------------------

@pytest.mark.parametrize(("actor_id", "name", "aliases", "expected"), [
    ("andor", "Andor Holdings", [], "actor id 'andor' is also an alias of pell-andor"),           # 3.11, first part
    ("x-impostor", "pell-andor", [], "name 'pell-andor' is the actor id of pell-andor"),          # 3.11, second part
    ("x-impostor", "Impostor", ["Impostor Co", "PELL-ANDOR"], "alias 'PELL-ANDOR' is the actor id of pell-andor"),  # variant: any case
    ("p-andor", "P Andor", ["Kesa-Rimm"], "alias 'Kesa-Rimm' is the actor id of kesa-rimm"),       # variant
])
def test_an_actor_id_that_collides_with_another_actors_name_or_alias_is_refused(
        fiction: Path, actor_id: str, name: str, aliases: list[str], expected: str) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="eve")
    before = snapshot(fiction)
    with pytest.raises(CorpusValidationError, match=expected):
        s.add_actor(actor_id, name=name, kind="organisation", aliases=aliases)
    assert snapshot(fiction) == before


def test_a_hand_edited_registry_with_a_collision_does_not_load(fiction: Path) -> None:  # 3.11 through a handed-over folder
    with open(fiction / ACTORS, "a", encoding="utf-8") as f:
        f.write(json.dumps({"actor_id": "andor", "name": "Andor Holdings", "kind": "organisation", "aliases": [],
                            "role": "", "affiliation": "", "country": "", "notes": "fictional"}) + "\n")
    rehash(fiction)
    [problem] = problems_of(fiction)
    assert problem.startswith(f"{ACTORS}:7: actor/andor: actor id 'andor' is also an alias of pell-andor")
    assert "resolve" in problem  # says why it matters
    with pytest.raises(CorpusValidationError, match="also an alias of pell-andor"):
        cc.load(fiction)


def test_an_actor_named_after_its_own_id_is_no_collision(fiction: Path) -> None:  # what still works
    s = cc.annotate(fiction, FICTION_ID, annotator="eve")
    s.add_actor("mira", name="Mira", kind="person", aliases=["MIRA"])
    s.add_actor("mira-tell", name="Mira Tell", kind="person", aliases=["Mira-Tell-Son"])
    c = cc.load(fiction)
    assert [c.resolve_actor(q) for q in ("mira", "Mira", "mira-tell", "Mira Tell")] == ["mira", "mira", "mira-tell", "mira-tell"]


# -- 4.2: every file under annotations/ is parsed by a reader, or reported ------------------------

UNPARSED = [
    f"annotations/annotators/ann-a/sub/{FICTION_ID}.jsonl",  # 4.2 (the report's variants)
    "annotations/annotators/ann-a/notes.json",
    "annotations/records/readme.txt",
    "annotations/adjudication/x.json",
    f"annotations/adjudication/sub/{FICTION_ID}.jsonl",      # variants it does not list
    f"annotations/annotators/{FICTION_ID}.jsonl",
    f"annotations/records/sub/{FICTION_ID}.jsonl",
    "annotations/schema/notes.json",
    "annotations/schema/sub/extra.schema.json",
    "annotations/README.md",
    "annotations/actors.jsonl.bak",
]


@pytest.mark.parametrize("path", UNPARSED)
def test_a_listed_file_no_reader_parses_is_reported_like_an_unlisted_file(fiction: Path, path: str) -> None:
    cc.annotate(fiction, FICTION_ID, annotator="ann-a", independent=True).mention(quote="Pell Andor", actor="pell-andor", form="name")
    (fiction / path).parent.mkdir(parents=True, exist_ok=True)
    (fiction / path).write_text('{"garbage": true}\nnot json\n', encoding="utf-8")
    rehash(fiction)
    [problem] = problems_of(fiction)
    assert problem.startswith(f"{path}: is listed in datapackage.json but no reader parses it")
    with pytest.raises(CorpusValidationError, match="no reader parses it"):
        cc.load(fiction)


def test_the_files_every_reader_parses_and_the_guidelines_are_not_reported(fiction: Path) -> None:
    adj = _two_claims(fiction)
    adj.choose(adj.disagreements[0].item_id, "ann-a")
    adj.write()
    shutil.copy2(REPO / "annotations" / "GUIDELINES.md", fiction / "annotations" / "GUIDELINES.md")
    rehash(fiction)
    assert validate(fiction) == []
    assert validate() == []  # the bundled release


# -- 4.3: an annotator folder that is not a slug says so --------------------------------------------

@pytest.mark.parametrize("folder", ["Ann A", "ANN-A", "ann_a"])
def test_an_annotator_folder_that_is_not_a_slug_says_not_a_slug(fiction: Path, folder: str) -> None:
    cc.annotate(fiction, FICTION_ID, annotator="ann-a", independent=True).mention(quote="Pell Andor", actor="pell-andor", form="name")
    shutil.copytree(fiction / "annotations/annotators/ann-a", fiction / "annotations/annotators" / folder)  # next to ann-a: same resource name
    rehash(fiction)
    text = "\n".join(problems_of(fiction))
    assert f"annotator folder {folder!r} is not a slug" in text
    with pytest.raises(CorpusError, match="not a slug"):
        cc.load(fiction)


# -- 3.12: cc.annotate (and adjudicate) on a broken release raise what load() raises ------------------

def _unlisted(root: Path) -> None:
    (root / "annotations/records/extra.jsonl").write_text("", encoding="utf-8")


def _changed_byte(root: Path) -> None:
    p = root / "corpus/articles.csv"
    p.write_bytes(p.read_bytes().replace(b"fictional", b"Fictional", 1))


def _symlinked_annotator(root: Path) -> None:
    cc.annotate(root, FICTION_ID, annotator="ann-a", independent=True).mention(quote="Pell Andor", actor="pell-andor", form="name")
    elsewhere = root.parent / "elsewhere"
    shutil.move(str(root / "annotations/annotators/ann-a"), elsewhere)
    (root / "annotations/annotators/ann-a").symlink_to(elsewhere)


def _unparsed(root: Path) -> None:
    (root / "annotations/records/readme.txt").write_text("x", encoding="utf-8")
    rehash(root)


def _broken_schema(root: Path) -> None:
    (root / "annotations/schema/record.schema.json").write_text("{not json", encoding="utf-8")
    rehash(root)


@pytest.mark.parametrize("damage", [_unlisted, _changed_byte, _symlinked_annotator, _unparsed, _broken_schema])
def test_annotate_on_a_broken_release_raises_what_load_raises(fiction: Path, damage) -> None:  # type: ignore[no-untyped-def]
    damage(fiction)
    with pytest.raises(CorpusError) as loading:
        cc.load(fiction)
    with pytest.raises(CorpusError) as annotating:
        cc.annotate(fiction, FICTION_ID, annotator="eve")
    assert (type(annotating.value), str(annotating.value)) == (type(loading.value), str(loading.value))
    assert "unknown article" not in str(annotating.value)


def test_a_changed_byte_is_an_integrity_error_for_annotate(fiction: Path) -> None:
    _changed_byte(fiction)
    with pytest.raises(CorpusIntegrityError, match="corpus/articles.csv"):
        cc.annotate(fiction, FICTION_ID, annotator="eve")


# -- 3.7: numpy integers are offsets ------------------------------------------------------------------

def test_numpy_integers_are_accepted_as_offsets(fiction: Path) -> None:  # 3.7
    s = cc.annotate(fiction, FICTION_ID, annotator="eve")
    rid = s.mention(start=np.int64(0), end=np.int64(6), actor="varnia", form="name")
    said = FICTION_TEXT.index("said")
    quoted = 'the dam "threatens our farms"'
    cid = s.claim(start=np.int32(FICTION_TEXT.index(quoted)), end=np.uint16(FICTION_TEXT.index(quoted) + len(quoted)),
                  speaker="pell-andor", attribution="indirect", claim_type="evaluation",
                  cue_start=np.int64(said), cue_end=np.int64(said + 4))
    s.update(rid, start=np.int64(0), end=np.int64(6), note="offsets from corpus.tokens")
    third = s.mention(quote="Varnia", occurrence=np.int64(3), actor="varnia", form="name")
    disk = on_disk(fiction)
    assert (disk[rid]["start"], disk[rid]["end"], disk[rid]["text"]) == (0, 6, "Varnia")
    assert disk[cid]["cue"] == {"start": said, "end": said + 4, "text": "said"} and disk[third]["start"] == FICTION_TEXT.index("Varnia will")
    assert type(disk[rid]["start"]) is int and validate(fiction) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start": True, "end": 6}, "start=True is not a whole number"),
    ({"start": 0.0, "end": 6.0}, "start=0.0 is not a whole number"),
    ({"start": "0", "end": 6}, "start='0' is not a whole number"),
])
def test_offsets_that_are_not_whole_numbers_say_so(fiction: Path, kwargs: dict, message: str) -> None:  # variant
    s = cc.annotate(fiction, FICTION_ID, annotator="eve")
    before = snapshot(fiction)
    with pytest.raises(ValueError, match=message):
        s.mention(actor="varnia", form="name", **kwargs)
    assert snapshot(fiction) == before


def test_numpy_offsets_in_an_adjudicators_edit(fiction: Path) -> None:  # variant: the other place offsets are typed
    adj = _two_claims(fiction)
    item = adj.disagreements[0]
    start = FICTION_TEXT.index("threatens our farms")
    adj.edit(item.item_id, base="ann-a", start=np.int64(start), end=np.int64(start + len("threatens our farms")))
    [entry] = adj.write()
    [gid] = entry["gold"]
    assert on_disk(fiction)[gid]["start"] == start and validate(fiction) == []


# -- 4.9: a huge decision id --------------------------------------------------------------------------

def test_a_huge_decision_id_is_a_clear_error(fiction: Path) -> None:  # 4.9
    adj = _two_claims(fiction)
    adj.choose(adj.disagreements[0].item_id, "ann-a")
    adj.write()
    log = fiction / f"annotations/adjudication/{FICTION_ID}.jsonl"
    entry = json.loads(log.read_text(encoding="utf-8"))
    entry["decision_id"] = "d" + "9" * 5000
    log.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    rehash(fiction)
    [problem] = problems_of(fiction)
    assert problem.startswith(f"annotations/adjudication/{FICTION_ID}.jsonl:1: decision: decision_id 'd9999")
    assert "(5001 characters)" in problem and "renumber" in problem and len(problem) < 400


def test_a_huge_decision_id_planted_after_reading_is_a_clear_error_on_write(fiction: Path) -> None:  # 4.9, on write()
    adj = _two_claims(fiction)
    adj.choose(adj.disagreements[0].item_id, "ann-a")
    log = fiction / f"annotations/adjudication/{FICTION_ID}.jsonl"
    log.parent.mkdir(exist_ok=True)
    log.write_text(json.dumps({"decision_id": "d" + "9" * 5000}) + "\n", encoding="utf-8")
    before = snapshot(fiction)
    with pytest.raises(CorpusError, match=r"adjudication/varnia-ostrel-dam.jsonl:1: decision_id 'd9999.*renumber"):
        adj.write()
    assert snapshot(fiction) == before
