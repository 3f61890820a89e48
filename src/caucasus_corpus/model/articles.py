"""The articles table: its columns, and the frame built from metadata rows and texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

ARTICLE_COLUMNS = {
    "article_id": "string",
    "title": "string",
    "published": "datetime64[ns]",
    "outlet": "string",
    "url": "string",
    "genre": "string",
    "language": "string",
    "byline": "string",
    "author": "string",
    "n_chars": "int64",
    "path": "string",
    "source_file": "string",
    "notes": "string",
    # Provenance and rights (empty in tables written before these columns existed).
    "retrieved": "string",
    "extractor": "string",
    "text_sha256": "string",
    "capture": "string",
    "capture_sha256": "string",
    "published_source": "string",
    "license": "string",
    "license_evidence": "string",
    "access_rights": "string",
    "rights_holder": "string",
    "archived_url": "string",
}

# The provenance and rights columns: optional in tables (articles.csv, Parquet) written before them.
PROVENANCE_COLUMNS = ("retrieved", "extractor", "text_sha256", "capture", "capture_sha256", "published_source",
                      "license", "license_evidence", "access_rights", "rights_holder", "archived_url")


def articles_frame(rows: Sequence[Mapping[str, Any]], texts: Mapping[str, str]) -> pd.DataFrame:
    """The articles of a release from its checked ``articles.csv`` rows (empty cells are <NA>)."""
    import pandas as pd

    frame = pd.DataFrame([dict(row) for row in rows])
    for column in ARTICLE_COLUMNS:  # a table written before a column existed reads it as unknown
        if column not in frame.columns:
            frame[column] = ""
    frame["n_chars"] = [len(texts[a]) for a in frame["article_id"]]
    frame = frame.replace("", pd.NA)
    frame["published"] = pd.to_datetime(frame["published"], format="%Y-%m-%d")
    return frame[list(ARTICLE_COLUMNS)].astype(ARTICLE_COLUMNS)
