"""``suggest(text, actors)``: every rule run on one text, as a DataFrame of suggestions.

Threat rules (threats are always proposed with low confidence, 0.2):

* ``threat-cue``: a claim whose cue or content holds a threat cue of the lexicon (``warned``,
  ``threatened``, ``ultimatum``, ``sanctions``, ``sever ties``, ...) is proposed as a threat with
  the claim's span; the CAMEO code is the cue's in the lexicon. The noun in ``a threat to X``
  names a danger, not a threat (guidelines T1), and is no cue.
* ``threat-framing``: a quotation whose reporting clause, or the sentence right before it in
  its paragraph, holds a threat cue (the author calls it a threat, T2) is proposed as one threat
  spanning the whole quotation, with that cue.

A threat's speaker is the claim's; its target the first actor mentioned in the span other than
the speaker; ``explicit`` when the span announces the speaker's own act in the first person
(``I will``, ``we shall``, T4), else ``implicit``.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._frames import typed_frame
from .._options import check_choice
from ..analysis.matching import spans_match
from ..vocab import LAYERS
from .claims import Candidate, Reader, resolve_speakers
from .languages import LANGUAGES, language_rules, resolve_language
from .lexicon import Lexicon, load_lexicon
from .mentions import Found, find_mentions
from .names import NewActor, find_new_actors, looks_like_name, new_actor_mentions

if TYPE_CHECKING:
    import pandas as pd

# The rule set's name and version: the ``annotator`` of every suggestion (a slug).
RULESET = "auto-rules-2"
# The layers the rules propose (stance needs judgement no rule here makes), and new actors for the registry.
SUGGEST_LAYERS = (*(layer for layer in LAYERS if layer != "stance"), "actor")


class NoRulesWarning(UserWarning):
    """The article's language has no suggestion rules: only registered names are proposed."""

# Every rule, by the name a suggestion's ``rule`` column gives (the modules' docstrings say more).
RULES = {
    "mention-alias": "an actor's alias as a whole word, longest match first (mentions)",
    "mention-description": "the canonical name of a group or unnamed actor, as a description (mentions)",
    "mention-conflict-name": "a name inside a hyphenated conflict name is not proposed (mentions)",
    "mention-other-form": "a registered name with a case ending or in another script: Варнии, Алиев for Aliyev (mentions)",
    "mention-new-name": "an alias of a proposed new actor, outside registry mentions (mentions)",
    "new-person-title": "a person's name after a title or role noun: President Pell Andor (actors)",
    "new-person-speaker": "an unresolved speaker that is a person's name: said Tam Orr (actors)",
    "new-person-apposition": "a name followed by ', the ROLE': Tam Orr, the envoy (actors, English)",
    "new-organisation": "a capitalised name with an organisation head noun: Ministry of Foreign Affairs (actors)",
    "quote-frame": "a quotation with its reporting clause after or before it (claims)",
    "quote-continued": "a quotation without a clause takes its paragraph's framed quotation's speaker (claims)",
    "quote-unframed": "a quotation with no clause in its paragraph, without a speaker (claims)",
    "report-clause": "SPEAKER VERB [that] CONTENT outside quotations (claims)",
    "relay-clause": "CONTENT, SPEAKER VERB. at the end of a sentence (claims)",
    "according-to": "according to X, CONTENT (claims)",
    "impersonal": "it was thought (that) CONTENT (claims)",
    "speaker-mention": "the speaker is the mention nearest the cue in the reporting clause (claims)",
    "speaker-pronoun-guess": "he/she resolved to the nearest preceding person mention, they to a non-person one (claims)",
    "speaker-role-guess": "'the minister' resolved to the nearest preceding person of a compatible role (claims)",
    "claim-type": "question, the verb's type, or the first type cue in the content (claims)",
    "threat-cue": "a claim with a threat cue in its cue or content (threats)",
    "threat-framing": "a quotation the author frames as a threat (threats)",
}

