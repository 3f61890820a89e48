"""The corpus as Parquet files that pandas, Arrow, DuckDB and Hugging Face ``datasets`` read as they are.

``to_parquet(corpus, DIR)`` writes one folder in the *caucasus-corpus Parquet layout*, version 1:

==========================  ===========================================================================
``layout.json``             format name, layout version, the corpus's data version and fingerprint,
                            and the rows, size and sha256 of every file below
``README.md``               a Hugging Face dataset card whose ``configs:`` name each table, so that
                            ``datasets.load_dataset(DIR, "claims")`` reads it (offline too)
``articles.parquet``        one row per article: the columns of ``Corpus.articles`` and ``text``,
                            the verbatim text that every offset counts code points of
``tokens.parquet``          one row per token: the columns of ``Corpus.tokens`` (strings and offsets)
``mentions.parquet``,       one file per annotation layer, with the columns of ``Corpus.mentions``,
``claims.parquet``,         ``Corpus.claims``, ``Corpus.threats`` and ``Corpus.stance`` (the cue of a
``threats.parquet``,        claim or threat as ``cue``, ``cue_start``, ``cue_end``; ``targets`` a list),
``stance.parquet``          plus ``stored_attributes``: the names of the attributes the stored record
                            carries, so that an absent value and a null one come back as they were
``actors.parquet``          the actor registry (``Corpus.actors``; ``aliases`` a list)
``topics.parquet``          the stance topics (``Corpus.topics``)
``cameo.parquet``           the CAMEO codes the threats use, with their names
==========================  ===========================================================================

A corpus without annotations (``cc.from_texts``) has only the articles and tokens tables. The
tables carry what the corpus's frames carry: an actor's ``alias_sources`` (where a spelling not
in the texts was published) and CAMEO codes no threat uses stay in the release. Offsets
are 0-based code points of the verbatim text, as in the release: Arrow strings are UTF-8, but no
offset is ever converted to bytes or UTF-16, so ``text[start:end]`` in Python gives the span.

Layout version 2 (:mod:`caucasus_corpus.shards`) keeps the annotation tables and moves the
articles and tokens into shards (``shards/NNNNN/``) with int32 token ids and a vocabulary;
:func:`from_parquet` reads both versions. The writer stages the folder beside the target and
renames it into place, so a failed write leaves nothing half-written, and it refuses a folder
that is not empty unless ``overwrite=True`` (and even then only one that holds an earlier export).

>>> import tempfile, caucasus_corpus as cc
>>> from caucasus_corpus.interop.parquet import to_parquet, from_parquet
>>> corpus = cc.from_texts({"note-1": "Pell Andor visited Ostrel."})
>>> folder = to_parquet(corpus, tempfile.mkdtemp() + "/export")
>>> from_parquet(folder).text("note-1")
'Pell Andor visited Ostrel.'
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CorpusFormatError, CorpusIntegrityError, CorpusNotFoundError
from ..model.articles import ARTICLE_COLUMNS, PROVENANCE_COLUMNS
from ..model.records import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    MENTION_COLUMNS,
    STANCE_RECORD_COLUMNS,
    THREAT_RECORD_COLUMNS,
    TOPIC_COLUMNS,
)
from ..text.frame import TOKEN_COLUMNS
from ..vocab import LAYER_ATTRIBUTES

if TYPE_CHECKING:
    import pandas as pd

    from ..model.corpus import Corpus
    from ..model.protocol import CorpusLike

__all__ = ["FORMAT", "LAYOUT_FILE", "LAYOUT_VERSION", "TABLES", "from_parquet", "read_layout", "to_parquet"]

FORMAT = "caucasus-corpus-parquet"
LAYOUT_VERSION = 1
LAYOUT_FILE = "layout.json"

ARTICLE_TABLE = {**ARTICLE_COLUMNS, "text": "string"}
CAMEO_COLUMNS = {"cameo": "string", "cameo_name": "string"}
# Layer tables by layer, named as the Corpus properties that give them.
LAYER_TABLES = {"mention": "mentions", "claim": "claims", "threat": "threats", "stance": "stance"}
# Which attributes the stored record carries: an absent cue and a null one stay apart.
_STORED = {"stored_attributes": "object"}
#: Every table of layout version 1 and its columns (the dtypes of the matching Corpus frame).
TABLES: dict[str, dict[str, str]] = {
    "articles": ARTICLE_TABLE,
    "tokens": TOKEN_COLUMNS,
    "mentions": {**MENTION_COLUMNS, **_STORED},
    "claims": {**CLAIM_COLUMNS, **_STORED},
    "threats": {**THREAT_RECORD_COLUMNS, **_STORED},
    "stance": {**STANCE_RECORD_COLUMNS, **_STORED},
    "actors": ACTOR_COLUMNS,
    "topics": TOPIC_COLUMNS,
    "cameo": CAMEO_COLUMNS,
}
ANNOTATION_TABLES = ("mentions", "claims", "threats", "stance", "actors", "topics", "cameo")

_WHAT = {
    "articles": "one row per article: metadata and the verbatim text",
    "tokens": "one row per token: the token string and its code point offsets",
    "mentions": "spans that name or describe an actor",
    "claims": "statements attributed to a source (and the author's own assertions)",
    "threats": "statements that signal harm or a sanction, with CAMEO codes",
    "stance": "who is for or against whom or what, with the evidence span",
    "actors": "the actor registry, with every spelling of each name",
    "topics": "named topics a stance may target",
    "cameo": "the CAMEO THREATEN codes the threats use, with their names",
    "vocabulary": "every distinct token string, its int32 id, kind and count",
}


def require(module: str, extra: str) -> None:
    """``ModuleNotFoundError`` saying which extra to install when an optional package is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ModuleNotFoundError(f"{module} is needed for this and is not installed: "
                                  f"pip install 'caucasus-corpus[{extra}]'", name=module)


