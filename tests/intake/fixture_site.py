"""An invented news site served on 127.0.0.1 for the intake tests: every outlet, person, place and
sentence here is made up for the tests (the fictional countries Varnia and Ostrel), and every date
is in the past.

Pages carry the furniture real pages have (navigation, share bars, related links, footers), and
the site has the cases a collector meets: JSON-LD, a windows-1251 page served without a charset,
a robots.txt that disallows a folder and asks for a Crawl-delay, a 429 with Retry-After, a 404, a
redirect, an RSS feed, a syndicated copy of an article, a paywalled page and a JavaScript-only
page. Every request is recorded with its headers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SITE = "Varnia Daily"

NAV = """<header><div class="logo">Varnia Daily</div><nav><ul><li><a href="/">Home</a></li><li><a href="/politics/">Politics</a></li>
<li><a href="/economy/">Economy</a></li><li><a href="/culture/">Culture</a></li><li><a href="/sport/">Sport</a></li></ul></nav></header>"""
SHARE = """<div class="share-bar"><a class="share" href="#fb">Share on Facebook</a> <a class="share" href="#tw">Share on X</a>
<a class="share" href="#mail">Send by e-mail</a> <a class="share" href="#print">Print</a></div>"""
RELATED = """<aside class="related"><h3>Related stories</h3><ul><li><a href="/r1">Harvest festival opens in Lenmar</a></li>
<li><a href="/r2">Ostrel parliament debates fishing quotas</a></li><li><a href="/r3">Weather: rain over the Varnian hills</a></li></ul></aside>"""
FOOTER = """<footer><p>&copy; 2023 Varnia Daily (an invented outlet). All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/contact">Contact</a></li></ul></footer>"""


def page(title: str, body: str, *, head: str = "", lang: str = "en", site_title: str = SITE) -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | {site_title}</title>'
            f'<meta property="og:site_name" content="{site_title}">{head}</head><body>{NAV}{SHARE}'
            f"<main><article>{body}</article></main>{RELATED}{SHARE}{FOOTER}</body></html>")


FERRY_PARAGRAPHS = [
    "The invented ferry between Varnia and Ostrel made its first crossing on Tuesday morning, carrying forty "
    "passengers and two trucks loaded with apples from the Lenmar valley.",
    "Officials of the port authority in Dorvel said the service would run twice a week until the river freezes. "
    "\u201cWe waited ten years for this crossing,\u201d said Anik Sorrel, the harbour master.",
    "In Ostrel, the trade minister Pell Andor called the ferry a step towards open borders, while farmers' "
    "groups said the tariff of twelve crowns per crate was too high for small growers.",
    "The ferry, named Morning Heron, was built in the Varnian shipyard at Kesk and carries up to sixty people.",
]
FERRY_JSONLD = """<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Varnia and Ostrel open a river ferry", "datePublished": "2023-04-11T09:30:00+04:00",
"author": {"@type": "Person", "name": "Mira Telen"}, "publisher": {"@type": "Organization", "name": "Varnia Daily"},
"inLanguage": "en"}</script>"""


def ferry_page() -> str:
    body = ("<h1>Varnia and Ostrel open a river ferry</h1><p class=\"byline\">By Mira Telen, Dorvel</p>"
            + "".join(f"<p>{p}</p>" for p in FERRY_PARAGRAPHS))
    licence = '<p class="licence">Text licensed <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p>'
    return page("Varnia and Ostrel open a river ferry", body, head=FERRY_JSONLD).replace("<footer>", f"<footer>{licence}")


def syndicated_copy() -> str:
    """The ferry story as a partner site runs it: another headline, one sentence added."""
    body = ("<h1>River ferry links Varnia and Ostrel</h1>" + "".join(f"<p>{p}</p>" for p in FERRY_PARAGRAPHS)
            + "<p>This story first appeared in Varnia Daily.</p>")
    head = '<meta property="article:published_time" content="2023-04-12T08:00:00+02:00">'
    return page("River ferry links Varnia and Ostrel", body, head=head, site_title="Ostrel Courier")


RUSSIAN_PARAGRAPHS = [
    "Вымышленный мост между Варнией и Острелом открыли в субботу после шести лет строительства. "
    "По мосту длиной в четыреста метров за первый день проехали почти две тысячи машин.",
    "Министр транспорта Острела Кеса Римм заявила, что мост сократит дорогу из Дорвела в Кеск на три часа. "
    "Жители прибрежных деревень жалуются на шум и просят построить защитные стены.",
    "Строительство обошлось в сорок миллионов крон; половину суммы выделил совместный фонд двух стран.",
]


def russian_page() -> bytes:
    """A windows-1251 page that declares no charset anywhere (the server sends none either)."""
    body = "<h1>Между Варнией и Острелом открыли мост</h1>" + "".join(f"<p>{p}</p>" for p in RUSSIAN_PARAGRAPHS)
    html = page("Между Варнией и Острелом открыли мост", body, lang="ru", site_title="Острельский вестник",
                head='<meta property="article:published_time" content="2022-09-03T23:10:00-02:00">')
    return html.replace('<meta charset="utf-8">', "").encode("cp1251")


DAM_PARAGRAPHS = [
    "Engineers in Ostrel began filling the reservoir of the new Kesk dam on Monday, a week earlier than planned.",
    "Downstream, Varnian fishermen said the river had already dropped by half a metre near the village of Arn, "
    "and asked the joint water commission to meet before the end of the month.",
    "The commission's chair, Tobin Vask, said the filling would pause if the level fell further.",
]


