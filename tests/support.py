"""Shared test builders: paths of the checkout, a small fictional release written through the
library's own writer, and docstring column parsing. Imported by tests as ``from support import ...``;
``conftest.py`` turns some of them into fixtures.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_277601ae54135c83.txt"
SEED_SHA256 = "d91f92467c680dfc3d75addd3852f26eedbe03e2c0033412a668801d4eed01b8"
SEED_ID = "commonspace-2017-05-17-azerbaijan-russia-low-point"
NOTEBOOKS_DIR = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"


def copy_release(src: Path, dst: Path) -> Path:
    """A writable copy of a release folder (manifest, corpus/, annotations/)."""
    dst.mkdir(parents=True)
    shutil.copy2(src / "datapackage.json", dst / "datapackage.json")
    for folder in ("corpus", "annotations"):
        if (src / folder).is_dir():
            shutil.copytree(src / folder, dst / folder)
    return dst

_COLUMN_LINE = re.compile(r"^(\w+) : (\S+)$")


def documented_columns(obj: object) -> dict[str, str]:
    """``{column: dtype}`` from the ``Columns`` section of an object's docstring (numpydoc style)."""
    import inspect

    doc = inspect.getdoc(obj) or ""
    lines = doc.splitlines()
    try:
        start = lines.index("Columns") + 2  # skip the dashes under the heading
    except ValueError:
        raise AssertionError(f"{obj!r} has no 'Columns' section in its docstring") from None
    cols: dict[str, str] = {}
    for line in lines[start:]:
        if line and not line.startswith(" ") and not _COLUMN_LINE.match(line):
            break  # the next section
        m = _COLUMN_LINE.match(line)
        if m:
            cols[m.group(1)] = m.group(2)
    return cols


def actual_columns(frame) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {str(c): str(t) for c, t in frame.dtypes.items()}


# -- a small fictional release -------------------------------------------------------------------
# Invented names and places (Varnia, Ostrel, Pell Andor, Kesa Rimm): test data, never corpus data.

