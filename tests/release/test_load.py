"""Loading the release: from the checkout, byte-identity of the seed, integrity and bad input."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import rehash

from support import REPO, SEED, SEED_ID, SEED_SHA256


def test_load_from_checkout_reads_this_repository(bundled: cc.Corpus) -> None:
    corpus = bundled
    assert corpus.root == REPO
    assert re.fullmatch(r"\d+\.\d+\.\d+", corpus.version)
    assert corpus.version == json.loads((REPO / "datapackage.json").read_text())["version"]
    assert re.fullmatch(r"[0-9a-f]{64}", corpus.fingerprint)
    assert SEED_ID in corpus.article_ids


def test_load_accepts_folder_or_manifest_path_and_gives_same_fingerprint() -> None:
    a = cc.load(REPO)
    b = cc.load(str(REPO / "datapackage.json"))
    assert a.fingerprint == b.fingerprint == cc.load().fingerprint


def test_seed_file_is_byte_identical_to_the_seed() -> None:
    stored = (REPO / "corpus" / "texts" / f"{SEED_ID}.txt").read_bytes()
    assert hashlib.sha256(stored).hexdigest() == SEED_SHA256
    if SEED.exists():  # the shared folder sits beside the checkout in development and CI
        assert stored == SEED.read_bytes()


def test_text_is_the_verbatim_stored_text_with_nbsp_and_typos() -> None:
    text = cc.load().text(SEED_ID)
    stored = (REPO / "corpus" / "texts" / f"{SEED_ID}.txt").read_bytes().decode("utf-8")
    assert text == stored
    assert "\u00a0" in text  # no-break spaces are kept
    assert "will not hav a positive impact" in text  # the source's typo is kept
    assert "political editor of\n" in text  # the truncated byline is kept


def test_seed_metadata_holds_the_verified_facts() -> None:
    row = cc.load().articles.set_index("article_id").loc[SEED_ID]
    assert row["title"] == "Relations between Azerbaijan and Russia hit an uncharacteristically low point"
    assert row["published"] == pd.Timestamp("2017-05-17")
    assert row["outlet"] == "commonspace.eu"
    assert row["url"] == "http://commonspace.eu/index.php?m=23&news_id=4232&lng=eng"
    assert (row["genre"], row["language"]) == ("commentary", "en")
    assert pd.isna(row["author"])  # no personal name is given: unknown, never guessed
    assert "missing" in row["notes"]


def test_unknown_article_id_raises_keyerror_with_close_match(bundled: cc.Corpus) -> None:
    corpus = bundled
    with pytest.raises(KeyError, match=SEED_ID):
        corpus.text(SEED_ID.replace("russia", "rusia"))


def test_tampered_text_raises_integrity_error_naming_the_file(release_copy: Path) -> None:
    target = release_copy / "corpus" / "texts" / f"{SEED_ID}.txt"
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01  # one bit of one byte
    target.write_bytes(bytes(data))
    with pytest.raises(cc.CorpusIntegrityError, match=re.escape(f"{SEED_ID}.txt")) as info:
        cc.load(release_copy)
    assert info.value.path == f"corpus/texts/{SEED_ID}.txt"


def test_missing_listed_file_raises_integrity_error(release_copy: Path) -> None:
    (release_copy / "corpus" / "articles.csv").unlink()
    with pytest.raises(cc.CorpusIntegrityError, match=r"articles\.csv.*missing"):
        cc.load(release_copy)


def test_untouched_copy_loads_with_the_same_fingerprint(release_copy: Path) -> None:
    assert cc.load(release_copy).fingerprint == cc.load().fingerprint


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(cc.CorpusNotFoundError, match="no such folder"):
        cc.load(tmp_path / "nope")
    with pytest.raises(FileNotFoundError):  # also catchable as the builtin
        cc.load(tmp_path / "nope")


def test_missing_manifest_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(cc.CorpusNotFoundError, match="no datapackage.json here"):
        cc.load(tmp_path)


def test_malformed_manifest_names_line_and_column(release_copy: Path) -> None:
    manifest = release_copy / "datapackage.json"
    manifest.write_text(manifest.read_text().replace('"version"', '"version" "oops"', 1))
    with pytest.raises(cc.CorpusFormatError, match=r"datapackage\.json:\d+:\d+: malformed JSON"):
        cc.load(release_copy)


def test_manifest_with_bad_hash_field_is_a_format_error(release_copy: Path) -> None:
    manifest = release_copy / "datapackage.json"
    desc = json.loads(manifest.read_text())
    desc["resources"][0]["hash"] = "md5:abc"
    manifest.write_text(json.dumps(desc))
    with pytest.raises(cc.CorpusFormatError, match="sha256:<64 hex digits>"):
        cc.load(release_copy)


def test_path_must_be_str_or_path() -> None:
    with pytest.raises(TypeError, match="str or pathlib.Path"):
        cc.load(42)  # type: ignore[arg-type]


def test_invalid_metadata_is_reported_with_file_and_line(release_copy: Path) -> None:
    csv_path = release_copy / "corpus" / "articles.csv"
    csv_path.write_text(csv_path.read_text().replace(",commentary,", ",rumour,"))
    rehash(release_copy)  # the hashes match again, so only the content check can catch it
    with pytest.raises(cc.CorpusValidationError, match=r"corpus/articles\.csv:2: genre: 'rumour' is not allowed"):
        cc.load(release_copy)


def test_package_import_stays_light() -> None:
    import subprocess
    import sys

    heavy = ["pandas", "numpy", "nltk", "ipywidgets", "matplotlib", "jsonschema"]
    code = f"import sys, caucasus_corpus; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
