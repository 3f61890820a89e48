"""Authoring: the one way records, actors and topics are written into a release folder.

Every entry point that writes annotations (scripts, the annotation API and widget, importers,
adjudication) calls :func:`save`, which validates with the one checker and commits with the one
commit protocol.
"""

from __future__ import annotations

from .writer import actor_lines, annotation_files, record_lines, save, topics_tsv

__all__ = ["actor_lines", "annotation_files", "record_lines", "save", "topics_tsv"]
