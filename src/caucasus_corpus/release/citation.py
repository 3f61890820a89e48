"""How to cite a release: BibTeX, APA or CFF text naming the data version and fingerprint.

The package-level facts (title, author, abstract) are the same as in the repository's
``CITATION.cff``; a test keeps the two in step. No DOI exists yet, so none is printed: the
citation says so and points to the repository release, identified by version and fingerprint.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .._options import check_choice
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
    status = NO_DOI
    if not is_released(version):
        # A working copy edited since its last release: say so, never pass it off as that release.
        status = (f"Unreleased working copy, edited since data version {released_version(version)}; "
                  f"its edits are in no release yet. {NO_DOI}")
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
