"""Hostile releases and hostile input (issue 10): one regression test per finding.

A hostile release is a fictional release edited the way someone handing over a folder could edit
it, then re-hashed so that every sha256 check passes. Every test blocks the network, checks that
``validate`` and ``load()`` agree (one reports what the other raises), and that the folder is
byte-identical after the refusal. Checks that could hang run in a child process with a timeout.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import rehash, release, validate
from caucasus_corpus.release.commit import LOCK_NAME
from support import FICTION_ACTORS, FICTION_ID, FICTION_TEXT, REPO, fiction_records, write_release

RECORDS = f"annotations/records/{FICTION_ID}.jsonl"
TEXT = f"corpus/texts/{FICTION_ID}.txt"
HANG_LIMIT = 240  # seconds; far above the few seconds these checks take, so only a hang fails


@pytest.fixture(autouse=True)
def remembered(request: pytest.FixtureRequest) -> None:
    """The fictional release loads once before it is made hostile, so load() has remembered it
    (release/checkcache.py): every refusal below is checked on the path that skips re-checking."""
    if "fiction" in request.fixturenames:
        cc.load(request.getfixturevalue("fiction"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry of the folder (links as their targets, never followed), except the lock file."""
    out: dict[str, bytes | str] = {}
    for here, dirs, names in os.walk(root):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            p = Path(here) / name
            rel = p.relative_to(root).as_posix()
            if rel == LOCK_NAME:
                continue
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = p.read_bytes()
            else:
                out[rel] = "special"
    return out


def refused(root: Path, *expected: str) -> list[str]:
    """``validate`` reports problems, ``load()`` raises one of them, each naming ``expected``;
    the folder is unchanged. Returns the problems."""
    before = snapshot(root)
    problems = [str(p) for p in validate(root)]
    with pytest.raises(cc.CorpusError) as caught:
        cc.load(root)
    assert problems, "validate called the release valid but load() refused it"
    message = str(caught.value)
    assert any(message in p or p.split(": ", 1)[-1] in message for p in problems), (message, problems)
    for text in expected:
        assert any(text in p for p in problems), (text, problems)
    assert snapshot(root) == before
    return problems


