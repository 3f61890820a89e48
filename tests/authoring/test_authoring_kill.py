"""Adding articles and saving session records, killed at random points, always leave a release
that loads and validates, with the old or the new content."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import caucasus_corpus as cc
from support import FICTION_ID

ADD = r"""
import sys
import jsonschema  # imported before "ready", so that the kills land inside the writes
import caucasus_corpus as cc
from caucasus_corpus.authoring.articles import add_article
root, trial = sys.argv[1], sys.argv[2]
print("ready", flush=True)
n = 0
while True:
    add_article(root, text=f"Fictional Varnia note {trial}-{n}.\n", title="Varnia note", language="en", id=f"note-{trial}-{n}")
    n += 1
"""

SESSION = r"""
import sys
import jsonschema
import caucasus_corpus as cc
root = sys.argv[1]
s = cc.annotate(root, "%s", annotator="kill-test")
print("ready", flush=True)
while True:
    rid = s.mention(quote="Ostrel", occurrence=1, actor="Ostrel", form="name")
    s.delete(rid)
""" % FICTION_ID


def kill_trials(root: Path, child: str, trials: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    leftovers = []
    for trial in range(trials):
        proc = subprocess.Popen([sys.executable, "-c", child, str(root), str(trial)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if (root / ".caucasus-corpus-txn").exists():
            leftovers.append(root)
        yield_check(root)
    return leftovers


def yield_check(root: Path) -> None:
    corpus = cc.load(root)  # finishes or discards the killed write, then checks every hash
    assert cc.release.validate(root) == []
    assert not (root / ".caucasus-corpus-txn").exists()
    texts = {p.stem for p in (root / "corpus" / "texts").glob("*.txt")}
    assert texts == set(corpus.article_ids)  # no text without its row, no row without its text


@pytest.mark.slow
def test_add_article_killed_at_random_points(fiction: Path) -> None:
    mid = kill_trials(fiction, ADD, 30, 9)
    assert len(cc.load(fiction).article_ids) > 1  # some adds completed
    assert len(mid) >= 1  # and some kills landed inside a commit


@pytest.mark.slow
def test_session_saves_killed_at_random_points(fiction: Path) -> None:
    kill_trials(fiction, SESSION, 30, 11)
    import re

    ids = set(cc.load(fiction).mentions["id"])
    extra = ids - {"f-m1", "f-m2", "f-m3", "f-m4"}
    # Each trial leaves its last save: at most one new mention (killed between create and delete).
    assert len(extra) <= 30 and all(re.fullmatch(r"f-m\d{3,}", i) for i in extra)
