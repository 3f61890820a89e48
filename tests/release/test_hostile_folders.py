"""Hostile folders (issue 26, audit round 2): nothing acts outside the release, ``--overwrite``
replaces only our own exports, every Parquet or shard folder is checked like a release, and a
malformed suggestion store is one clear error.

One test per case of ``hostile-audit-2.md`` (8.1, 8.2, 8.3, 5.1, 5.2, 5.4, 2.1 to 2.11), each
reproduced as the report does, plus variants of each class that the report does not list. All
texts, names and places are fictional (``tests/support.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusError, CorpusFormatError, CorpusIntegrityError
from caucasus_corpus.release.commit import TXN_DIR, transaction
from support import FICTION_ID, REPO, write_release

SUGGESTIONS = ".caucasus-corpus-suggestions"


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root`` (links as their targets, never followed)."""
    out: dict[str, bytes | str] = {}
    for here, dirs, names in os.walk(root):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            p = Path(here) / name
            rel = p.relative_to(root).as_posix()
            out[rel] = ("-> " + os.readlink(p)) if p.is_symlink() else p.read_bytes() if p.is_file() else "special"
    return out


@pytest.fixture()
def victim(tmp_path: Path) -> Path:
    """A folder outside every release, holding someone's work."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.txt").write_text("3 years of work (fictional)\n", encoding="utf-8")
    return home


def plant_plan(rel: Path, plan: list[dict], staged: dict[str, str]) -> None:
    txn = rel / TXN_DIR
    for path, text in staged.items():
        (txn / "files" / path).parent.mkdir(parents=True, exist_ok=True)
        (txn / "files" / path).write_text(text, encoding="utf-8")
    (txn / "plan.json").write_text(json.dumps(plan), encoding="utf-8")


# -- A. nothing acts outside the release -------------------------------------------------------------


def test_8_1_planted_plan_through_a_linked_data_folder_is_refused_by_validate(tmp_path: Path, victim: Path) -> None:
    rel = write_release(tmp_path / "handed-over")
    (rel / "corpus" / "evil").symlink_to(victim)
    plant_plan(rel, [{"op": "delete", "path": "corpus/evil/thesis.txt"}, {"op": "write", "path": "corpus/evil/planted.sh"}],
               {"corpus/evil/planted.sh": "echo planted\n"})
    before = tree(victim)
    problems = [str(p) for p in cc.release.validate(rel)]
    assert tree(victim) == before
    assert (rel / TXN_DIR / "plan.json").is_file(), "the refused plan must be left in place"
    assert any("corpus/evil" in p and "symbolic link" in p for p in problems), problems


def test_8_2_planted_plan_through_a_hidden_link_is_refused_by_load(tmp_path: Path, victim: Path) -> None:
    rel = write_release(tmp_path / "handed-over")
    (rel / ".cache").symlink_to(victim)
    plant_plan(rel, [{"op": "delete", "path": ".cache/thesis.txt"}, {"op": "write", "path": ".cache/planted.sh"}],
               {".cache/planted.sh": "echo planted\n"})
    before = tree(victim)
    with pytest.raises(CorpusError, match=r"\.cache.*symbolic link") as caught:
        cc.load(rel)
    assert "left in place" in str(caught.value)
    assert tree(victim) == before
    assert (rel / TXN_DIR / "plan.json").is_file()
    assert cc.release.validate(rel), "validate must not call a folder with a refused plan valid"


def test_8_3_linked_staging_folder_is_refused_and_nothing_outside_touched(tmp_path: Path, victim: Path) -> None:
    rel = write_release(tmp_path / "handed-over")
    (rel / TXN_DIR).symlink_to(victim)
    before = tree(victim)
    with pytest.raises(CorpusError):
        cc.load(rel)
    assert tree(victim) == before


@pytest.mark.parametrize("where", ["deep", "leaf-parent"])
def test_plan_through_a_link_deeper_in_the_chain(tmp_path: Path, victim: Path, where: str) -> None:
    rel = write_release(tmp_path / "r")
    (rel / "corpus" / "a" / "b").mkdir(parents=True)
    link = rel / "corpus" / "a" / "b" / "c" if where == "deep" else rel / "corpus" / "c"
    link.symlink_to(victim)
    inner = link.relative_to(rel).as_posix()
    plant_plan(rel, [{"op": "write", "path": f"{inner}/thesis.txt"}], {f"{inner}/thesis.txt": "overwritten\n"})
    before = tree(victim)
    with pytest.raises(CorpusError, match="symbolic link"):
        cc.load(rel)
    assert tree(victim) == before


def test_plan_whose_staged_file_lies_behind_a_link_is_refused(tmp_path: Path, victim: Path) -> None:
    """A staged source reached through a linked folder would move an outside file into the release."""
    rel = write_release(tmp_path / "r")
    (rel / TXN_DIR / "files").mkdir(parents=True)
    (rel / TXN_DIR / "files" / "corpus").symlink_to(victim)
    (rel / TXN_DIR / "plan.json").write_text(json.dumps([{"op": "write", "path": "corpus/thesis.txt"}]), encoding="utf-8")
    before = tree(victim)
    with pytest.raises(CorpusError, match="symbolic link"):
        cc.load(rel)
    assert tree(victim) == before


@pytest.mark.parametrize("path", ["../home/thesis.txt", "corpus/../../home/thesis.txt", "/tmp/x/thesis.txt", "C:/x.txt"])
def test_plan_naming_a_path_outside_is_refused_and_left(tmp_path: Path, victim: Path, path: str) -> None:
    rel = write_release(tmp_path / "r")
    (rel / TXN_DIR).mkdir()
    (rel / TXN_DIR / "plan.json").write_text(json.dumps([{"op": "delete", "path": path}]), encoding="utf-8")
    before = tree(victim)
    with pytest.raises(CorpusError, match="left in place"):
        cc.load(rel)
    assert tree(victim) == before
    assert (rel / TXN_DIR / "plan.json").is_file()


def test_writing_through_a_linked_folder_is_refused_before_the_commit_point(tmp_path: Path, victim: Path) -> None:
    rel = write_release(tmp_path / "r")
    (rel / "corpus" / "out").symlink_to(victim)
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        with transaction(rel) as txn:
            txn.write_text("corpus/out/planted.txt", "x\n")
    assert not (rel / TXN_DIR).exists()
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        with transaction(rel) as txn:
            txn.delete("corpus/out/thesis.txt")
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        with transaction(rel) as txn:
            txn.read_bytes("corpus/out/missing.txt")
    assert (victim / "thesis.txt").is_file() and not (victim / "planted.txt").exists()
    (rel / "corpus" / "out").unlink()
    cc.load(rel)  # nothing was left behind: no plan, no staging


def test_5_1_linked_suggestions_folder_outside(tmp_path: Path) -> None:
    out = tmp_path / "outside"
    out.mkdir()
    a = write_release(tmp_path / "a", records={FICTION_ID: []})
    (a / SUGGESTIONS).symlink_to(out)
    with pytest.raises(CorpusIntegrityError, match=SUGGESTIONS):
        cc.annotate(a, FICTION_ID, annotator="eve").suggest()
    assert os.listdir(out) == []


def test_5_2_suggestions_folder_linked_to_the_records(tmp_path: Path) -> None:
    b = write_release(tmp_path / "b", records={FICTION_ID: []})
    (b / SUGGESTIONS).symlink_to("annotations/records")
    before = tree(b / "annotations")
    session = cc.annotate(b, FICTION_ID, annotator="eve")
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        session.suggest()
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        session.reject("x")
    assert tree(b / "annotations") == before
    cc.load(b)


def test_suggestions_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    r = write_release(tmp_path / "r", records={FICTION_ID: []})
    (r / SUGGESTIONS).write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(CorpusIntegrityError, match="not a folder"):
        cc.annotate(r, FICTION_ID, annotator="eve").suggest()


def test_hidden_working_folders_are_git_ignored(tmp_path: Path) -> None:
    names = [SUGGESTIONS + "/x.jsonl", ".caucasus-corpus-hydration/report.json", ".caucasus-corpus-stage-1/x", TXN_DIR + "/plan.json"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=REPO, capture_output=True, text=True)
    assert sorted(result.stdout.split()) == sorted(names), result


def test_folder_inside(tmp_path: Path, victim: Path) -> None:
    from caucasus_corpus.release.safefile import folder_inside

    root = tmp_path / "root"
    (root / "a" / "b").mkdir(parents=True)
    assert folder_inside(root, "a/b") == root / "a" / "b"
    assert folder_inside(root, "") == root
    made = folder_inside(root, "x/y/z", create=True)
    assert made.is_dir() and made == root / "x" / "y" / "z"
    assert folder_inside(root, "nothing/here") == root / "nothing" / "here"  # nothing followed, nothing made
    assert not (root / "nothing").exists()
    (root / "a" / "link").symlink_to(victim)
    (root / "a" / "file").write_text("x", encoding="utf-8")
    for bad, why in (("a/link", "symbolic link"), ("a/link/deeper", "symbolic link"), ("a/file/x", "not a folder"),
                     ("../home", "inside"), ("a/../../home", "inside"), (str(victim), "inside")):
        with pytest.raises(CorpusIntegrityError, match=why):
            folder_inside(root, bad, create=True)
    assert os.listdir(victim) == ["thesis.txt"]
    (root / "a" / "inner").symlink_to(root / "a" / "b")  # a link that stays inside is refused too
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        folder_inside(root, "a/inner")


# -- D. malformed suggestion rows ------------------------------------------------------------------


@pytest.mark.parametrize("rows", [
    ['{"status": "open", "layer": "mention"}'],  # no suggestion_id
    ["[1, 2]"],
    ['"str"'],
    ['{"suggestion_id": 5, "status": "open", "layer": "mention"}'],
    ['{"suggestion_id": "s1", "status": "maybe", "layer": "mention"}'],
    ['{"suggestion_id": "s1", "status": "open", "layer": ["mention"]}'],
])
def test_5_4_malformed_store_rows_are_one_clear_error(tmp_path: Path, rows: list[str]) -> None:
    r = write_release(tmp_path / "r", records={FICTION_ID: []})
    (r / SUGGESTIONS).mkdir()
    store = r / SUGGESTIONS / f"{FICTION_ID}.jsonl"
    store.write_text("\n".join(rows) + "\n", encoding="utf-8")
    session = cc.annotate(r, FICTION_ID, annotator="eve")
    for call in (session.suggest, lambda: session.accept("s1"), lambda: session.reject("s1")):
        with pytest.raises(CorpusFormatError, match=rf"{FICTION_ID}\.jsonl:1: "):
            call()


# -- B. --overwrite replaces only our own exports ------------------------------------------------------


@pytest.mark.parametrize("layout", ['{"grid": 12}', "not json", '{"format": "something-else", "layout_version": 1}', "[]"])
@pytest.mark.parametrize("writer", ["to_parquet", "shards", "build"])
def test_2_11_overwrite_refuses_a_folder_that_is_not_our_export(tmp_path: Path, layout: str, writer: str) -> None:
    webapp = tmp_path / "webapp"
    (webapp / "src").mkdir(parents=True)
    (webapp / "layout.json").write_text(layout, encoding="utf-8")
    (webapp / "src" / "app.js").write_text("precious\n", encoding="utf-8")
    before = tree(webapp)
    corpus = cc.from_texts({"n-1": "Varnia warns Ostrel."})
    with pytest.raises(FileExistsError, match="layout.json"):
        if writer == "to_parquet":
            corpus.to_parquet(webapp, overwrite=True)
        elif writer == "shards":
            corpus.to_parquet(webapp, shard_tokens=2, overwrite=True)
        else:
            cc.build_parquet({"n-1": "Varnia warns Ostrel."}, webapp, overwrite=True, progress=False)
    assert tree(webapp) == before


def test_2_11_overwrite_still_replaces_our_exports_old_and_new(tmp_path: Path) -> None:
    corpus = cc.from_texts({"n-1": "Varnia warns Ostrel."})
    out = corpus.to_parquet(tmp_path / "pq")
    assert json.loads((out / "layout.json").read_text(encoding="utf-8"))["format"] == "caucasus-corpus-parquet"
    corpus.to_parquet(out, shard_tokens=2, overwrite=True)
    corpus.to_parquet(out, overwrite=True)
    assert cc.from_parquet(out).text("n-1") == "Varnia warns Ostrel."


def test_overwrite_accepts_an_export_older_than_the_format_name(tmp_path: Path) -> None:
    corpus = cc.from_texts({"n-1": "Varnia warns Ostrel."})
    out = corpus.to_parquet(tmp_path / "old")
    v1 = {"layout_version", "corpus_version", "fingerprint", "has_annotations", "articles", "files"}
    edit_layout(out, lambda lay: [lay.pop(k) for k in list(lay) if k not in v1])
    corpus.to_parquet(out, overwrite=True)
    edit_layout(out, lambda lay: [lay.pop(k) for k in list(lay) if k not in v1])
    edit_layout(out, lambda lay: lay.__setitem__("grid", 12))
    with pytest.raises(FileExistsError):  # one key more than ours: not ours
        corpus.to_parquet(out, overwrite=True)


def test_overwrite_refuses_a_linked_target(tmp_path: Path, victim: Path) -> None:
    corpus = cc.from_texts({"n-1": "Varnia warns Ostrel."})
    real = corpus.to_parquet(tmp_path / "real")
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        corpus.to_parquet(tmp_path / "link", overwrite=True)
    (tmp_path / f".elsewhere.writing-{os.getpid()}").symlink_to(victim)  # a planted staging folder
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        corpus.to_parquet(tmp_path / "elsewhere")
    assert os.listdir(victim) == ["thesis.txt"]


# -- C. every Parquet or shard folder is checked like a release ------------------------------------------


def rehash_layout(folder: Path) -> None:
    """Make layout.json's entries match the files, as someone handing over an edited folder would."""
    lay = json.loads((folder / "layout.json").read_text(encoding="utf-8"))
    for name, entry in lay["files"].items():
        if (folder / name).is_file():
            data = (folder / name).read_bytes()
            entry.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    (folder / "layout.json").write_text(json.dumps(lay), encoding="utf-8")


