"""collect against the invented site on 127.0.0.1: politeness, texts, metadata with sources, WARC
captures, the report, re-runs, duplicates, and the way on into a release with add --from-csv.

The golden texts (tests/intake/golden/) were made once by ``extract_text`` (trafilatura==2.3.1 with
the options in caucasus_corpus.intake.extract) from the fixture pages and read by eye: each holds
the headline and the article's paragraphs and nothing of the navigation, share bars, related
links or footer. A change of extractor version or options shows up here as a failure.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.intake.collect import collect
from caucasus_corpus.intake.extract import extractor_spec
from caucasus_corpus.intake.fetch import default_user_agent
from fixture_site import FakeClock, Site

GOLDEN = Path(__file__).parent / "golden"
PAGES = ["/news/2023/04/11/ferry.html", "/ru/most.html", "/private/draft.html", "/economy/market.html", "/old/dam",
         "/missing.html", "/premium/apples.html", "/live/"]
FURNITURE = ["Share on Facebook", "Related stories", "All rights reserved", "Politics", "Privacy", "Harvest festival"]


def release_bytes(root: Path) -> dict[str, str]:
    """sha256 of every file of a release folder (the lock file left out)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".caucasus-corpus.lock")}


def metadata(stage: Path) -> dict[str, dict[str, str]]:
    with open(stage / "metadata.csv", encoding="utf-8", newline="") as f:
        return {row["article_id"]: row for row in csv.DictReader(f)}


