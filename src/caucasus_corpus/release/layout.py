"""Where things are in a release folder: every file and folder name, in one place.

A release folder holds ``datapackage.json`` (the manifest: every data file with its sha256, and
the data version) and the data folders ``corpus/`` and ``annotations/``:

* ``corpus/articles.csv``: one row of metadata per article; ``corpus/texts/ARTICLE_ID.txt``: the
  verbatim texts; ``corpus/schema/article.schema.json``: the schema of a metadata row;
* ``annotations/actors.jsonl``: the actor registry, one JSON object per line;
* ``annotations/records/ARTICLE_ID.jsonl``: standoff records of one article, one per line, each
  with ``id``, ``article_id``, ``layer`` (mention, claim, threat, stance), ``start``, ``end``
  (0-based, end exclusive, in code points of the stored text), ``text`` (the covered text,
  repeated so that drift is detectable), ``annotator`` and its layer's attributes;
* ``annotations/annotators/NAME/ARTICLE_ID.jsonl``: one annotator's independent records of an
  article (same record schema as the gold records; ``NAME`` is a slug and every record's
  ``annotator`` is ``NAME``), published next to the gold as the raw double annotation;
* ``annotations/adjudication/ARTICLE_ID.jsonl``: the adjudication log of an article, one decision
  per line (``annotations/schema/adjudication.schema.json``): who decided, when, from which
  annotator records, into which gold records;
* ``annotations/topics.tsv``: the named topics a stance may target;
* ``annotations/cameo-1.1b3-threaten.tsv``: CAMEO 1.1b3 THREATEN codes and names;
* ``annotations/schema/*.schema.json``: the JSON Schemas the records are checked against.

A release published without its texts (:mod:`caucasus_corpus.sharing`) has no ``corpus/texts/``;
instead ``corpus/withheld.csv`` lists each withheld text (sha256, lengths, addresses), its records
carry hashes in place of quotes (``annotations/schema/record-withheld.schema.json``), and its
manifest holds the manifest of the release with texts under ``withheld``.

Hidden files and folders (names starting with ``.``) are never data: the lock file and the
staging folder of the commit protocol live there.
"""

from __future__ import annotations

MANIFEST_NAME = "datapackage.json"
DATA_FOLDERS = ("corpus", "annotations")

ARTICLES_FILE = "corpus/articles.csv"
ARTICLE_SCHEMA = "corpus/schema/article.schema.json"
TEXTS_DIR = "corpus/texts/"
DATACARD = "corpus/README.md"

ACTORS_FILE = "annotations/actors.jsonl"
TOPICS_FILE = "annotations/topics.tsv"
CAMEO_FILE = "annotations/cameo-1.1b3-threaten.tsv"
RECORDS_DIR = "annotations/records/"
ACTOR_SCHEMA = "annotations/schema/actor.schema.json"
RECORD_SCHEMA = "annotations/schema/record.schema.json"
ANNOTATORS_DIR = "annotations/annotators/"
ADJUDICATION_DIR = "annotations/adjudication/"
ADJUDICATION_SCHEMA = "annotations/schema/adjudication.schema.json"

CHANGELOG = "CHANGELOG.md"

# A release published without its texts (caucasus_corpus.sharing; release/withheld.py).
WITHHELD_TEXTS = "corpus/withheld.csv"
WITHHELD_RECORD_SCHEMA = "annotations/schema/record-withheld.schema.json"


def text_path(article_id: str) -> str:
    """Where an article's verbatim text is stored."""
    return f"{TEXTS_DIR}{article_id}.txt"


def records_path(article_id: str) -> str:
    """Where an article's annotation records are stored."""
    return f"{RECORDS_DIR}{article_id}.jsonl"


def records_article(path: str) -> str | None:
    """The article id a records file is named after, or None for any other path."""
    if path.startswith(RECORDS_DIR) and path.endswith(".jsonl"):
        return path[len(RECORDS_DIR) : -len(".jsonl")]
    return None


def annotator_records_path(annotator: str, article_id: str) -> str:
    """Where one annotator's independent records of an article are stored."""
    return f"{ANNOTATORS_DIR}{annotator}/{article_id}.jsonl"


def annotator_records_of(path: str) -> tuple[str, str] | None:
    """``(annotator, article_id)`` an independent records file is named after, or None."""
    if path.startswith(ANNOTATORS_DIR) and path.endswith(".jsonl"):
        parts = path[len(ANNOTATORS_DIR) : -len(".jsonl")].split("/")
        if len(parts) == 2 and all(parts):
            return parts[0], parts[1]
    return None


def adjudication_path(article_id: str) -> str:
    """Where the adjudication log of an article is stored."""
    return f"{ADJUDICATION_DIR}{article_id}.jsonl"


def adjudication_article(path: str) -> str | None:
    """The article id an adjudication log is named after, or None for any other path."""
    if path.startswith(ADJUDICATION_DIR) and path.endswith(".jsonl") and "/" not in path[len(ADJUDICATION_DIR):]:
        return path[len(ADJUDICATION_DIR) : -len(".jsonl")]
    return None
