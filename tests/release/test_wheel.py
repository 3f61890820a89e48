"""The wheel carries the data: build it, install it into a fresh venv outside the repo, load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import caucasus_corpus as cc

from support import REPO, SEED_ID, SEED_SHA256

pytestmark = pytest.mark.slow

PROBE = f"""
import hashlib, json, os, caucasus_corpus as cc
from caucasus_corpus.authoring import save
c = cc.load()
try:
    save(c.root, records={{}})
    refused = ""
except cc.CorpusError as exc:
    refused = str(exc)
print(json.dumps({{
    "refused": refused,
    "files_in_data": sorted(os.listdir(c.root)),
    "module": cc.__file__,
    "root": str(c.root),
    "version": c.version,
    "fingerprint": c.fingerprint,
    "seed_sha256": hashlib.sha256(c.text({SEED_ID!r}).encode("utf-8")).hexdigest(),
    "n_tokens": len(c.tokens),
}}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True, capture_output=True, timeout=600,
    )
    (whl,) = out.glob("caucasus_corpus-*.whl")
    return whl


def test_wheel_lists_every_manifest_file(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    manifest = json.loads((REPO / "datapackage.json").read_text())
    for res in manifest["resources"]:
        assert f"caucasus_corpus/_data/{res['path']}" in names
    assert "caucasus_corpus/_data/datapackage.json" in names
    assert "caucasus_corpus/py.typed" in names
    # Package files read at run time: the ISO 639 codes and the annotator's JavaScript and CSS.
    assert {"caucasus_corpus/release/iso639.txt", "caucasus_corpus/widgets/static/annotator.js",
            "caucasus_corpus/widgets/static/annotator.css"} <= names


def test_wheel_installed_in_fresh_venv_loads_the_same_release(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    # Without PYTHONPATH: a PYTHONPATH pointing at a checkout's src would make the fresh venv import
    # the checkout, and the probe's refused save would then succeed and rewrite the checkout's manifest.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=900, env=env)
    done = subprocess.run(
        [str(py), "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=True, timeout=300, env=env
    )
    got = json.loads(done.stdout)
    here = cc.load()
    assert got["module"].startswith(str(env_dir))  # not the checkout's source
    assert got["root"].startswith(str(env_dir)) and got["root"].endswith("_data")
    assert got["version"] == here.version
    assert got["fingerprint"] == here.fingerprint
    assert got["seed_sha256"] == SEED_SHA256
    assert got["n_tokens"] == len(here.tokens)
    # The installed copy is read-only to the library: a save is refused, and reading it left no lock file.
    assert "bundled with the installed caucasus_corpus package" in got["refused"]
    assert got["files_in_data"] == ["annotations", "corpus", "datapackage.json"]
