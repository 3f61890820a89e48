"""New names: people and organisations a text names that the actor registry does not hold.

Rules (words from the article language's lexicon; a proposal is never made where a registry
mention already covers the name):

* ``new-person-title``: a person's name right after a title or role noun of the lexicon (kind
  ``role``: president, minister, MP, spokesperson, envoy, ... and the four languages'
  equivalents, in their inflections): ``President Pell Andor``, ``министр Кеса Римм``,
  ``nazir Kesa Rimm``, ``նախարար Կեսա Ռիմմ``. The name is one to three capitalised words; up to
  three lower-case words may stand between title and name (``министр иностранных дел Варнии
  Кеса Римм``), and a registered name among them is skipped; in Russian, Azerbaijani and Armenian a run
  of three capitalised words keeps its last two (the first is a genitive place name). Georgian has
  no capital letters: there the name is the two words after the title whose second ends in a
  Georgian surname ending (kind ``surname``: ``-შვილი``, ``-ძე``, ``-ია``, ... with case endings).
  The title as written becomes the actor's ``role``.
* ``new-person-speaker``: an unresolved speaker of a reporting clause that is a person's name
  (``said Tam Orr``, ``Тама Орр заявил``: two or three capitalised words, none a word of the
  lexicon; in Georgian two words, the second with a surname ending) is a new person, with the
  lowest confidence of these rules (a capitalised name may also be an organisation's).
* ``new-person-apposition`` (English): ``Tam Orr, the Varnian envoy,``: a name of two or three
  capitalised words followed by a comma and a role noun within four words.
* ``new-organisation``: a capitalised name holding an organisation head noun (kind
  ``organisation``: ministry, parliament, party, council, ... in their inflections) of at least
  two words: the head with the capitalised words before it (``National Assembly``, ``Xarici
  İşlər Nazirliyi``, ``Արտաքին գործերի նախարարություն``: lower-case words between capitalised
  ones are kept), and in English ``of`` with capitalised words after it (``Ministry of Foreign
  Affairs of Varnia``; an English head is capitalised: ``a Moscow court`` is a description), in Russian lower-case words and one capitalised word after a capitalised head
  (``Министерство иностранных дел Варнии``); a quoted name beside a head noun is a party's or a
  body's name (``партия «Новая Варния»``, ``«Yeni Varniya» partiyası``). Georgian: the head with up to two
  words before it ending in a genitive or adjective ending (``საგარეო საქმეთა სამინისტრო``).

Each proposal has an id (a slug of the romanised name, made unique against the registry), its
``kind`` (``person`` or ``organisation``) and ``aliases`` (every spelling found, and a person's
last word, the surname, when the name has two or more words and the surname names no registry
actor). A Georgian or Armenian person's name is proposed in its dictionary form when its case
ending is certain (:func:`nominative`), the spelling as written kept among the aliases. Every occurrence of an alias elsewhere in the text is a mention (``mention-new-name``),
so the claim rules find these actors as speakers. Names are proposed as written: an inflected
name in another language (``Кесы Римм``) is proposed in that form, and the person accepting may fix it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .languages import language_rules
from .lexicon import Lexicon, words_regex
from .mentions import Found, other_forms

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_GEN_KA = ("ის", "თა", "ო", "ული", "ური", "ელი")  # Georgian genitive and adjective endings before a head noun


@dataclass
class NewActor:
    """A proposed actor: ``start:end`` is its first occurrence."""

    actor_id: str
    name: str
    kind: str
    aliases: list[str]
    role: str
    start: int
    end: int
    rule: str
    spans: list[tuple[int, int]] = field(default_factory=list)


def _cap(word: str) -> bool:
    return word[:1].isupper()


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _adjacent(text: str, a_end: int, b_start: int) -> bool:
    """Only white space (no punctuation, no line break of a new paragraph) between two tokens."""
    gap = text[a_end:b_start]
    return gap.strip() == "" and "\n\n" not in gap


def _slug(name: str) -> str:
    from ..text.translit import romanize

    return re.sub(r"[^a-z0-9]+", "-", romanize(name).lower()).strip("-")


def find_new_actors(text: str, lex: Lexicon, mentions: Sequence[Found], actors: Sequence[Mapping[str, Any]],
                    speakers: Sequence[tuple[int, int]] = ()) -> list[NewActor]:
    """New actors proposed in ``text`` (rules in the module docstring), in order of first occurrence.
    ``speakers``: spans of unresolved speakers the claim rules found (``new-person-speaker``)."""
    lang = language_rules(lex.language)
    toks = _tokens(text)
    covered = [(m.start, m.end) for m in mentions]

    def in_registry(s: int, e: int) -> bool:
        return any(cs < e and s < ce for cs, ce in covered)

    found: list[tuple[int, int, str, str, str, int, int]] = []  # start, end, kind, role, rule, and the head's span
    role_re = re.compile(words_regex(list(lex.role)), re.I)
    determiners = set(lex.determiner)
    starts = [t[0] for t in toks]
    for m in role_re.finditer(text):
        i = bisect.bisect_left(starts, m.end())
        if i >= len(toks) or not _adjacent(text, m.end(), toks[i][0]):
            continue
        span = _person_after(text, toks, i, lang.cased, lang.code, lex, in_registry)
        if span:
            found.append((span[0], span[1], "person", text[m.start():m.end()], "new-person-title", *span))
    if lang.code == "en":
        appos = re.compile(r"((?:[A-Z][\w'’-]+\s+){1,2}[A-Z][\w'’-]+),\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?("
                           + words_regex(list(lex.role)) + r")\b")
        for m in appos.finditer(text):
            first = m.group(1).split()[0]
            if first.lower() in determiners or first in ("The", "A", "An"):
                continue
            found.append((m.start(1), m.end(1), "person", m.group(2), "new-person-apposition", m.start(1), m.end(1)))
    found += _organisations(text, toks, lex, lang.cased, lang.code)
    for s, e in speakers:
        if looks_like_name(text[s:e], lex):
            found.append((s, e, "person", "", "new-person-speaker", s, e))
    # a person's name, or an organisation's head noun, that a registry mention covers is known already
    # (names inside an organisation's name are mentions of their own: "Ministry of Water of Varnia")
    found = [f for f in found if not in_registry(f[5], f[6])]
    return _group(text, [f[:5] for f in found], mentions, actors, lex.language)


def looks_like_name(words: str, lex: Lexicon) -> bool:
    """True when an unresolved speaker (``said Tam Orr``, ``Там Орр заявил``) is a person's name: two
    or three capitalised words and nothing else, none of them a word of the lexicon (a role, an
    organisation head, a pronoun, a determiner); in Georgian two words, the second with a surname
    ending."""
    toks = [t[2] for t in _tokens(words)]
    if not 2 <= len(toks) <= 3 or " ".join(toks) != " ".join(words.split()):
        return False
    known = {**lex.role, **lex.organisation, **lex.pronoun, **lex.determiner, **lex.clause, **lex.preposition}
    if any(t.lower() in known or any(ch.isdigit() for ch in t) for t in toks):
        return False
    if not language_rules(lex.language).cased:
        return len(toks) == 2 and any(toks[1].endswith(e) and len(toks[1]) > len(e) + 1 for e in lex.surname)
    return all(_cap(t) and not (t.isupper() and len(t) > 1) for t in toks)


def _person_after(text: str, toks: list[tuple[int, int, str]], i: int, cased: bool, code: str, lex: Lexicon,
                  in_registry: Any) -> tuple[int, int] | None:
    if not cased:  # Georgian: two words, the second with a surname ending
        if i + 1 >= len(toks) or not _adjacent(text, toks[i][1], toks[i + 1][0]):
            return None
        last = toks[i + 1][2]
        if any(last.endswith(e) and len(last) > len(e) + 1 for e in lex.surname):
            return toks[i][0], toks[i + 1][1]
        return None
    j = i
    lower = 0
    while j < len(toks) and not _cap(toks[j][2]) and lower < 3 and code != "en":  # "министр иностранных дел ..."
        if j > i and not _adjacent(text, toks[j - 1][1], toks[j][0]):
            return None
        j, lower = j + 1, lower + 1
    run: list[tuple[int, int, str]] = []
    while j < len(toks) and _cap(toks[j][2]) and len(run) < 4:
        if (run or j > i) and not _adjacent(text, toks[j - 1][1], toks[j][0]):
            break
        run.append(toks[j])
        j += 1
    while run and in_registry(run[0][0], run[0][1]):
        run.pop(0)  # a registered place name before the name: "министр Варнии Кеса Римм"
    if any(in_registry(t[0], t[1]) for t in run):
        return None  # a registered name in the run: the person is (probably) that actor ("President Vladimir Putin")
    if not run or len(run) > 3 or (lower and len(run) < 2):
        return None
    if len(run) == 3 and code in ("ru", "az", "hy"):
        run = run[1:]
    if any(t[2].isupper() and len(t[2]) > 1 for t in run):  # an acronym ("the minister NATO ...") is no name
        return None
    end = run[-1][1]
    if text[end - 2:end] in ("'s", "’s"):
        end -= 2  # "envoy Tam Orr's remarks": the name without the possessive
    return run[0][0], end


def _organisations(text: str, toks: list[tuple[int, int, str]], lex: Lexicon, cased: bool,
                   code: str) -> list[tuple[int, int, str, str, str, int, int]]:
    out = []
    heads = {k for k in lex.organisation if " " not in k}
    determiners = set(lex.determiner)
    for i, (s, e, w) in enumerate(toks):
        if w.lower() not in heads:
            continue
        quoted = _quoted_name(text, s, e)
        if quoted:
            out.append((*quoted, "organisation", "", "new-organisation", *quoted))
            continue
        lo = hi = i
        if code == "en" and not _cap(w):
            continue  # an English name capitalises its head: "a Moscow court" is a description
        if cased:
            k = i
            while k > 0 and i - k < 3 and _adjacent(text, toks[k - 1][1], toks[k][0]) \
                    and toks[k - 1][2].lower() not in determiners:
                k -= 1
                if _cap(toks[k][2]):
                    lo = k
            if not _cap(toks[lo][2]):
                continue
            while code == "en" and hi + 1 < len(toks) and toks[hi + 1][2] == "of" \
                    and _adjacent(text, toks[hi][1], toks[hi + 1][0]):  # "Ministry of Water of Varnia"
                k = hi + 2
                if k < len(toks) and toks[k][2] == "the":
                    k += 1
                start_hi = hi
                while k < len(toks) and (_cap(toks[k][2]) or (toks[k][2] == "and" and k + 1 < len(toks) and _cap(toks[k + 1][2]))) \
                        and _adjacent(text, toks[k - 1][1], toks[k][0]):
                    hi = k
                    k += 1
                if hi == start_hi:
                    break
            if code == "ru" and lo == i:  # "Министерство иностранных дел Варнии"
                k = i + 1
                while k < len(toks) and k - i <= 3 and not _cap(toks[k][2]) and _adjacent(text, toks[k - 1][1], toks[k][0]):
                    k += 1
                if k < len(toks) and k > i + 1 and _cap(toks[k][2]) and _adjacent(text, toks[k - 1][1], toks[k][0]):
                    hi = k
        else:  # Georgian
            k = i
            while k > 0 and i - k < 2 and _adjacent(text, toks[k - 1][1], toks[k][0]) and toks[k - 1][2].endswith(_GEN_KA):
                k -= 1
            lo = k
        if hi == lo:
            continue  # one word ("Parliament", "the ministry") is too general to be a name
        out.append((toks[lo][0], toks[hi][1], "organisation", "", "new-organisation", s, e))
    return out


_QUOTED = r"([^\s«»„“”\"][^«»„“”\"\n]{0,58}[^\s«»„“”\"])"  # a name in quotation marks, no space at its edges


def _quoted_name(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The name inside the quotation marks right after (or before) a head noun: партия «Новая Варния»."""
    after = re.match(r"\s+[«„“\"]" + _QUOTED + r"[»“”\"]", text[e:e + 80])
    if after:
        return e + after.start(1), e + after.end(1)
    before = re.search(r"[«„“\"]" + _QUOTED + r"[»“”\"]\s+$", text[max(0, s - 80):s])
    if before:
        base = max(0, s - 80)
        return base + before.start(1), base + before.end(1)
    return None


