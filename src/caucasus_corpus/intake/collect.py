"""``collect``: news pages, feeds and URL lists into a staging folder (:mod:`.staging`).

Each URL is fetched politely (:mod:`.fetch`) and captured (:mod:`.warc`), decoded
(:mod:`.decode`), its main text extracted (:mod:`.extract`) and its metadata read with where each
value came from (:mod:`.pagemeta`); the text is checked against what is staged and against
``against`` (a release) for duplicates (:mod:`.dedup`); then it is staged under ``add``'s id rule
(:func:`caucasus_corpus.authoring.ids.article_id_for`, titles in other scripts romanized). Every
input gets a report row, whatever happens to it; one broken page never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..authoring.ids import article_id_for
from .dedup import DuplicateIndex
from .decode import DecodeError, decode_page
from .extract import MIN_CHARS, extract_text, extractor_spec, looks_javascript_only
from .feeds import FeedError, feed_items
from .fetch import Clock, Disallowed, FetchError, Fetcher, Response
from .pagemeta import page_metadata
from .staging import CAPTURES, Stage
from .urllists import read_url_list
from .warc import CaptureWriter

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["collect"]

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


def _utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _duplicates(stage: Stage, against: str | Path | None) -> tuple[DuplicateIndex, set[str]]:
    index, taken = DuplicateIndex(), stage.ids()
    for aid, text in stage.texts():
        index.add(aid, text)
    if against is not None:
        from ..release.load import load

        corpus = load(against)
        for aid in corpus.article_ids:
            index.add(f"{aid} (in {against})", corpus.text(aid))
            taken.add(aid)
    return index, taken


class _Run:
    """One collect run: the stage, the client, the capture file and what is known so far."""

    def __init__(self, stage: Stage, fetcher: Fetcher, index: DuplicateIndex, taken: set[str], today: date | None) -> None:
        self.stage, self.fetcher, self.index, self.taken, self.today = stage, fetcher, index, taken, today
        self.spec = extractor_spec()
        name = f"collect-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}.warc.gz"
        self.captures = CaptureWriter(stage.root / CAPTURES / name)

    def fetch(self, url: str) -> tuple[Response, str]:
        """The response and the capture of its final answer (``FILE#ID``, payload sha256 joined by a space)."""
        try:
            response = self.fetcher.get(url)
        finally:  # robots.txt as it was read is kept with the pages it allowed or disallowed
            while self.fetcher.robots_exchanges:
                self.captures.write(self.fetcher.robots_exchanges.pop(0))
        capture = ""
        for ex in response.exchanges:
            capture = " ".join(self.captures.write(ex))
        return response, capture

    def feed(self, url: str) -> list[tuple[str, dict[str, str]]]:
        """The items of the feed at ``url`` (its report row written); [] when it failed."""
        try:
            response, _capture = self.fetch(url)
        except Disallowed as exc:
            self.stage.note(url, "robots-disallowed", message=f"feed not requested: {exc}")
            return []
        except FetchError as exc:
            self.stage.note(url, "error", message=f"feed: {exc}")
            return []
        if response.status != 200:
            self.stage.note(url, f"http-{response.status}", http_status=response.status, message="feed: HTTP error")
            return []
        try:
            items = feed_items(response.body, base_url=response.final_url)
        except FeedError as exc:
            self.stage.note(url, "error", http_status=200, message=f"feed: {exc}")
            return []
        self.stage.note(url, "ok", http_status=200, message=f"feed with {len(items)} item(s), each reported on its own row")
        return [(item.url, {"title": item.title, "published": item.published}) for item in items]

    def page(self, url: str, hints: dict[str, str]) -> None:
        """Fetch, extract and stage one article page, writing its report row."""
        note = self.stage.note
        try:
            response, capture = self.fetch(url)
        except Disallowed as exc:
            note(url, "robots-disallowed", message=f"not requested: {exc}")
            return
        except FetchError as exc:
            note(url, "error", message=str(exc))
            return
        status = response.status
        if status != 200:
            retry = response.header("Retry-After")
            note(url, f"http-{status}", http_status=status,
                 message=f"HTTP {status} {response.final.reason}" + (f"; Retry-After {retry} was more than the retries allow" if retry else ""))
            return
        content_type = response.header("Content-Type") or ""
        if content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
            note(url, "not-an-article", http_status=status, message=f"the answer is {content_type}, not an HTML page")
            return
        try:
            html, encoding, how = decode_page(response.body, content_type)
        except DecodeError as exc:
            note(url, "decode-error", http_status=status, message=str(exc))
            return
        self.stage_html(url, html, response.final_url, capture, hints, f"decoded as {encoding} ({how})", status)

    def stage_html(self, url: str, html: str, final_url: str, capture: str, hints: dict[str, str], decoded: str,
                   status: int | str = "") -> None:
        import lxml.html

        note = self.stage.note
        try:
            tree = lxml.html.fromstring(html)
        except (ValueError, lxml.etree.ParserError) as exc:
            note(url, "not-an-article", http_status=status, message=f"not a readable HTML page ({exc})")
            return
        text = extract_text(html)
        meta = page_metadata(html, final_url, tree=tree, feed=hints, text=text, today=self.today)
        if meta.blocked:
            kind, _, why = meta.blocked.partition(": ")
            note(url, kind, http_status=status, message=why)
            return
        if len(text) < MIN_CHARS:
            why = ("the text is written by JavaScript, which is not run" if looks_javascript_only(html)
                   else f"{len(text)} characters of main text, fewer than {MIN_CHARS}: an index, teaser or consent page?")
            note(url, "not-an-article", http_status=status, message=why)
            return
        try:
            wanted = article_id_for(outlet=meta.outlet, published=meta.published, title=meta.title)
        except ValueError as exc:
            note(url, "error", http_status=status, message="; ".join([*meta.problems, f"no article id: {exc}"]))
            return
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        seen = self.index.match(text, sha)
        if seen:
            kind, other, similarity = seen
            note(url, kind, http_status=status, article_id=other.split(" ", 1)[0],
                 message=f"{kind} {other}" + (f" (estimated shingle similarity {similarity:.2f})" if kind == "near-duplicate-of" else ""))
            return
        aid = self.stage.free_id(wanted, self.taken)
        capture_ref, _, capture_sha = capture.partition(" ")
        sources = [f"title from {meta.title_source}", f"outlet from {meta.outlet_source}"]
        if meta.language:
            sources.append(f"language from {meta.language_source}")
        notes = [f"Collected by caucasus-corpus collect from {url}" + (f" (redirected to {final_url})" if final_url != url else "")
                 + f"; {', '.join(sources)}; {decoded}."]
        if hints.get("provenance"):
            notes.append(hints["provenance"])
        if aid != wanted:
            notes.append(f"Id {wanted} was taken, so this one is {aid}.")
        row = {
            "article_id": aid, "title": meta.title, "published": meta.published, "outlet": meta.outlet,
            "url": final_url, "genre": "", "language": meta.language, "byline": meta.byline, "author": meta.author,
            "source_file": "", "notes": " ".join(notes), "retrieved": _utc_now(), "extractor": self.spec,
            "capture": capture_ref, "capture_sha256": capture_sha, "published_source": meta.published_source,
            "license": meta.license, "license_evidence": meta.license_evidence, "access_rights": "",
            "rights_holder": "", "archived_url": "",
        }
        self.stage.put(row, text)
        self.index.add(aid, text, sha)
        self.taken.add(aid)
        message = "; ".join(meta.problems + ([f"id {wanted} was taken: staged as {aid}"] if aid != wanted else []))
        note(url, "ok", http_status=status, article_id=aid, message=message)

    def close(self) -> None:
        self.captures.close()


def collect(
    urls: Sequence[str] = (),
    *,
    to: str | Path,
    feeds: Sequence[str] = (),
    from_csv: str | Path | None = None,
    against: str | Path | None = None,
    user_agent: str | None = None,
    contact: str | None = None,
    delay: float = 1.0,
    retries: int = 3,
    timeout: float = 30.0,
    max_bytes: int = 10 * 1024 * 1024,
    clock: Clock | None = None,
    today: date | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Collect news pages into the staging folder ``to`` and return its report.

    ``urls``: article addresses; ``feeds``: RSS or Atom feed addresses, each item collected;
    ``from_csv``: a URL list (a ``url`` column; Media Cloud and GDELT exports too, see
    :mod:`caucasus_corpus.intake.urllists`); ``against``: a release whose texts count as seen, so
    their copies are reported as duplicates. The client's options (``user_agent``, ``contact``,
    ``delay``, ``retries``, ``timeout``, ``max_bytes``, ``clock``) are those of
    :class:`caucasus_corpus.intake.fetch.Fetcher`; ``today`` (default: the current date) bounds
    the dates accepted as published. A re-run skips the inputs that are done (see
    :mod:`caucasus_corpus.intake.staging`). Nothing is written into a release.

    Raises ``ValueError`` (``StageError``, ``UrlListError``) when the run is refused as a whole: a
    STAGE inside a release or not a folder, an unreadable URL list, a bad option, nothing to
    collect; nothing is fetched then.

    Columns
    -------
    input : string
        The URL, feed URL or export document the row is about.
    status : string
        ok, robots-disallowed, http-NNN, not-an-article, paywalled, duplicate-of, near-duplicate-of, decode-error or error.
    http_status : string
        The final HTTP status code; <NA> when nothing was requested or answered.
    article_id : string
        The staged article's id (ok), or the article it duplicates; <NA> otherwise.
    message : string
        Why, and what to check or fill in metadata.csv; <NA> when there is nothing to say.
    """
    from tqdm.auto import tqdm

    from ..errors import CorpusInputError
    from . import require_libraries

    require_libraries()
    stage = Stage.open(to)
    inputs: list[tuple[str, dict[str, str]]] = [(u, {}) for u in urls]
    if from_csv is not None:
        try:
            listed = read_url_list(from_csv)
        except CorpusInputError as exc:
            raise ValueError(str(exc)) from None
        for item in listed:
            where = f"{from_csv}:{item.line}"
            provenance = "; ".join(f"{k}={v}" for k, v in item.columns.items() if v)
            if not item.url:
                stage.note(where, "error", message="the row has no URL")
                continue
            inputs.append((item.url, {"provenance": f"Listed in {Path(from_csv).name} line {item.line}" + (f": {provenance}." if provenance else ".")}))
    if not inputs and not feeds:
        raise ValueError("nothing to collect: give URLs, --feed URL or --from-csv FILE")
    fetcher = Fetcher(user_agent=user_agent, contact=contact, delay=delay, retries=retries, timeout=timeout,
                      max_bytes=max_bytes, clock=clock)
    index, taken = _duplicates(stage, against)
    run = _Run(stage, fetcher, index, taken, today)
    try:
        for feed in feeds:  # read again on every run: a feed lists new items
            inputs.extend(run.feed(feed))
        seen: set[str] = set()
        todo = []
        for url, hints in inputs:
            if url in seen:
                continue
            seen.add(url)
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                stage.note(url, "error", message="not an http or https address")
            elif not stage.done(url):
                todo.append((url, hints))
        for n, (url, hints) in enumerate(tqdm(todo, desc="collecting", unit="page", disable=not progress), 1):
            try:
                run.page(url, hints)
            except Exception as exc:  # noqa: BLE001 - one broken page never stops the others
                stage.note(url, "error", message=f"{type(exc).__name__}: {exc}")
            if n % 25 == 0:
                stage.save()
    finally:
        run.close()
        stage.save()
    return stage.report_frame()
