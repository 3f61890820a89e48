"""Interactive explorers for notebooks (ipywidgets 8).

Not imported by ``import caucasus_corpus``, so the library stays light outside notebooks:

>>> from caucasus_corpus.widgets import adjudicator, annotator, article_viewer, kwic_explorer, speaker_dashboard

Every string that reaches HTML is escaped: an article containing ``<img src=x onerror=...>``
shows that text, it does not run it.
"""

from __future__ import annotations

from ._adjudicate import Adjudicator, adjudicator
from ._annotator import Annotator, annotator
from ._article import ArticleViewer, article_viewer
from ._kwic import KwicExplorer, kwic_explorer
from ._speaker import SpeakerDashboard, speaker_dashboard, speaker_tables

__all__ = [
    "Adjudicator",
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
]
