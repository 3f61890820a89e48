"""``load()``: one call from a release folder (or the bundled release) to a :class:`Corpus`."""

from __future__ import annotations

from pathlib import Path

from .corpus import Corpus
from .errors import CorpusValidationError
from .manifest import read_manifest, resolve_root
from .validation import article_texts, check_annotations, check_articles

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
}


def load(path: str | Path | None = None) -> Corpus:
    """Load a corpus release into pandas, checking every file's sha256 and every record.

    ``path`` is a release folder (the one holding ``datapackage.json``) or that file itself;
    None loads the release bundled with the package.

    Raises ``CorpusNotFoundError`` when the folder or manifest is missing, ``CorpusFormatError``
    when a file cannot be parsed, ``CorpusIntegrityError`` (naming the file) when a byte changed
    or a listed file is missing, and ``CorpusValidationError`` listing every broken record.

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> corpus.articles.loc[0, ["article_id", "outlet"]].tolist()
    ['commonspace-2017-05-17-azerbaijan-russia-low-point', 'commonspace.eu']
    """
    import pandas as pd

    root = resolve_root(path)
    manifest = read_manifest(root)
    for res in manifest.resources:
        manifest.read_bytes(res)  # raises CorpusIntegrityError naming the first changed file
    problems, rows = check_articles(manifest)
    if problems:
        raise CorpusValidationError([str(p) for p in problems])
    texts = article_texts(manifest, rows)
    problems, annotation_data = check_annotations(manifest, texts)
    if problems:
        raise CorpusValidationError([str(p) for p in problems])

    frame = pd.DataFrame([{k: v for k, v in row.items()} for _line, row in rows])
    frame["n_chars"] = [len(texts[a]) for a in frame["article_id"]]
    frame = frame.replace("", pd.NA)
    frame["published"] = pd.to_datetime(frame["published"], format="%Y-%m-%d")
    articles = frame[list(ARTICLE_COLUMNS)].astype(ARTICLE_COLUMNS)
    return Corpus(
        articles=articles,
        texts=texts,
        version=manifest.version,
        fingerprint=manifest.fingerprint,
        root=root,
        annotations=annotation_data if annotation_data.actors else None,
    )
