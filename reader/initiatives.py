"""Initiatives by the names people use: the title, its short name, 'SCO' for the organisation's
name or none at all ('the Development Strategy until 2035'), and spellings a few letters off
('Good-neighborliness'), matched with rapidfuzz. A year or number in a name must be in the text
as it stands: 'until 2025' never reads as 'until 2035'.

A text may also describe an initiative in its own words: 'the treaty of long-term
good-neighborly friendship', 'the Cooperation Program for 2016-2018', 'the Dushanbe
Declaration', 'a jubilee declaration on the 20th anniversary of the SCO'. Such a sentence names
the kind of document, most of the title's own words and all its numbers; of several such
documents (the Dushanbe Declarations of 2008, 2014 and 2021), the one adopted at the meeting's
summit, or the latest adopted by the meeting's day, is meant.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

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
    found, exact = set(), set()
    for name in {initiative.title, initiative.short_name} - {""}:
        key = plain(name)
        found.add(key)
        for tail in TAILS:
            if tail in key:
                found.add(key.replace(tail, " "))
        for lead in LEADS:
            if key.startswith(lead):
                found.add(" " + key.removeprefix(lead))
        # 'the Charter of the Shanghai Cooperation Organisation': 'the SCO Charter'
        if m := re.fullmatch(r" (\w+) of the sco ", key):
            exact.add(f" sco {m[1]} ")
    return {key for key in found if len(key.strip()) >= SHORTEST} | exact


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


def read_initiatives(reading, haystack, lexicon, text=""):
    """Initiatives named in `haystack`, the text made `plain()`, or described in a sentence of
    `text`. A name several initiatives share counts only when one of them was adopted at the
    summit the meeting belonged to."""
    loose = haystack[:FUZZY_TEXT]
    found = []
    for key, initiatives in lexicon.initiative_forms:
        if key not in haystack and not fuzzy_match(key, loose):
            continue
        initiatives = [i for i in initiatives if not adopted_later(i, reading)]
        if not initiatives or a_city_and_a_document(key, lexicon):
            continue  # 'the Astana Declaration': of which year, `described` tells
        if len(initiatives) > 1:
            at_summit = [
                i for i in initiatives if reading.summit and i.adopted_at_id == reading.summit.pk
            ]
            if len(at_summit) != 1:
                continue
            initiatives = at_summit
        found.extend(i for i in initiatives if i not in found)
    for initiative in described(reading, text[:FUZZY_TEXT], lexicon):
        if initiative not in found:
            found.append(initiative)
    by_initiative = {d.initiative: d for d in lexicon.initiative_descriptions}
    reading.initiatives = [i for i in found if not an_edition_found(i, found, by_initiative)]
    for initiative in reading.initiatives:
        reading.found.append(
            Note(gettext_noop("Initiative: %(initiative)s."), initiative=initiative)
        )


# Described in the text's own words

DOCUMENTS = (
    "declaration", "programme", "strategy", "treaty", "charter", "convention", "agreement",
    "statement", "communique", "memorandum", "plan", "operation", "concept",
)  # fmt: skip
# Words of a title that say nothing of which document it is, or that texts put otherwise
# ('fighting' for 'combating', 'SCO' for the organisation's name).
COMMON = set(
    "the of on and in for to a an by until at with from among between its their sco member "
    "members states state heads head government council meeting cooperation organisation joint "
    "against combating countering fighting fight basic participants kazakhstan china kyrgyzstan "
    "russia tajikistan uzbekistan india pakistan iran belarus".split()
) | set(DOCUMENTS)
# 'The heads of state signed the declaration': the one of the meeting's summit (in a sentence
# naming no other year)
SIGNED = re.compile(r" (?:adopted|signed|issued|approved|made) ")
SHARE = 0.6  # of a title's own words the sentence must hold
ORDINALS = {
    "first": "1st", "fifth": "5th", "tenth": "10th", "fifteenth": "15th", "twentieth": "20th",
    "twenty fifth": "25th",
}  # fmt: skip
LATER = datetime.timedelta(days=550)  # a document in the making is named before its adoption


@dataclass(frozen=True)
class Description:
    initiative: object
    document: str
    stems: frozenset
    numbers: frozenset
    cities: frozenset
    quoted: str = ""  # the name in quotes: 'Spider Web'


def words_of(text):
    text = plain(text)
    for word, ordinal in ORDINALS.items():
        text = text.replace(f" {word} ", f" {ordinal} ")
    return text.split()


def stems_of(words):
    """The first five letters of each word that says which document it is ('drugs' as 'drug')."""
    return {
        (w[:-1] if w.endswith("s") and len(w) > 4 else w)[:5]
        for w in words
        if len(w) >= 3 and not w[0].isdigit() and w not in COMMON
    }


def description_of(initiative, cities):
    words = words_of(initiative.title)
    document = next((w for w in words if w in DOCUMENTS), "")
    numbers = {m for w in words for m in re.findall(r"\d+", w)}
    summit = getattr(initiative, "adopted_at", None)
    places = {plain(summit.place.name).strip()} if summit and summit.place_id else set()
    places |= {w for w in words[:2] if w in cities}
    quoted = re.search(r"['‘\"“]([^'’\"”]{3,})['’\"”]", initiative.title)
    return Description(
        initiative, document, frozenset(stems_of(words) - stems_of(places)), frozenset(numbers),
        frozenset(places), plain(quoted.group(1)) if quoted else "",
    )  # fmt: skip


def descriptions(lexicon):
    cities = {plain(p.name).strip() for p in lexicon.places}
    return [d for d in (description_of(i, cities) for i in lexicon.initiatives) if d.document]


def adopted_later(initiative, reading):
    """Whether `initiative` was adopted too long after the meeting to be the one it named."""
    day = reading.date or reading.published
    return bool(day and initiative.adopted_on and initiative.adopted_on > day + LATER)


def described(reading, text, lexicon):
    """The initiatives the sentences of `text` describe (see the module's docstring)."""
    found = []
    kinds = Counter(d.document for d in lexicon.initiative_descriptions)
    alone = {document: count == 1 for document, count in kinds.items()}  # 'the SCO Charter'
    for sentence in re.split(r"(?<=[.;!?])\s+|\n+", text):
        words = words_of(sentence)
        if not set(words) & set(DOCUMENTS):
            continue
        joined = " " + " ".join(words) + " "
        horizon = ten_years_on(sentence, reading)
        by_document = defaultdict(list)
        for d in lexicon.initiative_descriptions:
            if d.document not in words or adopted_later(d.initiative, reading):
                continue
            near = words_near(d.document, words)
            numbers = {m for w in near for m in re.findall(r"\d+", w)} | horizon
            stems = stems_of(near)
            if any(f" {c} {d.document} " in joined for c in d.cities):  # 'the Astana Declaration'
                by_document[d.document].append((2, 0, d.initiative))
                continue
            if reading.summit and d.initiative.adopted_at_id == reading.summit.pk:
                years = set(re.findall(r" ((?:19|20)\d\d) ", joined))
                if SIGNED.search(joined) and years <= {str(reading.summit.start_date.year)}:
                    by_document[d.document].append((3, 0, d.initiative))
                    continue
            if not d.numbers <= numbers:
                continue
            if not d.numbers and len(YEAR.findall(" ".join(near))) >= 2:
                continue  # 'the 2019-2020 Program': an edition, not the programme at large
            shared = len(d.stems & stems) / len(d.stems) if d.stems else 0
            period = len(d.numbers) >= 2  # 'for 2016-2018'
            sco = not d.stems and alone[d.document] and of_the_sco(d.document, joined)
            quoted = d.quoted and d.quoted in joined  # 'the joint operation Spider Web'
            if period or sco or quoted or (d.stems and shared >= SHARE):
                by_document[d.document].append((bool(d.numbers), shared, d.initiative))
        years = set(YEAR.findall(sentence))
        for candidates in by_document.values():
            best = max(c[:2] for c in candidates)
            chosen = the_one_meant([c[2] for c in candidates if c[:2] == best], reading, years)
            if chosen and chosen not in found:
                found.append(chosen)
    return found


YEAR = re.compile(r"\b(?:19|20)\d\d\b")
TEN_YEARS = re.compile(r"\b(?:ten|10)[-\s]year\b|\bnext\s+(?:decade|ten\s+years)\b", re.I)


def ten_years_on(sentence, reading):
    """{'2035'} for 'the ten-year development strategy' of a 2025 meeting: the year its title
    ends with."""
    day = reading.date or reading.published
    if day and TEN_YEARS.search(sentence):
        return {str(day.year + 10)}
    return set()


def words_near(document, words, before=3, after=16):
    """The words just before or soon after `document` in `words` ('the programme ... for
    2016-2018'), not those of the dateline or of another document in the sentence."""
    found = []
    for index, word in enumerate(words):
        if word == document:
            found += words[max(0, index - before) : index + after + 1]
    return found


def of_the_sco(document, joined):
    """'the SCO Charter', 'the Organization's Charter', 'the Charter of the SCO'."""
    forms = (f" sco {document} ", f" organisation s {document} ", f" {document} of the sco ")
    return any(form in joined for form in forms)


def the_one_meant(initiatives, reading, years=()):
    """Of documents described alike, the one adopted in the year the sentence names ('the
    Dushanbe Declaration of 2000'), at the meeting's summit, or the latest adopted by the
    meeting's day; None when there is no telling."""
    if len(initiatives) == 1:
        return initiatives[0]
    of_the_year = [i for i in initiatives if i.adopted_on and str(i.adopted_on.year) in years]
    if len(of_the_year) == 1:
        return of_the_year[0]
    if reading.summit:
        at_summit = [i for i in initiatives if i.adopted_at_id == reading.summit.pk]
        if len(at_summit) == 1:
            return at_summit[0]
    day = reading.date or reading.published
    dated = [i for i in initiatives if i.adopted_on]
    if not day or not dated:
        return None
    return min(dated, key=lambda i: (i.adopted_on > day, abs((i.adopted_on - day).days)))


def an_edition_found(initiative, found, by_initiative):
    """Whether `initiative`, a programme named without its years, has a dated edition among
    `found` ({initiative: Description} in `by_initiative`): 'the programme ... for 2013-2015' is
    that edition, not the programme at large."""
    this = by_initiative.get(initiative)
    if this is None or this.numbers:
        return False
    return any(
        d.numbers and d.document == this.document and this.stems <= d.stems
        for d in (by_initiative.get(other) for other in found if other != initiative)
        if d
    )


def a_city_and_a_document(key, lexicon):
    """Whether `key` is only a city and a kind of document that several initiatives share
    ('astana declaration': 2005, 2011, 2017, 2024)."""
    words = key.split()
    if len(words) != 2:
        return False
    city, document = words
    return (
        sum(
            1
            for d in lexicon.initiative_descriptions
            if d.document == document and city in d.cities
        )
        > 1
    )