SUGGESTION_COLUMNS = {
    "suggestion_id": "string", "layer": "string", "start": "int64", "end": "int64", "text": "string",
    "speaker": "string", "speaker_text": "string", "actor": "string", "form": "string", "cue": "string",
    "cue_start": "Int64", "cue_end": "Int64", "attribution": "string", "claim_type": "string",
    "targets": "object", "target": "string", "explicitness": "string", "cameo": "string",
    "kind": "string", "aliases": "object", "role": "string",
    "annotator": "string", "confidence": "float64", "rule": "string",
}

_DANGER = re.compile(r"\s+to\b", re.I)  # "a threat to the prospects": a danger (T1)
_FIRST_PERSON_ACT = re.compile(r"\b(?:I|we)\s+(?:will|shall|are going to|am going to)\b|\bI'll\b|\bwe'll\b", re.I)


def suggestion_id(layer: str, start: int, end: int, who: str | None) -> str:
    """A stable id for a suggestion: the same rule output on the same text gets the same id."""
    digest = hashlib.sha1(f"{layer}\0{start}\0{end}\0{who or ''}".encode()).hexdigest()[:12]
    return f"{layer[0]}-{digest}"


def _actor_dicts(actors: Any) -> list[dict[str, Any]]:
    if hasattr(actors, "to_dict"):  # the registry as Corpus.actors shows it
        actors = actors.to_dict("records")
    out = []
    for a in actors:
        a = dict(a)
        a["aliases"] = [x for x in (a.get("aliases") or []) if isinstance(x, str)]
        a["name"] = a.get("name") if isinstance(a.get("name"), str) else ""
        a["kind"] = a.get("kind") if isinstance(a.get("kind"), str) else ""
        out.append(a)
    return out


