"""How to cite what a paper used: the data release (BibTeX, APA or CFF text naming the data
version, fingerprint and release date), an original article the corpus stores
(:func:`cite_article`: its outlet, date and URL from ``corpus.articles``) and the library
(:func:`cite_software`).

The package-level facts (title, author, abstract) are the same as in the repository's
``CITATION.cff``; a test keeps the two in step. No DOI exists yet, so none is printed: the
citation says so and points to the repository release, identified by version and fingerprint.
Nothing is ever filled in that the release does not record: a release without a date says it is
unreleased, an article without an author or URL is cited without one.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._options import check_choice, unknown_key
from ..errors import CorpusError
from .layout import MANIFEST_NAME
from .safefile import read_inside
from .versioning import is_released, is_semver, released_version

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike as Corpus

STYLES = ("bibtex", "apa", "cff")
TITLE = "caucasus-corpus: hand-annotated articles on South Caucasus politics"
AUTHOR = "caucasus-corpus maintainers"
NO_DOI = (
    "No DOI has been assigned yet; cite the repository release with its data version and "
    "fingerprint, which identify its exact bytes."
)
ABSTRACT = (
    "Articles on South Caucasus politics kept verbatim, with standoff annotations of actors, "
    "claims, threats and stance, and a Python library that loads them into pandas. Every file "
    "is listed with its sha256 in datapackage.json; a data version and a fingerprint identify "
    "a release exactly. Annotations and metadata: CC BY 4.0; code: MIT; article texts remain "
    "their publishers' property (see LICENSES/DATA.md)."
)
KEYWORDS = ("South Caucasus", "corpus", "discourse analysis", "annotation", "Azerbaijan", "Russia")


def _release_date(corpus: Corpus) -> str | None:
    """The ``created`` date the release command wrote into the manifest, if any (never guessed)."""
    if corpus.root is None:
        return None
    try:
        desc = json.loads(read_inside(corpus.root, MANIFEST_NAME) or b"{}")
    except (OSError, ValueError, CorpusError):
        return None
    created = desc.get("created")
    return created[:10] if isinstance(created, str) and len(created) >= 10 else None


def _yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def cite(corpus: Corpus, *, style: str = "bibtex") -> str:
    """A citation of the release ``corpus`` was loaded from, in ``style`` (bibtex, apa or cff).

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> text = cite(corpus, style="apa")
    >>> corpus.version in text and corpus.fingerprint in text and "No DOI" in text
    True
    >>> cite(corpus, style="mla")
    Traceback (most recent call last):
    ...
    ValueError: style='mla' is not valid; choose one of: 'bibtex', 'apa', 'cff'
    """
    check_choice("style", style, STYLES)
    version, fp = corpus.version, corpus.fingerprint
    if not version or not fp:
        raise CorpusError(
            "this corpus has no data version or fingerprint (it was not loaded from a release); "
            "load a release with caucasus_corpus.load() to cite it"
        )
    if not is_semver(version):  # it goes into BibTeX and YAML: never anything but a version
        raise CorpusError(f"data version {version!r} is not a SemVer version; cite only a corpus loaded from a release")
    day = _release_date(corpus)
    status = f"Released {day}. {NO_DOI}" if day else NO_DOI
    if not is_released(version):
        # A working copy edited since its last release: say so, never pass it off as that release.
        status = (f"Unreleased working copy, edited since data version {released_version(version)}; "
                  f"its edits are in no release yet. {NO_DOI}")
    elif day is None:
        # A version that the release command never dated (as the first bundled data was).
        status = (f"Unreleased: data version {version} has no release date (it was never published with "
                  f"`caucasus-corpus release`), so cite it with its fingerprint. {NO_DOI}")
    if style == "bibtex":
        key = "caucasus_corpus_" + re.sub(r"[^0-9a-z]+", "_", version.lower()).strip("_")
        fields = [
            ("author", "{" + AUTHOR + "}"),
            ("title", "{" + TITLE + "}"),
            ("version", version),
            *([("year", day[:4])] if day else []),
            ("howpublished", "Dataset, repository release"),
            ("note", f"Data version {version}, fingerprint sha256:{fp}. {status}"),
        ]
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        return f"@misc{{{key},\n{body}\n}}\n"
    if style == "apa":
        when = day[:4] if day else "n.d."
        return (
            f"{AUTHOR}. ({when}). {TITLE} (Version {version}) [Data set]. "
            f"Repository release, fingerprint sha256:{fp}. {status}\n"
        )
    lines = [
        "cff-version: 1.2.0",
        f"message: {_yaml_str('If you use this dataset, please cite it as below. ' + status)}",
        "type: dataset",
        f"title: {_yaml_str(TITLE)}",
        "authors:",
        f"  - name: {_yaml_str(AUTHOR)}",
        f"version: {_yaml_str(version)}",
        *([f"date-released: {_yaml_str(day)}"] if day else []),
        "identifiers:",
        "  - type: other",
        f"    value: {_yaml_str('sha256:' + fp)}",
        f"    description: {_yaml_str('Fingerprint of the release: sha256 over the sorted path and sha256 lines of datapackage.json')}",
        f"abstract: {_yaml_str(ABSTRACT)}",
        "keywords:",
        *(f"  - {_yaml_str(k)}" for k in KEYWORDS),
    ]
    return "\n".join(lines) + "\n"


def _article_row(corpus: Corpus, article_id: str) -> dict[str, Any]:
    articles = corpus.articles
    match = articles[articles["article_id"] == article_id]
    if match.empty:
        raise unknown_key("article id", article_id, list(articles["article_id"]))
    return {k: (None if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) else v)
            for k, v in match.iloc[0].to_dict().items()}


def cite_article(corpus: Corpus, article_id: str, *, style: str = "apa") -> str:
    """A citation of the original article ``article_id`` (its author, title, outlet, date and URL
    from ``corpus.articles``), in ``style`` ``apa`` or ``bibtex``. Quote the article from its
    original; cite the corpus release as well when you used the stored copy or its annotations.

    A field the articles table leaves empty is left out, never guessed: without a personal
    ``author`` the title stands first (APA's rule for works with no author), without a date APA
    says "n.d.", and without a URL none is printed.

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> print(cite_article(corpus, corpus.article_ids[0]))  # doctest: +ELLIPSIS
    Relations between Azerbaijan and Russia hit an uncharacteristically low point. (2017, May 17). commonspace.eu. http://commonspace.eu/...
    """
    check_choice("style", style, ("apa", "bibtex"))
    row = _article_row(corpus, article_id)
    title, author, outlet, url = (row.get(k) for k in ("title", "author", "outlet", "url"))
    published = row.get("published")
    if style == "apa":
        when = f"{published:%Y, %B} {published.day}" if published is not None else "n.d."
        title_part = f"{str(title).rstrip('.')}."
        parts = [f"{author}. ({when}). {title_part}" if author else f"{title_part} ({when})."]
        parts += [f"{outlet}." if outlet else "", str(url) if url else ""]
        return " ".join(p for p in parts if p) + "\n"
    key = re.sub(r"[^0-9a-z]+", "_", article_id.lower()).strip("_")
    fields = [
        *([("author", "{" + str(author) + "}")] if author else []),
        ("title", "{" + str(title) + "}"),
        *([("year", f"{published:%Y}"), ("date", f"{published:%Y-%m-%d}")] if published is not None else []),
        *([("howpublished", str(outlet))] if outlet else []),
        *([("url", str(url))] if url else []),
        *([("note", f"Byline: {row['byline']}")] if row.get("byline") and not author else []),
    ]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def cite_software(*, style: str = "apa") -> str:
    """A citation of the Python library (the code, as opposed to the data release), in ``style``
    ``apa`` or ``bibtex``, with the installed library version; title and authors as in the
    repository's ``CITATION.cff``. No URL, DOI or date is printed: none has been assigned.

    >>> print(cite_software())  # doctest: +ELLIPSIS
    caucasus-corpus maintainers. (n.d.). caucasus_corpus: the Python library of caucasus-corpus (Version ...) [Computer software]. ...
    """
    check_choice("style", style, ("apa", "bibtex"))
    from importlib.metadata import PackageNotFoundError, version

    try:
        code = version("caucasus-corpus")
    except PackageNotFoundError:  # imported from a source tree without installing it
        code = "unknown"
    title = "caucasus_corpus: the Python library of caucasus-corpus"
    note = ("Library version as installed; no release date, URL or DOI has been assigned. "
            "Citation metadata: CITATION.cff in the repository.")
    if style == "apa":
        return f"{AUTHOR}. (n.d.). {title} (Version {code}) [Computer software]. {note}\n"
    key = "caucasus_corpus_software_" + re.sub(r"[^0-9a-z]+", "_", code.lower()).strip("_")
    fields = [("author", "{" + AUTHOR + "}"), ("title", "{" + title + "}"), ("version", code), ("note", note)]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@software{{{key},\n{body}\n}}\n"
