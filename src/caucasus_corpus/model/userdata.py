"""Corpora from your own texts: ``from_texts`` and ``from_dataframe``.

A corpus built here has no version, fingerprint, release folder or annotations; kwic, frequency,
collocates and dispersion work on it as on the bundled corpus, and annotation-based functions
raise :class:`~caucasus_corpus.errors.NoAnnotationsError`.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..vocab import is_slug
from .articles import ARTICLE_COLUMNS
from .corpus import Corpus

# Article fields a user's table may fill; the others (path, source_file, n_chars) describe a release file.
METADATA_FIELDS = ("title", "published", "outlet", "url", "genre", "language", "byline", "author", "notes")


def _suggest(article_id: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", article_id.lower()).strip("-")


def _check_ids(ids: Sequence[object]) -> list[str]:
    """Ids as strings; ``ValueError`` explaining what is wrong when they are not unique slugs."""
    out = [str(i) if isinstance(i, numbers.Integral) and not isinstance(i, bool) else i for i in ids]
    bad_type = [i for i in out if not isinstance(i, str)]
    if bad_type:
        raise ValueError(f"article ids must be strings (or whole numbers); got {bad_type[0]!r} ({type(bad_type[0]).__name__})")
    bad = [i for i in out if not is_slug(i)]
    if bad:
        shown = ", ".join(f"{b!r}" + (f" (e.g. {_suggest(b)!r})" if _suggest(b) else "") for b in bad[:5])  # type: ignore[arg-type]
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise ValueError(
            "article ids must be slugs: lower-case ASCII letters, digits and hyphens, starting with a letter or "
            f"digit (they name files and appear in citations); not slugs: {shown}{more}"
        )
    seen: set[str] = set()
    dupes = sorted({i for i in out if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    if dupes:
        raise ValueError(f"article ids must be unique; repeated: {', '.join(repr(d) for d in dupes[:10])}")
    return out  # type: ignore[return-value]


def _check_texts(ids: list[str], texts: Sequence[object]) -> dict[str, str]:
    for i, t in zip(ids, texts):
        if not isinstance(t, str):
            hint = " (an empty cell?)" if t is None or t is pd.NA or (isinstance(t, float) and t != t) else ""
            raise ValueError(f"the text of article {i!r} is {t!r}{hint}, not a string; every text must be a str")
    return dict(zip(ids, texts))  # type: ignore[arg-type]


def _articles(texts: dict[str, str], metadata: dict[str, Sequence[Any]] | None = None) -> pd.DataFrame:
    n = len(texts)
    cols: dict[str, Any] = {c: [pd.NA] * n for c in ARTICLE_COLUMNS}
    cols["article_id"] = list(texts)
    cols["n_chars"] = [len(t) for t in texts.values()]
    cols["published"] = pd.Series([pd.NaT] * n, dtype="datetime64[ns]")
    for field, values in (metadata or {}).items():
        cols[field] = list(values)
    frame = pd.DataFrame(cols, columns=list(ARTICLE_COLUMNS))
    if metadata and "published" in metadata:
        try:
            frame["published"] = pd.to_datetime(frame["published"])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"the published dates could not be read as dates: {exc}") from None
    for c in ARTICLE_COLUMNS:
        if ARTICLE_COLUMNS[c] == "string":
            frame[c] = frame[c].astype("string").replace("", pd.NA)
    return frame.astype(ARTICLE_COLUMNS)


def from_texts(texts: Mapping[str, str]) -> Corpus:
    """An unannotated corpus from ``{article_id: text}`` (ids are slugs such as ``"my-text-1"``).

    Metadata other than ``n_chars`` is <NA>; use :func:`from_dataframe` to bring titles and dates.

    >>> import caucasus_corpus as cc
    >>> mine = cc.from_texts({"note-1": "Pell Andor visited Ostrel.", "note-2": "Ostrel replied."})
    >>> mine.kwic("Ostrel", window=2)[["article_id", "left", "keyword"]].values.tolist()
    [['note-1', 'Andor visited', 'Ostrel'], ['note-2', '', 'Ostrel']]
    >>> mine.has_annotations
    False
    """
    if not isinstance(texts, Mapping):
        raise TypeError(f"from_texts takes a mapping {{article_id: text}}, not {type(texts).__name__}; "
                        "for a table use from_dataframe")
    ids = _check_ids(list(texts))
    checked = _check_texts(ids, list(texts.values()))
    return Corpus(articles=_articles(checked), texts=checked, version=None, fingerprint=None, root=None, annotations=None)


def from_dataframe(
    df: pd.DataFrame,
    *,
    text: str = "text",
    id: str = "article_id",  # noqa: A002 - the name the issue asks for
    metadata: Sequence[str] | Mapping[str, str] | None = None,
) -> Corpus:
    """An unannotated corpus from a table of your own texts, e.g. a CSV you scraped.

    ``text`` and ``id`` name the columns holding the texts and the article ids (unique slugs;
    whole numbers are turned into strings). ``metadata`` says which columns fill the article
    fields (title, published, outlet, url, genre, language, byline, author, notes): None takes
    the columns named like those fields, a list names some of them, and a dict maps field to
    column (``{"published": "date"}``). Other columns are ignored; unknown fields are <NA>.

    Raises ``ValueError`` naming a missing column (and listing the available ones), repeated or
    unusable ids, or a text that is not a string.

    >>> import pandas as pd
    >>> import caucasus_corpus as cc
    >>> df = pd.DataFrame({"article_id": ["a1", "a2"], "text": ["Kesa Rimm spoke.", "Rimm left."],
    ...                    "date": ["2031-03-01", "2031-03-02"]})
    >>> mine = cc.from_dataframe(df, metadata={"published": "date"})
    >>> mine.articles[["article_id", "published", "n_chars"]].astype(str).values.tolist()
    [['a1', '2031-03-01', '16'], ['a2', '2031-03-02', '10']]
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_dataframe takes a pandas DataFrame, not {type(df).__name__}")
    available = [str(c) for c in df.columns]
    if metadata is None:
        fields = {f: f for f in METADATA_FIELDS if f in df.columns}
    elif isinstance(metadata, Mapping):
        fields = dict(metadata)
    else:
        fields = {f: f for f in metadata}
    for field in fields:
        if field not in METADATA_FIELDS:
            raise ValueError(f"metadata field {field!r} is not an article field; choose from: {', '.join(METADATA_FIELDS)}")
    for role, column in [("text", text), ("id", id), *((f"metadata {f!r}", c) for f, c in fields.items())]:
        if column not in df.columns:
            raise ValueError(f"no column {column!r} (given as {role}) in the DataFrame; available columns: "
                             f"{', '.join(repr(c) for c in available)}")
    ids = _check_ids(df[id].tolist())
    texts = _check_texts(ids, df[text].tolist())
    meta = {f: df[c].tolist() for f, c in fields.items()}
    return Corpus(articles=_articles(texts, meta), texts=texts, version=None, fingerprint=None, root=None, annotations=None)
