"""One actor across scripts and case endings: matching a name to the actor registry.

An actor's name and aliases may be written in any script. A name found in a text (or typed by a
user) is matched to them in tiers; the first tier with a match decides, so exact matches win:

====  ==========================  ==========  =====================================================
tier  ``how``                     confidence  the name and a form of the actor ...
====  ==========================  ==========  =====================================================
1     ``"id"``                    1.0         the name is the actor id
2     ``"exact"``                 1.0         fold alike (:func:`~caucasus_corpus.text.folding.fold`:
                                              case, the four i's, ``ё``, NFC/NFD)
3     ``"case ending"``           0.9         fold alike once a case ending is taken off a word
                                              (``Алиева``, ``ალიევმა``, ``Ալիևը``, ``Əliyevin``)
4     ``"script"``                0.8         share a :func:`~caucasus_corpus.text.translit.match_key`
                                              (``Алиев`` and ``Aliyev``)
5     ``"script and case ending"``  0.7       share a match key once case endings are taken off
                                              (``Алиеву`` and ``Aliyev``)
====  ==========================  ==========  =====================================================

Case endings taken off (from the end of each word, when at least three letters remain):

* Russian (Cyrillic): ``-а -у -ом -ым -е -ы -и -ой -ей``, and the soft ``-я -ю -ем`` (so that
  ``Варния`` and ``Варнии`` share a stem);
* Georgian: ``-ი -მა -ს -ის -ით -ად`` (the nominative ``-ი`` too, so ``ალიევი`` and ``ალიევმა``
  share the stem ``ალიევ``), and for names ending in ``-ა`` that ``-ა`` and the ergative ``-მ``
  (``ვარნია``, ``ვარნიამ``, ``ვარნიის`` share ``ვარნი``);
* Armenian: ``-ը -ն -ի -ից -ին -ով``, with the glide ``յ`` after a vowel (``Վարնիայի``);
* Azerbaijani (Latin): the genitive ``-ın -in -un -ün -nın -nin -nun -nün`` and the dative
  ``-a -ə -ya -yə``, and an apostrophe with what follows (``Aliyev's``, ``Aliyev'in``).

When one tier finds two actors, the name is ambiguous: :class:`AmbiguousNameError` lists them,
and no actor is chosen. The same index reports actors whose forms share a match key
(:meth:`NameIndex.collisions`), which ``validate`` shows as warnings.

>>> actors = [{"actor_id": "ilham-aliyev", "name": "Ilham Aliyev", "aliases": ["Əliyev"]},
...           {"actor_id": "varnia", "name": "Varnia", "aliases": ["Варния"]}]
>>> index = NameIndex(actors)
>>> index.match("Алиеву")
NameMatch(actor_id='ilham-aliyev', key='aliev', confidence=0.7, how='script and case ending')
>>> index.match("Varnia").how, index.match("ВАРНИИ").how, index.match("ᲕᲐᲠᲜᲘᲐ").how
('exact', 'case ending', 'script')
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .folding import fold
from .translit import match_key

__all__ = ["CASE_ENDINGS", "AmbiguousNameError", "NameCollisionWarning", "NameIndex", "NameMatch",
           "cross_script_collisions", "stems"]

#: Case endings by script (Unicode script name as in the characters' names), longest first.
CASE_ENDINGS: dict[str, tuple[str, ...]] = {
    "CYRILLIC": ("ой", "ей", "ом", "ым", "ем", "а", "у", "е", "ы", "и", "я", "ю"),
    "GEORGIAN": ("ის", "ით", "ად", "მა", "ი", "ს", "ა", "მ"),
    "ARMENIAN": ("յից", "յին", "յով", "յի", "ից", "ին", "ով", "ը", "ն", "ի"),
    "LATIN": ("nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "ya", "yə", "a", "ə"),
}
_APOSTROPHES = "'\u2019\u02bc"
_MIN_STEM = 3
_MAX_FORMS = 64  # candidate spellings of one name (words x endings): names are short

TIERS = (("id", 1.0), ("exact", 1.0), ("case ending", 0.9), ("script", 0.8), ("script and case ending", 0.7))


class NameMatch(NamedTuple):
    """How a name was matched: the actor, the key that matched, its confidence and its tier."""

    actor_id: str
    key: str
    confidence: float
    how: str


class NameCollisionWarning(UserWarning):
    """Two actors' names or aliases share a match key (``validate`` warns; it does not refuse)."""


class AmbiguousNameError(LookupError):
    """A name matches more than one actor at its best tier; ``actors`` lists them (none is chosen)."""

    def __init__(self, name: str, actors: Iterable[str], key: str, how: str) -> None:
        self.name, self.actors, self.key, self.how = name, sorted(actors), key, how
        super().__init__(
            f"the name {name!r} is ambiguous: it matches {', '.join(map(repr, self.actors))} "
            f"({how} match on {key!r}); use the actor id, or a name or alias that only one of them has")

    def __str__(self) -> str:  # LookupError would quote the message as KeyError does not, but be plain
        return str(self.args[0])


