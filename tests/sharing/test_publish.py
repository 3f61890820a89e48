"""publish --without-texts: a complete release folder with no article text in it (fictional texts only)."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusError, CorpusValidationError
from caucasus_corpus.release import rehash, validate
from caucasus_corpus.sharing import publish

from support import FICTION_ID, FICTION_TEXT, REPO

from conftest import snapshot

ROOT_FILES = ("CITATION.cff", "CHANGELOG.md")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _records(folder: Path, article: str = FICTION_ID) -> list[dict]:
    path = folder / "annotations" / "records" / f"{article}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_folder_holds_no_text_but_hashes_lengths_and_addresses(fiction: Path, published: Path) -> None:
    assert not (published / "corpus" / "texts").exists()
    original = json.loads((fiction / "datapackage.json").read_text())
    manifest = json.loads((published / "datapackage.json").read_text())
    assert not any(r["path"].startswith("corpus/texts/") for r in manifest["resources"])
    # the release's own manifest travels along, so hydration can restore it
    assert manifest["withheld"]["original"] == original
    assert manifest["withheld"]["fingerprint"] == cc.load(fiction).fingerprint
    [row] = list(csv.DictReader((published / "corpus" / "withheld.csv").open(encoding="utf-8")))
    assert row["article_id"] == FICTION_ID and row["path"] == f"corpus/texts/{FICTION_ID}.txt"
    assert row["sha256"] == _sha(FICTION_TEXT)
    assert int(row["chars"]) == len(FICTION_TEXT) and int(row["bytes"]) == len(FICTION_TEXT.encode("utf-8"))
    # articles table, actors, topics and schemas as in the release
    for rel in ("corpus/articles.csv", "annotations/actors.jsonl", "annotations/topics.tsv", "annotations/schema/record.schema.json"):
        assert (published / rel).read_bytes() == (fiction / rel).read_bytes()


def test_each_record_has_hashes_in_place_of_its_quote(fiction: Path, published: Path) -> None:
    before, after = _records(fiction), _records(published)
    assert [r["id"] for r in before] == [r["id"] for r in after]
    for old, new in zip(before, after):
        assert "text" not in new
        assert new["start"] == old["start"] and new["end"] == old["end"]
        assert new["text_sha256"] == _sha(old["text"]) and new["text_length"] == len(old["text"])
        assert new["prefix_sha256"] == _sha(FICTION_TEXT[max(0, old["start"] - 16):old["start"]])
        assert new["suffix_sha256"] == _sha(FICTION_TEXT[old["end"]:old["end"] + 16])
        if old.get("cue"):
            assert new["cue"] == {"start": old["cue"]["start"], "end": old["cue"]["end"],
                                  "text_sha256": _sha(old["cue"]["text"]), "text_length": len(old["cue"]["text"])}
        # every other field in place, in the same order
        keys = [k for k in new if k not in ("text_sha256", "text_length", "prefix_sha256", "suffix_sha256")]
        assert keys == [k for k in old if k != "text"]
    assert FICTION_TEXT[100:140] not in (published / "annotations" / "records" / f"{FICTION_ID}.jsonl").read_text()


def test_the_folder_validates_and_says_the_texts_are_withheld(published: Path) -> None:
    assert validate(published) == []
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "validate", "--path", str(published)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "withheld" in out.stdout and "caucasus-corpus hydrate" in out.stdout


def test_the_folder_is_frictionless_valid(published: Path) -> None:
    sys.path.insert(0, str(REPO / "tests" / "release"))
    from test_frictionless import frictionless_validate

    out = frictionless_validate(published)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "INVALID" not in out.stdout


def test_keep_quotes_keeps_them_and_the_data_card_warns(fiction: Path, tmp_path: Path) -> None:
    card = "# Data card: fiction\n\nAn invented release for tests.\n"
    (fiction / "corpus" / "README.md").write_text(card, encoding="utf-8")
    rehash(fiction)
    publish(tmp_path / "quoted", path=fiction, keep_quotes=True)
    for old, new in zip(_records(fiction), _records(tmp_path / "quoted")):
        assert new["text"] == old["text"] and new["text_sha256"] == _sha(old["text"])
    text = (tmp_path / "quoted" / "corpus" / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# Data card: fiction\n\n<!-- withheld:start -->")
    assert "keep their quotes" in text and "publishers' text" in text
    assert validate(tmp_path / "quoted") == []
    publish(tmp_path / "plain", path=fiction)
    plain = (tmp_path / "plain" / "corpus" / "README.md").read_text(encoding="utf-8")
    assert "holds no article texts" in plain and "keep their quotes" not in plain


def test_companion_files_travel_with_the_folder(fiction: Path, tmp_path: Path) -> None:
    for name in ROOT_FILES:
        (fiction / name).write_text(f"{name}: invented for a test\n", encoding="utf-8")
    publish(tmp_path / "out", path=fiction)
    for name in ROOT_FILES:
        assert (tmp_path / "out" / name).read_bytes() == (fiction / name).read_bytes()


def _actors(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "annotations" / "actors.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_quote_of_40_characters_is_refused_with_file_and_line(fiction: Path, tmp_path: Path) -> None:
    actors = _actors(fiction)
    quote = FICTION_TEXT[FICTION_TEXT.index("If Ostrel"):][:40]
    actors[2]["role"] = f"foreign minister, who said: {quote}"
    cc.authoring.save(fiction, actors=actors)
    with pytest.raises(CorpusValidationError) as err:
        publish(tmp_path / "out", path=fiction)
    assert err.value.problems[0].startswith("annotations/actors.jsonl:3: holds 40 characters of the text of varnia-ostrel-dam")
    assert not (tmp_path / "out").exists()  # nothing written
    # 39 characters are allowed
    actors[2]["role"] = f"foreign minister, who said: {quote[:39]}"
    cc.authoring.save(fiction, actors=actors)
    publish(tmp_path / "out", path=fiction)


def test_an_escaped_quote_in_json_is_found_too(tmp_path: Path) -> None:
    from support import write_release

    text = "Gazette of Ostrel\n\nThe Ostreli minister Dal Vonn said the bridge at Kerr will close on Friday ‘for ever’.\n"
    root = write_release(tmp_path / "rel", texts={FICTION_ID: FICTION_TEXT, "ostrel-gazette": text})
    actors = _actors(root)
    actors[0]["notes"] = text[text.index("minister"):]
    # written by hand with every non-ASCII character escaped: the file never shows the quote as typed
    (root / "annotations" / "actors.jsonl").write_text("".join(json.dumps(a) + "\n" for a in actors), encoding="utf-8")
    rehash(root)
    assert "\\u2018" in (root / "annotations" / "actors.jsonl").read_text(encoding="utf-8")
    with pytest.raises(CorpusValidationError) as err:
        publish(tmp_path / "out", path=root)
    assert err.value.problems[0].startswith("annotations/actors.jsonl:1: holds")
    assert "ostrel-gazette" in err.value.problems[0]


def test_titles_may_be_quoted(tmp_path: Path) -> None:
    from support import write_release

    title = "Varnia and Ostrel sign a treaty on the shared river at last"  # invented, over 40 characters
    root = write_release(tmp_path / "rel", texts={"treaty": title + "\n\nThe two states signed it on Monday.\n"}, actors=[])
    publish(tmp_path / "out", path=root)
    assert title in (tmp_path / "out" / "corpus" / "articles.csv").read_text(encoding="utf-8")


def test_records_not_written_by_the_library_are_refused(fiction: Path, tmp_path: Path) -> None:
    path = fiction / "annotations" / "records" / f"{FICTION_ID}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = json.dumps(json.loads(lines[2]), indent=None, separators=(",", ":")) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    rehash(fiction)
    with pytest.raises(CorpusValidationError, match=rf"records/{FICTION_ID}.jsonl:3: not written as the library writes"):
        publish(tmp_path / "out", path=fiction)


def test_out_must_be_new_and_the_source_must_hold_texts(fiction: Path, published: Path, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    with pytest.raises(CorpusError, match="not an empty folder"):
        publish(tmp_path / "full", path=fiction)
    with pytest.raises(cc.TextsWithheldError, match="caucasus-corpus hydrate"):
        publish(tmp_path / "again", path=published)
    with pytest.raises(ValueError, match="without_texts"):
        publish(tmp_path / "with", path=fiction, without_texts=False)


def test_cli_publish_refuses_with_one_line_per_quote(fiction: Path, tmp_path: Path) -> None:
    actors = _actors(fiction)
    actors[3]["notes"] = "quoted: " + FICTION_TEXT[FICTION_TEXT.index("Kesa Rimm, an MP"):][:45]
    cc.authoring.save(fiction, actors=actors)
    out = subprocess.run([sys.executable, "-m", "caucasus_corpus", "publish", "--without-texts", str(tmp_path / "out"),
                          "--path", str(fiction)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "annotations/actors.jsonl:4: holds" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()


def test_publishing_twice_gives_the_same_bytes(fiction: Path, tmp_path: Path) -> None:
    publish(tmp_path / "a", path=fiction)
    publish(tmp_path / "b", path=fiction)
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert a == b


def test_a_quote_with_escaped_marks_in_a_record_note_is_found(fiction: Path, tmp_path: Path) -> None:
    path = fiction / "annotations" / "records" / f"{FICTION_ID}.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    quote = FICTION_TEXT[FICTION_TEXT.index("said on Monday"):FICTION_TEXT.index("farms\"") + 6]
    assert '"' in quote and len(quote) >= 40
    records[1]["note"] = f"as the text puts it: {quote}"
    cc.authoring.save(fiction, records={FICTION_ID: records})
    assert '\\"threatens' in path.read_text(encoding="utf-8")  # JSON escapes the marks on disk
    with pytest.raises(CorpusValidationError) as err:
        publish(tmp_path / "out", path=fiction)
    assert err.value.problems[0].startswith(f"annotations/records/{FICTION_ID}.jsonl:")
    held = int(err.value.problems[0].split(" holds ")[1].split()[0])
    assert held >= len(quote)  # the whole quote, and the space before it that the text has too
