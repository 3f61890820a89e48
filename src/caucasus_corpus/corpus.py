"""The ``Corpus`` object: texts, metadata and (when present) annotations, as pandas DataFrames."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._options import unknown_key

if TYPE_CHECKING:
    import pandas as pd


class Corpus:
    """A loaded corpus. Build one with :func:`caucasus_corpus.load`.

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> corpus.version
    '1.0.0'
    >>> len(corpus.fingerprint)
    64
    """

    def __init__(
        self,
        *,
        articles: pd.DataFrame,
        texts: dict[str, str],
        version: str | None = None,
        fingerprint: str | None = None,
        root: Path | None = None,
    ) -> None:
        self._articles = articles
        self._texts = texts
        self._version = version
        self._fingerprint = fingerprint
        self._root = root
        self._tokens: pd.DataFrame | None = None

    @property
    def version(self) -> str | None:
        """The data version (SemVer) from the manifest; None for a corpus built from your own texts."""
        return self._version

    @property
    def fingerprint(self) -> str | None:
        """64-hex sha256 over the manifest's file hashes: identifies the exact bytes of a release."""
        return self._fingerprint

    @property
    def root(self) -> Path | None:
        """The release folder this corpus was read from (None when built in memory)."""
        return self._root

    @property
    def article_ids(self) -> list[str]:
        """Article ids in corpus order."""
        return list(self._texts)

    def text(self, article_id: str) -> str:
        """The verbatim text of one article, exactly as stored (offsets refer to it).

        >>> import caucasus_corpus as cc
        >>> cc.load().text("commonspace-2017-05-17-azerbaijan-russia-low-point")[:40]
        'Relations between Azerbaijan and Russia '
        """
        try:
            return self._texts[article_id]
        except (KeyError, TypeError):
            raise unknown_key("article id", article_id, self._texts) from None

    @property
    def articles(self) -> pd.DataFrame:
        """One row per article.

        Columns
        -------
        article_id : string
            Readable slug that identifies the article (``^[a-z0-9][a-z0-9-]*$``).
        title : string
            Headline as published.
        published : datetime64[ns]
            Publication date; NaT when unknown.
        outlet : string
            Publishing outlet (web domain); <NA> when unknown.
        url : string
            Address the text was published at; <NA> when unknown.
        genre : string
            news, commentary, analysis, interview, opinion or press-release; <NA> when unknown.
        language : string
            ISO 639 language code of the text.
        byline : string
            Byline as the outlet gives it; <NA> when there is none.
        author : string
            Personal name of the author; <NA> when not given (never guessed).
        n_chars : int64
            Length of the stored text in Unicode code points.
        path : string
            File of the verbatim text, relative to the release folder.
        source_file : string
            Name of the file the text was taken from when it entered the corpus.
        notes : string
            Provenance and caveats (e.g. what the stored text lacks); <NA> when none.
        """
        return self._articles.copy()

    @property
    def tokens(self) -> pd.DataFrame:
        """One row per token, by the rules in :mod:`caucasus_corpus.text`; computed on first use.

        Columns
        -------
        article_id : string
            Article the token belongs to.
        paragraph : int64
            0-based paragraph number within the article (blank lines separate paragraphs).
        sentence : int64
            0-based sentence number within the article.
        token_index : int64
            0-based position of the token within the article.
        token : string
            The token exactly as in the text: ``text[start:end] == token``.
        start : int64
            Character offset (code points, 0-based) where the token starts.
        end : int64
            Character offset where the token ends (exclusive).
        kind : string
            ``word``, ``number`` or ``punct``.
        """
        if self._tokens is None:
            from .tokens import tokens_frame

            self._tokens = tokens_frame(self._texts)
        return self._tokens.copy()

    def __len__(self) -> int:
        return len(self._texts)

    def __repr__(self) -> str:
        label = f"version {self._version}" if self._version else "unversioned"
        fp = f", fingerprint {self._fingerprint[:12]}…" if self._fingerprint else ""
        return f"<caucasus_corpus.Corpus {label}{fp}: {len(self)} article(s)>"
