"""The project's own polite HTTP client: robots.txt, delays, bounded retries, a size cap.

Built on :mod:`http.client` (trafilatura's downloader refuses loopback addresses, which tests and
local mirrors need, and hides the raw exchange a WARC capture must keep). What it does, for every
request made through one :class:`Fetcher`:

* **robots.txt** is read once per host (scheme, host and port) with the same client; a URL it
  disallows for our user agent is never requested (:class:`Disallowed`). A robots.txt answered
  with 401 or 403, or that cannot be read (5xx, network error), disallows the whole host; a 404
  or other 4xx allows it (the robots exclusion protocol, RFC 9309, section 2.3.1).
* **delays**: at least ``delay`` seconds (default 1.0) between two requests to one host, longer
  when robots.txt asks for a ``Crawl-delay``; a smaller ``delay`` is honoured only for this
  machine (loopback addresses: tests, local mirrors), never below 1 s for any other host.
* **retries**: 429 and 503 are retried at most ``retries`` times (default 3), each after the
  ``Retry-After`` the server gave (seconds or an HTTP date; 5 s when it gave none); a wait longer
  than ``max_wait`` (default 120 s) is not made, and the 429/503 is returned as it is.
* **redirects** are followed by hand (at most 5), each hop checked against its host's robots.txt.
* **identity**: ``User-Agent: caucasus-corpus/VERSION`` (plus ``(+CONTACT)`` when a contact is
  given: put your project page or e-mail address there; the package has no project URL of its
  own to put). ``user_agent=`` replaces it.
* **safety**: TLS certificates and host names are always verified (the default SSL context;
  there is no switch to turn it off); a ``timeout`` per connection and read (default 30 s); a
  body larger than ``max_bytes`` (default 10 MB) is refused. ``Accept-Encoding: identity``, so
  the body kept in a capture is the payload the server sent.

Time is read and waited through a :class:`Clock`; tests pass one that records the waits instead
of sleeping.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

__all__ = ["Clock", "Disallowed", "Exchange", "FetchError", "Fetcher", "Response", "default_user_agent"]

MAX_REDIRECTS = 5
# No other machine is asked more often than once a second, whatever delay= says.
MIN_DELAY = 1.0
ROBOTS_AGENT = "caucasus-corpus"  # the product token robots.txt rules are matched against


class Clock:
    """Real time: ``now()`` in seconds (monotonic) and ``sleep(seconds)``."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class FetchError(Exception):
    """A request that got no usable answer (network error, too large, bad redirect); the message
    says which and why."""


class Disallowed(FetchError):
    """The URL is disallowed by its host's robots.txt (it was not requested)."""


@dataclass(frozen=True)
class Exchange:
    """One request and its answer as sent and received (what a WARC capture records)."""

    url: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    body: bytes
    ip: str = ""


@dataclass(frozen=True)
class Response:
    """The final answer for a URL after redirects: ``exchanges`` holds every hop, the last one first
    reached by ``url``."""

    url: str
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def final(self) -> Exchange:
        return self.exchanges[-1]

    @property
    def final_url(self) -> str:
        return self.final.url

    @property
    def status(self) -> int:
        return self.final.status

    @property
    def body(self) -> bytes:
        return self.final.body

    def header(self, name: str) -> str | None:
        """The last value of header ``name`` of the final answer (case-insensitive), or None."""
        found = [v for k, v in self.final.headers if k.lower() == name.lower()]
        return found[-1] if found else None


def default_user_agent(contact: str | None = None) -> str:
    """``caucasus-corpus/VERSION``, with ``(+contact)`` when a contact (URL or e-mail) is given."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("caucasus-corpus")
    except PackageNotFoundError:  # a source checkout that was never installed
        ver = "0"
    return f"caucasus-corpus/{ver}" + (f" (+{contact})" if contact else "")


def _is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _retry_after(value: str | None, now_epoch: float) -> float | None:
    """Seconds to wait from a Retry-After value (seconds or an HTTP date), None when unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now_epoch)


