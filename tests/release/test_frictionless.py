"""datapackage.json is a valid Frictionless data package: `frictionless validate` passes, and fails
when one byte of a listed file changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import REPO, SEED_ID

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def frictionless_validate(root: Path) -> subprocess.CompletedProcess[str]:
    assert FRICTIONLESS.exists(), "install the dev extra: frictionless[json] provides the CLI"
    return subprocess.run([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=root,
                          capture_output=True, text=True, timeout=600)


def test_repository_datapackage_validates() -> None:
    out = frictionless_validate(REPO)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "INVALID" not in out.stdout


def test_one_changed_byte_fails_validation(release_copy: Path) -> None:
    assert frictionless_validate(release_copy).returncode == 0
    target = release_copy / "corpus" / "texts" / f"{SEED_ID}.txt"
    data = bytearray(target.read_bytes())
    data[200] ^= 0x01
    target.write_bytes(bytes(data))
    out = frictionless_validate(release_copy)
    assert out.returncode != 0
    assert "hash-count" in out.stdout


def test_a_released_manifest_still_validates(release_copy: Path) -> None:
    """release adds ``created`` and fresh resources; Frictionless must accept what it writes."""
    import shutil

    from caucasus_corpus.release import release

    from test_release import refresh_datacard

    shutil.copy2(REPO / "CHANGELOG.md", release_copy / "CHANGELOG.md")
    refresh_datacard(release_copy)
    release(release_copy, bump="patch")
    out = frictionless_validate(release_copy)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_working_copy_manifest_still_validates(release_copy: Path) -> None:
    """A save writes ``+dev`` and ``last_release`` into the manifest; Frictionless must accept it."""
    import json

    from caucasus_corpus.authoring import save

    path = release_copy / "annotations" / "records" / f"{SEED_ID}.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records[0]["note"] = "edited in a working copy"
    released = json.loads((release_copy / "datapackage.json").read_text())["version"]
    save(release_copy, records={SEED_ID: records})
    assert json.loads((release_copy / "datapackage.json").read_text())["version"] == f"{released}+dev"
    out = frictionless_validate(release_copy)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "INVALID" not in out.stdout
