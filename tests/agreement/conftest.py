"""Fixtures of agreement tests: the fictional release with two independent annotators' records.

The records are made through ``cc.annotate(..., independent=True)``, as an annotator would make
them; the texts and names are invented (support.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import FICTION_ID

import caucasus_corpus as cc


def annotate_two(root: Path) -> Path:
    """ann-a and ann-b on the fictional article: one agreed mention, one mention each alone, and a
    claim both marked with different boundaries and claim types."""
    a = cc.annotate(root, FICTION_ID, annotator="ann-a", independent=True)
    with a.batch():
        a.mention(quote="Pell Andor", actor="pell-andor", form="name")
        a.mention(quote="Kesa Rimm", actor="kesa-rimm", form="name")
        a.claim(quote="threatens our farms", speaker="pell-andor", cue="said", attribution="direct",
                claim_type="evaluation", targets=["ostrel"])
    b = cc.annotate(root, FICTION_ID, annotator="ann-b", independent=True)
    with b.batch():
        b.mention(quote="Pell Andor", actor="pell-andor", form="name")
        b.mention(quote="an MP", actor="kesa-rimm", form="nominal")
        b.claim(quote='the dam "threatens our farms"', speaker="pell-andor", cue="said", attribution="direct",
                claim_type="assertion", targets=["ostrel"])
    return root


@pytest.fixture
def double(fiction: Path) -> Path:
    """The fictional release with ann-a's and ann-b's independent records (see annotate_two)."""
    return annotate_two(fiction)
