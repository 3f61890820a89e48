"""Re-anchoring records in a changed text: placed where their hashes say, never shifted silently.

The texts are invented: runs of made-up tokens, each carrying a unique number, so that a record's
quote occurs once in the original text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caucasus_corpus.release.withheld import withhold_record
from caucasus_corpus.sharing import reanchor

SYLLABLES = ("ka", "ro", "vel", "tis", "mo", "dun", "ase", "ri")
INSERTS = st.text(alphabet="abcdefghij .,;-#\n", min_size=1, max_size=12)


@st.composite
def texts_with_records(draw):  # type: ignore[no-untyped-def]
    """A text of unique tokens, and records over whole tokens with at least one token between them."""
    n = draw(st.integers(min_value=8, max_value=60))
    tokens = [draw(st.sampled_from(SYLLABLES)) + draw(st.sampled_from(SYLLABLES)) + str(i) for i in range(n)]
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    text = " ".join(tokens) + "\n"
    records, i = [], draw(st.integers(min_value=0, max_value=2))
    while i < n:
        width = draw(st.integers(min_value=1, max_value=3))
        j = min(n, i + width)
        s, e = starts[i], starts[j - 1] + len(tokens[j - 1])
        records.append({"id": f"r{len(records)}", "start": s, "end": e, "text": text[s:e]})
        i = j + draw(st.integers(min_value=1, max_value=3))
    return text, records


def _outside(records: list[dict], a: int, b: int) -> bool:
    """True when changing text[a:b] (or inserting at a == b) leaves every record's text as it is."""
    return all(b <= r["start"] or a >= r["end"] for r in records) if b > a else all(not r["start"] < a < r["end"] for r in records)


@st.composite
def edit_outside(draw, text: str, records: list[dict]):  # type: ignore[no-untyped-def]
    """(a, b, inserted): replace text[a:b] by inserted, away from every record's text."""
    while True:
        a = draw(st.integers(min_value=0, max_value=len(text)))
        b = draw(st.integers(min_value=a, max_value=min(len(text), a + 12)))
        inserted = draw(st.one_of(st.just(""), INSERTS)) if b > a else draw(INSERTS)
        if _outside(records, a, b):
            return a, b, inserted


def _apply(text: str, records: list[dict], a: int, b: int, inserted: str) -> tuple[str, list[dict]]:
    delta = len(inserted) - (b - a)
    moved = [dict(r, start=r["start"] + delta, end=r["end"] + delta) if r["start"] >= b else dict(r) for r in records]
    return text[:a] + inserted + text[b:], moved


def _context_kept(old: str, new: str, was: dict, now: dict) -> bool:
    before = old[max(0, was["start"] - 16):was["start"]] == new[max(0, now["start"] - 16):now["start"]]
    after = old[was["end"]:was["end"] + 16] == new[now["end"]:now["end"] + 16]
    return before or after


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_one_edit_outside_the_records_never_loses_one(data) -> None:  # type: ignore[no-untyped-def]
    text, records = data.draw(texts_with_records())
    a, b, inserted = data.draw(edit_outside(text, records))
    new_text, truth = _apply(text, records, a, b, inserted)
    placed = reanchor([withhold_record(r, text) for r in records], new_text)
    for was, now, place in zip(records, truth, placed):
        assert place.start == now["start"], (was, place)
        assert place.status == ("exact" if now["start"] == was["start"] else "relocated")
        assert new_text[place.start:place.start + len(was["text"])] == was["text"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_several_edits_outside_the_records_never_misplace_one(data) -> None:  # type: ignore[no-untyped-def]
    text, records = data.draw(texts_with_records())
    new_text, truth = text, records
    for _ in range(data.draw(st.integers(min_value=2, max_value=5))):
        a, b, inserted = data.draw(edit_outside(new_text, truth))
        new_text, truth = _apply(new_text, truth, a, b, inserted)
    placed = reanchor([withhold_record(r, text) for r in records], new_text)
    for was, now, place in zip(records, truth, placed):
        assert place.status != "lost" or not _context_kept(text, new_text, was, now)
        if place.start is not None:  # wherever a record goes, it is its own place
            assert place.start == now["start"], (was, now, place)
        if _context_kept(text, new_text, was, now):  # one intact side of context always places it
            assert place.start == now["start"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_edit_inside_a_record_makes_it_lost_or_ambiguous_never_shifted(data) -> None:  # type: ignore[no-untyped-def]
    text, records = data.draw(texts_with_records())
    k = data.draw(st.integers(min_value=0, max_value=len(records) - 1))
    r = records[k]
    kind = data.draw(st.sampled_from(["replace", "delete", "insert"]))
    at = data.draw(st.integers(min_value=r["start"], max_value=r["end"] - 1))
    if kind == "replace":
        new_text = text[:at] + "#" + text[at + 1:]
    elif kind == "delete":
        new_text = text[:at] + text[at + 1:]
    else:
        at = data.draw(st.integers(min_value=r["start"] + 1, max_value=r["end"] - 1)) if r["end"] - r["start"] > 1 else r["start"]
        new_text = text[:at] + "#" + text[at:] if r["end"] - r["start"] > 1 else text[:at] + "#" + text[at + 1:]
    placed = reanchor([withhold_record(rec, text) for rec in records], new_text)
    assert placed[k].status in ("lost", "ambiguous") and placed[k].start is None


TEXT = "Pell Andor said on Monday that the dam threatens our farms. Kesa Rimm said the dam threatens our farms.\n"


def _rec(quote: str, nth: int = 0, cue: str | None = None) -> dict:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(quote, i + 1)
    rec = {"id": "x", "start": i, "end": i + len(quote), "text": quote}
    if cue:
        c = TEXT.rindex(cue, 0, i)
        rec["cue"] = {"start": c, "end": c + len(cue), "text": cue}
    return withhold_record(rec, TEXT)


def test_a_quote_whose_place_repeats_with_its_context_is_ambiguous() -> None:
    rec = _rec("Kesa Rimm")
    [place] = reanchor([rec], "Preface.\n" + TEXT + TEXT)  # the text twice: two places fit equally
    assert (place.status, place.start, place.candidates) == ("ambiguous", None, 2)
    # a neighbour placed by its own context settles it by its shift
    anchor = _rec("Pell Andor")
    changed = "Preface.\n" + TEXT + TEXT.replace("Pell Andor", "P. Andor")
    places = reanchor([anchor, rec], changed)
    assert [(p.status, p.start) for p in places] == [("relocated", anchor["start"] + 9), ("relocated", rec["start"] + 9)]


def test_a_cue_moves_with_its_record_and_a_lost_cue_loses_it() -> None:
    rec = _rec("the dam threatens our farms", 1, cue="said")
    moved = "Update. " + TEXT
    [place] = reanchor([rec], moved)
    assert place.status == "relocated" and place.start == rec["start"] + 8
    gone = TEXT.replace("Kesa Rimm said", "Kesa Rimm wrote")
    [place] = reanchor([rec], gone)
    assert place.status == "lost"


def test_an_unchanged_text_keeps_every_record_exact() -> None:
    recs = [_rec("Pell Andor"), _rec("threatens our farms", 0), _rec("Kesa Rimm")]
    assert [(p.status, p.start) for p in reanchor(recs, TEXT)] == [("exact", r["start"]) for r in recs]