class Fetcher:
    """A polite client (see the module docstring); one per collection run, so that robots.txt
    is read once per host and the delays hold across every URL.

    ``clock``: a :class:`Clock` (tests give a fake one). ``epoch``: the wall-clock time in
    seconds for HTTP-date Retry-After values (``time.time`` by default).
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        contact: str | None = None,
        delay: float = 1.0,
        retries: int = 3,
        max_wait: float = 120.0,
        timeout: float = 30.0,
        max_bytes: int = 10 * 1024 * 1024,
        clock: Clock | None = None,
        epoch=time.time,  # type: ignore[no-untyped-def]
    ) -> None:
        for name, value, low in (("delay", delay, 0), ("max_wait", max_wait, 0), ("timeout", timeout, 0.001)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
                raise ValueError(f"{name} must be a number of seconds of at least {low}, not {value!r}")
        for name, value, low in (("retries", retries, 0), ("max_bytes", max_bytes, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be a whole number of at least {low}, not {value!r}")
        self.user_agent = user_agent or default_user_agent(contact)
        self.delay, self.retries, self.max_wait = float(delay), retries, float(max_wait)
        self.timeout, self.max_bytes = float(timeout), max_bytes
        self.clock = clock or Clock()
        self.epoch = epoch
        self._robots: dict[str, RobotFileParser | str] = {}  # host key -> parser, or why all is disallowed
        self._last: dict[str, float] = {}  # host key -> when its last request ended
        self.requested: list[str] = []  # every URL requested, in order (robots.txt included)
        self.robots_exchanges: list[Exchange] = []  # robots.txt answers, for a capture to take

    # -- robots.txt ------------------------------------------------------------------------------
    @staticmethod
    def _host(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def _robots_for(self, url: str) -> RobotFileParser | str:
        host = self._host(url)
        if host not in self._robots:
            robots_url = host + "/robots.txt"
            parser = RobotFileParser(robots_url)
            try:
                ex = self._exchange(robots_url)
            except FetchError as exc:
                self._robots[host] = f"{robots_url} could not be read ({exc}), so the host is treated as disallowed"
                return self._robots[host]
            self.robots_exchanges.append(ex)
            if ex.status in (401, 403):
                self._robots[host] = f"{robots_url} answered HTTP {ex.status}, which disallows the whole host"
            elif ex.status >= 500 or ex.status in (429,):
                self._robots[host] = f"{robots_url} answered HTTP {ex.status}, so the host is treated as disallowed"
            elif ex.status >= 400:
                parser.allow_all = True
                self._robots[host] = parser
            elif ex.status >= 300:
                # Robots redirects are rare; following them across hosts is not worth the risk.
                self._robots[host] = f"{robots_url} redirects, which is not followed; the host is treated as disallowed"
            else:
                parser.parse(ex.body.decode("utf-8", errors="replace").splitlines())
                self._robots[host] = parser
        return self._robots[host]

    def check_allowed(self, url: str) -> None:
        """Raise :class:`Disallowed` when robots.txt disallows ``url`` (reading it if needed)."""
        robots = self._robots_for(url)
        if isinstance(robots, str):
            raise Disallowed(robots)
        if not robots.can_fetch(ROBOTS_AGENT, url):
            raise Disallowed(f"{self._host(url)}/robots.txt disallows it for {ROBOTS_AGENT}")

    def host_delay(self, url: str) -> float:
        """The seconds kept between two requests to ``url``'s host: ``delay``, at least
        :data:`MIN_DELAY` unless the host is this machine (a loopback address), and the
        robots.txt Crawl-delay when longer."""
        robots = self._robots.get(self._host(url))
        crawl = robots.crawl_delay(ROBOTS_AGENT) if isinstance(robots, RobotFileParser) else None
        floor = 0.0 if _is_loopback(urlsplit(url).hostname or "") else MIN_DELAY
        return max(self.delay, floor, float(crawl or 0))

    # -- requests --------------------------------------------------------------------------------
    def _wait_for_host(self, url: str) -> None:
        last = self._last.get(self._host(url))
        if last is not None:
            wait = last + self.host_delay(url) - self.clock.now()
            if wait > 0:
                self.clock.sleep(wait)

    def _exchange(self, url: str) -> Exchange:
        """One GET, no redirects followed, after the host's delay."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"only http and https addresses can be fetched, not {url!r}")
        self._wait_for_host(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [("Host", parts.netloc), ("User-Agent", self.user_agent),
                   ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                   ("Accept-Encoding", "identity"), ("Connection", "close")]
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self.timeout, context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        self.requested.append(url)
        try:
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers:
                conn.putheader(k, v)
            conn.endheaders()
            resp = conn.getresponse()
            try:
                ip = conn.sock.getpeername()[0] if conn.sock else ""
            except OSError:
                ip = ""
            body = resp.read(self.max_bytes + 1)
            if len(body) > self.max_bytes:
                raise FetchError(f"the answer is larger than the cap of {self.max_bytes:,} bytes (max_bytes=)")
            version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(resp.version, "HTTP/1.1")
            return Exchange(url, headers, resp.status, resp.reason, version, list(resp.getheaders()), body, ip)
        except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
            kind = "timed out" if isinstance(exc, (socket.timeout, TimeoutError)) else f"{type(exc).__name__}: {exc}"
            raise FetchError(f"no answer ({kind})") from None
        finally:
            conn.close()
            self._last[self._host(url)] = self.clock.now()

    def get(self, url: str) -> Response:
        """GET ``url`` politely; raises :class:`Disallowed` or :class:`FetchError`. A 4xx or 5xx
        answer is returned (after the retries for 429 and 503), not raised."""
        exchanges: list[Exchange] = []
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self.check_allowed(current)
            ex = self._exchange(current)
            for _attempt in range(self.retries):
                if ex.status not in (429, 503):
                    break
                wait = _retry_after(dict((k.lower(), v) for k, v in ex.headers).get("retry-after"), self.epoch())
                wait = 5.0 if wait is None else wait
                if wait > self.max_wait:
                    break
                exchanges.append(ex)
                self.clock.sleep(wait)
                ex = self._exchange(current)
            exchanges.append(ex)
            location = dict((k.lower(), v) for k, v in ex.headers).get("location")
            if ex.status in (301, 302, 303, 307, 308) and location:
                current = urljoin(current, location.strip())
                continue
            return Response(url, exchanges)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
