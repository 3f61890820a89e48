"""KWIC checked against independent implementations on the same tokens (NLTK's ConcordanceIndex,
plain loops with fnmatch/re), plus edge cases, annotation filters, display and the CLI."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from nltk.text import ConcordanceIndex

import caucasus_corpus as cc
from caucasus_corpus.concordance import KWIC_COLUMNS

from support import FICTION_ID, FICTION_TEXT, SEED_ID, write_release
from caucasus_corpus.text.folding import fold


@pytest.fixture
def fic(fiction: Path) -> cc.Corpus:
    return cc.load(fiction)


def token_lists(corpus: cc.Corpus) -> dict[str, list[str]]:
    t = corpus.tokens
    return {a: t.loc[t["article_id"] == a, "token"].tolist() for a in corpus.article_ids}


def nltk_offsets(tokens: list[str], word: str, case: bool) -> list[int]:
    index = ConcordanceIndex(tokens) if case else ConcordanceIndex(tokens, key=lambda s: s.lower())
    return index.offsets(word)


@pytest.mark.parametrize("word", ["Russia", "russia", "the", "VAK", "Azerbaijan", ",", "Nagorno-Karabakh", "Hajiyev"])
@pytest.mark.parametrize("case", [False, True])
def test_single_word_hits_equal_nltk_concordance_index(word: str, case: bool, bundled: cc.Corpus) -> None:
    corpus = bundled
    hits = corpus.kwic(word, case=case)
    for aid, tokens in token_lists(corpus).items():
        ours = hits.loc[hits["article_id"] == aid, "token_index"].tolist()
        assert ours == nltk_offsets(tokens, word, case)


def test_single_word_hits_equal_nltk_on_the_fiction(fic: cc.Corpus) -> None:
    tokens = token_lists(fic)[FICTION_ID]
    for word in sorted(set(tokens)):
        assert fic.kwic(word, case=True)["token_index"].tolist() == nltk_offsets(tokens, word, True), word


def test_offsets_point_at_the_hit_in_the_verbatim_text(bundled: cc.Corpus) -> None:
    corpus = bundled
    hits = corpus.kwic("Azerbaijan parliament")
    assert len(hits) >= 1
    for row in hits.itertuples():
        assert re.sub(r"\s+", " ", corpus.text(row.article_id)[row.start : row.end]) == row.keyword
        assert fold(row.keyword) == "azerbaijan parliament"


def brute_phrase(tokens: list[str], words: list[str]) -> list[int]:
    n = len(words)
    return [i for i in range(len(tokens) - n + 1) if [fold(t) for t in tokens[i : i + n]] == [fold(w) for w in words]]


@pytest.mark.parametrize("phrase", ["Nagorno-Karabakh conflict", "Azerbaijan parliament", "Azerbaijan-Russia ties",
                                    "the Congress", "of Russia", "President Putin"])
def test_phrases_match_token_sequences(phrase: str, bundled: cc.Corpus) -> None:
    corpus = bundled
    hits = corpus.kwic(phrase)
    expected = brute_phrase(token_lists(corpus)[SEED_ID], phrase.split())
    assert hits["token_index"].tolist() == expected
    assert (hits["n_tokens"] == len(phrase.split())).all()


def test_exact_query_is_tokenised_like_the_text(bundled: cc.Corpus) -> None:
    corpus = bundled
    # "Russia's" is one token; "conflict," is two.
    assert corpus.kwic("Russia's")["token_index"].tolist() == brute_phrase(token_lists(corpus)[SEED_ID], ["Russia's"])
    assert corpus.kwic("conflict,")["token_index"].tolist() == brute_phrase(token_lists(corpus)[SEED_ID], ["conflict", ","])


def test_exact_never_matches_inside_a_token(bundled: cc.Corpus) -> None:
    corpus = bundled
    keywords = set(corpus.kwic("Russia")["keyword"])
    assert keywords == {"Russia"}  # not Russia's, Azerbaijan-Russia, Russian


@pytest.mark.parametrize("pattern", ["Russia*", "*-Russia", "Azerbaijan?", "[Hh]a*"])
def test_glob_matches_whole_tokens(pattern: str, bundled: cc.Corpus) -> None:
    corpus = bundled
    tokens = token_lists(corpus)[SEED_ID]
    expected = [i for i, t in enumerate(tokens) if fnmatch.fnmatchcase(fold(t), fold(pattern))]
    hits = corpus.kwic(pattern, match="glob")
    assert hits["token_index"].tolist() == expected
    assert expected  # the pattern does occur


def test_regex_matches_whole_tokens_and_phrases(bundled: cc.Corpus) -> None:
    corpus = bundled
    tokens = token_lists(corpus)[SEED_ID]
    expected = [i for i, t in enumerate(tokens) if re.fullmatch(r"Ha[dj]+i?y?ev", t)]
    assert corpus.kwic(r"Ha[dj]+i?y?ev", match="regex", case=True)["token_index"].tolist() == expected
    assert len(expected) >= 3
    # a phrase of two regexes: "Azerbaijan" or "Russia" followed by any word starting with lower-case "r"
    expected2 = [i for i in range(len(tokens) - 1)
                 if re.fullmatch("Azerbaijan|Russia", tokens[i]) and re.fullmatch("r.*", tokens[i + 1])]
    got = corpus.kwic(["Azerbaijan|Russia", "r.*"], match="regex", case=True)["token_index"].tolist()
    assert got == expected2


def test_bad_regex_names_the_pattern() -> None:
    with pytest.raises(ValueError, match=r"invalid regular expression '\(Russia'.*missing \)"):
        cc.load().kwic("(Russia", match="regex")


@pytest.mark.parametrize("query", ["", "   ", []])
def test_empty_query_is_a_clear_error(query: object) -> None:
    with pytest.raises(ValueError, match="empty query"):
        cc.load().kwic(query)  # type: ignore[arg-type]


def test_no_hits_gives_empty_frame_with_documented_columns() -> None:
    hits = cc.load().kwic("Ostrel")
    assert len(hits) == 0
    assert {c: str(t) for c, t in hits.dtypes.items()} == KWIC_COLUMNS
    assert "0 hits for 'Ostrel'" in repr(hits)
    assert "0 hits" in hits._repr_html_()


def test_hits_at_the_very_start_and_end_of_a_text(fic: cc.Corpus) -> None:
    first = fic.kwic("Varnia", window=3, case=True)
    assert first.iloc[0]["token_index"] == 0 and first.iloc[0]["left"] == ""
    assert first.iloc[0]["right"] == "warns Ostrel over"
    last = fic.kwic("act .", window=3)
    assert last.iloc[-1]["right"] == "" and last.iloc[-1]["left"] == "that Varnia will"
    assert FICTION_TEXT[last.iloc[-1]["start"] : last.iloc[-1]["end"]] == "act."


def test_context_never_crosses_articles() -> None:
    corpus = cc.from_texts({"a": "Ostrel is near", "b": "the Ostrel border"})
    hits = corpus.kwic("Ostrel", window=5)
    assert hits[["article_id", "left", "right"]].values.tolist() == [["a", "", "is near"], ["b", "the", "border"]]
    assert corpus.kwic("near the").empty  # a phrase cannot span two articles


def test_non_latin_scripts() -> None:
    texts = {"hy": "Երևան և Բաքու. Երևանը", "ka": "თბილისი და ბაქო", "ru": "Гянджа и Баку; гянджа", "az": "Bakı və Gəncə"}
    corpus = cc.from_texts(texts)
    assert corpus.kwic("Գянджа").empty
    assert corpus.kwic("гянджа")[["article_id", "token_index"]].values.tolist() == [["ru", 0], ["ru", 4]]
    assert corpus.kwic("гянджа", case=True)["token_index"].tolist() == [4]
    assert corpus.kwic("Երևան*", match="glob")["keyword"].tolist() == ["Երևան", "Երևանը"]
    assert corpus.kwic("და", window=1)[["left", "keyword", "right"]].values.tolist() == [["თბილისი", "და", "ბაქო"]]
    # Folding matches the four i's of Azerbaijani and Turkish: BAKI, BAKı and baki all find Bakı.
    assert corpus.kwic("BAKı")["keyword"].tolist() == ["Bakı"]
    assert corpus.kwic("BAKI")["keyword"].tolist() == ["Bakı"]
    assert corpus.kwic("BAKI", case=True).empty


def test_sort_by_context_words_like_antconc(bundled: cc.Corpus) -> None:
    corpus = bundled
    tokens = token_lists(corpus)[SEED_ID]
    base = corpus.kwic("Russia")
    for key in ("R1", "L1", "L2"):
        off = int(key[1:]) * (1 if key[0] == "R" else -1)
        words = [fold(tokens[i + off]) if 0 <= i + off < len(tokens) else "" for i in base["token_index"]]
        expected = [i for _, i in sorted(zip(words, base["token_index"]), key=lambda p: p[0])]  # stable
        assert corpus.kwic("Russia", sort=key)["token_index"].tolist() == expected
    two = corpus.kwic("Russia", sort="L1,R1")["token_index"].tolist()
    key2 = {i: (fold(tokens[i - 1]), fold(tokens[i + 1])) for i in base["token_index"]}
    assert two == sorted(base["token_index"], key=lambda i: key2[i])


def test_bad_options_list_the_valid_values(bundled: cc.Corpus) -> None:
    corpus = bundled
    with pytest.raises(ValueError, match="'exact', 'glob', 'regex'"):
        corpus.kwic("Russia", match="fuzzy")
    with pytest.raises(ValueError, match="'L1', 'L2', 'KW', 'R1', 'R2'"):
        corpus.kwic("Russia", window=2, sort="R3")
    with pytest.raises(ValueError, match="window"):
        corpus.kwic("Russia", window=-1)
    with pytest.raises(ValueError, match="'mention', 'claim', 'threat', 'stance'"):
        corpus.kwic("Russia", layer="quote")
    with pytest.raises(KeyError, match="did you mean"):
        corpus.kwic("Russia", article=SEED_ID[:-1])


def test_article_filter(fic: cc.Corpus) -> None:
    corpus = cc.from_texts({"one": "Ostrel and Varnia", "two": "Varnia again"})
    assert corpus.kwic("Varnia", article="two")["article_id"].tolist() == ["two"]
    assert corpus.kwic("Varnia", article=["one", "two"])["article_id"].tolist() == ["one", "two"]


# -- annotation-aware filters (on the fictional release) ------------------------------------------


def test_speaker_filter_keeps_hits_inside_that_actors_claims_and_threats(fic: cc.Corpus) -> None:
    claims, threats = fic.claims, fic.threats
    spans = pd.concat([claims[claims["speaker"] == "pell-andor"], threats[threats["speaker"] == "pell-andor"]])
    everything = fic.kwic("Ostrel")
    inside = [any(s.start <= h.start and h.end <= s.end for s in spans.itertuples()) for h in everything.itertuples()]
    hits = fic.kwic("Ostrel", speaker="Andor")  # an alias
    assert hits["start"].tolist() == everything.loc[inside, "start"].tolist()
    assert len(hits) == 1 and hits.iloc[0]["annotations"] == ["f-c2", "f-t1"]
    assert fic.kwic("Ostrel", speaker="kesa-rimm").empty
    assert fic.kwic("farms", speaker="pell-andor")["annotations"].tolist() == [["f-c1"]]


def test_layer_filter_and_speaker_with_layer(fic: cc.Corpus) -> None:
    assert fic.kwic("Ostrel", layer="threat")["annotations"].tolist() == [["f-t1"]]
    assert fic.kwic("Varnia", layer="claim")["annotations"].tolist() == [["f-c3"]]
    assert fic.kwic("farms", layer="stance", speaker="pell-andor")["annotations"].tolist() == [["f-s2"]]
    assert fic.kwic("farms", layer="stance", speaker="kesa-rimm").empty
    assert fic.kwic("Andor", layer="mention")["annotations"].tolist() == [["f-m1"], ["f-m2"]]
    with pytest.raises(ValueError, match="speaker="):
        fic.kwic("Andor", layer="mention", speaker="pell-andor")


def test_unfiltered_hits_name_every_annotation_they_fall_in(fic: cc.Corpus) -> None:
    ann = fic.annotations
    for h in fic.kwic("farms").itertuples():
        expected = ann[(ann["start"] <= h.start) & (ann["end"] >= h.end)]["id"].tolist()
        assert sorted(h.annotations) == sorted(expected) and expected


def test_unknown_speaker_suggests_close_names(fic: cc.Corpus) -> None:
    with pytest.raises(KeyError, match="did you mean.*Pell Andor"):
        fic.kwic("Ostrel", speaker="Pell Andr")


def test_filters_on_a_corpus_without_annotations_say_so() -> None:
    mine = cc.from_texts({"x": "Varnia and Ostrel"})
    with pytest.raises(cc.NoAnnotationsError, match="no annotations.*kwic"):
        mine.kwic("Ostrel", speaker="ostrel")
    assert mine.kwic("Ostrel")["annotations"].tolist() == [[]]


# -- display --------------------------------------------------------------------------------------


def test_html_display_escapes_the_text() -> None:
    corpus = cc.from_texts({"x": 'Varnia said <img src=x onerror=alert(1)> & "more" here'})
    html = corpus.kwic("onerror", window=5)._repr_html_()
    assert "<img" not in html
    assert "img src = x" not in html  # context is verbatim, not tokens re-joined
    assert "&lt;img src=x" in html
    html2 = corpus.kwic("more", window=3)._repr_html_()
    assert "&amp; &quot;" in html2 and "<img" not in html2


def test_plain_text_display_aligns_the_keywords(bundled: cc.Corpus) -> None:
    corpus = bundled
    hits = corpus.kwic("Russia", window=4)
    lines = repr(hits).splitlines()
    assert lines[0] == f"{len(hits)} hits for 'Russia'"
    columns = {line.index("  Russia  ") for line in lines[1:]}
    assert len(columns) == 1  # every keyword starts in the same column


def test_result_is_a_dataframe_and_plain_view_is_available() -> None:
    hits = cc.load().kwic("Russia")
    assert isinstance(hits, pd.DataFrame)
    assert list(hits.columns) == list(KWIC_COLUMNS)
    assert "token_index" in repr(hits[["article_id", "token_index"]])  # not a concordance any more: table view
    assert "hits for" not in repr(pd.DataFrame(hits)) and "hits for" in repr(hits)


def test_module_function_mirrors_the_method(bundled: cc.Corpus) -> None:
    corpus = bundled
    pd.testing.assert_frame_equal(pd.DataFrame(cc.kwic(corpus, "Baku")), pd.DataFrame(corpus.kwic("Baku")))


# -- command line ---------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True, timeout=300)


def test_cli_kwic_prints_the_concordance() -> None:
    out = run("kwic", "VAK", "--window", "2", "--sort", "R1")
    assert out.returncode == 0, out.stderr
    assert out.stdout == cc.load().kwic("VAK", window=2, sort="R1").to_text() + "\n"


def test_cli_kwic_on_another_release_with_speaker(fiction: Path) -> None:
    out = run("kwic", "Ostrel", "--speaker", "Andor", "--path", str(fiction))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "1 hit for 'Ostrel'"
    out = run("kwic", "(Ostrel", "--match", "regex", "--path", str(fiction))
    assert out.returncode == 2 and "invalid regular expression '(Ostrel'" in out.stderr
    out = run("kwic", "Ostrel", "--speaker", "nobody", "--path", str(fiction))
    assert out.returncode == 2 and "unknown actor 'nobody'" in out.stderr


def test_write_release_texts_work_too(tmp_path: Path) -> None:
    root = write_release(tmp_path / "r", texts={"t-1": "Ostrel.\n", "t-2": "Ostrel and Ostrel\n"}, actors=[], records={})
    corpus = cc.load(root)
    assert corpus.kwic("ostrel")[["article_id", "token_index"]].values.tolist() == [["t-1", 0], ["t-2", 0], ["t-2", 2]]


@pytest.mark.parametrize("n_hits", [1, 3, 4, 5])
@pytest.mark.parametrize("sort", [None, "KW", "R1,L1"])
def test_sorted_rows_keep_their_offsets_together(n_hits: int, sort: str | None) -> None:
    # The four int columns are kept as one block and reordered together; a square block (as many
    # hits as int columns) once let a transposed copy pass for it.
    text = " ".join(f"Varnia {w}." for w in ["ostrel", "pell", "andor", "kesa", "rimm"][:n_hits])
    corpus = cc.from_texts({"fic": text})
    hits = corpus.kwic("Varnia", window=1, sort=sort)
    assert len(hits) == n_hits
    tokens = corpus.tokens
    for row in hits.itertuples():
        assert text[row.start : row.end] == row.keyword == "Varnia"
        assert (tokens.loc[row.token_index, "start"], row.n_tokens) == (row.start, 1)
        assert row.right == text[row.end + 1 :].split(".")[0]
