"""Each suggestion rule on sentences written for the test (fictional names, never the seed text)."""

from __future__ import annotations

import pandas as pd
import pytest

from caucasus_corpus.suggest import RULES, RULESET, suggest
from caucasus_corpus.suggest.lexicon import load_lexicon, parse_lexicon
from caucasus_corpus.suggest.segments import quotations, sentences
from caucasus_corpus.vocab import is_slug

ACTORS = [
    {"actor_id": "varnia", "name": "Varnia", "kind": "state", "aliases": ["Varnia", "Varnian Republic"]},
    {"actor_id": "ostrel", "name": "Ostrel", "kind": "state", "aliases": ["Ostrel"]},
    {"actor_id": "pell-andor", "name": "Pell Andor", "kind": "person", "aliases": ["Pell Andor", "Andor"]},
    {"actor_id": "kesa-rimm", "name": "Kesa Rimm", "kind": "person", "aliases": ["Kesa Rimm", "Rimm"]},
    {"actor_id": "dam-critics", "name": "some critics", "kind": "unnamed", "aliases": []},
    {"actor_id": "unattributed", "name": "unattributed", "kind": "unnamed", "aliases": []},
    {"actor_id": "union-of-ostrel", "name": "Union of Varnians of Ostrel", "kind": "organisation",
     "aliases": ["Union of Varnians of Ostrel"]},
]


def rows(text: str, layer: str, actors: list[dict] = ACTORS, **kw: object) -> list[dict]:
    frame = suggest(text, actors, **kw)
    return [r for r in frame.to_dict("records") if r["layer"] == layer]


def one_claim(text: str, **kw: object) -> dict:
    claims = rows(text, "claim", **kw)
    assert len(claims) == 1, [c["text"] for c in claims]
    return claims[0]


# -- mentions ---------------------------------------------------------------------------------------
def test_mentions_are_whole_words_longest_first_with_registered_case() -> None:
    text = "Pell Andor met the Varnian envoy; Andor's aide and varnia staff praised the Varnian Republic."
    found = [(r["text"], r["actor"], r["form"]) for r in rows(text, "mention")]
    # "Pell Andor" is one mention (not also "Andor"); "Varnian" is not "Varnia"; lower-case "varnia" is not a name
    assert found == [("Pell Andor", "pell-andor", "name"), ("Andor", "pell-andor", "name"),
                     ("Varnian Republic", "varnia", "name")]


def test_parts_of_a_hyphenated_compound_are_mentions_but_not_inside_a_longer_name() -> None:
    text = "Varnia-Ostrel talks resumed. The Union of Varnians of Ostrel met."
    found = [(r["text"], r["actor"]) for r in rows(text, "mention")]
    assert found == [("Varnia", "varnia"), ("Ostrel", "ostrel"), ("Union of Varnians of Ostrel", "union-of-ostrel")]


def test_names_inside_a_conflict_name_are_not_mentions() -> None:
    text = "The Varnia-Ostrel Dam war ended, and Varnia-Ostrel trade grew."
    found = [r["start"] for r in rows(text, "mention")]
    assert found == [text.index("Varnia-Ostrel trade"), text.index("Ostrel trade")]


def test_a_description_from_the_registry_is_a_nominal_mention_at_a_sentence_start_too() -> None:
    text = "Some critics doubt it. Pell Andor met some critics."
    found = [(r["text"], r["form"]) for r in rows(text, "mention") if r["actor"] == "dam-critics"]
    assert found == [("Some critics", "nominal"), ("some critics", "nominal")]


def test_an_alias_registered_for_two_actors_is_not_proposed() -> None:
    actors = ACTORS + [{"actor_id": "andor-river", "name": "Andor River", "kind": "group", "aliases": ["Andor"]}]
    assert [r["text"] for r in rows("Andor rose again.", "mention", actors)] == []


# -- quotations -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    '"The river is ours," said Pell Andor.',
    '\u201cThe river is ours,\u201d said Pell Andor.',
    '\u2018The river is ours,\u2019 said Pell Andor.',
    '\u00abThe river is ours,\u00bb said Pell Andor.',
    '"The river is ours," Pell Andor said.',
    'Pell Andor said: "The river is ours."',
])
def test_a_quotation_with_its_reporting_clause_is_a_direct_claim(text: str) -> None:
    c = one_claim(text)
    assert (c["text"], c["speaker"], c["cue"], c["attribution"]) == ("The river is ours", "pell-andor", "said", "direct")
    assert c["rule"].startswith("quote-frame") and "speaker-mention" in c["rule"]


