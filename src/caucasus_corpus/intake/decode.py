"""Bytes of a page to text, in the order the intake documents: the HTTP charset, a byte order mark,
``<meta charset>`` (or ``http-equiv`` Content-Type), then detection with charset-normalizer.

A response without a ``charset`` parameter has no HTTP charset: never the ISO-8859-1 default of
old HTTP rules (RFC 2616) or of ``requests``. A declared charset that is unknown, or that the bytes
do not decode with, is passed over (and said in ``how``) for the next step. When detection finds
nothing either, the page is undecodable (:class:`DecodeError`, reported ``decode-error``).
"""

from __future__ import annotations

import codecs
import re

__all__ = ["DecodeError", "decode_page", "http_charset"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_PARAM = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


class DecodeError(ValueError):
    """The page's bytes decode with no declared or detected encoding."""


def http_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type value, or None (no default is assumed).

    >>> http_charset("text/html; charset=windows-1251"), http_charset("text/html")
    ('windows-1251', None)
    """
    if not content_type:
        return None
    m = _PARAM.search(content_type)
    return m.group(1) if m else None


def _try(data: bytes, label: str) -> str | None:
    try:
        return data.decode(codecs.lookup(label).name)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_page(data: bytes, content_type: str | None = None) -> tuple[str, str, str]:
    """``(text, encoding, how)``: the decoded page, the codec used and how it was chosen
    (``http``, ``bom``, ``meta`` or ``detected``, with what was passed over).

    >>> decode_page("Привет".encode("cp1251"), "text/html; charset=windows-1251")[1:]
    ('cp1251', 'http')
    >>> decode_page(b"\\xef\\xbb\\xbfhi")[:2]
    ('hi', 'utf-8')
    """
    passed: list[str] = []
    declared = http_charset(content_type)
    if declared:
        text = _try(data, declared)
        if text is not None:
            return text, codecs.lookup(declared).name, "http"
        passed.append(f"the HTTP charset {declared!r} did not decode it")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], codec)
            if text is not None:
                return text, codec, "bom"
            passed.append(f"the {codec} byte order mark did not decode it")
    m = _META_CHARSET.search(data[:4096])
    if m:
        label = m.group(1).decode("ascii")
        text = _try(data, label)
        if text is not None:
            return text, codecs.lookup(label).name, "meta" + (f" ({'; '.join(passed)})" if passed else "")
        passed.append(f"the <meta> charset {label!r} did not decode it")
    if not data:
        return "", "utf-8", "empty"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("no declared or detected encoding decodes the page" + (f" ({'; '.join(passed)})" if passed else ""))
    text = _try(data, best.encoding)
    if text is None:
        raise DecodeError(f"the detected encoding {best.encoding} does not decode the page")
    return text, codecs.lookup(best.encoding).name, "detected" + (f" ({'; '.join(passed)})" if passed else "")
