"""Sharded Parquet corpus: the Dask path (local and on a LocalCluster) equals the in-memory path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusFormatError, CorpusIntegrityError
from caucasus_corpus.model.corpus import Corpus
from caucasus_corpus.model.records import AnnotationData
from support import FICTION_ACTORS, FICTION_TEXT, FICTION_TOPICS, REPO, fiction_records, load_with_datasets

# Invented words (and some odd characters) for generated articles; never corpus data.
WORDS = ["Varnia", "Ostrel", "dam", "river", "the", "of", "said", "minister", "Andor", "Rimm", "border", "farms",
         "will", "close", "North-Ostrel", "Varnia's", "3.5", "北京", "שלום", "👋🏽", "e\u0301", ",", ".", "\u00a0"]


def generated_text(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 25))) + ".")
    return "\n\n".join(paragraphs)


def generated_corpus(n: int = 30, seed: int = 7) -> Corpus:
    """n fictional articles; every third one holds the annotated fictional story."""
    rng = random.Random(seed)
    texts, records = {}, []
    for i in range(n):
        aid = f"gen-{i:03d}"
        if i % 3 == 0:
            text = generated_text(rng) + "\n\n" + FICTION_TEXT + generated_text(rng)
            records += [{**r, "id": f"{aid}-{r['id']}"} for r in fiction_records(text, aid)]
        else:
            text = generated_text(rng)
        texts[aid] = text
    cameo_lines = (REPO / "annotations" / "cameo-1.1b3-threaten.tsv").read_text(encoding="utf-8").splitlines()[1:]
    topics = [dict(zip(("topic_id", "label", "description"), line.split("\t"))) for line in FICTION_TOPICS.splitlines()[1:]]
    data = AnnotationData(actors=FICTION_ACTORS, records=records, topics=topics,
                          cameo=dict(line.split("\t", 1) for line in cameo_lines))
    return Corpus(articles=cc.from_texts(texts).articles, texts=texts, annotations=data)


@pytest.fixture(scope="module")
def memory() -> Corpus:
    return generated_corpus()


@pytest.fixture(scope="module")
def sharded(memory: Corpus, tmp_path_factory) -> cc.ShardedCorpus:
    folder = memory.to_parquet(tmp_path_factory.mktemp("shards") / "corpus", shard_tokens=120)
    return cc.open_parquet(folder)


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


KWIC = [
    ("Varnia", {}),
    ("the", {"sort": "R1,L1", "window": 3}),
    ("Ostrel", {"sort": ["L2", "KW"]}),
    ("the dam", {"sort": "KW,R1"}),
    ("*a*", {"match": "glob", "sort": "R1"}),
    ("Andor", {"speaker": "Pell Andor"}),
    ("Ostrel", {"layer": "claim", "window": 1}),
    ("varnia", {"case": True}),
    ("Varnia", {"article": ["gen-004", "gen-021", "gen-003"]}),
    ("北京", {"window": 2}),
]
FREQUENCY = [{}, {"case": True, "kinds": ("word", "number", "punct")}, {"by": "article", "stopwords": "en"},
             {"by": "speaker"}, {"by": "speaker", "stopwords": ["said"], "min_count": 2}, {"min_count": 3}]
COLLOCATES = [("Varnia", {}), ("the", {"window": 2, "span": "right", "sort": "mi"}),
              ("Ostrel", {"stopwords": "en", "min_count": 2, "sort": "n"}), ("river dam", {"case": True, "sort": "t_score"})]


@pytest.mark.parametrize("where", ["local", "cluster"])
def test_every_query_equals_the_in_memory_corpus(where: str, memory: Corpus, sharded: cc.ShardedCorpus, request) -> None:
    dask_client = request.getfixturevalue("client") if where == "cluster" else None
    assert sharded.n_shards > 5 and sharded.article_ids == memory.article_ids
    for query, options in KWIC:
        expected = memory.kwic(query, **options)
        got = sharded.kwic(query, **options, client=dask_client)
        assert type(got) is type(expected)
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected), obj=f"kwic {query!r} {options}")
    assert any(len(memory.kwic(q, **o)) > 20 for q, o in KWIC)
    for options in FREQUENCY:
        pd.testing.assert_frame_equal(sharded.frequency(**options, client=dask_client), memory.frequency(**options),
                                      obj=f"frequency {options}")
    for node, options in COLLOCATES:
        expected = memory.collocates(node, **options)
        got = sharded.collocates(node, **options, client=dask_client)
        pd.testing.assert_frame_equal(got, expected, obj=f"collocates {node!r} {options}")
        assert got.attrs == expected.attrs and len(got) > 0
    for by in ("speaker", ["attribution", "target"]):
        pd.testing.assert_frame_equal(sharded.claim_frequency(by=by, client=dask_client), memory.claim_frequency(by=by))
    pd.testing.assert_frame_equal(sharded.stance_matrix(client=dask_client), memory.stance_matrix())
    pd.testing.assert_frame_equal(sharded.threat_table(client=dask_client), memory.threat_table())


def test_bad_options_fail_before_any_shard_is_read(sharded: cc.ShardedCorpus) -> None:
    with pytest.raises(ValueError, match="match"):
        sharded.kwic("Varnia", match="fuzzy")
    with pytest.raises(ValueError, match="sort"):
        sharded.kwic("Varnia", sort="R9", window=2)
    with pytest.raises(KeyError, match="gen-999"):
        sharded.kwic("Varnia", article="gen-999")
    with pytest.raises(KeyError):
        sharded.kwic("Varnia", speaker="Nobody Anywhere")
    with pytest.raises(ValueError, match="min_count"):
        sharded.frequency(min_count=0)


def test_layout_holds_int32_ids_offsets_and_one_vocabulary(memory: Corpus, sharded: cc.ShardedCorpus) -> None:
    root = sharded.root
    layout = json.loads((root / "layout.json").read_text())
    assert layout["layout_version"] == 2 and layout["n_tokens"] == len(memory.tokens)
    vocabulary = sharded.vocabulary
    assert vocabulary["token_id"].tolist() == list(range(len(vocabulary)))
    tokens = []
    for shard in layout["shards"]:
        table = pq.read_table(root / shard["folder"] / "tokens.parquet")
        assert [str(t) for t in table.schema.types] == ["int32"] * 4
        articles = pq.read_table(root / shard["folder"] / "articles.parquet").to_pandas()
        frame = table.to_pandas()
        for art, tid, s, e in zip(frame["article"], frame["token_id"], frame["start"], frame["end"]):
            text = articles["text"].iloc[art]
            assert text[s:e] == vocabulary["token"].iloc[tid]
            tokens.append((articles["article_id"].iloc[art], s, e))
        assert shard["tokens"] == len(frame)
    expected = memory.tokens
    assert tokens == list(zip(expected["article_id"], expected["start"], expected["end"]))
    counts = expected.groupby("token").size()
    assert dict(zip(vocabulary["token"], vocabulary["n"])) == counts.to_dict()
    # The whole corpus back in memory, from the shards.
    back = cc.from_parquet(root)
    for name in ("articles", "tokens", "claims", "threats", "stance", "mentions", "annotations"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(memory, name), obj=name)


def test_build_parquet_streams_texts_into_shards(memory: Corpus, tmp_path: Path) -> None:
    consumed = []

    def texts():  # type: ignore[no-untyped-def]
        for aid in memory.article_ids:
            consumed.append(aid)
            yield {"article_id": aid, "text": memory.text(aid), "published": "2031-03-01", "title": f"Title {aid}"}

    folder = cc.build_parquet(texts(), tmp_path / "built", shard_tokens=120, progress=False)
    built = cc.open_parquet(folder)
    assert consumed == memory.article_ids
    assert built.n_shards > 5 and not built.has_annotations and built.version is None
    layout = json.loads((folder / "layout.json").read_text())
    # A shard is closed as soon as it reaches shard_tokens: only its last article can take it past.
    for shard in layout["shards"][:-1]:
        last = pq.read_table(folder / shard["folder"] / "articles.parquet").column("article_id").to_pylist()[-1]
        assert shard["tokens"] >= 120 > shard["tokens"] - int((memory.tokens["article_id"] == last).sum())
    plain = cc.from_texts({a: memory.text(a) for a in memory.article_ids})
    for query, options in KWIC:
        if "speaker" in options or "layer" in options:
            continue
        pd.testing.assert_frame_equal(pd.DataFrame(built.kwic(query, **options)), pd.DataFrame(plain.kwic(query, **options)))
    pd.testing.assert_frame_equal(built.frequency(by="article"), plain.frequency(by="article"))
    articles = cc.from_parquet(folder).articles
    assert articles["title"].iloc[0] == f"Title {memory.article_ids[0]}" and str(articles["published"].iloc[0].date()) == "2031-03-01"
    with pytest.raises(cc.NoAnnotationsError):
        built.kwic("Varnia", speaker="Pell Andor")


def test_build_parquet_refuses_bad_items_and_keeps_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    cases = [([("Bad Id", "text")], "not a slug"), ([("a-1", "x"), ("a-1", "y")], "appears twice"),
             ([("a-1", None)], "not a str"), ([{"article_id": "a-1", "text": "x", "colour": "red"}], "unknown field"),
             (["just a string"], "text number 0")]
    for items, message in cases:
        with pytest.raises(ValueError, match=message):
            cc.build_parquet(items, target, progress=False)
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    cc.build_parquet({"a-1": "Pell Andor spoke."}, target, progress=False)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        cc.build_parquet({"a-2": "Kesa Rimm spoke."}, target, progress=False)
    cc.build_parquet({"a-2": "Kesa Rimm spoke."}, target, progress=False, overwrite=True)
    assert cc.open_parquet(target).article_ids == ["a-2"]
    with pytest.raises(ValueError, match="shard_tokens"):
        cc.build_parquet({"a-3": "x"}, tmp_path / "other", shard_tokens=0)


def test_missing_or_corrupt_shard_names_the_file(memory: Corpus, tmp_path: Path) -> None:
    folder = memory.to_parquet(tmp_path / "c", shard_tokens=120)
    shard = folder / "shards" / "00002" / "articles.parquet"
    data = shard.read_bytes()
    shard.unlink()
    with pytest.raises(CorpusIntegrityError, match=r"shards/00002/articles.parquet: file missing"):
        cc.open_parquet(folder)
    shard.write_bytes(data[:-10])
    with pytest.raises(CorpusIntegrityError, match=r"shards/00002/articles.parquet: .* bytes, but"):
        cc.open_parquet(folder)
    corrupt = bytearray(data)
    corrupt[len(data) // 2] ^= 0xFF  # a flipped byte in the file's structure: Arrow cannot read it
    shard.write_bytes(bytes(corrupt))
    with pytest.raises(CorpusFormatError, match=r"shards/00002/articles.parquet: not a readable Parquet file"):
        cc.open_parquet(folder).kwic("Varnia")
    at = data.rfind(b"Kesa Rimm")  # a changed letter in a text: Arrow reads it, the sha256 does not match
    shard.write_bytes(data[:at] + b"Kesi" + data[at + 4 :])
    with pytest.raises(CorpusIntegrityError, match=r"shards/00002/articles.parquet: the file changed"):
        cc.open_parquet(folder).kwic("Varnia")
    shard.write_bytes(data)
    layout = json.loads((folder / "layout.json").read_text())
    layout["shards"][1]["tokens"] += 1
    (folder / "layout.json").write_text(json.dumps(layout))
    with pytest.raises(CorpusFormatError, match=r"layout.json: shard 1 lists \d+ tokens but files holds \d+ rows"):
        cc.open_parquet(folder)  # the layout disagrees with itself: refused before any shard is read
    with pytest.raises(CorpusFormatError, match="unsharded export"):
        cc.open_parquet(memory.to_parquet(tmp_path / "flat"))


def test_sharded_writer_refuses_a_folder_that_is_not_empty(memory: Corpus, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not empty"):
        memory.to_parquet(busy, shard_tokens=100)
    with pytest.raises(FileExistsError, match="refusing to delete"):
        memory.to_parquet(busy, shard_tokens=100, overwrite=True)
    assert [p.name for p in busy.iterdir()] == ["mine.txt"]


def test_empty_results(sharded: cc.ShardedCorpus, memory: Corpus) -> None:
    pd.testing.assert_frame_equal(pd.DataFrame(sharded.kwic("Zzyzx")), pd.DataFrame(memory.kwic("Zzyzx")))
    pd.testing.assert_frame_equal(sharded.collocates("Zzyzx"), memory.collocates("Zzyzx"))
    assert np.array_equal(sharded.kwic("Zzyzx").columns, memory.kwic("Zzyzx").columns)


def test_hugging_face_datasets_reads_the_sharded_layout_offline(memory: Corpus, sharded: cc.ShardedCorpus,
                                                                 tmp_path: Path) -> None:
    frames = load_with_datasets(sharded.root, ["articles", "tokens", "vocabulary", "claims"], tmp_path)
    assert frames["articles"]["article_id"].tolist() == memory.article_ids  # every shard, in corpus order
    assert frames["articles"]["text"].tolist() == [memory.text(a) for a in memory.article_ids]
    assert len(frames["tokens"]) == len(memory.tokens) == int(frames["vocabulary"]["n"].sum())
    assert frames["claims"]["id"].tolist() == memory.claims["id"].tolist()


def test_a_corpus_of_no_texts(tmp_path: Path) -> None:
    empty = cc.open_parquet(cc.build_parquet([], tmp_path / "none", progress=False))
    nothing = cc.from_texts({})
    assert empty.n_shards == 0 and empty.article_ids == []
    pd.testing.assert_frame_equal(pd.DataFrame(empty.kwic("Varnia")), pd.DataFrame(nothing.kwic("Varnia")))
    pd.testing.assert_frame_equal(empty.frequency(by="article"), nothing.frequency(by="article"))
    pd.testing.assert_frame_equal(empty.collocates("Varnia"), nothing.collocates("Varnia"))


def test_bundled_release_sharded(bundled, tmp_path: Path) -> None:
    sharded = cc.open_parquet(bundled.to_parquet(tmp_path / "b", shard_tokens=100))
    assert sharded.n_shards == 1 and sharded.version == bundled.version  # an article is never split
    for query, options in [("Russia", {"sort": "L1,R1"}), ("VAK", {"speaker": "Hajiyev"}), ("*", {"match": "glob", "layer": "threat"})]:
        pd.testing.assert_frame_equal(pd.DataFrame(sharded.kwic(query, **options)), pd.DataFrame(bundled.kwic(query, **options)))
    pd.testing.assert_frame_equal(sharded.frequency(by="speaker", stopwords="en"), bundled.frequency(by="speaker", stopwords="en"))
    for name in ("annotations", "claims", "actors", "topics"):
        pd.testing.assert_frame_equal(getattr(sharded, name), getattr(bundled, name))


# Any texts (emoji, CJK, RTL, combining marks, no-break spaces, empty ones) and any shard size.
PIECES = st.sampled_from(["Varnia", "ostrel", "Ostrel's", "dam", "the", ",", ".", "北京和上海", "שָׁלוֹם", "👋🏽", "e\u0301",
                          "\u00a0", " ", "\n\n", "3.5", "VARNIA"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(PIECES, max_size=30).map(" ".join), min_size=1, max_size=6),
       shard_tokens=st.integers(1, 40))
def test_any_texts_any_shard_size(tmp_path_factory, texts: list[str], shard_tokens: int) -> None:
    memory = cc.from_texts({f"t-{i}": t for i, t in enumerate(texts)})
    sharded = cc.open_parquet(memory.to_parquet(tmp_path_factory.mktemp("h") / "s", shard_tokens=shard_tokens))
    for query, options in [("*", {"match": "glob", "sort": "L1,R1,KW", "window": 2}), ("varnia", {}), ("the dam", {"sort": "KW"})]:
        pd.testing.assert_frame_equal(pd.DataFrame(sharded.kwic(query, **options)), pd.DataFrame(memory.kwic(query, **options)))
    for options in ({"case": True, "kinds": ("word", "number", "punct")}, {"by": "article"}):
        pd.testing.assert_frame_equal(sharded.frequency(**options), memory.frequency(**options))
    pd.testing.assert_frame_equal(sharded.collocates("the", window=2), memory.collocates("the", window=2))


def test_a_shard_query_reads_its_stored_tokens_and_never_tokenises(memory: Corpus, sharded: cc.ShardedCorpus,
                                                                    monkeypatch) -> None:
    from caucasus_corpus.engine import numpy_index

    expected = [pd.DataFrame(memory.kwic("the", sort="R1")), memory.frequency(by="article"), memory.collocates("Varnia")]

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a shard query tokenised its texts")

    monkeypatch.setattr(numpy_index, "_tokenise", refuse)
    got = [pd.DataFrame(sharded.kwic("the", sort="R1")), sharded.frequency(by="article"), sharded.collocates("Varnia")]
    for g, e in zip(got, expected):
        pd.testing.assert_frame_equal(g, e)


def _stored_engines(folder: Path):  # type: ignore[no-untyped-def]
    """Per shard: (the engine built from its stored tokens, the engine tokenising its texts)."""
    from caucasus_corpus.engine import NumpyEngine

    vocabulary = pq.read_table(folder / "vocabulary.parquet").to_pandas()
    types, kinds = vocabulary["token"].to_numpy(dtype=object), vocabulary["kind"].to_numpy(dtype=object)
    for shard in json.loads((folder / "layout.json").read_text())["shards"]:
        articles = pq.read_table(folder / shard["folder"] / "articles.parquet").to_pandas()
        tokens = pq.read_table(folder / shard["folder"] / "tokens.parquet").to_pandas()
        texts = dict(zip(articles["article_id"], articles["text"]))
        stored = NumpyEngine.from_tokens(texts, **{c: tokens[c].to_numpy() for c in ("article", "token_id", "start", "end")},
                                         types=types, kinds=kinds)
        yield stored, NumpyEngine(texts, cache=False), tokens, texts, types, kinds


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(PIECES, max_size=30).map(" ".join), min_size=1, max_size=6),
       shard_tokens=st.integers(1, 40))
def test_the_engine_from_stored_tokens_equals_the_tokenising_engine(tmp_path_factory, texts: list[str],
                                                                   shard_tokens: int) -> None:
    from dataclasses import fields

    texts = [*texts, "Pell Andor\u00a0met Kesa Rimm in 北京 👋🏽."]
    folder = cc.from_texts({f"t-{i}": t for i, t in enumerate(texts)}).to_parquet(
        tmp_path_factory.mktemp("e") / "s", shard_tokens=shard_tokens)
    for stored, tokenised, *_ in _stored_engines(folder):
        for field in fields(stored._a):
            got, want = getattr(stored._a, field.name), getattr(tokenised._a, field.name)
            if want is None:  # paragraph and sentence numbers: made when asked for, in both
                assert got is None, field.name
                continue
            assert got.dtype == want.dtype and got.tolist() == want.tolist(), field.name


def test_stored_tokens_that_do_not_fit_their_texts_are_refused(tmp_path: Path) -> None:
    from caucasus_corpus.engine import NumpyEngine

    folder = cc.from_texts({"t-0": "Varnia's dam.", "t-1": "北京 👋🏽 Ostrel"}).to_parquet(tmp_path / "s", shard_tokens=100)
    stored, tokenised, tokens, texts, types, kinds = next(_stored_engines(folder))
    columns = {c: tokens[c].to_numpy().copy() for c in ("article", "token_id", "start", "end")}
    assert len(stored) == len(tokenised) == 7
    for column, change, message in [("end", lambda a: a + 1, "end is not its start plus its length"),
                                    ("start", lambda a: a + 1, "end is not its start plus its length"),
                                    ("article", lambda a: a[::-1].copy(), "article numbers must run in order"),
                                    ("token_id", lambda a: a + len(types), "token ids must lie in")]:
        with pytest.raises(ValueError, match=message):
            NumpyEngine.from_tokens(texts, **{**columns, column: change(columns[column])}, types=types, kinds=kinds)
    # Every character outside the tokens is white space ("plain") in texts the tokeniser wrote;
    # without the stored emoji of the second text that no longer holds there, and contexts are sliced.
    keep = np.arange(len(tokens)) != 4
    fewer = NumpyEngine.from_tokens(texts, **{c: a[keep] for c, a in columns.items()}, types=types, kinds=kinds)
    assert tokenised._a.plain.tolist() == [True, True] and fewer._a.plain.tolist() == [True, False]
    assert [str(s) for s in fewer.contexts(np.array([5]), 1, 5)[0]] == ["北京 👋🏽"]  # joined tokens: "北京 🏽"
    swapped = dict(zip(texts, reversed(list(texts.values()))))
    with pytest.raises(ValueError, match="lies outside its text|is not the one stored"):
        NumpyEngine.from_tokens(swapped, **columns, types=types, kinds=kinds)