def test_each_sentence_of_a_quotation_is_one_claim_and_a_question_keeps_its_mark() -> None:
    text = '"Why did Ostrel build it? We will never accept it. It must go," said Kesa Rimm.'
    claims = rows(text, "claim")
    assert [(c["text"], c["claim_type"]) for c in claims] == [
        ("Why did Ostrel build it?", "question"), ("We will never accept it", "prediction"), ("It must go", "demand")]
    assert {c["speaker"] for c in claims} == {"kesa-rimm"}


def test_a_nested_quotation_keeps_its_marks_inside_the_span() -> None:
    text = '"Ostrel\'s offer was \u2018a fair deal\u2019 at first," said Pell Andor.'
    c = one_claim(text)
    assert c["text"] == "Ostrel's offer was \u2018a fair deal\u2019 at first"
    assert c["speaker"] == "pell-andor"


def test_a_quotation_continued_across_a_paragraph_break_keeps_one_speaker() -> None:
    text = ('"The first part of the statement ends here.\n\n'
            '"The second paragraph goes on," said Kesa Rimm.\n')
    assert [(q.run, text[q.start:q.end]) for q in quotations(text)] == [
        (0, "The first part of the statement ends here."), (0, "The second paragraph goes on,")]
    claims = rows(text, "claim")
    assert [(c["text"], c["speaker"], c["attribution"]) for c in claims] == [
        ("The first part of the statement ends here", "kesa-rimm", "direct"),
        ("The second paragraph goes on", "kesa-rimm", "direct")]


def test_a_quotation_with_no_clause_takes_the_previous_one_of_its_paragraph() -> None:
    text = '"We stay," said Pell Andor. "We will not move."'
    claims = rows(text, "claim")
    assert [(c["text"], c["speaker"], c["rule"].split("+")[0]) for c in claims] == [
        ("We stay", "pell-andor", "quote-frame"), ("We will not move", "pell-andor", "quote-continued")]


def test_apostrophes_and_plural_possessives_are_not_quotation_marks() -> None:
    text = "The Varnians' rights and Ostrel's plans don't change."
    assert quotations(text) == []


def test_sentences_do_not_end_after_abbreviations_or_initials() -> None:
    text = "Mr. Andor met Dr. K. Rimm. They spoke."
    assert [text[s:e] for s, e in sentences(text)] == ["Mr. Andor met Dr. K. Rimm.", "They spoke."]


# -- reporting clauses ------------------------------------------------------------------------------
def test_an_indirect_report_starts_after_that_even_past_an_adverbial() -> None:
    c = one_claim("Kesa Rimm said on Monday that the dam leaks badly.")
    assert (c["text"], c["speaker"], c["cue"], c["attribution"]) == ("the dam leaks badly", "kesa-rimm", "said", "indirect")


def test_a_quoted_fragment_makes_a_claim_mixed_and_keeps_its_marks() -> None:
    c = one_claim('Pell Andor described the plan as "a grave mistake".')
    assert (c["text"], c["attribution"], c["cue"]) == ('the plan as "a grave mistake"', "mixed", "described")


def test_a_quotation_built_into_the_sentence_is_mixed_without_its_enclosing_marks() -> None:
    c = one_claim('Kesa Rimm called for "an inquiry into the dam".')
    assert (c["text"], c["attribution"], c["cue"], c["claim_type"]) == ("an inquiry into the dam", "mixed", "called for", "demand")


def test_the_cue_takes_a_manner_phrase_and_a_verb_of_belief() -> None:
    assert one_claim("Pell Andor noted with regret that Ostrel ignored the court.")["cue"] == "noted with regret"
    c = one_claim("Kesa Rimm said she believes the dam will fail.")
    assert (c["cue"], c["text"]) == ("said she believes", "the dam will fail")


def test_a_trailing_relay_clause_ends_the_content() -> None:
    c = one_claim("Pell Andor stressed that the border stays open, the Ostrel radio reported.")
    assert (c["text"], c["speaker"], c["cue"]) == ("the border stays open", "pell-andor", "stressed")


@pytest.mark.parametrize("text", [
    "According to Kesa Rimm, the dam will open in May.",
    "The dam will open in May, according to Kesa Rimm.",
])
def test_according_to(text: str) -> None:
    c = one_claim(text)
    assert (c["text"].lower(), c["speaker"], c["cue"].lower()) == ("the dam will open in May".lower(), "kesa-rimm", "according to")


def test_a_quotation_interrupted_by_its_clause_gives_both_parts_its_speaker() -> None:
    claims = rows('"The river is ours," Pell Andor said, "and the dam will stay closed."', "claim")
    assert [(c["text"], c["speaker"], c["cue"], c["attribution"]) for c in claims] == [
        ("The river is ours", "pell-andor", "said", "direct"), ("and the dam will stay closed", "pell-andor", "said", "direct")]


