"""The quick path of ``load()`` (a release remembered by release/checkcache.py: files read by one
FolderReader, records parsed by orjson in one call per file) gives exactly what the full check
gives, and refuses the same broken files, naming file and line."""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import caucasus_corpus as cc
from caucasus_corpus._frames import typed_frame
from caucasus_corpus.errors import CorpusError, CorpusIntegrityError
from caucasus_corpus.release import check, checkcache, rehash
from caucasus_corpus.release.check import check_release
from caucasus_corpus.release.files import known_valid_values, parse_jsonl
from caucasus_corpus.release.manifest import bundled_root, read_manifest
from caucasus_corpus.model.records import _COMMON, ANNOTATION_COLUMNS, AnnotationData, annotations_frame
from caucasus_corpus.vocab import PRINCIPAL
from support import FICTION_ID, REPO

FRAMES = ("articles", "annotations", "mentions", "claims", "threats", "stance", "actors", "topics")
RECORDS = f"annotations/records/{FICTION_ID}.jsonl"


def generated(root: Path, articles: int, records: int) -> Path:
    """The benchmark's generated fictional release (benchmarks/bench_load.py), small."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from bench_load import write_big_release
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return write_big_release(root, articles, records)


def full_and_quick(root: Path | None, cache: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[cc.Corpus, cc.Corpus]:
    """The release loaded with the full check and then again on the quick path."""
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(cache))
    full = cc.load(root)  # nothing remembered in this cache yet: the full check, then remembered
    assert checkcache.passed(full.fingerprint)
    quick = cc.load(root)
    return full, quick


def assert_same(full: cc.Corpus, quick: cc.Corpus) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(full, name), getattr(quick, name), check_exact=True)
    assert [full.text(a) for a in full.article_ids] == [quick.text(a) for a in quick.article_ids]


def test_the_quick_path_gives_the_frames_of_the_full_check_on_the_bundled_release(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    full, quick = full_and_quick(None, tmp_path / "checked", monkeypatch)
    assert len(quick.annotations) > 0
    assert_same(full, quick)


def test_the_quick_path_gives_the_records_of_the_full_check_on_the_generated_release(tmp_path: Path,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = generated(tmp_path / "big", 12, 1200)
    full, quick = full_and_quick(root, tmp_path / "checked", monkeypatch)
    assert len(quick.annotations) == 1200 and len(quick.claims) > 0 and len(quick.threats) > 0
    assert_same(full, quick)
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", "off")
    checked = check_release(read_manifest(root))
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "checked"))
    remembered = check_release(read_manifest(root), remembered=True)
    assert remembered.annotations.records == checked.annotations.records  # every field of every record, in order


# JSON values as someone else's files may hold them: floats of every kind, integers past 64 bits,
# lone surrogates (\ud800), NaN; orjson refuses what it reads differently and json reads those.
_SCALARS = (st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=True, allow_infinity=True)
            | st.text(st.characters(codec=None), max_size=12))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                       max_leaves=8)
# Blank lines of every kind: parse_jsonl skips what str.strip empties (also non-ASCII spaces).
_BLANK = st.sampled_from(["", "  ", "\t", "\r", "\u00a0", "\u2028", "\x0c"])


def _same(a: object, b: object) -> bool:
    """Equal and of the same types all the way down (so -0.0 differs from 0.0 and 1 from 1.0; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))  # type: ignore[arg-type]
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))  # type: ignore[arg-type]
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)  # type: ignore[index]
    return a == b


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_VALUES, st.booleans(), _BLANK, st.booleans()), max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_the_one_call_parse_gives_the_values_of_the_line_by_line_parse(lines: list, end: str) -> None:
    parts = []
    for value, ascii_only, blank, blank_first in lines:
        line = json.dumps(value, ensure_ascii=ascii_only)
        parts += [blank, line] if blank_first else [line, blank]
    data = end.join(parts).encode("utf-8", "surrogatepass")
    objects, errors = parse_jsonl(data, "f.jsonl")
    if errors:  # a lone surrogate written raw (not escaped) is no UTF-8: such a file is never remembered
        assert not all(ascii_only for _v, ascii_only, _b, _f in lines)
        return
    assert _same(known_valid_values(data), [value for _line, value in objects])


