"""The fast paths (one regex pass per text, counts at index time, vectorised KWIC contexts and sort
keys, lazy sentence numbers) equal plain reference computations from the tokens frame and texts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caucasus_corpus as cc
from caucasus_corpus.engine import contexts, numpy_index
from caucasus_corpus.text.rules import _tokenize_by_sentence, token_kind, token_spans, tokenize
from caucasus_corpus.vocab import TOKEN_KINDS
from caucasus_corpus.text.folding import fold

_SPACE = re.compile(r"\s+")
# Fictional words, punctuation that ends sentences or not, odd white space and other scripts.
PIECES = ["Varnia", "ostrel", "Pell", "Andor", "Kesa-Rimm", "rimm's", "Mr.", "J.", "3.5", "2026", ".", ",", "!", "?",
          ")", "(", '"', "—", "_", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\x1c", "Bakı", "Ərdəm", "Гянджа",
          "e\u0301", "日本語", "..."]
texts_strategy = st.lists(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), min_size=1, max_size=5)


def reference_kwic(corpus, query: str | list[str], window: int, case: bool, sort: list[str]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """KWIC as plain code makes it: the query's tokens consecutive in one article, contexts sliced
    from the text with white space collapsed, sorted in Python (the keyword by its folded string)."""
    phrase = [query] if isinstance(query, str) else query

    def same(a: str, b: str) -> bool:
        return a == b if case else fold(a) == fold(b)

    k = len(phrase)
    rows = []
    for aid, toks in corpus.tokens.groupby("article_id", sort=False):
        words = toks["token"].tolist()
        st_, en = toks["start"].to_numpy(), toks["end"].to_numpy()
        text = corpus.text(aid)
        for i in range(len(words) - k + 1):
            if not all(same(words[i + j], phrase[j]) for j in range(k)):
                continue
            last = i + k - 1
            lo, hi = max(i - window, 0), min(last + window, len(words) - 1)
            keyword = _SPACE.sub(" ", text[st_[i]:en[last]])
            keys = []
            for key in sort:
                if key == "KW":
                    keys.append(fold(keyword))
                    continue
                at = i - int(key[1:]) if key[0] == "L" else last + int(key[1:])
                keys.append(fold(words[at]) if 0 <= at < len(words) else "")
            rows.append({
                "article_id": aid, "token_index": i, "n_tokens": k, "start": st_[i], "end": en[last],
                "left": _SPACE.sub(" ", text[st_[lo]:en[i - 1]]) if lo < i else "",
                "keyword": keyword,
                "right": _SPACE.sub(" ", text[st_[last + 1]:en[hi]]) if hi > last else "",
                "_keys": keys,
            })
    order = sorted(range(len(rows)), key=lambda r: rows[r]["_keys"])
    columns = ["article_id", "token_index", "n_tokens", "start", "end", "left", "keyword", "right"]
    return pd.DataFrame([rows[r] for r in order], columns=columns)


# How contexts are made: Python's str.join for few cells; cut from the flat text for many (forced
# here on small corpora, also in blocks of a few rows and split into several small Arrow buffers);
# row by row without Arrow-backed strings.
CONTEXT_PATHS = {"python": {"FLAT_FROM": 1 << 40, "FEW": 1 << 40},
                 "flat": {"FLAT_FROM": 0, "FEW": 0},
                 "flat in blocks": {"FLAT_FROM": 0, "FEW": 0, "BLOCK": 3},
                 "flat in several buffers": {"FLAT_FROM": 0, "FEW": 0, "BUFFER_BYTES": 40},
                 "flat with plain offsets": {"FLAT_FROM": 0, "FEW": 0, "DELTA_LIMIT": 5},
                 "no arrow, in blocks": {"FLAT_FROM": 0, "FEW": 0, "ARROW_STRINGS": False, "BLOCK": 3}}


@contextmanager
def contexts_path(name: str) -> Iterator[None]:
    settings = CONTEXT_PATHS[name]
    saved = {k: getattr(contexts, k) for k in settings}
    saved_tokenise = numpy_index._ARROW_STRINGS
    for k, v in settings.items():
        setattr(contexts, k, v)
    numpy_index._ARROW_STRINGS = contexts.ARROW_STRINGS
    contexts.views_supported.cache_clear()
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(contexts, k, v)
        numpy_index._ARROW_STRINGS = saved_tokenise
        contexts.views_supported.cache_clear()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=texts_strategy, data=st.data())
def test_kwic_fast_path_equals_the_plain_result(texts: list[str], data: st.DataObject) -> None:
    corpus = cc.from_texts({f"doc-{i}": t for i, t in enumerate(texts)})
    tokens = corpus.tokens["token"].tolist()
    if not tokens:
        return
    query = data.draw(st.sampled_from(tokens))
    if not query.strip() or query in {"(", ")"}:
        return
    window = data.draw(st.integers(0, 4))
    case = data.draw(st.booleans())
    keys = ["KW"] + [f"{s}{k}" for s in "LR" for k in range(1, window + 1)]
    sort = data.draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
    if data.draw(st.booleans()):
        corpus.engine._order  # noqa: B018  (positions from the sorted index, not from a scan)
    with contexts_path(data.draw(st.sampled_from(list(CONTEXT_PATHS)))):
        got = pd.DataFrame(corpus.kwic([query], window=window, case=case, sort=sort or None))
    want = reference_kwic(corpus, query, window, case, sort)
    cols = list(want.columns)
    assert got[cols].astype(object).values.tolist() == want.astype(object).values.tolist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=texts_strategy, data=st.data())
def test_phrase_kwic_fast_path_equals_the_plain_result(texts: list[str], data: st.DataObject) -> None:
    # Phrases: keywords of several tokens (cut from the flat text or joined), sorted by their
    # folded string or by the neighbours of the phrase's first and last tokens.
    corpus = cc.from_texts({f"doc-{i}": t for i, t in enumerate(texts)})
    tokens = corpus.tokens["token"].tolist()
    usable = [i for i in range(len(tokens) - 1) if all(t.strip() and t not in {"(", ")"} for t in tokens[i : i + 2])]
    if not usable:
        return
    start = data.draw(st.sampled_from(usable))
    phrase = tokens[start : start + 2]
    window = data.draw(st.integers(0, 3))
    case = data.draw(st.booleans())
    keys = ["KW"] + [f"{s}{k}" for s in "LR" for k in range(1, window + 1)]
    sort = data.draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
    with contexts_path(data.draw(st.sampled_from(list(CONTEXT_PATHS)))):
        got = pd.DataFrame(corpus.kwic(phrase, window=window, case=case, sort=sort or None))
    want = reference_kwic(corpus, phrase, window, case, sort)
    assert got[list(want.columns)].astype(object).values.tolist() == want.astype(object).values.tolist()


@settings(max_examples=60, deadline=None)
@given(texts=texts_strategy)
def test_tokens_equal_nltk_sentence_by_sentence(texts: list[str]) -> None:
    for text in texts:
        assert tokenize(text) == _tokenize_by_sentence(text)
    corpus = cc.from_texts({f"doc-{i}": t for i, t in enumerate(texts)})
    frame = corpus.tokens
    ref = [(i, t.token, t.start, t.end, t.paragraph, t.sentence, t.kind)
           for i, text in enumerate(texts) for t in _tokenize_by_sentence(text)]
    got = list(zip(frame["article_id"].str.slice(4).astype(int), frame["token"], frame["start"], frame["end"],
                   frame["paragraph"], frame["sentence"], frame["kind"]))
    assert got == ref


@settings(max_examples=40, deadline=None)
@given(texts=texts_strategy, case=st.booleans(), kinds=st.sampled_from([("word",), ("word", "number"), ("punct",)]),
       min_count=st.integers(1, 3), stop=st.sampled_from([None, ["varnia", "Ostrel", "."]]))
def test_frequency_counted_at_index_time_equals_counting_the_tokens(texts: list[str], case: bool, kinds,  # type: ignore[no-untyped-def]
                                                                    min_count: int, stop) -> None:
    corpus = cc.from_texts({f"doc-{i}": t for i, t in enumerate(texts)})
    got = corpus.frequency(case=case, kinds=kinds, min_count=min_count, stopwords=stop)
    assert_frequency_equals_counter(got, corpus, case=case, kinds=kinds, min_count=min_count, stop=stop)


def assert_frequency_equals_counter(got: pd.DataFrame, corpus, *, case: bool, kinds, min_count: int = 1,  # type: ignore[no-untyped-def]
                                    stop=None) -> None:
    """``got`` is the frequency list a plain Counter over the tokens frame gives: same rows, order,
    ties (alphabetical), shares (of all counted tokens) and dtypes."""
    frame = corpus.tokens
    kept = [t if case else fold(t) for t, k in zip(frame["token"], frame["kind"]) if k in kinds]
    counts = Counter(kept)
    dropped = {fold(w) for w in stop or ()}
    want = sorted(((w, n) for w, n in counts.items() if n >= min_count and fold(w) not in dropped),
                  key=lambda kv: (-kv[1], kv[0]))
    assert list(zip(got["token"], got["n"])) == want
    assert got["share"].tolist() == [n / len(kept) for _, n in want]
    assert got.dtypes.astype(str).tolist() == ["string", "int64", "float64"]
    assert isinstance(got.index, pd.RangeIndex)


def test_positions_from_a_scan_equal_those_from_the_sorted_index(bundled) -> None:  # type: ignore[no-untyped-def]
    # The first queries scan the type codes; later ones read the positions sorted by type.
    queries = [(["the"], "exact", False), (["Russia"], "exact", True), (["russia"], "exact", True),
               (["of", "the"], "exact", False), (["gov*"], "glob", False), (["[A-Z].*"], "regex", True),
               (["Varnia"], "exact", False), (["the", "*"], "glob", False)]
    scanned = numpy_index.NumpyEngine(bundled.engine._texts, cache=False)
    sorted_ = numpy_index.NumpyEngine(bundled.engine._texts, cache=False)
    sorted_._order  # noqa: B018
    for parts, match, case in queries:
        got = scanned.find(parts, match=match, case=case)
        assert "_order" not in scanned.__dict__
        assert got.tolist() == sorted_.find(parts, match=match, case=case).tolist(), (parts, match, case)
    for _ in range(numpy_index._SCANS_BEFORE_ORDER):  # sorted once the scans have paid for it
        scanned.find(["the"], match="exact", case=False)
    assert "_order" in scanned.__dict__


def test_bundled_kwic_and_frequency_equal_the_reference(bundled) -> None:  # type: ignore[no-untyped-def]
    for case, kinds in ((False, ("word",)), (True, ("word", "number", "punct"))):
        assert_frequency_equals_counter(bundled.frequency(case=case, kinds=kinds), bundled, case=case, kinds=kinds)
    assert_frequency_equals_counter(bundled.frequency(stopwords=["The", "of"], min_count=2), bundled, case=False,
                                    kinds=("word",), min_count=2, stop=["The", "of"])
    for query, sort in (("the", ["R1", "L1"]), ("Russia", ["KW"]), ("VAK", [])):
        got = pd.DataFrame(bundled.kwic([query], window=3, sort=sort or None))
        want = reference_kwic(bundled, query, 3, False, sort)
        assert got[list(want.columns)].astype(object).values.tolist() == want.astype(object).values.tolist()


def test_sentences_are_computed_lazily_and_a_text_breaking_the_rule_rebuilds(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts = {"a": "Pell Andor visited Ostrel. Kesa Rimm stayed.\n\nVarnia voted."}
    corpus = cc.from_texts(texts)
    assert len(corpus.engine) and corpus.engine._a.sentence is None  # kwic and counts need no sentences
    expected = cc.from_texts(texts).tokens
    corpus2 = cc.from_texts(texts)
    len(corpus2.engine)
    monkeypatch.setattr(numpy_index, "sentence_numbers", lambda *a: None)  # as if a token crossed a boundary
    pd.testing.assert_frame_equal(corpus2.tokens, expected)
    assert corpus2.engine._a.sentence is not None


def test_a_ten_megabyte_single_line_tokenises() -> None:
    line = " ".join(["Varnia", "ostrel,", "Pell-Andor", "rimm"] * 400_000)[:10_000_000]
    tokens, start, end = token_spans(line)
    assert len(line) == 10_000_000 and len(tokens) > 1_500_000 and line[start[-1]:end[-1]] == tokens[-1]
    corpus = cc.from_texts({"long": line})
    assert len(corpus.kwic("Pell-Andor", window=2)) == line.count("Pell-Andor")
    assert int(corpus.frequency()["n"].iloc[0]) == line.count("Varnia")


def test_a_catastrophic_regex_is_stopped_with_a_clear_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    corpus = cc.from_texts({"a": "a" * 34 + " Varnia " + "a" * 30 + "b"})
    assert len(corpus.kwic("(a+)+$", match="regex")) == 1  # the regex engine runs this one in linear time
    monkeypatch.setattr(numpy_index, "REGEX_TIMEOUT", 0.2)
    with pytest.raises(ValueError, match=r"took longer than 0.2 s.*simplify the pattern"):
        corpus.kwic("(a|a)*(?<!a)", match="regex")  # exponential even in the regex engine


@pytest.mark.parametrize("window", [10**9, 1001, -1])
def test_window_is_bounded(window: int) -> None:
    corpus = cc.from_texts({"a": "Varnia votes."})
    with pytest.raises(ValueError, match="from 0 to 1000"):
        corpus.kwic("Varnia", window=window)
    with pytest.raises(ValueError, match="from 1 to 1000"):
        corpus.collocates("Varnia", window=window)


def test_empty_result_for_unspaced_script_says_why() -> None:
    corpus = cc.from_texts({"a": "東京都に行く。 Varnia"})
    assert [t for t in corpus.tokens["token"]][:2] == ["東京都に行く", "。"]
    empty = corpus.kwic("東京")
    assert len(empty) == 0 and "one token per run of characters" in empty.to_text()
    assert "one token per run" not in corpus.kwic("Ostrel").to_text()
    assert np.array_equal(corpus.engine.find(["東京都に行く"], match="exact", case=False), [0])


# -- the saved index ---------------------------------------------------------------------------------

SAVED_TEXTS = {"a": "Pell Andor visited Ostrel. Kesa Rimm stayed.\n\nVarnia voted.", "b": "Ostrel, Ostrel!"}


def _answers(engine: numpy_index.NumpyEngine) -> list[object]:
    return [engine.find(["ostrel"], match="exact", case=False).tolist(), engine.type_counts(["word"], case=False)[0].tolist(),
            [c.tolist() for c in engine.contexts(engine.find(["ostrel"], match="exact", case=False), 1, 2)],
            engine.token_frame().values.tolist()]


def test_a_saved_index_is_reused_memory_mapped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = numpy_index.NumpyEngine(SAVED_TEXTS, cache=tmp_path)
    want = _answers(first)
    folder = first.cache_path
    assert folder is not None and (folder / "manifest.json").is_file()
    again = numpy_index.NumpyEngine(dict(SAVED_TEXTS), cache=tmp_path)
    assert isinstance(again._a.codes, np.memmap)  # opened from the files, not rebuilt
    assert _answers(again) == want == _answers(numpy_index.NumpyEngine(SAVED_TEXTS, cache=False))


def test_a_changed_text_gets_a_new_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    old = numpy_index.NumpyEngine(SAVED_TEXTS, cache=tmp_path)
    len(old)
    changed = {**SAVED_TEXTS, "b": "Ostrel, Varnia!"}
    new = numpy_index.NumpyEngine(changed, cache=tmp_path)
    assert new.cache_path != old.cache_path
    assert _answers(new) == _answers(numpy_index.NumpyEngine(changed, cache=False))


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_a_damaged_index_is_detected_and_rebuilt(tmp_path, damage: str) -> None:  # type: ignore[no-untyped-def]
    first = numpy_index.NumpyEngine(SAVED_TEXTS, cache=tmp_path)
    want = _answers(first)
    target = first.cache_path / "codes.npy"
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[:-4])
    elif damage == "flip":
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "delete":
        target.unlink()
    else:
        (first.cache_path / "manifest.json").write_text("{not json")
    again = numpy_index.NumpyEngine(SAVED_TEXTS, cache=tmp_path)
    assert _answers(again) == want
    assert not isinstance(again._a.codes, np.memmap)  # rebuilt from the texts, then saved again
    assert isinstance(numpy_index.NumpyEngine(SAVED_TEXTS, cache=tmp_path)._a.codes, np.memmap)


@pytest.mark.parametrize("damage", ["flip a middle byte", "empty"])
def test_every_saved_file_is_checked(tmp_path, damage: str) -> None:  # type: ignore[no-untyped-def]
    first = numpy_index.NumpyEngine(SAVED_TEXTS, cache=tmp_path)
    want = _answers(first)
    folder = first.cache_path
    names = sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")
    assert {"codes.npy", "order.npy", "start.npy", "vocab.bin"} <= set(names)
    for name in names:
        target = folder / name
        data = target.read_bytes()
        middle = len(data) // 2
        target.write_bytes(data[:middle] + bytes([data[middle] ^ 0x10]) + data[middle + 1 :] if damage != "empty" else b"")
        again = numpy_index.NumpyEngine(SAVED_TEXTS, cache=tmp_path)
        assert not isinstance(again._a.codes, np.memmap), name  # the damage was seen: rebuilt, not trusted
        assert _answers(again) == want, name


def test_a_nul_token_survives_the_saved_vocabulary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    texts = {"a": "Varnia \x00 Ostrel \x00\x00 Pell"}
    want = _answers(numpy_index.NumpyEngine(texts, cache=False))
    numpy_index.NumpyEngine(texts, cache=tmp_path)._a  # noqa: B018
    assert _answers(numpy_index.NumpyEngine(texts, cache=tmp_path)) == want


@pytest.mark.parametrize("path", CONTEXT_PATHS)
def test_contexts_of_an_article_with_other_characters_between_tokens_are_sliced_from_the_text(monkeypatch, path: str) -> None:  # type: ignore[no-untyped-def]
    # No character is outside every token and not white space today; should the rules change,
    # such an article's contexts come from its text. Pretend every article is one.
    texts = {"a": "Pell  Andor\n\nvisited Ostrel,\tKesa Rimm.", "b": "Ostrel  Varnia"}
    want = pd.DataFrame(cc.from_texts(texts).kwic("Ostrel", window=2))
    real_scan = numpy_index.scan
    monkeypatch.setattr(numpy_index, "scan", lambda text: (*real_scan(text)[:3], False))
    with contexts_path(path):
        got = pd.DataFrame(cc.from_texts(texts).kwic("Ostrel", window=2))
    pd.testing.assert_frame_equal(got, want)
    assert got["left"].tolist() == ["Andor visited", ""]


# ASCII texts are tokenised together by whole-array operations; other texts by the regex pass.
ASCII_PIECES = ["Varnia", "ostrel", "Kesa-Rimm", "rimm's", "a-", "-b", "x--y", "'q'", "3.5", "_", "__a_", ".", ",", "(",
                " ", "  ", "\n", "\t", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x00", "\x7f", "~", "Bakı", "Ərdəm"]


class _NotAscii(str):
    """A str that claims not to be ASCII: sends a text down the regex pass."""

    def isascii(self) -> bool:
        return False


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(st.lists(st.sampled_from(ASCII_PIECES), max_size=30).map("".join), min_size=1, max_size=6),
       run=st.integers(1, 4))
def test_ascii_texts_tokenised_together_equal_the_regex_pass(texts: list[str], run: int) -> None:
    saved = numpy_index._ASCII_RUN
    numpy_index._ASCII_RUN = run
    try:
        got = numpy_index._tokenise({f"d{i}": t for i, t in enumerate(texts)})
    finally:
        numpy_index._ASCII_RUN = saved
    want = numpy_index._tokenise({f"d{i}": _NotAscii(t) for i, t in enumerate(texts)})
    assert got.vocab.tolist() == want.vocab.tolist()  # the same codes, in order of first occurrence
    assert got.type_kind.tolist() == [TOKEN_KINDS.index(token_kind(v)) for v in want.vocab]
    for name in ("codes", "start", "type_len", "type_kind", "type_count", "first", "last", "space_after", "plain"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name


def test_every_ascii_character_is_classed_as_the_regex_pass_classes_it() -> None:
    # The whole-array tokeniser classes characters by arithmetic: check each of the 128 in the
    # places where its class matters (alone, doubled, inside and at the ends of words).
    from caucasus_corpus.text.rules import ascii_token_bounds, scan

    for c in map(chr, range(128)):
        for text in (c, c + c, f"Varnia{c}", f"{c}ostrel", f"Pell{c}Andor", f"x{c}{c}y", f"3{c}5 {c}'a-{c}"):
            start, end, _ = ascii_token_bounds(np.frombuffer(text.encode("ascii"), dtype=np.uint8))
            _, want_start, want_end, _ = scan(_NotAscii(text))
            assert (start.tolist(), end.tolist()) == (want_start.tolist(), want_end.tolist()), repr(text)
