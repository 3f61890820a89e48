"""Intake speed: re-extraction from WARC captures, and convert of a large Nexis Uni DOCX export.

* ``reextract``: 1,000 invented news pages of 10-150 KB of HTML each (a head with inline CSS and
  scripts, navigation, share bars, an article of 3-40 paragraphs of made-up words, related links,
  a footer; sizes spread evenly over the range, fixed seed) are written as response records into
  one WARC file with the intake's capture writer; then, timed, every response is read back
  through the safe reader, decoded and its main text extracted with the pinned trafilatura and
  the intake's options (what ``hydrate --from-warc`` and a re-extraction do). Timed a second time
  with the page metadata read as well (what ``collect`` does per page after fetching).
* ``convert``: a Nexis Uni DOCX export of 500 invented documents (cover page, list of titles,
  each document with its fields and 5-20 body paragraphs) made with python-docx, then
  ``cc.convert([docx], format="nexis", to=STAGE)`` timed into an empty staging folder.

The process is pinned to one CPU core (``os.sched_setaffinity``) where the system allows it.

    python benchmarks/bench_intake.py [--pages 1000] [--documents 500] [--folder /tmp/bench-intake]

Peers, in the same run on the same data (``*_peer_over_ours``: the peer's seconds over ours; below
1, the peer is faster, the difference being our extra work):

* re-extraction: ``trafilatura.extract`` alone, with the same options, on the same pages already
  read from the WARC and decoded (outside the timing): what the extractor costs without our WARC
  reading, decoding and, in the second row, page metadata with its sources. Its output, cut into
  paragraphs as the intake does, is asserted equal to our texts;
* convert: ``python-docx`` opening the same DOCX and reading its paragraphs' text alone, without
  splitting documents, reading fields or writing the staging folder.

Results print as a Markdown table and as JSON. Targets (the intake issue): at least 20 pages per
second for re-extraction, under 10 s for the 500-document convert.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20261207
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "intake"))

SYLLABLES = ["var", "os", "trel", "ka", "mo", "ri", "den", "lo", "sta", "ven", "kesk", "dor", "an", "el", "mar", "tu"]


def vocabulary(rng: np.random.Generator, n: int = 4000) -> list[str]:
    picks = rng.integers(0, len(SYLLABLES), size=(n, 3))
    lens = rng.integers(1, 4, size=n)
    return sorted({"".join(SYLLABLES[j] for j in picks[i, : lens[i]]) for i in range(n)})


def sentence(rng: np.random.Generator, words: list[str]) -> str:
    n = int(rng.integers(8, 25))
    chosen = [words[int(i)] for i in rng.zipf(1.3, size=n) % len(words)]
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def paragraph(rng: np.random.Generator, words: list[str]) -> str:
    return " ".join(sentence(rng, words) for _ in range(int(rng.integers(2, 6))))


def make_page(n: int, size: int, rng: np.random.Generator, words: list[str]) -> str:
    """An invented article page of about ``size`` bytes of HTML."""
    title = sentence(rng, words)[:70].rstrip(".")
    day = date(2020, 1, 1) + timedelta(days=int(rng.integers(0, 1400)))
    paras = "".join(f"<p>{paragraph(rng, words)}</p>" for _ in range(int(rng.integers(3, 41))))
    nav = "".join(f'<li><a href="/section/{i}">{words[i % len(words)].title()}</a></li>' for i in range(40))
    related = "".join(f'<li><a href="/story/{n}-{i}">{sentence(rng, words)[:60]}</a></li>' for i in range(12))
    share = '<div class="share"><a href="#fb">Share</a> <a href="#x">Post</a> <a href="#mail">E-mail</a></div>'
    article = (f'<article><h1>{title}</h1><p class="byline">By an invented reporter</p>'
               f'<time datetime="{day.isoformat()}T09:00:00+04:00">{day:%d %B %Y}</time>{paras}</article>')
    head = (f'<head><meta charset="utf-8"><title>{title} | Invented Daily</title>'
            f'<meta property="og:site_name" content="Invented Daily"><meta property="og:title" content="{title}">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "%s", "datePublished": "%s"}</script>'
            % (title, day.isoformat()))
    body = f'<body><header><nav><ul>{nav}</ul></nav></header>{share}<main>{article}</main>' \
           f'<aside><h3>Related</h3><ul>{related}</ul></aside>{share}<footer><p>Invented Daily, an invented outlet.</p></footer>'
    page = f"<!DOCTYPE html><html lang=\"en\">{head}{{pad}}</head>{body}</body></html>"
    missing = size - len(page.encode("utf-8"))
    pad = ""
    if missing > 0:  # the bulk of real pages: inline styles and scripts
        chunk = ".c{n}{{margin:0 {n}px;padding:{n}px;color:#{n:06x}}}\n"
        css = "".join(chunk.format(n=i) for i in range(missing // 90 + 1))
        pad = f"<style>{css[: missing // 2]}</style><script>var config = {json.dumps(css[: missing // 2])};</script>"
    return page.replace("{pad}", pad)


def build_warc(folder: Path, pages: int) -> tuple[Path, int]:
    from caucasus_corpus.intake.fetch import Exchange
    from caucasus_corpus.intake.warc import CaptureWriter

    rng = np.random.default_rng(SEED)
    words = vocabulary(rng)
    sizes = np.linspace(10_000, 150_000, pages).astype(int)
    rng.shuffle(sizes)
    path = folder / "pages.warc.gz"
    writer = CaptureWriter(path)
    total = 0
    for n, size in enumerate(sizes):
        body = make_page(n, int(size), rng, words).encode("utf-8")
        total += len(body)
        writer.write(Exchange(f"http://127.0.0.1:8000/story/{n}.html", [("User-Agent", "bench")], 200, "OK", "HTTP/1.1",
                              [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], body))
    writer.close()
    return path, total


def reextract(path: Path, *, with_metadata: bool, texts: list[str] | None = None) -> tuple[float, int, int]:
    from caucasus_corpus.intake.decode import decode_page
    from caucasus_corpus.intake.extract import extract_text
    from caucasus_corpus.intake.pagemeta import page_metadata
    from caucasus_corpus.intake.warc import read_responses

    start = time.perf_counter()
    n = chars = 0
    for response in read_responses(path):
        html = decode_page(response.payload, response.header("Content-Type"))[0]
        text = extract_text(html)
        if with_metadata:
            page_metadata(html, response.url, text=text)
        n += 1
        chars += len(text)
        if texts is not None:
            texts.append(text)
    return time.perf_counter() - start, n, chars


def decoded_pages(path: Path) -> list[str]:
    """Every response of the WARC, decoded (the peer's input; not timed)."""
    from caucasus_corpus.intake.decode import decode_page
    from caucasus_corpus.intake.warc import read_responses

    return [decode_page(r.payload, r.header("Content-Type"))[0] for r in read_responses(path)]


def trafilatura_alone(pages: list[str]) -> tuple[float, list[str]]:
    """Peer: trafilatura.extract with the intake's options on decoded pages, nothing else."""
    import trafilatura

    from caucasus_corpus.intake.extract import OPTIONS

    start = time.perf_counter()
    out = [trafilatura.extract(html, **OPTIONS) or "" for html in pages]
    return time.perf_counter() - start, out


def as_paragraphs(out: str) -> str:
    """trafilatura's output cut into paragraphs as the intake stores them (for the equality check)."""
    lines = [line.strip() for line in out.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept = [line for line in lines if line]
    return "\n\n".join(kept) + "\n" if kept else ""


def docx_paragraphs(path: Path) -> tuple[float, int]:
    """Peer: python-docx opening the file and reading every paragraph's text, nothing else."""
    import docx

    start = time.perf_counter()
    n = len([p.text for p in docx.Document(str(path)).paragraphs])
    return time.perf_counter() - start, n


def build_docx(folder: Path, documents: int) -> Path:
    from exports import Doc, nexis_docx

    rng = np.random.default_rng(SEED + 1)
    words = vocabulary(rng)
    docs = []
    for i in range(documents):
        day = date(2019, 1, 1) + timedelta(days=int(rng.integers(0, 1800)))
        body = [paragraph(rng, words) for _ in range(int(rng.integers(5, 21)))]
        docs.append(Doc(f"{sentence(rng, words)[:60].rstrip('.')} {i}", ["Varnia Daily", "Ostrel Courier", "Kesk Herald"][i % 3],
                        day, body, byline="An invented reporter", section="World", words=sum(len(p.split()) for p in body),
                        copyright=f"Copyright {day.year} Invented Media Ltd. All Rights Reserved"))
    return nexis_docx(folder / "nexis-500.docx", docs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--folder", default="/tmp/bench-intake")
    args = parser.parse_args(argv)
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        pinned = "one core (sched_setaffinity)"
    except (AttributeError, OSError):
        pinned = "not pinned"
    folder = Path(args.folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    import caucasus_corpus as cc
    from caucasus_corpus.intake.extract import extractor_spec

    warc, html_bytes = build_warc(folder, args.pages)
    reextract(warc, with_metadata=False)  # warm-up: imports and trafilatura's first-call setup are not timed
    ours_texts: list[str] = []
    seconds, n, chars = reextract(warc, with_metadata=False, texts=ours_texts)
    seconds_meta, _n, _c = reextract(warc, with_metadata=True)
    peer_seconds, peer_out = trafilatura_alone(decoded_pages(warc))
    assert [as_paragraphs(t) for t in peer_out] == ours_texts, "trafilatura alone and the re-extraction differ"
    docx = build_docx(folder, args.documents)
    import pandas  # noqa: F401 - the library imports are not timed (the first cc.convert call would pay for pandas)
    import docx as _docx  # noqa: F401

    start = time.perf_counter()
    report = cc.convert([docx], format="nexis", to=folder / "stage", progress=False)
    convert_seconds = time.perf_counter() - start
    docx_seconds, docx_paras = docx_paragraphs(docx)
    result = {
        "cpu": pinned,
        "extractor": extractor_spec(),
        "pages": n,
        "html_mb": round(html_bytes / 1e6, 1),
        "text_chars": chars,
        "reextract_seconds": round(seconds, 2),
        "reextract_pages_per_second": round(n / seconds, 1),
        "reextract_with_metadata_seconds": round(seconds_meta, 2),
        "reextract_with_metadata_pages_per_second": round(n / seconds_meta, 1),
        "docx_documents": int((report["status"] == "ok").sum()),
        "docx_mb": round(docx.stat().st_size / 1e6, 2),
        "convert_seconds": round(convert_seconds, 2),
        "peer_trafilatura_extract_alone_seconds": round(peer_seconds, 2),
        "reextract_peer_over_ours": round(peer_seconds / seconds, 2),
        "reextract_with_metadata_peer_over_ours": round(peer_seconds / seconds_meta, 2),
        "peer_python_docx_paragraphs_seconds": round(docx_seconds, 2),
        "peer_python_docx_paragraphs": docx_paras,
        "convert_peer_over_ours": round(docx_seconds / convert_seconds, 2),
    }
    print("| measure | value |\n| --- | ---: |")
    for k, v in result.items():
        print(f"| {k} | {v} |")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
