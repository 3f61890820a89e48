# The documented import path caucasus_corpus.lexical; the code (and this module's docs) live in
# caucasus_corpus.analysis.lexical.
from .analysis.lexical import *  # noqa: F403
from .analysis.lexical import __all__, __doc__  # noqa: F401
