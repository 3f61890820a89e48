"""Every closed vocabulary of the package, named once.

Code imports these names instead of typing the values again; the JSON Schemas of a release
(``annotations/schema``, ``corpus/schema``) stay JSON so that other validators can read them, and
``tests/test_vocab.py`` holds them to the tuples here.

>>> LAYERS
('mention', 'claim', 'threat', 'stance')
>>> is_slug("varnia-ostrel-dam"), is_slug("Varnia"), is_slug("a\\n")
(True, False, False)
"""

from __future__ import annotations

import re

# -- annotation layers and their attributes ------------------------------------------------------
LAYERS = ("mention", "claim", "threat", "stance")
MENTION_FORMS = ("name", "nominal", "pronoun")
ATTRIBUTIONS = ("direct", "indirect", "mixed", "authorial")
CLAIM_TYPES = ("assertion", "evaluation", "prediction", "demand", "question")
EXPLICITNESS = ("explicit", "implicit")
PLOVER_MODES = ("restrict", "ban", "arrest", "relations", "expel", "territory", "violence")
POLARITIES = ("favor", "against", "none")
ACTOR_KINDS = ("person", "organisation", "state", "group", "unnamed")
GENRES = ("news", "commentary", "analysis", "interview", "opinion", "press-release")
# Where an article's published date was read (articles.csv `published_source`): the page's JSON-LD,
# its meta or OpenGraph tags, a <time> element, the feed item, the URL, htmldate's heuristic, or
# the date line of a vendor export (Nexis Uni, Factiva).
PUBLISHED_SOURCES = ("json-ld", "meta", "time-element", "feed", "url", "heuristic", "export")
# Who may read an article's text (articles.csv `access_rights`): the COAR access rights terms.
ACCESS_RIGHTS = ("open access", "embargoed access", "restricted access", "metadata only access")
# The status of one input in an intake report (STAGE/report.csv; caucasus_corpus.intake); an HTTP
# error is "http-" and its code (http-404), which is not listed here.
INTAKE_STATUSES = ("ok", "robots-disallowed", "not-an-article", "paywalled", "duplicate-of", "near-duplicate-of",
                   "decode-error", "error")
# The vendor layouts `caucasus-corpus convert --format` reads.
CONVERT_FORMATS = ("nexis", "factiva", "urls")

# The letter a record id carries for its layer (``PREFIX-m001``; caucasus_corpus.authoring.ids).
RECORD_ID_CODES = {"mention": "m", "claim": "c", "threat": "t", "stance": "s"}
# The attributes a record of each layer may carry besides its span (the record schema's properties).
LAYER_ATTRIBUTES = {
    "mention": ("actor", "form", "note"),
    "claim": ("speaker", "cue", "attribution", "claim_type", "targets", "via", "note"),
    "threat": ("speaker", "target", "explicitness", "cameo", "plover_mode", "cue", "note"),
    "stance": ("holder", "target", "polarity", "organization", "note"),
}
# The attribute that names a record's principal actor, by layer.
PRINCIPAL = {"mention": "actor", "claim": "speaker", "threat": "speaker", "stance": "holder"}
# speaker= without layer= looks inside what an actor says: claims and threats.
SPEAKER_LAYERS = ("claim", "threat")

# -- agreement between annotators and adjudication (caucasus_corpus.reliability) ----------------------
# The attributes compared on matched spans, by layer (a claim's targets compare as one set).
AGREEMENT_ATTRIBUTES = {
    "mention": ("actor", "form"),
    "claim": ("speaker", "attribution", "claim_type", "targets"),
    "threat": ("speaker", "target", "explicitness", "cameo", "plover_mode"),
    "stance": ("holder", "target", "polarity"),
}
# The figures cc.agreement reports: span detection (precision and recall of annotator_b against
# annotator_a, F1), token-wise alpha of span boundaries, and attribute agreement on matched spans.
AGREEMENT_MEASURES = ("precision_exact", "recall_exact", "f1_exact", "precision_overlap", "recall_overlap",
                      "f1_overlap", "alpha_tokens", "kappa", "alpha")
# What an adjudication decision did (annotations/schema/adjudication.schema.json).
ADJUDICATION_DECISIONS = ("agreed", "chose", "edited", "rejected")

# -- text analysis -------------------------------------------------------------------------------
MATCH_MODES = ("exact", "glob", "regex")
# When two annotated spans count as the same unit (caucasus_corpus.analysis.matching).
SPAN_MATCHING = ("exact", "overlap")
TOKEN_KINDS = ("word", "number", "punct")

# -- exchange formats (caucasus_corpus.interop; README "Exchange formats") -------------------------
EXPORT_FORMATS = ("brat", "xmi", "labelstudio", "parquet", "dna")
IMPORT_FORMATS = ("brat", "xmi", "labelstudio", "dna")
# The unit a tool's offsets count in (import_annotations(offsets=...), `import --offsets`).
OFFSET_UNITS = ("utf16", "codepoints")

# -- releases ------------------------------------------------------------------------------------
BUMP_PARTS = ("major", "minor", "patch")
# What a set of changes needs, least first (``none``: nothing changed).
BUMP_LEVELS = ("none", "patch", "minor", "major")

# Ids of articles, records and actors: lower-case ASCII letters, digits and hyphens. The schemas
# say the same in ECMA-262 syntax (SLUG_PATTERN); Python code must use is_slug, because ``$``
# in ``re.match`` also matches before a trailing newline.
SLUG_PATTERN = "^[a-z0-9][a-z0-9-]*$"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def is_slug(value: object) -> bool:
    """True when ``value`` is a string that is a whole slug (no trailing newline slips through)."""
    return isinstance(value, str) and _SLUG.fullmatch(value) is not None
