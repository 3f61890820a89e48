"""An article page's metadata, each value with where it was read.

* **title**: JSON-LD ``headline``, then ``og:title``, the feed item's title, the page's ``<h1>``,
  then ``<title>`` without a trailing " | Site" or " - Site".
* **published**: JSON-LD ``datePublished``, then ``<meta>`` (``article:published_time``,
  ``og:published_time``, ``pubdate``, ``date``, ``DC.date.issued``, ...), a ``<time datetime>``
  (inside ``<article>`` first), the feed item's date, htmldate's heuristic, then a date in the URL
  (``/2023/04/11/``). htmldate's 1 January of a bare year (a copyright line) is a guess and is
  not taken. The date is the calendar date in the timestamp's own offset
  (``2023-04-11T23:30:00-05:00`` is 2023-04-11). A date later than today, or one that cannot be
  read, is left empty and said in ``problems``; it is never guessed.
* **author** (JSON-LD ``author`` persons, else ``<meta name="author">``) and **byline** (the text
  of an element whose class or itemprop says byline or author, as printed).
* **outlet**: ``og:site_name``, else JSON-LD ``publisher.name``, else the host without ``www.``.
* **language**: ``<html lang>``, JSON-LD ``inLanguage``, else from the script of the text
  (Armenian ``hy``, Georgian ``ka``, Azerbaijani Latin with ``ə`` ``az``, Russian Cyrillic ``ru``);
  a Latin-script text in no such case stays empty, to be filled by a person.
* **licence**: :mod:`caucasus_corpus.intake.licence`.
* **paywall** and **bot protection**: a JSON-LD ``isAccessibleForFree`` of false, or a challenge
  page, is said in ``blocked`` with the reason (the page is reported, never worked around).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from .licence import find_licence

__all__ = ["PageMeta", "calendar_date", "page_metadata"]

_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report|NewsArticle)$")
_META_DATES = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
               "publish-date", "publication_date", "date", "dc.date.issued", "dc.date", "dcterms.created",
               "dcterms.issued", "sailthru.date", "parsely-pub-date")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/_.-]|$)")
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_CHALLENGE = ("cf-browser-verification", "cf-challenge", "challenge-platform", "g-recaptcha", "h-captcha",
              "px-captcha", "attention required! | cloudflare", "just a moment...")


@dataclass
class PageMeta:
    """What :func:`page_metadata` read; ``*_source`` says where, ``problems`` what could not be read."""

    title: str = ""
    title_source: str = ""
    published: str = ""
    published_source: str = ""
    author: str = ""
    byline: str = ""
    outlet: str = ""
    outlet_source: str = ""
    language: str = ""
    language_source: str = ""
    license: str = ""
    license_evidence: str = ""
    blocked: str = ""  # "paywalled: ..." or "not-an-article: ..." when the page withholds the text
    problems: list[str] = field(default_factory=list)


def calendar_date(value: str, *, today: date | None = None) -> tuple[str, str | None]:
    """``(YYYY-MM-DD, None)`` for a readable past date (ISO 8601 or RFC 2822) in its own offset,
    else ``("", why)``.

    >>> calendar_date("2023-04-11T23:30:00-05:00"), calendar_date("Tue, 11 Apr 2023 23:30:00 -0500")
    (('2023-04-11', None), ('2023-04-11', None))
    >>> calendar_date("2999-01-01", today=date(2024, 1, 1))
    ('', "'2999-01-01' is later than today")
    """
    import email.utils

    text = (value or "").strip()
    day: date | None = None
    m = _ISO_DAY.match(text)
    try:
        if m:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif text:
            day = email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        day = None
    if day is None:
        return "", f"{text[:60]!r} is not a date that can be read"
    # The earliest offset on Earth is UTC+14: a date up to then is not in the future anywhere.
    latest = (today or (datetime.now(timezone.utc) + timedelta(hours=14)).date())
    if day > latest:
        return "", f"{text[:60]!r} is later than today"
    return day.isoformat(), None


def _jsonld(tree: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, list):
            for o in obj:
                walk(o)
        elif isinstance(obj, dict):
            out.append(obj)
            if "@graph" in obj:
                walk(obj["@graph"])

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                walk(json.loads(script.text))
            except ValueError:
                continue
    return out


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type", [])
    return [str(x) for x in (t if isinstance(t, list) else [t])]


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "").strip()
    if isinstance(value, list):
        return "; ".join(n for n in (_name(v) for v in value) if n)
    return str(value).strip() if isinstance(value, str) else ""


def _metas(tree: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content is not None and key not in out:
            out[key] = content.strip()
    return out


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _strip_site(title: str, sites: list[str]) -> str:
    """``title`` without a trailing " | anything", or " - Site" naming the site (its name, or its
    host without the top-level domain: "Varnia Daily" for varnia-daily.example)."""
    names = {_squash(s) for s in sites if s} | {_squash(s.rsplit(".", 1)[0]) for s in sites if "." in s}
    names.discard("")
    for sep in (" | ", " - ", " – ", " — "):
        if sep in title:
            head, tail = title.rsplit(sep, 1)
            if sep == " | " or _squash(tail) in names:
                return head.strip()
    return title.strip()


def _language_from_script(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    def share(lo: int, hi: int) -> float:
        return sum(lo <= ord(c) <= hi for c in letters) / len(letters)
    if share(0x0530, 0x058F) > 0.5:
        return "hy"
    if share(0x10A0, 0x10FF) + share(0x1C90, 0x1CBF) > 0.5:
        return "ka"
    if share(0x0400, 0x04FF) > 0.5:
        low = text.lower()
        return "ru" if not re.search("[іїєґәөүҹһ]", low) and re.search("[ыэъё]", low) else ""
    if "ə" in text.lower():
        return "az"
    return ""


def page_metadata(html: str, url: str, *, tree: Any = None, feed: dict[str, str] | None = None,
                  text: str = "", today: date | None = None) -> PageMeta:
    """The metadata of the page ``html`` fetched from ``url`` (see the module docstring).

    ``feed``: the feed item's ``title`` and ``published`` when the URL came from a feed; ``text``:
    the extracted text, for language detection.
    """
    import lxml.html

    if tree is None:
        tree = lxml.html.fromstring(html)
    meta = PageMeta()
    objects = _jsonld(tree)
    article = next((o for o in objects if any(_ARTICLE_TYPES.search(t) for t in _types(o))), None)
    metas = _metas(tree)
    feed = feed or {}

    # outlet
    publisher = _name(article.get("publisher")) if article else ""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for value, source in ((metas.get("og:site_name", ""), "og:site_name"), (publisher, "json-ld"), (host, "url")):
        if value:
            meta.outlet, meta.outlet_source = value, source
            break

    # title
    h1 = next((_text(e) for e in tree.iter("h1") if _text(e)), "")
    title_el = next(tree.iter("title"), None)
    page_title = _strip_site(_text(title_el), [meta.outlet, publisher, metas.get("og:site_name", ""), host]) if title_el is not None else ""
    headline = str(article.get("headline") or "").strip() if article else ""
    for value, source in ((headline, "json-ld"), (metas.get("og:title", ""), "meta"), (feed.get("title", ""), "feed"),
                          (h1, "h1"), (page_title, "title")):
        if value:
            meta.title, meta.title_source = " ".join(value.split()), source
            break

    # published
    candidates: list[tuple[str, str]] = []
    if article and article.get("datePublished"):
        candidates.append((str(article["datePublished"]), "json-ld"))
    for key in _META_DATES:
        if metas.get(key):
            candidates.append((metas[key], "meta"))
            break
    times = [t for t in tree.iter("time") if t.get("datetime")]
    in_article = [t for t in times if any(a.tag == "article" for a in t.iterancestors())]
    if in_article or times:
        candidates.append(((in_article or times)[0].get("datetime"), "time-element"))
    if feed.get("published"):
        candidates.append((feed["published"], "feed"))
    for value, source in candidates:
        day, why = calendar_date(value, today=today)
        if day:
            meta.published, meta.published_source = day, source
            break
        meta.problems.append(f"published: the {source} date {why}; left empty")
    if not meta.published:
        day = _heuristic_date(html, today)
        if day:
            meta.published, meta.published_source = day, "heuristic"
    if not meta.published:
        m = _URL_DATE.search(urlsplit(url).path)
        if m:
            day, why = calendar_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", today=today)
            if day:
                meta.published, meta.published_source = day, "url"
            else:
                meta.problems.append(f"published: the url date {why}; left empty")
    if not meta.published:
        meta.problems.append("published: no date found on the page; fill it in metadata.csv if the source gives one")

    # author and byline
    if article:
        people = [a for a in (article.get("author") if isinstance(article.get("author"), list) else [article.get("author")])
                  if isinstance(a, dict) and "Organization" not in _types(a)]
        meta.author = _name(people)
    meta.author = meta.author or metas.get("author", "")
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        marks = f"{el.get('class') or ''} {el.get('itemprop') or ''} {el.get('rel') or ''}".lower()
        if "byline" in marks and _text(el):
            meta.byline = _text(el)
            break

    # language
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    in_lang = _name(article.get("inLanguage")) if article and isinstance(article.get("inLanguage"), (str, dict)) else ""
    for value, source in ((lang, "html lang"), (in_lang, "json-ld")):
        code = value.split("-")[0].split("_")[0].lower()
        if re.fullmatch(r"[a-z]{2,3}", code):
            meta.language, meta.language_source = code, source
            break
    if not meta.language:
        code = _language_from_script(text or meta.title)
        if code:
            meta.language, meta.language_source = code, "script"
        else:
            meta.problems.append("language: not given by the page and not clear from the script; fill it in metadata.csv")

    meta.license, meta.license_evidence = find_licence(tree, article)

    # withheld text
    free = article.get("isAccessibleForFree") if article else None
    if free is False or (isinstance(free, str) and free.strip().lower() == "false"):
        meta.blocked = "paywalled: the page's JSON-LD says isAccessibleForFree=false"
    else:
        low = html[:200_000].lower()
        marker = next((m for m in _CHALLENGE if m in low), None)
        if marker:
            meta.blocked = f"not-an-article: a bot-protection page ({marker!r}); it is not worked around"
    return meta


def _heuristic_date(html: str, today: date | None) -> str:
    """htmldate's heuristic, for a page that states its date nowhere structured."""
    from htmldate import find_date

    latest = today or (datetime.now(timezone.utc) + timedelta(hours=14)).date()
    try:
        found = find_date(html, extensive_search=True, original_date=True, outputformat="%Y-%m-%d",
                          max_date=latest.isoformat())
    except Exception:  # noqa: BLE001 - a heuristic that fails just finds nothing
        return ""
    # When htmldate finds no day it falls back to a bare year (a copyright line, a lone "2023"),
    # which it writes as 1 January: a guess, so it is not taken.
    if not found or found.endswith("-01-01"):
        return ""
    return found
