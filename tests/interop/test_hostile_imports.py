"""Hostile imports (issue 26, audit round 2, cases 1.x): one test per case of the report, plus
variants of each class the report does not list.

Every import reads its files through the safe reader's input mode (zip bombs, FIFOs, devices and
links out are one-line refusals that never quote a file from outside); no import writes a span
whose text it cannot verify (the offsets' unit is established from what the spans cover, or
given); wrong-shaped and deeply nested JSON is a one-line refusal. Every refusal leaves the
release byte-identical. Texts are the invented Varnia/Ostrel ones of tests/support.py.
"""

from __future__ import annotations

import json
import os
import re
import resource
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusFormatError, CorpusInputError
from caucasus_corpus.interop import export, import_annotations
from caucasus_corpus.interop.importing import ImportRefused
from caucasus_corpus.release.safefile import InputLimits
from interop_support import comparable, release_bytes
from support import FICTION_ID, FICTION_TEXT, fiction_records, write_release

EMOJI_TEXT = "\U0001F642 " + FICTION_TEXT  # one character outside the BMP before every span
HANG_LIMIT = 180  # seconds; a refusal takes a few, only a hang (or a crawl to MemoryError) fails


def empty(root: Path, text: str = FICTION_TEXT) -> Path:
    return write_release(root, texts={FICTION_ID: text}, records={FICTION_ID: []})


def no_names(text: str) -> list[dict[str, Any]]:
    """The fictional records without name mentions (the name check cannot tell a shifted span then)."""
    return [r for r in fiction_records(text) if not (r["layer"] == "mention" and r["form"] == "name")]


def exported(tmp: Path, fmt: str, text: str = FICTION_TEXT, records: list[dict] | None = None) -> Path:
    source = write_release(tmp / f"src-{fmt}", texts={FICTION_ID: text},
                           records={FICTION_ID: fiction_records(text) if records is None else records})
    out = tmp / f"out-{fmt}"
    export(cc.load(source), out, format=fmt)
    return out


def refused(release: Path, source: Path, fmt: str, *expected: str, error: type[Exception] = ImportRefused,
            **options: Any) -> str:
    """Import must raise ``error``; its message (every problem on its own line) holds ``expected``."""
    before = release_bytes(release)
    with pytest.raises(error) as info:
        import_annotations(release, source, format=fmt, annotator="eve", **options)
    lines = info.value.problems if isinstance(info.value, ImportRefused) else [str(info.value)]
    assert all("\n" not in line for line in lines), lines
    message = "\n".join(lines)
    for part in expected:
        assert part in message, message
    assert release_bytes(release) == before
    return message


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a child with a 3 GB address-space cap and a timeout: a hang or a read until
    memory runs out fails the test instead of the machine."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run([sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True,
                          timeout=HANG_LIMIT, cwd=cwd, preexec_fn=cap)


# -- A: every file through the safe reader's input mode ------------------------------------------