_KA_VOWELS = "აეიოუ"


def nominative(name: str, code: str) -> str:
    """A person's name in its dictionary form where the case ending is certain: Georgian
    ergative, genitive and dative endings (``ლენკაშვილმა``, ``-ის``, ``-ს``: ``ლენკაშვილი``;
    ``რიმმა``: ``რიმი``; ``ტოვამ``: ``ტოვა``) and the Armenian article ``-ը`` (``Լենկը``: ``Լենկ``).
    Other languages' names are kept as written (their endings are not told apart from the name's
    own last letters: Azerbaijani ``Kesa``, Russian ``Римма``).

    >>> nominative("ტოვა ლენკაშვილმა", "ka"), nominative("Տովա Լենկը", "hy"), nominative("Kesa Rimmin", "az")
    ('ტოვა ლენკაშვილი', 'Տովա Լենկ', 'Kesa Rimmin')
    """
    words = name.split()
    if code == "ka":
        out = []
        for w in words:
            m = re.fullmatch(r"(.{2,}?)(მა|ის|მ|ს)", w)
            stem = m.group(1) if m else w
            out.append(stem + "ი" if m and stem[-1] not in _KA_VOWELS else stem)
        return " ".join(out)
    if code == "hy":
        return " ".join(w[:-1] if w.endswith("ը") and len(w) > 2 else w for w in words)
    return name


