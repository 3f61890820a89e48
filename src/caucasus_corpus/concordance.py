# The documented import path caucasus_corpus.concordance; the code (and this module's docs) live in
# caucasus_corpus.analysis.concordance.
from .analysis.concordance import *  # noqa: F403
from .analysis.concordance import __all__, __doc__  # noqa: F401
