"""Frequency, collocates and dispersion checked against independent implementations on the same
tokens: collections.Counter, plain-Python windows, NLTK's BigramAssocMeasures and
BigramCollocationFinder, and NLTK's ConcordanceIndex."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from nltk.collocations import BigramCollocationFinder
from nltk.metrics import BigramAssocMeasures
from nltk.text import ConcordanceIndex

import caucasus_corpus as cc

from support import REPO, SEED_ID, fiction_records
from caucasus_corpus.text.folding import fold

matplotlib.use("Agg")


@pytest.fixture(params=["bundled", "fiction"])
def corpus(request: pytest.FixtureRequest, tmp_path: Path) -> cc.Corpus:
    if request.param == "bundled":
        return request.getfixturevalue("bundled")
    from support import write_release

    return cc.load(write_release(tmp_path / "fiction"))


def stream(corpus: cc.Corpus, kinds: tuple[str, ...] = ("word",), case: bool = False) -> list[tuple[str, str]]:
    """(article_id, form) of every counted token, in corpus order."""
    t = corpus.tokens
    t = t[t["kind"].isin(kinds)]
    return [(a, tok if case else fold(tok)) for a, tok in zip(t["article_id"], t["token"])]


def test_frequency_equals_counter(corpus: cc.Corpus) -> None:
    words = [w for _, w in stream(corpus)]
    expected = Counter(words)
    freq = corpus.frequency()
    assert dict(zip(freq["token"], freq["n"])) == expected
    assert freq["share"].tolist() == pytest.approx([expected[w] / len(words) for w in freq["token"]])
    # most frequent first, ties alphabetical
    assert list(zip(freq["n"], freq["token"])) == sorted(((n, w) for w, n in expected.items()), key=lambda p: (-p[0], p[1]))


def test_frequency_case_kinds_and_min_count(corpus: cc.Corpus) -> None:
    cased = corpus.frequency(case=True, kinds=("word", "number"), min_count=2)
    expected = Counter(w for _, w in stream(corpus, ("word", "number"), case=True))
    assert dict(zip(cased["token"], cased["n"])) == {w: n for w, n in expected.items() if n >= 2}


def test_frequency_by_article_equals_counter_per_article() -> None:
    corpus = cc.from_texts({"a": "Varnia, Varnia and Ostrel.", "b": "Ostrel and the Ostrel river", "c": "..."})
    freq = corpus.frequency(by="article")
    for aid in corpus.article_ids:
        words = [w for a, w in stream(corpus) if a == aid]
        part = freq[freq["article_id"] == aid]
        assert dict(zip(part["token"], part["n"])) == Counter(words)
        assert part["share"].tolist() == pytest.approx([Counter(words)[w] / len(words) for w in part["token"]])


def test_stopwords_come_from_the_shipped_file(corpus: cc.Corpus) -> None:
    path = REPO / "src" / "caucasus_corpus" / "analysis" / "stopwords" / "en.txt"
    listed = {w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")}
    assert cc.stopwords("en") == listed and {"the", "and", "of"} <= listed
    freq = corpus.frequency(stopwords="en")
    words = [w for _, w in stream(corpus)]
    assert dict(zip(freq["token"], freq["n"])) == {w: n for w, n in Counter(words).items() if w not in listed}
    own = corpus.frequency(stopwords=["The", "of"])
    assert set(own["token"]) == set(words) - {"the", "of"}


def test_frequency_by_speaker_counts_tokens_inside_their_claims(tmp_path: Path) -> None:
    from support import FICTION_ID, FICTION_TEXT, span, write_release

    records = fiction_records()
    # A second, nested claim of the same speaker: its tokens must still count once for him.
    nested = dict(next(r for r in records if r["id"] == "f-c2"), id="f-c4", text="we will close the border")
    nested["start"], nested["end"] = span(FICTION_TEXT, "we will close the border")
    records.append(nested)
    corpus = cc.load(write_release(tmp_path / "r", records={FICTION_ID: records}))
    t = corpus.tokens
    t = t[t["kind"] == "word"]
    # a token inside two claims of one speaker counts once, so collect token positions per speaker
    expected: dict[str, set[tuple[int, str]]] = {}
    for rec in (r for r in records if r["layer"] == "claim"):
        inside = t[(t["start"] >= rec["start"]) & (t["end"] <= rec["end"])]
        expected.setdefault(rec["speaker"], set()).update(zip(inside.index, inside["token"].map(fold)))
    freq = corpus.frequency(by="speaker")
    for speaker, positions in expected.items():
        words = Counter(w for _, w in positions)
        part = freq[freq["speaker"] == speaker]
        assert dict(zip(part["token"], part["n"])) == words
    assert set(freq["speaker_name"]) == {"Pell Andor", "some observers"}


def test_bad_options(corpus: cc.Corpus) -> None:
    with pytest.raises(ValueError, match="None, 'article', 'speaker'"):
        corpus.frequency(by="sentence")
    with pytest.raises(ValueError, match="'word', 'number', 'punct'"):
        corpus.frequency(kinds=("words",))
    with pytest.raises(ValueError, match="'en'"):
        corpus.frequency(stopwords="de")
    with pytest.raises(ValueError, match="'log_likelihood', 'mi', 't_score', 'n'"):
        corpus.collocates("Ostrel", sort="dice")
    with pytest.raises(ValueError, match="window"):
        corpus.collocates("Ostrel", window=0)
    with pytest.raises(ValueError, match="empty query"):
        corpus.collocates(" ")


# -- collocates -----------------------------------------------------------------------------------


def plain_collocates(corpus: cc.Corpus, node: str, window: int, span: str) -> tuple[dict, dict, dict, int, int, Counter]:
    """Independent plain-Python windows: union of window positions, node positions excluded."""
    toks = stream(corpus)
    node = fold(node)
    hits = [i for i, (_, w) in enumerate(toks) if w == node]
    left, right = set(), set()
    for i in hits:
        for k in range(1, window + 1):
            if span in ("both", "left") and i - k >= 0 and toks[i - k][0] == toks[i][0]:
                left.add(i - k)
            if span in ("both", "right") and i + k < len(toks) and toks[i + k][0] == toks[i][0]:
                right.add(i + k)
    left -= set(hits)
    right -= set(hits)
    either = left | right
    o11 = Counter(toks[i][1] for i in either)
    return o11, Counter(toks[i][1] for i in left), Counter(toks[i][1] for i in right), len(either), len(toks), Counter(w for _, w in toks)


@pytest.mark.parametrize("node,window,span", [("Russia", 5, "both"), ("Azerbaijan", 3, "left"), ("Ostrel", 2, "right"),
                                              ("the", 4, "both"), ("Andor", 1, "both")])
def test_collocate_counts_and_scores_equal_plain_counts_and_nltk_measures(corpus: cc.Corpus, node: str, window: int, span: str) -> None:
    o11, n_left, n_right, r1, n, c1 = plain_collocates(corpus, node, window, span)
    got = corpus.collocates(node, window=window, span=span)
    assert dict(zip(got["collocate"], got["n"])) == dict(o11)
    assert dict(zip(got["collocate"], got["n_left"])) == {w: n_left[w] for w in o11}
    assert dict(zip(got["collocate"], got["n_right"])) == {w: n_right[w] for w in o11}
    assert dict(zip(got["collocate"], got["collocate_freq"])) == {w: c1[w] for w in o11}
    assert got.attrs["window_tokens"] == r1 and got.attrs["corpus_tokens"] == n
    m = BigramAssocMeasures
    for row in got.itertuples():
        marginals = (row.n, (r1, row.collocate_freq), n)
        assert row.log_likelihood == pytest.approx(m.likelihood_ratio(*marginals), rel=1e-9, abs=1e-9)
        assert row.mi == pytest.approx(m.pmi(*marginals), rel=1e-12)
        assert row.t_score == pytest.approx(m.student_t(*marginals), rel=1e-9)
        assert row.expected == pytest.approx(r1 * row.collocate_freq / n)
    assert got["log_likelihood"].is_monotonic_decreasing


@pytest.mark.parametrize("node", ["russia", "azerbaijan", "president", "vak"])
def test_adjacent_collocates_equal_nltk_bigram_collocation_finder(node: str, bundled: cc.Corpus) -> None:
    # One article, so NLTK's single word list has the same bigrams; "window=1, span='right'" is
    # NLTK's bigram definition. Nodes chosen that never end the article or follow themselves.
    corpus = bundled
    words = [w for a, w in stream(corpus) if a == SEED_ID]
    assert words[-1] != node and all(not (a == b == node) for a, b in zip(words, words[1:]))
    finder = BigramCollocationFinder.from_words(words)
    got = corpus.collocates(node, window=1, span="right")
    expected = {w2: c for (w1, w2), c in finder.ngram_fd.items() if w1 == node}
    assert dict(zip(got["collocate"], got["n"])) == expected
    for row in got.itertuples():
        assert row.log_likelihood == pytest.approx(finder.score_ngram(BigramAssocMeasures.likelihood_ratio, node, row.collocate), rel=1e-9)
        assert row.mi == pytest.approx(finder.score_ngram(BigramAssocMeasures.pmi, node, row.collocate), rel=1e-12)


def test_collocates_stopwords_min_count_and_phrase_node(bundled: cc.Corpus) -> None:
    corpus = bundled
    full = corpus.collocates("Russia")
    filtered = corpus.collocates("Russia", stopwords="en", min_count=2)
    assert set(filtered["collocate"]) == {w for w, n in zip(full["collocate"], full["n"]) if n >= 2 and w not in cc.stopwords()}
    phrase = corpus.collocates("Azerbaijan-Russia ties", window=1)
    assert phrase.attrs["node_hits"] == len(corpus.kwic("Azerbaijan-Russia ties"))
    assert "ties" not in set(phrase["collocate"])  # part of the node, never its own collocate


def test_collocates_never_cross_articles() -> None:
    corpus = cc.from_texts({"a": "Varnia Ostrel", "b": "river Varnia"})
    got = corpus.collocates("Varnia", window=3)
    assert dict(zip(got["collocate"], got["n"])) == {"ostrel": 1, "river": 1}


# -- dispersion -----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["Russia", "Ostrel", "the", "Andor"])
def test_dispersion_positions_equal_nltk_concordance_index(corpus: cc.Corpus, word: str) -> None:
    t = corpus.tokens
    d = corpus.dispersion(word)
    offset = 0
    for aid in corpus.article_ids:
        tokens = t.loc[t["article_id"] == aid, "token"].tolist()
        expected = ConcordanceIndex(tokens, key=lambda s: s.lower()).offsets(word)
        part = d[d["article_id"] == aid]
        assert part["token_index"].tolist() == expected
        assert part["corpus_position"].tolist() == [offset + i for i in expected]
        assert part["position"].tolist() == pytest.approx([i / len(tokens) for i in expected])
        assert (part["article_tokens"] == len(tokens)).all()
        offset += len(tokens)


def test_dispersion_plot_draws_one_mark_per_hit(corpus: cc.Corpus) -> None:
    import matplotlib.pyplot as plt

    terms = ["Russia", "Ostrel", "nowhere-to-be-found"]
    ax = corpus.dispersion_plot(terms)
    lines = [line for line in ax.get_lines() if line.get_gid() == "dispersion"]
    assert [line.get_label() for line in lines] == terms
    words = [w for _, w in stream(corpus)]
    assert [len(line.get_xdata()) for line in lines] == [Counter(words)[fold(w)] for w in terms]
    assert [t.get_text() for t in ax.get_yticklabels()] == terms
    plt.close(ax.figure)


def test_dispersion_plot_in_one_article_on_a_given_axes() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    corpus = cc.from_texts({"a": "Varnia x Varnia", "b": "Varnia"})
    assert corpus.dispersion_plot("Varnia", article="a", ax=ax) is ax
    (line,) = [line for line in ax.get_lines() if line.get_gid() == "dispersion"]
    assert line.get_xdata().tolist() == [0, 2]
    plt.close(fig)


# -- keyness, n-grams, similar, common_contexts -----------------------------------------------------

# A fictional text whose word tokens are all alphabetic, so NLTK's isalpha filter (Text.similar)
# and the corpus's word tokens are the same set and the results can be compared exactly.
VARNIA = (
    "Pell Andor said Varnia will close the border. Kesa Rimm said Ostrel will close the dam. "
    "The dam board said Varnia will wait. Pell Andor said Ostrel will wait, and the board will close the gate."
)


def test_keyness_log_likelihood_equals_nltk_and_percent_diff_follows_its_formula(bundled: cc.Corpus) -> None:
    from caucasus_corpus.lexical import keyness

    speaker = bundled.resolve_actor("Novruzov")
    key = keyness(bundled, speaker=speaker)
    # Independent counts: word tokens inside the speaker's claims (each once) against every other word.
    t = bundled.tokens[bundled.tokens["kind"] == "word"]
    inside = set()
    for c in bundled.claims.query("speaker == @speaker").itertuples():
        inside |= set(t.index[(t["article_id"] == c.article_id) & (t["start"] >= c.start) & (t["end"] <= c.end)])
    target = Counter(t.loc[sorted(inside), "token"].map(fold))
    reference = Counter(t.loc[sorted(set(t.index) - inside), "token"].map(fold))
    ta, ra = sum(target.values()), sum(reference.values())
    assert key.attrs["target_tokens"] == ta and key.attrs["reference_tokens"] == ra
    assert dict(zip(key["token"], key["n_target"])) == {w: target.get(w, 0) for w in set(target) | set(reference)}
    lr = BigramAssocMeasures.likelihood_ratio
    for row in key.itertuples():
        a, b = row.n_target, row.n_reference
        assert row.log_likelihood == pytest.approx(lr(a, (ta, a + b), ta + ra), abs=1e-9)
        pa, pb = a / ta * 1e6, b / ra * 1e6
        assert row.percent_diff == (pytest.approx((pa - pb) * 100 / pb) if pb else float("inf"))
    # Over-used words first (strongest first), under-used last.
    over = key[key["per_million_target"] >= key["per_million_reference"]]
    assert list(over.index) == list(range(len(over)))
    assert over["log_likelihood"].is_monotonic_decreasing


def test_keyness_between_two_corpora_and_bad_options() -> None:
    from caucasus_corpus.lexical import keyness, keyness_table

    one = cc.from_texts({"a": "Varnia Varnia Varnia and Ostrel"})
    two = cc.from_texts({"b": "Ostrel and Ostrel and Kesa"})
    key = keyness(one, reference=two)
    assert key["token"].iloc[0] == "varnia" and key["percent_diff"].iloc[0] == float("inf")
    assert dict(zip(key["token"], key["n_reference"])) == {"varnia": 0, "and": 2, "ostrel": 2, "kesa": 1}
    both = cc.from_texts({"a": "Varnia Varnia Varnia and Ostrel", "b": "Ostrel and Ostrel and Kesa"})
    by_article = keyness(both, articles="a")
    pd.testing.assert_frame_equal(by_article, key)
    with pytest.raises(ValueError, match="reference='claims'"):
        keyness(both, articles="a", reference="claims")
    with pytest.raises(ValueError, match="not both"):
        keyness(both, articles="a", speaker="x")
    with pytest.raises(ValueError, match="reference= another corpus"):
        keyness(both)
    with pytest.raises(ValueError, match="reference='others'"):
        keyness(both, articles="a", reference="others")
    with pytest.raises(KeyError, match="unknown article id"):
        keyness(both, articles="c")
    with pytest.raises(ValueError, match="tokens on both sides"):
        keyness_table(pd.Series({"a": 1}), pd.Series(dtype="int64"))
    with pytest.raises(cc.NoAnnotationsError):
        keyness(both, speaker="Pell Andor")


@pytest.mark.parametrize("n", [1, 2, 3])
def test_ngrams_equal_nltk_ngrams_freqdist_per_sentence(corpus: cc.Corpus, n: int) -> None:
    from nltk import FreqDist
    from nltk import ngrams as nltk_ngrams

    from caucasus_corpus.lexical import ngrams

    t = corpus.tokens
    t = t[t["kind"] == "word"]
    fd: FreqDist = FreqDist()
    for _, sentence in t.groupby(["article_id", "sentence"], sort=False):
        fd.update(" ".join(g) for g in nltk_ngrams([fold(w) for w in sentence["token"]], n))
    got = ngrams(corpus, n)
    assert dict(zip(got["ngram"], got["n"])) == dict(fd)
    assert got["share"].tolist() == pytest.approx([fd[g] / fd.N() for g in got["ngram"]])
    assert list(zip(got["n"], got["ngram"])) == sorted(((c, g) for g, c in fd.items()), key=lambda p: (-p[0], p[1]))


def test_ngrams_never_cross_a_sentence_and_drop_stopword_edges() -> None:
    from caucasus_corpus.lexical import ngrams

    corpus = cc.from_texts({"a": "Varnia closed the dam. Ostrel waited for the board of Varnia."})
    pairs = set(ngrams(corpus, 2)["ngram"])
    assert "dam ostrel" not in pairs and "the dam" in pairs
    assert "dam ostrel" in set(ngrams(corpus, 2, within="article")["ngram"])
    kept = set(ngrams(corpus, 3, stopwords="en")["ngram"])
    assert kept == {"closed the dam", "board of varnia"}
    with pytest.raises(ValueError, match="n=0"):
        ngrams(corpus, 0)
    with pytest.raises(ValueError, match="within='paragraph'"):
        ngrams(corpus, 2, within="paragraph")


def _nltk_text(corpus: cc.Corpus):  # type: ignore[no-untyped-def]
    from nltk.text import Text

    return Text(list(corpus.tokens["token"]))


@pytest.mark.parametrize("word", ["Varnia", "Ostrel", "board", "dam", "Pell"])
def test_similar_equals_nltk_text_similar(word: str, capsys: pytest.CaptureFixture[str]) -> None:
    from caucasus_corpus.lexical import similar

    corpus = cc.from_texts({"a": VARNIA})
    _nltk_text(corpus).similar(word, num=50)
    printed = capsys.readouterr().out.split()
    got = similar(corpus, word, num=50)
    assert list(got["word"]) == ([] if printed == ["No", "matches"] else printed)
    assert similar(corpus, "Kesa-Nowhere").empty


@pytest.mark.parametrize("words", [["Varnia", "Ostrel"], ["dam", "border"], ["Pell", "Kesa"]])
def test_common_contexts_equal_nltk_text_common_contexts(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from caucasus_corpus.lexical import common_contexts

    corpus = cc.from_texts({"a": VARNIA})
    _nltk_text(corpus).common_contexts(words, num=50)
    printed = capsys.readouterr().out.split()
    got = common_contexts(corpus, words, num=50)
    expected = [] if printed[:2] == ["No", "common"] else printed
    assert set(got["context"]) == set(expected) and len(got) == len(expected)
    folded = [fold(w) for w in corpus.tokens["token"]]
    for row in got.itertuples():  # n: the occurrences of the words between left and right
        assert row.n == sum(1 for i in range(1, len(folded) - 1) if folded[i] in {fold(w) for w in words}
                            and folded[i - 1] == row.left and folded[i + 1] == row.right)
    with pytest.raises(KeyError, match="Nowhere"):
        common_contexts(corpus, ["Varnia", "Nowhere"])
