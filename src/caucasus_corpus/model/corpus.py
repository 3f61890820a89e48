"""The ``Corpus`` object: texts, metadata and (when present) annotations, as pandas DataFrames."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from .._options import unknown_key
from .protocol import require_annotations

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd
    from matplotlib.axes import Axes

    from ..analysis.concordance import Concordance
    from nltk.corpus.reader.api import CorpusReader

    from ..engine.base import TokenEngine
    from ..text.names import NameIndex, NameMatch
    from .records import AnnotationData


class Corpus:
    """A loaded corpus. Build one with :func:`caucasus_corpus.load`.

    >>> import caucasus_corpus as cc
    >>> corpus = cc.load()
    >>> corpus.version
    '1.1.0'
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
        annotations: AnnotationData | None = None,
        engine: TokenEngine | None = None,
        texts_withheld: bool = False,
    ) -> None:
        """``engine``: a token engine already built over exactly ``texts`` (in their order), e.g.
        from the token arrays a shard stores (``NumpyEngine.from_tokens``); None (the default)
        builds a :class:`~caucasus_corpus.engine.NumpyEngine` from the texts on first use.
        ``texts_withheld``: the corpus was loaded without its texts (``load(..., texts=False)``);
        ``texts`` then maps each article id to an empty string and everything that reads a text
        raises ``TextsWithheldError``."""
        self._articles = articles
        self._texts = texts
        self._version = version
        self._fingerprint = fingerprint
        self._root = root
        self._annotation_data = annotations
        self._texts_withheld = bool(texts_withheld)
        # Two caches, one owner each: the engine owns everything derived from the tokens, and
        # _frames the annotation tables.
        self._engine: TokenEngine | None = engine
        self._frames: dict[str, pd.DataFrame] = {}
        self._names: NameIndex | None = None  # the actor registry indexed for resolve_actor, made when asked

    @property
    def version(self) -> str | None:
        """The data version (SemVer) from the manifest, e.g. ``1.0.0``; ``1.0.0+dev`` for a working copy
        edited since release 1.0.0 (RELEASING.md); None for a corpus built from your own texts."""
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
    def texts_withheld(self) -> bool:
        """True when the corpus was loaded without its article texts (``load(..., texts=False)``)."""
        return self._texts_withheld

    def _require_texts(self, what: str) -> None:
        if self._texts_withheld:
            from ..errors import TextsWithheldError

            where = self._root if self._root is not None else "FOLDER"
            raise TextsWithheldError(
                f"{what} reads the article texts, but this corpus was loaded without them (texts=False); when the "
                f"folder was published without its texts, run `caucasus-corpus hydrate --path {where} --from DIR` "
                "first, then load it with texts")

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
        self._require_texts(f"text({article_id!r})")
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
            Readable slug (lower-case ASCII letters, digits and hyphens) that identifies the article.
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
        retrieved : string
            When the text was fetched or exported, ISO 8601 in UTC (``2024-03-12T08:15:00Z``); <NA> when unknown.
        extractor : string
            The extractor that made the text from a web page, ``name==version`` and its options; <NA> when none.
        text_sha256 : string
            sha256 of the stored text file (lower-case hex), checked against the file; <NA> when not recorded.
        capture : string
            The WARC capture of the page (file name ``#`` record id), kept by the collector, never released; <NA> when none.
        capture_sha256 : string
            sha256 of the raw HTTP payload in the capture; <NA> when none.
        published_source : string
            Where the date was read: json-ld, meta, time-element, feed, url, heuristic or export; <NA> when unknown.
        license : string
            Licence of the text: SPDX expression, ``LicenseRef-...`` or ``NOASSERTION``; <NA> when not recorded.
        license_evidence : string
            What the licence was read from (e.g. the page's rel=license link); <NA> when none.
        access_rights : string
            COAR access rights term (open access, embargoed access, restricted access, metadata only access); <NA> when unknown.
        rights_holder : string
            Who holds the rights in the text; <NA> when unknown.
        archived_url : string
            Address of an archived copy of the page; <NA> when none.
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
        self._require_texts("tokens")
        return self.engine.token_frame().copy()

    @property
    def engine(self) -> TokenEngine:
        """The token engine that answers kwic, frequency, collocates and dispersion (built on first
        use; see :mod:`caucasus_corpus.engine`). It owns every cache derived from the tokens."""
        if self._engine is None:
            self._require_texts("the token engine (tokens, kwic, frequency, collocates, dispersion)")
            from ..engine import NumpyEngine  # facade methods import upward, inside the method (ARCHITECTURE.md)

            self._engine = NumpyEngine(self._texts)
        return self._engine

    # -- text analysis (the logic lives in its own modules; these delegate) ----------------------

    def kwic(
        self,
        query: str | Sequence[str],
        *,
        window: int = 5,
        match: str = "exact",
        case: bool = False,
        sort: str | Sequence[str] | None = None,
        article: str | Sequence[str] | None = None,
        speaker: str | None = None,
        layer: str | None = None,
    ) -> Concordance:
        """Keyword in context; see :func:`caucasus_corpus.kwic` for the options and columns.

        >>> import caucasus_corpus as cc
        >>> cc.load().kwic("Putin", window=1)[["left", "keyword", "right"]].values.tolist()
        [['President', 'Putin', 'has'], ['President', 'Putin', 'will']]
        """
        self._require_texts("kwic")
        from ..analysis.concordance import kwic

        return kwic(self, query, window=window, match=match, case=case, sort=sort, article=article,
                    speaker=speaker, layer=layer)

    def frequency(
        self,
        *,
        by: str | None = None,
        kinds: Sequence[str] = ("word",),
        case: bool = False,
        stopwords: str | Iterable[str] | None = None,
        min_count: int = 1,
    ) -> pd.DataFrame:
        """Frequency list; see :func:`caucasus_corpus.frequency` for the options and columns."""
        self._require_texts("frequency")
        from ..analysis.lexical import frequency

        return frequency(self, by=by, kinds=kinds, case=case, stopwords=stopwords, min_count=min_count)

    def collocates(
        self,
        node: str | Sequence[str],
        *,
        window: int = 5,
        span: str = "both",
        match: str = "exact",
        case: bool = False,
        kinds: Sequence[str] = ("word",),
        stopwords: str | Iterable[str] | None = None,
        min_count: int = 1,
        sort: str = "log_likelihood",
    ) -> pd.DataFrame:
        """Collocates of a node word; see :func:`caucasus_corpus.collocates` for the options and columns."""
        self._require_texts("collocates")
        from ..analysis.lexical import collocates

        return collocates(self, node, window=window, span=span, match=match, case=case, kinds=kinds,
                          stopwords=stopwords, min_count=min_count, sort=sort)

    def dispersion(
        self, terms: str | Sequence[str], *, match: str = "exact", case: bool = False, article: str | None = None
    ) -> pd.DataFrame:
        """Where terms occur; see :func:`caucasus_corpus.dispersion` for the options and columns."""
        self._require_texts("dispersion")
        from ..analysis.lexical import dispersion

        return dispersion(self, terms, match=match, case=case, article=article)

    def dispersion_plot(
        self,
        terms: str | Sequence[str],
        *,
        match: str = "exact",
        case: bool = False,
        article: str | None = None,
        ax: Axes | None = None,
    ) -> Axes:
        """Lexical dispersion plot (matplotlib Axes); see :func:`caucasus_corpus.dispersion_plot`."""
        self._require_texts("dispersion_plot")
        from ..analysis.lexical import dispersion_plot

        return dispersion_plot(self, terms, match=match, case=case, article=article, ax=ax)

    # -- annotation analysis (needs annotations; see caucasus_corpus.analysis) -------------------

    def claim_frequency(self, *, by: str | Sequence[str] = "speaker") -> pd.DataFrame:
        """Claims counted by speaker, attribution, claim_type, target and/or article_id; see
        :func:`caucasus_corpus.claim_frequency` for the columns."""
        from ..analysis.tables import claim_frequency

        return claim_frequency(self, by=by)

    def stance_matrix(self) -> pd.DataFrame:
        """Holder x target stance counts with evidence ids; see :func:`caucasus_corpus.stance_matrix`."""
        from ..analysis.tables import stance_matrix

        return stance_matrix(self)

    def threat_table(self) -> pd.DataFrame:
        """One row per threat with names and CAMEO code; see :func:`caucasus_corpus.threat_table`."""
        from ..analysis.tables import threat_table

        return threat_table(self)

    def speaker_profile(self, actor: str) -> pd.DataFrame:
        """Mentions, claims, threats and stance of one actor; see :func:`caucasus_corpus.speaker_profile`."""
        from ..analysis.tables import speaker_profile

        return speaker_profile(self, actor)

    # -- exchange: Parquet / Hugging Face datasets, NLTK (interop/ and shards/) ----------------

    def to_parquet(self, directory: str | Path, *, overwrite: bool = False, shard_tokens: int | None = None) -> Path:
        """Write the corpus as Parquet files that pandas, Arrow and Hugging Face ``datasets``
        read (:mod:`caucasus_corpus.interop.parquet`); returns the folder. With ``shard_tokens``
        the articles and tokens go into shards of about that many tokens, with int32 token ids
        and a vocabulary, for :func:`caucasus_corpus.open_parquet` (:mod:`caucasus_corpus.shards`).
        Refuses a folder that is not empty unless ``overwrite=True``."""
        self._require_texts("to_parquet")
        if shard_tokens is None:
            from ..interop.parquet import to_parquet

            return to_parquet(self, directory, overwrite=overwrite)
        from ..shards.writer import write_corpus

        return write_corpus(self, directory, shard_tokens=shard_tokens, overwrite=overwrite)

    def nltk_reader(self) -> CorpusReader:
        """An NLTK corpus reader over this corpus (fileids are article ids; ``raw``, ``words``,
        ``sents``, ``paras``, optionally by ``speaker=``); see
        :mod:`caucasus_corpus.interop.nltk_reader`. Needs no downloaded NLTK data.

        >>> import caucasus_corpus as cc, nltk
        >>> reader = cc.from_texts({"note-1": "Pell Andor visited Ostrel. Ostrel replied."}).nltk_reader()
        >>> reader.sents("note-1")[1]
        ['Ostrel', 'replied', '.']
        >>> nltk.FreqDist(reader.words())["Ostrel"]
        2
        """
        self._require_texts("nltk_reader")
        from ..interop.nltk_reader import CorpusNLTKReader

        return CorpusNLTKReader(self)

    # -- annotations ---------------------------------------------------------------------------

    @property
    def has_annotations(self) -> bool:
        """True when the corpus carries hand annotations (a corpus built from your own texts has none)."""
        return self._annotation_data is not None

    def _frame(self, key: str) -> pd.DataFrame:
        if key not in self._frames:
            from . import records as ann

            data = self._annotation_data or ann.AnnotationData()
            build = {
                "actors": ann.actors_frame,
                "topics": ann.topics_frame,
                "annotations": ann.annotations_frame,
            }.get(key)
            self._frames[key] = build(data) if build else ann.layer_frame(data, key)
        return self._frames[key].copy()

    @property
    def actors(self) -> pd.DataFrame:
        """The actor registry: every person, organisation, state or group that speaks, is spoken
        about or is targeted, with every spelling of its name.

        Columns
        -------
        actor_id : string
            Readable slug used by every annotation that refers to the actor.
        name : string
            Canonical name (a description for unnamed sources, e.g. "some observers").
        kind : string
            person, organisation, state, group or unnamed.
        aliases : object
            List of every surface form and spelling variant, in the texts or in cited sources.
        role : string
            Role at the time of the texts; <NA> when unknown.
        affiliation : string
            actor_id of the body the actor belongs to; <NA> when none or unknown.
        country : string
            ISO 3166-1 alpha-2 code; <NA> when none or unknown.
        notes : string
            Sources for spellings found outside the corpus, and other caveats.
        """
        return self._frame("actors")

    @property
    def topics(self) -> pd.DataFrame:
        """Named topics that a stance may target (besides actors).

        Columns
        -------
        topic_id : string
            Slug used as a stance target.
        label : string
            Short human-readable label.
        description : string
            What the topic covers, as used in the guidelines.
        """
        return self._frame("topics")

    @property
    def annotations(self) -> pd.DataFrame:
        """All annotation records of every layer, one row per record, in text order.

        Columns
        -------
        id : string
            Record id, unique in the release.
        article_id : string
            Article the span is in.
        layer : string
            mention, claim, threat or stance.
        start : int64
            Span start (0-based code point offset into the verbatim text).
        end : int64
            Span end (exclusive).
        text : string
            The covered text, equal to ``corpus.text(article_id)[start:end]``.
        actor : string
            The record's principal actor: the mentioned actor, the claim's or threat's speaker,
            or the stance holder.
        annotator : string
            Who made the record.
        attributes : object
            Dict of the layer's other attributes, as stored.
        """
        return self._frame("annotations")

    @property
    def mentions(self) -> pd.DataFrame:
        """Spans that name or describe an actor.

        Columns
        -------
        id : string
            Record id.
        article_id : string
            Article the span is in.
        start : int64
            Span start (code points).
        end : int64
            Span end (exclusive).
        text : string
            The mention as written (spelling variants kept).
        actor : string
            actor_id of the actor mentioned.
        form : string
            name, nominal (a description such as "the MP") or pronoun.
        annotator : string
            Who made the record.
        note : string
            Annotator's note; <NA> when none.
        """
        return self._frame("mention")

    @property
    def claims(self) -> pd.DataFrame:
        """Statements the text attributes to a source, and the author's own assertions.

        Columns
        -------
        id : string
            Record id.
        article_id : string
            Article the span is in.
        start : int64
            Start of the claim's content (code points).
        end : int64
            End of the claim's content (exclusive).
        text : string
            The content of the statement.
        speaker : string
            actor_id of who makes the claim.
        cue : string
            The reporting expression ("said", "recalled", "noted with regret"); <NA> for authorial claims.
        cue_start : Int64
            Start of the cue; <NA> when there is none.
        cue_end : Int64
            End of the cue (exclusive); <NA> when there is none.
        attribution : string
            direct, indirect, mixed or authorial.
        claim_type : string
            assertion, evaluation, prediction, demand or question.
        targets : object
            List of actor_ids the claim is about (may be empty).
        via : string
            actor_id through whom the author reports the claim (e.g. a news agency); <NA> when direct.
        annotator : string
            Who made the record.
        note : string
            Annotator's note; <NA> when none.
        """
        return self._frame("claim")

    @property
    def threats(self) -> pd.DataFrame:
        """Statements by which a source signals harm or a sanction to another, open or veiled.

        Columns
        -------
        id : string
            Record id.
        article_id : string
            Article the span is in.
        start : int64
            Start of the threatening statement (code points).
        end : int64
            End of the statement (exclusive).
        text : string
            The threatening statement.
        speaker : string
            actor_id of who threatens.
        target : string
            actor_id of who is threatened.
        explicitness : string
            explicit or implicit.
        cameo : string
            CAMEO 1.1b3 THREATEN code (130-139 or a four-digit subcode).
        cameo_name : string
            Name of that code in the shipped CAMEO list.
        plover_mode : string
            PLOVER THREATEN mode (restrict, ban, arrest, relations, expel, territory, violence); <NA> when none fits.
        cue : string
            Framing evidence in the text (e.g. the author's "a hint of a threat"); <NA> when none.
        cue_start : Int64
            Start of the cue; <NA> when there is none.
        cue_end : Int64
            End of the cue (exclusive); <NA> when there is none.
        annotator : string
            Who made the record.
        note : string
            Annotator's note; <NA> when none.
        """
        return self._frame("threat")

    @property
    def stance(self) -> pd.DataFrame:
        """Who is for or against whom or what, with the evidence span.

        Columns
        -------
        id : string
            Record id.
        article_id : string
            Article the evidence is in.
        start : int64
            Start of the evidence span (code points).
        end : int64
            End of the evidence span (exclusive).
        text : string
            The evidence.
        holder : string
            actor_id of who holds the stance.
        target : string
            actor_id or topic_id the stance is towards.
        target_type : string
            actor or topic.
        polarity : string
            favor, against or none (as in SemEval-2016 Task 6).
        organization : string
            actor_id of the organisation the holder spoke for in this statement (optional, as
            DNA codes it); <NA> when not recorded.
        annotator : string
            Who made the record.
        note : string
            Annotator's note; <NA> when none.
        """
        return self._frame("stance")

    @overload
    def resolve_actor(self, name: str, *, explain: Literal[False] = ...) -> str: ...

    @overload
    def resolve_actor(self, name: str, *, explain: Literal[True]) -> NameMatch: ...

    def resolve_actor(self, name: str, *, explain: bool = False) -> str | NameMatch:
        """The actor_id for an actor id, canonical name or any alias, in any script and with case
        endings (:mod:`caucasus_corpus.text.names`).

        Exact matches win (case, the four i's of Azerbaijani, ``ё``/``е`` and Unicode
        normalisation aside: "Müller" typed precomposed or with a combining mark); then a word
        with a case ending (``Алиева``), then the same name in another script or spelling
        (``Алиев`` for ``Aliyev``), then both. With ``explain=True`` the answer is a
        :class:`~caucasus_corpus.text.names.NameMatch`: ``(actor_id, key, confidence, how)``,
        the key that matched and how sure the match is (1.0 exact, 0.9 a case ending, 0.8 another
        script, 0.7 both). Raises ``KeyError`` for a name no actor has, and
        :class:`~caucasus_corpus.text.names.AmbiguousNameError` (listing them) when the best
        match names two actors: one is never chosen silently.

        >>> import caucasus_corpus as cc
        >>> corpus = cc.load()
        >>> corpus.resolve_actor("Hadjiev") == corpus.resolve_actor("Hikmat Hajiyev")
        True
        >>> corpus.resolve_actor("HİKMAT HACIYEV", explain=True)
        NameMatch(actor_id='hikmat-hajiyev', key='hikmat haciyev', confidence=1.0, how='exact')
        """
        from ..text.names import NameIndex

        require_annotations(self, f"resolve_actor({name!r})")
        data = self._annotation_data
        assert data is not None
        if self._names is None:
            self._names = NameIndex(data.actors)
        found = self._names.match(str(name))
        if found is None:
            raise unknown_key("actor", name, sorted({a["actor_id"] for a in data.actors} | {a["name"] for a in data.actors}))
        return found if explain else found.actor_id

    def cite(self, *, style: str = "bibtex") -> str:
        """How to cite this release: ``bibtex``, ``apa`` or ``cff`` text naming version and fingerprint.

        No DOI exists yet; the citation says so instead of inventing one (see ``CITATION.cff``).

        >>> import caucasus_corpus as cc
        >>> corpus = cc.load()
        >>> print(corpus.cite().splitlines()[0])
        @misc{caucasus_corpus_...,
        """
        from ..release.citation import cite

        return cite(self, style=style)

    def __len__(self) -> int:
        return len(self._texts)

    def _repr_html_(self) -> str:
        """A summary table for notebooks: version, fingerprint and counts (every value escaped)."""
        from .. import _html

        rows: list[tuple[str, object]] = [
            ("data version", self._version or "none (built in memory)"),
            ("fingerprint", self._fingerprint or "none"),
            ("articles", len(self)),
            ("characters", int(self._articles["n_chars"].sum()) if self._texts_withheld else sum(len(t) for t in self._texts.values())),
            ("folder", str(self._root) if self._root else "none"),
        ]
        if self._annotation_data is not None:
            records = self._annotation_data.records
            rows.append(("actors", len(self._annotation_data.actors)))
            from ..vocab import LAYERS

            for layer in LAYERS:
                rows.append((f"{layer} records", sum(r["layer"] == layer for r in records)))
        else:
            rows.append(("annotations", "none"))
        return "<b>caucasus_corpus.Corpus</b>" + _html.key_value_table(rows, css_class="cc-corpus-summary")

    def __repr__(self) -> str:
        label = f"version {self._version}" if self._version else "unversioned"
        if self._texts_withheld:
            label += ", texts withheld"
        fp = f", fingerprint {self._fingerprint[:12]}…" if self._fingerprint else ""
        return f"<caucasus_corpus.Corpus {label}{fp}: {len(self)} article(s)>"