def dam_page() -> str:
    """Dated only by its address (the redirect target)."""
    body = "<h1>Ostrel starts filling the Kesk reservoir</h1>" + "".join(f"<p>{p}</p>" for p in DAM_PARAGRAPHS)
    return page("Ostrel starts filling the Kesk reservoir", body).replace(f"<title>Ostrel starts filling the Kesk reservoir | {SITE}</title>", "<title>Dam</title>")


MARKET_PARAGRAPHS = [
    "The covered market of Dorvel reopened on Saturday after a fire closed it for two months in the spring.",
    "Stallholders said trade was slow in the morning but picked up after noon, when the first buses from Lenmar arrived.",
    "The city council has promised to rebuild the clock tower that stood over the east gate by next summer.",
]


def market_page() -> str:
    """Dated by a <time> element; served after a 429."""
    body = ('<h1>Dorvel market reopens after the fire</h1><p class="meta">Published <time datetime="2021-06-19T12:00:00+04:00">'
            "19 June 2021</time></p>" + "".join(f"<p>{p}</p>" for p in MARKET_PARAGRAPHS))
    return page("Dorvel market reopens after the fire", body)


SCHOOL_PARAGRAPHS = [
    "Three new schools opened in the hill districts of Varnia this week, each with room for two hundred pupils.",
    "Teachers said the buildings were warm and bright, but that the roads to them were still unpaved and muddy in autumn.",
    "The education ministry said buses would start running once the roads are finished next year.",
]


def school_page() -> str:
    """No date on the page: the feed item's date is the one to use."""
    body = "<h1>Three schools open in the Varnian hills</h1>" + "".join(f"<p>{p}</p>" for p in SCHOOL_PARAGRAPHS)
    return page("Three schools open in the Varnian hills", body)


def premium_page() -> str:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
            '"headline": "What the ferry means for Varnian apples", "datePublished": "2023-04-13", "isAccessibleForFree": false}</script>')
    body = "<h1>What the ferry means for Varnian apples</h1><p>Subscribe to read the rest of this invented analysis.</p>"
    return page("What the ferry means for Varnian apples", body, head=head)


def app_page() -> str:
    return ('<!DOCTYPE html><html lang="en"><head><title>Live | Varnia Daily</title></head><body>'
            '<noscript>Please enable JavaScript to read Varnia Daily live.</noscript><div id="root"></div>'
            '<script src="/static/app.js"></script></body></html>')


def feed(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Varnia Daily (invented)</title><link>{base}/</link><description>Invented news</description>
<item><title>Three schools open in the Varnian hills</title><link>{base}/education/schools.html</link>
<pubDate>Thu, 14 Oct 2021 21:30:00 -0300</pubDate></item>
<item><title>River ferry links Varnia and Ostrel</title><link>{base}/partner/ferry-copy.html</link>
<pubDate>Wed, 12 Apr 2023 08:00:00 +0200</pubDate></item>
</channel></rss>"""


ROBOTS = "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n"

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Site:
    """The running site: its base URL and every request it received (path, headers)."""

    base: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _h in self.requests]

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def routes(site: Site) -> dict[str, Callable[[], Answer]]:
    html = {"Content-Type": "text/html; charset=utf-8"}

    def busy() -> Answer:
        if site.counts.get("/economy/market.html", 0) == 1:
            return 429, {"Retry-After": "7", "Content-Type": "text/plain"}, b"Too many requests"
        return 200, html, market_page().encode("utf-8")

    return {
        "/robots.txt": lambda: (200, {"Content-Type": "text/plain"}, ROBOTS.encode()),
        "/news/2023/04/11/ferry.html": lambda: (200, html, ferry_page().encode("utf-8")),
        "/ru/most.html": lambda: (200, {"Content-Type": "text/html"}, russian_page()),
        "/private/draft.html": lambda: (200, html, page("Draft", "<p>Not for robots.</p>").encode()),
        "/economy/market.html": busy,
        "/old/dam": lambda: (301, {"Location": "/news/2022/02/07/kesk-dam.html"}, b""),
        "/news/2022/02/07/kesk-dam.html": lambda: (200, html, dam_page().encode("utf-8")),
        "/education/schools.html": lambda: (200, html, school_page().encode("utf-8")),
        "/partner/ferry-copy.html": lambda: (200, html, syndicated_copy().encode("utf-8")),
        "/premium/apples.html": lambda: (200, html, premium_page().encode("utf-8")),
        "/live/": lambda: (200, html, app_page().encode("utf-8")),
        "/feed.xml": lambda: (200, {"Content-Type": "application/rss+xml"}, feed(site.base).encode("utf-8")),
    }


def serve(extra: dict[str, Callable[[], Answer]] | None = None) -> Site:
    """Start the site on 127.0.0.1 (a free port) in a thread; ``close()`` it after use."""
    site = Site()
    table = routes(site) | (extra or {})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            path = self.path
            site.requests.append((path, dict(self.headers.items())))
            site.counts[path] = site.counts.get(path, 0) + 1
            status, headers, body = table[path]() if path in table else (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.server = server
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site


class FakeClock:
    """A clock that records each wait and moves its time on instead of sleeping."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds
