"""How good the suggestions are: precision, recall and F1 against a corpus's gold records.

Spans are paired by the one matcher (:mod:`caucasus_corpus.analysis.matching`), ``exact`` and
``overlap`` (at least half of the shorter span shared), one to one, per article. Subsets:

* mentions ``named``: gold mentions of form ``name`` against suggestions of form ``name``;
  ``all``: every gold mention against every suggested mention;
* claims ``quoted``: gold claims attributed to someone else (direct, indirect, mixed) against
  every suggested claim (the rules propose no authorial claims); ``all``: every gold claim;
* threats ``all``;
* actors ``new``: the actors the article's records name that the registry given to the rules
  lacks (gold) against the new actors proposed; a proposal matches when one of its aliases is
  the gold actor's name or alias (case-insensitive). With the corpus's own registry the gold is
  empty.

``speaker_accuracy`` is the share of matched claims and threats whose suggested speaker is the
gold speaker (<NA> counts as wrong); ``attribution_accuracy`` likewise for claims' attribution.

Each article is read with the rules of its own language (``language`` in ``articles.csv``). A
new actor the rules propose (not in the registry they were given) counts as the gold actor that
has one of its aliases as name or alias (case-insensitive), so that suggestions made with a
smaller registry (``actors=``) are scored fairly; a proposal matching no gold actor is wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._frames import typed_frame
from ..analysis.matching import match_spans, scores
from ..model.protocol import CorpusLike, require_annotations
from ..vocab import SPAN_MATCHING
from .suggester import suggest

if TYPE_CHECKING:
    import pandas as pd

EVALUATION_COLUMNS = {
    "layer": "string", "subset": "string", "matching": "string", "gold": "int64", "suggested": "int64",
    "matched": "int64", "precision": "float64", "recall": "float64", "f1": "float64",
    "speaker_accuracy": "float64", "attribution_accuracy": "float64",
}


def evaluate(corpus: CorpusLike, *, actors: Any = None) -> pd.DataFrame:
    """Scores of :func:`~caucasus_corpus.suggest.suggest` on every article of ``corpus`` (module docstring).

    Each article is suggested from its text and the registry alone (no records), so no gold leaks in.
    ``actors``: the registry to suggest with (default: the corpus's own), e.g. one without the
    actors its annotators added, to see how the rules do on names they do not know.

    Columns
    -------
    layer : string
        mention, claim, threat, or actor (new actors proposed).
    subset : string
        named or all (mentions), quoted or all (claims), all (threats), new (actors).
    matching : string
        exact or overlap; alias for actors (a proposal matches the gold actor one of its aliases
        names, counted once per article).
    gold : int64
        Gold records in the subset.
    suggested : int64
        Suggestions compared with them.
    matched : int64
        One-to-one matched pairs.
    precision : float64
        matched / suggested.
    recall : float64
        matched / gold.
    f1 : float64
        Harmonic mean of precision and recall.
    speaker_accuracy : float64
        Share of matched claims or threats with the gold speaker; NaN for mentions.
    attribution_accuracy : float64
        Share of matched claims with the gold attribution; NaN otherwise.
    """
    require_annotations(corpus, "evaluate suggestions")
    registry = corpus.actors
    given = registry if actors is None else actors
    by_form: dict[str, str] = {}
    for a in registry.to_dict("records"):
        for form in [a["name"], *(a.get("aliases") or [])]:
            if isinstance(form, str):
                by_form.setdefault(form.casefold(), a["actor_id"])
    known = set(registry["actor_id"])
    given_ids = known if actors is None else {str(a["actor_id"]) for a in (given.to_dict("records") if hasattr(given, "to_dict") else given)}
    new_counts = [0, 0, 0]  # gold actors missing from the given registry, proposals, proposals naming one
    arts = corpus.articles
    language = dict(zip(arts["article_id"], arts["language"])) if "language" in arts else {}
    pairs: dict[tuple[str, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    gold_layers = {"mention": corpus.mentions, "claim": corpus.claims, "threat": corpus.threats}
    for aid in corpus.article_ids:
        found = suggest(corpus.text(aid), given, language=language.get(aid) or "auto").to_dict("records")
        proposed = {s["actor"]: s["aliases"] for s in found if s["layer"] == "actor"}
        named_here = {r["actor"] for r in corpus.annotations[corpus.annotations["article_id"] == aid].to_dict("records")
                      if isinstance(r.get("actor"), str)}
        unknown = named_here - given_ids  # gold actors the rules were not given: to be proposed
        hits = {next((by_form[x.casefold()] for x in aliases if x.casefold() in by_form), None) for aliases in proposed.values()}
        new_counts[0] += len(unknown)
        new_counts[1] += len(proposed)
        new_counts[2] += len(hits & unknown)
        for s in found:  # a proposed actor counts as the gold actor one of its aliases names
            for key in ("actor", "speaker"):
                if isinstance(s.get(key), str) and s[key] not in known and s[key] in proposed:
                    s[key] = next((by_form[x.casefold()] for x in proposed[s[key]] if x.casefold() in by_form), s[key])
        for layer, frame in gold_layers.items():
            gold = frame[frame["article_id"] == aid].to_dict("records")
            mine = [s for s in found if s["layer"] == layer]
            subsets = {"all": (gold, mine)}
            if layer == "mention":
                subsets["named"] = ([g for g in gold if g["form"] == "name"], [s for s in mine if s["form"] == "name"])
            if layer == "claim":
                subsets["quoted"] = ([g for g in gold if g["attribution"] != "authorial"], mine)
            for subset, (g, m) in subsets.items():
                acc = pairs.setdefault((layer, subset), ([], []))
                acc[0].append(g)
                acc[1].append(m)
    rows = []
    for (layer, subset), (golds, mines) in sorted(pairs.items()):
        for rule in SPAN_MATCHING:
            n_gold = n_mine = n_matched = same_speaker = same_attribution = 0
            for g, m in zip(golds, mines):
                matched = match_spans([(x["start"], x["end"]) for x in g], [(x["start"], x["end"]) for x in m], rule=rule)
                n_gold, n_mine, n_matched = n_gold + len(g), n_mine + len(m), n_matched + len(matched)
                for i, j in matched:
                    same_speaker += layer != "mention" and str(g[i].get("speaker")) == str(m[j].get("speaker"))
                    same_attribution += layer == "claim" and g[i].get("attribution") == m[j].get("attribution")
            p, r, f = scores(n_a=n_gold, n_b=n_mine, n_matched=n_matched)
            nan = float("nan")
            rows.append(dict(layer=layer, subset=subset, matching=rule, gold=n_gold, suggested=n_mine, matched=n_matched,
                             precision=p, recall=r, f1=f,
                             speaker_accuracy=same_speaker / n_matched if layer != "mention" and n_matched else nan,
                             attribution_accuracy=same_attribution / n_matched if layer == "claim" and n_matched else nan))
    p, r, f = scores(n_a=new_counts[0], n_b=new_counts[1], n_matched=new_counts[2])
    rows.append(dict(layer="actor", subset="new", matching="alias", gold=new_counts[0], suggested=new_counts[1],
                     matched=new_counts[2], precision=p, recall=r, f1=f, speaker_accuracy=float("nan"),
                     attribution_accuracy=float("nan")))
    return typed_frame(rows, EVALUATION_COLUMNS)
