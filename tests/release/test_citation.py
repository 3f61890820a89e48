"""CITATION.cff is valid CFF 1.2.0 (checked with cffconvert) and corpus.cite() agrees with it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

import caucasus_corpus as cc
from caucasus_corpus.release.citation import STYLES

from support import REPO

CFF = REPO / "CITATION.cff"


def cffconvert() -> str:
    """cffconvert lives in its own venv (it pins an old jsonschema); make test passes its path."""
    exe = os.environ.get("CFFCONVERT")
    if not exe:
        if os.environ.get("CI") == "true":
            pytest.fail("CFFCONVERT is not set; CI must run the suite through `make test`")
        pytest.skip("CFFCONVERT is not set (run `make test` to check CITATION.cff with cffconvert)")
    return exe


def validate_cff(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([cffconvert(), "--validate", "-i", str(path)], capture_output=True, text=True, timeout=120)


def test_citation_cff_is_valid_for_schema_1_2_0() -> None:
    out = validate_cff(CFF)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "valid according to schema version 1.2.0" in out.stdout


def test_cffconvert_rejects_a_broken_citation_file(tmp_path: Path) -> None:
    broken = tmp_path / "CITATION.cff"
    broken.write_text(CFF.read_text(encoding="utf-8").replace("type: dataset", "type: database"), encoding="utf-8")
    assert validate_cff(broken).returncode != 0


def test_cite_cff_output_is_valid_cff_too(tmp_path: Path) -> None:
    out_file = tmp_path / "CITATION.cff"
    out_file.write_text(cc.load().cite(style="cff"), encoding="utf-8")
    out = validate_cff(out_file)
    assert out.returncode == 0, out.stdout + out.stderr


def test_citation_cff_is_a_dataset_with_no_doi_and_no_url() -> None:
    meta = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    assert meta["cff-version"] == "1.2.0"
    assert meta["type"] == "dataset"
    assert meta["authors"] == [{"name": "caucasus-corpus maintainers"}]
    assert "doi" not in meta and "url" not in meta and "repository-code" not in meta
    assert "No DOI" in meta["message"]
    assert "version" not in meta  # the data version lives in datapackage.json only
    assert not re.search(r"\b10\.\d{4,9}/", CFF.read_text(encoding="utf-8"))  # nothing that looks like a DOI


def test_cite_cff_matches_citation_cff_and_adds_version_and_fingerprint(bundled: cc.Corpus) -> None:
    corpus = bundled
    repo = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    ours = yaml.safe_load(corpus.cite(style="cff"))
    for key in ("cff-version", "type", "title", "authors", "abstract", "keywords"):
        assert ours[key] == repo[key], key
    assert ours["version"] == corpus.version
    assert ours["identifiers"] == [{
        "type": "other",
        "value": f"sha256:{corpus.fingerprint}",
        "description": ours["identifiers"][0]["description"],
    }]
    assert "doi" not in ours


@pytest.mark.parametrize("style", STYLES)
def test_every_style_names_version_and_fingerprint_and_says_no_doi(style: str, bundled: cc.Corpus) -> None:
    corpus = bundled
    text = corpus.cite(style=style)
    assert corpus.version in text and corpus.fingerprint in text
    assert "No DOI" in text
    assert "doi.org" not in text and "http" not in text


def test_bibtex_is_a_misc_entry_with_version_and_note(bundled: cc.Corpus) -> None:
    corpus = bundled
    text = corpus.cite()
    assert text == corpus.cite(style="bibtex")
    assert re.match(r"@misc\{caucasus_corpus_\d+_\d+_\d+,\n", text)
    assert f"  version = {{{corpus.version}}},\n" in text
    note = re.search(r"  note = \{(.*)\}\n", text).group(1)
    assert corpus.fingerprint in note and "No DOI" in note
    assert text.count("{") == text.count("}")


def test_apa_has_no_invented_date_before_a_release_is_dated(bundled: cc.Corpus) -> None:
    corpus = bundled
    text = corpus.cite(style="apa")
    import json

    created = json.loads((corpus.root / "datapackage.json").read_text()).get("created")
    expected = f"({created[:4]})" if created else "(n.d.)"
    assert text.startswith(f"caucasus-corpus maintainers. {expected}. ")
    assert f"(Version {corpus.version}) [Data set]" in text


def test_cite_uses_the_release_date_once_released(tmp_path: Path) -> None:
    from support import write_release
    from caucasus_corpus.release import release

    root = write_release(tmp_path / "r")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## Data\n", encoding="utf-8")
    from datetime import datetime, timezone

    release(root, bump="minor", now=datetime(2031, 3, 1, tzinfo=timezone.utc))
    corpus = cc.load(root)
    assert corpus.cite(style="apa").startswith("caucasus-corpus maintainers. (2031). ")
    assert "  year = {2031},\n" in corpus.cite()
    assert yaml.safe_load(corpus.cite(style="cff"))["date-released"] == "2031-03-01"


def test_bad_style_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="'bibtex', 'apa', 'cff'"):
        cc.load().cite(style="chicago")
    with pytest.raises(TypeError):
        cc.load().cite("apa")  # style is keyword-only
