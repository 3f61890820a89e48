"""A writer killed at any moment leaves a release that loads, with the old or the new content."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import caucasus_corpus as cc
from support import FICTION_ID, fiction_records

# The child alternates between two record sets of the fictional release, forever.
CHILD = r"""
import json, sys
import jsonschema  # imported before "ready", so that the kills land inside the saves
from caucasus_corpus.authoring import save
root, a, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print("ready", flush=True)
n = 0
while True:
    save(root, records={"%s": a if n %% 2 else b})
    n += 1
""" % FICTION_ID


@pytest.mark.slow
def test_a_writer_killed_at_random_points_always_leaves_a_loadable_release(fiction: Path) -> None:
    a = fiction_records()
    b = [dict(r, note=f"edit {i}") for i, r in enumerate(a)] + [{**a[6], "id": "f-c9"}]
    states = {tuple(sorted(r["id"] for r in recs)) for recs in (a, b)}
    rng = random.Random(20261129)
    seen_states = set()
    mid_commit = 0
    for _trial in range(32):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(fiction), json.dumps(a), json.dumps(b)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))  # a save takes about 10 ms here
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        mid_commit += (fiction / ".caucasus-corpus-txn").exists()
        corpus = cc.load(fiction)  # finishes or discards the killed save, then checks every hash
        ids = tuple(sorted(corpus.annotations["id"]))
        assert ids in states
        seen_states.add(ids)
        assert cc.release.validate(fiction) == []
        assert not (fiction / ".caucasus-corpus-txn").exists()
    assert len(seen_states) == 2  # the kills landed both before and after saves completed
    assert mid_commit >= 3  # and some inside a save, leaving staging or a plan for load() to settle
