"""Tables built from the hand annotations: claim frequency, stance matrix, threat table, speaker profile.

Every function here needs an annotated corpus and raises
:class:`~caucasus_corpus.errors.NoAnnotationsError` otherwise (e.g. for ``from_texts`` corpora).
Ids are kept in ``*_id``-like columns and the readable names sit next to them, so tables can be
joined back to ``corpus.actors`` and still be read as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .._frames import typed_frame
from .._options import check_choice
from ..model.protocol import require_annotations
from ..vocab import POLARITIES

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike as Corpus

CLAIM_GROUPS = ("speaker", "attribution", "claim_type", "target", "article_id")


def names(corpus: Corpus) -> dict[str, str]:
    """actor_id and topic_id to the readable name or label."""
    actors, topics = corpus.actors, corpus.topics
    out = dict(zip(topics["topic_id"].tolist(), topics["label"].tolist()))
    out.update(zip(actors["actor_id"].tolist(), actors["name"].tolist()))
    return out


def _named(values: pd.Series, lookup: dict[str, str]) -> pd.Series:
    return pd.Series([lookup.get(v, pd.NA) if isinstance(v, str) else pd.NA for v in values], index=values.index, dtype="string")


def claim_frequency(corpus: Corpus, *, by: str | Sequence[str] = "speaker") -> pd.DataFrame:
    """How many claims there are per speaker (or attribution, claim_type, target, article_id, or
    any combination of them), with each group's share, most frequent first.

    ``by="target"`` counts a claim once for each actor it is about; claims about no one fall in
    a <NA> target. The frame has one column per ``by`` key in the order given; ``speaker`` and
    ``target`` are each followed by a name column (``speaker_name``, ``target_name``).
    Documented below for the default ``by="speaker"``:

    Columns
    -------
    speaker : string
        actor_id of who makes the claims.
    speaker_name : string
        That actor's canonical name.
    n_claims : int64
        Number of claims in the group (claim-target pairs when grouping by target).
    share : float64
        n_claims divided by the total over all groups (the shares sum to 1).

    >>> import caucasus_corpus as cc
    >>> table = cc.load().claim_frequency(by=["attribution", "claim_type"])
    >>> list(table.columns)
    ['attribution', 'claim_type', 'n_claims', 'share']
    >>> round(float(table["share"].sum()), 6)
    1.0
    """
    require_annotations(corpus, "claim_frequency")
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError(f"by= needs at least one of: {', '.join(repr(k) for k in CLAIM_GROUPS)}")
    for k in keys:
        check_choice("by", k, CLAIM_GROUPS)
    if len(set(keys)) < len(keys):
        raise ValueError(f"by={keys!r} names a column twice")
    claims = corpus.claims
    if "target" in keys:
        claims = claims.explode("targets").rename(columns={"targets": "target"})
        claims["target"] = claims["target"].astype("string")
    counts = claims.groupby(keys, dropna=False, sort=False).size().reset_index(name="n_claims")
    lookup = names(corpus)
    out = {}
    for k in keys:
        out[k] = counts[k].astype("string")
        if k in ("speaker", "target"):
            out[f"{k}_name"] = _named(counts[k], lookup)
    out["n_claims"] = counts["n_claims"].astype("int64")
    total = int(counts["n_claims"].sum())
    out["share"] = (counts["n_claims"] / total if total else counts["n_claims"] * 0.0).astype("float64")
    frame = pd.DataFrame(out)
    return frame.sort_values(["n_claims", *keys], ascending=[False, *[True] * len(keys)], ignore_index=True)


STANCE_MATRIX_COLUMNS = {
    "holder": "string",
    "holder_name": "string",
    "target": "string",
    "target_name": "string",
    "target_type": "string",
    "favor": "int64",
    "against": "int64",
    "none": "int64",
    "n": "int64",
    "polarity": "string",
    "evidence": "object",
}


def stance_matrix(corpus: Corpus) -> pd.DataFrame:
    """Who is for or against whom or what: one row per holder x target pair that has stance records.

    For a holder-by-target grid, pivot it:
    ``m.pivot(index="holder_name", columns="target_name", values="polarity")``.

    Columns
    -------
    holder : string
        actor_id of who holds the stance.
    holder_name : string
        That actor's canonical name.
    target : string
        actor_id or topic_id the stance is towards.
    target_name : string
        The actor's name or the topic's label.
    target_type : string
        actor or topic.
    favor : int64
        Number of stance records with polarity favor.
    against : int64
        Number with polarity against.
    none : int64
        Number with polarity none.
    n : int64
        All stance records of the pair.
    polarity : string
        The polarity the records agree on, or ``mixed`` when they differ.
    evidence : object
        List of the stance record ids behind the cell, in text order.

    >>> import caucasus_corpus as cc
    >>> m = cc.load().stance_matrix()
    >>> bool((m["n"] == m["favor"] + m["against"] + m["none"]).all())
    True
    """
    require_annotations(corpus, "stance_matrix")
    stance = corpus.stance
    lookup = names(corpus)
    rows = []
    for (holder, target, ttype), group in stance.groupby(["holder", "target", "target_type"], sort=True):
        counts = {p: int((group["polarity"] == p).sum()) for p in POLARITIES}
        present = [p for p in POLARITIES if counts[p]]
        rows.append({
            "holder": holder, "holder_name": lookup.get(holder, pd.NA), "target": target,
            "target_name": lookup.get(target, pd.NA), "target_type": ttype, **counts, "n": len(group),
            "polarity": present[0] if len(present) == 1 else "mixed", "evidence": group["id"].tolist(),
        })
    return typed_frame(rows, STANCE_MATRIX_COLUMNS)


THREAT_TABLE_COLUMNS = {
    "id": "string",
    "article_id": "string",
    "speaker": "string",
    "speaker_name": "string",
    "target": "string",
    "target_name": "string",
    "explicitness": "string",
    "cameo": "string",
    "cameo_name": "string",
    "plover_mode": "string",
    "text": "string",
    "start": "int64",
    "end": "int64",
}


def threat_table(corpus: Corpus) -> pd.DataFrame:
    """One row per threat, with who threatens whom, how openly, and its CAMEO code and name.

    Columns
    -------
    id : string
        Threat record id.
    article_id : string
        Article the threat is in.
    speaker : string
        actor_id of who threatens.
    speaker_name : string
        That actor's canonical name.
    target : string
        actor_id of who is threatened.
    target_name : string
        That actor's canonical name.
    explicitness : string
        explicit or implicit.
    cameo : string
        CAMEO 1.1b3 THREATEN code.
    cameo_name : string
        Name of that code in the shipped CAMEO list.
    plover_mode : string
        PLOVER THREATEN mode; <NA> when none fits.
    text : string
        The threatening statement.
    start : int64
        Start of the statement (code points).
    end : int64
        End of the statement (exclusive).

    >>> import caucasus_corpus as cc
    >>> t = cc.load().threat_table()
    >>> bool(t["cameo"].str.startswith("13").all())
    True
    """
    require_annotations(corpus, "threat_table")
    threats = corpus.threats
    lookup = names(corpus)
    threats["speaker_name"] = _named(threats["speaker"], lookup)
    threats["target_name"] = _named(threats["target"], lookup)
    return threats[list(THREAT_TABLE_COLUMNS)].astype(THREAT_TABLE_COLUMNS).reset_index(drop=True)


def actor_records(corpus: Corpus, actor_id: str) -> dict[str, pd.DataFrame]:
    """The records about one actor (an actor_id), by role: ``mentions``, ``claims`` (made),
    ``claims_about`` (claims that target the actor), ``threats_made``, ``threats_received``,
    ``stance_held`` and ``stance_received``; each a layer frame's rows, reindexed from 0."""
    claims, threats, stance, mentions = corpus.claims, corpus.threats, corpus.stance, corpus.mentions
    parts = {
        "mentions": mentions[mentions["actor"] == actor_id],
        "claims": claims[claims["speaker"] == actor_id],
        "claims_about": claims[[actor_id in t for t in claims["targets"]]],
        "threats_made": threats[threats["speaker"] == actor_id],
        "threats_received": threats[threats["target"] == actor_id],
        "stance_held": stance[stance["holder"] == actor_id],
        "stance_received": stance[stance["target"] == actor_id],
    }
    return {k: v.reset_index(drop=True) for k, v in parts.items()}


