"""caucasus_corpus: a versioned, hand-annotated corpus of South Caucasus politics, in pandas.

>>> import caucasus_corpus as cc
>>> corpus = cc.load()
>>> len(corpus.articles) >= 1
True
"""

from __future__ import annotations

from .errors import (
    CorpusError,
    CorpusFormatError,
    CorpusIntegrityError,
    CorpusNotFoundError,
    CorpusValidationError,
)
from .model.corpus import Corpus
from .release.diff import ReleaseDiff, diff
from .release.load import load

__all__ = [
    "Corpus",
    "CorpusError",
    "CorpusFormatError",
    "CorpusIntegrityError",
    "CorpusNotFoundError",
    "CorpusValidationError",
    "ReleaseDiff",
    "diff",
    "load",
    "__version__",
]

# The analysis functions load on first use (PEP 562), so that `import caucasus_corpus` stays light.
_LAZY = {
    "Concordance": "analysis.concordance",
    "kwic": "analysis.concordance",
    "NoAnnotationsError": "errors",
    "from_texts": "model.userdata",
    "from_dataframe": "model.userdata",
    "claim_frequency": "analysis.tables",
    "stance_matrix": "analysis.tables",
    "threat_table": "analysis.tables",
    "speaker_profile": "analysis.tables",
    "frequency": "analysis.lexical",
    "collocates": "analysis.lexical",
    "dispersion": "analysis.lexical",
    "dispersion_plot": "analysis.lexical",
    "stopwords": "analysis.lexical",
    "add_article": "authoring.articles",
    "add_articles": "authoring.articles",
    "annotate": "authoring.session",
    "from_parquet": "interop.parquet",
    "open_parquet": "shards",
    "build_parquet": "shards",
    "ShardedCorpus": "shards",
    "agreement": "reliability.measures",
    "adjudicate": "reliability.adjudication",
    "discourse_network": "analysis.networks",
    "network_graph": "analysis.networks",
    "time_window_networks": "analysis.networks",
    "network_evidence": "analysis.networks",
    "collect": "intake.collect",
    "convert": "intake.convert",
    "publish": "sharing.publish",
    "hydrate": "sharing.hydrate",
    "TextsWithheldError": "errors",
}

__all__ += list(_LAZY)


def __getattr__(name: str) -> object:
    if name == "__version__":  # on first use: importlib.metadata (and the email package) cost every import 30-60 ms
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("caucasus-corpus")  # the code version; the data version is corpus.version
        except PackageNotFoundError:  # imported from a source tree that was never installed
            value = "0+unknown"
        globals()[name] = value
        return value
    if name in _LAZY:
        from importlib import import_module

        module = import_module(f".{_LAZY[name]}", __name__)
        value = module if _LAZY[name] == name else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # Tab completion in notebooks should list the lazily loaded functions too.
    return sorted(set(globals()) | set(_LAZY))
