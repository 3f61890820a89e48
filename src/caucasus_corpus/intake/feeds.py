"""RSS and Atom feeds (feedparser): the article addresses they list, with each item's title and
date as the feed gives them (the date string as written, so its own offset is kept; feedparser's
parsed times are converted to UTC and could move the calendar date)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FeedItem", "FeedError", "feed_items"]


class FeedError(ValueError):
    """Bytes that are not an RSS or Atom feed."""


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str
    published: str  # as written in the feed (RFC 2822 in RSS, ISO 8601 in Atom); empty when none


def feed_items(data: bytes, *, base_url: str = "") -> list[FeedItem]:
    """The items of a feed, in the feed's order; ``FeedError`` when ``data`` is not a feed."""
    from urllib.parse import urljoin

    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise FeedError(f"not an RSS or Atom feed{f' ({why})' if why else ''}")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            continue
        published = entry.get("published") or entry.get("updated") or entry.get("dc_date") or ""
        items.append(FeedItem(urljoin(base_url, link), " ".join((entry.get("title") or "").split()), published))
    return items
