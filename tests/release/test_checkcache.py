"""load() remembers a release that passed the whole check and skips re-checking the same bytes
(release/checkcache.py); any changed byte, a broken file or the option ``off`` gives a full check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusIntegrityError, CorpusValidationError
from caucasus_corpus.release import checkcache, rehash
from caucasus_corpus.release.files import known_valid_values, parse_jsonl
from support import FICTION_ID, REPO, fiction_records

RECORDS = f"annotations/records/{FICTION_ID}.jsonl"
PROBE = "import sys, caucasus_corpus as cc; c = cc.load(sys.argv[1]); print(len(c.annotations), 'jsonschema' in sys.modules)"


def probe(root: Path, cache: Path) -> tuple[int, bool]:
    """(records loaded, whether jsonschema was imported) in a fresh process."""
    env = {**os.environ, "CAUCASUS_CORPUS_CHECK_CACHE": str(cache), "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, check=True, env=env)
    n, imported = out.stdout.split()
    return int(n), imported == "True"


def test_a_second_load_of_the_same_bytes_skips_the_schemas_and_gives_the_same_corpus(fiction: Path, tmp_path: Path,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "checked"
    assert probe(fiction, cache) == (10, True)  # the first load checks every record against the schemas
    assert len(list(cache.iterdir())) == 1
    assert probe(fiction, cache) == (10, False)
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", "off")
    full = cc.load(fiction)
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(cache))
    assert checkcache.passed(full.fingerprint)
    again = cc.load(fiction)
    for name in ("articles", "annotations", "mentions", "claims", "threats", "stance", "actors", "topics"):
        pd.testing.assert_frame_equal(getattr(full, name), getattr(again, name), check_exact=True)
    assert [full.text(a) for a in full.article_ids] == [again.text(a) for a in again.article_ids]


def test_a_changed_record_is_checked_again(fiction: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "checked"))
    cc.load(fiction)
    recs = fiction_records()
    recs[0]["form"] = "nickname"  # not in the schema's enum
    recs[1]["end"] += 1  # the span no longer matches the text: a check no schema makes
    (fiction / RECORDS).write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    rehash(fiction)
    with pytest.raises(CorpusValidationError) as err:
        cc.load(fiction)
    assert "f-m1: form: 'nickname' is not allowed" in str(err.value)
    assert "f-m2: span text" in str(err.value)
    assert len(list((tmp_path / "checked").iterdir())) == 1  # the refused release is not remembered
    with pytest.raises(CorpusValidationError):
        cc.load(fiction)


def test_a_byte_changed_without_rehash_is_refused_though_remembered(fiction: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "checked"))
    cc.load(fiction)
    text = fiction / "corpus" / "texts" / f"{FICTION_ID}.txt"
    text.write_bytes(text.read_bytes().replace(b"Varnia", b"Varnie", 1))
    with pytest.raises(CorpusIntegrityError, match=f"corpus/texts/{FICTION_ID}.txt"):
        cc.load(fiction)


def test_off_remembers_nothing(fiction: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", "off")
    corpus = cc.load(fiction)
    assert checkcache.folder() is None and not checkcache.passed(corpus.fingerprint)
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "unwritable" / "checked"))
    (tmp_path / "unwritable").write_text("a file, not a folder")
    assert len(cc.load(fiction).annotations) == 10  # a cache that cannot be written is no error


def test_the_one_call_parse_equals_the_line_by_line_parse() -> None:
    data = '{"a": 1, "b": [1, {"c": "x\\u00e9"}]}\r\n\n   \n{"d": null}\n{"e": "\\n,]"}'.encode()
    assert known_valid_values(data) == [value for _line, value in parse_jsonl(data, "f.jsonl")[0]]
    assert parse_jsonl(data, "f.jsonl")[0][2][0] == 5


def test_a_remembered_release_keeps_gold_and_annotator_records_apart(double: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from caucasus_corpus.release.check import check_release
    from caucasus_corpus.release.manifest import read_manifest

    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "checked"))
    full = check_release(read_manifest(double), remembered=True)  # nothing remembered yet: the whole check
    assert full.independent and full.annotations.records and not full.problems
    cc.load(double)  # now remembered
    quick = check_release(read_manifest(double), remembered=True)
    assert quick.independent == full.independent
    assert quick.annotations.records == full.annotations.records
    assert quick.adjudication == full.adjudication
