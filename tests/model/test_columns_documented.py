"""Every public DataFrame documents its columns (name and dtype), and the docs match the data."""

from __future__ import annotations

from pathlib import Path

import pytest

import caucasus_corpus as cc

from caucasus_corpus.authoring.session import AnnotationSession
from caucasus_corpus.sharing import HydrationResult
from support import actual_columns, documented_columns, write_release

# (documented object, how to get the real frame[, which corpus]). Add every new public DataFrame here.
# The corpus is the bundled release unless the entry names another: "fiction" (the small fictional
# release of conftest, with every annotation layer) or "texts" (a corpus built with from_texts).
FRAMES = {
    "Corpus.articles": (cc.Corpus.articles, lambda c: c.articles),
    "Corpus.tokens": (cc.Corpus.tokens, lambda c: c.tokens),
    "Corpus.actors": (cc.Corpus.actors, lambda c: c.actors),
    "Corpus.topics": (cc.Corpus.topics, lambda c: c.topics),
    "Corpus.annotations": (cc.Corpus.annotations, lambda c: c.annotations),
    "Corpus.mentions": (cc.Corpus.mentions, lambda c: c.mentions),
    "Corpus.claims": (cc.Corpus.claims, lambda c: c.claims),
    "Corpus.threats": (cc.Corpus.threats, lambda c: c.threats),
    "Corpus.stance": (cc.Corpus.stance, lambda c: c.stance),
    "Corpus.claims (fiction)": (cc.Corpus.claims, lambda c: c.claims, "fiction"),
    "Corpus.annotations (own texts, none)": (cc.Corpus.annotations, lambda c: c.annotations, "texts"),
    "kwic": (cc.kwic, lambda c: c.kwic("Ostrel")),
    "kwic (speaker filter)": (cc.kwic, lambda c: c.kwic("Ostrel", speaker="pell-andor"), "fiction"),
    "kwic (own texts)": (cc.kwic, lambda c: c.kwic("Ostrel"), "texts"),
    "from_texts articles": (cc.Corpus.articles, lambda c: c.articles, "texts"),
    "kwic (hits)": (cc.kwic, lambda c: c.kwic("Russia", sort="R1")),
    "claim_frequency": (cc.claim_frequency, lambda c: c.claim_frequency(), "fiction"),
    "stance_matrix": (cc.stance_matrix, lambda c: c.stance_matrix(), "fiction"),
    "threat_table": (cc.threat_table, lambda c: c.threat_table(), "fiction"),
    "speaker_profile": (cc.speaker_profile, lambda c: c.speaker_profile("pell-andor"), "fiction"),
    "frequency": (cc.frequency, lambda c: c.frequency(stopwords="en")),
    "frequency (own texts)": (cc.frequency, lambda c: c.frequency(), "texts"),
    "collocates": (cc.collocates, lambda c: c.collocates("Russia")),
    "collocates (no hits)": (cc.collocates, lambda c: c.collocates("Ostrel")),
    "dispersion": (cc.dispersion, lambda c: c.dispersion(["Russia", "Putin"])),
    "diff": (cc.diff, lambda c: cc.diff(c.root, c.root).frame),
    "network_evidence": (cc.network_evidence, lambda c: cc.network_evidence(c, "hikmat-hajiyev", "vak-closure", variable1="holder")),
    "time_window_networks": (cc.time_window_networks, lambda c: cc.time_window_networks(
        c, network_type="onemode", variable1="holder", variable2="target", modularity=False)),
    "AnnotationSession.records": (AnnotationSession.records, lambda c: cc.annotate(c.root, "varnia-ostrel-dam", annotator="t").records, "fiction"),
    "Corpus.claims (texts withheld)": (cc.Corpus.claims, lambda c: cc.load(_shared(c), texts=False).claims, "fiction"),
    "Corpus.articles (texts withheld)": (cc.Corpus.articles, lambda c: cc.load(_shared(c), texts=False).articles, "fiction"),
    "HydrationResult.report": (HydrationResult.report, lambda c: _hydrated(c).report, "fiction"),
}


def _shared(corpus: cc.Corpus) -> Path:
    """The corpus's release published without its texts, next to it."""
    out = corpus.root.parent / "shared"
    if not out.exists():
        cc.publish(out, path=corpus.root)
    return out


def _hydrated(corpus: cc.Corpus) -> HydrationResult:
    """The published copy hydrated from a folder holding one changed text (so records move)."""
    texts = corpus.root.parent / "texts"
    texts.mkdir()
    for aid in corpus.article_ids:
        (texts / f"{aid}.txt").write_text("Update.\n" + corpus.text(aid), encoding="utf-8")
    return cc.hydrate(_shared(corpus), from_dir=texts, progress=False)


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_docstring_columns_match_the_frame(name: str, tmp_path: Path) -> None:
    documented, get, *which = FRAMES[name]
    source = which[0] if which else "bundled"
    if source == "fiction":
        corpus = cc.load(write_release(tmp_path / "fiction"))
    elif source == "texts":
        corpus = cc.from_texts({"note-1": "Varnia and Ostrel.", "note-2": "Ostrel replied."})
    else:
        corpus = cc.load()
    assert actual_columns(get(corpus)) == documented_columns(documented)