def _change_a_byte(root: Path) -> None:
    path = root / RECORDS
    path.write_bytes(path.read_bytes().replace(b"Pell Andor", b"Pell Andar", 1))  # same size, another sha256


def _break_line_3(root: Path) -> None:
    lines = (root / RECORDS).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace('"start": ', '"start" ', 1)
    (root / RECORDS).write_text("".join(lines), encoding="utf-8")
    rehash(root)  # a new fingerprint: not remembered, so checked in full


REFUSALS = {
    "a byte changed, not rehashed": (_change_a_byte, CorpusIntegrityError, f"{RECORDS}: sha256 is"),
    "line 3 malformed, rehashed": (_break_line_3, CorpusError, f"{RECORDS}:3: malformed JSON at column"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_broken_records_file_of_a_remembered_release_is_refused_on_every_load(case: str, fiction: Path, tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    break_it, error, message = REFUSALS[case]
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "checked"))
    cc.load(fiction)
    cc.load(fiction)  # remembered
    break_it(fiction)
    for _ in range(2):
        with pytest.raises(error, match=message):
            cc.load(fiction)


def test_a_texts_folder_linked_to_a_folder_outside_is_refused_on_the_quick_path(fiction: Path, tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "checked"))
    cc.load(fiction)  # remembered: same bytes, now behind a link
    shutil.move(fiction / "corpus" / "texts", tmp_path / "outside")
    (fiction / "corpus" / "texts").symlink_to(tmp_path / "outside", target_is_directory=True)
    with pytest.raises(CorpusIntegrityError, match=f"texts/{FICTION_ID}.txt: is a symbolic link to a file outside"):
        cc.load(fiction)


def test_a_text_linked_to_a_file_inside_the_folder_still_loads(fiction: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", str(tmp_path / "checked"))
    text = fiction / "corpus" / "texts" / f"{FICTION_ID}.txt"
    (fiction / "spare").mkdir()
    shutil.move(text, fiction / "spare" / text.name)
    text.symlink_to(os.path.join("..", "..", "spare", text.name))
    assert cc.load(fiction).text(FICTION_ID) == (fiction / "spare" / text.name).read_text(encoding="utf-8")


def test_a_long_full_check_shows_a_progress_bar_and_a_short_one_none(fiction: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CAUCASUS_CORPUS_CHECK_CACHE", "off")
    cc.load(fiction)
    assert "checking records" not in capsys.readouterr().err
    monkeypatch.setattr(check, "_PROGRESS_FROM_BYTES", 100)  # as if the records were megabytes
    cc.load(fiction)
    assert "checking records: 100%" in capsys.readouterr().err


def _row_by_row(data: AnnotationData) -> pd.DataFrame:
    """corpus.annotations as it was built before the column-wise builder: a frame of row dicts."""
    rows = [{**{k: r[k] for k in _COMMON}, "actor": r[PRINCIPAL[r["layer"]]],
             "attributes": {k: v for k, v in r.items() if k not in _COMMON}} for r in data.records]
    return typed_frame(rows, ANNOTATION_COLUMNS).sort_values(["article_id", "start", "end", "layer"], ignore_index=True)


def test_the_column_wise_annotations_frame_equals_the_frame_of_row_dicts(tmp_path: Path) -> None:
    for root in (bundled_root(), generated(tmp_path / "big", 6, 600)):
        data = check_release(read_manifest(root), remembered=True).annotations
        assert data.records
        built, reference = annotations_frame(data), _row_by_row(data)
        pd.testing.assert_frame_equal(built, reference, check_exact=True)
        assert [list(a) for a in built["attributes"]] == [list(a) for a in reference["attributes"]]  # same key order
    pd.testing.assert_frame_equal(annotations_frame(AnnotationData()), _row_by_row(AnnotationData()))
