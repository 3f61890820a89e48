"""One checker: load() raises exactly when validate() reports a problem, on every hostile folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.release import rehash, validate
from support import FICTION_ID


def _date(root: Path) -> None:
    csv_path = root / "corpus" / "articles.csv"
    lines = csv_path.read_text(encoding="utf-8").split("\n")
    fields = lines[1].split(",")
    fields[3] = "2031-02-30"  # the published column: a date no calendar has
    lines[1] = ",".join(fields)
    csv_path.write_text("\n".join(lines), encoding="utf-8")


def _drift(root: Path) -> None:
    path = root / "annotations" / "records" / f"{FICTION_ID}.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"text": "Pell Andor"', '"text": "Pell Andur"'), encoding="utf-8")


def _not_utf8(root: Path) -> None:
    (root / "corpus" / "texts" / f"{FICTION_ID}.txt").write_bytes(b"Varnia \xff\n")


def _missing_actors(root: Path) -> None:
    (root / "annotations" / "actors.jsonl").write_text("", encoding="utf-8")


HOSTILE: dict[str, Callable[[Path], None]] = {
    "not a calendar date": _date,
    "record text drifted": _drift,
    "text not UTF-8": _not_utf8,
    "empty actor registry": _missing_actors,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_load_and_validate_agree_on_a_rehashed_hostile_release(fiction: Path, name: str) -> None:
    HOSTILE[name](fiction)
    rehash(fiction)  # as someone handing over an edited release would
    problems = [str(p) for p in validate(fiction)]
    assert problems, "validate must report it"
    with pytest.raises(cc.CorpusError) as info:
        cc.load(fiction)
    message = str(info.value)
    assert any(p.split(": ", 1)[-1][:40] in message for p in problems), (problems, message)


def test_a_changed_byte_is_an_integrity_error_for_both(fiction: Path) -> None:
    path = fiction / "corpus" / "texts" / f"{FICTION_ID}.txt"
    path.write_bytes(path.read_bytes() + b" ")
    problems = [str(p) for p in validate(fiction)]
    assert len(problems) == 1 and "sha256" in problems[0]
    with pytest.raises(cc.CorpusIntegrityError, match="sha256"):
        cc.load(fiction)


def test_a_calendar_date_problem_names_the_file_line_and_field(fiction: Path) -> None:
    _date(fiction)
    rehash(fiction)
    assert [str(p) for p in validate(fiction)] == [
        "corpus/articles.csv:2: published: '2031-02-30' is not a calendar date; give the real date as YYYY-MM-DD or leave it empty"
    ]


def test_a_text_hash_that_is_not_the_texts_is_reported(release_copy: Path) -> None:
    import csv
    import io

    path = release_copy / "corpus" / "articles.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0]["text_sha256"]  # the seed records its text's hash
    rows[0]["text_sha256"] = "0" * 64
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    rehash(release_copy)
    [problem] = [str(p) for p in validate(release_copy)]
    assert problem.startswith("corpus/articles.csv:2: text_sha256: 000000000000... is not the sha256 of corpus/texts/")
    with pytest.raises(cc.CorpusValidationError, match="text_sha256"):
        cc.load(release_copy)


def test_the_seed_records_no_licence_and_its_rights_holder() -> None:
    seed = cc.load().articles.iloc[0]
    assert (seed["license"], seed["rights_holder"]) == ("NOASSERTION", "commonspace.eu")
    assert seed[["retrieved", "extractor", "capture", "access_rights", "archived_url"]].isna().all()


def test_a_short_row_is_one_problem_naming_the_missing_columns(release_copy: Path) -> None:
    path = release_copy / "corpus" / "articles.csv"
    header, seed = path.read_text(encoding="utf-8").split("\n")[:2]
    # The seed row cut after its notes (the last eleven values are the provenance columns), as a
    # row typed before those columns existed.
    path.write_text(f"{header}\n{seed.rsplit(',', 11)[0]}\n", encoding="utf-8")
    rehash(release_copy)
    problems = [str(p) for p in validate(release_copy)]
    assert problems == ["corpus/articles.csv:2: 12 values for 23 header columns (no value for retrieved, extractor, "
                        "text_sha256, ...); add an empty value (a comma) for each missing column"]
