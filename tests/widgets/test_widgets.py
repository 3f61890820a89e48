"""Explorer logic in plain pytest: set widget values, check the state and the HTML they produce.

Rendering in a browser is tested in test_browser.py; everything here runs without a kernel.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus import _html

from support import FICTION_ACTORS, FICTION_ID, FICTION_TEXT, fiction_records, write_release

widgets = pytest.importorskip("caucasus_corpus.widgets")

INJECTION = '<img src=x onerror="window.__xss=1">'


class _Collector(HTMLParser):
    """Parses HTML the way a browser tokenises it: elements, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> _Collector:
    p = _Collector()
    p.feed(markup)
    p.close()
    return p


def assert_inert(markup: str) -> None:
    """No element or event-handler attribute came from the data, and the payload shows as text."""
    p = parse(markup)
    assert "img" not in p.tags and "script" not in p.tags
    assert not [a for a, _ in p.attrs if a.startswith("on")]


@pytest.fixture
def corpus(fiction: Path) -> cc.Corpus:
    return cc.load(fiction)


@pytest.fixture
def hostile(tmp_path: Path) -> cc.Corpus:
    """A fictional release whose text, title and annotation attributes carry HTML payloads."""
    text = FICTION_TEXT.replace("Varnia warns Ostrel over river dam", f"Varnia warns Ostrel {INJECTION}")
    recs = fiction_records(text)
    for r in recs:
        if r["id"] == "f-c1":
            r["note"] = f'"><script>window.__xss=2</script>{INJECTION}'
    actors = [dict(a) for a in FICTION_ACTORS]
    for a in actors:
        if a["actor_id"] == "pell-andor":
            a["name"] = f'Pell Andor {INJECTION}'
    return cc.load(write_release(tmp_path / "hostile", texts={FICTION_ID: text}, records={FICTION_ID: recs}, actors=actors))


# -- HTML building blocks ----------------------------------------------------------------------


def test_esc_and_attr_escape_markup_and_quotes() -> None:
    assert _html.esc(INJECTION) == '&lt;img src=x onerror="window.__xss=1"&gt;'
    assert _html.attr(INJECTION) == "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;"
    assert _html.esc(None) == _html.esc(float("nan")) == ""


def test_highlight_keeps_every_character_and_marks_overlaps() -> None:
    text = "Ab <cd> ef"
    spans = [_html.Span(0, 7, "claim", "c1", "claim c1"), _html.Span(3, 7, "mention", "m1", 'm1 "x"')]
    markup = _html.highlight(text, spans)
    p = parse(markup)
    assert "".join(p.text) == text  # the visible text is the verbatim text
    assert 'data-ids="c1 m1"' in markup  # the overlapping piece carries both records
    assert 'title="claim c1\nm1 &quot;x&quot;"' in markup
    assert_inert(markup)


def test_table_escapes_headers_and_cells() -> None:
    import pandas as pd

    markup = _html.table(pd.DataFrame({INJECTION: [INJECTION, ["a", INJECTION]]}))
    assert_inert(markup)
    assert "".join(parse(markup).text).count(INJECTION) == 3


def test_corpus_repr_html_summarises_and_escapes(corpus: cc.Corpus, hostile: cc.Corpus) -> None:
    markup = corpus._repr_html_()
    assert corpus.version in markup and corpus.fingerprint in markup
    assert re.search(r"claim records</th><td[^>]*>3<", markup)  # the fiction has three claims
    assert_inert(hostile._repr_html_())


# -- article_viewer ------------------------------------------------------------------------------


def test_article_viewer_shows_verbatim_text_with_every_layer(corpus: cc.Corpus) -> None:
    viewer = widgets.article_viewer(corpus, FICTION_ID)
    p = parse(viewer.text.value)
    labels = re.findall(r"\[([^\]]*)\]", "".join(t for t in p.text if t.startswith("[")))
    assert "".join(t for t in p.text if not t.startswith("[")) == FICTION_TEXT
    assert labels == ["Pell Andor", "Pell Andor", "some observers"]  # each claim's speaker, in order
    for rid in ("f-m1", "f-m2", "f-m3", "f-m4", "f-c1", "f-c2", "f-c3", "f-t1", "f-s1", "f-s2"):
        assert rid in viewer.text.value
    for cls in ("cc-mention", "cc-claim", "cc-threat", "cc-stance"):
        assert cls in viewer.text.value
    assert "cc-legend" in viewer.legend.value