def test_according_to_after_a_quotation() -> None:
    c = one_claim('"The dam is safe," according to Kesa Rimm.')
    assert (c["text"], c["speaker"], c["cue"], c["attribution"]) == ("The dam is safe", "kesa-rimm", "according to", "direct")


def test_an_impersonal_passive_is_unattributed() -> None:
    text = "Whilst it was thought the dam had failed, some critics suggested it was sabotaged."
    claims = rows(text, "claim")
    assert [(c["text"], c["speaker"], c["cue"]) for c in claims] == [
        ("the dam had failed", "unattributed", "it was thought"),
        ("it was sabotaged", "dam-critics", "suggested")]
    no_such_actor = [a for a in ACTORS if a["actor_id"] != "unattributed"]
    c = rows(text, "claim", no_such_actor)[0]
    assert pd.isna(c["speaker"])
    assert c["speaker_text"] == "it was thought"


def test_a_pronoun_speaker_is_the_nearest_person_mentioned_and_flagged_as_a_guess() -> None:
    text = ("Kesa Rimm said that the talks had failed completely.\n\n"
            '"Ostrel must pay for the damage," she added.')
    claims = rows(text, "claim")
    assert [(c["speaker"], c["speaker_text"], c["cue"]) for c in claims] == [
        ("kesa-rimm", "Kesa Rimm", "said"), ("kesa-rimm", "she", "she added")]
    named = one_claim('"Ostrel must pay for the damage," said Kesa Rimm.')
    assert "speaker-pronoun-guess" in claims[1]["rule"] and claims[1]["confidence"] < named["confidence"]


def test_a_pronoun_goes_to_the_person_the_sentence_is_about_not_to_the_last_speaker() -> None:
    # Kesa Rimm spoke last, but the paragraph before the pronoun is about Pell Andor (the old rule chose Rimm)
    text = ("Kesa Rimm said that the talks had failed completely.\n\n"
            "Pell Andor left the talks early on Monday. He said that the dam will stay closed.")
    claims = rows(text, "claim")
    assert [(c["speaker"], c["speaker_text"]) for c in claims] == [("kesa-rimm", "Kesa Rimm"), ("pell-andor", "He")]


def test_a_pronoun_skips_names_inside_quotations_and_inside_its_own_claim() -> None:
    text = ('Pell Andor arrived late. "We told Kesa Rimm to wait," he said.')
    (c,) = rows(text, "claim")
    assert (c["speaker"], c["speaker_text"]) == ("pell-andor", "he")
    (c,) = rows("Pell Andor arrived late. Kesa Rimm will lose the vote, he said.", "claim")
    assert c["speaker"] == "pell-andor"


def test_they_goes_to_the_nearest_non_person_actor() -> None:
    text = "Pell Andor met the Union of Varnians of Ostrel. They said that the dam must open."
    (c,) = rows(text, "claim")
    assert (c["speaker"], c["speaker_text"]) == ("union-of-ostrel", "They")


def test_a_definite_role_noun_is_resolved_as_a_guess() -> None:
    text = "Pell Andor said that the dam is safe. The spokesman said that inspections will continue."
    claims = rows(text, "claim")
    assert [(c["speaker"], c["speaker_text"]) for c in claims] == [("pell-andor", "Pell Andor"), ("pell-andor", "The spokesman")]
    assert "speaker-role-guess" in claims[1]["rule"]


def test_a_role_noun_goes_to_the_nearest_person_of_that_role() -> None:
    # Pell Andor is registered as a spokesman: "the minister" skips him for the minister named before him
    actors = [dict(a, role="spokesman") if a["actor_id"] == "pell-andor" else a for a in ACTORS]
    text = ("Minister Tova Lenk met Pell Andor in Varnia on Monday. "
            "The minister said that the dam will stay closed.")
    claims = rows(text, "claim", actors)
    assert [(c["speaker"], c["speaker_text"]) for c in claims] == [("tova-lenk", "The minister")]
    assert "speaker-role-guess" in claims[0]["rule"]


def test_an_unknown_speaker_keeps_its_words_so_it_can_become_an_actor() -> None:
    c = one_claim("The Ostrel water board claimed that the dam is legal.")
    assert pd.isna(c["speaker"]) and c["speaker_text"] == "The Ostrel water board"
    assert one_claim("Kesa Rimm on Monday claimed that the dam is legal.")["speaker"] == "kesa-rimm"


def test_nouns_and_possessives_are_not_reporting_clauses() -> None:
    assert rows("Pell Andor's comments on the dam were short and vague.", "claim") == []
    assert rows("His claims about the dam surprised nobody in Varnia.", "claim") == []


