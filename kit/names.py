"""When two typed names are the same name: NFC, no invisible characters, one skeleton for look-alikes.

Why: the room tells people apart by the name they type, and a name that merely *looks* like
another (``Аlice`` with a Cyrillic ``А``, ``Eve`` with a zero-width joiner, ``Zoé`` composed or
decomposed) must not pass for a second person, nor let someone slip past a name that is taken.

:func:`display` is how a name is kept and shown (Unicode NFC; joiners that emoji and Persian
need stay). :func:`skeleton` is how names are compared, in the spirit of Unicode TR 39's
confusable skeletons: NFD, zero-width and other default-ignorable characters removed, the
look-alike letters of Latin, Cyrillic and Greek (and digits that pass for letters) mapped to one
Latin letter, case folded, NFC again. The table below is a small built-in subset of TR 39's
``confusables.txt`` for those three scripts (nothing is fetched at run time); two names with the
same skeleton are one name.
"""
from __future__ import annotations

import unicodedata

#: Characters that do not show: zero-width space/joiners, word joiner, BOM, soft hyphen, bidi marks.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                      "\u2066\u2067\u2068\u2069\u180e\u034f")

# Look-alikes -> the Latin letter they pass for (TR 39 confusables, Latin/Cyrillic/Greek subset).
_CONFUSABLE_PAIRS = (
    # Cyrillic capitals and small letters
    "АA" "ВB" "СC" "ЕE" "НH" "ІI" "ЈJ" "КK" "МM" "ОO" "РP" "ЅS" "ТT" "ХX" "УY" "ԌG" "ԚQ" "ԜW" "Ү" "Y"
    "аa" "вb" "сc" "еe" "һh" "іi" "јj" "кk" "мm" "оo" "рp" "ѕs" "тt" "хx" "уy" "ԁd" "ԛq" "ԝw" "ӏl" "ɡg"
    "ѵv" "ѡw" "ҳx" "ӕæ"
    # Greek capitals and small letters
    "ΑA" "ΒB" "ΕE" "ΖZ" "ΗH" "ΙI" "ΚK" "ΜM" "ΝN" "ΟO" "ΡP" "ΤT" "ΥY" "ΧX"
    "αa" "βb" "γy" "εe" "ιi" "κk" "νv" "οo" "ρp" "τt" "υu" "χx" "ωw" "ϲc" "ϳj" "ϱp"
    # Latin and digits that pass for letters
    "0O" "1l" "I" "l" "|l" "ıi" "ȷj" "ſf" "ℓl"
)
CONFUSABLES = {_CONFUSABLE_PAIRS[i]: _CONFUSABLE_PAIRS[i + 1] for i in range(0, len(_CONFUSABLE_PAIRS), 2)}


def display(name: str) -> str:
    """A name as kept and shown: NFC, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def skeleton(name: str) -> str:
    """The comparison key of a name: two names with the same skeleton are the same name."""
    text = unicodedata.normalize("NFD", name)
    text = "".join(CONFUSABLES.get(c, c) for c in text if c not in INVISIBLE
                   and unicodedata.category(c) != "Cf")
    text = "".join(CONFUSABLES.get(c, c) for c in text.casefold())
    return " ".join(unicodedata.normalize("NFC", text).split())


__all__ = ["CONFUSABLES", "INVISIBLE", "display", "skeleton"]
