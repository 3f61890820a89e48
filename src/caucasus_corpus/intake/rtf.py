r"""A small RTF reader: the paragraphs of plain text an RTF file holds (what Nexis Uni and Factiva
exports need), nothing of its formatting.

It handles the ``\uN`` Unicode escapes (negative values, surrogate pairs, and ``\ucN``: the
number of fallback characters after each escape that are skipped), ``\'hh`` bytes in the file's
code page (``\ansicpg``, Windows-1252 by default), the special characters (``\emdash``,
``\lquote``, ``\~``, ...), ``\par``, ``\line``, ``\row`` and ``\sect`` as line ends, ``\tab``
and ``\cell`` as tabs, and skips the destinations that hold no text of the document (font and
colour tables, style sheets, document info, pictures, headers and footers, field instructions,
every ``{\* ...}`` group).
"""

from __future__ import annotations

import re

__all__ = ["RtfError", "rtf_paragraphs", "rtf_text"]

_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|([\r\n]+)|([^\\{}\r\n]+)")
_SKIP = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"header", b"headerl", b"headerr",
         b"headerf", b"footer", b"footerl", b"footerr", b"footerf", b"listtable", b"listoverridetable",
         b"rsidtbl", b"generator", b"xmlnstbl", b"themedata", b"colorschememapping", b"latentstyles",
         b"datastore", b"fldinst", b"filetbl", b"revtbl", b"pgdsctbl", b"bkmkstart", b"bkmkend"}
_CHARS = {b"par": "\n", b"sect": "\n", b"row": "\n", b"line": "\n", b"page": "\n", b"tab": "\t", b"cell": "\t",
          b"emdash": "\u2014", b"endash": "\u2013", b"emspace": "\u2003", b"enspace": "\u2002",
          b"qmspace": "\u2005", b"bullet": "\u2022", b"lquote": "\u2018", b"rquote": "\u2019",
          b"ldblquote": "\u201c", b"rdblquote": "\u201d"}
_SYMBOLS = {b"~": "\u00a0", b"_": "\u2011", b"-": "", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n", b"\r": "\n"}


class RtfError(ValueError):
    """Bytes that are not RTF."""


def rtf_text(data: bytes) -> str:
    r"""The plain text of an RTF document, paragraphs ending in ``\n``.

    >>> rtf_text(rb"{\rtf1\ansi\ansicpg1251{\fonttbl{\f0 Arial;}}\f0 \u1042?\'e0\'f0\'ed\'e8\'ff\par Ostrel\emdash Kesk\par}")
    'Варния\nOstrel—Kesk\n'
    """
    if not data.lstrip().startswith(b"{\\rtf"):
        raise RtfError("does not start with {\\rtf: not an RTF file")
    out: list[str] = []
    codepage = "cp1252"
    uc = 1
    skip_depth: int | None = None  # depth at which an ignored destination started
    depth = 0
    stack: list[int] = []  # uc of the enclosing groups
    pending_skip = 0  # fallback characters still to skip after a \uN
    star = False
    high: int | None = None  # a high surrogate waiting for its pair
    for m in _TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, _newline, text = m.groups()
        if brace == b"{":
            stack.append(uc)
            depth += 1
            star = False
            continue
        if brace == b"}":
            if skip_depth is not None and depth == skip_depth:
                skip_depth = None
            depth -= 1
            uc = stack.pop() if stack else 1
            pending_skip = 0
            star = False
            continue
        if _newline:
            continue
        if skip_depth is not None:
            continue
        if symbol == b"*":
            star = True
            skip_depth = depth
            continue
        if word is not None:
            if word in _SKIP:
                skip_depth = depth
                continue
            if word == b"ansicpg" and arg:
                codepage = f"cp{int(arg)}"
            elif word == b"uc" and arg:
                uc = max(0, int(arg))
            elif word == b"u" and arg:
                value = int(arg) % 65536
                if 0xD800 <= value < 0xDC00:
                    high = value
                elif 0xDC00 <= value < 0xE000 and high is not None:
                    out.append(chr(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)))
                    high = None
                else:
                    out.append(chr(value))
                pending_skip = uc
            elif word in _CHARS:
                out.append(_CHARS[word])
                pending_skip = 0
            continue
        if hexbyte is not None:
            if pending_skip:
                pending_skip -= 1
                continue
            try:
                out.append(bytes([int(hexbyte, 16)]).decode(codepage))
            except (LookupError, UnicodeDecodeError):
                out.append(bytes([int(hexbyte, 16)]).decode("cp1252", errors="replace"))
            continue
        if symbol is not None:
            if pending_skip:
                pending_skip -= 1
                continue
            out.append(_SYMBOLS.get(symbol, ""))
            continue
        if text is not None:
            chunk = text.decode(codepage, errors="replace")
            if pending_skip:
                cut = min(pending_skip, len(chunk))
                chunk, pending_skip = chunk[cut:], pending_skip - cut
            out.append(chunk)
    return "".join(out)


def rtf_paragraphs(data: bytes) -> list[str]:
    """The lines of an RTF document's text, white space at their ends removed."""
    return [line.strip() for line in rtf_text(data).split("\n")]