def zip_bomb(tmp: Path) -> Path:
    """An XMI zip whose member is the valid XMI plus 8 MiB of spaces, deflated (about 1000:1)."""
    src = zipfile.ZipFile(exported(tmp, "xmi") / f"{FICTION_ID}.zip")
    folder = tmp / "bomb"
    folder.mkdir()
    with zipfile.ZipFile(folder / f"{FICTION_ID}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open(f"{FICTION_ID}.xmi", "w") as f:
            f.write(src.read(f"{FICTION_ID}.xmi"))
            for _ in range(8):
                f.write(b" " * (1 << 20))
        z.writestr("TypeSystem.xml", src.read("TypeSystem.xml"))
    return folder


def test_1_9_a_zip_bomb_is_refused_by_the_ratio_cap_which_an_option_raises(tmp_path: Path) -> None:
    bomb, release = zip_bomb(tmp_path), empty(tmp_path / "r")
    refused(release, bomb, "xmi", f"{FICTION_ID}.zip", "compression ratio", "cap of 200:1", error=CorpusInputError)
    refused(release, bomb, "xmi", "cap of 1,000", error=CorpusInputError, limits=InputLimits(max_bytes=1000))
    report = import_annotations(release, bomb, format="xmi", annotator="eve", limits=InputLimits(max_ratio=100_000))
    assert len(report.added[FICTION_ID]) == len(fiction_records())


def test_1_9_the_cli_names_the_caps_and_takes_max_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caucasus_corpus.cli.main import main

    bomb, release = zip_bomb(tmp_path), empty(tmp_path / "r")
    base = ["import", str(bomb), "--format", "xmi", "--annotator", "eve", "--path", str(release)]
    assert main(base) == 1
    err = capsys.readouterr().err
    assert "cap of 200:1" in err and "--max-ratio" in err and "nothing was imported" in err
    assert main([*base, "--max-bytes", "1K", "--max-ratio", "100000"]) == 1
    assert "cap of 1,024" in capsys.readouterr().err
    assert main([*base, "--max-ratio", "100000"]) == 0
    with pytest.raises(SystemExit):
        main([*base, "--max-ratio", "0.5"])
    assert "not a compression ratio" in capsys.readouterr().err


def _input_folder(tmp: Path, fmt: str) -> tuple[Path, Path]:
    """An export of ``fmt`` made into an input folder, and the file of it to replace."""
    folder = exported(tmp, fmt)
    if fmt == "xmi":  # a plain .xmi beside its type system, as INCEpTION's folder export
        z = zipfile.ZipFile(folder / f"{FICTION_ID}.zip")
        (folder / f"{FICTION_ID}.xmi").write_bytes(z.read(f"{FICTION_ID}.xmi"))
        (folder / f"{FICTION_ID}.zip").unlink()
        return folder, folder / f"{FICTION_ID}.xmi"
    if fmt == "labelstudio":
        (folder / "config.xml").unlink()
        (folder / "tasks.json").unlink()
        return folder, folder / "export.json"
    return folder, folder / f"{FICTION_ID}.ann"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("fmt", ["brat", "xmi", "labelstudio"])
def test_1_32_a_fifo_in_the_input_is_refused_without_hanging(tmp_path: Path, fmt: str) -> None:
    folder, file = _input_folder(tmp_path, fmt)
    file.unlink(missing_ok=True)
    os.mkfifo(file)
    release = empty(tmp_path / "r")
    before = release_bytes(release)
    out = run_cli("import", str(folder), "--format", fmt, "--annotator", "eve", "--path", str(release), cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and f"{file}: is not a regular file" in out.stderr
    assert release_bytes(release) == before


@pytest.mark.parametrize("fmt", ["brat", "xmi"])
def test_1_33_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path, fmt: str) -> None:
    folder, file = _input_folder(tmp_path, fmt)
    file.unlink()
    file.symlink_to("/dev/zero")
    release = empty(tmp_path / "r")
    out = run_cli("import", str(folder), "--format", fmt, "--annotator", "eve", "--path", str(release), cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "MemoryError" not in out.stderr
    assert f"{file}: is a symbolic link to a file outside" in out.stderr


def test_1_34_a_brat_text_linked_outside_is_neither_read_nor_quoted(tmp_path: Path) -> None:
    folder = exported(tmp_path, "brat")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-17966 and more", encoding="utf-8")
    (folder / f"{FICTION_ID}.txt").unlink()
    (folder / f"{FICTION_ID}.txt").symlink_to(secret)
    message = refused(empty(tmp_path / "r"), folder, "brat", f"{FICTION_ID}.txt", "outside", error=CorpusInputError)
    assert "SECRET" not in message


def test_1_34_a_brat_text_linked_to_dev_zero_is_not_called_missing(tmp_path: Path) -> None:
    folder = exported(tmp_path, "brat")
    (folder / f"{FICTION_ID}.txt").unlink()
    (folder / f"{FICTION_ID}.txt").symlink_to("/dev/zero")
    message = refused(empty(tmp_path / "r"), folder, "brat", f"{FICTION_ID}.txt", error=CorpusInputError)
    assert "missing" not in message


def _zip_with_entry(tmp: Path, mode: int) -> Path:
    """The XMI export's zip with its .xmi member marked as a file of type ``mode`` (a FIFO, a link)."""
    src = zipfile.ZipFile(exported(tmp, "xmi") / f"{FICTION_ID}.zip")
    folder = tmp / "odd"
    folder.mkdir()
    with zipfile.ZipFile(folder / f"{FICTION_ID}.zip", "w") as z:
        info = zipfile.ZipInfo(f"{FICTION_ID}.xmi")
        info.external_attr = (mode | 0o644) << 16
        z.writestr(info, src.read(f"{FICTION_ID}.xmi"))
        z.writestr("TypeSystem.xml", src.read("TypeSystem.xml"))
    return folder


def test_variant_an_xmi_zip_member_marked_as_a_fifo_is_refused(tmp_path: Path) -> None:
    refused(empty(tmp_path / "r"), _zip_with_entry(tmp_path, stat.S_IFIFO), "xmi", f"member '{FICTION_ID}.xmi'",
            "not a regular file entry", error=CorpusInputError)


def test_variant_an_xmi_zip_member_that_is_a_link_entry_is_refused(tmp_path: Path) -> None:
    refused(empty(tmp_path / "r"), _zip_with_entry(tmp_path, stat.S_IFLNK), "xmi", "symbolic link entry",
            error=CorpusInputError)


def test_variant_a_label_studio_file_past_the_size_cap_names_the_cap(tmp_path: Path) -> None:
    folder, file = _input_folder(tmp_path, "labelstudio")
    file.write_text(json.dumps(_ls_export(FICTION_TEXT, _ls_results(FICTION_TEXT))), encoding="utf-8")
    refused(empty(tmp_path / "r"), file, "labelstudio", "export.json", "cap of 100", error=CorpusInputError,
            limits=InputLimits(max_bytes=100))


def test_variant_a_single_ann_file_given_as_a_link_out_is_refused(tmp_path: Path) -> None:
    folder = exported(tmp_path, "brat")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / f"{FICTION_ID}.ann"
    link.symlink_to(folder / f"{FICTION_ID}.ann")
    refused(empty(tmp_path / "r"), link, "brat", "outside", error=CorpusInputError)


# -- B: no span whose text cannot be verified -------------------------------------------------------

def _xmi_in_code_points(tmp: Path) -> Path:
    """An XMI export of the emoji text (no name mentions) rewritten as a tool that counts code
    points would write it: every offset after the emoji one less."""
    folder = exported(tmp, "xmi", EMOJI_TEXT, no_names(EMOJI_TEXT))
    z = zipfile.ZipFile(folder / f"{FICTION_ID}.zip")
    xmi = z.read(f"{FICTION_ID}.xmi").decode("utf-8")
    xmi = re.sub(r'\b(begin|end)="(\d+)"', lambda m: f'{m[1]}="{int(m[2]) - 1 if int(m[2]) >= 2 else m[2]}"', xmi)
    out = tmp / "cp"
    out.mkdir()
    with zipfile.ZipFile(out / f"{FICTION_ID}.zip", "w", zipfile.ZIP_DEFLATED) as w:
        w.writestr(f"{FICTION_ID}.xmi", xmi)
        w.writestr("TypeSystem.xml", z.read("TypeSystem.xml"))
    return out


def test_1_12_xmi_with_code_point_offsets_is_refused_and_imports_with_offsets_codepoints(tmp_path: Path) -> None:
    source, release = _xmi_in_code_points(tmp_path), empty(tmp_path / "r", EMOJI_TEXT)
    refused(release, source, "xmi", "its offsets count code points, not the UTF-16 code units XMI files count",
            "cuts a word", "--offsets codepoints")
    import_annotations(release, source, format="xmi", annotator="test", offsets="codepoints")
    assert comparable(cc.load(release).annotations) == comparable(no_names(EMOJI_TEXT))


def test_1_12_a_correct_xmi_of_an_emoji_text_without_names_imports(tmp_path: Path) -> None:
    source = exported(tmp_path, "xmi", EMOJI_TEXT, no_names(EMOJI_TEXT))
    release = empty(tmp_path / "r", EMOJI_TEXT)
    import_annotations(release, source, format="xmi", annotator="test")
    assert comparable(cc.load(release).annotations) == comparable(no_names(EMOJI_TEXT))


def test_1_11_an_xmi_offset_inside_a_surrogate_pair_is_refused(tmp_path: Path) -> None:
    folder = exported(tmp_path, "xmi", EMOJI_TEXT)
    z = zipfile.ZipFile(folder / f"{FICTION_ID}.zip")
    xmi = z.read(f"{FICTION_ID}.xmi").decode("utf-8")
    s = EMOJI_TEXT.index("Pell Andor") + 1  # UTF-16 offset of "Pell Andor" (one emoji before)
    xmi = xmi.replace(f'begin="{s}" end="{s + 10}"', f'begin="1" end="{s + 10}"', 1)
    with zipfile.ZipFile(folder / f"{FICTION_ID}.zip", "w") as w:
        w.writestr(f"{FICTION_ID}.xmi", xmi)
        w.writestr("TypeSystem.xml", z.read("TypeSystem.xml"))
    refused(empty(tmp_path / "r", EMOJI_TEXT), folder, "xmi", "Mention 1:")


def _ls_results(text: str, *, utf16: bool = False, keep_text: bool | set[str] = True) -> list[dict[str, Any]]:
    """Label Studio results of the fictional records without names: one labels region per record,
    its choices, in code points or UTF-16 units, with or without each region's ``text``."""
    def unit(i: int) -> int:
        return len(text[:i].encode("utf-16-le")) // 2 if utf16 else i

    out = []
    for rec in no_names(text):
        if rec["layer"] not in ("claim", "stance"):
            continue
        rid = rec["id"]
        value: dict[str, Any] = {"start": unit(rec["start"]), "end": unit(rec["end"])}
        if keep_text is True or (keep_text is not False and rid in keep_text):
            value["text"] = rec["text"]
        out.append({"id": rid, "from_name": "layer", "to_name": "text", "type": "labels",
                    "value": {**value, "labels": [rec["layer"].capitalize()]}})
        keys = ("speaker", "attribution", "claim_type") if rec["layer"] == "claim" else ("holder", "target", "polarity")
        out += [{"id": rid, "from_name": f"{rec['layer']}_{k}", "to_name": "text", "type": "choices",
                 "value": {**value, "choices": [rec[k]]}} for k in keys]
    return out


def _ls_export(text: str, results: Any, **task: Any) -> list[dict[str, Any]]:
    return [{"id": 1, "data": {"text": text, "article_id": FICTION_ID},
             "annotations": [{"id": 1, "completed_by": 1, "result": results}], **task}]


def _ls_expected(text: str) -> list[dict[str, Any]]:
    return [{**r, "cue": None} if r["layer"] == "claim" else r
            for r in no_names(text) if r["layer"] in ("claim", "stance")]


def _write(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_1_14_label_studio_utf16_offsets_without_text_are_refused_and_import_with_offsets_utf16(tmp_path: Path) -> None:
    source = _write(tmp_path / "e.json", _ls_export(EMOJI_TEXT, _ls_results(EMOJI_TEXT, utf16=True, keep_text=False)))
    release = empty(tmp_path / "r", EMOJI_TEXT)
    refused(release, source, "labelstudio", "its offsets count UTF-16 code units, not the code points Label Studio",
            "--offsets utf16")
    import_annotations(release, source, format="labelstudio", annotator="test", offsets="utf16")
    got = cc.load(release).annotations
    assert sorted(got.text) == sorted(r["text"] for r in _ls_expected(EMOJI_TEXT))


def test_1_13_label_studio_utf16_offsets_with_text_stay_refused(tmp_path: Path) -> None:
    source = _write(tmp_path / "e.json", _ls_export(EMOJI_TEXT, _ls_results(EMOJI_TEXT, utf16=True)))
    refused(empty(tmp_path / "r", EMOJI_TEXT), source, "labelstudio", "offsets count UTF-16 code units")


def test_variant_only_some_label_studio_regions_lack_text(tmp_path: Path) -> None:
    # Code points, as Label Studio writes: the regions with text establish the unit for those without.
    results = _ls_results(EMOJI_TEXT, keep_text={"f-c1"})
    release = empty(tmp_path / "r", EMOJI_TEXT)
    import_annotations(release, _write(tmp_path / "ok.json", _ls_export(EMOJI_TEXT, results)),
                       format="labelstudio", annotator="test")
    assert sorted(cc.load(release).annotations.text) == sorted(r["text"] for r in _ls_expected(EMOJI_TEXT))
    # UTF-16: the one region with text says so, the others cannot contradict it.
    results = _ls_results(EMOJI_TEXT, utf16=True, keep_text={"f-s1"})
    refused(empty(tmp_path / "r2", EMOJI_TEXT), _write(tmp_path / "u.json", _ls_export(EMOJI_TEXT, results)),
            "labelstudio", "count UTF-16 code units", "--offsets utf16")


def test_variant_spans_that_cannot_tell_the_units_apart_are_refused_until_the_unit_is_given(tmp_path: Path) -> None:
    # One-letter words: the span of 'b' in UTF-16 units is the space before it in code points,
    # and neither cuts a word, so nothing establishes the unit.
    text = "\U0001F642 a b c d.\n"
    s = text.index("b")
    results = [{"id": "r1", "from_name": "layer", "to_name": "text", "type": "labels",
                "value": {"start": s + 1, "end": s + 2, "labels": ["Stance"]}}]
    results += [{"id": "r1", "from_name": f"stance_{k}", "to_name": "text", "type": "choices",
                 "value": {"start": s + 1, "end": s + 2, "choices": [v]}}
                for k, v in (("holder", "varnia"), ("target", "ostrel"), ("polarity", "none"))]
    export_file = _write(tmp_path / "e.json", _ls_export(text, results))
    release = empty(tmp_path / "r", text)
    refused(release, export_file, "labelstudio", "cannot tell whether its offsets count UTF-16 code units or code points",
            "--offsets utf16|codepoints")
    import_annotations(release, export_file, format="labelstudio", annotator="test", offsets="utf16")
    assert list(cc.load(release).annotations.text) == ["b"]


def test_variant_a_text_inside_the_bmp_needs_no_unit(tmp_path: Path) -> None:
    results = _ls_results(FICTION_TEXT, keep_text=False)
    release = empty(tmp_path / "r")
    import_annotations(release, _write(tmp_path / "e.json", _ls_export(FICTION_TEXT, results)),
                       format="labelstudio", annotator="test")
    assert len(cc.load(release).annotations) == len(_ls_expected(FICTION_TEXT))


def test_variant_a_bad_offsets_option_is_a_value_error_naming_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="utf16"):
        import_annotations(tmp_path, tmp_path, format="brat", annotator="eve", offsets="bytes")


# -- C: wrong-shaped and deep JSON, brat escapes and BOM --------------------------------------------

SHAPES = {
    "annotations a string": lambda t: t | {"annotations": "abc"},
    "annotations [5]": lambda t: t | {"annotations": [5]},
    "result a string": lambda t: _with(t, lambda a: a | {"result": "abc"}),
    "value a list": lambda t: _with(t, lambda a: a | {"result": [a["result"][0] | {"value": [1, 2]}]}),
    "labels 5": lambda t: _with(t, lambda a: a | {"result": [_value(a["result"][0], labels=5)]}),
    "choices 7": lambda t: _with(t, lambda a: a | {"result": [a["result"][0], _value(a["result"][1], choices=7)]}),
    "labels [['Mention']]": lambda t: _with(t, lambda a: a | {"result": [_value(a["result"][0], labels=[["Mention"]])]}),
    "result item a number": lambda t: _with(t, lambda a: a | {"result": [3, *a["result"]]}),
    "region id a list": lambda t: _with(t, lambda a: a | {"result": [a["result"][0] | {"id": [1]}]}),
    "note not a list": lambda t: _with(t, lambda a: a | {"result": [*a["result"], {
        "id": a["result"][0]["id"], "from_name": "note", "type": "textarea", "value": {"text": {"x": 1}}}]}),
    "relation ends dicts": lambda t: _with(t, lambda a: a | {"result": [*a["result"], {
        "type": "relation", "from_id": {"a": 1}, "to_id": None, "labels": "cue"}]}),
    "task a string": lambda t: "not a task",
}


def _with(task: dict[str, Any], edit: Any) -> dict[str, Any]:
    return task | {"annotations": [edit(task["annotations"][0])]}


def _value(item: dict[str, Any], **value: Any) -> dict[str, Any]:
    return item | {"value": item["value"] | value}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_1_18_label_studio_json_of_the_wrong_shape_is_one_line_per_problem(tmp_path: Path, shape: str) -> None:
    task = _ls_export(FICTION_TEXT, _ls_results(FICTION_TEXT))[0]
    source = _write(tmp_path / "e.json", [SHAPES[shape](task)])
    message = refused(empty(tmp_path / "r"), source, "labelstudio", "e.json: task")
    assert "Error" not in message  # no AttributeError or TypeError text passed on


@pytest.mark.parametrize("depth", [150, 5_000, 100_000])
def test_1_19_deeply_nested_json_is_a_one_line_refusal_naming_the_file(tmp_path: Path, depth: int) -> None:
    source = tmp_path / "deep.json"
    source.write_text("[" * depth + "]" * depth, encoding="utf-8")
    refused(empty(tmp_path / "r"), source, "labelstudio", "deep.json", "nest", error=CorpusFormatError)


def test_variant_json_that_does_not_parse_names_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text('[\n{"id": 1,\n', encoding="utf-8")
    refused(empty(tmp_path / "r"), source, "labelstudio", "bad.json:3: not a JSON file", error=CorpusFormatError)


def test_variant_an_integer_of_5000_digits_is_a_format_error_naming_the_file(tmp_path: Path) -> None:
    source = tmp_path / "digits.json"
    source.write_text("[" + "9" * 5000 + "]", encoding="utf-8")
    refused(empty(tmp_path / "r"), source, "labelstudio", "digits.json: not a JSON file", error=CorpusFormatError)


def test_1_28_a_bad_brat_escape_names_file_and_line(tmp_path: Path) -> None:
    folder = exported(tmp_path, "brat")
    ann = folder / f"{FICTION_ID}.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    lines.append("#99\tAnnotatorNotes T1\tsee \\uzzzz here")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(empty(tmp_path / "r"), folder, "brat", f"{FICTION_ID}.ann:{len(lines)}: the escape '\\\\uzzzz'")
    assert "invalid literal" not in message


def test_1_25_a_bom_in_the_ann_file_is_named(tmp_path: Path) -> None:
    folder = exported(tmp_path, "brat")
    ann = folder / f"{FICTION_ID}.ann"
    ann.write_bytes(b"\xef\xbb\xbf" + ann.read_bytes())
    refused(empty(tmp_path / "r"), folder, "brat", f"{FICTION_ID}.ann:1:", "byte order mark (BOM)")


def test_variant_a_huge_offset_in_brat_is_not_echoed_in_full(tmp_path: Path) -> None:
    folder = exported(tmp_path, "brat")
    ann = folder / f"{FICTION_ID}.ann"
    first, rest = ann.read_text(encoding="utf-8").split("\n", 1)
    tid, body, shown = first.split("\t")
    kind, start, _ = body.split(" ")
    ann.write_text(f"{tid}\t{kind} {start} {'9' * 5000}\t{shown}\n{rest}", encoding="utf-8")
    message = refused(empty(tmp_path / "r"), folder, "brat", f"{FICTION_ID}.ann:1:")
    assert len(message) < 2000


# -- 1.31: what the CLI prints from input data is escaped -------------------------------------------

def test_1_31_hostile_task_and_relation_ids_are_escaped_on_the_terminal(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from caucasus_corpus.cli.main import main

    forged = "1\x1b[2J\x1b]0;owned\x07\nforged.json: task 9: all good"
    results = _ls_results(FICTION_TEXT) + [{"type": "relation", "from_id": "f-c1\x1b[31m", "to_id": "x", "labels": ["cue"]}]
    unknown = [{"id": forged, "data": {"text": FICTION_TEXT, "article_id": "no-such-article"}, "annotations": []}]
    source = _write(tmp_path / "e.json", _ls_export(FICTION_TEXT, results) + unknown)
    assert main(["import", str(source), "--format", "labelstudio", "--annotator", "eve",
                 "--path", str(empty(tmp_path / "r"))]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert not any(line.startswith("forged.json") for line in err.splitlines())
    assert "\\x1b[2J" in err and "f-c1\\x1b[31m" in err


# -- 6.5: exported files get the umask's mode ------------------------------------------------------

@pytest.mark.parametrize("mask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_6_5_exported_files_get_the_umasks_mode(tmp_path: Path, mask: int) -> None:
    corpus = cc.load(write_release(tmp_path / "r"))
    old = os.umask(mask)
    try:
        for fmt in ("brat", "xmi", "labelstudio"):
            for path in export(corpus, tmp_path / fmt, format=fmt):
                assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, (fmt, path)
    finally:
        os.umask(old)
