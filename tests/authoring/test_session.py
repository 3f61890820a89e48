"""The annotation session: each call checked and saved at once; offsets in code points."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.authoring.articles import add_article
from caucasus_corpus.errors import CorpusValidationError
from support import FICTION_ID

# An invented text with an astral-plane emoji and no-break spaces before the spans.
ASTRAL = "Varnia \U0001f30a news\n\nPell\u00a0Andor said the dam \u00a0threatens our farms.\n"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".caucasus-corpus")}


def on_disk(root: Path, article_id: str) -> dict[str, dict]:
    path = root / "annotations" / "records" / f"{article_id}.jsonl"
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_a_claim_is_on_disk_at_once_with_code_point_offsets(fiction: Path) -> None:
    aid = add_article(fiction, text=ASTRAL, title="Varnia news", language="en", id="varnia-astral")
    s = cc.annotate(fiction, aid, annotator="aliyeva")
    assert s.prefix == aid  # a new article's record ids start with its id
    rid = s.claim(quote="threatens our farms", speaker="P. Andor", cue="said", attribution="indirect",
                  claim_type="evaluation", targets=["Ostrel"])
    assert rid == f"{aid}-c001"
    rec = on_disk(fiction, aid)[rid]
    start = ASTRAL.index("threatens")
    assert (rec["start"], rec["end"], rec["text"]) == (start, start + 19, "threatens our farms")
    assert rec["speaker"] == "pell-andor" and rec["targets"] == ["ostrel"] and rec["annotator"] == "aliyeva"
    assert rec["cue"] == {"start": ASTRAL.index("said"), "end": ASTRAL.index("said") + 4, "text": "said"}
    s.update(rid, claim_type="prediction")
    assert on_disk(fiction, aid)[rid]["claim_type"] == "prediction"
    s.delete(rid)
    assert rid not in on_disk(fiction, aid)
    assert cc.release.validate(fiction) == []


def test_ids_are_never_reused_after_a_delete_even_in_a_new_session(fiction: Path) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="t")
    first = s.mention(quote="Ostrel", occurrence=1, actor="ostrel", form="name")
    s.delete(first)
    second = cc.annotate(fiction, FICTION_ID, annotator="t").mention(quote="Ostrel", occurrence=1, actor="ostrel", form="name")
    assert (first, second) == ("f-m005", "f-m006")


def test_undo_takes_back_each_kind_of_change(fiction: Path) -> None:
    before = on_disk(fiction, FICTION_ID)
    s = cc.annotate(fiction, FICTION_ID, annotator="t")
    rid = s.stance(quote="welcomed the warning", holder="Kesa Rimm", target="dam", polarity="against")
    s.update("f-c1", note="edited")
    s.delete("f-m1")
    s.undo()
    s.undo()
    s.undo()
    assert on_disk(fiction, FICTION_ID) == before
    assert rid not in on_disk(fiction, FICTION_ID)
    with pytest.raises(ValueError, match="nothing to undo"):
        s.undo()


def test_two_sessions_on_one_article_keep_each_others_records(fiction: Path) -> None:
    a = cc.annotate(fiction, FICTION_ID, annotator="a")
    b = cc.annotate(fiction, FICTION_ID, annotator="b")
    ra = a.mention(quote="Ostrel", occurrence=1, actor="ostrel", form="name")
    rb = b.mention(quote="Varnian foreign minister", actor="pell-andor", form="nominal")
    assert ra != rb
    assert {ra, rb} <= set(on_disk(fiction, FICTION_ID))
    a.reload()
    assert {ra, rb} <= set(a.records["id"])


def test_a_batch_refuses_when_another_writer_changed_the_article(fiction: Path) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="t")
    before = tree(fiction)
    with pytest.raises(cc.CorpusError, match="changed while the batch was open"):
        with s.batch():
            s.mention(quote="Ostrel", occurrence=1, actor="ostrel", form="name")
            cc.annotate(fiction, FICTION_ID, annotator="other").delete("f-m1")
            before = tree(fiction)
    assert tree(fiction) == before


@pytest.mark.parametrize(("call", "kwargs", "expected"), [
    ("claim", dict(quote="Varnia", speaker="Andor", attribution="direct", claim_type="assertion"), "occurs 3 times (start=0, start=49, start=269)"),
    ("claim", dict(quote="not in the text", speaker="Andor", attribution="direct", claim_type="assertion"), "does not occur"),
    ("claim", dict(quote="the dam", speaker="Nobody Known", attribution="direct", claim_type="assertion"), "unknown actor"),
    ("claim", dict(quote="the dam", speaker="Andor", attribution="loud", claim_type="assertion"), "attribution: 'loud' is not allowed"),
    ("claim", dict(quote="the dam", speaker="Andor", attribution="direct", claim_type="assertion", colour="red"), "unknown attribute"),
    ("threat", dict(quote="the dam", speaker="Andor", target="Ostrel", explicitness="explicit", cameo="1399"), "1399"),
    ("stance", dict(quote="the dam", holder="Andor", target="no-such-topic", polarity="favor"), "unknown actor or topic"),
    ("mention", dict(start=5, end=400, actor="varnia", form="name"), "not a span of the article"),
    ("mention", dict(start=0, end=6, quote="Ostrel", actor="varnia", form="name"), "differs from the article text"),
    ("claim", dict(quote="the dam", speaker="Andor", cue="shouted", attribution="direct", claim_type="assertion"), "cue 'shouted' does not occur"),
])
def test_every_refused_record_names_the_problem_and_changes_nothing(fiction: Path, call: str, kwargs: dict, expected: str) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="t")
    before = tree(fiction)
    with pytest.raises((ValueError, KeyError, CorpusValidationError)) as info:
        getattr(s, call)(**kwargs)
    assert expected in str(info.value)
    assert tree(fiction) == before
    assert not s.can_undo


def test_new_actors_and_topics_are_checked_and_usable(fiction: Path) -> None:
    s = cc.annotate(fiction, FICTION_ID, annotator="t")
    before = tree(fiction)
    for kwargs, expected in [(dict(actor_id="Bad Id", name="X", kind="person"), "not a slug"),
                             (dict(actor_id="pell-andor", name="Someone", kind="person"), "already in"),
                             (dict(actor_id="new-one", name="Other", kind="person", aliases=["andor"]), "already names actor 'pell-andor'"),
                             (dict(actor_id="new-one", name="Other", kind="alien"), "kind='alien' is not valid")]:
        with pytest.raises(ValueError, match=expected.replace("(", r"\(")):
            s.add_actor(**kwargs)
        assert tree(fiction) == before
    s.add_actor("lio-varn", name="Lio Varn", kind="person", aliases=["Varn"])
    s.add_topic("ferry", label="the ferry", description="A fictional ferry.")
    rid = s.stance(quote="Some observers", holder="varn", target="ferry", polarity="none")
    assert s.record(rid)["holder"] == "lio-varn"
    assert cc.load(fiction).resolve_actor("Varn") == "lio-varn"
