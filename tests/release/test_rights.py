"""Rights that cannot contradict themselves: each text's licenses in datapackage.json come from the
license column, the checker holds the two together, and the data card's rights table is generated."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import caucasus_corpus as cc
from caucasus_corpus.release import rehash, validate
from caucasus_corpus.release.datacard import check_datacard, render_rights
from caucasus_corpus.release.rights import text_licenses

from support import REPO, SEED_ID


def _rows(root: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((root / "corpus" / "articles.csv").read_text(encoding="utf-8"), newline="")))


def test_every_text_carries_its_own_licenses_from_the_column() -> None:
    manifest = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    assert [lic["name"] for lic in manifest["licenses"]] == ["CC-BY-4.0"]  # the package: annotations and metadata
    resources = {r["path"]: r for r in manifest["resources"]}
    rows = _rows(REPO)
    assert rows and all(row["path"] in resources for row in rows)
    for row in rows:
        assert resources[row["path"]]["licenses"] == text_licenses(row["license"])
    seed = next(row for row in rows if row["article_id"] == SEED_ID)
    assert seed["license"] == "NOASSERTION" and seed["rights_holder"] == "commonspace.eu"
    assert resources[seed["path"]]["licenses"][0]["name"] == "NOASSERTION"


def _set_license(root: Path, value: str) -> None:
    path = root / "corpus" / "articles.csv"
    rows = _rows(root)
    rows[0]["license"] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def test_the_checker_refuses_a_manifest_that_contradicts_the_column(release_copy: Path) -> None:
    manifest_path = release_copy / "datapackage.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    text = next(r for r in manifest["resources"] if r["path"].startswith("corpus/texts/"))
    # a text claiming the package's licence, by hand
    text["licenses"] = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    [problem] = [str(p) for p in validate(release_copy)]
    assert problem.startswith("datapackage.json: resource 'corpus-texts-") and "line 2 gives license 'NOASSERTION'" in problem
    # no licenses at all: the text would inherit the package's CC BY
    del text["licenses"]
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    [problem] = [str(p) for p in validate(release_copy)]
    assert "no licenses (so it would inherit the package's)" in problem


def test_a_changed_column_is_refused_until_the_manifest_is_regenerated(release_copy: Path) -> None:
    _set_license(release_copy, "CC-BY-NC-4.0")
    rehash(release_copy)  # regenerates every text's licenses from the column
    assert validate(release_copy) == []
    text = next(r for r in json.loads((release_copy / "datapackage.json").read_text())["resources"]
                if r["path"].startswith("corpus/texts/"))
    assert text["licenses"] == [{"name": "CC-BY-NC-4.0", "path": "https://creativecommons.org/licenses/by-nc/4.0/"}]
    # the data card's rights table is generated from the same column, and is now stale
    assert any("rights block differs" in p for p in check_datacard(release_copy))
    assert "| CC-BY-NC-4.0 |" in render_rights(cc.load(release_copy))


def test_license_expressions_and_empty_cells() -> None:
    assert text_licenses("")[0]["name"] == text_licenses("NOASSERTION")[0]["name"] == "NOASSERTION"
    assert "none was recorded" in text_licenses("")[0]["title"]
    both = text_licenses("CC-BY-4.0 AND LicenseRef-Varnia-Gazette-Terms")
    assert [lic["name"] for lic in both] == ["CC-BY-4.0", "LicenseRef-Varnia-Gazette-Terms"]
    assert all("SPDX expression" in lic["title"] for lic in both)


OLD_HEADER = ["article_id", "path", "title", "published", "outlet", "url", "genre", "language", "byline", "author",
              "source_file", "notes"]


def test_a_release_from_before_the_rights_columns_still_loads(release_copy: Path) -> None:
    """Data 1.0.2 and older have neither a license column nor per-text licenses; a citation pins
    such a release, so it stays loadable as it was made (only tables with the column are held to it)."""
    rows = _rows(release_copy)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=OLD_HEADER, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (release_copy / "corpus" / "articles.csv").write_text(out.getvalue(), encoding="utf-8")
    rehash(release_copy)
    manifest_path = release_copy / "datapackage.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for resource in manifest["resources"]:
        resource.pop("licenses", None)
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [str(p) for p in validate(release_copy)] == []
    old = cc.load(release_copy)
    assert old.article_ids == [SEED_ID] and old.articles["license"].isna().all()
