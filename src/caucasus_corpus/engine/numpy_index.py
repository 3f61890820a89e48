"""The in-memory engine: int32 numpy arrays over every token plus an inverted index by word type.

Built from the texts on first use: runs of ASCII texts are tokenised together by whole-array
operations (:func:`caucasus_corpus.text.rules.ascii_token_bounds`) and their tokens numbered in
Arrow; any other text by one compiled regex pass (:func:`caucasus_corpus.text.rules.token_spans`);
sentence numbers only when the tokens frame is asked for. Per token only int32 numbers are kept
(type code, offsets; paragraph and sentence once asked for), with where each article starts, one
vocabulary of distinct token strings, the kind of each type, the count of each type (so frequency
lists need no pass over the tokens), and the positions of each type sorted once (a stable argsort
with CSR-style bounds) when a few queries have scanned the type codes (a scan is about a tenth
of the sort). A query looks words up in the vocabulary, never in the token strings; KWIC context strings are joined from pieces of the vocabulary picked by code, in Arrow when pandas
keeps strings in Arrow (no Python string per row). The ``Corpus.tokens`` frame is materialised only
when asked for. ``benchmarks/bench_engine.py`` compares this with NLTK.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .._options import check_choice
from . import contexts
from ..text.folding import fold, fold_types
from ..text.frame import TOKEN_COLUMNS
from ..text.rules import ascii_token_bounds, scan, sentence_numbers, token_arrays, token_kind
from ..vocab import MATCH_MODES, TOKEN_KINDS

#: Corpora with at least this many characters save their index in the user's cache by default.
CACHE_FROM_CHARS = 20_000_000

# The arrays saved with an index (paragraph and sentence numbers are computed when asked for).
_SAVED = ("codes", "start", "type_len", "type_kind", "type_count", "first", "last", "space_after", "plain",
          "order", "bounds")

_NO_CODES = np.empty(0, dtype=np.int64)

# Queries answered by scanning the codes before the positions are sorted by type (see _positions).
_SCANS_BEFORE_ORDER = 8

#: Wall-clock seconds a user's glob or regex query may spend matching the vocabulary.
REGEX_TIMEOUT = 5.0

_SPACE = re.compile(r"\s+")


# pandas keeps ``string`` columns in Arrow when pyarrow is installed (pandas 3): then contexts are
# joined in Arrow; otherwise row by row in Python, giving the same strings.
_ARROW_STRINGS = pd.StringDtype().storage == "pyarrow"


def _arrow():  # type: ignore[no-untyped-def]
    import pyarrow

    return pyarrow


def _arrow_compute():  # type: ignore[no-untyped-def]
    import pyarrow.compute

    return pyarrow.compute


@dataclass(frozen=True)
class _Arrays:
    codes: np.ndarray  # int32: the token's type, an index into vocab
    start: np.ndarray  # int32: character offset in the article's text (the end is start + type_len)
    paragraph: np.ndarray | None  # int32; None until the tokens frame asks (sentence splitting is slow)
    sentence: np.ndarray | None  # int32
    vocab: np.ndarray  # object: distinct token strings (case kept), in order of first occurrence
    type_len: np.ndarray  # int32 per type: its length in characters
    type_kind: np.ndarray  # int8 per type: index into TOKEN_KINDS
    type_count: np.ndarray  # int64 per type: occurrences, counted at index time
    first: np.ndarray  # int64 per article: global position of its first token
    last: np.ndarray  # int64 per article: global position of its last token (first - 1 when empty)
    space_after: np.ndarray  # bool: white space between this token and the next one
    plain: np.ndarray  # bool per article: every character is in a token or is white space


class _Numbering:
    """Type codes in order of first occurrence, given to the types of Python strings (the regex
    pass) and of Arrow arrays (the ASCII batches) alike: an Arrow batch is looked up in C, and
    Python runs once per new type, not once per type of every batch."""

    def __init__(self) -> None:
        self.lookup: dict[str, int] = {}  # every type so far -> its code
        # The ASCII types among the first _seen (only those can be types of an ASCII batch) as
        # an Arrow array, and their codes.
        self._ascii = None
        self._ascii_codes = np.empty(0, dtype=np.int32)
        self._seen = 0

    def strings(self, uniques: list[str]) -> np.ndarray:
        """The codes of distinct types, new ones numbered in the order given."""
        lookup = self.lookup
        get = lookup.setdefault
        return np.fromiter((get(u, len(lookup)) for u in uniques), dtype=np.int32, count=len(uniques))

    def _remember(self, types, codes: np.ndarray) -> None:  # type: ignore[no-untyped-def]
        self._ascii = types if self._ascii is None else _arrow().concat_arrays([self._ascii, types])
        self._ascii_codes = np.concatenate([self._ascii_codes, codes])

    def arrow(self, uniques) -> np.ndarray:  # type: ignore[no-untyped-def]
        """:meth:`strings` for distinct ASCII types in an Arrow large_string array."""
        pa, pc = _arrow(), _arrow_compute()
        lookup = self.lookup
        if self._seen < len(lookup):  # types the regex pass added since the last Arrow batch
            added = [(t, c) for t, c in itertools.islice(lookup.items(), self._seen, None) if t.isascii()]
            if added:
                self._remember(pa.array([t for t, _ in added], type=pa.large_string()),
                               np.array([c for _, c in added], dtype=np.int32))
        codes = np.full(len(uniques), -1, dtype=np.int32)
        if self._ascii is not None:
            at = pc.index_in(uniques, value_set=self._ascii)
            found = at.is_valid().to_numpy(zero_copy_only=False)
            codes[found] = self._ascii_codes[pc.fill_null(at, 0).to_numpy()[found]]
        new = codes < 0
        n_new = int(new.sum())
        if n_new:
            codes[new] = np.arange(len(lookup), len(lookup) + n_new, dtype=np.int32)
            fresh = uniques.filter(pa.array(new))
            lookup.update(zip(fresh.to_pylist(), codes[new].tolist()))
            self._remember(fresh, codes[new])
        self._seen = len(lookup)
        return codes


def _kinds(vocab: np.ndarray) -> np.ndarray:
    """Index into TOKEN_KINDS of each type's :func:`~caucasus_corpus.text.rules.token_kind`:
    for ASCII types by three Arrow regex passes over the vocabulary (in ASCII the rules read: a
    number is digits, full stops and commas with a digit; a word has a letter or digit), for
    the others in Python."""
    kinds = np.empty(len(vocab), dtype=np.int8)
    ascii_ = np.fromiter((v.isascii() for v in vocab), dtype=bool, count=len(vocab)) if _ARROW_STRINGS else np.zeros(len(vocab), bool)
    for i in np.flatnonzero(~ascii_).tolist():
        kinds[i] = TOKEN_KINDS.index(token_kind(vocab[i]))
    if ascii_.any():
        pa, pc = _arrow(), _arrow_compute()
        types = pa.array(vocab[ascii_], type=pa.large_string())
        number = (pc.match_substring_regex(types, "^[0-9.,]+$").to_numpy(zero_copy_only=False)
                  & pc.match_substring_regex(types, "[0-9]").to_numpy(zero_copy_only=False))
        word = pc.match_substring_regex(types, "[A-Za-z0-9]").to_numpy(zero_copy_only=False)
        kinds[ascii_] = np.where(number, TOKEN_KINDS.index("number"),
                                 np.where(word, TOKEN_KINDS.index("word"), TOKEN_KINDS.index("punct")))
    return kinds


def _tokenise(texts: Mapping[str, str], *, sentences: bool = False) -> _Arrays:
    """The arrays; paragraph and sentence numbers only with ``sentences`` (see _sentence_arrays)."""
    from tqdm.auto import tqdm

    numbering = _Numbering()
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("codes", "start", "space_after", "paragraph", "sentence")}
    sizes, plain = [], []
    batch: list[str] = []

    def encode() -> None:
        # Type codes in order of first occurrence (as pd.factorize over all tokens gives them):
        # factorize a batch of texts in C, then number the batch's new types in that order.
        if batch:
            local, uniques = pd.factorize(np.array(batch, dtype=object))
            parts["codes"].append(numbering.strings(uniques.tolist())[local])
            batch.clear()

    pending: list[str] = []  # ASCII texts waiting to be tokenised together

    def tokenise_ascii() -> None:
        # Whole-array tokenising of a run of ASCII texts; the run's tokens are numbered after
        # those already waiting in ``batch``, so codes keep the order of first occurrence.
        if pending:
            encode()
            local, uniques, start, space_after, counts = _ascii_batch(pending)
            parts["codes"].append(numbering.arrow(uniques)[local])
            parts["start"].append(start)
            parts["space_after"].append(space_after)
            sizes.extend(counts.tolist())
            plain.extend([True] * len(pending))  # in ASCII, every character outside tokens is white space
            pending.clear()

    items = list(texts.values())
    for text in tqdm(items, desc="tokenising", unit="article", disable=len(items) < 200, mininterval=1.0):
        if not sentences and _ARROW_STRINGS and text.isascii():  # Arrow numbers the tokens
            pending.append(text)
            if len(pending) >= _ASCII_RUN:
                tokenise_ascii()
            continue
        tokenise_ascii()
        if sentences:
            tokens, start, end, paragraph, sentence = token_arrays(text)
            # str.split() splits on exactly the characters re's \s matches.
            is_plain = int((end - start).sum()) + len(text) - sum(map(len, text.split())) == len(text)
        else:
            tokens, start, end, is_plain = scan(text)
            paragraph = sentence = np.empty(0, np.int64)
        batch.extend(tokens)
        if len(batch) > 100_000:
            encode()
        for name, values in (("start", start), ("paragraph", paragraph), ("sentence", sentence)):
            parts[name].append(values.astype(np.int32))
        parts["space_after"].append(_space_after(start, end, np.array([len(tokens)])))
        sizes.append(len(tokens))
        # If every character is in a token or is white space, a context string can be joined
        # from tokens and spaces (see contexts).
        plain.append(is_plain)
    tokenise_ascii()
    encode()
    # One column at a time, dropping its pieces, so the peak holds one column twice, not all.
    cols = {k: np.concatenate(parts.pop(k)) if parts[k] else np.empty(0, np.int32) for k in list(parts)}
    vocab = np.empty(len(numbering.lookup), dtype=object)
    vocab[:] = list(numbering.lookup)
    n_per_article = np.array(sizes, dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(n_per_article)[:-1]]).astype(np.int64) if sizes else np.empty(0, np.int64)
    start, space_after = cols["start"], cols["space_after"].astype(bool, copy=False)
    return _Arrays(
        codes=cols["codes"], start=start, type_len=np.fromiter(map(len, vocab), dtype=np.int32, count=len(vocab)),
        paragraph=cols["paragraph"] if sentences else None, sentence=cols["sentence"] if sentences else None, vocab=vocab,
        type_kind=_kinds(vocab), type_count=np.bincount(cols["codes"], minlength=len(vocab)).astype(np.int64),
        first=first, last=first + n_per_article - 1, space_after=space_after,
        plain=np.array(plain, dtype=bool),
    )


def _stored(texts: Sequence[str], article: np.ndarray, token_id: np.ndarray, start: np.ndarray, end: np.ndarray,
            types, kinds) -> _Arrays:  # type: ignore[no-untyped-def]
    """The arrays of :func:`_tokenise` from tokens stored with the texts (a shard of layout
    version 2), without tokenising: ``article`` (row in ``texts``), ``token_id`` (an index into
    ``types`` and ``kinds``, e.g. a global vocabulary), ``start`` and ``end`` per token.

    The ids are renumbered into a compact vocabulary of these texts' types in order of first
    occurrence, which is how :func:`_tokenise` numbers them, so both give equal arrays. ValueError
    saying what is wrong when the tokens do not fit the texts."""
    article, token_id = np.asarray(article, np.int64), np.asarray(token_id, np.int64)
    start, end = np.asarray(start, np.int64), np.asarray(end, np.int64)
    n_tok = len(token_id)
    if not len(article) == len(start) == len(end) == n_tok:
        raise ValueError(f"the token columns differ in length ({len(article)}, {n_tok}, {len(start)}, {len(end)})")
    if n_tok and (article.min() < 0 or article.max() >= len(texts) or (np.diff(article) < 0).any()):
        raise ValueError(f"article numbers must run in order from 0 to {len(texts) - 1} (one per text)")
    if n_tok and (token_id.min() < 0 or token_id.max() >= len(types)):
        raise ValueError(f"token ids must lie in 0..{len(types) - 1} (the vocabulary's rows)")
    local, uniques = pd.factorize(token_id)  # codes in order of first occurrence, as _tokenise numbers them
    vocab = np.empty(len(uniques), dtype=object)
    vocab[:] = np.asarray(types.take(uniques), dtype=object)
    type_len = np.fromiter(map(len, vocab), dtype=np.int32, count=len(vocab))
    type_kind = pd.Categorical(np.asarray(kinds.take(uniques), dtype=object), categories=TOKEN_KINDS).codes
    if (type_kind < 0).any():
        raise ValueError(f"a token's kind is not one of {', '.join(TOKEN_KINDS)}")
    codes = local.astype(np.int32)
    n_chars = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if n_tok and ((end != start + type_len[codes]).any() or start.min() < 0 or (end > n_chars[article]).any()):
        raise ValueError("a token's end is not its start plus its length, or it lies outside its text")
    same = article[1:] == article[:-1]
    if (start[1:][same] < end[:-1][same]).any():
        raise ValueError("an article's tokens overlap or are out of order")
    n_per_article = np.bincount(article, minlength=len(texts))
    first = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(n_per_article[:-1], out=first[1:])
    for i in np.flatnonzero(n_per_article).tolist():  # one Python slice per article: do tokens and texts belong together?
        if texts[i][start[first[i]] : end[first[i]]] != vocab[codes[first[i]]]:
            raise ValueError(f"the first token of text {i} is not the one stored (the texts and tokens differ)")
    space_after = np.zeros(n_tok, dtype=bool)
    space_after[:-1] = start[1:] > end[:-1]
    space_after[(first + n_per_article - 1)[n_per_article > 0]] = False  # an article's last token
    # As _tokenise: plain when every character outside the tokens is white space (always in ASCII).
    in_tokens = np.bincount(article, weights=end - start, minlength=len(texts)).astype(np.int64)
    plain = [t.isascii() or sum(map(len, t.split())) == k for t, k in zip(texts, in_tokens.tolist())]
    return _Arrays(codes=codes, start=start.astype(np.int32), paragraph=None, sentence=None, vocab=vocab,
                   type_len=type_len, type_kind=type_kind.astype(np.int8),
                   type_count=np.bincount(codes, minlength=len(vocab)).astype(np.int64), first=first,
                   last=first + n_per_article - 1, space_after=space_after, plain=np.array(plain, dtype=bool))


# ASCII texts tokenised together (about 6 MB of news text at once).
_ASCII_RUN = 1000


def _space_after(start: np.ndarray, end: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per token of consecutive texts holding ``counts`` tokens each: is there white space
    between it and the next token of its text (never after a text's last token)?"""
    space = np.zeros(len(start), dtype=bool)
    space[:-1] = start[1:] > end[:-1]
    space[np.cumsum(counts)[counts > 0] - 1] = False
    return space