def rewrite(root: Path, rel: str, data: bytes | str) -> None:
    """Replace a file and re-hash the release, as someone handing over an edited folder would."""
    (root / rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    rehash(root)


def manifest_edit(root: Path, edit) -> None:  # type: ignore[no-untyped-def]
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    edit(desc)
    (root / "datapackage.json").write_text(json.dumps(desc, indent=2), encoding="utf-8")


def forge_entry(root: Path, rel: str, data: bytes) -> None:
    """Make the manifest's entry for ``rel`` match ``data`` without touching ``rel`` itself."""
    def edit(desc: dict) -> None:
        for r in desc["resources"]:
            if r["path"] == rel:
                r["hash"], r["bytes"] = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
    manifest_edit(root, edit)


def records_jsonl(recs: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


CHILD = r"""
import socket, sys
def refuse(*a, **k):
    raise AssertionError("a network connection was attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
import caucasus_corpus as cc
problems = cc.release.validate(sys.argv[1])
print("PROBLEMS", len(problems))
for p in problems:
    print(str(p).encode("unicode_escape").decode())
try:
    cc.load(sys.argv[1])
    print("LOADED")
except cc.CorpusError as exc:
    print("REFUSED", type(exc).__name__)
"""


def refused_in_child(root: Path, *expected: str) -> str:
    """``refused`` for checks that could hang: in a child process that must finish in time."""
    before = snapshot(root)
    out = subprocess.run([sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, timeout=HANG_LIMIT)
    assert out.returncode == 0, out.stderr
    assert "REFUSED" in out.stdout and "PROBLEMS 0" not in out.stdout, out.stdout
    for text in expected:
        assert text in out.stdout, out.stdout
    assert snapshot(root) == before
    return out.stdout


# -- 1: a $ref resolves only inside the release's own schemas ---------------------------------------


@pytest.mark.parametrize("ref", ["http://127.0.0.1:9/evil.schema.json", "file:///etc/hostname",
                                 "https://json-schema.org/draft/2020-12/schema"])
def test_1_a_ref_outside_the_release_is_refused_with_file_and_line(fiction: Path, ref: str) -> None:
    path = "annotations/schema/record.schema.json"
    schema = json.loads((fiction / path).read_text())
    schema["properties"]["note"] = {"$ref": ref}
    rewrite(fiction, path, json.dumps(schema, indent=2))
    line = (fiction / path).read_text().splitlines().index(f'      "$ref": "{ref}"') + 1
    refused(fiction, f"{path}:{line}: $ref {ref!r} does not resolve inside this release's schemas")


def test_1_a_ref_to_another_schema_file_of_the_release_works(fiction: Path) -> None:
    path = "annotations/schema/record.schema.json"
    schema = json.loads((fiction / path).read_text())
    schema["properties"]["note"] = {"$ref": "actor.schema.json#/properties/notes"}  # by the actor schema's $id
    rewrite(fiction, path, json.dumps(schema, indent=2))
    assert validate(fiction) == []
    recs = fiction_records()
    recs[0]["note"] = 5
    rewrite(fiction, RECORDS, records_jsonl(recs))
    refused(fiction, f"{RECORDS}:1: mention/f-m1: note: 5 is not of type 'string'")


# -- 2: offsets are JSON integers --------------------------------------------------------------------


@pytest.mark.parametrize("start, end", [(0.0, 5.0), (0, 1e300), (True, 5)])
def test_2_offsets_that_are_not_integers_are_refused(fiction: Path, start: object, end: object) -> None:
    recs = fiction_records()
    recs[0].update(start=start, end=end)
    rewrite(fiction, RECORDS, records_jsonl(recs))
    refused(fiction, f"{RECORDS}:1: mention/f-m1: ", "is not of type 'integer'")


# -- 3: only regular files inside the folder are read, sizes checked first ------------------------------


def test_3_a_symlink_to_dev_zero_is_refused_without_reading_it(fiction: Path) -> None:
    (fiction / TEXT).unlink()
    (fiction / TEXT).symlink_to("/dev/zero")
    refused_in_child(fiction, f"{TEXT}: ", "is a symbolic link to a file outside the release folder")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_3_a_fifo_is_refused_without_blocking(fiction: Path) -> None:
    (fiction / TEXT).unlink()
    os.mkfifo(fiction / TEXT)
    refused_in_child(fiction, f"{TEXT}: ", "is not a regular file")


def test_3_a_symlink_to_a_file_outside_is_neither_read_nor_hashed(fiction: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside.txt"
    secret.write_text("SECRET-OUTSIDE-CONTENT\n" + FICTION_TEXT)
    (fiction / TEXT).unlink()
    (fiction / TEXT).symlink_to(secret)
    forge_entry(fiction, TEXT, secret.read_bytes())  # hashes that match the outside file
    problems = refused(fiction, f"{TEXT}: ", "is a symbolic link to a file outside the release folder")
    assert not any("SECRET" in p for p in problems)
    with pytest.raises(cc.CorpusError, match="outside the release folder"):
        rehash(fiction)  # the release tool does not hash it either
    assert "SECRET" not in (fiction / "datapackage.json").read_text()


def test_3_the_manifest_size_is_checked(fiction: Path) -> None:
    manifest_edit(fiction, lambda d: [r.update(bytes=r["bytes"] + 1) for r in d["resources"] if r["path"] == TEXT])
    refused(fiction, f"{TEXT}: ", "bytes but datapackage.json records")


# -- 4: nothing in the folder is silently ignored ----------------------------------------------------------


def test_4_an_unlisted_actor_registry_is_reported_not_dropped(fiction: Path) -> None:
    manifest_edit(fiction, lambda d: d.update(resources=[r for r in d["resources"] if r["path"] != "annotations/actors.jsonl"]))
    refused(fiction, "annotations/actors.jsonl: is in the release folder but not listed")
    (fiction / "annotations" / "actors.jsonl").unlink()  # gone from the folder as well
    refused(fiction, f"{RECORDS}: annotation records need the actor registry")


def test_4_an_unlisted_records_file_is_reported(fiction: Path) -> None:
    manifest_edit(fiction, lambda d: d.update(resources=[r for r in d["resources"] if r["path"] != RECORDS]))
    refused(fiction, f"{RECORDS}: is in the release folder but not listed")


def test_4_an_extra_unlisted_file_is_reported(fiction: Path) -> None:
    (fiction / "annotations" / "records" / "other.jsonl").write_text("")
    refused(fiction, "annotations/records/other.jsonl: is in the release folder but not listed")


# -- 5: release after a kill or a full disk: changelog and manifest agree ------------------------------------


CHANGELOG = "# Changelog\n\n## Data\n\n### Unreleased\n- A fictional change.\n"


def _stages(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith(".caucasus-corpus-stage-")]


def _agree(root: Path) -> str:
    corpus = cc.load(root)  # settles whatever an interrupted release left
    log = (root / "CHANGELOG.md").read_text()
    released = [line for line in log.splitlines() if line.startswith("### ") and "Unreleased" not in line]
    if corpus.version == "1.0.0":
        assert released == [] and "### Unreleased" in log
    else:
        assert released == [f"### {corpus.version} (2030-01-02)"] and f"`{corpus.fingerprint}`" in log
    return corpus.version


def test_5_a_full_disk_at_any_write_is_a_corpus_error_and_leaves_one_release(fiction: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, timezone

    from caucasus_corpus.release import commit

    (fiction / "CHANGELOG.md").write_text(CHANGELOG)
    real_fsync, outcomes = os.fsync, []
    for fail_at in range(1, 40):
        calls = [0]

        def full(fd: int, fail_at: int = fail_at, calls: list = calls) -> None:
            calls[0] += 1
            if calls[0] == fail_at:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(commit.os, "fsync", full)
        try:
            release(fiction, bump="minor", now=datetime(2030, 1, 2, tzinfo=timezone.utc))
            outcomes.append("released")
        except cc.CorpusError as exc:  # never a bare OSError
            assert "No space left on device" in str(exc)
            outcomes.append("refused")
        monkeypatch.undo()
        version = _agree(fiction)
        assert _stages(fiction) == []  # a failed release removes its staging copy
        if outcomes[-1] == "released" and calls[0] < fail_at:
            break  # this release made fewer writes than fail_at: every write point was tried
        if version != "1.0.0":
            (fiction / "CHANGELOG.md").write_text(CHANGELOG)  # start again from an unreleased state
            rehash(fiction, version="1.0.0")
    assert "refused" in outcomes and outcomes[-1] == "released"


@pytest.mark.parametrize("err", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_5_a_read_only_or_full_folder_is_a_clear_error_from_the_cli(fiction: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str], err: int) -> None:
    from caucasus_corpus.cli import main
    from caucasus_corpus.release import commit

    (fiction / "CHANGELOG.md").write_text(CHANGELOG)
    before = snapshot(fiction)
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(err, os.strerror(err), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(commit.os, "open", refuse)
    assert main(["release", "--bump", "minor", "--path", str(fiction)]) == 2
    monkeypatch.undo()
    out = capsys.readouterr()
    assert out.err.startswith("caucasus-corpus: error: ") and os.strerror(err) in out.err and "Traceback" not in out.err
    assert "nothing was changed" in out.err and snapshot(fiction) == before


@pytest.mark.slow
def test_5_a_release_killed_at_random_points_leaves_changelog_and_manifest_agreeing(fiction: Path) -> None:
    import random
    import signal
    import time

    child_code = (
        "import sys, jsonschema, pandas, regex, referencing\n"
        "from datetime import datetime, timezone\n"
        "from caucasus_corpus.release import release\n"
        "print('ready', flush=True)\n"
        "release(sys.argv[1], bump='minor', now=datetime(2030, 1, 2, tzinfo=timezone.utc))\n"
    )
    rng = random.Random(10)
    seen = set()
    # A kill at once lands before the commit, one after 3 s after it (a release of the fictional
    # folder takes about 0.1 s here); the random ones land anywhere in between.
    delays = [0.0, 3.0] + [rng.uniform(0.0, 0.3) for _ in range(10)]
    for delay in delays:
        (fiction / "CHANGELOG.md").write_text(CHANGELOG)
        rehash(fiction, version="1.0.0")
        child = subprocess.Popen([sys.executable, "-c", child_code, str(fiction)], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        seen.add(_agree(fiction))
    assert seen == {"1.0.0", "1.1.0"}  # kills landed before and after the commit; each left changelog and manifest agreeing
    (fiction / "CHANGELOG.md").write_text(CHANGELOG)
    rehash(fiction, version="1.0.0")
    release(fiction, bump="minor")
    assert _stages(fiction) == []  # staging copies of killed releases are removed by the next one


def test_5_two_releases_at_once_are_serialised_by_the_lock(fiction: Path) -> None:
    (fiction / "CHANGELOG.md").write_text(CHANGELOG)
    cmd = [sys.executable, "-m", "caucasus_corpus", "release", "--bump", "minor", "--path", str(fiction)]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [run.communicate(timeout=HANG_LIMIT) for run in runs]
    assert all("Traceback" not in err for _out, err in outs)
    released = [out for out, _err in outs if out.startswith("released data version")]
    assert released  # at least one; the other released after it or refused cleanly
    corpus = cc.load(fiction)
    log = (fiction / "CHANGELOG.md").read_text()
    headings = [line for line in log.splitlines() if line.startswith("### ")]
    assert headings[0].startswith(f"### {corpus.version} (") and f"`{corpus.fingerprint}`" in log
    assert corpus.version == ("1.2.0" if len(released) == 2 else "1.1.0")


# -- 6: load and validate accept the same releases ---------------------------------------------------------


@pytest.mark.parametrize("day, problem", [("2017-02-30", "is not a calendar date"), ("2500-01-01", "lies outside"),
                                          ("0000-01-01", "is not a calendar date")])
def test_6_an_impossible_date_is_refused_by_both(fiction: Path, day: str, problem: str) -> None:
    csv_path = fiction / "corpus" / "articles.csv"
    lines = csv_path.read_text().splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[3] = day
    rewrite(fiction, "corpus/articles.csv", lines[0] + ",".join(fields))
    refused(fiction, f"corpus/articles.csv:2: published: '{day}' {problem}")


# -- 7: file:line errors, never tracebacks -------------------------------------------------------------------


def _deep(n: int) -> str:
    return '{"id": "f-x", "note": ' + "[" * n + "]" * n + "}\n"


CASES_7 = {
    "cameo header": ("annotations/cameo-1.1b3-threaten.tsv", "kode\tname\n13\tTHREATEN\n", "cameo-1.1b3-threaten.tsv:1: the header has no column 'code'"),
    "cameo not utf-8": ("annotations/cameo-1.1b3-threaten.tsv", b"code\tname\n13\tTHR\xff\n", "cameo-1.1b3-threaten.tsv:2: not valid UTF-8"),
    "schema not json": ("annotations/schema/actor.schema.json", '{"type": "object",\n "x": }\n', "annotations/schema/actor.schema.json:2:7: malformed JSON"),
    "schema invalid": ("annotations/schema/actor.schema.json", '{\n  "type": 5\n}\n', "annotations/schema/actor.schema.json:2: not a valid JSON Schema"),
    "csv field too long": ("corpus/articles.csv", None, "corpus/articles.csv:2: cannot be read as a table"),
    "integer of 5000 digits": (RECORDS, '{"id": "f-x", "start": ' + "9" * 5000 + "}\n", f"{RECORDS}:1: cannot be read"),
    "deep nesting": (RECORDS, _deep(100_000), f"{RECORDS}:1: nested too deeply"),
    "deep schema": ("annotations/schema/actor.schema.json", '{"not": ' * 900 + "{}" + "}" * 900, "actor.schema.json: nested too deeply"),
    "duplicate keys": (RECORDS, None, f"{RECORDS}:1: the key 'start' appears twice"),
}


@pytest.mark.parametrize("case", CASES_7)
def test_7_unreadable_files_are_file_line_errors(fiction: Path, case: str) -> None:
    path, data, expected = CASES_7[case]
    if case == "csv field too long":
        text = (fiction / path).read_text()
        data = text.replace("fictional test text", "x" * 140_000)
    if case == "duplicate keys":
        data = (fiction / RECORDS).read_text().replace('"start": ', '"start": 0, "start": ', 1)
    rewrite(fiction, path, data)
    refused(fiction, expected)


def test_7_a_non_utf8_manifest_is_a_format_error(fiction: Path) -> None:
    path = fiction / "datapackage.json"
    path.write_bytes(path.read_bytes().replace(b'"fictional test release"', b'"fictional \xff release"'))
    refused(fiction, "datapackage.json:3: not valid UTF-8")


@pytest.mark.parametrize("bad", ["", ".", "corpus", "corpus/", ".caucasus-corpus.lock", "corpus/texts/.hidden"])
def test_7_a_resource_path_that_is_no_data_file_is_refused(fiction: Path, bad: str) -> None:
    manifest_edit(fiction, lambda d: d["resources"][0].update(path=bad))
    refused(fiction, "must name a file inside corpus/ or annotations/")


def test_7_validate_prints_an_id_with_a_lone_surrogate(fiction: Path) -> None:
    recs = fiction_records()
    recs[0]["id"] = "f-\ud800"
    rewrite(fiction, RECORDS, "".join(json.dumps(r) + "\n" for r in recs))  # \ud800 as a JSON escape
    refused(fiction, f"{RECORDS}:1: ", "does not match")
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "validate", "--path", str(fiction)],
                         capture_output=True, timeout=HANG_LIMIT, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert out.returncode == 1 and b"Traceback" not in out.stderr
    assert b"\\ud800" in out.stdout


# -- 8 (schema half): a catastrophic pattern in a schema cannot hang validate ----------------------------------


@pytest.mark.parametrize("pattern, outcome", [
    ("^(a|a)*$", "takes too long"),  # exponential on the regex engine too: stopped by the time limit
    ("^(a+)+$", "does not match"),  # exponential on Python's re, linear on the regex engine
])
def test_8_a_catastrophic_schema_pattern_cannot_hang_validate(fiction: Path, pattern: str, outcome: str) -> None:
    path = "annotations/schema/actor.schema.json"
    schema = json.loads((fiction / path).read_text())
    schema["properties"]["notes"] = {"type": "string", "pattern": pattern}
    (fiction / path).write_text(json.dumps(schema, indent=1))
    actors = [dict(a, notes="a" * 40 + "!") for a in FICTION_ACTORS]
    rewrite(fiction, "annotations/actors.jsonl", records_jsonl(actors))
    line = (fiction / path).read_text().splitlines().index(f'   "pattern": "{pattern}"') + 1
    where = f"{path}:{line}: " if outcome == "takes too long" else "annotations/actors.jsonl:1: "
    refused_in_child(fiction, where, outcome)


# -- 10: an actor name is text, not mathtext -----------------------------------------------------------------


def test_10_speaker_dashboard_with_dollars_in_the_actor_name(tmp_path: Path) -> None:
    from caucasus_corpus import widgets

    actors = [dict(a, name="Pell $\\frac{A}{$ndor") if a["actor_id"] == "pell-andor" else a for a in FICTION_ACTORS]
    root = write_release(tmp_path / "r", actors=actors)
    dash = widgets.speaker_dashboard(cc.load(root), actor="pell-andor")
    assert dash.plot.value[:8] == b"\x89PNG\r\n\x1a\n"


# -- 11: terminal and report injection -----------------------------------------------------------------------


def test_11_validate_escapes_control_characters_and_cannot_forge_lines(fiction: Path) -> None:
    recs = fiction_records()
    recs[0]["id"] = "f-m1\x1b[2J\nannotations/forged.jsonl:1: forged"
    rewrite(fiction, RECORDS, records_jsonl(recs))
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "validate", "--path", str(fiction)],
                         capture_output=True, text=True, timeout=HANG_LIMIT)
    assert out.returncode == 1 and "\x1b" not in out.stdout
    problems = validate(fiction)
    assert len(out.stdout.splitlines()) == len(problems)
    assert not any(line.startswith("annotations/forged.jsonl") for line in out.stdout.splitlines())


def test_11_kwic_cli_escapes_control_characters_from_texts(tmp_path: Path) -> None:
    text = FICTION_TEXT.replace("river dam", "river \x1b]0;owned\x07dam")
    root = write_release(tmp_path / "r", texts={FICTION_ID: text}, actors=[])
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "kwic", "river", "--path", str(root)],
                         capture_output=True, text=True, timeout=HANG_LIMIT)
    assert out.returncode == 0 and "river" in out.stdout
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout and "\\x1b" in out.stdout


def test_11_the_data_card_shows_metadata_as_text(tmp_path: Path) -> None:
    from caucasus_corpus.release.datacard import render_articles

    root = write_release(tmp_path / "r", actors=[])
    csv_path = root / "corpus" / "articles.csv"
    csv_path.write_text(csv_path.read_text().replace(",,fictional test text", ',"[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n| forged |",fictional test text'))
    rehash(root)
    row = render_articles(cc.load(root)).splitlines()[2]
    assert "\\[x\\](javascript" in row and "&lt;img" in row and "<img" not in row and "\\| forged \\|" in row


def test_11_a_version_that_is_not_semver_is_refused(fiction: Path) -> None:
    manifest_edit(fiction, lambda d: d.update(version="1.0.0},\n  title = {Forged"))
    refused(fiction, "is not a SemVer version")


# -- 12: full match, not "matches before a trailing newline" -------------------------------------------------


@pytest.mark.parametrize("field, value", [("id", "f-m1\n"), ("actor", "pell-andor\n")])
def test_12_ids_with_a_trailing_newline_are_refused(fiction: Path, field: str, value: str) -> None:
    recs = fiction_records()
    recs[0][field] = value
    rewrite(fiction, RECORDS, records_jsonl(recs))
    refused(fiction, f"{RECORDS}:1: ", "does not match")


@pytest.mark.parametrize("column, value", [(7, "en\\n"), (5, "https://x\\n")])
def test_12_metadata_with_a_trailing_newline_is_refused(fiction: Path, column: int, value: str) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO((fiction / "corpus" / "articles.csv").read_text())))
    rows[1][column] = value.replace("\\n", "\n")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    rewrite(fiction, "corpus/articles.csv", buf.getvalue())
    refused(fiction, "corpus/articles.csv:3: ", "does not match")


