"""The one checker refuses records that count twice or say nothing (issue 27, item 4): an exact
duplicate of a record of the same file ("duplicate of ID") and a claim or threat whose span is
only its cue. Imports add an exact duplicate once and say so. Fictional release (tests/support.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.cli.main import main
from caucasus_corpus.errors import CorpusValidationError
from caucasus_corpus.release import rehash, validate
from support import FICTION_ID, FICTION_TEXT, write_release

RECORDS = f"annotations/records/{FICTION_ID}.jsonl"


def lines(root: Path, path: str = RECORDS) -> list[dict]:
    return [json.loads(x) for x in (root / path).read_text(encoding="utf-8").splitlines()]


def append_by_hand(root: Path, rec: dict, path: str = RECORDS) -> None:
    with open(root / path, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    rehash(root)


def test_a_session_cannot_save_an_exact_duplicate(fiction: Path) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="someone-else")
    before = (fiction / RECORDS).read_bytes()
    with pytest.raises(ValueError, match="duplicate of f-m1 \\(same layer, span and attributes\\); nothing was saved"):
        s.mention(quote="Pell Andor", actor="pell-andor", form="name")  # f-m1 by another annotator
    assert (fiction / RECORDS).read_bytes() == before


@pytest.mark.parametrize(("change", "duplicate"), [
    ({"id": "f-c9"}, True),
    ({"id": "f-c9", "annotator": "other"}, True),
    ({"id": "f-c9", "note": "a second look"}, False),              # the note is an attribute too
    ({"id": "f-c9", "claim_type": "prediction"}, False),
    ({"id": "f-c9", "cue": None}, False),
])
def test_a_hand_edited_duplicate_is_reported_with_the_id_it_repeats(fiction: Path, change: dict, duplicate: bool) -> None:
    [c1] = [r for r in lines(fiction) if r["id"] == "f-c1"]
    append_by_hand(fiction, {**c1, **change})
    found = [str(p) for p in validate(fiction)]
    if duplicate:
        assert found == [f"{RECORDS}:11: claim/f-c9: duplicate of f-c1 (same layer, span and attributes); remove one of the two records"]
        with pytest.raises(CorpusValidationError, match="duplicate of f-c1"):
            cc.load(fiction)
    else:
        assert found == []


def test_targets_in_another_order_are_the_same_claim(tmp_path: Path) -> None:
    text = FICTION_TEXT
    s, e = text.index("threatens our farms"), text.index("threatens our farms") + len("threatens our farms")
    base = {"article_id": FICTION_ID, "layer": "claim", "start": s, "end": e, "text": text[s:e], "annotator": "t",
            "speaker": "pell-andor", "cue": None, "attribution": "direct", "claim_type": "evaluation"}
    root = write_release(tmp_path / "r", records={FICTION_ID: [{**base, "id": "c1", "targets": ["ostrel", "varnia"]},
                                                             {**base, "id": "c2", "targets": ["varnia", "ostrel"]}]}, check=False)
    assert any("claim/c2: duplicate of c1" in str(p) for p in validate(root))


def test_an_annotators_own_file_is_checked_and_gold_next_to_it_is_no_duplicate(fiction: Path) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="ann-a", independent=True)
    rid = s.mention(quote="Pell Andor", actor="pell-andor", form="name")  # the same as gold f-m1: another file
    assert validate(fiction) == []
    with pytest.raises(ValueError, match=f"duplicate of {rid}"):
        s.mention(quote="Pell Andor", actor="pell-andor", form="name")


@pytest.mark.parametrize(("layer", "fields", "message"), [
    ("claim", dict(speaker="pell-andor", attribution="direct", claim_type="evaluation"), "the claim's span is only its cue ('said')"),
    ("threat", dict(speaker="pell-andor", target="ostrel", explicitness="explicit", cameo="1381"), "the threat's span is only its cue ('said')"),
])
def test_a_span_that_is_only_its_cue_is_refused(fiction: Path, layer: str, fields: dict, message: str) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="eve")
    before = (fiction / RECORDS).read_bytes()
    with pytest.raises(CorpusValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        getattr(s, layer)(quote="said", cue="said", **fields)
    assert (fiction / RECORDS).read_bytes() == before


def test_a_span_inside_its_cue_is_refused_and_a_cue_inside_the_span_is_fine(fiction: Path) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="eve")
    claim = dict(speaker="pell-andor", attribution="direct", claim_type="evaluation")
    with pytest.raises(CorpusValidationError, match="span is only its cue"):
        s.claim(quote="sai", cue="said", cue_anchor="Pell Andor said", **claim)
    rid = s.claim(quote='said on Monday that the dam "threatens our farms"', cue="said", **claim)
    assert s.record(rid)["cue"]["text"] == "said" and validate(fiction) == []


def test_the_bundled_release_still_validates() -> None:
    assert validate() == []


def test_an_import_adds_an_exact_duplicate_once_and_counts_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_release(tmp_path / "s")
    assert main(["export", str(tmp_path / "b"), "--format", "brat", "--path", str(source)]) == 0
    ann = tmp_path / "b" / f"{FICTION_ID}.ann"
    exported = ann.read_text(encoding="utf-8")
    assert exported.startswith("T1\tMention 74 84\tPell Andor\nA1\tActor T1 pell-andor\nA2\tForm T1 name\n")
    ann.write_text(exported + "T91\tMention 74 84\tPell Andor\nA91\tActor T91 pell-andor\nA92\tForm T91 name\n", encoding="utf-8")
    target = write_release(tmp_path / "t", records={FICTION_ID: []})
    assert main(["import", str(tmp_path / "b"), "--format", "brat", "--annotator", "test", "--path", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"{FICTION_ID}: 10 record(s) added" in out and "occurs twice in the file; added once" in out
    assert validate(target) == []


def test_an_independent_import_run_twice_adds_nothing_the_second_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_release(tmp_path / "s")
    assert main(["export", str(tmp_path / "b"), "--format", "brat", "--path", str(source)]) == 0
    target = write_release(tmp_path / "t", records={FICTION_ID: []})
    args = ["import", str(tmp_path / "b"), "--format", "brat", "--annotator", "ann-x", "--independent", "--path", str(target)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 0  # before: refused, or ten duplicates
    assert "10 record(s) already in the release, not added again" in capsys.readouterr().out
    assert len(lines(target, f"annotations/annotators/ann-x/{FICTION_ID}.jsonl")) == 10 and validate(target) == []
