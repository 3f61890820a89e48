"""hydrate --from-urls and --from-warc: texts fetched from a loopback server (an original path and
an archive-style path, one dead link) or re-extracted from WARC captures. Invented pages only."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import rehash
from caucasus_corpus.sharing import HydrationError, hydrate, publish

from support import FICTION_ACTORS, span, write_release

from conftest import data_snapshot, snapshot

pytest.importorskip("trafilatura")

# Invented news pages about the fictional countries Varnia and Ostrel.
PAGES = {
    "varnia-dam-talks": ("Varnia and Ostrel resume talks on the river dam", [
        "Pell Andor, the Varnian foreign minister, said on Monday that talks with Ostrel on the river dam would resume next week in the border town of Kessel.",
        "The two governments broke off negotiations in March after Ostrel began filling the reservoir without notice, according to officials in both capitals.",
        "Kesa Rimm, a member of the Varnian parliament, welcomed the announcement but warned that farmers downstream could not wait another season for an agreement.",
    ]),
    "ostrel-harvest-report": ("Ostrel reports a record harvest in the northern valleys", [
        "The Ostreli agriculture ministry said the northern valleys produced more grain this year than in any year since records began in the province.",
        "Officials credited new irrigation channels and a mild spring, while farmers' unions said prices had fallen so far that many growers made no profit at all.",
        "Pell Andor of Varnia congratulated his neighbours and said Varnian mills were ready to buy part of the surplus if the border stayed open.",
    ]),
    "kessel-bridge-opens": ("A new bridge opens between Varnia and Ostrel at Kessel", [
        "A road bridge across the river at Kessel opened to traffic on Saturday, linking the Varnian and Ostreli banks for the first time since the old bridge fell.",
        "Pell Andor and his Ostreli counterpart crossed it on foot together, and both said the bridge showed what the two states could build when they cooperated.",
        "Traders on both banks expect the crossing to cut the journey to the regional market from half a day to less than an hour for most villages nearby.",
    ]),
}
DEAD = "ostrel-harvest-report"  # its live link is dead; only the archive has it


def page_html(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<header><nav><a href='/'>Home</a></nav></header><main><article><h1>{title}</h1>{body}</article></main>"
            "<footer>An invented test site.</footer></body></html>").encode("utf-8")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = self.path.rstrip("/")
            aid = path.rsplit("/", 1)[-1]
            live = path == f"/news/{aid}" and aid != DEAD
            archived = path == f"/web/20240101000000/news/{aid}"
            if aid in PAGES and (live or archived):
                data = page_html(*PAGES[aid])
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
            else:
                data = b"not found"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _release(root: Path, site: str, *, captures: dict[str, str] | None = None, extractor: str | None = None) -> Path:
    """A release of the pages' texts as the intake's extractor makes them, with their addresses."""
    from caucasus_corpus.intake.extract import extract_text, extractor_spec

    texts = {aid: extract_text(page_html(*page).decode("utf-8")) for aid, page in PAGES.items()}
    assert all(len(t) > 200 for t in texts.values())
    records = {aid: [{"id": f"{aid}-m1", "article_id": aid, "layer": "mention", **dict(zip(("start", "end"), span(t, "Pell Andor"))),
                      "text": "Pell Andor", "annotator": "test", "actor": "pell-andor", "form": "name"}] for aid, t in texts.items()}
    write_release(root, texts=texts, actors=FICTION_ACTORS, records=records)
    path = root / "corpus" / "articles.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    fields = [*rows[0], "extractor", "capture", "archived_url"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        aid = row["article_id"]
        writer.writerow(row | {"url": f"{site}/news/{aid}", "archived_url": f"{site}/web/20240101000000/news/{aid}",
                               "extractor": extractor or extractor_spec(), "capture": (captures or {}).get(aid, "")})
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    rehash(root)
    assert cc.release.validate(root) == []
    return root


def test_from_urls_reads_the_live_pages_and_the_archive_for_a_dead_link(site: str, tmp_path: Path) -> None:
    release = _release(tmp_path / "rel", site)
    publish(tmp_path / "out", path=release)
    before = snapshot(tmp_path / "out")
    # without --archive the dead link refuses the hydration, naming it, and nothing is written
    with pytest.raises(HydrationError) as err:
        hydrate(tmp_path / "out", from_urls=True, delay=0, progress=False)
    [problem] = err.value.problems
    assert problem.startswith(f"{DEAD}: live URL {site}/news/{DEAD}: HTTP 404") and "--archive" in problem
    assert snapshot(tmp_path / "out") == before
    result = hydrate(tmp_path / "out", from_urls=True, archive=True, delay=0, progress=False)
    assert result.exact and data_snapshot(tmp_path / "out") == data_snapshot(release)
    [dead] = [line for line in result.summary if line.startswith(DEAD)]
    assert "HTTP 404" in dead and "read from the archived URL" in dead
    assert cc.load(tmp_path / "out").fingerprint == cc.load(release).fingerprint


def _capture(site: str, folder: Path) -> dict[str, str]:
    from caucasus_corpus.intake.fetch import Fetcher
    from caucasus_corpus.intake.warc import CaptureWriter

    folder.mkdir()
    writer = CaptureWriter(folder / "collect-test.warc.gz")
    fetcher = Fetcher(delay=0)
    refs = {}
    for aid in PAGES:
        response = fetcher.get(f"{site}/web/20240101000000/news/{aid}")
        refs[aid] = writer.write(response.exchanges[-1])[0]
    writer.close()
    return refs


def test_from_warc_re_extracts_each_capture(site: str, tmp_path: Path) -> None:
    refs = _capture(site, tmp_path / "captures")
    release = _release(tmp_path / "rel", site, captures=refs)
    publish(tmp_path / "out", path=release)
    result = hydrate(tmp_path / "out", from_warc=tmp_path / "captures", progress=False)
    assert result.exact and data_snapshot(tmp_path / "out") == data_snapshot(release)


def test_another_extractor_version_is_said(site: str, tmp_path: Path) -> None:
    refs = _capture(site, tmp_path / "captures")
    old = "trafilatura==1.0.0 (output_format=txt)"
    release = _release(tmp_path / "rel", site, captures=refs, extractor=old)
    publish(tmp_path / "out", path=release)
    result = hydrate(tmp_path / "out", from_warc=tmp_path / "captures", progress=False)
    assert all(f"the text was made with {old}" in line for line in result.summary)
    assert result.report["note"].str.contains("re-extracted with trafilatura==").all()


def test_a_warc_that_does_not_parse_refuses_and_writes_nothing(site: str, tmp_path: Path) -> None:
    refs = _capture(site, tmp_path / "captures")
    release = _release(tmp_path / "rel", site, captures=refs)
    publish(tmp_path / "out", path=release)
    (tmp_path / "captures" / "collect-test.warc.gz").write_bytes(b"this is not a WARC file\n" * 10)
    before = snapshot(tmp_path / "out")
    with pytest.raises(HydrationError) as err:
        hydrate(tmp_path / "out", from_warc=tmp_path / "captures", progress=False)
    assert len(err.value.problems) == len(PAGES)
    assert all("is not a readable WARC file" in p for p in err.value.problems)
    assert snapshot(tmp_path / "out") == before
