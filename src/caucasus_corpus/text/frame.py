"""Builds the ``Corpus.tokens`` DataFrame from texts, one document at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._frames import typed_frame
from .rules import tokenize

if TYPE_CHECKING:
    import pandas as pd

TOKEN_COLUMNS = {
    "article_id": "string",
    "paragraph": "int64",
    "sentence": "int64",
    "token_index": "int64",
    "token": "string",
    "start": "int64",
    "end": "int64",
    "kind": "string",
}


def tokens_frame(texts: Mapping[str, str]) -> pd.DataFrame:
    """Tokenise every text (per document, so NLTK's regexes never see one huge string)."""
    import pandas as pd
    from tqdm.auto import tqdm

    parts = []
    items = list(texts.items())
    for aid, text in tqdm(items, desc="tokenising", unit="article", disable=len(items) < 50):
        toks = tokenize(text)
        parts.append(
            pd.DataFrame(
                {
                    "article_id": aid,
                    "paragraph": [t.paragraph for t in toks],
                    "sentence": [t.sentence for t in toks],
                    "token_index": range(len(toks)),
                    "token": [t.token for t in toks],
                    "start": [t.start for t in toks],
                    "end": [t.end for t in toks],
                    "kind": [t.kind for t in toks],
                }
            )
        )
    if not parts:
        return typed_frame([], TOKEN_COLUMNS)
    return pd.concat(parts, ignore_index=True).astype(TOKEN_COLUMNS)
