"""Decoding, metadata and licences of single pages, and the RTF reader (invented pages and texts)."""

from __future__ import annotations

from datetime import date

import pytest

from caucasus_corpus.intake.decode import DecodeError, decode_page
from caucasus_corpus.intake.dedup import THRESHOLD, DuplicateIndex
from caucasus_corpus.intake.licence import spdx_for_url
from caucasus_corpus.intake.pagemeta import calendar_date, page_metadata
from caucasus_corpus.intake.rtf import RtfError, rtf_text
from fixture_site import FERRY_PARAGRAPHS, RUSSIAN_PARAGRAPHS, page

RUSSIAN = "<html><body><p>" + " ".join(RUSSIAN_PARAGRAPHS) + "</p></body></html>"


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_a_russian_page_without_any_charset_decodes_right(codec: str) -> None:
    text, used, how = decode_page(RUSSIAN.encode(codec), "text/html")
    assert text == RUSSIAN and how == "detected" and used.replace("-", "_") == codec


def test_no_charset_parameter_is_not_iso_8859_1() -> None:
    data = "<p>Café in Dorvel, naïve plans, 12 € a crate.</p>".encode("utf-8")
    assert decode_page(data, "text/html")[0] == "<p>Café in Dorvel, naïve plans, 12 € a crate.</p>"


def test_the_http_charset_comes_before_the_meta_charset() -> None:
    data = '<meta charset="koi8-r"><p>Привет</p>'.encode("cp1251")
    assert decode_page(data, "text/html; charset=windows-1251")[1:] == ("cp1251", "http")
    assert decode_page(b'<meta charset="nonsense-9"><p>plain</p>', "text/html")[2].startswith("detected")


def test_an_undecodable_page_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        decode_page(bytes(range(256)) * 20 + b"\x00\xff\xfe\x81" * 500, "text/html; charset=utf-8")


@pytest.mark.parametrize(("url", "spdx"), [
    ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
    ("http://creativecommons.org/licenses/by-nc-nd/3.0/", "CC-BY-NC-ND-3.0"),
    ("https://creativecommons.org/licenses/by-sa/3.0/de/", "CC-BY-SA-3.0-DE"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
    ("https://i.creativecommons.org/l/by-nc/4.0/88x31.png", "CC-BY-NC-4.0"),
    ("https://varnia-daily.example/terms", None),
])
def test_licence_addresses_map_to_spdx(url: str, spdx: str | None) -> None:
    assert spdx_for_url(url) == spdx


def test_licence_evidence_that_does_not_map_is_noassertion_with_the_evidence() -> None:
    html = page("A", '<h1>A</h1><p>x</p><p>Terms: <a rel="license" href="https://varnia-daily.example/terms">ours</a></p>')
    meta = page_metadata(html, "https://varnia-daily.example/a")
    assert meta.license == "NOASSERTION" and "varnia-daily.example/terms" in meta.license_evidence
    badge = page("B", '<h1>B</h1><img src="https://licensebuttons.net/l/by-sa/4.0/88x31.png" alt="CC">')
    meta = page_metadata(badge, "https://varnia-daily.example/b")
    assert meta.license == "CC-BY-SA-4.0" and meta.license_evidence.startswith("Creative Commons badge")
    assert page_metadata(page("C", "<h1>C</h1>"), "https://varnia-daily.example/c").license == ""


def test_the_title_loses_the_site_name_and_the_date_keeps_its_offset() -> None:
    html = ('<html lang="en-GB"><head><title>Kesk mayor resigns - Varnia Daily</title></head><body>'
            '<p><time datetime="2020-02-29T23:45:00-08:00">late on the 29th</time></p></body></html>')
    meta = page_metadata(html, "https://www.varnia-daily.example/x")
    assert (meta.title, meta.title_source) == ("Kesk mayor resigns", "title")
    assert (meta.outlet, meta.outlet_source) == ("varnia-daily.example", "url")
    assert (meta.published, meta.published_source, meta.language) == ("2020-02-29", "time-element", "en")


def test_a_future_or_unreadable_date_stays_empty_and_is_said() -> None:
    assert calendar_date("2031-05-01T10:00:00Z", today=date(2024, 1, 1)) == ("", "'2031-05-01T10:00:00Z' is later than today")
    assert calendar_date("yesterday")[0] == ""
    assert calendar_date("2023-02-30") == ("", "'2023-02-30' is not a date that can be read")
    html = page("Plan", '<h1>Plan</h1><p>x</p>', head='<meta property="article:published_time" content="2031-05-01">')
    meta = page_metadata(html, "https://varnia-daily.example/plan", today=date(2024, 1, 1))
    assert meta.published == "" and any("later than today" in p for p in meta.problems)


def test_language_from_the_script_when_the_page_gives_none() -> None:
    bare = "<html><head><title>{t}</title></head><body><p>{t}</p></body></html>"
    assert page_metadata(bare.format(t="Վառնիայի լաստանավը"), "https://x.example/a", text="Վառնիայի լաստանավը").language == "hy"
    assert page_metadata(bare.format(t="ვარნიის ბორანი"), "https://x.example/a", text="ვარნიის ბორანი").language == "ka"
    assert page_metadata(bare.format(t="Ostrel"), "https://x.example/a", text="Ostrel opens a ferry").language == ""


def test_a_bot_protection_page_is_said_not_worked_around() -> None:
    html = "<html><head><title>Just a moment...</title></head><body><div id='cf-challenge'></div></body></html>"
    assert page_metadata(html, "https://x.example/a").blocked.startswith("not-an-article: a bot-protection page")


def test_near_duplicates_are_found_and_different_texts_are_not() -> None:
    index = DuplicateIndex()
    story = " ".join(FERRY_PARAGRAPHS)
    index.add("ferry", story)
    assert index.match(story + " This story first appeared in Varnia Daily.")[:2] == ("near-duplicate-of", "ferry")
    half = story[: len(story) // 2]
    assert index.match(half) is None  # a shared half is not a copy (Jaccard about 0.4 < THRESHOLD)
    assert THRESHOLD == 0.8
    assert index.match(" ".join(RUSSIAN_PARAGRAPHS)) is None


def test_rtf_unicode_escapes_code_pages_and_destinations() -> None:
    # \uc2: two fallback characters after each escape; a surrogate pair; \'hh in code page 1251.
    data = rb"{\rtf1\ansi\ansicpg1251{\info{\title hidden}}{\*\userprops x}\uc2\u1042??\u-10179\u-8542??\uc1 \'c2\'e0\par ok\tab x\~y\par}"
    assert rtf_text(data) == "В\U0001f6a2Ва\nok\tx\u00a0y\n"
    with pytest.raises(RtfError):
        rtf_text(b"PK\x03\x04 not rtf")