def suggest(text: str, actors: Any, *, records: Iterable[Mapping[str, Any]] = (),
            layers: Sequence[str] = SUGGEST_LAYERS, lexicon: Lexicon | None = None,
            language: str | None = "auto") -> pd.DataFrame:
    """Suggested mentions, claims, threats and new actors in ``text``, one row per suggestion, in text order.

    ``actors`` is the actor registry (``Corpus.actors``, or dicts with ``actor_id``, ``name``,
    ``kind``, ``aliases``, optionally ``role``). ``records`` are the article's records already made: their mentions
    (of any form) help find speakers, and a suggestion that a record of its layer already covers
    (same span for mentions, overlapping spans for claims and threats, by
    :mod:`caucasus_corpus.analysis.matching`) is left out. ``layers`` picks mention, claim,
    threat, actor. ``language`` is the article's language (an ISO 639 code; ``auto``, the default,
    reads it from the text's letters: :mod:`.languages`): rules exist for en, ru, az, ka and hy.
    For another language a :class:`NoRulesWarning` says so, and only the registry's names are
    proposed (the frame's ``attrs["warning"]`` holds the same message). Rules: ``RULES`` and the
    docstrings of :mod:`.mentions`, :mod:`.names`, :mod:`.claims`, this module.

    New actors (layer ``actor``) are people and organisations the text names that the registry
    does not hold; their mentions, and claims they speak, carry the proposed id in ``actor`` or
    ``speaker`` (rule ``mention-new-name``), so accept the actor first (the session then adds it to
    the registry).

    Columns
    -------
    suggestion_id : string
        A stable id (the layer's letter and a hash of layer, span and actor).
    layer : string
        mention, claim, threat or actor (a new actor for the registry).
    start : int64
        First code point of the span (a new actor: its first occurrence).
    end : int64
        One past its last code point.
    text : string
        The text of the span.
    speaker : string
        Claim or threat speaker's actor id (registered or proposed); <NA> when unknown (or for mentions).
    speaker_text : string
        The speaker as written ("Pell Andor", "he", "The two sides"); <NA> for mentions.
    actor : string
        The mentioned actor's id (mentions), the proposed id (actors); <NA> otherwise.
    form : string
        name or nominal (mentions); <NA> otherwise.
    cue : string
        The reporting expression, or the threat cue, as written; <NA> when none.
    cue_start : Int64
        Start of the cue; <NA> when none.
    cue_end : Int64
        End of the cue (exclusive); <NA> when none.
    attribution : string
        direct, indirect or mixed (claims); <NA> otherwise.
    claim_type : string
        assertion, evaluation, prediction, demand or question (claims); <NA> otherwise.
    targets : object
        List of actor ids mentioned in a claim's span, except its speaker (claims); [] otherwise.
    target : string
        A threat's target actor id; <NA> when none is mentioned (or not a threat).
    explicitness : string
        explicit or implicit (threats); <NA> otherwise.
    cameo : string
        CAMEO 1.1b3 THREATEN code (threats); <NA> otherwise.
    kind : string
        The proposed actor's kind, person or organisation (actors); <NA> otherwise.
    aliases : object
        The proposed actor's aliases (actors), the first its proposed name (a Georgian or Armenian
        person's in dictionary form), then the spellings found in the text; [] otherwise.
    role : string
        The title a proposed person was found after ("Foreign Minister"); <NA> when none or not an actor.
    annotator : string
        The rule set that made it, ``auto-rules-2``.
    confidence : float64
        0 to 1: how likely the rule is right (threats are always 0.2).
    rule : string
        The rules that fired, joined by ``+`` (names in ``RULES``).
    """
    for layer in layers:
        check_choice("layers", layer, SUGGEST_LAYERS)
    code = resolve_language(language, text) if lexicon is None else lexicon.language
    actor_list = _actor_dicts(actors)
    by_id = {a["actor_id"]: a for a in actor_list}
    records = list(records)
    found = find_mentions(text, actor_list)
    known = [Found(r["start"], r["end"], r["actor"], r.get("form", ""), str(by_id.get(r["actor"], {}).get("kind", "")), "record")
             for r in records if r.get("layer") == "mention" and r.get("actor") in by_id]
    seen = {(m.start, m.end) for m in known}
    registered = sorted(known + [m for m in found if (m.start, m.end) not in seen], key=lambda m: (m.start, m.end))
    warning = None
    if code is None:
        warning = (f"no suggestion rules for language {language!r}"
                   + (" (the text's letters are none of the five languages')" if language in (None, "auto") else "")
                   + f": rules exist for {', '.join(LANGUAGES)}; only mentions of registered names are proposed. "
                   "Pass language= one of them if the article is in one.")
        warnings.warn(warning, NoRulesWarning, stacklevel=2)
    rows: list[dict[str, Any]] = []
    if code is None:
        if "mention" in layers:
            rows += [_mention_row(text, m) for m in found]
        return _finish(rows, records, warning)
    lex = lexicon or load_lexicon(code)
    speakers: list[tuple[int, int]] = []
    while True:  # twice when the claim rules name speakers that are new people ("said Tam Orr")
        proposals = find_new_actors(text, lex, registered, actor_list, speakers)
        new_mentions = new_actor_mentions(text, proposals, registered)
        inside = {(m.start, m.end) for m in registered if any(n.start <= m.start and m.end <= n.end for n in new_mentions)}
        kept = [m for m in registered if (m.start, m.end) not in inside]
        with_new = {**by_id, **{p.actor_id: {"actor_id": p.actor_id, "name": p.name, "kind": p.kind, "aliases": p.aliases,
                                             "role": p.role} for p in proposals}}
        mentions = sorted(kept + new_mentions, key=lambda m: (m.start, m.end))
        reader = Reader(text, mentions, lex, with_new)
        cands = reader.quote_claims() + reader.clause_claims()
        unresolved = sorted({(c.speaker.start, c.speaker.end) for c in cands if c.speaker is not None
                             and c.speaker.how == "np" and c.speaker.actor is None} - set(speakers))
        if speakers or not any(looks_like_name(text[s:e], lex) for s, e in unresolved):
            break
        speakers = unresolved
    found = [m for m in found if (m.start, m.end) not in inside]
    by_id = with_new
    if "mention" in layers:
        rows += [_mention_row(text, m) for m in sorted(found + new_mentions, key=lambda m: (m.start, m.end))]
    if "actor" in layers:
        rows += [_actor_row(text, p) for p in proposals]
    if "claim" in layers or "threat" in layers:
        resolve_speakers(cands, mentions, by_id, lex, reader.quoted)
        claim_rows = [_claim_row(text, c, mentions, lex) for c in cands]
        if "claim" in layers:
            rows += claim_rows
        if "threat" in layers:
            rows += _threats(reader, cands, claim_rows, mentions, lex)
    return _finish(rows, records, warning)


