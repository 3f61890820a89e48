"""The staging folder every intake route writes, and a person reads and corrects before ``add``.

::

    STAGE/metadata.csv      one row per staged article: the columns of corpus/articles.csv;
                            path is ID.txt, relative to STAGE/texts
    STAGE/texts/ID.txt      the extracted or converted text (UTF-8, LF line ends)
    STAGE/captures/*.warc.gz  what was fetched (request and response records); never released
    STAGE/report.csv        input, status, http_status, article_id, message: one row per input
                            URL, feed or export document
    STAGE/urls.csv          (convert --format urls) the URL list that collect --from-csv takes

Then ``caucasus-corpus add --from-csv STAGE/metadata.csv --texts STAGE/texts --path RELEASE``.

A re-run into the same folder skips the inputs that are done (:data:`DONE`: every status but
``error`` and the HTTP statuses 429 and 5xx, which may pass another time), rewrites the report rows
of the inputs it touched, keeps the others, and keeps every row of metadata.csv as the person left
it. The files are replaced whole (written beside, then renamed), so a run that stops leaves the
last complete state. A STAGE inside a release folder is refused: intake never writes a release.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..authoring.articles import ARTICLE_FIELDS
from ..release.layout import MANIFEST_NAME
from ..release.safefile import InputLimits, read_input

__all__ = ["METADATA", "REPORT", "REPORT_COLUMNS", "Stage", "StageError", "is_done"]

METADATA, REPORT, TEXTS, CAPTURES, URLS = "metadata.csv", "report.csv", "texts", "captures", "urls.csv"
REPORT_COLUMNS = ("input", "status", "http_status", "article_id", "message")
# Statuses after which an input is not tried again by a re-run.
DONE = ("ok", "robots-disallowed", "not-an-article", "paywalled", "duplicate-of", "near-duplicate-of", "decode-error")


class StageError(ValueError):
    """The staging folder cannot be used (inside a release, not a folder, unreadable files)."""


def is_done(status: str) -> bool:
    """Whether an input with this report status is skipped by a re-run.

    >>> is_done("ok"), is_done("http-404"), is_done("http-429"), is_done("http-503"), is_done("error")
    (True, True, False, False, False)
    """
    if status.startswith("http-"):
        code = status[5:]
        return code.isdigit() and code != "429" and not code.startswith("5")
    return status in DONE


def _inside_release(path: Path) -> Path | None:
    for folder in (path, *path.parents):
        if (folder / MANIFEST_NAME).is_file() and (folder / "corpus").is_dir():
            return folder
    return None


def _read_csv(path: Path, root: Path) -> list[dict[str, str]]:
    data = read_input(path, root=root, limits=InputLimits())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StageError(f"{path}: not UTF-8 at byte {exc.start}; save it as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    for row in reader:
        if None in row:
            raise StageError(f"{path}:{reader.line_num}: more values than header columns; quote values that contain commas")
        rows.append({k: v or "" for k, v in row.items()})
    return rows


def _write_csv(path: Path, fields: Iterable[str], rows: Iterable[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: row.get(k, "") for k in writer.fieldnames} for row in rows)
    _replace(path, out.getvalue().encode("utf-8"))


def _replace(path: Path, data: bytes, *, sync: bool = True) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    with open(tmp, "wb") as f:
        f.write(data)
        if sync:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


@dataclass
class Stage:
    """An open staging folder: its metadata rows and report rows in memory, written by :meth:`save`."""

    root: Path
    rows: list[dict[str, str]]
    report: dict[str, dict[str, str]]  # input -> its report row, in first-seen order
    fields: list[str]

    @staticmethod
    def check_path(path: str | Path) -> Path:
        """``path`` as a Path when it can be a staging folder; ``StageError`` saying why not."""
        root = Path(path)
        if root.exists() and not root.is_dir():
            raise StageError(f"{root}: is not a folder; give a new or existing staging folder")
        release = _inside_release(root.resolve())
        if release is not None:
            raise StageError(f"{root}: is inside the release folder {release}; stage outside it (intake never writes a release)")
        return root

    @classmethod
    def open(cls, path: str | Path) -> Stage:
        """Open (creating when needed) the staging folder ``path``; ``StageError`` when it cannot be one."""
        root = cls.check_path(path)
        try:
            for sub in ("", TEXTS, CAPTURES):
                (root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StageError(f"{root}: cannot be made a staging folder ({exc.strerror or exc})") from None
        rows: list[dict[str, str]] = []
        fields = list(ARTICLE_FIELDS)
        if (root / METADATA).exists():
            rows = _read_csv(root / METADATA, root)
            with_header = next(csv.reader(io.StringIO(read_input(root / METADATA, root=root).decode("utf-8-sig"))), [])
            fields = with_header + [f for f in ARTICLE_FIELDS if f not in with_header]
        report: dict[str, dict[str, str]] = {}
        if (root / REPORT).exists():
            for row in _read_csv(root / REPORT, root):
                report[row.get("input", "")] = {k: row.get(k, "") for k in REPORT_COLUMNS}
        return cls(root, rows, report, fields)

    # -- what is there -----------------------------------------------------------------------------
    def done(self, item: str) -> bool:
        row = self.report.get(item)
        return row is not None and is_done(row["status"])

    def ids(self) -> set[str]:
        return {r.get("article_id", "") for r in self.rows} | {p.stem for p in (self.root / TEXTS).glob("*.txt")}

    def texts(self) -> Iterable[tuple[str, str]]:
        """``(article_id, text)`` of every staged row whose text file is there."""
        for row in self.rows:
            aid = row.get("article_id", "")
            name = row.get("path") or f"{aid}.txt"
            file = self.root / TEXTS / name
            if aid and file.is_file():
                yield aid, read_input(file, root=self.root / TEXTS).decode("utf-8", errors="replace")

    def free_id(self, wanted: str, taken: set[str]) -> str:
        """``wanted``, or ``wanted-2``, ``wanted-3``, ... when it is taken."""
        if wanted not in taken:
            return wanted
        n = 2
        while f"{wanted}-{n}" in taken:
            n += 1
        return f"{wanted}-{n}"

    # -- changes -----------------------------------------------------------------------------------
    def put(self, row: dict[str, str], text: str) -> None:
        """Stage one article: its text file and its metadata row (``path`` set to ``ID.txt``)."""
        aid = row["article_id"]
        data = text.encode("utf-8")
        row = {**row, "path": f"{aid}.txt", "text_sha256": hashlib.sha256(data).hexdigest()}
        # Not synced one by one (slow): a text counts only once metadata.csv, synced, lists it.
        _replace(self.root / TEXTS / f"{aid}.txt", data, sync=False)
        self.rows.append(row)

    def note(self, item: str, status: str, *, http_status: int | str = "", article_id: str = "", message: str = "") -> None:
        """Set the report row of one input (replacing the one a former run wrote)."""
        self.report[item] = {"input": item, "status": status, "http_status": str(http_status or ""),
                             "article_id": article_id, "message": " ".join(message.split())}

    def save(self) -> None:
        """Write metadata.csv and report.csv (each replaced whole)."""
        _write_csv(self.root / METADATA, self.fields, self.rows)
        _write_csv(self.root / REPORT, REPORT_COLUMNS, self.report.values())

    def report_frame(self):  # type: ignore[no-untyped-def]
        import pandas as pd

        frame = pd.DataFrame(list(self.report.values()), columns=list(REPORT_COLUMNS)).astype("string")
        return frame.replace("", pd.NA)