def _group(text: str, found: list[tuple[int, int, str, str, str]], mentions: Sequence[Found],
           actors: Sequence[Mapping[str, Any]], code: str = "en") -> list[NewActor]:
    taken_ids = {str(a.get("actor_id")) for a in actors}
    registered = {x.casefold() for a in actors for x in [a.get("name") or "", *(a.get("aliases") or [])]}
    by_name: dict[str, NewActor] = {}
    spans: set[tuple[int, int]] = set()
    for s, e, kind, role, rule in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if any(ps <= s and e <= pe for ps, pe in spans):
            continue  # inside a longer proposal already made
        written = " ".join(text[s:e].split())
        name = nominative(written, code) if kind == "person" else written
        key = name.casefold()
        if key in registered or written.casefold() in registered or _names_registered(written, actors):
            continue
        spans.add((s, e))
        if key in by_name:
            by_name[key].spans.append((s, e))
            if written not in by_name[key].aliases:
                by_name[key].aliases.append(written)
            continue
        base = _slug(name) or ("new-person" if kind == "person" else "new-organisation")
        actor_id, n = base, 2
        while actor_id in taken_ids:
            actor_id, n = f"{base}-{n}", n + 1
        taken_ids.add(actor_id)
        by_name[key] = NewActor(actor_id, name, kind, list(dict.fromkeys([name, written])), role, s, e, rule, [(s, e)])
    props = sorted(by_name.values(), key=lambda a: a.start)
    surnames: dict[str, list[NewActor]] = {}
    for a in props:
        if a.kind == "person" and len(a.name.split()) >= 2:
            for full in a.aliases:
                surnames.setdefault(full.split()[-1], []).append(a)
    for surname, owners in surnames.items():
        owners = list({id(o): o for o in owners}.values())
        if len(owners) == 1 and surname.casefold() not in registered and surname.casefold() not in by_name \
                and surname not in owners[0].aliases:
            owners[0].aliases.append(surname)
    return props


