"""URL lists: the CSV exports of Media Cloud and GDELT (``convert --format urls``), and the list
``collect --from-csv`` reads.

The URL is read from the first column named (case-insensitively) ``url``, ``DocumentIdentifier``
(GDELT GKG) or ``SOURCEURL`` (GDELT events); a file whose header line has tabs and no commas is
read as tab-separated. Every other column of the export is kept as provenance: ``convert``
copies them into ``STAGE/urls.csv`` after ``url``, ``source_file`` and ``source_line``, and
``collect`` writes them into the staged article's ``notes``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..release.safefile import InputLimits, read_input

__all__ = ["URL_COLUMNS", "ListedUrl", "read_url_list"]

URL_COLUMNS = ("url", "documentidentifier", "sourceurl")


class UrlListError(ValueError):
    """A URL list that cannot be read (``file:line: problem``)."""


@dataclass(frozen=True)
class ListedUrl:
    url: str
    line: int
    columns: dict[str, str]  # the other columns of the row, as provenance


def read_url_list(path: str | Path, *, limits: InputLimits | None = None) -> list[ListedUrl]:
    """The rows of a URL list, in order; ``UrlListError`` naming the file and line when it has no
    URL column or cannot be read. Rows with an empty URL are returned with ``url`` empty."""
    path = Path(path)
    data = read_input(path, limits=limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UrlListError(f"{path}:1: not UTF-8 at byte {exc.start}; save the export as UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UrlListError(f"{path}:1: the file is empty; give a CSV with a url column") from None
    lowered = [h.strip().lower() for h in header]
    column = next((lowered.index(name) for name in URL_COLUMNS if name in lowered), None)
    if column is None:
        raise UrlListError(f"{path}:1: no URL column (looked for {', '.join(URL_COLUMNS)}) in the header "
                           f"{', '.join(header[:8])}; name the column of addresses 'url'")
    out = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise UrlListError(f"{path}:{reader.line_num}: more values than header columns; quote values that contain commas")
            row = dict(zip(header, values + [""] * (len(header) - len(values))))
            url = row.pop(header[column]).strip()
            out.append(ListedUrl(url, reader.line_num, row))
    except csv.Error as exc:
        raise UrlListError(f"{path}:{reader.line_num}: {exc}") from None
    return out
