"""The columns of the ``Corpus.tokens`` DataFrame (the engine builds it; see
:meth:`caucasus_corpus.engine.NumpyEngine.token_frame`)."""

from __future__ import annotations

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