def _names_registered(name: str, actors: Sequence[Mapping[str, Any]]) -> bool:
    """True when ``name`` names a registry actor in another form (a case ending, another script), or
    several (ambiguous): such a name is no new actor."""
    from ..text.names import AmbiguousNameError
    from .mentions import _index

    index = _index(tuple((str(a["actor_id"]), str(a.get("name") or "") if a.get("kind") not in ("group", "unnamed") else "",
                          tuple(str(x) for x in a.get("aliases") or [])) for a in actors))
    try:
        return index.match(name) is not None
    except AmbiguousNameError:
        return True


def new_actor_mentions(text: str, proposals: Sequence[NewActor], mentions: Sequence[Found]) -> list[Found]:
    """Every occurrence of a proposed actor's aliases as a whole word, longest first: not across a registry
    mention, but over one inside it (the caller drops those: ``Ministry of Water of Varnia`` is one name)."""
    hits = []
    for a in proposals:
        for alias in a.aliases:
            for m in re.finditer(r"(?<![^\W_])" + re.escape(alias) + r"(?![^\W_])", text):
                hits.append((m.start(), m.end(), a))
    chosen: list[Found] = []
    registry = [(m.start, m.end) for m in mentions]
    taken: list[tuple[int, int]] = []
    for s, e, a in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        # longest first (M3): a registry name strictly inside a new name gives way to it, any other overlap wins
        if any(ts < e and s < te for ts, te in taken) or \
                any(ts < e and s < te and not (s <= ts and te <= e and (ts, te) != (s, e)) for ts, te in registry):
            continue
        taken.append((s, e))
        chosen.append(Found(s, e, a.actor_id, "name", a.kind, "mention-new-name"))
    # other case endings of a proposed name (ლენკაშვილის), as for registered names
    props = [{"actor_id": a.actor_id, "name": a.name, "kind": a.kind, "aliases": a.aliases} for a in proposals]
    for f in other_forms(text, props, taken + [r for r in registry if not any(c.start <= r[0] and r[1] <= c.end for c in chosen)]):
        chosen.append(Found(f.start, f.end, f.actor, f.form, f.kind, "mention-new-name"))
    return sorted(chosen, key=lambda f: (f.start, f.end))
