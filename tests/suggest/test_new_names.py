"""New actors proposed from a text: people after a title, organisations, their mentions and their
claims; accepted through the annotation session. Every name and place here is invented for the
test (Varnia, Ostrel, Pell Andor, Tova Lenk, Tam Orr, ...); none is corpus data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import validate
from caucasus_corpus.suggest import suggest
from support import FICTION_ID, write_release

ACTORS = [
    {"actor_id": "varnia", "name": "Varnia", "kind": "state", "aliases": ["Varnia"]},
    {"actor_id": "ostrel", "name": "Ostrel", "kind": "state", "aliases": ["Ostrel"]},
    {"actor_id": "pell-andor", "name": "Pell Andor", "kind": "person", "aliases": ["Pell Andor", "Andor"]},
]


def layer(frame: pd.DataFrame, name: str) -> list[dict]:
    return frame[frame["layer"] == name].to_dict("records")


def test_a_name_after_a_title_is_a_new_person_with_aliases_mentions_and_claims() -> None:
    text = ("Foreign Minister Tova Lenk met Pell Andor in Ostrel. "
            "Lenk said that Varnia will not close the border.")
    frame = suggest(text, ACTORS, language="en")
    (actor,) = layer(frame, "actor")
    assert (actor["text"], actor["actor"], actor["kind"], actor["aliases"], actor["role"], actor["rule"]) == (
        "Tova Lenk", "tova-lenk", "person", ["Tova Lenk", "Lenk"], "Foreign Minister", "new-person-title")
    mentions = [(m["text"], m["actor"], m["rule"]) for m in layer(frame, "mention")]
    assert ("Tova Lenk", "tova-lenk", "mention-new-name") in mentions and ("Lenk", "tova-lenk", "mention-new-name") in mentions
    (claim,) = layer(frame, "claim")
    assert (claim["speaker"], claim["speaker_text"]) == ("tova-lenk", "Lenk")


def test_a_possessive_is_not_part_of_the_new_name() -> None:
    (actor,) = layer(suggest("The envoy Tam Orr's remarks angered Varnia.", ACTORS, language="en"), "actor")
    assert actor["text"] == "Tam Orr"


def test_registered_people_are_not_proposed_again() -> None:
    frame = suggest("President Pell Andor said that the dam stays. President Vladan Andor arrived.", ACTORS, language="en")
    assert layer(frame, "actor") == []  # "Vladan Andor": a registered name in the run is that actor, not a new one


def test_an_apposition_names_a_new_person_and_the_speaker() -> None:
    text = "Tam Orr, the Ostrel envoy, said that talks will resume in May."
    frame = suggest(text, ACTORS, language="en")
    (actor,) = layer(frame, "actor")
    assert (actor["text"], actor["role"], actor["rule"]) == ("Tam Orr", "envoy", "new-person-apposition")
    assert layer(frame, "claim")[0]["speaker"] == "tam-orr"


@pytest.mark.parametrize(("language", "text", "name"), [
    ("en", "The Ministry of Water of Varnia said that the dam will open.", "Ministry of Water of Varnia"),
    ("en", "The Varnian National Assembly said that the dam will open.", "Varnian National Assembly"),
    ("ru", "Министерство иностранных дел Варнии заявило, что плотина откроется.", "Министерство иностранных дел Варнии"),
    ("ru", "Партия «Новая Варния» заявила, что плотина откроется.", "Новая Варния"),
    ("az", "Varniya Xarici İşlər Nazirliyi bildirib ki, bənd açılacaq.", "Varniya Xarici İşlər Nazirliyi"),
    ("hy", "Արտաքին գործերի նախարարությունը հայտարարել է, որ ամբարտակը կբացվի։", "Արտաքին գործերի նախարարությունը"),
    ("ka", "საგარეო საქმეთა სამინისტრომ განაცხადა, რომ კაშხალი გაიხსნება.", "საგარეო საქმეთა სამინისტრომ"),
])
def test_an_organisation_name_is_a_new_organisation_and_speaks(language: str, text: str, name: str) -> None:
    frame = suggest(text, [], language=language)
    (actor,) = layer(frame, "actor")
    assert (actor["text"], actor["kind"], actor["rule"]) == (name, "organisation", "new-organisation")
    (claim,) = layer(frame, "claim")
    assert claim["speaker"] == actor["actor"]


@pytest.mark.parametrize(("language", "text", "name", "role"), [
    ("ru", "Министр иностранных дел Варнии Това Ленк заявила, что граница открыта.", "Това Ленк", "Министр"),
    ("az", "Xarici işlər naziri Tova Lenk bildirib ki, sərhəd açıqdır.", "Tova Lenk", "naziri"),
    # Armenian and Georgian names are proposed in their dictionary form, the written one kept as an alias
    ("hy", "Վարչապետ Տովա Լենկը հայտարարել է, որ սահմանը բաց է։", "Տովա Լենկ", "Վարչապետ"),
    ("ka", "პრემიერ-მინისტრმა ტოვა ლენკაშვილმა განაცხადა, რომ საზღვარი ღიაა. ლენკაშვილის თქმით, გზა ღიაა.",
     "ტოვა ლენკაშვილი", "პრემიერ-მინისტრმა"),
])
def test_a_title_in_each_language_proposes_the_person(language: str, text: str, name: str, role: str) -> None:
    frame = suggest(text, [], language=language)
    (actor,) = layer(frame, "actor")
    assert (actor["aliases"][0], actor["kind"], actor["role"]) == (name, "person", role)
    assert actor["text"] in actor["aliases"]  # the spelling as written
    assert {c["speaker"] for c in layer(frame, "claim")} == {actor["actor"]}  # also "ლენკაშვილის თქმით"


def test_a_proposed_id_does_not_collide_with_the_registry() -> None:
    actors = ACTORS + [{"actor_id": "tova-lenk", "name": "Tova Lenk River", "kind": "group", "aliases": []}]
    (actor,) = layer(suggest("Minister Tova Lenk arrived.", actors, language="en"), "actor")
    assert actor["actor"] == "tova-lenk-2"


TEXT = ("Varnia and Ostrel argue over a dam\n\n"
        "Foreign Minister Tova Lenk said that Varnia will not close the border.\n")


@pytest.fixture
def session(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_release(tmp_path / "release", texts={FICTION_ID: TEXT}, records={FICTION_ID: []})
    return cc.annotate(root, FICTION_ID, annotator="aliyeva")


def test_accepting_a_new_actor_adds_it_to_the_registry_and_its_records_follow(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    actor = found[found["layer"] == "actor"].iloc[0]
    claim = found[found["layer"] == "claim"].iloc[0]
    assert claim["speaker"] == "tova-lenk"
    with pytest.raises(ValueError, match=rf"speaker 'tova-lenk' is a proposed new actor .* accept suggestion {actor['suggestion_id']} first"):
        session.accept(claim["suggestion_id"])
    assert session.record_list() == [] and "tova-lenk" not in {a["actor_id"] for a in session.actors}
    assert session.accept(actor["suggestion_id"], notes="invented for a test") == "tova-lenk"
    added = {a["actor_id"]: a for a in session.actors}["tova-lenk"]
    assert (added["name"], added["kind"], added["aliases"], added["role"]) == ("Tova Lenk", "person", ["Tova Lenk", "Lenk"],
                                                                            "Foreign Minister")
    rid = session.accept(claim["suggestion_id"])
    assert session.record(rid)["speaker"] == "tova-lenk"
    again = session.suggest()
    assert again[again["layer"] == "actor"].empty  # registered now: not proposed again
    assert validate(session.root) == []


def test_accept_all_adds_the_actors_first(session) -> None:  # type: ignore[no-untyped-def]
    from caucasus_corpus.authoring.suggestions import accept_all

    found = session.suggest()
    ids = found[found["layer"].isin(["mention", "actor"])]["suggestion_id"].tolist()
    saved = accept_all(session, ids)
    assert "tova-lenk" in saved
    assert {r["actor"] for r in session.record_list()} >= {"tova-lenk", "varnia"}
    assert validate(session.root) == []


def test_an_actor_suggestion_refuses_fixes_add_actor_does_not_take(session) -> None:  # type: ignore[no-untyped-def]
    found = session.suggest()
    sid = found[found["layer"] == "actor"]["suggestion_id"].iloc[0]
    with pytest.raises(ValueError, match="speaker cannot be fixed; give any of actor_id, name"):
        session.accept(sid, speaker="varnia")
    assert session.accept(sid, actor_id="lenk", aliases=["Tova Lenk"]) == "lenk"


def test_the_pm_goes_to_the_prime_minister_named_before_not_to_a_nearer_spokesman() -> None:
    actors = [dict(a, role="spokesman") if a["actor_id"] == "pell-andor" else a for a in ACTORS]
    text = ("Prime Minister Lio Dask arrived in Ostrel with Pell Andor. "
            "The PM said that the dam will stay open.")
    frame = suggest(text, actors, language="en")
    (claim,) = layer(frame, "claim")
    assert (claim["speaker"], claim["speaker_text"]) == ("lio-dask", "The PM")


def test_a_russian_role_noun_and_pronoun_find_the_nearest_compatible_person() -> None:
    actors = [{"actor_id": "pell-andor", "name": "Пелл Андор", "kind": "person", "aliases": ["Пелл Андор"],
               "role": "пресс-секретарь"},
              {"actor_id": "kesa-rimm", "name": "Кеса Римм", "kind": "person", "aliases": ["Кеса Римм"]}]
    role = ("Министр Това Ленк встретилась с Пелл Андор. Министр заявила, что граница открыта.")
    # the role noun skips the nearer Pell Andor, a spokesman, for the minister
    assert [(c["speaker"], c["speaker_text"]) for c in layer(suggest(role, actors, language="ru"), "claim")] == [
        ("tova-lenk", "Министр")]
    pronoun = ("Кеса Римм заявила, что переговоры окончены.\n\n"
               "Пелл Андор приехал в Острель. Он сказал, что плотина останется.")
    # the pronoun takes the person the paragraph is about, not the last speaker Kesa Rimm
    assert [(c["speaker"], c["speaker_text"]) for c in layer(suggest(pronoun, actors, language="ru"), "claim")] == [
        ("kesa-rimm", "Кеса Римм"), ("pell-andor", "Он")]


def test_an_unresolved_speaker_that_is_a_name_becomes_a_new_person() -> None:
    text = '"The dam stays," said Tam Orr. Orr added that talks will resume.'
    frame = suggest(text, ACTORS, language="en")
    (actor,) = layer(frame, "actor")
    assert (actor["text"], actor["aliases"], actor["rule"]) == ("Tam Orr", ["Tam Orr", "Orr"], "new-person-speaker")
    assert [c["speaker"] for c in layer(frame, "claim")] == ["tam-orr", "tam-orr"]
    # a description, or a name of the registry in another form, is no new person
    assert layer(suggest("The Ostrel water board claimed that the dam is legal.", ACTORS, language="en"), "actor") == []
    assert layer(suggest('"The dam stays," said Pell Andora.', ACTORS, language="en"), "actor") == []


def test_the_cli_prints_new_actors(session, capsys) -> None:  # type: ignore[no-untyped-def]
    from caucasus_corpus.cli.main import main

    assert main(["suggest", FICTION_ID, "--path", str(session.root), "--layer", "actor"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("1 suggestion(s)") and "language en" in out[0]
    assert "\tactor\t" in out[1] and "new actor=tova-lenk\tperson, aliases ['Tova Lenk', 'Lenk']" in out[1]


def test_evaluate_scores_proposals_against_the_actors_a_smaller_registry_lacks(tmp_path: Path) -> None:
    from caucasus_corpus.suggest.evaluate import evaluate

    corpus = cc.load(write_release(tmp_path / "fiction"))
    full = evaluate(corpus)
    assert full[full["layer"] == "actor"][["gold", "suggested"]].values.tolist() == [[0, 0]]
    cold = corpus.actors[corpus.actors["actor_id"] == "varnia"]
    row = evaluate(corpus, actors=cold).query("layer == 'actor'").iloc[0]
    named = set(corpus.annotations["actor"].dropna()) - {"varnia"}
    assert row.gold == len(named) and 0 < row.matched <= row.suggested
    found = suggest(corpus.text(FICTION_ID), cold, language="en")
    proposed = {a for aliases in found[found["layer"] == "actor"]["aliases"] for a in aliases}
    assert row.matched == len({r["actor_id"] for r in corpus.actors.to_dict("records") if r["actor_id"] in named
                               and {r["name"], *r["aliases"]} & proposed})
