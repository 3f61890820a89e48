"""Analysis on a corpus: keyword in context (``concordance``), lexical statistics (``lexical``) and
tables built from the annotations (``tables``). Every function takes a corpus (anything that
satisfies :class:`~caucasus_corpus.model.CorpusLike`) and asks its tokens of ``corpus.engine``.
"""

from __future__ import annotations

from .tables import (
    CLAIM_GROUPS,
    PROFILE_COLUMNS,
    STANCE_MATRIX_COLUMNS,
    THREAT_TABLE_COLUMNS,
    actor_records,
    claim_frequency,
    names,
    speaker_profile,
    stance_matrix,
    threat_table,
)

__all__ = [
    "CLAIM_GROUPS",
    "PROFILE_COLUMNS",
    "STANCE_MATRIX_COLUMNS",
    "THREAT_TABLE_COLUMNS",
    "actor_records",
    "claim_frequency",
    "names",
    "speaker_profile",
    "stance_matrix",
    "threat_table",
]
