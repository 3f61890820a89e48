"""What issue 16 asked of the explorers, without a browser: concordances with short labels and
the full location on hover, extra columns shown, records collapsed, the hit to scroll to, speakers
only, the reason for no hits, search as you type, and the CSV export.

What the browser shows (widths, scrolling) is measured in test_browser.py.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pandas as pd
import pytest

import caucasus_corpus as cc
from caucasus_corpus import _html
from caucasus_corpus.vocab import ATTRIBUTIONS, CLAIM_TYPES, POLARITIES

from support import FICTION_ID

widgets = pytest.importorskip("caucasus_corpus.widgets")
from caucasus_corpus.widgets import _kwic  # noqa: E402
from caucasus_corpus.widgets._common import ScrollBox  # noqa: E402


@pytest.fixture
def corpus(fiction: Path) -> cc.Corpus:
    return cc.load(fiction)


def cells(markup: str, cls: str) -> list[str]:
    return re.findall(rf'<td class="{cls}"[^>]*>(?:<span[^>]*>)?([^<]*)<', markup)


def test_concordance_rows_have_short_labels_and_the_article_on_hover(bundled: cc.Corpus) -> None:
    hits = bundled.kwic("Russia", window=10)
    markup = hits._repr_html_()
    assert cells(markup, "cc-label") == [str(i) for i in range(len(hits))]
    aid = hits["article_id"].iloc[0]
    # The long article id is hover text, never a cell of its own.
    assert aid not in "".join(re.findall(r">([^<]*)<", markup.split("<table", 1)[1]))
    assert f'title="{aid}, token {hits["token_index"].iloc[0]}, characters {hits["start"].iloc[0]}-{hits["end"].iloc[0]}"' in markup
    assert cells(markup, "cc-left") == [_html.esc(s) for s in hits["left"]]
    assert "table-layout:fixed" in markup and "width:100%" in markup and "direction:rtl" in markup
    text = repr(hits).splitlines()
    assert text[1].split()[0] == "0" and aid not in repr(hits)


def test_concordance_shows_columns_added_to_it(bundled: cc.Corpus) -> None:
    """Notebook 02's join: each hit with the cue and attribution of the claim it is in."""
    hits = bundled.kwic("VAK")
    claims = bundled.claims.set_index("id")
    rows = hits.explode("annotations")
    rows = rows[rows["annotations"].isin(claims.index)]
    joined = rows.assign(cue=rows["annotations"].map(claims["cue"]),
                         attribution=rows["annotations"].map(claims["attribution"]))[
        ["left", "keyword", "right", "annotations", "cue", "attribution"]]
    markup = joined._repr_html_()
    assert re.findall(r"<th[^>]*>([^<]*)</th>", markup)[-3:] == ["annotations", "cue", "attribution"]
    assert cells(markup, "cc-extra")[2::3] == list(joined["attribution"])
    assert "cc-extra" not in hits._repr_html_()  # a plain result keeps the three context columns
    assert all(a in repr(joined) for a in joined["attribution"])


