"""Where ``hydrate`` finds the texts: a folder of files, WARC captures, or the web.

Each source gives one :class:`Found` per withheld text: its bytes, or why there are none. Every
file is read through the safe reader's input mode (:func:`~caucasus_corpus.release.safefile.read_input`;
WARC files through :func:`caucasus_corpus.intake.warc.read_responses`, which uses it); pages are
fetched with the intake's polite client (robots.txt, a delay per host, bounded retries, a size
cap) and their text made by the intake's extractor (:mod:`caucasus_corpus.intake.extract`), as
``collect`` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CorpusInputError
from ..release.safefile import InputLimits, read_input
from ..release.withheld import WithheldText


@dataclass(frozen=True)
class Found:
    """A text a source gave for one article (``data``), or why it gave none (``problem``);
    ``note`` says anything else worth knowing (a dead live link, another extractor version)."""

    article_id: str
    data: bytes | None
    source: str
    problem: str | None = None
    note: str = ""


def from_folder(folder: Path, listing: Mapping[str, WithheldText], *, limits: InputLimits | None = None) -> Iterator[Found]:
    """Each article's text from ``folder``: ``ARTICLE_ID.txt``, else ``SHA256.txt`` (a file
    named by the text's sha256); one that matches its sha256 is preferred when both are there."""
    for aid, want in listing.items():
        tried: list[Found] = []
        for name in (f"{aid}.txt", f"{want.sha256}.txt"):
            candidate = folder / name
            if not (candidate.exists() or candidate.is_symlink()):
                continue
            try:
                data = read_input(candidate, root=folder, limits=limits)
            except CorpusInputError as exc:
                tried.append(Found(aid, None, str(candidate), str(exc)))
                continue
            tried.append(Found(aid, data, str(candidate)))
            if hashlib.sha256(data).hexdigest() == want.sha256:
                break
        usable = [f for f in tried if f.data is not None]
        matching = [f for f in usable if hashlib.sha256(f.data or b"").hexdigest() == want.sha256]
        if matching or usable:
            yield (matching or usable)[0]
        elif tried:
            yield tried[0]
        else:
            yield Found(aid, None, str(folder), f"{folder}: holds neither {aid}.txt nor {want.sha256}.txt; put the text there")


def _extract(payload: bytes, content_type: str | None) -> tuple[bytes | None, str | None]:
    """The stored form of a page's main text (UTF-8), or why there is none."""
    from ..intake.decode import DecodeError, decode_page
    from ..intake.extract import extract_text

    try:
        html, _encoding, _how = decode_page(payload, content_type)
    except DecodeError as exc:
        return None, f"the page cannot be decoded ({exc})"
    text = extract_text(html)
    if not text:
        return None, "the extractor found no main text in the page"
    return text.encode("utf-8"), None


def _extractor_note(want: WithheldText) -> str:
    from ..intake.extract import extractor_spec

    installed = extractor_spec()
    if want.extractor and want.extractor != installed:
        return (f"re-extracted with {installed}, but the text was made with {want.extractor}: a different extractor "
                "may give a different text, which is then re-anchored as drift")
    return ""


def from_warc(folder: Path, listing: Mapping[str, WithheldText], captures: Mapping[str, str], *,
              limits: InputLimits | None = None) -> Iterator[Found]:
    """Each article's text re-extracted from its WARC capture in ``folder``: the response named by
    its ``capture`` (``FILE#RECORD-ID``), else a response for its URL in any WARC file there."""
    from ..intake.warc import read_responses

    parsed: dict[str, list[Any] | str] = {}

    def responses(name: str) -> list[Any] | str:
        if name not in parsed:
            path = folder / name
            try:
                if not _looks_like_warc(read_input(path, root=folder, limits=limits)):
                    raise ValueError("it does not begin with a WARC/1.x record header")
                parsed[name] = list(read_responses(path, root=folder, limits=limits))
            except CorpusInputError as exc:
                parsed[name] = str(exc)
            except Exception as exc:  # warcio and gzip raise many kinds on a file that is not a WARC
                parsed[name] = f"{path}: is not a readable WARC file ({type(exc).__name__}: {exc})"
        return parsed[name]

    files = sorted(p.name for p in folder.iterdir() if p.name.endswith((".warc", ".warc.gz"))) if folder.is_dir() else []
    for aid, want in listing.items():
        ref = captures.get(aid) or ""
        name, _, record_id = ref.partition("#")
        candidates = [name] if name else files
        hit, problems = None, []
        for file in candidates:
            if not (folder / file).exists() and not (folder / file).is_symlink():
                problems.append(f"{folder / file}: no such capture file")
                continue
            got = responses(file)
            if isinstance(got, str):
                problems.append(got)
                continue
            for resp in got:
                if (record_id and resp.record_id == record_id) or (not record_id and want.url and resp.url == want.url):
                    hit = (file, resp)
                    break
            if hit:
                break
        if hit is None:
            problems.append(f"no response {'with record id ' + record_id if record_id else 'for ' + (want.url or 'its URL')} "
                            f"in the WARC files of {folder}")
            yield Found(aid, None, str(folder), "; ".join(problems))
            continue
        file, resp = hit
        data, problem = _extract(resp.payload, resp.header("Content-Type"))
        source = f"{folder / file}#{resp.record_id}"
        yield Found(aid, data, source, problem and f"{source}: {problem}", _extractor_note(want))


def _looks_like_warc(data: bytes) -> bool:
    """Does the file (gzipped or not) begin as a WARC file does? warcio reads many other files
    without complaint, finding no records in them."""
    import zlib

    head = data[:4096]
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], 64)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def from_urls(listing: Mapping[str, WithheldText], *, archive: bool = False, delay: float = 1.0) -> Iterator[Found]:
    """Each article's text fetched from its URL (politely, as ``collect`` fetches) and extracted;
    with ``archive``, its archived URL is tried when the live one fails."""
    from ..intake.fetch import Disallowed, FetchError, Fetcher

    fetcher = Fetcher(delay=delay)
    for aid, want in listing.items():
        urls = [("live", want.url)] + ([("archived", want.archived_url)] if archive and want.archived_url else [])
        failures: list[str] = []
        found = None
        for kind, url in urls:
            if not url:
                failures.append(f"no {kind} URL")
                continue
            try:
                response = fetcher.get(url)
            except Disallowed as exc:
                failures.append(f"{kind} URL {url}: robots.txt disallows it ({exc})")
                continue
            except FetchError as exc:
                failures.append(f"{kind} URL {url}: {exc}")
                continue
            if response.status != 200:
                failures.append(f"{kind} URL {url}: HTTP {response.status}")
                continue
            data, problem = _extract(response.body, response.header("Content-Type"))
            if problem:
                failures.append(f"{kind} URL {url}: {problem}")
                continue
            note = "; ".join(failures + ([f"read from the archived URL {url}"] if kind == "archived" else []))
            extractor = _extractor_note(want)
            found = Found(aid, data, url, None, "; ".join(n for n in (note, extractor) if n))
            break
        if found is None:
            hint = "" if archive or not want.archived_url else " (add --archive to try its archived URL)"
            found = Found(aid, None, want.url or aid, "; ".join(failures) + hint)
        yield found
