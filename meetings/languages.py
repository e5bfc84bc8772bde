"""The site's languages, and which of them a name on record is written in.

Names keep their language as the sources and editors write it ('Russian', 'Chinese
(simplified)', 'Kazakh/Russian'); `language_code()` reads that text as one of the site's
language codes, so nothing needs to be stored twice. Countries' names come from CLDR (Babel),
which has every country in every language the site speaks.
"""

import functools
import re

import babel
from django.utils import translation

# The site's languages (settings.LANGUAGES) with the tag HTML's `lang` takes for each.
HTML_LANG = {"en": "en", "ru": "ru", "zh-hans": "zh-Hans"}

# What the free-text `language` of a name says, lower-cased, per site language. A name whose
# text names several languages ('Kazakh/Russian') counts for each.
WORDS = {
    "ru": ("russian", "ru"),
    "zh-hans": ("chinese", "chinese (simplified)", "zh", "zh-hans"),
}


def current():
    """The page's language as one of HTML_LANG's keys ('en' when none is active)."""
    code = (translation.get_language() or "en").lower()
    if code in HTML_LANG:
        return code
    return "zh-hans" if code.startswith("zh") else code.split("-")[0]


def language_code(text):
    """'Russian' → 'ru'; 'Chinese' and 'Chinese (simplified)' → 'zh-hans'; 'Kazakh/Russian'
    and 'Kyrgyz and Russian' → 'ru'; '' for any other language ('Chinese (traditional)',
    'Tajik') or none."""
    parts = {part.strip().lower() for part in re.split(r"/| and |,", text or "")}
    for code, words in WORDS.items():
        if parts & set(words):
            return code
    return ""


@functools.cache
def _territories(code):
    return babel.Locale.parse(code.replace("-", "_")).territories


def country_name(iso_code, language):
    """The country's name in `language` as CLDR writes it ('KZ', 'ru' → 'Казахстан'), or ''."""
    if language not in HTML_LANG:
        return ""
    return _territories(language).get((iso_code or "").upper(), "")


@functools.cache
def _cities(code):
    """{English name of a CLDR exemplar city: its name in `code`}, e.g. 'Samarkand': 'Самарканд'.

    CLDR names a time zone's exemplar city in every language; in English it leaves out the names
    that are the zone's own ('Asia/Samarkand' → 'Samarkand')."""
    english = babel.Locale("en").time_zones
    names = {}
    for zone, info in babel.Locale.parse(code.replace("-", "_")).time_zones.items():
        if "city" in info:
            city = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
            names[city] = info["city"]
    return names


def city_name(english_name, language):
    """A city's name in `language` from CLDR's exemplar cities, or '' when CLDR has none."""
    if language not in HTML_LANG or language == "en":
        return ""
    return _cities(language).get(english_name, "")


def pick(names, language, kinds=()):
    """The first of `names` (OfficialName or PlaceName rows, already read) written in
    `language`, those of `kinds` first; None when none is."""
    found = [name for name in names if language_code(name.language) == language]
    found.sort(key=lambda name: name.kind not in kinds)
    return found[0] if found else None
