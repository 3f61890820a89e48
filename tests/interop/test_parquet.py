"""The Parquet layout: corpus -> to_parquet -> Hugging Face datasets (offline) / from_parquet, lossless."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusFormatError, CorpusIntegrityError, CorpusNotFoundError
from caucasus_corpus.interop import parquet
from caucasus_corpus.interop.parquet import TABLES, from_parquet, to_parquet
from caucasus_corpus.model.corpus import Corpus
from caucasus_corpus.model.records import AnnotationData
from support import FICTION_ACTORS, FICTION_ID, FICTION_TEXT, FICTION_TOPICS, REPO, fiction_records, load_with_datasets

FRAMES = ("articles", "tokens", "mentions", "claims", "threats", "stance", "actors", "topics", "annotations")
# Emoji (astral, with a skin-tone modifier), a combining mark, no-break spaces, CJK, Hebrew and Arabic.
ODD = "Pell 👋🏽 Andor e\u0301 \u00a0北京和上海 שָׁלוֹם مرحبا 𝔘 "


def cameo() -> dict[str, str]:
    lines = (REPO / "annotations" / "cameo-1.1b3-threaten.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t", 1) for line in lines)


def annotated(text: str) -> Corpus:
    """The fictional article (with every layer annotated) inside ``text``'s surroundings, in memory."""
    topics = [dict(zip(("topic_id", "label", "description"), line.split("\t"))) for line in FICTION_TOPICS.splitlines()[1:]]
    data = AnnotationData(actors=FICTION_ACTORS, records=fiction_records(text), topics=topics, cameo=cameo())
    return Corpus(articles=cc.from_texts({FICTION_ID: text}).articles, texts={FICTION_ID: text}, annotations=data)


def assert_same_corpus(a: Corpus, b: Corpus) -> None:
    assert b.article_ids == a.article_ids
    assert all(b.text(i) == a.text(i) for i in a.article_ids)
    assert (b.version, b.fingerprint, b.has_annotations) == (a.version, a.fingerprint, a.has_annotations)
    for name in FRAMES if a.has_annotations else ("articles", "tokens"):
        pd.testing.assert_frame_equal(getattr(b, name), getattr(a, name), obj=name)


def test_bundled_round_trip(bundled, tmp_path: Path) -> None:
    out = to_parquet(bundled, tmp_path / "export")
    assert out == (tmp_path / "export").absolute()
    back = cc.from_parquet(out)
    assert_same_corpus(bundled, back)
    for table in ("claim_frequency", "stance_matrix", "threat_table"):
        pd.testing.assert_frame_equal(getattr(back, table)(), getattr(bundled, table)())
    layout = json.loads((out / "layout.json").read_text())
    assert layout["layout_version"] == 1 and layout["corpus_version"] == bundled.version
    assert layout["files"]["claims.parquet"]["rows"] == len(bundled.claims)


def test_offsets_are_code_points_in_the_files(tmp_path: Path) -> None:
    text = ODD + FICTION_TEXT + ODD
    out = to_parquet(annotated(text), tmp_path / "x")
    tokens = pq.read_table(out / "tokens.parquet").to_pylist()
    assert tokens and all(text[t["start"] : t["end"]] == t["token"] for t in tokens)
    assert "👋🏽" in [t["token"] for t in tokens] or "👋" in [t["token"] for t in tokens]
    for name in ("mentions", "claims", "threats", "stance"):
        for row in pq.read_table(out / f"{name}.parquet").to_pylist():
            assert text[row["start"] : row["end"]] == row["text"]
            if row.get("cue") is not None:
                assert text[row["cue_start"] : row["cue_end"]] == row["cue"]
    article = pq.read_table(out / "articles.parquet").to_pylist()[0]
    assert article["text"] == text and article["n_chars"] == len(text)


# Texts from every plane (emoji, CJK, RTL, combining marks, no-break spaces), surrogates excluded
# (a Python str that cannot be UTF-8 is not a text a release can hold).
TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=TEXTS, after=TEXTS)
def test_round_trip_any_text(tmp_path_factory, before: str, after: str) -> None:
    original = annotated(before + FICTION_TEXT + after)
    back = from_parquet(to_parquet(original, tmp_path_factory.mktemp("p") / "out"))
    assert_same_corpus(original, back)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
def test_round_trip_unannotated(tmp_path_factory, texts: list[str]) -> None:
    original = cc.from_texts({f"t-{i}": t for i, t in enumerate(texts)})
    out = to_parquet(original, tmp_path_factory.mktemp("p") / "out")
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "articles.parquet", "layout.json", "tokens.parquet"]
    assert_same_corpus(original, from_parquet(out))


