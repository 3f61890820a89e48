"""The corpus model: the ``Corpus`` facade, the ``CorpusLike`` protocol the analysis code needs,
annotation records in memory and the frames built from them, and corpora from your own texts."""

from __future__ import annotations

from .corpus import Corpus
from .protocol import CorpusLike, require_annotations
from .records import AnnotationData

__all__ = ["AnnotationData", "Corpus", "CorpusLike", "require_annotations"]
