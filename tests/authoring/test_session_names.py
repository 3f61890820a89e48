"""The annotation session and the checker match actor names as Corpus.resolve_actor does: in any
script and with case endings, an exact match first, two actors for one form never chosen silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import validate
from caucasus_corpus.text.names import AmbiguousNameError

from support import write_release

ARTICLE = "ru-bridge"
# Invented text (fictional names and places).
TEXT = "Министр Пелл Андор заявил, что мост откроется. По словам Андора, Варнии нужен мост.\n"


@pytest.fixture
def russian(tmp_path: Path) -> Path:
    return write_release(tmp_path / "ru", texts={ARTICLE: TEXT}, records={ARTICLE: []})


def test_session_resolves_names_in_another_script_and_case(russian: Path) -> None:
    session = cc.annotate(russian, ARTICLE, annotator="tester")
    assert session.resolve_actor("Пелл Андор") == "pell-andor"
    assert session.resolve_actor("Андора") == "pell-andor"       # Russian genitive of an alias
    assert session.resolve_actor("Варнии") == "varnia"
    with pytest.raises(KeyError):
        session.resolve_actor("Ostrelia")


def test_checker_accepts_an_inflected_name_mention_and_refuses_another_actors_name(russian: Path) -> None:
    session = cc.annotate(russian, ARTICLE, annotator="tester")
    session.mention(quote="Андора", actor="Андора", form="name")
    session.mention(quote="Варнии", actor="varnia", form="name")
    assert [str(p) for p in validate(russian)] == []
    with pytest.raises(cc.CorpusValidationError, match="not among pell-andor's name and aliases"):
        session.mention(quote="Варнии", actor="pell-andor", form="name")


def test_session_refuses_a_name_two_actors_share(tmp_path: Path) -> None:
    release = write_release(tmp_path / "two", texts={ARTICLE: TEXT}, records={ARTICLE: []})
    actors_file = release / "annotations" / "actors.jsonl"
    actors = [json.loads(line) for line in actors_file.read_text(encoding="utf-8").splitlines()]
    actors.append({**next(a for a in actors if a["actor_id"] == "pell-andor"), "actor_id": "mira-andor",
                   "name": "Mira Andor", "aliases": ["Andor"]})
    from caucasus_corpus.authoring.writer import save

    with pytest.raises(cc.CorpusValidationError):
        save(release, actors=actors)  # one alias for two actors is refused at the source
    session = cc.annotate(release, ARTICLE, annotator="tester")
    session.add_actor("mira-andorr", name="Mira Andorr", kind="person", aliases=["Andorr"])
    assert session.resolve_actor("Andorr") == "mira-andorr"  # exact wins
    with pytest.raises(AmbiguousNameError, match="pell-andor.*mira-andorr|mira-andorr.*pell-andor"):
        session.resolve_actor("Андор")  # in Cyrillic both Andor and Andorr read the same
