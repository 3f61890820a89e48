"""Exceptions raised by caucasus_corpus.

Every error names the file (and line, where there is one) and says how to fix it, because the
people who meet them are researchers in a notebook, not the maintainers.
"""

from __future__ import annotations

__all__ = [
    "CorpusError",
    "CorpusNotFoundError",
    "CorpusFormatError",
    "CorpusIntegrityError",
    "CorpusValidationError",
    "NoAnnotationsError",
    "ReleaseBusyError",
    "ConcurrentEditError",
    "CorpusInputError",
    "TextsWithheldError",
]


class CorpusError(Exception):
    """Base class of every error this package raises about corpus data."""


class CorpusNotFoundError(CorpusError, FileNotFoundError):
    """The corpus folder or its ``datapackage.json`` does not exist."""


class CorpusFormatError(CorpusError, ValueError):
    """A data file exists but cannot be parsed (malformed JSON, CSV or UTF-8)."""


class CorpusIntegrityError(CorpusError):
    """A data file's bytes differ from the sha256 the manifest records, or a listed file is missing."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class CorpusValidationError(CorpusError, ValueError):
    """The corpus parsed but breaks the schema or a cross-check; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = "" if len(self.problems) <= 50 else f"\n  ... and {len(self.problems) - 50} more"
        super().__init__(f"{len(self.problems)} problem(s) found:\n{shown}{more}")


class NoAnnotationsError(CorpusError, ValueError):
    """An annotation-based function was called on a corpus that has no annotations (e.g. one
    built from your own texts with ``from_texts``); text functions such as ``kwic`` still work."""


class ReleaseBusyError(CorpusError, TimeoutError):
    """Another writer (or, for a writer, a reader) held the release folder's lock for the whole
    timeout. A ``TimeoutError`` too, so that code which already retries on timeouts handles it."""


class ConcurrentEditError(CorpusError):
    """Another writer changed what this write was based on (an article's files during an
    annotation session's ``batch()``, a record that ``undo``, ``update`` or ``delete`` read, the gold
    an adjudication read); nothing was saved. Reload (``session.reload()``, or adjudicate again)
    and make the change again."""


class CorpusInputError(CorpusError, ValueError):
    """A file given as input (an import file, a vendor export, a capture, a DNA database) was
    refused before it was parsed: not a regular file inside its folder, or past a size or zip cap.
    ``path`` names the file; the message never quotes its content."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class TextsWithheldError(CorpusError):
    """The article texts are not there: a release published without them (``caucasus-corpus
    publish --without-texts``) or a corpus loaded with ``texts=False``. The message names
    ``caucasus-corpus hydrate``, which puts them back."""
