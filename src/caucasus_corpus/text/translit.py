"""Latin forms of names and titles in the region's scripts: one to read, one to match.

Two functions, pure Python (tables here, no ICU):

* :func:`romanize` gives one readable Latin form, used for ids (``add``'s article id rule) and
  wherever a Latin spelling must be made up. Azerbaijani letters lose their marks (``ə→e``,
  ``ı→i``, ``ş→s``, ``ç→c``, ``ğ→g``, ``ö→o``, ``ü→u``, ``İ→I``); Cyrillic (Russian, with the
  Ukrainian and Azerbaijani Cyrillic letters), Armenian and Georgian follow the BGN/PCGN
  romanisations without their apostrophes and diacritics (``щ→shch``, ``х→kh``, ``ё→yo``;
  Armenian ``ու→u``, initial ``ե→ye``, ``ո→vo``, ``և→yev``; Georgian ejectives as the plain
  letter, ``კ→k``, ``წ→ts``). Russian ``е`` is ``ye`` at the start of a word and after a vowel
  (``Алиев → Aliyev``). Other Latin letters lose their accents; characters of other scripts,
  digits, spaces and punctuation are kept as they are (Armenian ``։`` and ``՝`` become ``.`` and
  ``,``; the stress marks ``՛ ՜ ՞`` are dropped).

* :func:`match_key` gives the key under which one name written in different scripts and
  spellings meets itself: folded (:func:`caucasus_corpus.text.folding.fold`: case, the four i's,
  ``ё=е``), ``ə`` read as ``a``, ``ş``/``ç`` as ``sh``/``ch``, romanized, then ``y``, ``j`` and
  ``i`` made one letter, ``kh``, ``x`` and ``h`` one letter (Russian writes Azerbaijani ``h``
  and ``x`` as ``х``: ``Ильхам`` is ``İlham``), doubled letters made single; words separated
  by single spaces.
  It is a key, not a spelling: never show it to people.

>>> romanize("İlham Əliyev"), romanize("Алиев"), romanize("Երևան"), romanize("თბილისი")
('Ilham Eliyev', 'Aliyev', 'Yerevan', 'tbilisi')
>>> {match_key(n) for n in ("Əliyev", "Алиев", "Aliyev", "ALIYEV")}
{'aliev'}
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["match_key", "romanize"]

# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = {
    "ə": "e", "Ə": "E", "ı": "i", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
}  # fmt: skip

# Cyrillic (BGN/PCGN Russian 1947, apostrophes for ъ and ь dropped), lower case; upper case
# letters are their lower-case form capitalised. е and ё depend on the letter before (below).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian and Belarusian
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w",
    # Azerbaijani Cyrillic (before 1991): the letters of today's Latin alphabet
    "ә": "e", "ғ": "g", "ҹ": "c", "ү": "u", "ө": "o", "һ": "h", "ҝ": "g", "ј": "y", "ҳ": "h",
}  # fmt: skip
_RU_VOWELS = set("аеёиоуыэюяіїєәүө")
_RU_SOFT_HARD = set("ъь")
_RU_HUSHERS = set("жчшщц")

# Armenian (BGN/PCGN 1981, apostrophes dropped), lower case.
_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t",
    "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz",
    "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch",
    "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r", "ց": "ts", "փ": "p",
    "ք": "k", "օ": "o", "ֆ": "f", "և": "ev", "ւ": "v",
    "։": ".", "՝": ",", "՛": "", "՜": "", "՞": "", "՟": "", "֊": "-",
}  # fmt: skip
_HY_VOWELS = set("աեէըիոօ")

# Georgian Mkhedruli (the 2002 national system that BGN/PCGN adopted in 2009, apostrophes of the
# ejectives dropped). Mtavruli capitals (U+1C90..) and Asomtavruli are mapped to Mkhedruli first.
_GEORGIAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i",
    "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s",
    "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch",
    "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
    # letters out of modern use
    "ჱ": "e", "ჲ": "y", "ჳ": "w", "ჴ": "q", "ჵ": "o", "ჶ": "f",
}  # fmt: skip


def _is_upper(ch: str) -> bool:
    # Georgian Mkhedruli reports no case (str.upper() of it gives Mtavruli): only real capitals count.
    return ch.isupper()


def _cased(latin: str, source: str, nxt: str) -> str:
    """``latin`` in the case of ``source``: a capital followed by a capital is all capitals."""
    if not latin or not _is_upper(source):
        return latin
    return latin.upper() if (len(latin) > 1 and _is_upper(nxt)) else latin[0].upper() + latin[1:]


def _georgian_capital(ch: str) -> bool:
    return "\u1c90" <= ch <= "\u1cbf" or "\u10a0" <= ch <= "\u10c5"


def _georgian_base(ch: str) -> str:
    if "\u1c90" <= ch <= "\u1cbf":  # Mtavruli: same order as Mkhedruli
        return chr(ord(ch) - 0x1C90 + 0x10D0)
    return _ASOMTAVRULI.get(ch, ch)


# Asomtavruli capitals and Nuskhuri small letters (the church scripts) map to Mkhedruli through
# the letter names (Unicode names end with the letter's name: "GEORGIAN CAPITAL LETTER AN").
def _build_asomtavruli() -> dict[str, str]:
    by_name = {unicodedata.name(c).rsplit(" ", 1)[-1]: c for c in map(chr, range(0x10D0, 0x10F7))}
    out = {}
    for code in [*range(0x10A0, 0x10C6), *range(0x2D00, 0x2D26)]:  # Asomtavruli, Nuskhuri
        ch = chr(code)
        try:
            name = unicodedata.name(ch).rsplit(" ", 1)[-1]
        except ValueError:
            continue
        if name in by_name:
            out[ch] = by_name[name]
    return out


_ASOMTAVRULI = _build_asomtavruli()


_TABLED = frozenset(_CYRILLIC) | frozenset(_ARMENIAN)


def _known_base(ch: str) -> str:
    """A Cyrillic or Armenian letter missing from the tables as its base letter (``ӫ`` → ``ө``)."""
    low = ch.lower()
    if ch.isascii() or low in _CYRILLIC or low in _ARMENIAN or ch in _LATIN:
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base != ch and base.lower() in _TABLED and not base.isascii() else ch


def romanize(text: str) -> str:
    """One readable Latin form of ``text`` (rules in the module docstring).

    >>> romanize("Milli Məclis, Ağdam, Şəki, ılıq, Gülüstan, Çay")
    'Milli Meclis, Agdam, Seki, iliq, Gulustan, Cay'
    >>> romanize("Щербаков и Семёнов, ЕЛЕНА")
    'Shcherbakov i Semyonov, YELENA'
    >>> romanize("Նիկոլ Փաշինյան, Ուռուտ, Ոսկան, Ալիեւ")
    'Nikol Pashinyan, Urut, Voskan, Aliyev'
    >>> romanize("ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ საქართველო")
    'SAKARTVELO sakartvelo'
    """
    text = "".join(map(_known_base, unicodedata.normalize("NFC", text)))
    out: list[str] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        low = ch.lower()
        word_start = not prev.isalpha()
        if low in _CYRILLIC and not ("a" <= low <= "z"):
            latin = _CYRILLIC[low]
            p = prev.lower()
            if low == "е" and (word_start or p in _RU_VOWELS or p in _RU_SOFT_HARD):
                latin = "ye"
            elif low == "ё" and p in _RU_HUSHERS:
                latin = "o"
            out.append(_cased(latin, ch, nxt))
        elif low in _ARMENIAN or ch in _ARMENIAN:
            p = prev.lower()
            after_vowel = p in _HY_VOWELS
            if low == "ո" and nxt.lower() == "ւ":  # ու is u
                out.append(_cased("u", ch, text[i + 2] if i + 2 < n else ""))
                i += 2
                continue
            if low == "ե" and nxt.lower() == "ւ":  # եւ is the ligature և spelt out
                low, i = "և", i + 1
                nxt = text[i + 1] if i + 1 < n else ""
            latin = _ARMENIAN[low]
            if low == "ե" and (word_start or after_vowel):
                latin = "ye"
            elif low == "ո" and word_start:
                latin = "vo"
            elif low == "և" and (word_start or after_vowel):
                latin = "yev"
            out.append(_cased(latin, ch, nxt))
        elif ch in _LATIN:
            out.append(_LATIN[ch])
        else:
            base = _georgian_base(ch)
            if base in _GEORGIAN:
                latin = _GEORGIAN[base]
                if _georgian_capital(ch):  # Mtavruli or Asomtavruli: all capitals when the next one is too
                    latin = latin.upper() if _georgian_capital(nxt) else latin[0].upper() + latin[1:]
                out.append(latin)
            elif "LATIN" in unicodedata.name(ch, ""):
                out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
            else:
                out.append(ch)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


# Before romanizing, a key reads Azerbaijani letters as the other scripts spell their sounds.
_KEY_PRE = str.maketrans({"ə": "a", "ә": "a", "ş": "sh", "ç": "ch", "ğ": "g", "ı": "i", "ё": "е"})
_KEY_SEP = re.compile(r"[\W_]+")
_KEY_DOUBLE = re.compile(r"(.)\1+")


def match_key(name: str) -> str:
    """The key under which spellings of one name in different scripts meet (module docstring).

    >>> match_key("İlham Əliyev") == match_key("Ильхам Алиев") == match_key("ILHAM ALIYEV")
    True
    >>> match_key("Семёнов") == match_key("Семенов"), match_key("Pashinyan") == match_key("Փաշինյան")
    (True, True)
    >>> match_key("Şuşa") == match_key("Шуша") == match_key("Shusha")
    True
    """
    from .folding import fold  # same room; imported here so that the two modules stay independent

    key = romanize(fold(name).translate(_KEY_PRE)).casefold()
    key = "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))
    # Russian and Armenian write Azerbaijani h and x as х/խ (kh): Ильхам is İlham, Ханкенди Xankəndi
    key = key.replace("kh", "h").replace("x", "h").replace("y", "i").replace("j", "i")
    key = _KEY_SEP.sub(" ", key).strip()
    return _KEY_DOUBLE.sub(r"\1", key)
