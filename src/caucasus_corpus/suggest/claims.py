"""Claims: reporting constructions found with the lexicon of the text's language (``lexicon*.tsv``).

The rules below are written with English examples; the other languages' lexicons give their
words (``заявил, что``, ``bildirib ki``, ``განაცხადა, რომ``, ``հայտարարել է, որ``, ``по словам X``,
``X-in sözlərinə görə``, ``მისი თქმით``, ...) and :mod:`.languages` their word order.

Rules (the span always follows the guidelines' edge rules G3: no surrounding white space, no
quotation marks enclosing the whole span, no punctuation ending the sentence or closing a
quotation before its reporting clause, but a question keeps its question mark; a quoted fragment
inside a span keeps both marks):

* ``quote-frame``: a quotation that starts a sentence, followed by a reporting clause with a
  reporting verb (``"…," said Pell Andor``, ``"…," he added``, ``"…" Kesa Rimm said.``, ``"…,"
  according to Kesa Rimm``), or
  preceded by one ending in a colon or comma (``Pell Andor said: "…"``). Each sentence of the
  quotation (of every paragraph of a quotation continued across paragraphs) is one ``direct``
  claim with the clause's cue and speaker (C1, C4).
* ``quote-continued``: a quotation that starts a sentence with no reporting clause of its own
  takes the speaker and cue of the nearest framed quotation of its paragraph (the previous one,
  else the next).
* ``quote-unframed``: one with no framed quotation in its paragraph is still proposed, with no
  speaker (low confidence).
* ``report-clause``: ``SPEAKER VERB [with NOUN] [that|:] CONTENT`` outside quotations: the
  content (after ``that``, also past a short adverbial: ``said on Monday that``) runs to the end of the sentence or to the comma before a later reporting clause in the
  same sentence (``…, the news agency APA reported``). The cue is the verb as written, extended
  over a manner phrase (``noted with regret``), a verb of belief (``said he believes``) and a
  second reporting verb (``said urged``) (C3). ``indirect`` without quotation marks, ``mixed``
  with quoted words or a quotation built into the sentence (``described the decision as "…"``,
  ``called for "…"``), ``direct`` when the whole content is a quotation after ``:`` or ``,``.
  A verb after a determiner or a possessive is a noun (``his comments``), and a word inside a
  mention is part of a name (``later reports``): neither is a cue. Content of fewer than three
  words (two in Russian, Azerbaijani, Georgian and Armenian) is not a claim.
* ``relay-clause``: ``CONTENT, SPEAKER VERB.`` (a reporting clause that ends its sentence, with
  no other cue before it): the content is what precedes the comma.
* ``according-to``: ``According to X, CONTENT`` and ``CONTENT, according to X``.
* ``impersonal``: ``it was thought (that) CONTENT`` and the other impersonal passives of the
  lexicon; the speaker is the registry's ``unattributed`` actor when it has one (C9).

Speakers (``speaker`` is an actor id, or <NA> with the words in ``speaker_text``):

* ``speaker-mention``: the mention nearest the cue in the reporting clause: right before the
  verb or an adverbial (``Pell Andor noted``, ``Pell Andor on Monday said``, but not the modifier
  in ``the Varnia water board said``, nor a name after a preposition: ``officials in Varnia
  said``); past a parenthesis, the sentence's first mention (``Pell
  Andor, the spokesman, said``); or after the verb
  (``said Hajiyev``, ``according to Kesa Rimm``).
* ``speaker-pronoun-guess``: a person pronoun (``he``/``she``, ``он``/``она``, ``o``, ``ის``/``მან``,
  ``նա``) right before or after the verb, or in the cue (``მისი თქმით``, ``նրա խոսքով``), is
  resolved to the nearest person mentioned before it, outside quotations and outside the claim's
  own content (not to the last speaker: "Kesa Rimm said… Pell Andor left early. He said…" is Pell
  Andor); a plural pronoun (``they``, ``они``, ``onlar``, ``ისინი``, ``նրանք``) to the nearest
  actor mentioned before it that is not a person. Only when none precedes it does the guess fall
  back to the last speaker of its kind. The cue then includes a pronoun before the verb (``he
  added``, C3). A guess: the rule says so and the confidence is lower.
* ``speaker-role-guess``: a role noun of the lexicon (``the spokesman``, ``the MP``, ``the PM``;
  ``министр``, ``նախարարը``: the other languages need no article) is resolved the same way to a
  person, skipping people whose known role (the registry's ``role``, or the title a new name was
  found after) is another role: "Minister Tova Lenk met Pell Andor [a spokesman]. The minister
  said…" is Tova Lenk. Also a guess.
* otherwise the noun phrase before the verb is ``speaker_text`` and ``speaker`` is <NA>, so that
  an unknown speaker can become a new actor.

Claim type: ``question`` for content ending in ``?``, else the reporting verb's type in the
lexicon (``urged``: demand), else the first type cue found in the content in the order demand,
prediction, evaluation, else ``assertion``. Targets: the actors mentioned in the content, except
the speaker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .languages import language_rules
from .lexicon import Lexicon, words_regex
from .mentions import Found
from .segments import DOUBLE, SINGLE, Quotation, armenian_colon, quotations, sentences

_MANNER = re.compile(r"\s+with\s+[a-z]+(?=\s+that\b|\s*[,:])", re.I)
# What may stand between an English subject and its verb: nothing, or an adverbial ("on Monday", "also").
_ADVERBIAL_TAIL = re.compile(r"\s*(?:(?:on|in|at|during|after|before|last|this|earlier|later|also|then|again|"
                             r"yesterday|today|once|twice|[a-z]+ly)\b[^,;:]*?)?\s*", re.I)
_EN_ADVERB = r"(?:also|then|later|again|further|\w+ly)"
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass
class Speaker:
    """Who a reporting clause names: ``how`` is mention, pronoun, role, np or impersonal."""

    how: str
    text: str
    start: int
    end: int
    actor: str | None = None
    kind: str = ""


@dataclass
class Candidate:
    """A claim before its speaker guess is resolved (speakers are resolved in text order)."""

    start: int
    end: int
    cue: tuple[int, int] | None
    attribution: str
    rule: str
    speaker: Speaker | None
    order: int  # where the reporting clause is: speakers are resolved in this order
    run: int | None = None
    frame: tuple[int, int] | None = None  # the reporting clause (threat framing is looked for there)
    extra: dict[str, object] = field(default_factory=dict)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``start:end`` with its edges cut by the guidelines' rule G3.

    >>> t = 'x "We will stay," y'
    >>> s, e = trim_span(t, 2, 17); t[s:e]
    'We will stay'
    >>> t = 'as "a fragment".'
    >>> s, e = trim_span(t, 0, len(t)); t[s:e]
    'as "a fragment"'
    """
    while True:
        before = (start, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!…\u0589"):
            end -= 1
        if end - start >= 2 and _encloses(text, start, end):
            start, end = start + 1, end - 1
        if (start, end) == before:
            return start, end


def _encloses(text: str, start: int, end: int) -> bool:
    """True when the marks at ``start`` and ``end - 1`` are one quotation around the whole span."""
    first, last = text[start], text[end - 1]
    family = DOUBLE if first in DOUBLE else SINGLE if first in SINGLE else None
    if family is None or last not in family:
        return False
    inner = [q for q in quotations(text[start:end])]
    return len(inner) == 1 and inner[0].open_at == 0 and inner[0].close_at == end - start - 1


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


class Reader:
    """One pass over a text: its sentences, quotations, cues and mentions, shared by the rules."""

    def __init__(self, text: str, mentions: Sequence[Found], lex: Lexicon, actors: Mapping[str, Mapping[str, object]]) -> None:
        self.text = text
        self.lex = lex
        self.actors = actors
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.sentences = list(sentences(text))
        self.quotes = quotations(text)
        self.verb_re = lex.pattern("verb")
        self.source_re = lex.pattern("source")
        self.impersonal_re = lex.pattern("impersonal")
        self.lang = lang = language_rules(lex.language)
        en = lang.code == "en"
        pronouns = words_regex(list(lex.pronoun))
        compl = words_regex(list(lex.complementiser))
        roles = words_regex(list(lex.role))
        # "he also said" (English adverbs) or, in the other languages, any one word between pronoun and verb
        adverb = _EN_ADVERB if en else r"[^\W\d_][\w-]*"
        self.pronoun_before = re.compile(rf"({pronouns})(?:\s+{adverb})?\s*$", re.I)
        self.pronoun_after = re.compile(rf"\s+({pronouns})", re.I)
        self.determiner_before = re.compile(r"(?:" + words_regex(list(lex.determiner)) + r"|['’]s)\s+$", re.I)
        self.clause_words = re.compile(r"(?:^|[,;:(—–]|" + words_regex(list(lex.clause)) + ")", re.I)
        self.that = re.compile(rf"\s*[,:]?\s*(?:{compl})?" + (r"\s*" if en else r"\s*,?\s*"), re.I)
        # "said on Monday that"; in the other languages also "заявил журналистам, что"
        self.adverbial_that = re.compile(r"(?:\s+[\w'’-]+){1,4}?" + (rf"\s+{compl}\s+" if en else rf"\s*,?\s+{compl}\s*,?\s*"), re.I)
        self.preposition_before = re.compile(words_regex(list(lex.preposition)) + r"\s+(?:the\s+)?$", re.I)
        self.role_end = re.compile(lang.definite + r"(?:[\w-]+\s+){0,2}?(?:" + roles + r")\s*$", re.I)
        self.role_after = re.compile(r"\s+(" + lang.definite + r"(?:[\w-]+\s+){0,2}?(?:" + roles + r"))", re.I)
        self.belief_re = re.compile(rf"\s+(?:{pronouns})\s+(?:" + words_regex(list(lex.belief)) + ")", re.I)
        self.next_verb_re = re.compile(r"\s+(?:" + words_regex(list(lex.verbs)) + ")", re.I)
        self.used_cues: set[int] = set()

    # -- where things are ------------------------------------------------------------------------
    def quoted(self, pos: int) -> Quotation | None:
        for q in self.quotes:
            if q.open_at <= pos <= (q.close_at if q.close_at is not None else q.end):
                return q
        return None

    def sentence_of(self, pos: int) -> tuple[int, int] | None:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return None

    def cues(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Reporting cues in ``lo:hi`` outside quotations: ``(start, end, kind)``, in text order."""
        found = []
        for kind, rx in (("verb", self.verb_re), ("source", self.source_re), ("impersonal", self.impersonal_re)):
            for m in rx.finditer(self.text, lo, hi):
                # inside a quotation, or part of a name ("later reports"), it reports nothing
                if self.quoted(m.start()) is None and not any(
                        x.start <= m.start() < x.end and kind == "verb" for x in self.mentions):
                    found.append((m.start(), m.end(), kind))
        found.sort()
        out: list[tuple[int, int, str]] = []
        for c in found:  # an impersonal "it was thought" holds the verb "thought": keep the longer
            if out and c[0] < out[-1][1]:
                if c[1] - c[0] > out[-1][1] - out[-1][0]:
                    out[-1] = c
                continue
            out.append(c)
        return out

    # -- speakers ----------------------------------------------------------------------------------
    def _mention_speaker(self, m: Found) -> Speaker:
        return Speaker("mention", self.text[m.start:m.end], m.start, m.end, m.actor, m.kind)

    def subject_before(self, lo: int, cue_start: int) -> Speaker | None:
        """The speaker named before the verb at ``cue_start`` in ``text[lo:cue_start]``."""
        text = self.text
        window = text[lo:cue_start]
        p = self.pronoun_before.search(window)
        if p:
            return Speaker("pronoun", p.group(1), lo + p.start(1), lo + p.end(1))
        clause_at = lo + max((m.end() for m in self.clause_words.finditer(window)), default=0)
        if text[clause_at:cue_start].strip():
            in_clause = [m for m in self.mentions if clause_at <= m.start and m.end <= cue_start
                         and self._subject_gap(m.end, cue_start)
                         and not self.preposition_before.search(text, clause_at, m.start)]
            if in_clause:
                return self._mention_speaker(in_clause[-1])
            r = self.role_end.search(text, clause_at, cue_start)
            if r:
                return Speaker("role", r.group().strip(), r.start(), r.start() + len(r.group().rstrip()))
            return self._noun_phrase(clause_at, cue_start)
        # The verb follows a parenthesis ("X, the spokesman, in a comment, said"): the subject leads.
        heads = [m for m in self.mentions if lo <= m.start and m.end <= cue_start and not self._possessive(m)
                 and self.quoted(m.start) is None]
        if heads:
            return self._mention_speaker(heads[0])
        first = text[lo:cue_start].split(",", 1)[0]
        return self._noun_phrase(lo, lo + len(first))

    def subject_after(self, cue_end: int, hi: int) -> Speaker | None:
        """The speaker named after the verb (``said Hajiyev``, ``according to X``), up to a comma."""
        text = self.text
        stop = text.find(",", cue_end, hi)
        stop = hi if stop == -1 else stop
        after = [m for m in self.mentions if cue_end <= m.start and m.end <= stop]
        if after and not text[cue_end:after[0].start].strip(" \t") or after and _words(text, cue_end, after[0].start) <= 3:
            return self._mention_speaker(after[0])
        r = self.role_after.match(text[cue_end:stop])
        if r:
            return Speaker("role", r.group(1), cue_end + r.start(1), cue_end + r.end(1))
        p = self.pronoun_after.match(text[cue_end:stop])
        if p:
            return Speaker("pronoun", p.group(1), cue_end + p.start(1), cue_end + p.end(1))
        return self._noun_phrase(cue_end, stop)

    def _noun_phrase(self, s: int, e: int) -> Speaker | None:
        """``text[s:e]`` without edge punctuation as an unresolved speaker, when short enough to be one."""
        text = self.text
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not text[e - 1].isalnum():
            e -= 1
        return Speaker("np", text[s:e], s, e) if s < e and _words(text, s, e) <= 6 else None

    def _subject_gap(self, end: int, cue_start: int) -> bool:
        """True when what stands between a subject ending at ``end`` and its verb lets it be the subject."""
        if self.lang.subject_gap == 0:
            return _ADVERBIAL_TAIL.fullmatch(self.text, end, cue_start) is not None
        gap = self.text[end:cue_start].lstrip("»“”\"'’")  # the closing mark of a quoted name
        return not re.search(r"[,;:.!?«»\"“”„]", gap) and _words(self.text, end, cue_start) <= self.lang.subject_gap

    def _possessive(self, m: Found) -> bool:
        return self.text[m.end:m.end + 2] in ("'s", "’s")

    # -- rules -------------------------------------------------------------------------------------
    def quote_claims(self) -> list[Candidate]:
        text = self.text
        runs: dict[int, list[Quotation]] = {}
        for q in self.quotes:
            runs.setdefault(q.run, []).append(q)
        framed: list[tuple[Quotation, Candidate]] = []
        pending: list[list[Quotation]] = []
        out: list[Candidate] = []
        for run in runs.values():
            first, last = run[0], run[-1]
            sent = self.sentence_of(first.open_at)
            lead = text[sent[0]:first.open_at].strip() if sent else ""
            frame = None
            if lead and (lead[-1] in ":," or armenian_colon(lead, len(lead) - 1)) and lead[:-1].strip():
                frame = self._frame(sent[0], first.open_at, before=True)
                if frame is None:
                    continue
            elif lead:
                continue  # a quotation inside the author's sentence: report-clause reads it
            if frame is None and last.close_at is not None:
                frame = self._frame(last.close_at + 1, None, before=False)
            if frame is None:
                pending.append(run)
                continue
            for c in self._run_claims(run, frame, "quote-frame"):
                out.append(c)
                framed.append((first, c))
        for run in pending:
            first = run[0]
            same = [(q, c) for q, c in framed if q.paragraph == first.paragraph]
            before = [x for x in same if x[0].open_at < first.open_at]
            pick = before[-1][1] if before else (same[0][1] if same else None)
            if pick is None:
                out += self._run_claims(run, Candidate(0, 0, None, "direct", "quote-unframed", None, first.open_at), "quote-unframed")
            else:
                out += self._run_claims(run, replace(pick, frame=None), "quote-continued")
        return out

    def _frame(self, lo: int, hi: int | None, *, before: bool) -> Candidate | None:
        """The reporting clause at ``lo`` (after a quotation) or in ``lo:hi`` (before one)."""
        text = self.text
        if hi is None:
            sent = self.sentence_of(lo) or next(((s, e) for s, e in self.sentences if s >= lo), None)
            if sent is None:
                return None
            hi = sent[1]
            if sent[0] >= lo and (_words(text, lo, hi) > 6 or "\n" in text[lo:sent[0]]):
                return None  # a new sentence is a clause only when short and in the paragraph ("Kesa Rimm said.")
        cues = [c for c in self.cues(lo, hi) if c[2] in ("verb", "source") and (before or _words(text, lo, c[0]) <= 4)]
        if not cues:
            return None
        cs, ce, _ = cues[-1] if before else cues[0]
        self.used_cues.add(cs)
        speaker = self.subject_before(lo, cs) if text[lo:cs].strip(" ,\t\n\"“”'‘’") else None
        if speaker is None:
            speaker = self.subject_after(ce, hi)
        if speaker is not None and speaker.how == "pronoun" and speaker.end <= cs:
            cs = speaker.start  # "he added" is the cue (C3)
        return Candidate(0, 0, (cs, ce), "direct", "quote-frame", speaker, cs, frame=(lo, hi))

    def _run_claims(self, run: list[Quotation], frame: Candidate, rule: str) -> list[Candidate]:
        out = []
        for q in run:
            for s, e in sentences(self.text, q.start, q.end):
                s, e = trim_span(self.text, s, e)
                if s < e:
                    out.append(replace(frame, start=s, end=e, rule=rule, run=q.run, extra={}))
        return out

    def clause_claims(self) -> list[Candidate]:
        out: list[Candidate] = []
        for s_start, s_end in self.sentences:
            cues = [c for c in self.cues(s_start, s_end) if c[0] not in self.used_cues]
            for i, (cs, ce, kind) in enumerate(cues):
                if cs in self.used_cues:
                    continue  # already part of an earlier cue ("said urged") or a quotation's clause
                if kind != "source" and self.determiner_before.search(self.text, max(s_start, cs - 12), cs):
                    continue  # a noun: "his comments", "the report"
                later = [c for c in cues[i + 1:] if c[0] >= ce + 1]
                if i == 0 and kind == "verb" and not self.text[ce:s_end].strip(" .!?\"”’'"):
                    cand = self._relay(s_start, cs, ce)  # "CONTENT, the agency reported."
                    if cand is not None:
                        out.append(cand)
                    continue
                cand = {"verb": self._report, "source": self._according, "impersonal": self._impersonal}[kind](
                    s_start, s_end, cs, ce, later)
                if cand is not None:
                    out.append(cand)
        return out

    def _lo(self, s_start: int, cs: int) -> int:
        names = {(m.start, m.end) for m in self.mentions}  # a quoted name (партия «Новая Варния») is no quotation
        closes = [q.close_at + 1 for q in self.quotes if q.close_at is not None and s_start <= q.close_at < cs
                  and (q.start, q.end) not in names]
        return max([s_start, *closes])

    def _content_end(self, start: int, s_end: int, later: list[tuple[int, int, str]]) -> int:
        if later:
            comma = self.text.rfind(",", start, later[0][0])
            if comma != -1 and self.quoted(comma) is None:
                return comma
        return s_end

    def _finish(self, start: int, end: int, cue: tuple[int, int], speaker: Speaker | None, rule: str,
                direct_ok: bool) -> Candidate | None:
        start, end = trim_span(self.text, start, end)
        if _words(self.text, start, end) < self.lang.min_words:
            return None
        inside = [q for q in self.quotes if start <= q.open_at and (q.close_at or q.end) < end + 1]
        whole = bool(inside) and inside[0].open_at == start - 1 and inside[-1].close_at == end
        attribution = "indirect" if not inside and self.quoted(start) is None else \
            ("direct" if whole and direct_ok else "mixed")
        return Candidate(start, end, cue, attribution, rule, speaker, cue[0])

    def _report(self, s_start: int, s_end: int, cs: int, ce: int, later: list[tuple[int, int, str]]) -> Candidate | None:
        text = self.text
        speaker = self.subject_before(self._lo(s_start, cs), cs)
        if speaker is None:
            return None
        if speaker.how == "pronoun" and _words(text, speaker.end, cs) <= 1:
            cs = speaker.start
        for rx in (_MANNER, self.belief_re, self.next_verb_re):
            m = rx.match(text, ce)
            if m:
                ce = m.end()
                self.used_cues.add(m.start() + len(m.group()) - len(m.group().lstrip()))
        later = [c for c in later if c[0] >= ce]
        m = self.adverbial_that.match(text, ce)
        if m and (self.quoted(m.start()) is not None or ("," in m.group() and self.lang.code == "en")):
            m = None
        m = m or self.that.match(text, ce)
        direct_ok = bool(m and m.group().strip()[:1] in (":", ","))
        start = m.end() if m else ce
        return self._finish(start, self._content_end(start, s_end, later), (cs, ce), speaker, "report-clause", direct_ok)

    def _relay(self, s_start: int, cs: int, ce: int) -> Candidate | None:
        lo = self._lo(s_start, cs)
        comma = self.text.rfind(",", lo, cs)
        if comma == -1 or self.quoted(comma) is not None:
            return None
        speaker = self.subject_before(comma + 1, cs)
        if speaker is None:
            return None
        return self._finish(lo, comma, (cs, ce), speaker, "relay-clause", False)

    def _according(self, s_start: int, s_end: int, cs: int, ce: int, later: list[tuple[int, int, str]]) -> Candidate | None:
        text = self.text
        position = self.lex.source.get(re.sub(r"\s+", " ", text[cs:ce].lower()), ("", ""))[1]
        if position:  # "Əliyevin sözlərinə görə, …" (the speaker before the cue), "მისი თქმით, …" (in it)
            comma = next((i for i in range(ce, s_end) if text[i] in ",\u055d"), -1)  # Armenian ՝ too
            lo = self._lo(s_start, cs)
            if position == "pronoun":
                speaker: Speaker | None = Speaker("pronoun", text[cs:ce], cs, ce)
            else:
                named = [m for m in self.mentions if lo <= m.start and m.end <= cs and _words(text, m.end, cs) <= 1]
                speaker = self._mention_speaker(named[-1]) if named else self._noun_phrase(lo, cs)
            start = comma + 1 if comma != -1 else ce
            return self._finish(start, self._content_end(start, s_end, later), (cs, ce), speaker, "according-to", False)
        lead = text[self._lo(s_start, cs):cs].strip()
        comma = text.find(",", ce, s_end)
        speaker = self.subject_after(ce, comma if comma != -1 else s_end)
        if not lead:
            if comma == -1:
                return None
            return self._finish(comma + 1, self._content_end(comma + 1, s_end, later), (cs, ce), speaker, "according-to", False)
        return self._finish(self._lo(s_start, cs), cs, (cs, ce), speaker, "according-to", False)

    def _impersonal(self, s_start: int, s_end: int, cs: int, ce: int, later: list[tuple[int, int, str]]) -> Candidate | None:
        actor = "unattributed" if "unattributed" in self.actors else None
        speaker = Speaker("impersonal", self.text[cs:ce], cs, ce, actor, "unnamed")
        m = self.that.match(self.text, ce)
        start = m.end() if m else ce
        return self._finish(start, self._content_end(start, s_end, later), (cs, ce), speaker, "impersonal", False)


def role_entry(words: str, lex: Lexicon) -> str | None:
    """The lexicon entry of the longest role noun in ``words`` ("the foreign minister": minister), or None."""
    hits = [m.group() for m in lex.pattern("role").finditer(words)]
    if not hits:
        return None
    form = re.sub(r"\s+", " ", max(hits, key=len).lower())
    return lex.role.get(form, (form, ""))[0]


def resolve_speakers(cands: list[Candidate], mentions: Sequence[Found], actors: Mapping[str, Mapping[str, object]],
                     lex: Lexicon | None = None, quoted: Callable[[int], object] | None = None) -> None:
    """Resolve pronoun and role speakers to the nearest preceding compatible mention (module docstring).

    A person pronoun or a role noun goes to the nearest person mentioned before it, outside
    quotations and outside the claim's own content; a role noun skips people whose known role
    (the registry's ``role``, or the title a new name was found after) is another role. A plural
    pronoun goes to the nearest non-person actor mentioned before it. Only when no such mention
    precedes it does the guess fall back to the last speaker of its kind.
    """
    quoted = quoted or (lambda pos: None)
    last: dict[str, str] = {}
    for c in sorted(cands, key=lambda c: (c.order, c.start)):
        sp = c.speaker
        if sp is None:
            continue
        if sp.how in ("pronoun", "role") and sp.actor is None:
            plural = sp.how == "pronoun" and _plural(sp.text, lex)
            wanted = None if sp.how == "pronoun" or lex is None else role_entry(sp.text, lex)

            def fits(m: Found) -> bool:
                if (m.kind == "person") == plural or m.end > sp.start or quoted(m.start) is not None:
                    return False
                if c.start <= m.start < c.end or not m.actor:
                    return False
                if wanted is not None and lex is not None:
                    known = role_entry(str(actors.get(m.actor, {}).get("role") or ""), lex)
                    return known is None or known == wanted
                return True

            near = [m for m in mentions if fits(m)]
            guess = near[-1].actor if near else last.get("group" if plural else "person")
            sp.actor = guess
            sp.kind = str(actors.get(guess, {}).get("kind", "")) if guess else ""
        if sp.actor is not None and sp.how != "impersonal":
            last["person" if sp.kind == "person" else "group"] = sp.actor


def _plural(words: str, lex: Lexicon | None) -> bool:
    if lex is None:
        return words.lower() == "they"
    low = re.sub(r"\s+", " ", words.lower())
    return lex.pronoun.get(low, lex.source.get(low, ("", "")))[0] == "group"
