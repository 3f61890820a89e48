"""Corpus.resolve_actor across scripts and case endings, and validate's warnings (invented actors)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.release.check import validate
from caucasus_corpus.text.names import AmbiguousNameError, NameCollisionWarning
from support import FICTION_ACTORS, write_release


def actor(actor_id: str, name: str, *aliases: str) -> dict:
    return {"actor_id": actor_id, "name": name, "kind": "person", "aliases": list(aliases), "role": "", "affiliation": "",
            "country": "", "notes": "fictional"}


@pytest.fixture
def release(tmp_path: Path) -> Path:
    extra = [actor("lev-aliyev", "Lev Aliyev", "Aliyev"), actor("mira-aliyeva", "Mira Aliyeva", "Aliyeva")]
    return write_release(tmp_path / "r", actors=FICTION_ACTORS + extra)


@pytest.mark.parametrize(("name", "how", "confidence"), [
    ("Pell Andor", "exact", 1.0), ("PELL ANDOR", "exact", 1.0),
    ("Пелл Андор", "script", 0.8), ("Պելլ Անդոր", "script", 0.8), ("პელ ანდორ", "script", 0.8),
    ("Пелла Андора", "script and case ending", 0.7), ("Пеллом Андором", "script and case ending", 0.7),
    ("პელ ანდორმა", "script and case ending", 0.7), ("პელ ანდორი", "script and case ending", 0.7),
    ("Պելլ Անդորը", "script and case ending", 0.7), ("Պելլ Անդորից", "script and case ending", 0.7),
    ("Pell Andorun", "case ending", 0.9),
])
def test_one_actor_in_four_scripts(release: Path, name: str, how: str, confidence: float) -> None:
    corpus = cc.load(release)
    assert corpus.resolve_actor(name) == "pell-andor"
    found = corpus.resolve_actor(name, explain=True)
    assert (found.actor_id, found.how, found.confidence) == ("pell-andor", how, confidence)
    actor_id, key, conf, _how = found  # a tuple: id, the key that matched, its confidence
    assert key and conf == confidence


def test_exact_matches_win_and_ambiguity_is_an_error(release: Path) -> None:
    corpus = cc.load(release)
    assert corpus.resolve_actor("Aliyev") == "lev-aliyev"
    assert corpus.resolve_actor("ALİYEVA") == "mira-aliyeva"
    with pytest.raises(AmbiguousNameError, match="'lev-aliyev', 'mira-aliyeva'"):
        corpus.resolve_actor("Алиевой")
    with pytest.raises(KeyError, match="unknown actor 'Ostrelov'"):
        corpus.resolve_actor("Ostrelov")


def test_kwic_speaker_filter_takes_a_name_in_another_script(release: Path) -> None:
    corpus = cc.load(release)
    assert corpus.kwic("Ostrel", speaker="Пелл Андор").equals(corpus.kwic("Ostrel", speaker="pell-andor"))


def test_validate_warns_about_cross_script_collisions_but_finds_no_problem(tmp_path: Path) -> None:
    extra = [actor("semenov-a", "Семёнов"), actor("semenov-b", "Semenov")]
    root = write_release(tmp_path / "r", actors=FICTION_ACTORS + extra)
    with pytest.warns(NameCollisionWarning, match="'semenov-a' and 'semenov-b' share the match key 'semenov'"):
        assert validate(root) == []
    clean = write_release(tmp_path / "clean")
    with warnings.catch_warnings():
        warnings.simplefilter("error", NameCollisionWarning)
        assert validate(clean) == []


def test_the_validate_command_prints_the_warning_and_says_valid(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = write_release(tmp_path / "r", actors=FICTION_ACTORS + [actor("semenov-a", "Семёнов"), actor("semenov-b", "Semenov")])
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "validate", "--path", str(root)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "valid", out.stderr
    assert "warning: annotations/actors.jsonl: actors 'semenov-a' and 'semenov-b' share the match key" in out.stderr
