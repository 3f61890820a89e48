"""Sharing a corpus of copyrighted news: releases without the texts, and hydration.

``publish`` (:mod:`.publish`) writes a release folder that holds no article text but everything
needed to check one: each text's sha256 and lengths, and each record's hashes of its quote and
of its context. ``hydrate`` (:mod:`.hydrate`) puts the texts back from a folder of files, WARC
captures or the web, verifies every one, and re-anchors the records of a text that changed
(:mod:`.anchor`); :mod:`.quotes` is the check that a published folder quotes no text.
"""

from __future__ import annotations

from .anchor import STATUSES, Placement, reanchor
from .hydrate import HydrationError, HydrationResult, hydrate
from .publish import PublishResult, publish

__all__ = ["STATUSES", "HydrationError", "HydrationResult", "Placement", "PublishResult", "hydrate", "publish", "reanchor"]
