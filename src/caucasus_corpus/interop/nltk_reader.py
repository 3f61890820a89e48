"""The corpus as an NLTK corpus reader: ``corpus.nltk_reader()``.

:class:`CorpusNLTKReader` is an ``nltk.corpus.reader.CorpusReader`` whose file ids are the
article ids and whose views are NLTK ``StreamBackedCorpusView`` objects: a view reads its article
one paragraph at a time, as NLTK's own readers read files, so ``reader.words()`` over a large
corpus is a lazy sequence, not a list in memory. It works wherever NLTK expects a corpus
reader's output (``nltk.Text(reader.words())``, ``nltk.FreqDist(...)``, ``nltk.ConditionalFreqDist``).

Tokens and sentences are the corpus's own (:mod:`caucasus_corpus.text`: a regular expression and
untrained Punkt), so no NLTK data is downloaded, and ``reader.words(article_id)`` equals the
``token`` column of ``corpus.tokens`` for that article; ``sents`` and ``paras`` group them as the
``sentence`` and ``paragraph`` columns do. Punctuation tokens are words here, as in NLTK's
plain-text readers.

By speaker: ``words(speaker=...)``, ``sents(speaker=...)`` and ``paras(speaker=...)`` keep only
the tokens lying wholly inside the claims and threats of that actor (an id, name or alias), as
``kwic(speaker=...)`` does; ``speakers()`` lists the actors who have any. The texts are read from
the corpus in memory, encoded as UTF-8, so the streams are those of a file on disk.

>>> import caucasus_corpus as cc, nltk
>>> reader = cc.load().nltk_reader()
>>> text = nltk.Text(reader.words())
>>> text.count("Russia") == int((cc.load().tokens["token"] == "Russia").sum())
True
>>> reader.words(speaker="Hikmat Hajiyev")[:4]
['VAK', '"', 'took', 'an']
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from nltk.corpus.reader.api import CorpusReader
from nltk.corpus.reader.util import StreamBackedCorpusView, concat
from nltk.data import PathPointer

from .._options import unknown_key
from ..text.rules import paragraph_spans, tokenize
from ..vocab import SPEAKER_LAYERS

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike

__all__ = ["CorpusNLTKReader"]

_CHUNK = 1 << 16
_LAYER_FRAMES = {"claim": "claims", "threat": "threats"}


class _ArticlePointer(PathPointer):
    """One article's verbatim text as a read-only UTF-8 file (what NLTK's views read)."""

    def __init__(self, corpus: CorpusLike, article_id: str) -> None:
        self._data = corpus.text(article_id).encode("utf-8")
        self.path = article_id

    def open(self, encoding: str | None = None) -> io.BytesIO:
        return io.BytesIO(self._data)

    def file_size(self) -> int:
        return len(self._data)

    def join(self, fileid: str) -> PathPointer:
        raise NotADirectoryError(f"{self.path} is an article, not a folder")

    def __repr__(self) -> str:
        return f"<article {self.path}>"


class _CorpusPointer(PathPointer):
    """The reader's root: joining an article id gives that article's pointer."""

    def __init__(self, corpus: CorpusLike) -> None:
        self._corpus = corpus
        self.path = "caucasus-corpus"

    def open(self, encoding: str | None = None) -> io.BytesIO:
        raise IsADirectoryError("the corpus is a folder of articles: open an article id")

    def file_size(self) -> int:
        raise IsADirectoryError("the corpus is a folder of articles")

    def join(self, fileid: str) -> PathPointer:
        if fileid not in self._corpus.article_ids:
            raise unknown_key("article id", fileid, self._corpus.article_ids)
        return _ArticlePointer(self._corpus, fileid)

    def __repr__(self) -> str:
        return "<caucasus-corpus articles>"


def _next_paragraph(stream: io.BytesIO) -> str:
    """Read from ``stream`` up to the start of the next paragraph (or the end) and return that
    text: one paragraph with the blank lines after it (the paragraph rules of
    :func:`caucasus_corpus.text.paragraph_spans`), never a character cut in two."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer = ""
    while True:
        chunk = stream.read(_CHUNK)
        buffer += decoder.decode(chunk, final=not chunk)
        spans = list(islice(paragraph_spans(buffer), 2))
        if len(spans) == 2:  # the next paragraph has begun, so this one's break is complete
            return buffer[: spans[1][0]]
        if not chunk:
            return buffer


