"""Independent annotators compared, and adjudicated into gold.

* :func:`agreement` (also ``cc.agreement(release, ...)``): the agreement DataFrame, one row per
  figure; :func:`agreement_report` the same as readable text (``caucasus-corpus agree``);
  :func:`confusion` and :func:`disagreements` the details behind a figure;
  :func:`plot_agreement` and :func:`plot_confusion` their plots (:mod:`.measures`, :mod:`.plots`);
* :func:`adjudicate` (also ``cc.adjudicate``): an :class:`Adjudication` of one article, whose
  agreed records go to gold and whose disagreements are resolved one by one, every decision
  logged (:mod:`.adjudicate`).

Records are made with ``cc.annotate(release, article_id, annotator=NAME, independent=True)``.

The package is named ``reliability`` (inter-annotator reliability), not ``agreement``, so that
importing it never rebinds the public function ``cc.agreement``.
"""

from __future__ import annotations

from .adjudication import Adjudication, adjudicate
from .measures import agreement, agreement_report, confusion, disagreements
from .plots import plot_agreement, plot_confusion
from .records import read_annotations

__all__ = ["Adjudication", "adjudicate", "agreement", "agreement_report", "confusion", "disagreements",
           "plot_agreement", "plot_confusion", "read_annotations"]

