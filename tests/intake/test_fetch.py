"""The polite client on its own: retries and their bounds, robots.txt answers, the size cap, TLS."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from caucasus_corpus.intake.fetch import Disallowed, FetchError, Fetcher
from fixture_site import FakeClock, serve


def fetcher(clock: FakeClock, **options) -> Fetcher:  # type: ignore[no-untyped-def]
    return Fetcher(clock=clock, **options)


def test_a_retry_after_longer_than_the_bound_is_not_waited(clock: FakeClock) -> None:
    site = serve({"/slow.html": lambda: (503, {"Retry-After": "3600"}, b"down for maintenance")})
    try:
        response = fetcher(clock, max_wait=120).get(site.url("/slow.html"))
    finally:
        site.close()
    assert response.status == 503 and 3600 not in clock.sleeps
    assert site.paths().count("/slow.html") == 1


def test_retries_are_bounded_and_an_http_date_retry_after_is_read(clock: FakeClock) -> None:
    site = serve({"/busy.html": lambda: (429, {"Retry-After": "Wed, 21 Oct 2015 07:28:05 GMT"}, b"busy")})
    try:
        # The date is 10 s after the fetcher's wall clock: each retry waits 10 s, three times.
        from email.utils import parsedate_to_datetime

        now = parsedate_to_datetime("Wed, 21 Oct 2015 07:27:55 GMT").timestamp()
        response = Fetcher(clock=clock, retries=3, epoch=lambda: now).get(site.url("/busy.html"))
    finally:
        site.close()
    assert response.status == 429
    assert site.paths().count("/busy.html") == 4  # the first try and three retries
    assert clock.sleeps.count(10.0) == 3
    assert len(response.exchanges) == 4  # every answer kept for the capture


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (410, True), (403, False), (401, False), (500, False), (503, False)])
def test_what_a_robots_txt_answer_allows(clock: FakeClock, status: int, allowed: bool) -> None:
    site = serve({"/robots.txt": lambda: (status, {"Content-Type": "text/plain"}, b""),
                  "/a.html": lambda: (200, {"Content-Type": "text/html"}, b"<p>a</p>")})
    try:
        f = fetcher(clock, retries=0)
        if allowed:
            assert f.get(site.url("/a.html")).status == 200
        else:
            with pytest.raises(Disallowed, match=f"HTTP {status}"):
                f.get(site.url("/a.html"))
            assert "/a.html" not in site.paths()
    finally:
        site.close()


def test_a_redirect_into_a_disallowed_folder_is_not_followed(clock: FakeClock) -> None:
    site = serve({"/go": lambda: (302, {"Location": "/private/x.html"}, b"")})
    try:
        with pytest.raises(Disallowed):
            fetcher(clock).get(site.url("/go"))
    finally:
        site.close()
    assert "/private/x.html" not in site.paths()


def test_a_body_over_the_cap_is_refused(clock: FakeClock) -> None:
    site = serve({"/big.html": lambda: (200, {"Content-Type": "text/html"}, b"x" * 5000)})
    try:
        with pytest.raises(FetchError, match="larger than the cap of 4,000 bytes"):
            fetcher(clock, max_bytes=4000).get(site.url("/big.html"))
    finally:
        site.close()


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="delay must be a number of seconds"):
        Fetcher(delay=-1)
    with pytest.raises(ValueError, match="retries must be a whole number"):
        Fetcher(retries=1.5)  # type: ignore[arg-type]
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher().get("file:///etc/passwd")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_tls_certificates_are_verified(tmp_path: Path, clock: FakeClock) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True, timeout=120)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(Disallowed, match="CERTIFICATE_VERIFY_FAILED"):  # robots.txt is the first request
            fetcher(clock, timeout=10).get(f"https://127.0.0.1:{server.server_address[1]}/a.html")
    finally:
        server.shutdown()
        server.server_close()


def test_the_delay_is_at_least_one_second_except_on_this_machine() -> None:
    f = Fetcher(delay=0.1)
    assert f.host_delay("https://varnia-daily.example/a") == 1.0
    assert f.host_delay("http://127.0.0.1:8000/a") == 0.1 and f.host_delay("http://[::1]:8000/a") == 0.1
    assert Fetcher(delay=3).host_delay("https://varnia-daily.example/a") == 3.0