class _ArticleView(StreamBackedCorpusView):
    """The tokens of one article, read a paragraph per block, shaped as words, sents or paras;
    with ``keep`` (character spans), only the tokens wholly inside one of them."""

    def __init__(self, pointer: _ArticlePointer, shape: str, keep: Sequence[tuple[int, int]] | None) -> None:
        self._shape = shape
        self._keep = keep
        self._char_at = {0: 0}  # byte offset of each block start -> its character offset
        super().__init__(pointer, encoding=None)

    def read_block(self, stream: io.BytesIO) -> list[Any]:
        at = stream.tell()
        first_char = self._char_at[at]
        block = _next_paragraph(stream)
        end = at + len(block.encode("utf-8"))
        stream.seek(end)
        self._char_at[end] = first_char + len(block)
        sentences: dict[int, list[str]] = {}
        for t in tokenize(block):
            if self._keep is None or any(s <= first_char + t.start and first_char + t.end <= e for s, e in self._keep):
                sentences.setdefault(t.sentence, []).append(t.token)
        sents = list(sentences.values())
        if self._shape == "words":
            return [w for s in sents for w in s]
        if self._shape == "sents":
            return sents
        return [sents] if sents else []


class CorpusNLTKReader(CorpusReader):
    """An NLTK corpus reader over a caucasus_corpus corpus (module docstring): file ids are
    article ids; ``raw``, ``words``, ``sents`` and ``paras`` take one id, a list of ids or None
    (every article), and the last three a ``speaker``."""

    def __init__(self, corpus: CorpusLike) -> None:
        self._corpus = corpus
        super().__init__(_CorpusPointer(corpus), list(corpus.article_ids), encoding=None)

    def _ids(self, fileids: str | Iterable[str] | None) -> list[str]:
        ids = self.fileids() if fileids is None else [fileids] if isinstance(fileids, str) else list(fileids)
        for i in ids:
            if i not in self._fileids:
                raise unknown_key("article id", i, self._fileids)
        return ids

    def raw(self, fileids: str | Iterable[str] | None = None) -> str:
        """The verbatim texts, concatenated in corpus order (one article: exactly its text)."""
        return "".join(self._corpus.text(i) for i in self._ids(fileids))

    def speakers(self) -> list[str]:
        """actor_ids of everyone who makes a claim or a threat, sorted."""
        if not self._corpus.has_annotations:
            return []
        found: set[str] = set()
        for layer in SPEAKER_LAYERS:
            found.update(getattr(self._corpus, _LAYER_FRAMES[layer])["speaker"].dropna().tolist())
        return sorted(found)

    def _spans(self, speaker: str) -> dict[str, list[tuple[int, int]]]:
        from ..model.protocol import require_annotations

        require_annotations(self._corpus, f"nltk_reader().words(speaker={speaker!r})")
        actor = self._corpus.resolve_actor(speaker)
        spans: dict[str, list[tuple[int, int]]] = {}
        for layer in SPEAKER_LAYERS:
            frame = getattr(self._corpus, _LAYER_FRAMES[layer])
            frame = frame[frame["speaker"] == actor]
            for aid, s, e in zip(frame["article_id"], frame["start"], frame["end"]):
                spans.setdefault(str(aid), []).append((int(s), int(e)))
        return spans

    def _views(self, shape: str, fileids: str | Iterable[str] | None, speaker: str | None) -> Any:
        ids = self._ids(fileids)
        if speaker is None:
            return concat([_ArticleView(self._root.join(i), shape, None) for i in ids])
        spans = self._spans(speaker)
        return concat([_ArticleView(self._root.join(i), shape, spans[i]) for i in ids if i in spans])

    def words(self, fileids: str | Iterable[str] | None = None, *, speaker: str | None = None) -> Any:
        """Every token (words, numbers and punctuation) as a lazy list of strings."""
        return self._views("words", fileids, speaker)

    def sents(self, fileids: str | Iterable[str] | None = None, *, speaker: str | None = None) -> Any:
        """Sentences, each a list of tokens."""
        return self._views("sents", fileids, speaker)

    def paras(self, fileids: str | Iterable[str] | None = None, *, speaker: str | None = None) -> Any:
        """Paragraphs, each a list of sentences."""
        return self._views("paras", fileids, speaker)
