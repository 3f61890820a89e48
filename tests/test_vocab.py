"""Each closed vocabulary is named once (caucasus_corpus.vocab); the shipped JSON Schemas agree."""

from __future__ import annotations

import json

import pytest

from caucasus_corpus import vocab
from support import REPO

RECORD = json.loads((REPO / "annotations" / "schema" / "record.schema.json").read_text(encoding="utf-8"))
ACTOR = json.loads((REPO / "annotations" / "schema" / "actor.schema.json").read_text(encoding="utf-8"))
ADJUDICATION = json.loads((REPO / "annotations" / "schema" / "adjudication.schema.json").read_text(encoding="utf-8"))
ARTICLE = json.loads((REPO / "corpus" / "schema" / "article.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("schema_values", "names"), [
    (RECORD["properties"]["layer"]["enum"], vocab.LAYERS),
    (RECORD["$defs"]["mention"]["properties"]["form"]["enum"], vocab.MENTION_FORMS),
    (RECORD["$defs"]["claim"]["properties"]["attribution"]["enum"], vocab.ATTRIBUTIONS),
    (RECORD["$defs"]["claim"]["properties"]["claim_type"]["enum"], vocab.CLAIM_TYPES),
    (RECORD["$defs"]["threat"]["properties"]["explicitness"]["enum"], vocab.EXPLICITNESS),
    (RECORD["$defs"]["threat"]["properties"]["plover_mode"]["enum"], vocab.PLOVER_MODES),
    (RECORD["$defs"]["stance"]["properties"]["polarity"]["enum"], vocab.POLARITIES),
    (ACTOR["properties"]["kind"]["enum"], vocab.ACTOR_KINDS),
    (ADJUDICATION["properties"]["decision"]["enum"], vocab.ADJUDICATION_DECISIONS),
    (ADJUDICATION["properties"]["layer"]["enum"], vocab.LAYERS),
    ([g for g in ARTICLE["properties"]["genre"]["enum"] if g], vocab.GENRES),
    ([g for g in ARTICLE["properties"]["published_source"]["enum"] if g], vocab.PUBLISHED_SOURCES),
    ([g for g in ARTICLE["properties"]["access_rights"]["enum"] if g], vocab.ACCESS_RIGHTS),
])
def test_schema_enums_equal_the_vocabulary(schema_values: list[str], names: tuple[str, ...]) -> None:
    assert tuple(schema_values) == names


def test_every_schema_id_pattern_is_the_slug() -> None:
    patterns = [RECORD["properties"]["id"]["pattern"], RECORD["properties"]["article_id"]["pattern"],
                RECORD["$defs"]["actor_ref"]["pattern"], ACTOR["properties"]["actor_id"]["pattern"],
                ARTICLE["properties"]["article_id"]["pattern"], ADJUDICATION["$defs"]["slug"]["pattern"]]
    assert set(patterns) == {vocab.SLUG_PATTERN}


def test_layer_conditions_cover_every_layer() -> None:
    conditioned = [rule["if"]["properties"]["layer"]["const"] for rule in RECORD["allOf"]]
    assert tuple(conditioned) == vocab.LAYERS
    assert set(vocab.PRINCIPAL) == set(vocab.LAYERS)


def test_is_slug_is_a_full_match() -> None:
    # re.match with "$" would accept a trailing newline; ids with one must be refused.
    assert vocab.is_slug("m1") and not vocab.is_slug("m1\n") and not vocab.is_slug("") and not vocab.is_slug(None)
    assert not vocab.is_slug("../x") and not vocab.is_slug("A-b") and not vocab.is_slug("a b")


def test_no_module_types_a_vocabulary_out_again() -> None:
    # A closed set typed out a second time drifts: look for the literal tuples outside vocab.py.
    src = REPO / "src" / "caucasus_corpus"
    literals = {
        "LAYERS": '("mention", "claim", "threat", "stance")',
        "MATCH_MODES": '("exact", "glob", "regex")',
        "BUMP_PARTS": '["major", "minor", "patch"]',
        "BUMP_LEVELS": '("none", "patch", "minor", "major")',
        "CLAIM_TYPES": '("assertion", "evaluation", "prediction", "demand", "question")',
        "ATTRIBUTIONS": '("direct", "indirect", "mixed", "authorial")',
        "POLARITIES": '("favor", "against", "none")',
        "SLUG": "[a-z0-9][a-z0-9-]*$",
    }
    found = [f"{p.relative_to(REPO)}: {name}" for p in src.rglob("*.py") if p.name != "vocab.py"
             for name, lit in literals.items() if lit in p.read_text(encoding="utf-8")]
    assert not found, found


def test_layer_attributes_are_the_record_schema_properties() -> None:
    common = set(RECORD["properties"])
    for layer, names in vocab.LAYER_ATTRIBUTES.items():
        assert set(RECORD["$defs"][layer]["properties"]) - common == set(names) - {"note"}, layer
    assert tuple(vocab.RECORD_ID_CODES) == vocab.LAYERS


def test_agreement_attributes_are_record_attributes() -> None:
    assert tuple(vocab.AGREEMENT_ATTRIBUTES) == vocab.LAYERS
    for layer, names in vocab.AGREEMENT_ATTRIBUTES.items():
        assert set(names) <= set(vocab.LAYER_ATTRIBUTES[layer]), layer