# -- Arrow types -----------------------------------------------------------------------------------


def arrow_schema(columns: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """The Arrow schema of a table with these pandas dtypes (object columns hold lists of strings)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "Int64": pa.int64(), "int32": pa.int32(),
             "float64": pa.float64(), "bool": pa.bool_(), "datetime64[ns]": pa.timestamp("ns"),
             "object": pa.list_(pa.string())}
    return pa.schema([(name, types[dtype]) for name, dtype in columns.items()])


def write_table(frame: pd.DataFrame, columns: Mapping[str, str], path: Path) -> None:
    """Write ``frame``'s ``columns`` to a Parquet file with the documented Arrow types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame[list(columns)], schema=arrow_schema(columns), preserve_index=False)
    pq.write_table(table.replace_schema_metadata(None), path)


def read_table(path: Path, columns: Mapping[str, str], *, optional: tuple[str, ...] = (), **read: Any) -> pd.DataFrame:
    """A Parquet file of the layout as a frame with ``columns`` (their dtypes; list columns as
    Python lists). A missing or unreadable file, or one without the columns, raises an error
    naming it; ``optional`` columns missing from the file (added to the layout later) are <NA>."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise CorpusIntegrityError(
            f"{path}: file missing from the Parquet folder; write the folder again (corpus.to_parquet) "
            "or restore the file", path=str(path))
    try:
        table = pq.read_table(path, **read)
    except (pa.ArrowException, OSError) as exc:
        raise CorpusFormatError(f"{path}: not a readable Parquet file ({exc}); the file is truncated or "
                                "corrupt: write the folder again or restore the file") from None
    absent = [c for c in optional if c in columns and c not in table.column_names]
    missing = [c for c in columns if c not in table.column_names and c not in absent]
    if missing:
        raise CorpusFormatError(f"{path}: columns missing: {', '.join(missing)}; this file is not a table of "
                                f"the {FORMAT} layout (see caucasus_corpus.interop.parquet)")
    frame = table.select([c for c in columns if c not in absent]).to_pandas()
    import pandas as pd

    for name in absent:
        frame[name] = pd.NA
    frame = frame[list(columns)]
    for name, dtype in columns.items():
        if dtype == "object":
            frame[name] = [list(v) if v is not None else [] for v in frame[name]]
    return frame.astype(dict(columns))


# -- files and folders -----------------------------------------------------------------------------


def file_entry(path: Path, rows: int) -> dict[str, Any]:
    """What ``layout.json`` records of a file: rows, bytes and sha256."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return {"rows": rows, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


@contextlib.contextmanager
def staged_folder(directory: str | os.PathLike[str], *, overwrite: bool) -> Iterator[Path]:
    """A temporary folder beside ``directory`` to write into; renamed into place when the block
    ends without an error, removed when it fails (the target is then untouched).

    Refuses (``FileExistsError``) a target that is not empty unless ``overwrite``; with
    ``overwrite`` it still refuses a folder that holds no ``layout.json``, so that a mistyped
    path never deletes someone's files.
    """
    target = Path(directory).expanduser().absolute()
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} is a file, not a folder: give a folder to write the Parquet files into")
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{target} is not empty: choose an empty or new folder, or pass overwrite=True "
                                  "to replace an earlier Parquet export there")
        if not (target / LAYOUT_FILE).is_file():
            raise FileExistsError(f"{target} is not empty and holds no {LAYOUT_FILE}, so it is not an earlier "
                                  "Parquet export: refusing to delete its files even with overwrite=True; choose "
                                  "an empty or new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = target.parent / f".{target.name}.writing-{os.getpid()}"
    old = target.parent / f".{target.name}.replaced-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        yield stage
        if target.exists():
            os.replace(target, old)
        os.replace(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def read_layout(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The folder's ``layout.json``, checked: format and a layout version this code reads."""
    root = Path(directory).expanduser()
    path = root / LAYOUT_FILE
    if not path.is_file():
        raise CorpusNotFoundError(f"{path} not found: {root} is not a folder written by corpus.to_parquet "
                                  "(or cc.build_parquet)")
    try:
        layout = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CorpusFormatError(f"{path}: not valid JSON ({exc}); write the folder again") from None
    if not isinstance(layout, dict) or layout.get("format") != FORMAT:
        raise CorpusFormatError(f"{path}: format is not {FORMAT!r}; this folder was not written by caucasus_corpus")
    if layout.get("layout_version") not in (1, 2):
        raise CorpusFormatError(f"{path}: layout version {layout.get('layout_version')!r} is not one this "
                                "caucasus_corpus reads (1 or 2); update caucasus_corpus")
    return layout


def check_file(root: Path, name: str, entry: Mapping[str, Any]) -> Path:
    """The path of a listed file after checking its size and sha256 against ``layout.json``."""
    path = root / name
    if not path.is_file():
        raise CorpusIntegrityError(f"{path}: file missing from the Parquet folder (layout.json lists it); "
                                   "write the folder again or restore the file", path=str(path))
    if file_entry(path, 0)["sha256"] != entry["sha256"]:
        raise CorpusIntegrityError(f"{path}: the file changed after it was written (its sha256 differs from "
                                   "layout.json); write the folder again or restore the file", path=str(path))
    return path


def dataset_card(layout: Mapping[str, Any], configs: Mapping[str, str | list[str]],
                 columns: Mapping[str, Mapping[str, str]]) -> str:
    """README.md: a Hugging Face dataset card with one config per table (``data_files`` may be
    globs), then what the folder holds."""
    lines = ["---", "pretty_name: caucasus-corpus (Parquet export)", "configs:"]
    for name, files in configs.items():
        paths = [files] if isinstance(files, str) else list(files)
        lines += [f"- config_name: {name}", "  data_files:", "  - split: train", "    path:"]
        lines += [f"    - {json.dumps(p)}" for p in paths]
    lines += ["---", "", "# caucasus-corpus, Parquet export", ""]
    version = layout.get("corpus_version") or "none (built in memory)"
    lines += [
        f"Data version {version}; fingerprint {layout.get('fingerprint') or 'none'}; "
        f"{FORMAT} layout version {layout['layout_version']} (see `layout.json` and the module "
        "`caucasus_corpus.interop.parquet`).",
        "",
        "Offsets (`start`, `end`, `cue_start`, `cue_end`) count Unicode code points of the article's "
        "verbatim `text`, 0-based, end exclusive: in Python `text[start:end]` is the span.",
        "",
        "```python",
        "import datasets",
        f'claims = datasets.load_dataset("path/to/this/folder", "{next(iter(configs))}")["train"]',
        "import caucasus_corpus as cc",
        'corpus = cc.from_parquet("path/to/this/folder")',
        "```",
        "",
    ]
    for name in configs:
        lines += [f"## {name}", "", _WHAT.get(name, ""), "", "| column | type |", "| --- | --- |"]
        lines += [f"| `{c}` | {'list of strings' if d == 'object' else d} |" for c, d in columns[name].items()]
        lines.append("")
    return "\n".join(lines)


def write_layout(stage: Path, layout: Mapping[str, Any]) -> None:
    (stage / LAYOUT_FILE).write_text(json.dumps(layout, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# -- corpus -> folder ------------------------------------------------------------------------------


def annotation_tables(corpus: CorpusLike) -> dict[str, pd.DataFrame]:
    """The annotation tables of the layout (empty when the corpus has none)."""
    if not corpus.has_annotations:
        return {}
    tables = {name: getattr(corpus, name) for name in ("mentions", "claims", "threats", "stance", "actors", "topics")}
    stored = dict(zip(corpus.annotations["id"].tolist(), (sorted(a) for a in corpus.annotations["attributes"])))
    for name in LAYER_TABLES.values():
        tables[name]["stored_attributes"] = [stored[i] for i in tables[name]["id"].tolist()]
    threats = tables["threats"]
    tables["cameo"] = threats[["cameo", "cameo_name"]].drop_duplicates().sort_values("cameo", ignore_index=True)
    return tables


def to_parquet(corpus: CorpusLike, directory: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``corpus`` in the Parquet layout (version 1; module docstring) into ``directory``
    and return that folder's path.

    Raises ``FileExistsError`` when the folder is not empty, unless ``overwrite=True`` (which
    replaces an earlier export, never a folder of other files). The folder appears complete or
    not at all. The tokens table needs sentence numbers (``Corpus.tokens``), slow for tens of
    millions of tokens: write such a corpus with ``corpus.to_parquet(DIR, shard_tokens=...)``.
    """
    require("pyarrow", "interop")
    frames: dict[str, pd.DataFrame] = {}
    articles = corpus.articles
    articles["text"] = [corpus.text(a) for a in articles["article_id"]]
    frames["articles"] = articles
    frames["tokens"] = corpus.tokens
    frames.update(annotation_tables(corpus))
    with staged_folder(directory, overwrite=overwrite) as stage:
        files = {}
        for name, frame in frames.items():
            path = stage / f"{name}.parquet"
            write_table(frame, TABLES[name], path)
            files[path.name] = file_entry(path, len(frame))
        layout = {"format": FORMAT, "layout_version": LAYOUT_VERSION, "corpus_version": corpus.version,
                  "fingerprint": corpus.fingerprint, "has_annotations": corpus.has_annotations,
                  "articles": ["articles.parquet"], "files": files}
        (stage / "README.md").write_text(
            dataset_card(layout, {n: f"{n}.parquet" for n in frames}, TABLES), encoding="utf-8")
        write_layout(stage, layout)
    return Path(directory).expanduser().absolute()


# -- folder -> corpus ------------------------------------------------------------------------------


def _value(v: Any) -> Any:
    import pandas as pd

    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


def records_from_tables(tables: Mapping[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Annotation records (as the release stores them) from the layer tables."""
    records = []
    for layer, name in LAYER_TABLES.items():
        for row in tables[name].to_dict("records"):
            rec: dict[str, Any] = {k: _value(row[k]) for k in ("id", "article_id", "start", "end", "text", "annotator")}
            rec["layer"] = layer
            for attr in LAYER_ATTRIBUTES[layer]:
                if attr not in row["stored_attributes"]:
                    continue
                if attr == "cue":
                    rec["cue"] = None if _value(row["cue"]) is None else {
                        "start": int(row["cue_start"]), "end": int(row["cue_end"]), "text": row["cue"]}
                elif attr == "targets":
                    rec["targets"] = list(row["targets"])
                else:
                    rec[attr] = "" if _value(row[attr]) is None else row[attr]
            records.append(rec)
    return records


def annotation_data(tables: Mapping[str, pd.DataFrame]):  # type: ignore[no-untyped-def]
    """The in-memory annotations (:class:`~caucasus_corpus.model.records.AnnotationData`) of the tables."""
    from ..model.records import AnnotationData

    def text(v: Any) -> str:
        return "" if _value(v) is None else str(v)

    actors = [{"actor_id": a["actor_id"], "name": a["name"], "kind": a["kind"], "aliases": list(a["aliases"]),
               **{k: text(a[k]) for k in ("role", "affiliation", "country", "notes")}}
              for a in tables["actors"].to_dict("records")]
    topics = [{k: text(t[k]) for k in TOPIC_COLUMNS} for t in tables["topics"].to_dict("records")]
    cameo = {c: text(n) for c, n in zip(tables["cameo"]["cameo"], tables["cameo"]["cameo_name"])}
    return AnnotationData(actors=actors, records=records_from_tables(tables), topics=topics, cameo=cameo)


def read_articles(root: Path, layout: Mapping[str, Any]) -> pd.DataFrame:
    """Every article row (with its text) of a layout-1 or layout-2 folder, in corpus order."""
    import pandas as pd

    from .._frames import typed_frame

    parts = [read_table(check_file(root, name, layout["files"][name]), ARTICLE_TABLE, optional=PROVENANCE_COLUMNS)
             for name in layout["articles"]]
    return pd.concat(parts, ignore_index=True).astype(ARTICLE_TABLE) if parts else typed_frame([], ARTICLE_TABLE)


def read_annotations(root: Path, layout: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    """The folder's annotations (AnnotationData), or None when it has none."""
    if not layout.get("has_annotations"):
        return None
    tables = {n: read_table(check_file(root, f"{n}.parquet", layout["files"][f"{n}.parquet"]), TABLES[n])
              for n in ANNOTATION_TABLES}
    return annotation_data(tables)


def from_parquet(directory: str | os.PathLike[str]) -> Corpus:
    """Read a folder written by :func:`to_parquet` (or a sharded one, layout version 2) back
    into an in-memory :class:`~caucasus_corpus.Corpus` whose frames equal the original's.

    Every file is checked against the sha256 in ``layout.json``; a missing, changed or
    unreadable file raises an error naming it. The corpus keeps the data version and fingerprint
    of the release it came from; it has no release folder (``root`` is None).
    """
    from ..model.corpus import Corpus

    require("pyarrow", "interop")
    root = Path(directory).expanduser()
    layout = read_layout(root)
    articles = read_articles(root, layout)
    texts = dict(zip(articles["article_id"].tolist(), articles["text"].tolist()))
    return Corpus(articles=articles.drop(columns="text").reset_index(drop=True), texts=texts,
                  version=layout.get("corpus_version"), fingerprint=layout.get("fingerprint"), root=None,
                  annotations=read_annotations(root, layout))