PROFILE_COLUMNS = {
    "actor_id": "string",
    "aspect": "string",
    "category": "string",
    "label": "string",
    "polarity": "string",
    "n": "int64",
    "ids": "object",
}


def speaker_profile(corpus: Corpus, actor: str) -> pd.DataFrame:
    """Everything the annotations say about one actor (id, name or alias), as counted rows.

    Aspects, in this order: ``mention`` (by form: name, nominal, pronoun), ``claim`` (claims the
    actor makes, by claim_type), ``claim about`` (claims that target the actor, by speaker),
    ``threat made`` (by target), ``threat received`` (by speaker), ``stance held`` (by target
    and polarity) and ``stance received`` (by holder and polarity). Aspects with nothing to
    count have no rows.

    Columns
    -------
    actor_id : string
        The actor profiled.
    aspect : string
        One of the aspects above.
    category : string
        What the rows of the aspect are counted by: a mention form, a claim type, or the other
        actor's (or topic's) id.
    label : string
        Readable name of the category (the actor's name or topic's label; the category itself otherwise).
    polarity : string
        Stance polarity for the stance aspects; <NA> for the others.
    n : int64
        Number of records.
    ids : object
        List of the record ids counted.

    >>> import caucasus_corpus as cc
    >>> p = cc.load().speaker_profile("Hadjiev")
    >>> p["actor_id"].iloc[0], "mention" in set(p["aspect"])
    ('hikmat-hajiyev', True)
    """
    require_annotations(corpus, "speaker_profile")
    actor_id = corpus.resolve_actor(actor)
    lookup = names(corpus)
    rec = actor_records(corpus, actor_id)
    parts = [
        ("mention", rec["mentions"], "form", None),
        ("claim", rec["claims"], "claim_type", None),
        ("claim about", rec["claims_about"], "speaker", None),
        ("threat made", rec["threats_made"], "target", None),
        ("threat received", rec["threats_received"], "speaker", None),
        ("stance held", rec["stance_held"], "target", "polarity"),
        ("stance received", rec["stance_received"], "holder", "polarity"),
    ]
    rows = []
    for aspect, records, column, extra in parts:
        keys = [column] if extra is None else [column, extra]
        for key, group in records.groupby(keys, sort=True):
            key = key if isinstance(key, tuple) else (key,)
            rows.append({
                "actor_id": actor_id, "aspect": aspect, "category": key[0], "label": lookup.get(key[0], key[0]),
                "polarity": key[1] if extra else pd.NA, "n": len(group), "ids": group["id"].tolist(),
            })
    return typed_frame(rows, PROFILE_COLUMNS)