def test_explorer_lists_only_speakers_with_their_counts_and_says_why_none(corpus: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(corpus, query="Ostrel")
    listed = dict((v, label) for label, v in ex.speaker.options if v)
    ann = corpus.annotations
    voiced = set(ann.loc[ann["layer"].isin(["claim", "threat", "stance"]), "actor"])
    assert set(listed) == voiced and set(corpus.actors["actor_id"]) - voiced  # some actors never speak
    assert listed["pell-andor"] == "Pell Andor (2 claims, 1 threat, 1 stance)"
    ex.speaker.value = "kesa-rimm"  # holds a stance only: the filter (claims and threats) finds nothing
    assert ex.result.empty
    assert "looks inside claims and threats" in ex.status.value and "Kesa Rimm has 1 stance" in ex.status.value
    ex.layer.value = "stance"
    assert "inside stances" in ex.status.value or len(ex.result)


def test_explorer_searches_as_you_type_after_a_pause_and_marks_the_table_stale(corpus: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(corpus, query="dam")
    before = len(ex.result)

    async def type_in_browser() -> tuple[str, int, int]:
        ex.query.set_state({"value": "Ostrel"})  # as a key typed in the browser arrives
        stale, during = ex.status.value, len(ex.result)
        await asyncio.sleep(_kwic.TYPING_PAUSE_S * 3)
        return stale, during, len(ex.result)

    stale, during, after = asyncio.run(type_in_browser())
    assert "cc-stale" in stale and "still shows" in stale and during == before
    assert after == len(corpus.kwic("Ostrel")) and "cc-stale" not in ex.status.value
    ex.query.value = "dam"  # set by code: at once
    assert len(ex.result) == before


def test_explorer_save_csv_writes_the_result_and_never_overwrites(corpus: cc.Corpus, tmp_path: Path) -> None:
    ex = widgets.kwic_explorer(corpus, query="Ostrel dam", match="glob")
    ex.query.value = "Ostrel"
    ex.export_folder = tmp_path
    ex.export.click()
    written = sorted(tmp_path.glob("kwic-Ostrel-*.csv"))
    assert len(written) == 1 and written[0].name in ex.saved.value and "saved 2 hit(s)" in ex.saved.value
    back = pd.read_csv(written[0], keep_default_na=False)
    expected = _kwic.csv_frame(ex.result)
    assert list(back.columns) == list(expected.columns)
    for col in expected.columns:
        assert back[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    assert back["annotations"].iloc[-1] == ";".join(ex.result["annotations"].iloc[-1])
    now = pd.Timestamp("2031-03-01 10:00:00").to_pydatetime()
    first = _kwic.export_name("Ostrel dam", tmp_path, now=now)
    first.write_text("")
    assert _kwic.export_name("Ostrel dam", tmp_path, now=now).name == "kwic-Ostrel-dam-20310301-100000-2.csv"
    ex.query.value = "Nowhere-in-Varnia"
    ex.export.click()
    assert "no hits to save" in ex.saved.value


def test_explorer_context_box_scrolls_to_the_hit(corpus: cc.Corpus) -> None:
    ex = widgets.kwic_explorer(corpus, query="Ostrel")
    ex.open_hit(1)
    ex.whole_article.value = True
    assert isinstance(ex.context, ScrollBox)
    assert ex.context.target == ".cc-hit-mark" and ex.context.value.count("cc-hit-mark") == 1


def test_article_viewer_collapses_records_and_scrolls_to_a_focus(corpus: cc.Corpus) -> None:
    viewer = widgets.article_viewer(corpus, FICTION_ID, focus="f-t1")
    assert viewer.records.value.startswith('<details class="cc-records-box">')
    n = len(corpus.annotations.query("article_id == @FICTION_ID"))
    assert f"<b>{n}</b> record(s)" in viewer.records.value
    assert viewer.text.target == '[data-ids~="f-t1"]' and re.search(r'data-ids="[^"]*\bf-t1\b', viewer.text.value)
    assert widgets.article_viewer(corpus, FICTION_ID).text.target == ""
    with pytest.raises(KeyError, match="f-t9"):
        widgets.article_viewer(corpus, FICTION_ID, focus="f-t9")


def test_text_table_shows_text_in_full_left_aligned_and_escaped() -> None:
    long = "Pell Andor said that the dam on the Ostrel river threatens the farms of Varnia " * 3 + "<b>end</b>"
    markup = widgets.text_table(pd.DataFrame({"text": [long], "aliases": [["Haji Varnia", "Hajiyev"]]}))._repr_html_()
    assert _html.esc(long) in markup and "<b>end" not in markup
    assert "Haji Varnia, Hajiyev" in markup and "text-align:left" in markup


def test_one_palette_per_attribute_covers_every_value() -> None:
    assert set(widgets.PALETTES["attribution"]) == set(ATTRIBUTIONS)
    assert set(widgets.PALETTES["claim_type"]) == set(CLAIM_TYPES)
    assert set(widgets.PALETTES["polarity"]) == set(POLARITIES)
