"""The corpus as Parquet files that pandas, Arrow, DuckDB and Hugging Face ``datasets`` read as they are.

``to_parquet(corpus, DIR)`` writes one folder in the *caucasus-corpus Parquet layout*, version 1:

==========================  ===========================================================================
``layout.json``             format name, layout version, the corpus's data version and fingerprint,
                            the token rules' version (``token_rules``; a folder made with other
                            rules is refused: rebuild it), and the rows, size and sha256 of every
                            file below
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
``release.parquet``         written for a corpus loaded from a release (``layout.json`` then names it
                            under ``release``): the release's own ``datapackage.json`` and every file
                            it lists (``path``, ``data``; a text is left null, the articles table
                            holds it), so that a reader can recompute the fingerprint
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
that is not empty unless ``overwrite=True`` (and even then only one whose ``layout.json`` parses
and names this format: an earlier export, never a folder of other files).

A folder is read as a release is (:func:`read_layout`, :func:`read_checked`): ``layout.json``
is checked field by field and its ``files``, ``articles``, ``shards``, ``n_tokens`` and
``n_types`` against each other; every listed file must be a regular file inside the folder (no
symbolic link on the way), of the size and sha256 listed; the annotation records are checked
against the texts and the registry by the one checker (``release.check``); and the fingerprint
is recomputed from the release files the folder carries, by ``read_manifest`` and the one
checker, never copied from ``layout.json``: tables edited after export are refused, and a folder
without the release's files (texts of your own, or an export older than this check) has no
fingerprint. Every problem is an error naming the file.

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
from ..text.rules import TOKEN_RULES_VERSION, check_token_rules
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
#: The release's own files (``datapackage.json`` and every file it lists; a text whose bytes are
#: its article's text is left null), from which a reader recomputes the fingerprint.
RELEASE_FILE = "release.parquet"
RELEASE_TABLE = {"path": "string", "data": "binary"}

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


def read_table(path: Path, columns: Mapping[str, str], *, data: bytes | None = None, optional: tuple[str, ...] = (),
               **read: Any) -> pd.DataFrame:
    """A Parquet file of the layout as a frame with ``columns`` (their dtypes; list columns as
    Python lists), parsed from ``data`` when given (the file's bytes, already checked: see
    :func:`read_checked`). A missing or unreadable file, or one without the columns, raises an
    error naming it; ``optional`` columns missing from the file (added to the layout later) are <NA>."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if data is None and not path.is_file():
        raise CorpusIntegrityError(
            f"{path}: file missing from the Parquet folder; write the folder again (corpus.to_parquet) "
            "or restore the file", path=str(path))
    try:
        table = pq.read_table(pa.BufferReader(data) if data is not None else path, **read)
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
    ``overwrite`` it still refuses a folder whose ``layout.json`` is not one of ours (it must
    parse and name our format, see :func:`is_our_layout`), so that a mistyped path never deletes
    someone's files. A target (or staging folder) that is a symbolic link is refused with
    ``CorpusIntegrityError`` (:func:`~caucasus_corpus.release.safefile.folder_inside`).
    """
    from ..release.safefile import folder_inside

    target = Path(directory).expanduser().absolute()
    if os.path.lexists(target) and not target.is_symlink() and not target.is_dir():
        raise FileExistsError(f"{target} is a file, not a folder: give a folder to write the Parquet files into")
    target.parent.mkdir(parents=True, exist_ok=True)  # above the target: the folders the user named
    folder_inside(target.parent, target.name)
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{target} is not empty: choose an empty or new folder, or pass overwrite=True "
                                  "to replace an earlier Parquet export there")
        if not is_our_layout(target):
            raise FileExistsError(f"{target} is not empty and its {LAYOUT_FILE} is missing or not one of a "
                                  f"{FORMAT} export, so it is not an earlier Parquet export: refusing to delete its "
                                  "files even with overwrite=True; choose an empty or new folder")
    stage = target.parent / f".{target.name}.writing-{os.getpid()}"
    old = target.parent / f".{target.name}.replaced-{os.getpid()}"
    if not os.path.islink(stage):
        shutil.rmtree(stage, ignore_errors=True)
    stage = folder_inside(target.parent, stage.name, create=True)
    try:
        yield stage
        if target.exists():
            os.replace(target, old)
        os.replace(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


# The keys of the layouts this package wrote, by version, before a "format" was required here:
# an export with exactly these keys and no format is ours too.
_V1_KEYS = frozenset({"layout_version", "corpus_version", "fingerprint", "has_annotations", "articles", "files"})
_V2_KEYS = _V1_KEYS | {"shards", "n_tokens", "n_types", "vocabulary"}


def is_our_layout(directory: str | os.PathLike[str]) -> bool:
    """Whether ``directory/layout.json`` is a regular file that parses as the layout of an export
    of this package: it names our format, or (an export older than the name) has exactly the
    keys of layout version 1 or 2. Used before ``overwrite=True`` deletes a folder."""
    from ..release.safefile import read_inside

    try:
        raw = read_inside(Path(directory), LAYOUT_FILE)
        layout = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (CorpusIntegrityError, ValueError, RecursionError):
        return False
    if not isinstance(layout, dict):
        return False
    if "format" in layout:
        return layout["format"] == FORMAT and layout.get("layout_version") in (1, 2)
    return set(layout) in (_V1_KEYS, _V2_KEYS)


def read_layout(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The folder's ``layout.json``, checked (:func:`check_layout`): a regular file inside the
    folder, our format, a layout version this code reads, every field of the right type, every
    path inside the folder, and ``files``, ``articles``, ``shards``, ``n_tokens`` and ``n_types``
    agreeing with each other. Anything else is a ``CorpusFormatError`` naming the file."""
    from ..release.safefile import read_inside

    root = Path(directory).expanduser()
    path = root / LAYOUT_FILE
    raw = read_inside(root, LAYOUT_FILE)
    if raw is None:
        raise CorpusNotFoundError(f"{path} not found: {root} is not a folder written by corpus.to_parquet "
                                  "(or cc.build_parquet)")
    try:
        layout = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise CorpusFormatError(f"{path}: not valid JSON ({why}); write the folder again") from None
    if not isinstance(layout, dict) or layout.get("format") != FORMAT:
        raise CorpusFormatError(f"{path}: format is not {FORMAT!r}; this folder was not written by caucasus_corpus")
    if layout.get("layout_version") not in (1, 2) or isinstance(layout.get("layout_version"), bool):
        raise CorpusFormatError(f"{path}: layout version {layout.get('layout_version')!r} is not one this "
                                "caucasus_corpus reads (1 or 2); update caucasus_corpus")
    check_layout(layout, path)
    check_token_rules(layout, str(path))  # stored tokens made by other rules are refused
    return layout


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def _contained(name: object) -> bool:
    """A relative POSIX path that stays inside the folder (lexically; links are refused on reading)."""
    if not isinstance(name, str) or not name or "\\" in name or "\0" in name or name.startswith("/") or ":" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def check_layout(layout: Mapping[str, Any], path: Path) -> None:
    """Every check of ``layout.json`` that needs no other file (see :func:`read_layout`)."""
    import re

    def bad(what: str) -> CorpusFormatError:
        return CorpusFormatError(f"{path}: {what}; this is not a layout.json as caucasus_corpus writes it (or it was "
                                 "edited): write the folder again")

    if not (layout.get("corpus_version") is None or isinstance(layout.get("corpus_version"), str)):
        raise bad("corpus_version must be a string or null")
    fp = layout.get("fingerprint")
    if not (fp is None or (isinstance(fp, str) and re.fullmatch(r"[0-9a-f]{64}", fp))):
        raise bad("fingerprint must be 64 lower-case hex digits or null")
    if not isinstance(layout.get("has_annotations"), bool):
        raise bad("has_annotations must be true or false")
    files = layout.get("files")
    if not isinstance(files, dict):
        raise bad("files must be an object naming every file with its rows, bytes and sha256")
    for name, entry in files.items():
        if not _contained(name):
            raise bad(f"the file {name!r} is not a relative path inside the folder")
        if not (isinstance(entry, dict) and _count(entry.get("rows")) and _count(entry.get("bytes"))
                and isinstance(entry.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])):
            raise bad(f"files[{name!r}] must hold rows and bytes (whole numbers) and sha256 (64 hex digits)")
    articles = layout.get("articles")
    if not (isinstance(articles, list) and all(isinstance(a, str) for a in articles)):
        raise bad("articles must be a list of file names")
    annotation = {f"{n}.parquet" for n in ANNOTATION_TABLES} if layout["has_annotations"] else set()
    if "release" in layout:
        if layout["release"] != RELEASE_FILE or fp is None:
            raise bad(f"release must be \"{RELEASE_FILE}\", and only with a fingerprint")
        annotation.add(RELEASE_FILE)
    if layout["layout_version"] == 1:
        expected = {"articles.parquet", "tokens.parquet", *annotation}
        if articles != ["articles.parquet"]:
            raise bad("articles must be [\"articles.parquet\"] in layout version 1")
    else:
        shards, vocabulary = layout.get("shards"), layout.get("vocabulary")
        if not isinstance(shards, list):
            raise bad("shards must be a list of shards")
        for i, shard in enumerate(shards):
            if not (isinstance(shard, dict) and shard.get("folder") == f"shards/{i:05d}" and _count(shard.get("articles"))
                    and _count(shard.get("tokens"))):
                raise bad(f"shard {i} must be {{\"folder\": \"shards/{i:05d}\", \"articles\": N, \"tokens\": N}}")
            for what in ("articles", "tokens"):
                entry = files.get(f"{shard['folder']}/{what}.parquet")
                if entry is None or entry["rows"] != shard[what]:
                    raise bad(f"shard {i} lists {shard[what]:,} {what} but files holds "
                              + ("no such file" if entry is None else f"{entry['rows']:,} rows"))
        if vocabulary != "vocabulary.parquet":
            raise bad("vocabulary must be \"vocabulary.parquet\"")
        if articles != [f"{s['folder']}/articles.parquet" for s in shards]:
            raise bad("articles must list the articles.parquet of every shard, in shard order")
        if not (_count(layout.get("n_tokens")) and layout["n_tokens"] == sum(s["tokens"] for s in shards)):
            raise bad(f"n_tokens ({layout.get('n_tokens')!r}) must be the shards' tokens added up "
                      f"({sum(s['tokens'] for s in shards):,})")
        if not (vocabulary in files and _count(layout.get("n_types")) and layout["n_types"] == files[vocabulary]["rows"]):
            raise bad(f"n_types ({layout.get('n_types')!r}) must be the vocabulary's rows")
        expected = {vocabulary, *annotation, *(f"{s['folder']}/{w}.parquet" for s in shards for w in ("articles", "tokens"))}
    if set(files) != expected:
        extra, missing = sorted(set(files) - expected), sorted(expected - set(files))
        raise bad("files " + (f"lists {', '.join(extra)}, which no table of this layout is" if extra
                              else f"does not list {', '.join(missing)}"))