def as_documented(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    frame = frame[list(columns)].copy()
    for name, dtype in columns.items():
        if dtype == "object":
            frame[name] = [list(v) for v in frame[name]]
    return frame.astype(columns)


@pytest.mark.parametrize("which", ["bundled", "odd"])
def test_hugging_face_datasets_reads_every_table_offline(which: str, bundled, tmp_path: Path) -> None:
    corpus = bundled if which == "bundled" else annotated(ODD + FICTION_TEXT + ODD)
    out = to_parquet(corpus, tmp_path / "export")
    names = [n for n in TABLES if n != "cameo"]
    frames = load_with_datasets(out, names, tmp_path)
    articles = corpus.articles
    articles["text"] = pd.array([corpus.text(a) for a in articles["article_id"]], dtype="string")
    expected = {"articles": articles, **{n: getattr(corpus, n) for n in names if n != "articles"}}
    for name in names:
        got = as_documented(frames[name], TABLES[name]).drop(columns=["stored_attributes"], errors="ignore")
        pd.testing.assert_frame_equal(got, expected[name].reset_index(drop=True), obj=name)
    pd.testing.assert_frame_equal(frames["claims via data_files"], frames["claims"])
    card = (out / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "config_name: claims" in card


def test_writer_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    corpus = cc.from_texts({"n-1": "Kesa Rimm spoke."})
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty"):
        to_parquet(corpus, busy)
    with pytest.raises(FileExistsError, match="refusing to delete"):
        to_parquet(corpus, busy, overwrite=True)
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    out = to_parquet(corpus, tmp_path / "out")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        to_parquet(cc.from_texts({"n-2": "Ostrel replied."}), out)
    to_parquet(cc.from_texts({"n-2": "Ostrel replied."}), out, overwrite=True)
    assert from_parquet(out).article_ids == ["n-2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy", "out"]  # no staging folder left


def test_a_failed_write_leaves_the_earlier_export(tmp_path: Path, monkeypatch) -> None:
    out = to_parquet(cc.from_texts({"n-1": "Kesa Rimm spoke."}), tmp_path / "out")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []

    def failing(frame, columns, path):  # type: ignore[no-untyped-def]
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(frame, columns, path)

    real = parquet.write_table
    monkeypatch.setattr(parquet, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        to_parquet(cc.from_texts({"n-2": "Ostrel replied."}), out, overwrite=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_missing_changed_or_foreign_files_name_the_file(tmp_path: Path) -> None:
    out = to_parquet(annotated(FICTION_TEXT), tmp_path / "out")
    (out / "claims.parquet").unlink()
    with pytest.raises(CorpusIntegrityError, match="claims.parquet: file missing"):
        from_parquet(out)
    out = to_parquet(annotated(FICTION_TEXT), tmp_path / "out", overwrite=True)
    data = (out / "articles.parquet").read_bytes()
    (out / "articles.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(CorpusIntegrityError, match="articles.parquet: the file changed"):
        from_parquet(out)
    with pytest.raises(CorpusNotFoundError, match="layout.json not found"):
        from_parquet(tmp_path)
    with pytest.raises(CorpusFormatError, match="not a readable Parquet file"):
        parquet.read_table(out / "articles.parquet", TABLES["articles"])
    (out / "layout.json").write_text('{"format": "caucasus-corpus-parquet", "layout_version": 9}')
    with pytest.raises(CorpusFormatError, match="layout version 9"):
        from_parquet(out)


def test_facade_and_lazy_name(tmp_path: Path) -> None:
    corpus = cc.from_texts({"n-1": "Kesa Rimm spoke."})
    out = corpus.to_parquet(tmp_path / "out")
    assert cc.from_parquet(out).text("n-1") == "Kesa Rimm spoke."


def test_a_folder_written_before_the_provenance_columns_still_reads(bundled, tmp_path: Path) -> None:
    """articles.parquet without retrieved ... archived_url (as written before they existed): <NA>."""
    from caucasus_corpus.interop.parquet import file_entry
    from caucasus_corpus.model.articles import PROVENANCE_COLUMNS

    out = to_parquet(bundled, tmp_path / "export")
    path = out / "articles.parquet"
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(list(PROVENANCE_COLUMNS)), path)
    layout = json.loads((out / "layout.json").read_text(encoding="utf-8"))
    layout["files"]["articles.parquet"] = file_entry(path, table.num_rows)
    # Exports of that time carried no release files either (so no fingerprint to check against).
    del layout["files"][layout.pop("release")]
    (out / "release.parquet").unlink()
    (out / "layout.json").write_text(json.dumps(layout), encoding="utf-8")
    again = cc.from_parquet(out)
    assert again.fingerprint is None
    back = again.articles
    assert list(back.columns) == list(bundled.articles.columns)
    assert back[list(PROVENANCE_COLUMNS)].isna().all().all()
    assert back["title"].tolist() == bundled.articles["title"].tolist()