def _script(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            return unicodedata.name(ch, "").split(" ", 1)[0]
    return ""


def _word_stems(word: str) -> list[str]:
    """The word folded, and folded with each case ending of its script taken off."""
    w = fold(word)
    out = [w]
    cut = min((w.find(a) for a in _APOSTROPHES if a in w), default=-1)
    if cut >= _MIN_STEM:
        out.append(w[:cut])
    for ending in CASE_ENDINGS.get(_script(w), ()):
        if w.endswith(ending) and len(w) - len(ending) >= _MIN_STEM:
            out.append(w[: -len(ending)])
    return out


def stems(name: str) -> set[str]:
    """Every folded spelling of ``name`` with case endings taken off (and the name itself folded).

    >>> sorted(stems("Ильхама Алиева"))
    ['ильхам алиев', 'ильхам алиева', 'ильхама алиев', 'ильхама алиева']
    """
    words = fold(name).split()
    if not words:
        return set()
    choices = [_word_stems(w) for w in words]
    return {" ".join(p) for p in itertools.islice(itertools.product(*choices), _MAX_FORMS)}


def _keys(name: str, how: str) -> set[str]:
    if how == "exact":
        return {" ".join(fold(name).split())}
    if how == "case ending":
        return stems(name)
    if how == "script":
        return {match_key(name)} - {""}
    return {match_key(s) for s in stems(name)} - {""}


class NameIndex:
    """The forms (id, name, aliases) of an actor registry, indexed for :meth:`match`.

    ``actors``: mappings with ``actor_id``, ``name`` and ``aliases`` (the registry's records, or
    the rows of ``Corpus.actors``).
    """

    def __init__(self, actors: Iterable[Mapping[str, object]]) -> None:
        self.ids: set[str] = set()
        self._forms: dict[str, list[str]] = {}
        self._index: dict[str, dict[str, set[str]]] = {how: {} for how, _ in TIERS[1:]}
        for actor in actors:
            aid = str(actor["actor_id"])
            aliases = actor.get("aliases")
            forms = [str(actor.get("name") or ""), *([str(a) for a in aliases] if aliases is not None else [])]
            forms = [f for f in forms if f.strip()]
            self.ids.add(aid)
            self._forms[aid] = forms
            for how, table in self._index.items():
                for form in forms:
                    for key in _keys(form, how):
                        table.setdefault(key, set()).add(aid)

    def match(self, name: str) -> NameMatch | None:
        """The best match of ``name`` (None when there is none); :class:`AmbiguousNameError`
        when the best tier finds more than one actor."""
        if name in self.ids:
            return NameMatch(name, name, 1.0, "id")
        for how, confidence in TIERS[1:]:
            found: dict[str, str] = {}  # actor -> the key that matched
            for key in sorted(_keys(name, how)):
                for aid in self._index[how].get(key, ()):
                    found.setdefault(aid, key)
            if len(found) == 1:
                (aid, key), = found.items()
                return NameMatch(aid, key, confidence, how)
            if found:
                raise AmbiguousNameError(name, found, next(iter(found.values())), how)
        return None

    def collisions(self) -> list[tuple[str, list[str], dict[str, list[str]]]]:
        """Match keys (tier ``"script"``) that forms of more than one actor share, as
        ``(key, actor ids, {actor id: its forms with that key})``, sorted by key. Forms that are
        equal once case-folded are left out: those are exact collisions, which the checker refuses."""
        out = []
        for key, owners in sorted(self._index["script"].items()):
            if len(owners) < 2:
                continue
            forms = {a: [f for f in self._forms[a] if match_key(f) == key] for a in sorted(owners)}
            exact = {unicodedata.normalize("NFC", f).casefold() for fs in forms.values() for f in fs}
            if len(exact) < sum(map(len, forms.values())) and len(exact) == 1:
                continue  # one spelling shared: an exact collision
            out.append((key, sorted(owners), forms))
        return out


def cross_script_collisions(actors: Iterable[Mapping[str, object]]) -> list[str]:
    """Readable warnings for actors whose names or aliases meet across scripts or spellings.

    >>> cross_script_collisions([{"actor_id": "a-1", "name": "Ilham Aliyev", "aliases": []},
    ...                          {"actor_id": "a-2", "name": "Ильхам Алиев", "aliases": []}])
    ["actors 'a-1' and 'a-2' share the match key 'ilham aliev' ('a-1': 'Ilham Aliyev'; 'a-2': 'Ильхам Алиев'): a name in any script matching it is ambiguous; if they are one actor, merge them, else give each an alias only it has"]
    """
    out = []
    for key, owners, forms in NameIndex(actors).collisions():
        listed = "; ".join(f"{a!r}: {', '.join(map(repr, fs))}" for a, fs in forms.items())
        who = " and ".join(map(repr, owners)) if len(owners) == 2 else ", ".join(map(repr, owners))
        out.append(f"actors {who} share the match key {key!r} ({listed}): a name in any script matching it is "
                   "ambiguous; if they are one actor, merge them, else give each an alias only it has")
    return out
