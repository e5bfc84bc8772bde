"""Officials' names written in different transliterations: a comparison key and a test."""

import difflib
import re
import unicodedata

SPELLING_RATIO = 0.9

# Applied in order to a name already lower-cased and stripped of everything but letters.
TRANSLITERATION = [
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("y", "i"),
]


def normalise_name(name):
    """A comparison key for names written in different transliterations.

    Lower case, no accents, no hyphens, spaces or dots; zh/j, kh/h, y/i and ie/ye/e are made
    alike and doubled letters single: "Kassym-Zhomart Tokayev" and "Kassym-Jomart Tokayev" both
    give "kasimjomartokaev".
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if c.isalpha())
    for old, new in TRANSLITERATION:
        letters = letters.replace(old, new)
    letters = re.sub(r"(.)\1+", r"\1", letters)
    # With y -> i, "ie" also stands for "ye": Yevgeny and Evgeny, Sysoyev and Sysoev.
    return re.sub(r"(.)\1+", r"\1", letters.replace("ie", "e"))


def names_alike(a, b):
    """Whether two names are probably the same name in other spellings (no query)."""
    key_a, key_b = normalise_name(a), normalise_name(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    return difflib.SequenceMatcher(None, key_a, key_b).ratio() >= SPELLING_RATIO