def _ascii_batch(texts: list[str]):  # type: ignore[no-untyped-def]
    """(type code of each token, the types in order of first occurrence as an Arrow array,
    start (int32, offsets in each text), space_after, tokens per text) of ASCII texts, tokenised by
    whole-array operations (:func:`~caucasus_corpus.text.rules.ascii_token_bounds`) and numbered
    in Arrow: no Python string per token."""
    pa, pc = _arrow(), _arrow_compute()
    joined = "\n".join(texts)  # a line break between texts: no token runs across two
    data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    start, end, in_token = ascii_token_bounds(data)
    base = np.zeros(len(texts), dtype=np.int64)
    np.cumsum([len(t) + 1 for t in texts[:-1]], out=base[1:])
    # Tokens are in text order: where each text's tokens begin is one binary search per text.
    counts = np.diff(np.searchsorted(start, base), append=len(start))
    shift = np.repeat(base, counts)
    # The tokens' bytes side by side (the gaps dropped) with offsets: an Arrow string array.
    offsets = np.zeros(len(start) + 1, dtype=np.int64)
    np.cumsum(end - start, out=offsets[1:])
    tokens = pa.LargeStringArray.from_buffers(len(start), pa.py_buffer(offsets), pa.py_buffer(data[in_token]))
    encoded = pc.dictionary_encode(tokens)
    local = encoded.indices.to_numpy(zero_copy_only=False)
    return local, encoded.dictionary, (start - shift).astype(np.int32), _space_after(start, end, counts), counts


