"""Where a meeting took place: the dateline's city or a place the body names."""

import re

from meetings.dates import format_partial
from meetings.models import (
    PlaceName,
)
from reader.people import NOT_A_NAME
from reader.text import fold


def looks_like_place(text):
    if not text:
        return True
    words = text.split()
    return len(words) <= 5 and text[0].isupper() and words[0] not in NOT_A_NAME


def set_place(reading, place_text, lexicon, where):
    entries = lexicon.place_forms.get(fold(place_text), [])
    places = list(dict.fromkeys(place for place, _ in entries))
    if not places:
        reading.problems.append(
            f"Unknown place “{place_text}” in {where}: no place on record has that name. "
            "Add the place (or the name to it) in admin, then read the article again."
        )
        return
    place = places[0]
    if len(places) > 1:
        others = ", ".join(f"{p} ({p.country})" for p in places[1:])
        reading.problems.append(f"“{place_text}” is also the name of {others}; {place} was taken.")
    reading.place, reading.country = place, place.country
    name = place_text
    shown = place.name_then_and_now(reading.date) if reading.date else place.name
    reading.found.append(f"Place: {shown}, {place.country}, from {where} (“{name}”).")
    official = [n for _, n in entries if n and n.kind == PlaceName.Kind.OFFICIAL]
    if reading.date and official and not any(n.covers(reading.date) for n in official):
        reading.problems.append(
            f"“{name}” was not the official name of {place} on "
            f"{format_partial(reading.date)} (it was {place.name_on(reading.date)})."
        )


def place_from_text(reading, text, sentences, lexicon):
    """Without a dateline: the first known place the first paragraph says it happened in."""
    lead_end = sentences[0][1] if sentences else len(text)
    for sentence in sentences[:3]:
        lead_end = sentence[1]
        if "\n" in text[sentence[0] : sentence[1]].strip():
            break
    for m in place_mentions(text[:lead_end], lexicon):
        before = text[max(0, m.start() - 40) : m.start()]
        held_in = re.search(r"\b(?:in|at)\s+(?:the\s+(?:city|capital)\s+of\s+)?$", before, re.I)
        if held_in or re.match(r"\s+(?:hosted|welcomed)\b", text[m.end() :]):
            set_place(reading, m.group(0), lexicon, "the text")
            return
    reading.problems.append("No place found: the article names no city it was held in.")


def place_mentions(text, lexicon):
    for m in lexicon.place_pattern.finditer(text):
        if re.match(r"\s+(?:Cooperation|Five)\b", text[m.end() :]):
            continue  # the Shanghai Cooperation Organisation, the Shanghai Five
        yield m


# People
