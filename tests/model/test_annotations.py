"""Hand annotations: the shipped ones validate, every kind of broken record is caught, and the
DataFrames resolve spelling variants to one actor."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import validate

from support import FICTION_ACTORS, FICTION_ID, FICTION_TEXT, REPO, SEED_ID, fiction_records, write_release

RECORDS = f"annotations/records/{FICTION_ID}.jsonl"


# -- the shipped annotations -------------------------------------------------------------------

def test_shipped_annotations_validate(bundled: cc.Corpus) -> None:
    assert validate() == []
    corpus = bundled
    assert corpus.has_annotations
    assert set(corpus.annotations["layer"]) == {"mention", "claim", "threat", "stance"}


def test_every_shipped_record_repeats_the_article_text_at_its_offsets() -> None:
    # Read the raw files, not the loader, so this does not depend on the validator being right.
    text = (REPO / "corpus" / "texts" / f"{SEED_ID}.txt").read_bytes().decode("utf-8")
    lines = (REPO / "annotations" / "records" / f"{SEED_ID}.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        rec = json.loads(line)
        assert text[rec["start"] : rec["end"]] == rec["text"], rec["id"]
        if rec.get("cue"):
            assert text[rec["cue"]["start"] : rec["cue"]["end"]] == rec["cue"]["text"], rec["id"]


def test_records_match_the_authoring_script() -> None:
    done = subprocess.run([sys.executable, "scripts/annotate_seed.py", "--check"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "variant", ["Hikmat Hadjiev", "Hadjiev", "Hajiyev", "hikmat hajiyev", "Hikmat Haciyev", "Hikmet Hajiyev", "Hajiev"]
)
def test_spelling_variants_of_the_spokesperson_resolve_to_one_actor(variant: str) -> None:
    assert cc.load().resolve_actor(variant) == "hikmat-hajiyev"


def test_other_variants_resolve_and_unknown_names_suggest(bundled: cc.Corpus) -> None:
    corpus = bundled
    assert corpus.resolve_actor("Hasanguliev") == corpus.resolve_actor("Hasanguliyev") == "gudrat-hasanguliyev"
    assert corpus.resolve_actor("VAK") == corpus.resolve_actor("All-Russia Azerbaijani Congress") == "vak"
    with pytest.raises(KeyError, match="Novruzov"):
        corpus.resolve_actor("Novruzof")


def test_mentions_under_both_spellings_point_to_the_same_actor() -> None:
    mentions = cc.load().mentions
    # A set per group built by hand: agg(set) gives lists when pyarrow backs the string columns.
    by_text = {text: set(group) for text, group in mentions.groupby("text")["actor"]}
    assert by_text["Hadjiev"] == by_text["Hajiyev"] == {"hikmat-hajiyev"}
    assert by_text["Hasanguliyev"] == by_text["Hasanguliev"] == {"gudrat-hasanguliyev"}


def test_the_author_framed_threats_are_annotated_with_their_cues() -> None:
    threats = cc.load().threats.set_index("cue")
    hint = threats.loc["a hint of a threat"]
    assert (hint["speaker"], hint["target"], hint["explicitness"]) == ("hikmat-hajiyev", "russia", "implicit")
    blunt = threats.loc["a not so subtle threat"]
    assert (blunt["speaker"], blunt["explicitness"], blunt["cameo_name"]) == (
        "siyavoush-novruzov", "explicit", "Threaten with administrative sanctions, not specified below")


def test_every_cameo_code_and_label_is_in_the_shipped_list(bundled: cc.Corpus) -> None:
    corpus = bundled
    table = (REPO / "annotations" / "cameo-1.1b3-threaten.tsv").read_text(encoding="utf-8").splitlines()[1:]
    codes = dict(line.split("\t") for line in table)
    for code, name in zip(corpus.threats["cameo"], corpus.threats["cameo_name"]):
        assert codes[code] == name


def test_claims_of_each_attribution_are_present_and_authorial_ones_have_no_cue() -> None:
    claims = cc.load().claims
    assert set(claims["attribution"]) == {"direct", "indirect", "mixed", "authorial"}
    authorial = claims[claims["attribution"] == "authorial"]
    assert authorial["cue"].isna().all()
    assert (authorial["speaker"] == "commonspace-political-editor").all()
    reported = claims[claims["attribution"] != "authorial"]
    assert reported["cue"].notna().all()


# -- broken records ------------------------------------------------------------------------------

def broken(tmp_path: Path, mutate, *, actors=None) -> list[str]:  # type: ignore[no-untyped-def]
    records = fiction_records()
    mutate(records)
    root = write_release(tmp_path / "broken", records={FICTION_ID: records}, actors=actors, check=False)
    return [str(p) for p in validate(root)]


def by_id(records: list[dict], rid: str) -> dict:
    return next(r for r in records if r["id"] == rid)


CASES = {
    "text differs (offset drift)": (
        lambda rs: by_id(rs, "f-m1").update(start=by_id(rs, "f-m1")["start"] + 1, end=by_id(rs, "f-m1")["end"] + 1),
        r"mention/f-m1: span text 'Pell Andor' differs from the article text at \d+:\d+, 'ell Andor ' ?.*occurs at start=\d+",
    ),
    "end past the article": (
        lambda rs: by_id(rs, "f-m3").update(end=10_000),
        r"mention/f-m3: span end \(10000\) is past the end of the article",
    ),
    "end before start": (
        lambda rs: by_id(rs, "f-m3").update(end=by_id(rs, "f-m3")["start"]),
        r"mention/f-m3: span end \(\d+\) must be greater than start",
    ),
    "duplicate id": (
        lambda rs: by_id(rs, "f-m4").update(id="f-m3"),
        r"mention/f-m3: id already used at annotations/records/varnia-ostrel-dam.jsonl:3",
    ),
    "unknown speaker": (
        lambda rs: by_id(rs, "f-c1").update(speaker="nobody"),
        r"claim/f-c1: speaker 'nobody' is not in annotations/actors.jsonl; add the actor or fix the id",
    ),
    "unknown claim target": (
        lambda rs: by_id(rs, "f-c1").update(targets=["atlantis"]),
        r"claim/f-c1: target 'atlantis' is not in annotations/actors.jsonl",
    ),
    "unknown layer": (
        lambda rs: by_id(rs, "f-c1").update(layer="quote"),
        r"quote/f-c1: layer: 'quote' is not allowed; use one of 'mention', 'claim', 'threat', 'stance'",
    ),
    "attribution outside its vocabulary": (
        lambda rs: by_id(rs, "f-c1").update(attribution="hearsay"),
        r"claim/f-c1: attribution: 'hearsay' is not allowed; use one of 'direct', 'indirect', 'mixed', 'authorial'",
    ),
    "claim type outside its vocabulary": (
        lambda rs: by_id(rs, "f-c1").update(claim_type="rumour"),
        r"claim/f-c1: claim_type: 'rumour' is not allowed",
    ),
    "polarity outside its vocabulary": (
        lambda rs: by_id(rs, "f-s1").update(polarity="positive"),
        r"stance/f-s1: polarity: 'positive' is not allowed; use one of 'favor', 'against', 'none'",
    ),
    "CAMEO code not in the list": (
        lambda rs: by_id(rs, "f-t1").update(cameo="1399"),
        r"threat/f-t1: cameo '1399' is not in annotations/cameo-1.1b3-threaten.tsv",
    ),
    "CAMEO code outside THREATEN": (
        lambda rs: by_id(rs, "f-t1").update(cameo="042"),
        r"threat/f-t1: cameo: '042' does not match",
    ),
    "stance target neither actor nor topic": (
        lambda rs: by_id(rs, "f-s2").update(target="the-weather"),
        r"stance/f-s2: target 'the-weather' is neither an actor_id nor a topic_id",
    ),
    "record of another article": (
        lambda rs: by_id(rs, "f-m3").update(article_id="other-article"),
        r"mention/f-m3: article_id 'other-article' does not match the file; move the record",
    ),
    "missing required attribute": (
        lambda rs: by_id(rs, "f-c2").pop("speaker"),
        r"claim/f-c2: 'speaker' is a required property; add it",
    ),
    "attribute of another layer": (
        lambda rs: by_id(rs, "f-m1").update(polarity="favor"),
        r"mention/f-m1: Additional properties are not allowed \('polarity' was unexpected\); remove it",
    ),
    "name mention not among the actor's aliases": (
        lambda rs: by_id(rs, "f-m3").update(actor="pell-andor"),
        r"mention/f-m3: name 'Kesa Rimm' is not among pell-andor's name and aliases",
    ),
    "cue text differs": (
        lambda rs: by_id(rs, "f-c1")["cue"].update(text="told"),
        r"claim/f-c1: cue text 'told' differs from the article text",
    ),
    "offset is not an integer": (
        lambda rs: by_id(rs, "f-m1").update(start="12"),
        r"mention/f-m1: start: '12' is not of type 'integer'",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_kind_of_broken_record_is_reported_with_file_line_and_fix(tmp_path: Path, case: str) -> None:
    import re

    mutate, pattern = CASES[case]
    problems = broken(tmp_path, mutate)
    assert any(p.startswith(f"{RECORDS}:") for p in problems), problems
    assert any(re.search(pattern, p) for p in problems), problems


def test_malformed_json_line_is_reported_with_its_line(tmp_path: Path) -> None:
    root = write_release(tmp_path / "r")
    path = root / RECORDS
    lines = path.read_text().splitlines()
    lines[2] = lines[2][:-1]  # drop the closing brace
    path.write_text("\n".join(lines) + "\n")
    from caucasus_corpus.release import rehash

    rehash(root)
    assert any(p.startswith(f"{RECORDS}:3: malformed JSON") for p in map(str, validate(root)))


def test_all_problems_are_reported_at_once_and_load_refuses(tmp_path: Path) -> None:
    def mutate(rs: list[dict]) -> None:
        by_id(rs, "f-c1").update(speaker="nobody")
        by_id(rs, "f-t1").update(cameo="1399")
        by_id(rs, "f-s1").update(polarity="positive")

    problems = broken(tmp_path, mutate)
    assert len(problems) == 3
    assert [p.split(":")[1] for p in problems] == ["5", "8", "9"]  # the lines of those records
    with pytest.raises(cc.CorpusValidationError) as info:
        cc.load(tmp_path / "broken")
    assert len(info.value.problems) == 3


def test_actor_registry_problems(tmp_path: Path) -> None:
    actors = copy.deepcopy(FICTION_ACTORS)
    actors[3]["affiliation"] = "atlantis"
    actors[4]["aliases"] = ["Andor"]  # already Pell Andor's
    actors.append(dict(actors[0]))  # duplicate id
    problems = broken(tmp_path, lambda rs: None, actors=actors)
    joined = "\n".join(problems)
    assert "annotations/actors.jsonl:4: actor/kesa-rimm: affiliation 'atlantis' is not an actor_id" in joined
    assert "annotations/actors.jsonl:5: actor/observers: alias 'andor' also belongs to pell-andor" in joined
    assert "annotations/actors.jsonl:7: actor/varnia: actor_id already used on line 1" in joined


def test_records_file_for_an_unknown_article(tmp_path: Path) -> None:
    root = write_release(tmp_path / "r", records={FICTION_ID: fiction_records(), "no-such-article": []}, check=False)
    assert "annotations/records/no-such-article.jsonl: no article 'no-such-article'" in "\n".join(map(str, validate(root)))


def test_fiction_text_is_what_the_fixture_says() -> None:
    # Guards the fixture itself: the broken-record tests rely on these offsets being right.
    for rec in fiction_records():
        assert FICTION_TEXT[rec["start"] : rec["end"]] == rec["text"]


def test_records_file_that_is_not_utf8_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = write_release(tmp_path / "r")
    path = root / RECORDS
    path.write_bytes(path.read_bytes().replace(b"Pell Andor", b"Pell \xff Andor", 1))
    from caucasus_corpus.release import rehash

    rehash(root)
    problems = [str(p) for p in validate(root)]
    assert any(p.startswith(f"{RECORDS}:1: not valid UTF-8") for p in problems), problems
