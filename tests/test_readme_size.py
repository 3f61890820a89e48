"""The README says first how big the bundled corpus is, and the numbers are the bundled release's."""

from __future__ import annotations

import re

import caucasus_corpus as cc

from support import REPO


def size_sentence(corpus: cc.Corpus) -> str:
    layers = corpus.annotations["layer"].value_counts()
    plural = {"mention": "mentions", "claim": "claims", "stance": "stances", "threat": "threats"}
    per_layer = ", ".join(f"{n:,} {plural[layer] if n != 1 else layer}" for layer, n in layers.items())
    n = len(corpus)
    return (f"**How big it is:** the bundled release (data version {corpus.version}) holds {n:,} "
            f"article{'s' if n != 1 else ''} of {int(corpus.articles['n_chars'].sum()):,} characters "
            f"({len(corpus.tokens):,} tokens), with {len(corpus.annotations):,} hand-annotated records ({per_layer}) "
            f"about {len(corpus.actors):,} actors.")


def test_readme_opens_with_the_size_of_the_bundled_corpus(bundled: cc.Corpus) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first = next(p for p in re.split(r"\n\s*\n", text.split("\n", 1)[1]) if p.strip() and not p.startswith("<!--")
                 or "**How big" in p)
    expected = size_sentence(bundled)
    assert expected in first.replace("\n", " "), f"update the README's first paragraph to say:\n{expected}"