def test_12_from_texts_refuses_an_id_with_a_trailing_newline() -> None:
    with pytest.raises(ValueError, match="must be slugs"):
        cc.from_texts({"abc\n": "A fictional text about Varnia."})


# -- 13: Unicode normalisation ---------------------------------------------------------------------------------


# "Kesa" with a precomposed é: the same length, so every offset of the fictional records holds.
NFC_TEXT = FICTION_TEXT.replace("Kesa Rimm", "K\u00e9sa Rimm")
NFC_NAME, NFD_NAME = "K\u00e9sa Rimm", "Ke\u0301sa Rimm"


def _kesa_release(root: Path, *, record_text: str, registry_name: str) -> Path:
    actors = [dict(a, name=registry_name, aliases=[registry_name]) if a["actor_id"] == "kesa-rimm" else a
              for a in FICTION_ACTORS]
    recs = fiction_records()
    for r in recs:
        if r["id"] == "f-m3":
            r["text"] = record_text
    return write_release(root, texts={FICTION_ID: NFC_TEXT}, actors=actors, records={FICTION_ID: recs}, check=False)


def test_13_a_span_that_differs_only_by_normalisation_says_so(tmp_path: Path) -> None:
    root = _kesa_release(tmp_path / "r", record_text=NFD_NAME, registry_name=NFD_NAME)
    refused(root, f"{RECORDS}:", "only in Unicode normalisation (one is NFD, the other NFC)")


