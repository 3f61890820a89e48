"""Interactive explorers for notebooks (ipywidgets 8).

Not imported by ``import caucasus_corpus``, so the library stays light outside notebooks:

>>> from caucasus_corpus.widgets import adjudicator, annotator, article_viewer, kwic_explorer, speaker_dashboard

Every string that reaches HTML is escaped: an article containing ``<img src=x onerror=...>``
shows that text, it does not run it.
"""

from __future__ import annotations

from ._adjudicate import Adjudicator, adjudicator
from .._html import PALETTES
from ._annotator import Annotator, annotator
from ._article import ArticleViewer, article_viewer
from ._kwic import KwicExplorer, kwic_explorer
from ._speaker import SpeakerDashboard, speaker_dashboard, speaker_tables


def text_table(frame):  # type: ignore[no-untyped-def]
    """Display ``frame`` with every cell in full, left-aligned and wrapped (pandas cuts long text
    at ``display.max_colwidth`` and notebooks align it right): for tables whose text is the point,
    such as claims, notes or aliases. Every value is escaped.

    >>> import pandas as pd
    >>> "Varnia" in text_table(pd.DataFrame({"text": ["Varnia " * 40]}))._repr_html_()
    True
    """
    from .._html import TextTable

    return TextTable(frame)

__all__ = [
    "Adjudicator",
    "PALETTES",
    "Annotator",
    "ArticleViewer",
    "KwicExplorer",
    "SpeakerDashboard",
    "adjudicator",
    "annotator",
    "article_viewer",
    "kwic_explorer",
    "speaker_dashboard",
    "speaker_tables",
    "text_table",
]