def report(stage: Path) -> list[dict[str, str]]:
    with open(stage / "report.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run(site: Site, stage: Path, clock: FakeClock, **options):  # type: ignore[no-untyped-def]
    return collect([site.url(p) for p in PAGES], feeds=[site.url("/feed.xml")], to=stage, clock=clock, progress=False, **options)


@pytest.fixture
def collected(site: Site, clock: FakeClock, tmp_path: Path) -> Path:
    stage = tmp_path / "stage"
    run(site, stage, clock)
    return stage


def by_input(site: Site, stage: Path) -> dict[str, dict[str, str]]:
    return {row["input"].removeprefix(site.base): row for row in report(stage)}


def test_every_input_gets_one_report_row_with_its_status(site: Site, collected: Path) -> None:
    rows = by_input(site, collected)
    assert {k: (v["status"], v["http_status"]) for k, v in rows.items()} == {
        "/feed.xml": ("ok", "200"),
        "/news/2023/04/11/ferry.html": ("ok", "200"),
        "/ru/most.html": ("ok", "200"),
        "/private/draft.html": ("robots-disallowed", ""),
        "/economy/market.html": ("ok", "200"),
        "/old/dam": ("ok", "200"),
        "/missing.html": ("http-404", "404"),
        "/premium/apples.html": ("paywalled", "200"),
        "/live/": ("not-an-article", "200"),
        "/education/schools.html": ("ok", "200"),
        "/partner/ferry-copy.html": ("near-duplicate-of", "200"),
    }
    assert "JavaScript" in rows["/live/"]["message"]
    assert "isAccessibleForFree" in rows["/premium/apples.html"]["message"]
    ferry_id = rows["/news/2023/04/11/ferry.html"]["article_id"]
    assert rows["/partner/ferry-copy.html"]["article_id"] == ferry_id


def test_robots_retry_after_crawl_delay_and_user_agent(site: Site, collected: Path, clock: FakeClock) -> None:
    paths = site.paths()
    assert not any(p.startswith("/private/") for p in paths)  # disallowed: never requested
    assert paths.count("/robots.txt") == 1  # read once per host
    assert paths.count("/economy/market.html") == 2  # the 429, then the page
    assert 7.0 in clock.sleeps  # the Retry-After, waited on the clock
    # Crawl-delay 2 (longer than the default delay of 1 s) between any two requests to the host.
    assert all(s >= 2.0 for s in clock.sleeps)
    assert len(clock.sleeps) >= len(paths) - 2
    agents = {headers.get("User-Agent") for _path, headers in site.requests}
    assert agents == {default_user_agent()}
    assert default_user_agent().startswith("caucasus-corpus/") and "http" not in default_user_agent()


def test_texts_equal_the_golden_texts_without_furniture(site: Site, collected: Path) -> None:
    rows = by_input(site, collected)
    golden = {"/news/2023/04/11/ferry.html": "ferry", "/ru/most.html": "russian", "/economy/market.html": "market",
              "/old/dam": "dam", "/education/schools.html": "schools"}
    for page, name in golden.items():
        aid = rows[page]["article_id"]
        got = (collected / "texts" / f"{aid}.txt").read_bytes()
        assert got == (GOLDEN / f"{name}.txt").read_bytes(), page
        assert not any(f in got.decode("utf-8") for f in FURNITURE)


def test_metadata_comes_with_its_sources(site: Site, collected: Path) -> None:
    rows = by_input(site, collected)
    meta = metadata(collected)
    ferry = meta[rows["/news/2023/04/11/ferry.html"]["article_id"]]
    assert ferry["article_id"] == "varnia-daily-2023-04-11-varnia-and-ostrel-open-a-river-ferry"
    assert (ferry["title"], ferry["published"], ferry["published_source"]) == ("Varnia and Ostrel open a river ferry", "2023-04-11", "json-ld")
    assert (ferry["outlet"], ferry["author"], ferry["language"]) == ("Varnia Daily", "Mira Telen", "en")
    assert ferry["byline"] == "By Mira Telen, Dorvel"
    assert ferry["license"] == "CC-BY-4.0" and "rel=license" in ferry["license_evidence"]
    assert ferry["url"] == site.url("/news/2023/04/11/ferry.html")
    assert ferry["extractor"] == extractor_spec() and "deduplicate=False" in ferry["extractor"]
    assert ferry["retrieved"].endswith("Z") and ferry["path"] == f"{ferry['article_id']}.txt"

    russian = meta[rows["/ru/most.html"]["article_id"]]
    # windows-1251 without any charset: detected; the date in its own offset (-02:00), not UTC.
    assert (russian["published"], russian["published_source"], russian["language"]) == ("2022-09-03", "meta", "ru")
    assert russian["title"] == "Между Варнией и Острелом открыли мост"
    assert russian["article_id"] == "ostrelskiy-vestnik-2022-09-03-mezhdu-varniyey-i-ostrelom-otkryli-most"  # romanized
    assert "cp1251 (detected)" in russian["notes"]

    market = meta[rows["/economy/market.html"]["article_id"]]
    assert (market["published"], market["published_source"]) == ("2021-06-19", "time-element")
    dam = meta[rows["/old/dam"]["article_id"]]  # redirected; dated by its address only
    assert (dam["published"], dam["published_source"]) == ("2022-02-07", "url")
    assert dam["url"] == site.url("/news/2022/02/07/kesk-dam.html") and "redirected to" in dam["notes"]
    assert dam["title"] == "Ostrel starts filling the Kesk reservoir"  # from <h1>: the <title> says only "Dam"
    schools = meta[rows["/education/schools.html"]["article_id"]]
    # The feed's date, written with -03:00: the calendar date there, not in UTC (where it is the 15th).
    assert (schools["published"], schools["published_source"]) == ("2021-10-14", "feed")


def test_captures_are_valid_warc_and_match_the_rows(site: Site, collected: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    records = {}
    for file in (collected / "captures").glob("*.warc.gz"):
        with open(file, "rb") as f:
            for record in ArchiveIterator(f, check_digests="raise"):
                payload = record.content_stream().read()
                records[(file.name, record.rec_headers.get_header("WARC-Record-ID"))] = (record.rec_type, payload)
    types = [t for t, _ in records.values()]
    assert types.count("request") == types.count("response") == len(site.requests)
    for row in metadata(collected).values():
        name, _, record_id = row["capture"].partition("#")
        rec_type, payload = records[(name, record_id)]
        assert rec_type == "response"
        assert hashlib.sha256(payload).hexdigest() == row["capture_sha256"]
        assert hashlib.sha256((collected / "texts" / row["path"]).read_bytes()).hexdigest() == row["text_sha256"]


def test_a_rerun_skips_what_is_done_and_keeps_the_persons_edits(site: Site, collected: Path, clock: FakeClock) -> None:
    aid = by_input(site, collected)["/news/2023/04/11/ferry.html"]["article_id"]
    text = (collected / "metadata.csv").read_text(encoding="utf-8")
    (collected / "metadata.csv").write_text(text.replace(",2023-04-11,", ",2023-04-10,", 1), encoding="utf-8")
    before = len(site.requests)
    run(site, collected, clock)
    again = [p for p, _h in site.requests[before:]]
    assert again == ["/robots.txt", "/feed.xml"]  # the feed is read again; no page is fetched again
    assert len(report(collected)) == 11
    assert metadata(collected)[aid]["published"] == "2023-04-10"  # the person's correction stays


def test_the_staged_articles_go_into_a_release_with_add(site: Site, collected: Path, release_copy: Path) -> None:
    from caucasus_corpus.authoring.articles import add_articles

    ids = add_articles(release_copy, collected / "metadata.csv", collected / "texts", progress=False)
    assert len(ids) == 5
    corpus = cc.load(release_copy)
    got = corpus.articles.set_index("article_id")
    ferry = "varnia-daily-2023-04-11-varnia-and-ostrel-open-a-river-ferry"
    assert got.loc[ferry, "license"] == "CC-BY-4.0" and got.loc[ferry, "published_source"] == "json-ld"
    assert corpus.text(ferry) == (GOLDEN / "ferry.txt").read_text(encoding="utf-8")
    assert len(corpus.kwic("ferry")) > 0


def test_against_a_release_reports_its_texts_as_duplicates_and_leaves_it_untouched(
        site: Site, collected: Path, release_copy: Path, clock: FakeClock, tmp_path: Path) -> None:
    from caucasus_corpus.authoring.articles import add_articles

    add_articles(release_copy, collected / "metadata.csv", collected / "texts", progress=False)
    before = release_bytes(release_copy)
    stage = tmp_path / "second"
    collect([site.url("/news/2023/04/11/ferry.html")], to=stage, against=release_copy, clock=clock, progress=False)
    [row] = report(stage)
    assert row["status"] == "duplicate-of" and row["article_id"] == "varnia-daily-2023-04-11-varnia-and-ostrel-open-a-river-ferry"
    assert release_bytes(release_copy) == before
    assert metadata(stage) == {}


def test_a_stage_inside_a_release_is_refused_before_any_request(site: Site, release_copy: Path, clock: FakeClock) -> None:
    before = release_bytes(release_copy)
    with pytest.raises(ValueError, match="inside the release folder"):
        collect([site.url("/news/2023/04/11/ferry.html")], to=release_copy / "stage", clock=clock, progress=False)
    assert site.requests == [] and release_bytes(release_copy) == before


def test_a_future_date_is_left_empty_and_reported(tmp_path: Path, clock: FakeClock) -> None:
    from fixture_site import page, serve

    future = page("Ostrel plans a second ferry", "<h1>Ostrel plans a second ferry</h1>" + "<p>" + "An invented plan for a ferry. " * 12 + "</p>",
                  head='<meta property="article:published_time" content="2999-05-01T10:00:00Z">')
    site = serve({"/future.html": lambda: (200, {"Content-Type": "text/html; charset=utf-8"}, future.encode())})
    try:
        collect([site.url("/future.html")], to=tmp_path / "s", clock=clock, progress=False)
    finally:
        site.close()
    [row] = report(tmp_path / "s")
    # No date, so add's id rule cannot make an id: reported, not staged, never guessed.
    assert row["status"] == "error"
    assert "'2999-05-01T10:00:00Z' is later than today" in row["message"] and "without published" in row["message"]


def test_the_cli_exits_0_with_failed_rows_and_2_when_refused(site: Site, tmp_path: Path, release_copy: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from caucasus_corpus.cli.main import main

    stage = tmp_path / "cli"
    code = main(["collect", site.url("/missing.html"), site.url("/private/draft.html"), "--to", str(stage), "--delay", "0"])
    out = capsys.readouterr().out
    assert code == 0
    assert "2 input(s)" in out and "http-404" in out and "robots-disallowed" in out
    assert main(["collect", site.url("/missing.html"), "--to", str(release_copy / "x")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "inside the release folder" in err
    bad_list = tmp_path / "urls.csv"
    bad_list.write_text("address\nhttp://127.0.0.1/\n", encoding="utf-8")
    assert main(["collect", "--from-csv", str(bad_list), "--to", str(stage)]) == 2
    err = capsys.readouterr().err
    assert f"{bad_list}:1: no URL column" in err


def test_collect_returns_the_report_frame(site: Site, tmp_path: Path, clock: FakeClock) -> None:
    frame = cc.collect([site.url("/missing.html")], to=tmp_path / "s", clock=clock, progress=False)
    assert list(frame.columns) == ["input", "status", "http_status", "article_id", "message"]
    assert frame.loc[0, "status"] == "http-404"
    with open(tmp_path / "s" / "report.csv", encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(io.StringIO(f.read())))[0]["status"] == "http-404"
