"""The shipped lexicon of the suggester (``lexicon.tsv`` beside this module; ``LEXICON.md`` documents it).

One row per entry: ``kind`` (what the rules use it for), ``entry`` (its name), ``forms`` (every
inflection matched, comma-separated, as whole words, case-insensitive) and ``value`` (a claim type
for reporting verbs and type cues, a CAMEO THREATEN code for threat cues, else empty).

>>> lex = load_lexicon()
>>> lex.verbs["noted"], lex.threats["ultimatum"]
(('note', ''), ('ultimatum', '139'))
>>> load_lexicon("ru").verbs["заявила"], load_lexicon("hy").complementiser["որ"]
(('заявить', ''), ('that', ''))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..vocab import CLAIM_TYPES

LEXICON_FILE = "lexicon.tsv"
KINDS = ("verb", "source", "impersonal", "belief", "role", "pronoun", "threat", "type", "complementiser", "clause",
         "determiner", "preposition", "organisation", "surname")
# Where a source cue's speaker is written (``value`` of kind ``source``): after it ("according to X",
# empty value), before it ("Əliyevin sözlərinə görə") or in it ("მისი თქმით": "by his words").
SOURCE_POSITIONS = ("", "before", "pronoun")
_HEADER = ["kind", "entry", "forms", "value"]


@dataclass(frozen=True, eq=False)  # hashed by identity: the regex cache keys on it
class Lexicon:
    """The lexicon's forms by kind: each maps a lower-case form to ``(entry, value)``."""

    verbs: dict[str, tuple[str, str]] = field(default_factory=dict)
    source: dict[str, tuple[str, str]] = field(default_factory=dict)
    impersonal: dict[str, tuple[str, str]] = field(default_factory=dict)
    belief: dict[str, tuple[str, str]] = field(default_factory=dict)
    role: dict[str, tuple[str, str]] = field(default_factory=dict)
    pronoun: dict[str, tuple[str, str]] = field(default_factory=dict)
    threats: dict[str, tuple[str, str]] = field(default_factory=dict)
    types: dict[str, tuple[str, str]] = field(default_factory=dict)
    complementiser: dict[str, tuple[str, str]] = field(default_factory=dict)
    clause: dict[str, tuple[str, str]] = field(default_factory=dict)
    determiner: dict[str, tuple[str, str]] = field(default_factory=dict)
    preposition: dict[str, tuple[str, str]] = field(default_factory=dict)
    organisation: dict[str, tuple[str, str]] = field(default_factory=dict)
    surname: dict[str, tuple[str, str]] = field(default_factory=dict)
    language: str = "en"

    def pattern(self, *kinds: str) -> re.Pattern[str]:
        """A case-insensitive regex matching any form of ``kinds`` as whole words, longest first."""
        return _pattern(self, kinds)


def words_regex(forms: list[str]) -> str:
    """Alternatives matching ``forms`` as whole words (not inside a longer word), longest first."""
    if not forms:
        return "(?!)"  # no form: matches nothing (an empty alternation would match everywhere)
    alts = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(set(forms), key=lambda f: (-len(f), f)))
    return rf"(?<![\w'’-])(?:{alts})(?![\w-])"


@lru_cache(maxsize=None)
def _pattern(lex: Lexicon, kinds: tuple[str, ...]) -> re.Pattern[str]:
    forms = [f for k in kinds for f in getattr(lex, _ATTR[k])]
    return re.compile(words_regex(forms), re.IGNORECASE)


_ATTR = {"verb": "verbs", "threat": "threats", "type": "types", **{k: k for k in KINDS if k not in ("verb", "threat", "type")}}


def parse_lexicon(data: str, where: str = LEXICON_FILE, *, language: str = "en") -> Lexicon:
    """A :class:`Lexicon` from the TSV text ``data``; errors name ``where``, the line and the fix."""
    lines = data.split("\n")
    if lines[0].split("\t") != _HEADER:
        raise ValueError(f"{where}:1: the header must be {' <TAB> '.join(_HEADER)}")
    lex = Lexicon(language=language)
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(_HEADER):
            raise ValueError(f"{where}:{n}: {len(cells)} cells, expected {len(_HEADER)} separated by tabs")
        kind, entry, forms, value = cells
        if kind not in KINDS:
            raise ValueError(f"{where}:{n}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if kind in ("verb", "type") and value and value not in CLAIM_TYPES:
            raise ValueError(f"{where}:{n}: value {value!r} is not a claim type ({', '.join(CLAIM_TYPES)})")
        if kind == "threat" and not value.isdigit():
            raise ValueError(f"{where}:{n}: a threat cue needs a CAMEO THREATEN code in value, e.g. 130")
        if kind == "source" and value not in SOURCE_POSITIONS:
            raise ValueError(f"{where}:{n}: a source cue's value is where its speaker is: empty (after the cue), "
                             "'before' or 'pronoun'")
        table = getattr(lex, _ATTR[kind])
        for form in (f.strip() for f in forms.split(",")):
            if not form:
                raise ValueError(f"{where}:{n}: an empty form; separate forms by single commas")
            table.setdefault(form.lower(), (entry, value))
    return lex


@lru_cache(maxsize=None)
def load_lexicon(language: str = "en") -> Lexicon:
    """The shipped lexicon of ``language`` (a code of :data:`.languages.LANGUAGES`; each read once)."""
    from .languages import LANGUAGES, language_rules

    if language not in LANGUAGES:
        raise ValueError(f"language={language!r}: the suggester has lexicons for {', '.join(LANGUAGES)}")
    name = language_rules(language).lexicon_file
    data = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return parse_lexicon(data, f"caucasus_corpus/suggest/{name}", language=language)
