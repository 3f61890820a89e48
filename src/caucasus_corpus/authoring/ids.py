"""Ids for new articles and new annotation records.

**Article ids.** Unless given, an article id is ``OUTLET-YYYY-MM-DD-TITLE``, each part made a slug
by :func:`slugify` (romanized by :func:`caucasus_corpus.text.translit.romanize`, so that Azerbaijani
``Ə`` and ``ı`` become ``e`` and ``i`` and Cyrillic, Armenian and Georgian titles are
transliterated; remaining accents dropped, lower case, every run of other characters one hyphen):

* OUTLET: the outlet; a web address such as ``www.commonspace.eu`` loses ``www.`` and its last
  dot-part (``commonspace``);
* YYYY-MM-DD: the publication date;
* TITLE: the first eight words of the title, cut to at most 60 characters at a hyphen.

>>> article_id_for(outlet="www.commonspace.eu", published="2017-05-17",
...                title="Relations between Azerbaijan and Russia hit an uncharacteristically low point")
'commonspace-2017-05-17-relations-between-azerbaijan-and-russia-hit-an'

>>> article_id_for(outlet="Ostrel Xəbər", published="2031-04-02", title="İlham Əliyev sülh haqqında danışdı")
'ostrel-xeber-2031-04-02-ilham-eliyev-sulh-haqqinda-danisdi'
>>> article_id_for(outlet="Ostrel Herald", published="2031-04-02", title="Паром в Варнию")
'ostrel-herald-2031-04-02-parom-v-varniyu'

When the outlet or the date is unknown, or neither the title nor the outlet has letters that can
be romanized (a title in Chinese, say, or only digits and punctuation), there is no rule to
follow, so the id must be given (``--id`` / ``id=``); it is never guessed.

**Record ids.** A record id is ``PREFIX-Ln``: the article's prefix, the layer's letter
(:data:`caucasus_corpus.vocab.RECORD_ID_CODES`: m, c, t, s) and a number of at least three digits
counting that layer's records in the article (``varnia-ostrel-dam-c001``). The prefix of a new
article is its id, so record ids of two articles never collide; an article whose records already
share another prefix keeps it (the seed article's ``cs4232``). The next number is one more than
the highest ever allocated: the highest in the records file, and the high-water mark the manifest
keeps (``record_id_marks``), so a deleted record's id is never given to another record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from ..text.translit import romanize
from ..vocab import RECORD_ID_CODES, is_slug

TITLE_WORDS = 8
TITLE_CHARS = 60
_RECORD_ID = re.compile(r"(.+)-([a-z])(\d+)")


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens (romanized, accents dropped).

    >>> slugify("Ümid  Bağı: a «test»!")
    'umid-bagi-a-test'
    >>> slugify("Երևան, თბილისი — ІЛЬЯ")
    'yerevan-tbilisi-ilya'
    """
    ascii_ = unicodedata.normalize("NFKD", romanize(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def _outlet_part(outlet: str) -> str:
    name = outlet.strip().lower()
    if "." in name and " " not in name:  # a web address: drop the scheme, www. and the last dot-part
        name = re.sub(r"^[a-z]+://", "", name).split("/", 1)[0].removeprefix("www.")
        name = name.rsplit(".", 1)[0]
    return slugify(name)


def _title_part(title: str) -> str:
    words = slugify(title).split("-")[:TITLE_WORDS]
    part = "-".join(w for w in words if w)
    while len(part) > TITLE_CHARS and "-" in part:
        part = part.rsplit("-", 1)[0]
    return part[:TITLE_CHARS]


def article_id_for(*, outlet: str, published: str, title: str) -> str:
    """The article id by the rule in the module docstring; ``ValueError`` when it cannot apply."""
    missing = [name for name, value in (("outlet", outlet), ("published", published)) if not value.strip()]
    if missing:
        raise ValueError(f"cannot derive an article id without {' and '.join(missing)}; give the id (--id / id=)")
    if not re.search(r"[a-z]", slugify(title)):
        raise ValueError(
            f"the title {title!r} has no Latin letters, and no letters that can be romanized (Latin, Cyrillic, "
            "Armenian and Georgian can), to derive an article id from; give the id (--id / id=), "
            "e.g. 'outlet-2017-05-17-short-title'")
    outlet_part = _outlet_part(outlet)
    if not outlet_part:
        raise ValueError(
            f"the outlet {outlet!r} has no Latin letters or digits, and no letters that can be romanized, "
            "to derive an article id from; give the id (--id / id=)")
    return f"{outlet_part}-{slugify(published)}-{_title_part(title)}"


def check_article_id(article_id: object) -> str:
    """``article_id`` when it is a slug; ``ValueError`` saying why not (paths, ``..``, upper case)."""
    if not is_slug(article_id):
        raise ValueError(
            f"article id {article_id!r} is not a slug: use lower-case ASCII letters, digits and hyphens only, "
            "starting with a letter or digit (no spaces, upper case, dots or path separators), "
            "e.g. 'outlet-2017-05-17-short-title'"
        )
    return str(article_id)


def record_prefix(article_id: str, existing_ids: Iterable[str]) -> str:
    """The prefix of the article's record ids: the one its records share, else the article id."""
    prefixes = {m.group(1) for m in map(_RECORD_ID.fullmatch, existing_ids) if m}
    return prefixes.pop() if len(prefixes) == 1 else article_id


def mark_key(prefix: str, layer: str) -> str:
    """The key of a prefix and layer in the manifest's ``record_id_marks``."""
    return f"{prefix}-{RECORD_ID_CODES[layer]}"


def next_record_id(prefix: str, layer: str, existing_ids: Iterable[str], marks: Mapping[str, int]) -> tuple[str, int]:
    """The next record id of ``layer`` under ``prefix`` and its number (never one used before).

    >>> next_record_id("cs4232", "mention", ["cs4232-m001", "cs4232-c001", "cs4232-m007"], {"cs4232-m": 9})
    ('cs4232-m010', 10)
    """
    key = mark_key(prefix, layer)
    used = [int(m.group(3)) for m in map(_RECORD_ID.fullmatch, existing_ids) if m and f"{m.group(1)}-{m.group(2)}" == key]
    n = max([int(marks.get(key, 0)), *used]) + 1
    return f"{key}{n:03d}", n