def read_checked(root: Path, name: str, entry: Mapping[str, Any]) -> bytes:
    """The bytes of a listed file, read once, after checking that it is a regular file inside the
    folder (no symbolic link on the way: :func:`~caucasus_corpus.release.safefile.folder_inside`,
    :func:`~caucasus_corpus.release.safefile.read_inside`) whose size and sha256 are those of
    ``layout.json``; ``CorpusIntegrityError`` naming it otherwise."""
    from ..release.safefile import folder_inside, read_inside

    path = root / name
    folder_inside(root, name.rpartition("/")[0])
    data = read_inside(root, name)
    if data is None:
        raise CorpusIntegrityError(f"{path}: file missing from the Parquet folder (layout.json lists it); "
                                   "write the folder again or restore the file", path=str(path))
    if len(data) != entry["bytes"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise CorpusIntegrityError(f"{path}: the file changed after it was written (its size or sha256 differs from "
                                   "layout.json); write the folder again or restore the file", path=str(path))
    return data


def read_listed(root: Path, name: str, entry: Mapping[str, Any], columns: Mapping[str, str], *,
                optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """A listed table, checked (:func:`read_checked`), with as many rows as ``layout.json`` says;
    ``optional`` as in :func:`read_table`."""
    frame = read_table(root / name, columns, data=read_checked(root, name, entry), optional=optional)
    if len(frame) != entry["rows"]:
        raise CorpusFormatError(f"{root / name}: {len(frame):,} rows, but layout.json lists {entry['rows']:,}; "
                                "write the folder again")
    return frame


def open_listed(root: Path, name: str):  # type: ignore[no-untyped-def]
    """A listed file opened for a partial read (e.g. one column): a regular file inside the
    folder, no link followed; its sha256 is checked whenever it is read whole."""
    import stat as st

    from ..release.safefile import folder_inside

    path = root / name
    folder_inside(root, name.rpartition("/")[0])
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise CorpusIntegrityError(f"{path}: cannot be opened ({exc.strerror or exc}); it must be a regular file "
                                   "inside the folder, not a link: restore it or write the folder again",
                                   path=str(path)) from None
    f = os.fdopen(fd, "rb")
    if not st.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        raise CorpusIntegrityError(f"{path}: not a regular file; restore it or write the folder again", path=str(path))
    return f


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


def release_files(corpus: CorpusLike) -> dict[str, bytes | None] | None:
    """The files of the release ``corpus`` was loaded from (path -> bytes; None for a text whose
    bytes are its article's text, which the articles table carries), or None when they cannot be
    had: no fingerprint, no release folder, or a folder that changed since the corpus was loaded
    (its fingerprint differs)."""
    from ..release.commit import read_lock
    from ..release.layout import MANIFEST_NAME
    from ..release.manifest import read_manifest
    from ..release.safefile import read_inside

    if corpus.fingerprint is None:
        return None
    known = _SOURCES.get(id(corpus))
    if known is not None and known[0]() is corpus:
        return known[1]
    if corpus.root is None:
        return None
    root = Path(corpus.root)
    try:
        with read_lock(root):
            manifest = read_manifest(root)
            if manifest.fingerprint != corpus.fingerprint:
                return None
            data = manifest.read_all()
            raw = read_inside(root, MANIFEST_NAME)
    except (CorpusIntegrityError, CorpusFormatError, CorpusNotFoundError):
        return None
    if raw is None:
        return None
    articles = corpus.articles
    texts = {p: corpus.text(a) for a, p in zip(articles["article_id"], articles["path"]) if isinstance(p, str)}
    out: dict[str, bytes | None] = {MANIFEST_NAME: raw}
    for path, value in data.items():
        out[path] = None if path in texts and texts[path].encode("utf-8") == value else value
    return out


def add_release(stage: Path, layout: dict[str, Any], corpus: CorpusLike) -> None:
    """Write the release table (:data:`RELEASE_FILE`) and set the layout's fingerprint when the
    release's files can be had (:func:`release_files`); otherwise the fingerprint stays null,
    since a reader could not recompute it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    found = release_files(corpus)
    if found is None:
        return
    path = stage / RELEASE_FILE
    table = pa.table({"path": pa.array(list(found), pa.string()), "data": pa.array(list(found.values()), pa.binary())})
    pq.write_table(table, path)
    layout["files"][RELEASE_FILE] = file_entry(path, len(found))
    layout["fingerprint"], layout["release"] = corpus.fingerprint, RELEASE_FILE


# Corpora read by from_parquet, by id: their release files, so that writing one again keeps them.
_SOURCES: dict[int, tuple[Any, dict[str, bytes | None]]] = {}


def _remember(corpus: Corpus, files: dict[str, bytes | None]) -> None:
    import weakref

    key = id(corpus)
    _SOURCES[key] = (weakref.ref(corpus), files)
    weakref.finalize(corpus, _SOURCES.pop, key, None)


def read_release(root: Path, layout: Mapping[str, Any], articles: pd.DataFrame):  # type: ignore[no-untyped-def]
    """(checked release, its files) recomputed from the folder's release table and article texts,
    or None when the folder carries no release table.

    The release's own ``datapackage.json`` and files go through ``read_manifest`` and the one
    checker (:func:`~caucasus_corpus.release.check.check_release`) as ``load()`` reads a release,
    so the fingerprint is recomputed from the bytes and every record is checked; a fingerprint
    that differs from ``layout.json``'s raises ``CorpusIntegrityError``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..release.check import check_release
    from ..release.manifest import read_manifest

    if "release" not in layout:
        return None
    where = root / RELEASE_FILE
    try:
        table = pq.read_table(pa.BufferReader(read_checked(root, RELEASE_FILE, layout["files"][RELEASE_FILE])))
        paths, blobs = table.column("path").to_pylist(), table.column("data").to_pylist()
    except (pa.ArrowException, KeyError, OSError) as exc:
        raise CorpusFormatError(f"{where}: not a release table ({exc}); write the folder again") from None
    texts = {p: t for p, t in zip(articles["path"], articles["text"]) if isinstance(p, str)}
    files: dict[str, bytes | None] = {}
    for path, blob in zip(paths, blobs):
        if not isinstance(path, str) or path in files or (blob is None and path not in texts):
            raise CorpusFormatError(f"{where}: the row for {path!r} repeats, or names no file and no article's text; "
                                    "write the folder again")
        files[path] = blob
    resolved = {p: (b if b is not None else texts[p].encode("utf-8")) for p, b in files.items()}
    manifest = read_manifest(where, read=resolved.get)
    # remembered: the JSON Schema pass is skipped for bytes that passed the whole check before, as
    # in load() (the fingerprint is recomputed from them, so it names exactly those bytes).
    checked = check_release(manifest, remembered=True)
    checked.raise_first()
    if manifest.fingerprint != layout["fingerprint"]:
        raise CorpusIntegrityError(
            f"{root / LAYOUT_FILE}: fingerprint {layout['fingerprint']} is not the one of the release files the folder "
            f"carries ({manifest.fingerprint}, recomputed); the data changed after export: write the folder again",
            path=str(root / LAYOUT_FILE))
    return checked, files


def same_as_release(corpus: Corpus, checked: Any, root: Path) -> None:
    """Refuse tables that differ from the release files the fingerprint covers: the articles and
    every annotation frame must equal those ``load()`` makes from that release."""
    from ..model.articles import articles_frame
    from ..model.corpus import Corpus as _Corpus

    annotations = checked.annotations if checked.annotations.actors else None
    release = _Corpus(articles=articles_frame([row for _line, row in checked.rows], checked.texts), texts=checked.texts,
                      annotations=annotations)
    names = ["articles"] + (["mentions", "claims", "threats", "stance", "actors", "topics", "annotations"]
                            if release.has_annotations or corpus.has_annotations else [])
    if release.has_annotations != corpus.has_annotations or release.article_ids != corpus.article_ids:
        names.insert(0, "article ids or annotations")
    for name in names:
        if name.startswith("article ids") or not getattr(corpus, name).equals(getattr(release, name)):
            table = "articles" if name == "annotations" else name
            raise CorpusIntegrityError(
                f"{root / (table + '.parquet') if table in TABLES else root}: the {name} differ from the release files "
                f"that the fingerprint covers ({RELEASE_FILE}); the tables were edited after export: write the folder "
                "again", path=str(root))


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
                  "fingerprint": None, "has_annotations": corpus.has_annotations,
                  "articles": ["articles.parquet"], "files": files}
        add_release(stage, layout, corpus)
        layout["token_rules"] = TOKEN_RULES_VERSION  # the tokens' rules: a folder made with others is refused
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

    parts = [read_listed(root, name, layout["files"][name], ARTICLE_TABLE, optional=PROVENANCE_COLUMNS)
             for name in layout["articles"]]
    return pd.concat(parts, ignore_index=True).astype(ARTICLE_TABLE) if parts else typed_frame([], ARTICLE_TABLE)


def read_annotations(root: Path, layout: Mapping[str, Any], texts: Mapping[str, str], *,
                     check: bool = True):  # type: ignore[no-untyped-def]
    """The folder's annotations (AnnotationData), checked against ``texts`` (every article that
    has a record) and the registry by the one checker (:func:`check_records`) unless ``check`` is
    false (the caller compares them with a checked release instead); None when the folder has none."""
    if not layout.get("has_annotations"):
        return None
    tables = {n: read_listed(root, f"{n}.parquet", layout["files"][f"{n}.parquet"], TABLES[n]) for n in ANNOTATION_TABLES}
    data = annotation_data(tables)
    if check:
        check_records(data, texts, root)
    return data


def _schema_files() -> dict[str, bytes]:
    """The JSON Schemas of the release bundled with this package (a Parquet folder carries none)."""
    from ..release.layout import ACTOR_SCHEMA, RECORD_SCHEMA
    from ..release.manifest import bundled_root
    from ..release.safefile import read_inside

    root = bundled_root()
    return {name: read_inside(root, name) or b"" for name in (ACTOR_SCHEMA, RECORD_SCHEMA)}


def check_records(data: Any, texts: Mapping[str, str], root: Path) -> None:
    """Check the annotations read from a Parquet folder as ``load()`` checks a release's: the
    one checker (:func:`caucasus_corpus.release.check.check_annotations`) runs on them, written
    out as the release files they come from, against ``texts`` and the registry, with the
    bundled release's schemas. Raises ``CorpusValidationError`` listing every problem, each
    named by the table and record id."""
    from ..authoring.writer import actor_lines, topics_tsv
    from ..errors import CorpusValidationError
    from ..release.check import check_annotations
    from ..release.layout import ACTORS_FILE, CAMEO_FILE, TOPICS_FILE, records_path
    from ..release.schemas import SchemaSet

    files = _schema_files()
    files[ACTORS_FILE] = actor_lines(data.actors).encode("utf-8")
    files[TOPICS_FILE] = topics_tsv(data.topics).encode("utf-8")
    cameo = "".join(f"{c}\t{n}\n" for c, n in data.cameo.items() if "\t" not in c + n and "\n" not in c + n)
    files[CAMEO_FILE] = ("code\tname\n" + cameo).encode("utf-8")
    by_article: dict[str, list[dict[str, Any]]] = {}
    for rec in data.records:
        by_article.setdefault(str(rec["article_id"]), []).append(rec)
    table_of: dict[tuple[str, int], str] = {}
    for article, recs in by_article.items():
        path = records_path(article) if _contained(article) else f"annotations/records/{article!r}.jsonl"
        files[path] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode("utf-8")
        for n, rec in enumerate(recs, start=1):
            table_of[(path, n)] = f"{LAYER_TABLES.get(rec['layer'], 'records')}.parquet"
    problems, _checked = check_annotations(files, dict(texts), SchemaSet(files))
    if problems:
        shown = []
        for p in problems:
            table = table_of.get((p.file, p.line or 0))
            shown.append(f"{root / table}: {p.message}" if table else f"{root}: {p.file}: {p.message}")
        raise CorpusValidationError(shown)


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
    if len(texts) != len(articles):
        raise CorpusFormatError(f"{root}: an article id appears twice in the articles tables; write the folder again")
    release = read_release(root, layout, articles)
    corpus = Corpus(articles=articles.drop(columns="text").reset_index(drop=True), texts=texts,
                    version=layout.get("corpus_version"), fingerprint=None if release is None else layout["fingerprint"],
                    root=None, annotations=read_annotations(root, layout, texts, check=release is None))
    if release is not None:
        same_as_release(corpus, release[0], root)
        _remember(corpus, release[1])
    return corpus
