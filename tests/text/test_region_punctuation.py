"""The region's punctuation in the token rules: one reference per script, and its version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.errors import CorpusFormatError
from caucasus_corpus.text import TOKEN_RULES_VERSION, sentence_spans, tokenize

# Invented sentences (not corpus data): (text, tokens, sentences).
REFERENCE = {
    "Armenian": (
        "Ինչո՞ւ է Վարնիան եկել։ Նախարարն ասաց՝ «Այո՜»։ Հայ֊օստրելյան կամուրջը Մարտի 8֊ին — բաց է։",
        ["Ինչո՞ւ", "է", "Վարնիան", "եկել", "։", "Նախարարն", "ասաց", "՝", "«", "Այո", "՜", "»", "։",
         "Հայ֊օստրելյան", "կամուրջը", "Մարտի", "8֊ին", "—", "բաց", "է", "։"],
        ["Ինչո՞ւ է Վարնիան եկել։", "Նախարարն ասաց՝ «Այո՜»։", "Հայ֊օստրելյան կամուրջը Մարտի 8֊ին — բաց է։"],
    ),
    "Russian": (
        "«Мы готовы», — заявил Пелл Андор. „Да“ — ответил министр Варнии. Ост-Ривер ждёт.",
        ["«", "Мы", "готовы", "»", ",", "—", "заявил", "Пелл", "Андор", ".", "„", "Да", "“", "—", "ответил",
         "министр", "Варнии", ".", "Ост-Ривер", "ждёт", "."],
        ["«Мы готовы», — заявил Пелл Андор.", "„Да“ — ответил министр Варнии.", "Ост-Ривер ждёт."],
    ),
    "Georgian": (
        "მინისტრმა განაცხადა: „ვარნია მზად არის“. ᲝᲡᲢᲠᲔᲚᲘ — არა!",
        ["მინისტრმა", "განაცხადა", ":", "„", "ვარნია", "მზად", "არის", "“", ".", "ᲝᲡᲢᲠᲔᲚᲘ", "—", "არა", "!"],
        ["მინისტრმა განაცხადა: „ვარნია მზად არის“.", "ᲝᲡᲢᲠᲔᲚᲘ — არა!"],
    ),
    "Azerbaijani": (
        "Nazir bildirib ki, “Varniya hazırdır”. İlham Əliyev—Ostrel görüşü «uğurlu» olub.",
        ["Nazir", "bildirib", "ki", ",", "“", "Varniya", "hazırdır", "”", ".", "İlham", "Əliyev", "—", "Ostrel",
         "görüşü", "«", "uğurlu", "»", "olub", "."],
        ["Nazir bildirib ki, “Varniya hazırdır”.", "İlham Əliyev—Ostrel görüşü «uğurlu» olub."],
    ),
}


@pytest.mark.parametrize("script", sorted(REFERENCE))
def test_reference_tokens_and_sentences_per_script(script: str) -> None:
    text, tokens, sentences = REFERENCE[script]
    assert [t.token for t in tokenize(text)] == tokens
    assert [text[s:e] for _p, s, e in sentence_spans(text)] == sentences
    # The engine's one-pass index gives the same tokens and offsets as the reference tokeniser.
    frame = cc.from_texts({"invented": text}).tokens
    assert frame["token"].tolist() == tokens
    assert frame["sentence"].nunique() == len(sentences)
    assert all(text[s:e] == t for s, e, t in zip(frame["start"], frame["end"], frame["token"]))


def test_armenian_marks_inside_a_word_are_matched_without_them() -> None:
    corpus = cc.from_texts({"invented": REFERENCE["Armenian"][0]})
    assert corpus.kwic("ինչու")["keyword"].tolist() == ["Ինչո՞ւ"]
    assert corpus.kwic("այո")["keyword"].tolist() == ["Այո"]
    assert corpus.kwic("։").shape[0] == 3


def test_the_rules_version_is_a_hash_of_the_rules() -> None:
    assert len(TOKEN_RULES_VERSION) == 16 and int(TOKEN_RULES_VERSION, 16) >= 0


def _with_rules(folder: Path, value: object) -> None:
    path = folder / "layout.json"
    layout = json.loads(path.read_text())
    if value is None:
        layout.pop("token_rules")
    else:
        layout["token_rules"] = value
    path.write_text(json.dumps(layout))


@pytest.mark.parametrize("recorded", ["0123456789abcdef", None])
def test_a_shard_folder_made_with_other_rules_is_refused(tmp_path: Path, recorded: str | None) -> None:
    pytest.importorskip("pyarrow")
    folder = cc.build_parquet({"a": REFERENCE["Armenian"][0], "b": REFERENCE["Russian"][0]}, tmp_path / "shards",
                              shard_tokens=10, progress=False)
    assert json.loads((folder / "layout.json").read_text())["token_rules"] == TOKEN_RULES_VERSION
    assert len(cc.open_parquet(folder).kwic("ինչու")) == 1  # made with these rules: opens
    _with_rules(folder, recorded)
    with pytest.raises(CorpusFormatError, match="Rebuild the folder") as info:
        cc.open_parquet(folder)
    assert str(folder / "layout.json") in str(info.value)
    assert (recorded or "before token-rule versions were recorded") in str(info.value)
    with pytest.raises(CorpusFormatError, match="Rebuild the folder"):
        cc.from_parquet(folder)


def test_a_parquet_export_made_with_other_rules_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    folder = cc.from_texts({"a": REFERENCE["Georgian"][0]}).to_parquet(tmp_path / "export")
    assert cc.from_parquet(folder).text("a") == REFERENCE["Georgian"][0]
    _with_rules(folder, "0123456789abcdef")
    with pytest.raises(CorpusFormatError, match="made with token rules '0123456789abcdef'.*Rebuild the folder"):
        cc.from_parquet(folder)