# -- threats ----------------------------------------------------------------------------------------
def test_a_threat_cue_in_a_claim_proposes_a_low_confidence_threat_with_its_cameo_code() -> None:
    text = "Pell Andor warned that Ostrel would face sanctions."
    (t,) = rows(text, "threat")
    assert (t["text"], t["speaker"], t["target"], t["cameo"], t["confidence"]) == (
        "Ostrel would face sanctions", "pell-andor", "ostrel", "1312", 0.2)
    assert t["explicitness"] == "implicit" and t["rule"] == "threat-cue"


def test_a_quotation_framed_as_a_threat_is_one_threat_and_first_person_acts_are_explicit() -> None:
    text = ('There was a threat in his reply. "Ostrel has a week. Then we will close the border," '
            "said Pell Andor.")
    (t,) = rows(text, "threat")
    assert t["text"] == "Ostrel has a week. Then we will close the border"
    assert (t["rule"], t["cue"], t["explicitness"], t["target"], t["cameo"]) == (
        "threat-framing", "threat", "explicit", "ostrel", "130")


def test_a_threat_to_something_is_a_danger_not_a_threat() -> None:
    assert rows("Kesa Rimm said that the drought is a threat to the harvest.", "threat") == []


# -- every suggestion -------------------------------------------------------------------------------
def test_every_suggestion_names_the_rule_set_and_known_rules_with_stable_ids() -> None:
    text = '"The river is ours," said Pell Andor. Kesa Rimm warned that Ostrel would face sanctions.'
    first, again = suggest(text, ACTORS), suggest(text, ACTORS)
    assert first["suggestion_id"].tolist() == again["suggestion_id"].tolist()
    assert first["suggestion_id"].is_unique and all(is_slug(s) for s in first["suggestion_id"])
    assert set(first["annotator"]) == {RULESET} and is_slug(RULESET)
    assert {part for r in first["rule"] for part in r.split("+")} <= set(RULES)
    assert set(first["layer"]) == {"mention", "claim", "threat"}


def test_records_hide_what_they_cover_and_their_mentions_name_speakers() -> None:
    text = "The Varnian ministry said that the dam must stop."
    start = text.index("The Varnian ministry")
    record = {"layer": "mention", "start": start, "end": start + 20, "actor": "varnia", "form": "nominal"}
    assert one_claim(text, records=[record])["speaker"] == "varnia"
    claim = {"layer": "claim", "start": text.index("the dam"), "end": len(text) - 1}
    assert rows(text, "claim", records=[record, claim]) == []


def test_layers_are_checked() -> None:
    with pytest.raises(ValueError, match="'stance' is not valid"):
        suggest("Varnia.", ACTORS, layers=("stance",))
    assert rows("Varnia said that Ostrel must leave.", "claim", layers=("mention",)) == []


def test_a_malformed_lexicon_row_is_refused_with_its_line() -> None:
    with pytest.raises(ValueError, match=r"lexicon.tsv:3: a threat cue needs a CAMEO"):
        parse_lexicon("kind\tentry\tforms\tvalue\nverb\tsay\tsaid\t\nthreat\twarn\twarned\t\n")
    with pytest.raises(ValueError, match=r"lexicon.tsv:2: kind 'verbs' is not one of"):
        parse_lexicon("kind\tentry\tforms\tvalue\nverbs\tsay\tsaid\t\n")
    with pytest.raises(ValueError, match=r"lexicon.tsv:2: a source cue's value is where its speaker is"):
        parse_lexicon("kind\tentry\tforms\tvalue\nsource\tby\tby the words of\tafter\n")
    with pytest.raises(ValueError, match=r"language='tr': the suggester has lexicons for en, ru, az, ka, hy"):
        load_lexicon("tr")
    assert "according to" in load_lexicon().source


def test_a_reporting_clause_ending_the_sentence_reports_what_precedes_it() -> None:
    c = one_claim("The dam will close on Monday, Kesa Rimm said.")
    assert (c["text"], c["speaker"], c["cue"], c["rule"].split("+")[0]) == (
        "The dam will close on Monday", "kesa-rimm", "said", "relay-clause")


def test_a_quotation_ending_a_paragraph_does_not_take_the_next_paragraphs_sentence_as_its_clause() -> None:
    text = '"We waited," said Kesa Rimm. "Ostrel must leave."\n\nPell Andor told the press.'
    claims = rows(text, "claim")
    assert [(c["text"], c["speaker"]) for c in claims] == [("We waited", "kesa-rimm"), ("Ostrel must leave", "kesa-rimm")]


def test_a_name_after_a_preposition_modifies_the_subject_and_is_not_the_speaker() -> None:
    c = one_claim("Officials in Varnia said that the dam is safe.")
    assert pd.isna(c["speaker"]) and c["speaker_text"] == "Officials in Varnia"