def test_13_names_match_normalisation_insensitively(tmp_path: Path) -> None:
    root = _kesa_release(tmp_path / "r", record_text=NFC_NAME, registry_name=NFD_NAME)  # NFD in the registry only
    assert validate(root) == []
    corpus = cc.load(root)
    assert corpus.resolve_actor(NFC_NAME) == corpus.resolve_actor(NFD_NAME.upper()) == "kesa-rimm"


# -- 14: smaller ones -------------------------------------------------------------------------------------------


def test_14_topics_without_topic_id_are_refused(fiction: Path) -> None:
    rewrite(fiction, "annotations/topics.tsv", "topic\tlabel\tdescription\ndam\tthe dam\tfictional\n")
    refused(fiction, "annotations/topics.tsv:1: the header has no column 'topic_id'")


def test_14_release_stages_inside_the_folder_and_cleans_up(fiction: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, timezone

    (fiction / "CHANGELOG.md").write_text(CHANGELOG)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    leftover = fiction / f".caucasus-corpus-stage-{dead}-killed"
    (leftover / "corpus").mkdir(parents=True)  # what a killed release left
    from caucasus_corpus.release import check

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    checked: list[Path] = []
    real_validate = check.validate
    monkeypatch.setattr(check, "validate", lambda path: checked.append(Path(path)) or real_validate(path))
    release(fiction, bump="patch", now=datetime(2030, 1, 2, tzinfo=timezone.utc))
    assert [p.parent for p in checked] == [fiction]  # the staged copy lived inside the release folder
    assert _stages(fiction) == [] and list(system_temp.iterdir()) == []
    assert cc.load(fiction).version == "1.0.1"


def test_14_diff_calls_a_case_only_alias_change_a_merge(fiction: Path, tmp_path: Path) -> None:
    from caucasus_corpus.release.diff import diff

    actors = [a for a in FICTION_ACTORS if a["actor_id"] != "observers"]
    actors = [dict(a, aliases=[*a["aliases"], "SOME OBSERVERS"]) if a["actor_id"] == "author" else a for a in actors]
    recs = [r for r in fiction_records() if r["id"] != "f-c3"]
    new = write_release(tmp_path / "new", actors=actors, records={FICTION_ID: recs})
    rows = diff(fiction, new).frame
    merged = rows[(rows.entity == "actor") & (rows.id == "observers")]
    assert list(merged.change) == ["merged"] and list(merged.new) == ["author"]


# -- 15: make lab as root -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("uid, flag", [("0", True), ("1000", False)])
def test_15_make_lab_allows_root_and_says_which_url_to_open(uid: str, flag: bool) -> None:
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    out = subprocess.run(["make", "-n", "-C", str(REPO), "lab", f"USER_ID={uid}"], capture_output=True, text=True, timeout=60)
    lab = [line for line in out.stdout.splitlines() if "jupyter lab" in line]
    assert lab and ("--allow-root" in lab[-1]) == flag
    assert "Open the URL it prints" in out.stdout
