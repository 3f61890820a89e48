"""A corpus without annotations raises one error type, NoAnnotationsError, from every entry point."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import NoAnnotationsError

BARE = cc.from_texts({"note-1": "Pell Andor visited Ostrel.", "note-2": "Ostrel replied."})


def _dashboard(corpus: cc.Corpus) -> object:
    from caucasus_corpus.widgets import speaker_dashboard

    return speaker_dashboard(corpus)


ENTRY_POINTS: dict[str, Callable[[cc.Corpus], object]] = {
    "claim_frequency": lambda c: c.claim_frequency(),
    "stance_matrix": lambda c: c.stance_matrix(),
    "threat_table": lambda c: c.threat_table(),
    "speaker_profile": lambda c: c.speaker_profile("Pell Andor"),
    "resolve_actor": lambda c: c.resolve_actor("Pell Andor"),
    "kwic(speaker=)": lambda c: c.kwic("Ostrel", speaker="Pell Andor"),
    "kwic(layer=)": lambda c: c.kwic("Ostrel", layer="claim"),
    "frequency(by='speaker')": lambda c: c.frequency(by="speaker"),
    "speaker_dashboard": _dashboard,
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_every_annotation_entry_point_raises_no_annotations_error(name: str) -> None:
    with pytest.raises(NoAnnotationsError, match="needs annotations") as info:
        ENTRY_POINTS[name](BARE)
    assert "built from your own texts" in str(info.value)
    assert isinstance(info.value, ValueError)  # what callers of earlier versions caught


def test_text_functions_still_work_without_annotations() -> None:
    assert len(BARE.kwic("Ostrel")) == 2
    assert BARE.frequency()["token"].tolist()[0] == "ostrel"
