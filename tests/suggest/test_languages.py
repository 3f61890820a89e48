"""Suggestions in Russian, Azerbaijani, Georgian and Armenian, chosen by the article's language.

Every text here is invented for the test: the people (Pell Andor, Kesa Rimm, Tova Lenk) and the
countries (Varnia, Ostrel) are fictional, written in each language's script; none is corpus data.
``TEXTS`` is also read by ``benchmarks/bench_suggest.py`` for its per-language figures.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from caucasus_corpus.suggest import suggest
from caucasus_corpus.suggest.languages import LANGUAGES, guess_language, resolve_language
from caucasus_corpus.suggest.lexicon import load_lexicon
from caucasus_corpus.suggest.segments import quotations, sentences
from caucasus_corpus.suggest.suggester import NoRulesWarning


def _actors(varnia: str, ostrel: str, pell: list[str], kesa: list[str]) -> list[dict]:
    return [
        {"actor_id": "varnia", "name": varnia, "kind": "state", "aliases": [varnia]},
        {"actor_id": "ostrel", "name": ostrel, "kind": "state", "aliases": [ostrel]},
        {"actor_id": "pell-andor", "name": pell[0], "kind": "person", "aliases": pell},
        {"actor_id": "kesa-rimm", "name": kesa[0], "kind": "person", "aliases": kesa},
    ]


ACTORS = {
    "ru": _actors("Варния", "Острель", ["Пелл Андор", "Андор"], ["Кеса Римм", "Римм"]),
    "az": _actors("Varniya", "Ostrel", ["Pell Andor", "Andor"], ["Kesa Rimm", "Rimm"]),
    "ka": _actors("ვარნია", "ოსტრელი", ["პელ ანდორი"], ["კესა რიმი"]),
    "hy": _actors("Վառնիա", "Օստրել", ["Պել Անդոր"], ["Կեսա Ռիմ"]),
}

# (language, invented text, expected claims as (text, speaker, cue, attribution)) -- gold for the
# per-language figures of bench_suggest.py as well as for the tests below.
TEXTS = {
    "ru": ("Кеса Римм заявила, что Варния не откроет плотину. «Мы не уйдём», — сказал Пелл Андор.\n\n"
           "По словам Кеса Римм, плотина будет закрыта до весны. Пелл Андор пригрозил, что Варния введёт санкции.",
           [("Варния не откроет плотину", "kesa-rimm", "заявила", "indirect"),
            ("Мы не уйдём", "pell-andor", "сказал", "direct"),
            ("плотина будет закрыта до весны", "kesa-rimm", "По словам", "indirect"),
            ("Варния введёт санкции", "pell-andor", "пригрозил", "indirect")]),
    "az": ("Kesa Rimm bildirib ki, Varniya bəndi bağlamayacaq. \"Biz getməyəcəyik\", - deyə Pell Andor bildirib.\n\n"
           "Pell Andor Ostrelə gedib. Onun sözlərinə görə, danışıqlar davam edəcək.",
           [("Varniya bəndi bağlamayacaq", "kesa-rimm", "bildirib", "indirect"),
            ("Biz getməyəcəyik", "pell-andor", "bildirib", "direct"),
            ("danışıqlar davam edəcək", "pell-andor", "Onun sözlərinə görə", "indirect")]),
    "ka": ("ვარნიის მინისტრმა ტოვა ლენკაშვილმა განაცხადა, რომ კაშხალი დარჩება. „ჩვენ არ წავალთ“, - თქვა მან.\n\n"
           "მისი თქმით, მოლაპარაკებები გაგრძელდება.",
           [("კაშხალი დარჩება", "tova-lenkashvili", "განაცხადა", "indirect"),
            ("ჩვენ არ წავალთ", "tova-lenkashvili", "თქვა", "direct"),
            ("მოლაპარაკებები გაგრძელდება", "tova-lenkashvili", "მისი თქმით", "indirect")]),
    "hy": ("Կեսա Ռիմ հայտարարել է, որ ամբարտակը բաց կմնա։ Պել Անդոր եկել է Օստրել։ «Մենք չենք հեռանա»,- ասել է նա։\n\n"
           "Նրա խոսքով՝ բանակցությունները կշարունակվեն։",
           [("ամբարտակը բաց կմնա", "kesa-rimm", "հայտարարել է", "indirect"),
            ("Մենք չենք հեռանա", "pell-andor", "ասել է", "direct"),
            ("բանակցությունները կշարունակվեն", "pell-andor", "Նրա խոսքով", "indirect")]),
}


def claims(language: str) -> list[tuple[str, str, str, str]]:
    text, _gold = TEXTS[language]
    frame = suggest(text, ACTORS[language], language=language)
    return [(r.text, r.speaker, r.cue, r.attribution) for r in frame[frame["layer"] == "claim"].itertuples()]


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_reporting_constructions_of_each_language(language: str) -> None:
    assert claims(language) == TEXTS[language][1]


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_auto_reads_the_language_from_the_letters(language: str) -> None:
    text, gold = TEXTS[language]
    assert guess_language(text) == language
    frame = suggest(text, ACTORS[language])  # language="auto"
    assert len(frame[frame["layer"] == "claim"]) == len(gold)


def test_english_rules_find_nothing_in_a_russian_text_so_the_language_matters() -> None:
    text, _gold = TEXTS["ru"]
    frame = suggest(text, ACTORS["ru"], language="en")
    found = frame[frame["layer"] == "claim"]
    assert len(found) < len(TEXTS["ru"][1]) and found["speaker"].isna().all()  # only a quotation, with no speaker


def test_russian_claim_types_and_threats() -> None:
    text, _gold = TEXTS["ru"]
    frame = suggest(text, ACTORS["ru"], language="ru")
    types = dict(zip(frame[frame["layer"] == "claim"]["text"], frame[frame["layer"] == "claim"]["claim_type"]))
    assert types["плотина будет закрыта до весны"] == "prediction"
    threats = frame[frame["layer"] == "threat"]
    assert [(t.text, t.speaker, t.cameo, t.confidence) for t in threats.itertuples()] == [
        ("Варния введёт санкции", "pell-andor", "1312", 0.2)]


def test_each_languages_quotation_marks() -> None:
    ru = "Он сказал: «Это „наш“ берег». Потом ушёл."
    assert [ru[q.start:q.end] for q in quotations(ru)] == ["Это „наш“ берег"]
    ka = "მან თქვა: „ეს ჩვენი ნაპირია“. შემდეგ წავიდა."
    assert [ka[q.start:q.end] for q in quotations(ka)] == ["ეს ჩვენი ნაპირია"]
    hy = "Նա ասաց. «Սա մեր ափն է»։ Հետո գնաց։"
    assert [hy[q.start:q.end] for q in quotations(hy)] == ["Սա մեր ափն է"]
    az = "O dedi: «Bu bizim sahilimizdir». Sonra getdi."
    assert [az[q.start:q.end] for q in quotations(az)] == ["Bu bizim sahilimizdir"]


@pytest.mark.parametrize(("text", "expected"), [
    # Armenian full stop; a colon typed for it before an Armenian capital; a colon before a quotation stays a colon
    ("Պելը եկավ։ Նա գնաց: Կեսան մնաց։ Նա ասաց: «Մնում ենք»։",
     ["Պելը եկավ։", "Նա գնաց:", "Կեսան մնաց։", "Նա ասաց: «Մնում ենք»։"]),
    # Georgian has no capital letters: a full stop and a space end the sentence
    ("პელი მოვიდა. კესა წავიდა.", ["პელი მოვიდა.", "კესა წავიდა."]),
    # Russian: a reply after a dash starts a sentence; "г." (year) and an initial do not end one
    ("Он ушёл. — Нет, — сказал он. И. Петров приехал в 2020 г. в Варнию.",
     ["Он ушёл.", "— Нет, — сказал он.", "И. Петров приехал в 2020 г. в Варнию."]),
    ("Pell Andor gəldi. Kesa Rimm getdi.", ["Pell Andor gəldi.", "Kesa Rimm getdi."]),
])
def test_sentences_in_each_script(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text)] == expected


def test_the_armenian_colon_introduces_a_quotation_and_ends_no_sentence() -> None:
    text = "Պել Անդոր ասել է. «Մենք կմնանք»։ Կեսա Ռիմ լռել է։"
    assert [text[s:e] for s, e in sentences(text)] == ["Պել Անդոր ասել է. «Մենք կմնանք»։", "Կեսա Ռիմ լռել է։"]
    (c,) = suggest(text, ACTORS["hy"], language="hy", layers=("claim",)).itertuples()
    assert (c.text, c.speaker, c.cue, c.attribution) == ("Մենք կմնանք", "pell-andor", "ասել է", "direct")


def test_armenian_question_mark_on_a_word_makes_a_question() -> None:
    text = "Կեսա Ռիմ ասել է, որ ինչո՞ւ է Օստրելը լռում։"
    (c,) = suggest(text, ACTORS["hy"], language="hy", layers=("claim",)).itertuples()
    assert c.claim_type == "question"


def test_a_language_without_rules_says_so_and_proposes_only_registered_names() -> None:
    text = "Pell Andor dedi ki, Varnia barajı kapatmayacak."  # invented; Turkish has no rules here
    actors = ACTORS["az"] + [{"actor_id": "varnia-tr", "name": "Varnia", "kind": "state", "aliases": ["Varnia"]}]
    with pytest.warns(NoRulesWarning, match=r"no suggestion rules for language 'tr': rules exist for en, ru, az, ka, hy"):
        frame = suggest(text, actors, language="tr")
    assert set(frame["layer"]) == {"mention"} and "no suggestion rules" in frame.attrs["warning"]
    with pytest.warns(NoRulesWarning, match="none of the five languages"):
        suggest("Ο Πελ Άντορ είπε ότι το φράγμα θα κλείσει.", actors)  # Greek letters, language="auto"


def test_every_language_has_a_lexicon_and_codes_of_three_letters_work() -> None:
    for code in LANGUAGES:
        lex = load_lexicon(code)
        assert lex.verbs and lex.role and lex.threats and lex.complementiser and lex.language == code
    assert [resolve_language(c) for c in ("rus", "aze", "kat", "hye", "EN", "tr")] == ["ru", "az", "ka", "hy", "en", None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a text without letters reads as English, without a warning
        assert suggest("123 — 456.", []).empty


def test_the_lexicons_document_their_sources() -> None:
    from importlib import resources

    doc = resources.files("caucasus_corpus.suggest").joinpath("LEXICON.md").read_text(encoding="utf-8")
    for name in ("lexicon.tsv", "lexicon-ru.tsv", "lexicon-az.tsv", "lexicon-ka.tsv", "lexicon-hy.tsv"):
        assert f"`{name}`" in doc


def test_an_unregistered_russian_speakers_name_is_proposed_as_a_new_person() -> None:
    text = "«Мы останемся», — сказала Лия Марр."  # an unregistered name after the verb, no title
    frame = suggest(text, ACTORS["ru"], language="ru")
    (actor,) = frame[frame["layer"] == "actor"].itertuples()
    assert (actor.text, actor.kind, actor.rule, actor.confidence) == ("Лия Марр", "person", "new-person-speaker", 0.3)
    (c,) = frame[frame["layer"] == "claim"].itertuples()
    assert (c.speaker, c.speaker_text) == (actor.actor, "Лия Марр")
    # two lower-case words, or a role, are no name: the speaker stays unknown
    (c,) = suggest("«Мы останемся», — сказали местные жители.", ACTORS["ru"], language="ru", layers=("claim",)).itertuples()
    assert pd.isna(c.speaker) and c.speaker_text == "местные жители"


def test_registered_names_match_as_folding_matches_words_but_keep_their_capital() -> None:
    actors = [{"actor_id": "ilkin-semyonov", "name": "İlkin Semyonov", "kind": "person",
               "aliases": ["İlkin Səmyonov", "Семёнов", "ᲕᲐᲠᲜᲘᲐ"]}]  # an invented person, three scripts
    text = "ILKIN SƏMYONOV, Ilkin Səmyonov, Семенов, семенов, ვარნია."
    found = [r.text for r in suggest(text, actors, language="az", layers=("mention",)).itertuples()]
    # the four i's, ё = е and Mtavruli = Mkhedruli match; a lower-case "семенов" is no name
    assert found == ["ILKIN SƏMYONOV", "Ilkin Səmyonov", "Семенов", "ვარნია"]


@pytest.mark.parametrize(("language", "text", "expected"), [
    # Russian genitive and dative: "Варнии", "Андору" (registered: Варния, Пелл Андор)
    ("ru", "Кеса Римм заявила, что посол Варнии передал письмо Пеллу Андору.",
     [("Кеса Римм", "kesa-rimm", "mention-alias"), ("Варнии", "varnia", "mention-other-form"),
      ("Пеллу Андору", "pell-andor", "mention-other-form")]),
    # Azerbaijani genitive: "Pell Andorun sözlərinə görə" names its speaker
    ("az", "Pell Andorun sözlərinə görə, danışıqlar davam edəcək.", [("Pell Andorun", "pell-andor", "mention-other-form")]),
    # Georgian ergative of a name registered in the nominative
    ("ka", "კესა რიმმა განაცხადა, რომ კაშხალი დარჩება.", [("კესა რიმმა", "kesa-rimm", "mention-other-form")]),
    # Armenian definite article on a registered name
    ("hy", "Պել Անդորը հայտարարել է, որ ամբարտակը կմնա։", [("Պել Անդորը", "pell-andor", "mention-other-form")]),
])
def test_registered_names_with_case_endings_are_mentions_and_speakers(language: str, text: str, expected: list) -> None:
    frame = suggest(text, ACTORS[language], language=language)
    mentions = frame[frame["layer"] == "mention"]
    assert [(r.text, r.actor, r.rule) for r in mentions.itertuples()] == expected
    assert frame[frame["layer"] == "claim"]["speaker"].tolist() == [expected[0][1]]
    assert frame[frame["layer"] == "actor"].empty  # a known actor is not proposed as a new one


def test_a_name_in_another_script_is_a_mention_but_two_actors_for_one_form_are_not_chosen() -> None:
    actors = [{"actor_id": "tova-lenk", "name": "Tova Lenk", "kind": "person", "aliases": ["Tova Lenk"]}]
    text = "Това Ленк заявила, что граница открыта."
    frame = suggest(text, actors, language="ru")
    assert [(r.text, r.actor) for r in frame[frame["layer"] == "mention"].itertuples()] == [("Това Ленк", "tova-lenk")]
    assert frame[frame["layer"] == "claim"]["speaker"].tolist() == ["tova-lenk"]
    twins = actors + [{"actor_id": "tova-lenk-2", "name": "Tova Lenk", "kind": "person", "aliases": ["Tova Lenka"]}]
    frame = suggest(text, twins, language="ru", layers=("mention",))
    assert frame.empty


@pytest.mark.parametrize(("language", "text", "cameo"), [
    ("ru", "Кеса Римм пригрозила, что Варния введёт блокаду.", "1381"),  # the content's cue first
    ("az", "Kesa Rimm bildirib ki, Varniya sanksiyalar tətbiq edəcək.", "1312"),
    ("ka", "კესა რიმი დაემუქრა, რომ ვარნია ულტიმატუმს წაუყენებს.", "139"),
    ("hy", "Կեսա Ռիմ հայտարարել է, որ Վառնիան շրջափակում կսահմանի։", "1381"),
])
def test_threat_cues_of_each_language(language: str, text: str, cameo: str) -> None:
    frame = suggest(text, ACTORS[language], language=language)
    (threat,) = frame[frame["layer"] == "threat"].itertuples()
    assert (threat.speaker, threat.cameo, threat.confidence) == ("kesa-rimm", cameo, 0.2)


def test_a_session_reads_its_article_with_the_rules_of_the_articles_language(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import caucasus_corpus as cc
    from caucasus_corpus.cli.main import main
    from support import write_release

    root = write_release(tmp_path / "release")
    ru = cc.add_article(root, text="Варния и Острель\n\n" + TEXTS["ru"][0] + "\n", title="Варния и Острель", id="ru-example",
                        language="ru", outlet="example.org", published="2031-03-01", notes="Invented test text.")
    tr = cc.add_article(root, text="Varnia ve Ostrel\n\nPell Andor dedi ki, baraj kapanacak.\n", title="Varnia ve Ostrel",
                        id="tr-example", language="tr", outlet="example.org", published="2031-03-01", notes="Invented test text.")
    found = cc.annotate(root, ru, annotator="t").suggest()
    assert len(found[found["layer"] == "claim"]) == len(TEXTS["ru"][1])
    with pytest.warns(NoRulesWarning, match="no suggestion rules for language 'tr'"):
        found = cc.annotate(root, tr, annotator="t").suggest()
    assert set(found["layer"]) <= {"mention"}
    assert main(["suggest", tr, "--path", str(root)]) == 0
    assert "warning: no suggestion rules for language 'tr'" in capsys.readouterr().err