def _finish(rows: list[dict[str, Any]], records: Sequence[Mapping[str, Any]], warning: str | None) -> pd.DataFrame:
    rows = [r for r in _unique(rows) if not _covered(r, records)]
    rows.sort(key=lambda r: (r["start"], r["end"], SUGGEST_LAYERS.index(r["layer"]), r["suggestion_id"]))
    frame = typed_frame(rows, SUGGESTION_COLUMNS)
    if warning:
        frame.attrs["warning"] = warning
    return frame


def _actor_row(text: str, p: NewActor) -> dict[str, Any]:
    row = _blank("actor", text, p.start, p.end)
    row.update(actor=p.actor_id, kind=p.kind, aliases=list(p.aliases), role=p.role or None, rule=p.rule,
               confidence={"new-person-title": 0.5, "new-person-speaker": 0.3}.get(p.rule, 0.4),
               suggestion_id=suggestion_id("actor", p.start, p.end, p.actor_id))
    return row


def _blank(layer: str, text: str, start: int, end: int) -> dict[str, Any]:
    row: dict[str, Any] = {k: None for k in SUGGESTION_COLUMNS}
    row.update(layer=layer, start=start, end=end, text=text[start:end], targets=[], aliases=[], annotator=RULESET)
    return row


def _mention_row(text: str, m: Found) -> dict[str, Any]:
    row = _blank("mention", text, m.start, m.end)
    confidence = {"mention-new-name": 0.5, "mention-other-form": 0.7}.get(m.rule, 0.9 if m.form == "name" else 0.6)
    row.update(actor=m.actor, form=m.form, rule=m.rule, confidence=confidence,
               suggestion_id=suggestion_id("mention", m.start, m.end, m.actor))
    return row


def _claim_type(content: str, cue: str, lex: Lexicon) -> str:
    marks = language_rules(lex.language).question_marks
    if content.rstrip().endswith("?") or any(m in content for m in marks if m != "?"):
        return "question"
    for form, (_entry, value) in lex.verbs.items():
        if value and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", cue, re.I):
            return value
    for kind in ("demand", "prediction", "evaluation"):
        forms = [f for f, (entry, _v) in lex.types.items() if entry == kind]
        if re.search(rf"(?<!\w)(?:{'|'.join(map(re.escape, forms))})(?!\w)", content, re.I):
            return kind
    return "assertion"


def _claim_row(text: str, c: Candidate, mentions: Sequence[Found], lex: Lexicon) -> dict[str, Any]:
    row = _blank("claim", text, c.start, c.end)
    sp = c.speaker
    rules = [c.rule]
    confidence = {"quote-frame": 0.8, "quote-continued": 0.6, "quote-unframed": 0.3}.get(c.rule, 0.6)
    if sp is not None and sp.how == "mention":
        rules.append("speaker-mention")
    elif sp is not None and sp.how in ("pronoun", "role"):
        rules.append(f"speaker-{sp.how}-guess")
        confidence -= 0.2
    if sp is None or sp.actor is None:
        confidence -= 0.2
    rules.append("claim-type")
    cue = text[c.cue[0]:c.cue[1]] if c.cue else None
    speaker = sp.actor if sp is not None else None
    targets = list(dict.fromkeys(m.actor for m in mentions if c.start <= m.start and m.end <= c.end and m.actor != speaker))
    row.update(speaker=speaker, speaker_text=sp.text if sp is not None else None, cue=cue,
               cue_start=c.cue[0] if c.cue else None, cue_end=c.cue[1] if c.cue else None,
               attribution=c.attribution, claim_type=_claim_type(row["text"], cue or "", lex), targets=targets,
               rule="+".join(rules), confidence=round(max(confidence, 0.1), 2),
               suggestion_id=suggestion_id("claim", c.start, c.end, speaker or (sp.text if sp else None)))
    return row