def _ranked(types: np.ndarray) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
    """(rank from 1 of each string in code-point order, the strings as a pandas string array)."""
    rank = np.empty(len(types), dtype=np.int64)
    rank[np.argsort(types, kind="stable")] = np.arange(1, len(types) + 1)
    return rank, contexts.string_array(types)


def _matcher(part: str, match: str, case: bool):  # type: ignore[no-untyped-def]
    """A compiled whole-token pattern for glob/regex parts (None for exact parts).

    Python's ``re`` checks the syntax (so errors read as before); the match itself runs on the
    third-party ``regex`` engine, which takes a timeout (and runs ``(a+)+$`` in linear time).
    """
    if match == "exact":
        return None
    import regex

    pattern = fnmatch.translate(part) if match == "glob" else part
    flags = 0 if case else re.IGNORECASE
    try:
        checked = re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {part!r}: {exc}") from None
    try:
        return regex.compile(pattern, regex.VERSION0 | (0 if case else regex.IGNORECASE))
    except regex.error:  # a corner of re's syntax regex reads differently: no timeout then
        return checked


class NumpyEngine:
    """A :class:`~caucasus_corpus.engine.base.TokenEngine` over texts held in memory.

    It owns the caches derived from the tokens (the arrays, and the tokens frame once asked
    for), built on first use, so that a corpus nobody queries is never tokenised.
    """

    def __init__(self, texts: Mapping[str, str], *, cache: str | os.PathLike[str] | bool | None = None) -> None:
        """``cache``: a folder to save the index in and reopen it from (memory-mapped; see
        :mod:`caucasus_corpus.engine.store`), False for none, or None (the default) for the
        user's cache folder when the texts hold at least :data:`CACHE_FROM_CHARS` characters
        (a smaller corpus indexes about as fast as its saved index is checked) or when the
        ``CAUCASUS_CORPUS_INDEX_CACHE`` environment variable names a folder (``off`` saves none)."""
        self._texts = texts
        self._ids = list(texts)
        self._frame: pd.DataFrame | None = None
        self._arrays: _Arrays | None = None
        self._cache = cache
        self._scans = 0  # queries answered by scanning the codes (see _positions)

    @classmethod
    def from_tokens(cls, texts: Mapping[str, str], *, article: np.ndarray, token_id: np.ndarray, start: np.ndarray,
                    end: np.ndarray, types, kinds) -> NumpyEngine:  # type: ignore[no-untyped-def]
        """An engine over ``texts`` whose index is built from tokens stored with them instead of
        tokenising: per token its ``article`` (row in ``texts``, in order), ``token_id`` (row in
        ``types``, the token strings, and ``kinds``, their kinds: word, number or punct; numpy or
        pandas arrays) and character offsets ``start`` and ``end``. A shard of a sharded corpus
        stores exactly these (:mod:`caucasus_corpus.shards.writer`).

        The ids are renumbered into a compact vocabulary of these texts in order of first
        occurrence, so the index equals the one tokenising the texts would build, as long as the
        tokens were made by the same rules. Nothing is saved in a cache folder (building is a
        few whole-array passes). Raises ValueError when the tokens do not fit the texts
        (offsets outside a text, an end that is not start plus the token's length, ...)."""
        engine = cls(texts, cache=False)
        engine._arrays = _stored(list(texts.values()), article, token_id, start, end, types, kinds)
        return engine

    @property
    def article_ids(self) -> list[str]:
        return list(self._ids)

    @cached_property
    def _id_array(self) -> np.ndarray:
        ids = np.empty(len(self._ids), dtype=object)
        ids[:] = self._ids
        return ids

    def article_names(self, articles: np.ndarray) -> np.ndarray:
        return self._id_array[articles]

    @property
    def _a(self) -> _Arrays:
        if self._arrays is None:
            folder = self._cache_folder()
            if folder is None:
                self._arrays = _tokenise(self._texts)
            else:
                self._arrays = self._open_or_build(folder)
        return self._arrays

    @property
    def cache_path(self) -> Path | None:
        """The folder of this corpus's saved index, or None when it is not saved."""
        return self._cache_folder()

    def _cache_folder(self) -> Path | None:
        from . import store

        if self._cache is False:
            return None
        if self._cache is None or self._cache is True:
            env = os.environ.get("CAUCASUS_CORPUS_INDEX_CACHE", "")
            if env.lower() == "off" or (self._cache is None and not env
                                        and sum(map(len, self._texts.values())) < CACHE_FROM_CHARS):
                return None
            root = store.default_folder()
        else:
            root = Path(self._cache)
        if "_key" not in self.__dict__:
            self.__dict__["_key"] = store.fingerprint(self._texts)
        return root / self.__dict__["_key"]

    def _open_or_build(self, folder: Path) -> _Arrays:
        from . import store

        key = folder.name
        loaded = store.load(folder, key, _SAVED)
        if loaded is not None:
            arrays, vocab = loaded
            v = np.empty(len(vocab), dtype=object)
            v[:] = vocab
            a = _Arrays(**{n: arrays[n] for n in _SAVED if n not in ("order", "bounds")},
                        paragraph=None, sentence=None, vocab=v)
            n_tok = len(a.codes)
            if (len(a.type_kind) == len(a.type_len) == len(v) and len(a.first) == len(self._ids) and len(arrays["order"]) == n_tok
                    and (n_tok == 0 or int(a.codes.max()) < len(v))):
                self.__dict__["_order"] = (arrays["order"], arrays["bounds"])
                return a
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        a = _tokenise(self._texts)
        self._arrays = a
        order, bounds = self._order
        arrays = {n: getattr(a, n) for n in _SAVED if n not in ("order", "bounds")}
        try:
            store.save(folder, key, {**arrays, "order": order.astype(np.int32 if len(order) < 2**31 else np.int64),
                                     "bounds": bounds}, a.vocab.tolist())
        except OSError as exc:  # a read-only or full disk: answer from memory, say why nothing was saved
            import warnings

            warnings.warn(f"could not save the token index in {folder}: {exc}", stacklevel=3)
        return a

    def _sentence_arrays(self) -> _Arrays:
        """The arrays with paragraph and sentence numbers (Punkt, text by text).

        The index is built from one regex pass per text, without sentences: a sentence boundary
        always falls between two tokens (after . ? ! or closing punctuation, or in white space), so
        the tokens are those of tokenising sentence by sentence. Should a text ever break that
        rule, the whole index is rebuilt sentence by sentence rather than trusted.
        """
        a = self._a
        if a.paragraph is not None:
            return a
        from tqdm.auto import tqdm

        paragraph, sentence = [], []
        for i, text in enumerate(tqdm(list(self._texts.values()), desc="sentences", unit="article",
                                      disable=len(self._ids) < 200, mininterval=1.0)):
            lo, hi = int(a.first[i]), int(a.last[i]) + 1
            start = a.start[lo:hi].astype(np.int64)
            numbers = sentence_numbers(text, start, start + a.type_len[a.codes[lo:hi]])
            if numbers is None:
                texts = self._texts
                self.__dict__.clear()  # drops the cached properties built from the old arrays
                self.__init__(texts)  # type: ignore[misc]
                self._arrays = _tokenise(texts, sentences=True)
                return self._arrays
            paragraph.append(numbers[0].astype(np.int32))
            sentence.append(numbers[1].astype(np.int32))
        empty = np.empty(0, np.int32)
        self._arrays = a = replace(a, paragraph=np.concatenate(paragraph) if paragraph else empty,
                                   sentence=np.concatenate(sentence) if sentence else empty)
        return a

    def token_frame(self) -> pd.DataFrame:
        if self._frame is None:
            a = self._sentence_arrays()
            ids = np.array(self._ids, dtype=object)
            pos = np.arange(len(a.codes), dtype=np.int64)
            frame = pd.DataFrame({
                "article_id": ids[self._all_articles()] if len(ids) else np.empty(0, object),
                "paragraph": a.paragraph, "sentence": a.sentence,
                "token_index": pos - a.first[self._all_articles()] if len(pos) else pos,
                "token": a.vocab[a.codes],
                "start": a.start, "end": a.start + a.type_len[a.codes],
                "kind": np.array(TOKEN_KINDS, dtype=object)[a.type_kind[a.codes]],
            })
            self._frame = frame.astype(TOKEN_COLUMNS)
        return self._frame

    def __len__(self) -> int:
        return len(self._a.codes)

    @cached_property
    def _order(self) -> tuple[np.ndarray, np.ndarray]:
        """Token positions sorted by type code (stable: ascending within a code), and the CSR
        bounds: the positions of code c are order[bounds[c]:bounds[c + 1]]."""
        a = self._a
        # numpy sorts 16-bit keys by radix sort, in linear time: about twice as fast.
        order = np.argsort(a.codes.astype(np.uint16) if len(a.vocab) <= 1 << 16 else a.codes, kind="stable")
        if len(order) < 2**31:
            order = order.astype(np.int32)  # half the memory; positions fit
        return order, np.concatenate([[0], np.cumsum(a.type_count)])

    @cached_property
    def _folded(self) -> tuple[np.ndarray, np.ndarray]:
        """(folded type of each case-kept type, the folded types): :func:`~caucasus_corpus.text.folding.fold`
        runs once per type of the vocabulary, never per token."""
        fcodes, fvocab = pd.factorize(fold_types(self._a.vocab))
        return fcodes.astype(np.int64), np.asarray(fvocab, dtype=object)

    @cached_property
    def _cased_lookup(self) -> dict[str, int]:
        """For exact queries with ``case``: word -> its type code."""
        return dict(zip(self._a.vocab.tolist(), range(len(self._a.vocab))))

    @cached_property
    def _folded_lookup(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """For exact queries without ``case``: (folded word -> folded code, the case-kept codes
        sorted by folded code, CSR bounds): the codes of folded code f are
        codes[bounds[f]:bounds[f + 1]]."""
        fmap, fvocab = self._folded
        codes = np.argsort(fmap, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(fmap, minlength=len(fvocab)))])
        return dict(zip(fvocab.tolist(), range(len(fvocab)))), codes, bounds

    def _exact_codes(self, word: str, case: bool) -> np.ndarray:
        """The codes of the case-kept types ``word`` matches exactly."""
        if case:
            code = self._cased_lookup.get(word)
            return _NO_CODES if code is None else np.array([code], dtype=np.int64)
        lookup, codes, bounds = self._folded_lookup
        f = lookup.get(fold(word))
        return _NO_CODES if f is None else codes[bounds[f] : bounds[f + 1]]

    @cached_property
    def _fold_rank(self) -> np.ndarray:
        """Per case-kept type: rank (from 1) of its folded form in code-point order."""
        return self._folded_order[0][self._folded[0]]

    # Per type of type_counts: its rank (from 1) in code-point order, and the types as a pandas
    # string array (Arrow-backed when pandas keeps strings in Arrow): a frequency list is sorted
    # and its token column taken without comparing or converting strings again.
    @cached_property
    def _cased_order(self) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
        return _ranked(self._a.vocab)

    @cached_property
    def _folded_order(self) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
        return _ranked(self._folded[1])

    def type_order(self, *, case: bool) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
        """(rank from 1 of each type of :meth:`type_counts` in code-point order, as Python sorts
        strings; the types as a pandas ``string`` array), computed once per engine."""
        return self._cased_order if case else self._folded_order

    def _positions(self, codes: Iterable[int]) -> np.ndarray:
        codes = np.fromiter(codes, dtype=np.int64)
        if not len(codes):
            return np.empty(0, dtype=np.int64)
        if "_order" not in self.__dict__ and self._scans < _SCANS_BEFORE_ORDER:
            # Sorting every position by type costs about as much as _SCANS_BEFORE_ORDER scans of
            # the codes: the first queries scan, and the sort is made once they would have paid
            # for it (a corpus queried once never sorts; one queried often sorts early).
            self._scans += 1
            a = self._a
            if len(codes) == 1:
                return np.flatnonzero(a.codes == codes[0]).astype(np.int64)
            wanted = np.zeros(len(a.vocab), dtype=bool)
            wanted[codes] = True
            return np.flatnonzero(wanted[a.codes]).astype(np.int64)
        order, bounds = self._order
        parts = [order[bounds[c] : bounds[c + 1]] for c in codes]
        return parts[0].astype(np.int64) if len(parts) == 1 else np.sort(np.concatenate(parts)).astype(np.int64)

    def _matching_codes(self, part: str, match: str, case: bool) -> np.ndarray:
        a = self._a
        if match == "exact":
            return self._exact_codes(part, case)
        if case:
            return self._scan(_matcher(part, match, True), a.vocab, part, match)
        # Without case: a glob is folded and matched against the folded types; a regex (whose
        # escapes folding would change) matches a type when it matches, ignoring case, the type
        # as written or its folded form. Either way every spelling of a folded type matches.
        fmap, fvocab = self._folded
        if match == "glob":
            folded_hits = self._scan(_matcher(fold(part), match, False), fvocab, part, match)
        else:
            rx = _matcher(part, match, False)
            folded_hits = np.union1d(self._scan(rx, fvocab, part, match), fmap[self._scan(rx, a.vocab, part, match)])
        if not len(folded_hits):
            return _NO_CODES
        _lookup, codes, bounds = self._folded_lookup
        return np.sort(np.concatenate([codes[bounds[f] : bounds[f + 1]] for f in folded_hits.tolist()]))

    @staticmethod
    def _scan(rx, types: np.ndarray, part: str, match: str) -> np.ndarray:  # type: ignore[no-untyped-def]
        """Indexes of ``types`` that ``rx`` matches whole."""
        # A user's pattern can backtrack exponentially ("(a+)+$"): the `regex` engine's timeout
        # bounds the whole scan of the vocabulary, so the KWIC explorer never hangs on a query.
        deadline = time.monotonic() + REGEX_TIMEOUT
        hits = []
        try:
            for i, v in enumerate(types):
                if rx.fullmatch(v, **({} if isinstance(rx, re.Pattern) else {"timeout": max(deadline - time.monotonic(), 1e-3)})):
                    hits.append(i)
        except TimeoutError:
            raise ValueError(
                f"the {match} {part!r} took longer than {REGEX_TIMEOUT:g} s to match the corpus's "
                f"{len(types):,} word types and was stopped; nested repeats such as (a+)+ or (a|a)* "
                "backtrack exponentially: simplify the pattern") from None
        return np.array(hits, dtype=np.int64)

    def find(self, parts: Sequence[str], *, match: str, case: bool) -> np.ndarray:
        check_choice("match", match, MATCH_MODES)
        a = self._a
        code_sets = [self._matching_codes(p, match, case) for p in parts]
        pos = self._positions(code_sets[0])
        for k, codes in enumerate(code_sets[1:], start=1):
            # Phrase: the k-th following token must match part k and lie in the same article.
            pos = pos[pos + k < len(a.codes)]
            nxt = pos + k
            pos = pos[(nxt <= a.last[self.article(pos)]) & np.isin(a.codes[nxt], codes)]
        return pos

    def article(self, positions: np.ndarray) -> np.ndarray:
        # An article's number is that of the last article starting at or before the position
        # (empty articles start where the next one does, so they are passed over).
        first = self._a.first
        positions = np.asarray(positions)
        if len(positions) > 4 * len(first) and not (positions[1:] < positions[:-1]).any():
            # Many sorted positions (a frequent word): count those before each article's start,
            # a binary search per article instead of one per position.
            before = np.searchsorted(positions, first, side="left")
            return np.repeat(np.arange(-1, len(first), dtype=np.int64), np.diff(before, prepend=0, append=len(positions)))
        return np.searchsorted(first, positions, side="right") - 1

    def _all_articles(self) -> np.ndarray:
        """The article number of every token (int32), made when asked for: the index keeps only
        where each article starts."""
        a = self._a
        return np.repeat(np.arange(len(a.first), dtype=np.int32), a.last - a.first + 1)

    def token_index(self, positions: np.ndarray) -> np.ndarray:
        a = self._a
        return np.asarray(positions, dtype=np.int64) - a.first[self.article(positions)]

    def starts(self, positions: np.ndarray) -> np.ndarray:
        return self._a.start[positions].astype(np.int64)

    def ends(self, positions: np.ndarray) -> np.ndarray:
        a = self._a
        return a.start[positions].astype(np.int64) + a.type_len[a.codes[positions]]

    def tokens(self, positions: np.ndarray) -> np.ndarray:
        a = self._a
        return a.vocab[a.codes[positions]]

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return self._a.first, self._a.last

    def type_codes(self, *, case: bool) -> tuple[np.ndarray, np.ndarray]:
        a = self._a
        if case:
            return a.codes, a.vocab
        fmap, fvocab = self._folded
        return fmap[a.codes], fvocab

    def type_counts(self, kinds: Sequence[str], *, case: bool) -> tuple[np.ndarray, np.ndarray]:
        """(occurrences of each type among tokens of ``kinds``, the type strings): counted when
        the index was built, so no pass over the tokens is needed."""
        a = self._a
        n = np.where(np.isin(a.type_kind, [TOKEN_KINDS.index(k) for k in kinds]), a.type_count, 0)
        if case:
            return n, a.vocab
        fmap, fvocab = self._folded
        return np.bincount(fmap, weights=n, minlength=len(fvocab)).astype(np.int64), fvocab

    def kind_mask(self, kinds: Sequence[str]) -> np.ndarray:
        a = self._a
        return np.isin(a.type_kind, [TOKEN_KINDS.index(k) for k in kinds])[a.codes]

    def fold_rank(self, positions: np.ndarray) -> np.ndarray:
        """Rank (from 1) of each token's folded form among all folded types in code-point
        order, as Python sorts strings: sorting by rank sorts by the folded token."""
        return self._fold_rank[self._a.codes[positions]]

    def contexts(self, positions: np.ndarray, n: int, window: int) -> tuple[pd.api.extensions.ExtensionArray, ...]:
        """(left, keyword, right) as pandas ``string`` arrays, for hits of ``n`` tokens at
        ``positions``: up to ``window`` tokens each side within the article, as in the text with
        each run of white space shown as one space.

        Few rows are joined from their tokens in Python; many, with pandas' Arrow-backed strings,
        are cut from the flat text (:class:`~caucasus_corpus.engine.contexts.FlatText`, made by
        the first query with at least ``contexts.FLAT_FROM`` cells), with no Python string per row."""
        a = self._a
        # Positions fit in int32 below 2**31 tokens: half the memory of a frequent word's bounds.
        dtype = np.int32 if len(a.codes) + 2 * window + n < 2**31 else np.int64
        pos = np.asarray(positions).astype(dtype, copy=False)
        art = self.article(pos)
        odd = np.flatnonzero(~a.plain[art])
        lo = np.maximum(pos - window, a.first.astype(dtype)[art])
        hi = np.minimum(pos + (n - 1 + window), a.last.astype(dtype)[art])
        del art
        bounds = (lo, pos, pos + n, hi + 1)  # left, keyword and right run between them
        cells = len(pos) * (2 * window + n)
        made = "_flat" in self.__dict__
        if cells and cells >= (contexts.FEW if made else contexts.FLAT_FROM) and contexts.views_supported():
            cols = self._flat.cut(bounds, a.space_after)
        else:
            cols = contexts.join_pieces(self._pieces, a.codes, a.space_after, pos, n, window, lo, hi)
        if len(odd):
            # Articles with characters that are neither in a token nor white space: slice the text.
            art = self.article(pos)
            last_tok = pos + n - 1
            for c, (s, e) in enumerate(((lo, pos - 1), (pos, last_tok), (last_tok + 1, hi))):
                sliced = []
                for i in odd.tolist():
                    text = self._texts[self._ids[art[i]]]
                    sliced.append(_SPACE.sub(" ", text[a.start[s[i]] : self.ends(e[i : i + 1])[0]]) if e[i] >= s[i] else "")
                cols[c] = contexts.replace_rows(cols[c], odd, sliced)
        return tuple(contexts.as_string_array(c) for c in cols)

    @cached_property
    def _pieces(self) -> np.ndarray:
        """Per type: the token, then the token followed by a space, then one empty string."""
        vocab = self._a.vocab
        return np.concatenate([vocab, vocab + " ", np.array([""], dtype=object)])

    @cached_property
    def _flat(self) -> contexts.FlatText:
        a = self._a
        return contexts.FlatText.build(a.vocab, a.codes, a.space_after, a.first)

    def positions_in_spans(self, articles: np.ndarray, starts: np.ndarray,
                           ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Tokens are sorted by article then offset and never overlap, so the tokens of a span
        # are one contiguous run, found by binary search on (article, offset) keys.
        a = self._a
        end = a.start + a.type_len[a.codes]
        scale = int(max(end.max(initial=0), ends.max(initial=0))) + 1
        art = self._all_articles().astype(np.int64)
        key_start = art * scale + a.start
        key_end = art * scale + end
        lo = np.searchsorted(key_start, articles * scale + starts, side="left")
        hi = np.searchsorted(key_end, articles * scale + ends, side="right")
        n = np.maximum(hi - lo, 0)
        rows = np.repeat(np.arange(len(starts)), n)
        offsets = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        return rows, np.repeat(lo, n) + offsets
