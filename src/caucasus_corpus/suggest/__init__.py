"""Machine suggestions for annotators: offline rules that propose mentions, claims and threats.

``suggest(text, actors)`` returns one row per suggestion (columns documented in its docstring);
the annotation session stores them apart from hand records and a person accepts or rejects each
(:mod:`caucasus_corpus.authoring.suggestions`). The rules are general reporting patterns read
with a shipped lexicon per language (English, Russian, Azerbaijani, Georgian, Armenian:
``lexicon*.tsv``, documented in ``LEXICON.md`` beside them; :mod:`.languages` says how a text's
language picks them, and :class:`NoRulesWarning` when none exist); they also propose new actors
the registry lacks (:mod:`.names`). Every suggestion names the rule set (``annotator``:
``auto-rules-2``), its confidence and the rules that fired. :func:`caucasus_corpus.suggest.evaluate.evaluate` scores the rules against a corpus's gold
records.

>>> actors = [{"actor_id": "pell-andor", "name": "Pell Andor", "kind": "person", "aliases": ["Pell Andor"]}]
>>> s = suggest('"The dam will stay closed," said Pell Andor.', actors)
>>> s[["layer", "text", "speaker", "cue", "attribution"]].values.tolist()
[['claim', 'The dam will stay closed', 'pell-andor', 'said', 'direct'], ['mention', 'Pell Andor', <NA>, <NA>, <NA>]]
"""

from __future__ import annotations

from .suggester import RULES, RULESET, SUGGEST_LAYERS, SUGGESTION_COLUMNS, NoRulesWarning, suggest, suggestion_id

__all__ = ["RULES", "RULESET", "SUGGESTION_COLUMNS", "SUGGEST_LAYERS", "NoRulesWarning", "suggest", "suggestion_id"]