def test_article_viewer_hover_text_names_speaker_and_attributes(corpus: cc.Corpus) -> None:
    viewer = widgets.article_viewer(corpus, FICTION_ID, layers=["threat"])
    (title,) = re.findall(r'<span class="cc-span cc-threat"[^>]*title="([^"]*)"', viewer.text.value)
    assert "threat f-t1" in title
    assert "speaker: Pell Andor (pell-andor)" in title and "target: Ostrel (ostrel)" in title
    assert "cameo: 1381 " in title and "explicitness: explicit" in title


def test_article_viewer_layer_toggles_hide_and_show(corpus: cc.Corpus) -> None:
    viewer = widgets.article_viewer(corpus, FICTION_ID)
    viewer.layer_toggles["claim"].value = False
    assert viewer.layers == ("mention", "threat", "stance")
    assert "cc-claim" not in viewer.text.value and "f-c1" not in viewer.records.value
    assert "f-t1" in viewer.records.value
    for box in viewer.layer_toggles.values():
        box.value = False
    assert "cc-span" not in viewer.text.value
    viewer.layer_toggles["mention"].value = True
    assert "cc-mention" in viewer.text.value and "cc-stance" not in viewer.text.value


def test_article_viewer_rejects_bad_options(corpus: cc.Corpus) -> None:
    with pytest.raises(ValueError, match="'mention', 'claim', 'threat', 'stance'"):
        widgets.article_viewer(corpus, FICTION_ID, layers=["claims"])
    with pytest.raises(KeyError, match=FICTION_ID):
        widgets.article_viewer(corpus, FICTION_ID + "x")
    with pytest.raises(TypeError):
        widgets.article_viewer(corpus, FICTION_ID, ["claim"])  # options are keyword-only


def test_article_viewer_without_annotations_shows_plain_text(tmp_path: Path) -> None:
    bare = cc.load(write_release(tmp_path / "bare", actors=[], records={}))
    viewer = widgets.article_viewer(bare, FICTION_ID)
    assert "".join(parse(viewer.text.value).text) == FICTION_TEXT
    assert "no annotations" in viewer.legend.value
    assert all(box.disabled for box in viewer.layer_toggles.values())


def test_article_viewer_escapes_text_titles_and_attributes(hostile: cc.Corpus) -> None:
    viewer = widgets.article_viewer(hostile, FICTION_ID)
    for part in (viewer.header, viewer.text, viewer.records, viewer.legend):
        assert_inert(part.value)
    assert INJECTION in "".join(parse(viewer.text.value).text)
    assert INJECTION in "".join(parse(viewer.header.value).text)


def test_article_viewer_on_the_real_corpus_keeps_the_text() -> None:
    real = cc.load()
    aid = real.article_ids[0]
    viewer = widgets.article_viewer(real, aid, layers=[])
    assert "".join(parse(viewer.text.value).text) == real.text(aid)


# -- speaker_dashboard ---------------------------------------------------------------------------


def test_speaker_dashboard_defaults_to_the_most_annotated_actor(corpus: cc.Corpus) -> None:
    dash = widgets.speaker_dashboard(corpus)
    assert dash.actor.value == "pell-andor"
    t = dash.tables
    assert list(t["mentions"]["id"]) == ["f-m1", "f-m2"]
    assert t["mention_forms"].set_index("text")["n"].to_dict() == {"Andor": 1, "Pell Andor": 1}
    assert list(t["claims"]["id"]) == ["f-c1", "f-c2"]
    assert t["claims_by_type"].loc["assertion", "direct"] == 1
    assert t["claims_by_type"].loc["evaluation", "direct"] == 1
    assert int(t["claims_by_type"].to_numpy().sum()) == 2
    assert list(t["threats_made"]["id"]) == ["f-t1"] and t["threats_received"].empty
    assert list(t["stance_held"]["id"]) == ["f-s2"] and list(t["stance_received"]["id"]) == ["f-s1"]
    assert "1381" in dash.threats.value and "Ostrel (ostrel)" in dash.threats.value
    assert dash.plot.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_speaker_dashboard_follows_the_picked_actor(corpus: cc.Corpus) -> None:
    dash = widgets.speaker_dashboard(corpus, actor="P. Andor")  # any alias resolves
    assert dash.actor.value == "pell-andor"
    before = dash.plot.value
    dash.actor.value = "kesa-rimm"
    assert dash.tables["claims"].empty
    assert list(dash.tables["stance_held"]["id"]) == ["f-s1"]
    assert "No claims." in dash.claims.value
    assert "Kesa Rimm" in dash.summary.value and "MP" in dash.summary.value
    assert dash.plot.value != before
    dash.actor.value = "ostrel"
    assert list(dash.tables["threats_received"]["id"]) == ["f-t1"]


