"""The data card: Datasheets sections present, generated counts equal what the data gives."""

from __future__ import annotations

import re
from pathlib import Path

import caucasus_corpus as cc
from caucasus_corpus.release.datacard import DATACARD, check_datacard, render_articles, render_counts, update_datacard
from caucasus_corpus.release import rehash

from support import REPO, SEED_ID

CARD = REPO / DATACARD
SECTIONS = (
    "Motivation",
    "Composition",
    "Collection process",
    "Annotation process",
    "Known limitations and biases",
    "Sensitive information",
    "Licences",
    "Maintenance",
)


def block(text: str, name: str) -> str:
    m = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert m, f"{DATACARD} has no {name} block"
    return m.group(1)


def test_card_has_every_datasheet_section() -> None:
    headings = re.findall(r"^## (.+)$", CARD.read_text(encoding="utf-8"), re.M)
    for section in SECTIONS:
        assert section in headings


def test_card_is_listed_in_the_manifest() -> None:
    import json

    paths = {r["path"] for r in json.loads((REPO / "datapackage.json").read_text())["resources"]}
    assert DATACARD in paths


def test_generated_blocks_match_the_data(bundled: cc.Corpus) -> None:
    corpus = bundled
    text = CARD.read_text(encoding="utf-8")
    assert render_counts(corpus) in block(text, "counts"), "run `python scripts/update_datacard.py --rehash`"
    assert render_articles(corpus) in block(text, "articles"), "run `python scripts/update_datacard.py --rehash`"
    assert check_datacard(REPO) == []


def test_counts_are_computed_from_the_data_and_annotation_files(bundled: cc.Corpus) -> None:
    import json

    corpus = bundled
    counts = dict(re.findall(r"^\| (.+?) \| (\d+) \|$", render_counts(corpus), re.M))
    assert int(counts["articles"]) == len(corpus.articles)
    assert int(counts["tokens"]) == len(corpus.tokens)
    assert int(counts["characters (Unicode code points)"]) == sum(len(corpus.text(a)) for a in corpus.article_ids)
    records = [
        json.loads(line)
        for p in sorted((REPO / "annotations" / "records").glob("*.jsonl"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ] if (REPO / "annotations" / "records").is_dir() else []
    assert int(counts["annotation records"]) == len(records)
    for layer in ("mention", "claim", "threat", "stance"):
        assert int(counts[f"annotation records, layer {layer}"]) == sum(r["layer"] == layer for r in records)
    actors_file = REPO / "annotations" / "actors.jsonl"
    n_actors = len([ln for ln in actors_file.read_text().splitlines() if ln.strip()]) if actors_file.exists() else 0
    assert int(counts["actors in the registry"]) == n_actors


def test_card_drift_is_detected_and_fixed_by_the_script(release_copy: Path) -> None:
    import importlib.util

    table = release_copy / "corpus" / "articles.csv"
    extra = "," * (table.read_text(encoding="utf-8").split("\n", 1)[0].count(",") - 11)  # the columns after notes
    with open(table, "a", encoding="utf-8", newline="") as f:
        f.write(f"a-fictional-article,corpus/texts/a-fictional-article.txt,A fictional title,,,,,en,,,,fictional{extra}\n")
    (release_copy / "corpus" / "texts" / "a-fictional-article.txt").write_text("A fictional text.\n", encoding="utf-8")
    rehash(release_copy)
    problems = check_datacard(release_copy)
    assert any("counts block differs" in p for p in problems)
    assert any("articles block differs" in p for p in problems)

    spec = importlib.util.spec_from_file_location("update_datacard", REPO / "scripts" / "update_datacard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(release_copy), "--rehash"]) == 0
    assert check_datacard(release_copy) == []
    text = (release_copy / DATACARD).read_text(encoding="utf-8")
    assert "| articles | 2 |" in block(text, "counts")
    assert "| a-fictional-article | unknown | unknown |" in block(text, "articles")
    assert cc.load(release_copy).version == cc.load().version  # the script leaves the version alone


def test_card_without_annotations_counts_zero(tmp_path: Path) -> None:
    from support import FICTION_ID, write_release

    root = write_release(tmp_path / "r", actors=[], records={})
    counts = render_counts(cc.load(root))
    assert "| annotation records | 0 |" in counts and "| actors in the registry | 0 |" in counts
    assert FICTION_ID in render_articles(cc.load(root))


def test_update_datacard_needs_its_markers() -> None:
    import pytest

    with pytest.raises(ValueError, match="counts:start"):
        update_datacard("# no blocks\n", cc.load())


def test_card_states_facts_and_unknowns_only() -> None:
    text = CARD.read_text(encoding="utf-8")
    assert "Agreement: not measured" in text
    assert "no personal name" in text  # the seed's byline
    row = cc.load().articles.set_index("article_id").loc[SEED_ID]
    assert row["url"] in block(text, "articles")
    assert "doi.org" not in text and not re.search(r"\b10\.\d{4,9}/", text)