def _threat_row(text: str, start: int, end: int, base: dict[str, Any], cue: tuple[int, int], cameo: str,
                rule: str, mentions: Sequence[Found]) -> dict[str, Any]:
    row = _blank("threat", text, start, end)
    target = next((m.actor for m in mentions if start <= m.start and m.end <= end and m.actor != base["speaker"]), None)
    row.update(speaker=base["speaker"], speaker_text=base["speaker_text"], cue=text[cue[0]:cue[1]], cue_start=cue[0],
               cue_end=cue[1], target=target, cameo=cameo, rule=rule, confidence=0.2,
               explicitness="explicit" if _FIRST_PERSON_ACT.search(text, start, end) else "implicit",
               suggestion_id=suggestion_id("threat", start, end, base["speaker"] or base["speaker_text"]))
    return row


def _threats(reader: Reader, cands: list[Candidate], claim_rows: list[dict[str, Any]], mentions: Sequence[Found],
             lex: Lexicon) -> list[dict[str, Any]]:
    text = reader.text
    threat_re = lex.pattern("threat")
    out = []
    for c, row in zip(cands, claim_rows):
        areas = [(c.start, c.end)] + ([c.cue] if c.cue else [])
        for lo, hi in areas:
            m = _threat_cue(text, threat_re, lo, hi, lex.language == "en")
            if m:
                cameo = lex.threats.get(re.sub(r"\s+", " ", m.group().lower()), ("", "130"))[1]
                out.append(_threat_row(text, c.start, c.end, row, m.span(), cameo, "threat-cue", mentions))
                break
    runs: dict[int, list[tuple[Candidate, dict[str, Any]]]] = {}
    for c, row in zip(cands, claim_rows):
        if c.run is not None:
            runs.setdefault(c.run, []).append((c, row))
    for run in runs.values():
        first = run[0][0]
        q = next(q for q in reader.quotes if q.run == first.run)
        areas = [first.frame] if first.frame else []
        sent = reader.sentence_of(q.open_at)
        prev = [s for s in reader.sentences if s[1] <= (sent[0] if sent else q.open_at)]
        if prev and text.count("\n\n", prev[-1][1], q.open_at) == 0:
            areas.append(prev[-1])
        for lo, hi in areas:
            m = _threat_cue(text, threat_re, lo, hi, lex.language == "en")
            if m:
                cameo = lex.threats.get(re.sub(r"\s+", " ", m.group().lower()), ("", "130"))[1]
                out.append(_threat_row(text, run[0][0].start, run[-1][0].end, run[0][1], m.span(), cameo,
                                       "threat-framing", mentions))
                break
    return out


def _threat_cue(text: str, threat_re: re.Pattern[str], lo: int, hi: int, english: bool) -> re.Match[str] | None:
    for m in threat_re.finditer(text, lo, hi):
        if not (english and m.group().lower() in ("threat", "threats") and _DANGER.match(text, m.end())):
            return m
    return None


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["suggestion_id"] not in seen or r["confidence"] > seen[r["suggestion_id"]]["confidence"]:
            seen[r["suggestion_id"]] = r
    return list(seen.values())


def _covered(row: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> bool:
    """True when a record of the row's layer already covers its span (the one matcher decides)."""
    rule = "exact" if row["layer"] == "mention" else "overlap"
    return any(r.get("layer") == row["layer"] and spans_match((r["start"], r["end"]), (row["start"], row["end"]), rule=rule)
               for r in records)
