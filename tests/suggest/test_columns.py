"""The suggestion frames have exactly the columns their docstrings document."""

from __future__ import annotations

from pathlib import Path

import caucasus_corpus as cc
from caucasus_corpus.suggest import suggest
from caucasus_corpus.suggest.evaluate import evaluate
from support import FICTION_ACTORS, FICTION_ID, FICTION_TEXT, actual_columns, documented_columns, write_release


def test_suggest_columns_are_documented() -> None:
    assert actual_columns(suggest(FICTION_TEXT, FICTION_ACTORS)) == documented_columns(suggest)
    assert actual_columns(suggest("", FICTION_ACTORS)) == documented_columns(suggest)  # empty, same columns


def test_session_suggest_has_the_same_columns(tmp_path: Path) -> None:
    root = write_release(tmp_path / "f", records={FICTION_ID: []})
    frame = cc.annotate(root, FICTION_ID, annotator="t").suggest()
    assert len(frame) and actual_columns(frame) == documented_columns(suggest)


def test_evaluate_columns_are_documented(bundled) -> None:  # type: ignore[no-untyped-def]
    assert actual_columns(evaluate(bundled)) == documented_columns(evaluate)