def test_speaker_dashboard_rejects_unknown_actor_and_bare_corpus(corpus: cc.Corpus, tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="Pell Andor"):
        widgets.speaker_dashboard(corpus, actor="Pell Ander")
    bare = cc.load(write_release(tmp_path / "bare", actors=[], records={}))
    with pytest.raises(ValueError, match="no annotations"):
        widgets.speaker_dashboard(bare)


def test_speaker_dashboard_escapes_names_and_notes(hostile: cc.Corpus) -> None:
    dash = widgets.speaker_dashboard(hostile)
    for part in (dash.summary, dash.mentions, dash.claims, dash.threats, dash.stance):
        assert_inert(part.value)
    assert any(INJECTION in label for label, _ in dash.actor.options)  # Dropdown labels are text, not HTML


def test_speaker_dashboard_on_the_real_corpus_lists_its_actors() -> None:
    real = cc.load()
    if not real.has_annotations:
        pytest.skip("the bundled release has no annotations yet")
    dash = widgets.speaker_dashboard(real)
    assert {v for _, v in dash.actor.options} == set(real.actors["actor_id"])
    for _, actor_id in dash.actor.options[:3]:
        dash.actor.value = actor_id
        assert len(dash.tables["claims"]) == int((real.claims["speaker"] == actor_id).sum())


# -- packaging -------------------------------------------------------------------------------------


def test_importing_the_package_does_not_import_ipywidgets() -> None:
    code = "import sys, caucasus_corpus as cc; cc.load(); print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# -- kwic_explorer ---------------------------------------------------------------------------------


