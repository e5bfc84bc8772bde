"""Initiatives by the names people use: the title, its short name, 'SCO' for the organisation's
name or none at all ('the Development Strategy until 2035'), and spellings a few letters off
('Good-neighborliness'), matched with rapidfuzz. A year or number in a name must be in the text
as it stands: 'until 2025' never reads as 'until 2035'.
"""

import re
from collections import defaultdict

from django.utils.translation import gettext_noop
from rapidfuzz import fuzz

from reader.notes import Note
from reader.text import plain

SHORTEST = 12  # a shorter name ('SCO Charter') must be written out exactly
FUZZY_SHORTEST = 30  # only long names are matched loosely
FUZZY_SCORE = 93
FUZZY_TEXT = 30_000  # characters of the text searched loosely, so that long texts stay quick
LEADS = (" sco ", " the sco ")
TAILS = (" of the member states of the sco ", " of the sco member states ")


def forms(initiative):
    """The plain forms of an initiative's names that the text may use."""
    found = set()
    for name in {initiative.title, initiative.short_name} - {""}:
        key = plain(name)
        found.add(key)
        for tail in TAILS:
            if tail in key:
                found.add(key.replace(tail, " "))
        for lead in LEADS:
            if key.startswith(lead):
                found.add(" " + key.removeprefix(lead))
    return {key for key in found if len(key.strip()) >= SHORTEST}


def forms_of_all(initiatives):
    """[(form, [initiatives])], the longest form first: what `read_initiatives` looks for."""
    by_form = defaultdict(list)
    for initiative in initiatives:
        for key in forms(initiative):
            if initiative not in by_form[key]:
                by_form[key].append(initiative)
    return sorted(by_form.items(), key=lambda item: -len(item[0]))


def numbers(text):
    return re.findall(r"\d+", text)


def fuzzy_match(form, haystack):
    """True when `haystack` holds `form` with a few letters changed and its numbers unchanged."""
    if len(form.strip()) < FUZZY_SHORTEST:
        return False
    found = fuzz.partial_ratio_alignment(form, haystack, score_cutoff=FUZZY_SCORE)
    if found is None:
        return False
    window = haystack[max(0, found.dest_start - 1) : found.dest_end + 1]
    return numbers(window) == numbers(form)


def read_initiatives(reading, haystack, lexicon):
    """Initiatives named in `haystack`, the text made `plain()`. A name several initiatives share
    counts only when one of them was adopted at the summit the meeting belonged to."""
    loose = haystack[:FUZZY_TEXT]
    found = []
    for key, initiatives in lexicon.initiative_forms:
        if key not in haystack and not fuzzy_match(key, loose):
            continue
        if len(initiatives) > 1:
            at_summit = [
                i for i in initiatives if reading.summit and i.adopted_at_id == reading.summit.pk
            ]
            if len(at_summit) != 1:
                continue
            initiatives = at_summit
        found.extend(i for i in initiatives if i not in found)
    reading.initiatives = found
    for initiative in found:
        reading.found.append(
            Note(gettext_noop("Initiative: %(initiative)s."), initiative=initiative)
        )
