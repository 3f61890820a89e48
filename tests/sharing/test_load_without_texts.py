"""Reading a release published without its texts: load(texts=False) works for everything that needs
no text, and everything that needs one says to hydrate (fictional texts only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import TextsWithheldError

from support import FICTION_ID, FICTION_TEXT


def test_load_with_texts_refuses_naming_hydrate(published: Path) -> None:
    with pytest.raises(TextsWithheldError, match=r"caucasus-corpus hydrate --path .* --from DIR") as err:
        cc.load(published)
    assert "texts=False" in str(err.value)


def test_metadata_and_annotations_load_without_texts(fiction: Path, published: Path) -> None:
    full = cc.load(fiction)
    bare = cc.load(published, texts=False)
    assert bare.texts_withheld and not full.texts_withheld
    assert bare.article_ids == full.article_ids and len(bare) == len(full)
    assert bare.articles["n_chars"].tolist() == [len(FICTION_TEXT)]
    pd.testing.assert_frame_equal(bare.articles.drop(columns="n_chars"), full.articles.drop(columns="n_chars"))
    # offsets kept, quotes empty
    for layer in ("mentions", "claims", "threats", "stance", "annotations"):
        a, b = getattr(full, layer), getattr(bare, layer)
        assert b["id"].tolist() == a["id"].tolist()
        assert b["start"].tolist() == a["start"].tolist() and b["end"].tolist() == a["end"].tolist()
        assert b["text"].isna().all()
    assert bare.claims["cue"].isna().all()
    assert bare.claims["cue_start"].tolist() == full.claims["cue_start"].tolist()
    # counts, claim frequency and stance matrices need no text
    pd.testing.assert_frame_equal(bare.claim_frequency(by="speaker"), full.claim_frequency(by="speaker"))
    pd.testing.assert_frame_equal(bare.stance_matrix(), full.stance_matrix())
    pd.testing.assert_frame_equal(bare.actors, full.actors)
    assert "texts withheld" in repr(bare)


@pytest.mark.parametrize("call", [
    lambda c: c.text(FICTION_ID),
    lambda c: c.tokens,
    lambda c: c.kwic("Ostrel"),
    lambda c: c.frequency(),
    lambda c: c.collocates("Ostrel"),
    lambda c: c.dispersion("Ostrel"),
    lambda c: cc.kwic(c, "Ostrel"),
    lambda c: cc.frequency(c),
])
def test_what_reads_a_text_says_to_hydrate(published: Path, call) -> None:  # type: ignore[no-untyped-def]
    bare = cc.load(published, texts=False)
    with pytest.raises(TextsWithheldError, match="caucasus-corpus hydrate"):
        call(bare)


def test_a_release_with_texts_loads_without_them_too(fiction: Path) -> None:
    bare = cc.load(fiction, texts=False)
    assert bare.texts_withheld and bare.annotations["text"].isna().all()
    assert bare.articles["n_chars"].tolist() == [len(FICTION_TEXT)]
    with pytest.raises(TextsWithheldError):
        bare.text(FICTION_ID)
    with pytest.raises(ValueError, match="texts must be True or False"):
        cc.load(fiction, texts="no")  # type: ignore[arg-type]


def test_annotate_release_and_diff_refuse_a_folder_without_texts(fiction: Path, published: Path) -> None:
    from caucasus_corpus.release import release

    with pytest.raises(TextsWithheldError, match="annotate .*caucasus-corpus hydrate"):
        cc.annotate(published, FICTION_ID, annotator="test")
    (published / "CHANGELOG.md").write_text("# Changelog\n\n## Data\n", encoding="utf-8")
    with pytest.raises(TextsWithheldError, match="release .*caucasus-corpus hydrate"):
        release(published, bump="patch")
    with pytest.raises(TextsWithheldError, match="diff .*caucasus-corpus hydrate"):
        cc.diff(fiction, published)
    with pytest.raises(TextsWithheldError, match="diff .*caucasus-corpus hydrate"):
        cc.diff(published, fiction)
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "info", "--path", str(published)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "caucasus-corpus hydrate" in out.stderr and "Traceback" not in out.stderr