def test_kwic_explorer_table_matches_corpus_kwic_for_every_control(corpus: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(corpus)
    assert ex.result.empty and "Type a query" in ex.status.value
    ex.query.value = "ostrel"
    expected = corpus.kwic("ostrel")
    assert list(ex.result["start"]) == list(expected["start"]) and len(expected) == 2
    assert "<b>2</b> hit(s)" in ex.status.value
    assert re.findall(r'class="cc-kw"[^>]*>([^<]*)<', ex.table.value) == ["Ostrel", "Ostrel"]
    settings = [("case", True, {"case": True}), ("window", 2, {"window": 2, "case": True}),
                ("match", "glob", {"window": 2, "case": True, "match": "glob"})]
    for name, value, kwargs in settings:
        getattr(ex, name).value = value
        assert ex.options() | kwargs == ex.options()
        assert ex.result.equals(corpus.kwic("ostrel", **ex.options()))
    assert ex.result.empty  # case-sensitive "ostrel" matches nothing
    ex.query.value = "?n*"
    assert "Andor" in set(ex.result["keyword"])  # glob "?n*" with case: Andor, but not "and"
    assert ex.result.equals(corpus.kwic("?n*", match="glob", case=True, window=2))
    ex.sort.value = "KW"
    assert list(ex.result["keyword"]) == list(corpus.kwic("?n*", match="glob", case=True, window=2, sort="KW")["keyword"])


def test_kwic_explorer_speaker_and_layer_filters(corpus: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(corpus, query="Ostrel")
    ex.speaker.value = "pell-andor"  # inside Pell Andor's claims and threats only
    assert list(ex.result["keyword"]) == ["Ostrel"] and ex.result["start"].iloc[0] > FICTION_TEXT.index("If")
    assert ex.result["annotations"].iloc[0] == ["f-c2", "f-t1"]
    ex.speaker.value = ""
    ex.layer.value = "stance"
    assert ex.result.empty and "No hits." in ex.table.value
    ex.layer.value = "mention"
    ex.speaker.value = "kesa-rimm"
    assert ex.error is not None and "layer=" in ex.error  # kwic's own ValueError, shown not raised
    assert "cc-error" in ex.status.value and ex.table.value == ""


def test_kwic_explorer_shows_bad_regex_as_message(corpus: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(corpus, match="regex")
    ex.query.value = "dam("
    assert ex.result.empty and "dam(" in ex.status.value and "cc-error" in ex.status.value
    ex.query.value = "dams?"
    assert len(ex.result) == len(corpus.kwic("dams?", match="regex"))


def test_kwic_explorer_opens_a_hit_in_its_paragraph(corpus: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(corpus, query="Ostrel")
    assert ex.context.value == "" and len(ex.hit.options) == 3
    ex.open_hit(2)
    assert ex.hit.value == 1
    mark = re.search(r'class="[^"]*cc-hit-mark[^"]*"[^>]*>([^<]*)<', ex.context.value)
    assert mark and mark.group(1) == "Ostrel"
    shown = "".join(t for t in parse(ex.context.value).text)
    assert "Varnian foreign minister" in shown and "Varnia warns Ostrel over river dam\n1 March" not in shown
    assert "claim f-c2" in ex.context.value  # annotations are highlighted in the context
    ex.whole_article.value = True
    assert "1 March 2031" in "".join(parse(ex.context.value).text)
    ex.query.value = "dam"
    assert ex.context.value == "" and ex.hit.value == -1  # a new search closes the old hit
    with pytest.raises(ValueError, match="hit 9"):
        ex.open_hit(9)


def test_kwic_explorer_rejects_bad_options(corpus: cc.Corpus) -> None:
    with pytest.raises(ValueError, match="'exact', 'glob', 'regex'"):
        widgets.kwic_explorer(corpus, match="fuzzy")
    with pytest.raises(ValueError, match="'KW'"):
        widgets.kwic_explorer(corpus, sort="R9")
    with pytest.raises(ValueError, match="'mention', 'claim'"):
        widgets.kwic_explorer(corpus, layer="claims")
    with pytest.raises(ValueError, match="window"):
        widgets.kwic_explorer(corpus, window=-1)
    with pytest.raises(KeyError):
        widgets.kwic_explorer(corpus, speaker="Nobody Atall")


def test_kwic_explorer_works_without_annotations(tmp_path: Path) -> None:
    bare = cc.load(write_release(tmp_path / "bare", actors=[], records={}))
    ex = widgets.kwic_explorer(bare, query="dam")
    assert len(ex.result) == len(bare.kwic("dam")) > 0
    assert ex.speaker.disabled and ex.layer.disabled
    ex.open_hit(1)
    assert "cc-hit-mark" in ex.context.value


def test_kwic_explorer_escapes_hits_and_context(hostile: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(hostile, query="img", window=3)
    assert len(ex.result) == 1
    assert_inert(ex.table.value)
    assert "<" in "".join(parse(ex.table.value).text)
    ex.open_hit(1)
    assert_inert(ex.context.value)
    assert INJECTION in "".join(parse(ex.context.value).text)
    ex.query.value = INJECTION  # the query itself is echoed in the status line
    assert_inert(ex.status.value)


def test_kwic_explorer_on_the_real_corpus() -> None:
    real = cc.load()
    ex = widgets.kwic_explorer(real, query="Russia*", match="glob", sort="R1,R2")
    assert len(ex.result) == len(real.kwic("Russia*", match="glob")) > 0
    assert list(ex.result["start"]) == list(real.kwic("Russia*", match="glob", sort="R1,R2")["start"])


def test_explorers_have_short_reprs(corpus: cc.Corpus) -> None:
    assert repr(widgets.kwic_explorer(corpus, query="dam")) == "<KwicExplorer query='dam' match='exact' window=5: 2 hit(s)>"
    assert repr(widgets.article_viewer(corpus, FICTION_ID, layers=["claim"])) == f"<ArticleViewer article='{FICTION_ID}' layers=('claim',)>"
    assert repr(widgets.speaker_dashboard(corpus)) == "<SpeakerDashboard actor='pell-andor': 2 mention(s), 2 claim(s), 1 threat(s) made>"


def test_article_viewer_marks_cues_apart_with_a_legend_and_follows_the_layer_filter(corpus: cc.Corpus) -> None:
    # Issue 27, item 13: the cues ("said", "added") of the shown claims are marked in the text.
    viewer = widgets.article_viewer(corpus, FICTION_ID, layers=["claim"])
    cues = re.findall(r'<span class="cc-span cc-cue"[^>]*>([^<]*)</span>', viewer.text.value)
    assert cues == ["said", "added"]
    assert "cc-legend-cue" in viewer.legend.value and ".cc-article .cc-cue" in viewer.legend.value
    viewer.layer_toggles["claim"].value = False  # the filter hides the claims and their cues
    assert "cc-cue" not in viewer.text.value