def edit_layout(folder: Path, edit) -> None:  # type: ignore[no-untyped-def]
    lay = json.loads((folder / "layout.json").read_text(encoding="utf-8"))
    edit(lay)
    (folder / "layout.json").write_text(json.dumps(lay), encoding="utf-8")


def edit_table(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    t = pq.read_table(path)
    df = t.to_pandas()
    edit(df)
    pq.write_table(pa.Table.from_pandas(df, schema=t.schema, preserve_index=False), path)


@pytest.fixture(scope="module")
def release_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[cc.Corpus, Path, Path]:
    base = tmp_path_factory.mktemp("export")
    corpus = cc.load(write_release(base / "r"))
    return corpus, corpus.to_parquet(base / "pq"), corpus.to_parquet(base / "shards", shard_tokens=40)


@pytest.fixture()
def pq_folder(release_export, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    import shutil

    return Path(shutil.copytree(release_export[1], tmp_path / "pq"))


@pytest.fixture()
def shard_folder(release_export, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    import shutil

    return Path(shutil.copytree(release_export[2], tmp_path / "shards"))


def test_2_1_edited_file_without_rehash_is_refused(pq_folder: Path) -> None:
    edit_table(pq_folder / "claims.parquet", lambda df: df.__setitem__("start", df["start"] + 1))
    with pytest.raises(CorpusIntegrityError, match="claims.parquet"):
        cc.from_parquet(pq_folder)


@pytest.mark.parametrize("edit", ["offsets", "text", "speaker"])
@pytest.mark.parametrize("folder", ["pq", "shards"])
def test_2_2_edited_records_are_checked_against_texts_and_registry(pq_folder: Path, shard_folder: Path, edit: str,
                                                                   folder: str) -> None:
    d = pq_folder if folder == "pq" else shard_folder

    def change(df: pd.DataFrame) -> None:
        if edit == "offsets":
            df.loc[0, ["start", "end"]] = [-7, 99999]
        elif edit == "text":
            df.loc[0, "text"] = "Kremlin"
        else:
            df["speaker"] = "x-unregistered"

    edit_table(d / "claims.parquet", change)
    rehash_layout(d)
    with pytest.raises(CorpusError, match="claims"):
        cc.from_parquet(d)
    if folder == "shards":
        with pytest.raises(CorpusError, match="claims"):
            cc.open_parquet(d).claim_frequency()


def test_2_2_fingerprint_is_recomputed_not_copied(release_export, pq_folder: Path, shard_folder: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = release_export[0]
    assert cc.from_parquet(pq_folder).fingerprint == corpus.fingerprint
    assert cc.open_parquet(shard_folder).fingerprint == corpus.fingerprint
    # a checker-valid edit of a table (another claim type), everything re-hashed: not the release any more
    for folder in (pq_folder, shard_folder):
        edit_table(folder / "claims.parquet", lambda df: df.__setitem__(
            "claim_type", ["prediction" if v != "prediction" else "evaluation" for v in df["claim_type"]]))
        rehash_layout(folder)
    with pytest.raises(CorpusIntegrityError, match="claims.parquet"):
        cc.from_parquet(pq_folder)
    with pytest.raises(CorpusIntegrityError, match="claims.parquet"):
        cc.open_parquet(shard_folder).fingerprint


def test_fingerprint_of_edited_release_files_is_recomputed(release_export, pq_folder: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = release_export[0]
    records = f"annotations/records/{FICTION_ID}.jsonl"

    def edit(df: pd.DataFrame) -> None:  # the release's records file with one claim type changed
        at = df.index[df["path"] == records][0]
        df.at[at, "data"] = df.at[at, "data"].replace(b'"assertion"', b'"prediction"', 1)

    edit_table(pq_folder / "release.parquet", edit)
    rehash_layout(pq_folder)
    with pytest.raises(CorpusIntegrityError, match=records):  # the records no longer match the manifest's sha256
        cc.from_parquet(pq_folder)
    edit_layout(pq_folder, lambda lay: lay.__setitem__("fingerprint", "0" * 64))
    with pytest.raises(CorpusError):
        cc.from_parquet(pq_folder)
    out = cc.from_texts({"n-1": "Varnia warns Ostrel."}).to_parquet(pq_folder.parent / "own")
    assert cc.from_parquet(out).fingerprint is None  # texts of your own: nothing to recompute, none claimed
    assert corpus.fingerprint


def test_a_corpus_read_back_is_written_again_with_its_fingerprint(release_export, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = release_export[0]
    again = cc.from_parquet(release_export[1])
    out = again.to_parquet(tmp_path / "again", shard_tokens=30)
    assert cc.open_parquet(out).fingerprint == corpus.fingerprint
    assert cc.open_parquet(out).to_corpus().fingerprint == corpus.fingerprint


@pytest.mark.parametrize("where", ["../outside/articles.parquet", "ABS"])
def test_2_3_v1_layout_path_outside_is_refused(pq_folder: Path, tmp_path: Path, where: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "articles.parquet").write_bytes((pq_folder / "articles.parquet").read_bytes())
    name = str(outside / "articles.parquet") if where == "ABS" else where

    def edit(lay: dict) -> None:
        lay["articles"] = [name]
        lay["files"][name] = lay["files"]["articles.parquet"]

    edit_layout(pq_folder, edit)
    with pytest.raises(CorpusError, match="inside"):
        cc.from_parquet(pq_folder)


def test_2_3_v2_shard_folder_outside_is_refused(shard_folder: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(shard_folder / "shards" / "00000", tmp_path / "outside")

    def edit(lay: dict) -> None:
        lay["shards"][0]["folder"] = "../outside"
        for name in ("articles", "tokens"):
            lay["files"][f"../outside/{name}.parquet"] = lay["files"].pop(f"shards/00000/{name}.parquet")
        lay["articles"][0] = "../outside/articles.parquet"

    edit_layout(shard_folder, edit)
    with pytest.raises(CorpusError, match="inside"):
        cc.open_parquet(shard_folder).kwic("Varnia")


def test_shard_file_through_a_linked_folder_is_refused(shard_folder: Path, tmp_path: Path) -> None:
    import shutil

    shutil.move(shard_folder / "shards" / "00000", tmp_path / "moved")
    (shard_folder / "shards" / "00000").symlink_to(tmp_path / "moved")
    with pytest.raises(CorpusIntegrityError, match="symbolic link"):
        cc.open_parquet(shard_folder).kwic("Varnia")


def test_2_4_layout_pointing_at_a_device_is_refused(pq_folder: Path) -> None:
    def edit(lay: dict) -> None:
        lay["articles"] = ["/dev/zero"]
        lay["files"]["/dev/zero"] = lay["files"]["articles.parquet"]

    edit_layout(pq_folder, edit)
    with pytest.raises(CorpusError):
        cc.from_parquet(pq_folder)


V1_BREAKS = {
    "files entry missing": lambda lay: lay["files"].pop("claims.parquet"),
    "files a list": lambda lay: lay.__setitem__("files", [1, 2]),
    "articles a string": lambda lay: lay.__setitem__("articles", "articles.parquet"),
    "sha256 a number": lambda lay: lay["files"]["articles.parquet"].__setitem__("sha256", 5),
    "bytes a string": lambda lay: lay["files"]["articles.parquet"].__setitem__("bytes", "12"),
    "has_annotations a string": lambda lay: lay.__setitem__("has_annotations", "yes"),
    "fingerprint a list": lambda lay: lay.__setitem__("fingerprint", [1]),
}
V2_BREAKS = {
    "shards a string": lambda lay: lay.__setitem__("shards", "abc"),
    "no vocabulary": lambda lay: lay.pop("vocabulary"),
    "bytes a string": lambda lay: lay["files"]["vocabulary.parquet"].__setitem__("bytes", "12"),
    "shard count a string": lambda lay: lay["shards"][0].__setitem__("tokens", "5"),
    "n_tokens negative": lambda lay: lay.__setitem__("n_tokens", -1),
    "shard a list": lambda lay: lay["shards"].__setitem__(0, [1]),
}


@pytest.mark.parametrize("name", sorted(V1_BREAKS))
def test_2_5_malformed_v1_layout_is_a_format_error_naming_the_file(pq_folder: Path, name: str) -> None:
    edit_layout(pq_folder, V1_BREAKS[name])
    with pytest.raises(CorpusFormatError, match="layout.json"):
        cc.from_parquet(pq_folder)


@pytest.mark.parametrize("name", sorted(V2_BREAKS))
def test_2_5_malformed_v2_layout_is_a_format_error_naming_the_file(shard_folder: Path, name: str) -> None:
    edit_layout(shard_folder, V2_BREAKS[name])
    with pytest.raises(CorpusFormatError, match="layout.json"):
        cc.open_parquet(shard_folder)


def test_2_5_deeply_nested_layout(pq_folder: Path) -> None:
    (pq_folder / "layout.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CorpusFormatError, match="layout.json"):
        cc.from_parquet(pq_folder)


def test_2_6_layout_with_a_bom(pq_folder: Path) -> None:
    data = (pq_folder / "layout.json").read_bytes()
    (pq_folder / "layout.json").write_bytes(b"\xef\xbb\xbf" + data)
    with pytest.raises(CorpusFormatError, match="layout.json"):
        cc.from_parquet(pq_folder)


@pytest.mark.parametrize("change", ["token id", "start"])
def test_2_7_shard_tokens_out_of_range(shard_folder: Path, change: str) -> None:
    def edit(df: pd.DataFrame) -> None:
        if change == "token id":
            df.loc[0, "token_id"] = 1_000_000
        else:
            df.loc[0, "start"] = -6

    edit_table(shard_folder / "shards" / "00000" / "tokens.parquet", edit)
    rehash_layout(shard_folder)
    with pytest.raises(CorpusFormatError, match="tokens.parquet"):
        cc.open_parquet(shard_folder).kwic("Varnia")


TEXTS = {"a-1": "Varnia warns Ostrel over the dam.", "a-2": "Ostrel answers Varnia.", "a-3": "Kesa watches Varnia."}


@pytest.fixture()
def small_shards(tmp_path: Path) -> Path:
    return cc.build_parquet(TEXTS, tmp_path / "s", shard_tokens=5, progress=False)


def vocabulary_id(folder: Path, token: str) -> int:
    v = pq.read_table(folder / "vocabulary.parquet").to_pandas()
    return int(v.loc[v["token"] == token, "token_id"].iloc[0])


@pytest.mark.parametrize("position", ["middle", "first"])
def test_2_8_relabelled_token_is_refused(small_shards: Path, position: str) -> None:
    varnia, ostrel = vocabulary_id(small_shards, "Varnia"), vocabulary_id(small_shards, "Ostrel")
    path = small_shards / "shards" / "00000" / "tokens.parquet"

    def edit(df: pd.DataFrame) -> None:
        if position == "middle":  # 'Ostrel' in "Varnia warns Ostrel": same length as 'Varnia'
            df.loc[(df["token_id"] == ostrel).idxmax(), "token_id"] = varnia
        else:
            df.loc[0, "token_id"] = ostrel

    edit_table(path, edit)
    rehash_layout(small_shards)
    with pytest.raises(CorpusFormatError, match="tokens.parquet"):
        cc.open_parquet(small_shards).kwic("Varnia")


def test_2_9_vocabulary_count_edited_is_refused(small_shards: Path) -> None:
    edit_table(small_shards / "vocabulary.parquet",
               lambda df: df.__setitem__("n", [1000 if t == "Varnia" else n for t, n in zip(df["token"], df["n"])]))
    rehash_layout(small_shards)
    with pytest.raises(CorpusFormatError, match="vocabulary"):
        cc.open_parquet(small_shards).frequency()


def test_vocabulary_token_edited_is_refused(small_shards: Path) -> None:
    """A vocabulary string changed (same count): the shards' tokens no longer match their texts."""
    edit_table(small_shards / "vocabulary.parquet",
               lambda df: df.__setitem__("token", ["Kesar" if t == "Kesa" else t for t in df["token"]]))
    rehash_layout(small_shards)
    with pytest.raises(CorpusFormatError):
        cc.open_parquet(small_shards).frequency()


@pytest.mark.parametrize("change", ["drop shard", "n_tokens", "shard moved"])
def test_2_10_shards_disagreeing_with_files_and_counts_are_refused(small_shards: Path, change: str) -> None:
    def edit(lay: dict) -> None:
        if change == "drop shard":
            del lay["shards"][1]
        elif change == "n_tokens":
            lay["n_tokens"] += 1
        else:
            lay["shards"][0], lay["shards"][1] = lay["shards"][1], lay["shards"][0]

    edit_layout(small_shards, edit)
    with pytest.raises(CorpusFormatError, match="layout.json"):
        cc.open_parquet(small_shards)


def test_checked_folders_still_read(release_export) -> None:  # type: ignore[no-untyped-def]
    corpus, pq_dir, shard_dir = release_export
    back = cc.from_parquet(pq_dir)
    assert back.fingerprint == corpus.fingerprint
    sharded = cc.open_parquet(shard_dir)
    assert sharded.fingerprint == corpus.fingerprint
    assert len(sharded.kwic("Varnia")) == len(corpus.kwic("Varnia"))
    pd.testing.assert_frame_equal(sharded.frequency(), corpus.frequency())


def test_old_layouts_without_format_checks_still_read(tmp_path: Path) -> None:
    """A v1 export written before the new fields (no token counts beyond those of then) reads,
    as long as its tokens were made by today's token rules (an export without ``token_rules`` is
    refused: tests/text says so)."""
    out = cc.from_texts({"n-1": "Varnia warns Ostrel."}).to_parquet(tmp_path / "old")
    keep = {"format", "layout_version", "corpus_version", "fingerprint", "has_annotations", "articles", "files",
            "token_rules"}
    edit_layout(out, lambda lay: [lay.pop(k) for k in list(lay) if k not in keep])
    assert cc.from_parquet(out).text("n-1") == "Varnia warns Ostrel."


def test_cli_export_overwrite_refuses(tmp_path: Path) -> None:
    webapp = tmp_path / "webapp"
    (webapp / "src").mkdir(parents=True)
    (webapp / "layout.json").write_text('{"grid": 12}', encoding="utf-8")
    (webapp / "src" / "app.js").write_text("precious\n", encoding="utf-8")
    rel = write_release(tmp_path / "r")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-m", "caucasus_corpus", "export", "--format", "parquet", str(webapp),
                             "--overwrite", "--path", str(rel)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode != 0, result
    assert (webapp / "src" / "app.js").is_file()
