"""WARC captures of what was fetched (robots.txt included): request and response records (warcio), written into
``STAGE/captures/`` and read back for re-extraction. Captures stay with the collector: they are
never part of a release.

Each record pair is an :class:`~caucasus_corpus.intake.fetch.Exchange`: the request headers as
sent, the response status line, headers and body as received. ``http.client`` removes a chunked
transfer encoding while it reads, so a ``Transfer-Encoding`` header is left out of the recorded
response (the body recorded is the payload, not the chunks). An article's ``capture`` is
``FILE.warc.gz#<urn:uuid:...>``: the file under ``STAGE/captures/`` and the WARC-Record-ID of the
response its text was extracted from; ``capture_sha256`` is the sha256 of that response's payload.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from .fetch import Exchange

__all__ = ["CaptureWriter", "CapturedResponse", "read_responses"]


class CaptureWriter:
    """Appends request and response records to one gzipped WARC file."""

    def __init__(self, path: Path) -> None:
        from warcio.warcwriter import WARCWriter

        self.path = path
        self._file: BinaryIO = open(path, "ab")  # noqa: SIM115 - closed by close()
        self._writer = WARCWriter(self._file, gzip=True)

    def write(self, ex: Exchange) -> tuple[str, str]:
        """Record one exchange; ``(capture, payload sha256)``, capture as ``FILE#RECORD_ID``."""
        from warcio.statusandheaders import StatusAndHeaders

        headers = [(k, v) for k, v in ex.headers if k.lower() != "transfer-encoding"]
        http = StatusAndHeaders(f"{ex.status} {ex.reason}".strip(), headers, protocol=ex.http_version)
        extra = {"WARC-IP-Address": ex.ip} if ex.ip else {}
        response = self._writer.create_warc_record(ex.url, "response", payload=io.BytesIO(ex.body),
                                                   http_headers=http, warc_headers_dict=extra)
        parts = urlsplit(ex.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_http = StatusAndHeaders(f"GET {target} HTTP/1.1", list(ex.request_headers), is_http_request=True)
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        request = self._writer.create_warc_record(ex.url, "request", payload=io.BytesIO(b""), http_headers=req_http,
                                                  warc_headers_dict={"WARC-Concurrent-To": record_id})
        self._writer.write_record(request)
        self._writer.write_record(response)
        self._file.flush()
        return f"{self.path.name}#{record_id}", hashlib.sha256(ex.body).hexdigest()

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class CapturedResponse:
    """A response record read back: its id, URL, HTTP headers and payload."""

    record_id: str
    url: str
    status: int
    headers: list[tuple[str, str]]
    payload: bytes

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        return found[-1] if found else None


def read_responses(path: Path | str, *, root: Path | str | None = None, limits=None) -> Iterator[CapturedResponse]:  # type: ignore[no-untyped-def]
    """Every response record of a WARC file, read through the safe reader's input mode."""
    from warcio.archiveiterator import ArchiveIterator

    from ..release.safefile import read_input

    data = read_input(path, root=root, limits=limits)
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            continue
        http = record.http_headers
        status = int(http.get_statuscode() or 0) if http else 0
        yield CapturedResponse(record.rec_headers.get_header("WARC-Record-ID"), record.rec_headers.get_header("WARC-Target-URI"),
                               status, list(http.headers) if http else [], record.content_stream().read())
