"""The check that a folder published without texts holds none: no run of :data:`RUN` characters of
any article text, apart from each article's title.

Every file ``publish`` writes is scanned: JSON and JSON Lines decoded (so an escaped quote is
found too), other files line by line, the articles table field by field with its titles left out.
Two kinds of value are never article text and are skipped: the registry's actor names and
aliases (the names mention records must spell as the texts do) and, with ``--keep-quotes``, the
quotes the records keep on purpose.

The search is exact. Every article text is cut into blocks of :data:`_BLOCK` characters at
multiples of :data:`_BLOCK`; a run of 40 characters or more always contains one whole block, so
each scanned string is slid over once looking for blocks, and each hit is grown both ways to the
longest common run. Strings made only of hex digits or only of slug characters (hashes, ids) are
skipped when no article has a run of 40 such characters.

>>> scan = QuoteScan({"a1": "Title here\\nThe minister said the river would be closed to boats from May onwards."},
...                  {"a1": "Title here"})
>>> scan.find("notes: the minister said the river would be closed to boats, it seems")[1]
'he minister said the river would be closed to boats'
>>> scan.find("the minister said the river would be shut") is None
True
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..release.layout import ACTORS_FILE, ARTICLES_FILE, annotator_records_of, records_article

RUN = 40
_BLOCK = RUN // 2
_SAFE = (re.compile(r"[0-9a-f]+"), re.compile(r"[a-z0-9-]+"))


@dataclass(frozen=True)
class Quote:
    """A run of an article's text found in a file: where, and whose text it is."""

    file: str
    line: int | None
    article_id: str
    offset: int
    length: int

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (f"{where}: holds {self.length} characters of the text of {self.article_id} (from character "
                f"{self.offset}); a folder without texts may quote at most {RUN - 1} in a row: shorten the quote "
                "or use an invented example")


class QuoteScan:
    """The article texts of a release, indexed to find runs of :data:`RUN` characters in other text."""

    def __init__(self, texts: Mapping[str, str], titles: Mapping[str, str]) -> None:
        self.texts = dict(texts)
        self.titles = {aid: titles.get(aid, "") for aid in texts}
        self.blocks: dict[str, list[tuple[str, int]]] = {}
        for aid, text in self.texts.items():
            for off in range(0, len(text) - _BLOCK + 1, _BLOCK):
                self.blocks.setdefault(text[off:off + _BLOCK], []).append((aid, off))
        safe_class = [p.pattern.replace("+", "{%d}" % RUN) for p in _SAFE]
        self._safe = [p for p, runs in zip(_SAFE, safe_class)
                      if not any(re.search(runs, t) for t in self.texts.values())]

    def find(self, value: str) -> tuple[tuple[str, int], str] | None:
        """The first run of :data:`RUN` or more characters of an article text in ``value`` that is
        not part of that article's title: ``((article_id, offset), run)``, or None."""
        if len(value) < RUN or any(p.fullmatch(value) for p in self._safe):
            return None
        blocks = self.blocks
        for i in range(len(value) - _BLOCK + 1):
            hits = blocks.get(value[i:i + _BLOCK])
            if not hits:
                continue
            for aid, off in hits:
                text = self.texts[aid]
                left = 0
                while i - left > 0 and off - left > 0 and value[i - left - 1] == text[off - left - 1]:
                    left += 1
                right = _BLOCK
                while i + right < len(value) and off + right < len(text) and value[i + right] == text[off + right]:
                    right += 1
                if left + right >= RUN:
                    run = value[i - left:i + right]
                    if run not in self.titles[aid]:
                        return (aid, off - left), run
        return None

    def scan(self, path: str, data: bytes, *, keep_quotes: bool = False) -> list[Quote]:
        """Every string of the file ``path`` that holds a run of an article text (one per string)."""
        out = []
        hex_safe = _SAFE[0] in self._safe
        for line, value in _strings(path, data, keep_quotes=keep_quotes, hex_safe=hex_safe):
            hit = self.find(value)
            if hit is not None:
                (aid, off), run = hit
                if line is None and path.endswith(".json"):
                    line = _line_of(data.decode("utf-8", errors="replace").split("\n"), value)
                out.append(Quote(path, line, aid, off, len(run)))
        return out


def _walk(value: Any, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in skip:
                continue
            yield key
            yield from _walk(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, skip)


def _record_strings(obj: Any, keep_quotes: bool) -> Iterator[str]:
    if keep_quotes and isinstance(obj, dict):
        obj = {k: ({ck: cv for ck, cv in v.items() if ck != "text"} if k == "cue" and isinstance(v, dict) else v)
               for k, v in obj.items() if k != "text"}
    yield from _walk(obj)


def _actor_strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, dict):
        sources = obj.get("alias_sources")
        yield from _walk({k: v for k, v in obj.items() if k not in ("name", "aliases", "alias_sources")})
        if isinstance(sources, dict):
            yield from _walk(list(sources.values()))
    else:
        yield from _walk(obj)


def _strings(path: str, data: bytes, *, keep_quotes: bool, hex_safe: bool = False) -> Iterator[tuple[int | None, str]]:
    """``(line, string)`` for every string of a file as a reader would see it (line None: the
    caller finds it when it needs it)."""
    text = data.decode("utf-8", errors="replace")
    if path.endswith(".jsonl"):
        is_records = records_article(path) is not None or annotator_records_of(path) is not None
        if path != ACTORS_FILE and not (is_records and keep_quotes):
            # Nothing is exempt here: only strings of RUN characters or more can hold a run, and
            # their JSON form is at least as long, so the file is searched for those alone, the
            # hashes first blanked out when no article has a run of RUN hex digits.
            if hex_safe:
                text = _HEX_LITERAL.sub('""', text)
            n, at = 1, 0
            for match in _LONG_STRING.finditer(text):
                literal = match.group(1)
                n, at = n + text.count("\n", at, match.start()), match.start()  # line numbers in one pass
                if "\\" not in literal:  # nothing escaped: the literal is the string
                    yield n, literal
                    continue
                try:
                    yield n, json.loads(match.group(0))
                except ValueError:
                    yield n, literal
            for match in _NOT_AN_OBJECT.finditer(text):
                yield text.count("\n", 0, match.start()) + 1, match.group(0)  # searched as it is
            return
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                yield n, line
                continue
            values = (_record_strings(obj, keep_quotes) if is_records
                      else _actor_strings(obj) if path == ACTORS_FILE else _walk(obj))
            for value in values:
                yield n, value
    elif path.endswith(".json"):
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        if obj is None:
            yield from ((n, line) for n, line in enumerate(text.split("\n"), start=1))
            return
        for value in _walk(obj):
            if len(value) >= RUN:
                yield None, value
    elif path == ARTICLES_FILE:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for row in reader:
            for key, value in row.items():
                if key != "title" and isinstance(value, str):
                    yield reader.line_num, value
    else:
        yield from ((n, line) for n, line in enumerate(text.split("\n"), start=1))


# A JSON string literal of at least RUN characters (escapes counted as written), on one line.
_LONG_STRING = re.compile(r'"((?:[^"\\\n]|\\.){%d,})"' % RUN)
_HEX_LITERAL = re.compile(r'"[0-9a-f]{%d,}"' % RUN)
_NOT_AN_OBJECT = re.compile(r"^(?!\{)(?=.*\S).+$", re.M)


def _line_of(lines: list[str], value: str) -> int | None:
    """The line of a pretty-printed JSON file on which a string value is written."""
    encoded = json.dumps(value, ensure_ascii=False)[1:-1][:200]
    for n, line in enumerate(lines, start=1):
        if encoded in line:
            return n
    return None