FICTION_ID = "varnia-ostrel-dam"
FICTION_TEXT = (
    "Varnia warns Ostrel over river dam\n"
    "1 March 2031\n"
    "\n"
    "Varnian foreign minister Pell Andor said on Monday that the dam \"threatens our farms\". "
    "Andor added: \"If Ostrel keeps building, we will close the border.\" "
    "Kesa Rimm, an MP, welcomed the warning. Some observers doubt that Varnia will act.\n"
)
FICTION_ACTORS = [
    {"actor_id": "varnia", "name": "Varnia", "kind": "state", "aliases": ["Varnia"], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "ostrel", "name": "Ostrel", "kind": "state", "aliases": ["Ostrel"], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "pell-andor", "name": "Pell Andor", "kind": "person", "aliases": ["Pell Andor", "Andor", "P. Andor"],
     "alias_sources": {"P. Andor": "fictional test source"}, "role": "foreign minister", "affiliation": "varnia", "country": "", "notes": "fictional"},
    {"actor_id": "kesa-rimm", "name": "Kesa Rimm", "kind": "person", "aliases": ["Kesa Rimm"], "role": "MP", "affiliation": "varnia", "country": "", "notes": "fictional"},
    {"actor_id": "observers", "name": "some observers", "kind": "unnamed", "aliases": ["Some observers"], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
    {"actor_id": "author", "name": "the author", "kind": "unnamed", "aliases": [], "role": "", "affiliation": "", "country": "", "notes": "fictional"},
]
FICTION_TOPICS = "topic_id\tlabel\tdescription\ndam\tthe river dam\tThe dam Ostrel is building (fictional).\n"


def span(text: str, quoted: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``quoted`` in ``text``."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(quoted, i + 1)
    return i, i + len(quoted)


def fiction_records(text: str = FICTION_TEXT, article_id: str = FICTION_ID) -> list[dict]:
    def rec(rid: str, layer: str, quoted: str, **attrs: object) -> dict:
        s, e = span(text, quoted)
        return {"id": rid, "article_id": article_id, "layer": layer, "start": s, "end": e, "text": quoted, "annotator": "test", **attrs}

    def cue(quoted: str) -> dict:
        s, e = span(text, quoted)
        return {"start": s, "end": e, "text": quoted}

    return [
        rec("f-m1", "mention", "Pell Andor", actor="pell-andor", form="name"),
        rec("f-m2", "mention", "Andor", actor="pell-andor", form="name") | dict(zip(("start", "end"), span(text, "Andor", 1))),
        rec("f-m3", "mention", "Kesa Rimm", actor="kesa-rimm", form="name"),
        rec("f-m4", "mention", "an MP", actor="kesa-rimm", form="nominal"),
        rec("f-c1", "claim", "threatens our farms", speaker="pell-andor", cue=cue("said"), attribution="direct",
            claim_type="evaluation", targets=["ostrel"]),
        rec("f-c2", "claim", "If Ostrel keeps building, we will close the border.", speaker="pell-andor", cue=cue("added"),
            attribution="direct", claim_type="assertion", targets=["ostrel"]),
        rec("f-c3", "claim", "doubt that Varnia will act", speaker="observers", cue=None, attribution="indirect",
            claim_type="prediction", targets=["varnia"]),
        rec("f-t1", "threat", "If Ostrel keeps building, we will close the border.", speaker="pell-andor", target="ostrel",
            explicitness="explicit", cameo="1381", plover_mode="restrict", cue=None),
        rec("f-s1", "stance", "welcomed the warning", holder="kesa-rimm", target="pell-andor", polarity="favor"),
        rec("f-s2", "stance", "threatens our farms", holder="pell-andor", target="dam", polarity="against"),
    ]


def write_release(root: Path, *, texts: dict[str, str] | None = None, actors: list[dict] | None = None,
                  records: dict[str, list[dict]] | None = None, version: str = "1.0.0", check: bool = True) -> Path:
    """Write a complete release folder (schemas and CAMEO list copied from the checkout).

    Annotations go through the library's record writer, which refuses records that do not
    validate; ``check=False`` writes them as given instead, for tests of broken releases.
    """
    from caucasus_corpus.authoring import annotation_files, save
    from caucasus_corpus.release import build_descriptor, manifest_json, rehash, transaction

    texts = {FICTION_ID: FICTION_TEXT} if texts is None else texts
    actors = FICTION_ACTORS if actors is None else actors
    records = {FICTION_ID: fiction_records()} if records is None else records
    (root / "corpus" / "texts").mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "corpus" / "schema", root / "corpus" / "schema", dirs_exist_ok=True)
    with open(root / "corpus" / "articles.csv", "w", newline="", encoding="utf-8") as f:
        fields = ["article_id", "path", "title", "published", "outlet", "url", "genre", "language", "byline", "author", "source_file", "notes"]
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for aid, text in texts.items():
            (root / "corpus" / "texts" / f"{aid}.txt").write_text(text, encoding="utf-8", newline="")
            w.writerow({k: "" for k in fields} | {"article_id": aid, "path": f"corpus/texts/{aid}.txt",
                        "title": text.split("\n", 1)[0] or aid, "language": "en", "notes": "fictional test text"})
    if actors:
        ann = root / "annotations"
        (ann / "records").mkdir(parents=True, exist_ok=True)
        shutil.copytree(REPO / "annotations" / "schema", ann / "schema", dirs_exist_ok=True)
        shutil.copy2(REPO / "annotations" / "cameo-1.1b3-threaten.tsv", ann / "cameo-1.1b3-threaten.tsv")
    base = {"name": "test-release", "title": "fictional test release"}
    with transaction(root) as txn:
        txn.write_text("datapackage.json", manifest_json(build_descriptor(root, base=base, version=version, view=txn)))
    if actors:
        topics = [dict(zip(("topic_id", "label", "description"), line.split("\t"))) for line in FICTION_TOPICS.splitlines()[1:]]
        if check:
            save(root, records=records, actors=actors, topics=topics)
        else:
            # A broken release, as someone handing over a hand-edited folder would: records
            # written by hand in the order given and re-hashed, so only the checker can catch them.
            for path, text in annotation_files(actors=actors, topics=topics).items():
                (root / path).write_text(text, encoding="utf-8", newline="")
            for aid, recs in records.items():
                lines = "".join(json.dumps(r) + "\n" for r in recs)
                (root / "annotations" / "records" / f"{aid}.jsonl").write_text(lines, encoding="utf-8", newline="")
        rehash(root, version=version)
    return root


# -- notebooks: shared by the notebook and browser tests ----------------------------------------
def notebooks() -> list[Path]:
    """Every tutorial and explorer notebook (solutions included), in a stable order."""
    return sorted(p for p in NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def write_kernelspec(jupyter_path: Path) -> Path:
    """A ``python3`` kernelspec running *this* interpreter, under ``jupyter_path/kernels``.

    Put ``jupyter_path`` first on ``JUPYTER_PATH``: it is searched before the user's and the
    system's kernelspecs, so a ``python3`` kernel elsewhere (another Python without this package)
    cannot be picked up by mistake.
    """
    spec_dir = jupyter_path / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (caucasus-corpus tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return jupyter_path


# -- Hugging Face datasets, offline: shared by the Parquet and shard tests -------------------------

HF_SCRIPT = r"""
import pickle, sys, datasets
folder, out, configs = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
frames = {c: datasets.load_dataset(folder, c)["train"].to_pandas() for c in configs}
frames["claims via data_files"] = datasets.load_dataset("parquet", data_files={"train": folder + "/claims.parquet"})["train"].to_pandas()
pickle.dump(frames, open(out, "wb"))
"""


def load_with_datasets(folder: Path, configs: list[str], tmp_path: Path) -> dict:
    """Every config (DataFrames by name, and claims read by data_files) as Hugging Face datasets
    reads it in a fresh process that may not use the network."""
    import os
    import pickle
    import subprocess

    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home"),
           "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    out = tmp_path / "frames.pkl"
    subprocess.run([sys.executable, "-c", HF_SCRIPT, str(folder), str(out), ",".join(configs)], env=env, check=True,
                   capture_output=True, timeout=300)
    with out.open("rb") as f:
        return pickle.load(f)


# -- two independent annotators (agreement and adjudication) -------------------------------------
def annotate_two(root: Path) -> Path:
    """ann-a and ann-b on the fictional article: one agreed mention, one mention each alone, and a
    claim both marked with different boundaries and claim types."""
    import caucasus_corpus as cc

    a = cc.annotate(root, FICTION_ID, annotator="ann-a", independent=True)
    with a.batch():
        a.mention(quote="Pell Andor", actor="pell-andor", form="name")
        a.mention(quote="Kesa Rimm", actor="kesa-rimm", form="name")
        a.claim(quote="threatens our farms", speaker="pell-andor", cue="said", attribution="direct",
                claim_type="evaluation", targets=["ostrel"])
    b = cc.annotate(root, FICTION_ID, annotator="ann-b", independent=True)
    with b.batch():
        b.mention(quote="Pell Andor", actor="pell-andor", form="name")
        b.mention(quote="an MP", actor="kesa-rimm", form="nominal")
        b.claim(quote='the dam "threatens our farms"', speaker="pell-andor", cue="said", attribution="direct",
                claim_type="assertion", targets=["ostrel"])
    return root
