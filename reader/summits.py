"""Which summit a meeting belongs to or prepares, from ordinals, council names and years."""

import datetime
import re

from django.utils.translation import gettext_noop

from meetings.dates import format_partial
from meetings.models import (
    Council,
)
from reader.dates import MONTH, MONTHS, find_dates
from reader.notes import THE_PUBLICATION_DATE, Note, later
from reader.places import capitals_named, place_mentions
from reader.text import fold, short

ONE_DAY = datetime.timedelta(days=1)
NO_TIME = datetime.timedelta(0)
# 'heads of state', 'the heads of the SCO member states'
HEADS_OF = r"Heads?\s+of\s+(?:the\s+)?(?:SCO\s+)?(?:Member\s+)?"
SUMMIT_WORDS = re.compile(
    rf"\bsummit\b|\bCouncil\s+of\s+(?:the\s+)?Heads\b|\b{HEADS_OF}(?:State|Government)s?\b"
    r"|\bPrime\s+Ministers\b|\bShanghai\s+Five\b|\bCHS\b|\bCHG\b",
    re.I,
)
GOVERNMENT_WORDS = re.compile(rf"{HEADS_OF}Government|Prime\s+Ministers|\bPremiers\b|\bCHG\b", re.I)
STATE_WORDS = re.compile(rf"{HEADS_OF}State|\bsummit\b|\bCHS\b", re.I)
NEXT_WORDS = re.compile(
    r"\b(?:next|upcoming|forthcoming|coming|future|prepar\w*|agenda|to\s+be\s+held|will\s+be\s+held"
    r"|scheduled|due\s+(?:in|on|to))\b",
    re.I,
)
TO_COME = re.compile(r"\b(?:will|would|plans?|planned|expected|due)\b", re.I)
# 'to be submitted at the meeting of the SCO Heads of State Council in September 2022', 'the
# Qingdao summit to be held in June': a summit's month, with or without its year
IN_MONTH = re.compile(
    rf"\b(?:in|of|until|by)\s+(?:(?:early|mid|late)[-\s]+)?({MONTH})\b(?:\s+((?:19|20)\d\d)\b)?"
)
SINCE_A_SUMMIT = re.compile(r"\bsince\s+(?:the\s+)?[^,.;]{0,40}?\bsummit\b", re.I)
# 'who has travelled to Moscow to attend the 24th Meeting ...', 'left for home after attending the
# 10th prime ministers' meeting': the item reports on a visit made for the summit.
ATTENDING = re.compile(r"\b(?:to|after|while|for)\s+attend(?:ing)?\b", re.I)

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip


# 'the second day of meetings', 'the tenth anniversary summit': an ordinal of something else
NOT_OF_A_SUMMIT = r"(?!\s+(?:day|time|round|anniversary|year|stage|phase)\b)"


def ordinals(sentence):
    numbers = {
        int(n) for n in re.findall(rf"\b(\d{{1,2}})(?:st|nd|rd|th)\b{NOT_OF_A_SUMMIT}", sentence)
    }
    for word, number in ORDINAL_WORDS.items():
        if re.search(rf"\b(?:twenty-)?{word}\b{NOT_OF_A_SUMMIT}", sentence, re.I):
            tens = 20 if re.search(rf"\btwenty-{word}\b", sentence, re.I) else 0
            numbers.add(tens + number)
    return numbers


def summit_ordinals(sentence):
    """The ordinals just before the words naming a summit: 'the 24th Meeting of the Council of
    Heads of Government', not 'the first meeting of the Council of Foreign Ministers since ...,
    to prepare the Qingdao summit'."""
    return set().union(
        *(
            ordinals(sentence[max(0, m.start() - 60) : m.end()])
            for m in SUMMIT_WORDS.finditer(sentence)
        )
    )


def read_summit(reading, text, sentences, lexicon):
    """The summit a meeting prepared or belonged to: named, or the one the article reports on."""
    day = reading.date
    # 'QINGDAO, June 10. /TASS/' with no year anywhere: the summit held that day tells it
    without_year = reading.day_without_year if day is None else None
    by_publication = reading.date_where == THE_PUBLICATION_DATE
    best = None
    for start, end in sentences:
        # 'what the organization has achieved since the 2006 Shanghai summit': an earlier one
        sentence = SINCE_A_SUMMIT.sub("", text[start:end])
        if not SUMMIT_WORDS.search(sentence):
            continue
        council = None
        if GOVERNMENT_WORDS.search(sentence):
            council = Council.HEADS_OF_GOVERNMENT
        elif STATE_WORDS.search(sentence):
            council = Council.HEADS_OF_STATE
        places = {
            place
            for m in place_mentions(sentence, lexicon)
            for place, _ in lexicon.place_forms.get(fold(m.group(0)), [])
        } | capitals_named(sentence, lexicon)
        dates = [d.value for d in find_dates(sentence) if d.value]
        # 'will be held in Bishkek on June 13-14': a summit's days without its year
        days = {
            (d.value.month, d.value.day)
            for d in find_dates(sentence, yearless=True)
            if d.value and not d.has_year
        }
        if without_year and not NEXT_WORDS.search(sentence):
            days.add((without_year.month, without_year.day))
        years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", sentence)}
        numbers = summit_ordinals(sentence)
        months = {
            (int(year) if year else None, MONTHS[month[:3].lower()])
            for month, year in IN_MONTH.findall(sentence)
        }
        upcoming = NEXT_WORDS.search(sentence) is not None
        to_come = upcoming or TO_COME.search(sentence) is not None
        # a report printed the day after, naming no day: the summit may have ended the day before
        printed_after = ONE_DAY if by_publication and not days and not dates else NO_TIME
        for summit in lexicon.summits:
            if council and summit.council != council:
                if not (council == Council.HEADS_OF_STATE and summit.council == "shanghai_five"):
                    continue
            score = 0
            evidence = False
            named = False  # by its place and number, or by its days
            if any(summit.start_date <= d <= summit.end_date for d in dates):
                score, evidence = score + 4, True
            told_days = days & summit_days(summit)
            if told_days and (day is None or abs((summit.start_date - day).days) <= 366):
                score, evidence, named = score + 3, True, True
            if summit.place_id and summit.place in places:
                score, evidence = score + 2, True
                named = named or bool(summit.number and summit.number in numbers and council)
            if summit.start_date.year in years:
                score += 2
            if (summit.start_date.year, summit.start_date.month) in months:
                score, evidence = score + 3, True
            elif (None, summit.start_date.month) in months:
                score += 1
            if summit.number and summit.number in numbers and council:
                score, evidence = score + 2, True
            held_that_day = bool(
                day and summit.start_date - ONE_DAY <= day <= summit.end_date + printed_after
            )
            if held_that_day:
                score += 3
                evidence = evidence or council is not None
                if reading.place and summit.place_id == reading.place.pk:
                    score += 1
            if day and upcoming and summit.start_date > day:
                following = [
                    s for s in lexicon.summits if s.council == summit.council and s.start_date > day
                ]
                if following and following[0] == summit:
                    score, evidence = score + 2, evidence or council is not None
            if day and not years and not dates and abs((summit.start_date - day).days) <= 366:
                score += 1
            if not evidence or score < 3:
                continue
            closeness = abs((summit.start_date - day).days) if day else 0
            # the session held on the meeting's day, before the earlier ones a backgrounder lists
            # with their places and days ('The fifth prime ministers' meeting was held in
            # Dushanbe, Tajikistan, on Sept. 15, 2006')
            key = (held_that_day, score, -closeness)
            if best is None or key > best[0]:
                best = (key, summit, sentence.strip(), named and not to_come, told_days)
    if best is None:
        return
    _, summit, sentence, named, told_days = best
    if (
        without_year
        and (without_year.month, without_year.day) in summit_days(summit)
        and not NEXT_WORDS.search(sentence)
    ):
        day = year_of_the_summit(reading, summit, without_year)
    ahead = NEXT_WORDS.search(sentence) or re.search(r"prepar", sentence, re.I)
    attending = ATTENDING.search(sentence)
    if day is None and named and told_days:  # 'the summit in Dushanbe Sept.12'
        month, day_of_month = min(told_days)
        day = year_of_the_summit(reading, summit, datetime.date(2000, month, day_of_month))
    if day is None and not ahead and not attending and not named:
        reading.found.append(
            Note(
                gettext_noop(
                    "Mentions %(summit)s; not linked, as the meeting's date is unknown "
                    "(“%(sentence)s”)."
                ),
                summit=summit,
                sentence=short(sentence),
            )
        )
        return
    # an item printed a day or two after the summit it reports, naming no day for it
    reported_after = attending or (
        reading.date_where == THE_PUBLICATION_DATE and not find_dates(sentence, yearless=True)
    )
    just_after = reported_after and day and day - summit.end_date <= ONE_DAY * 2
    if day and summit.end_date < day and not just_after:
        reading.found.append(
            Note(
                gettext_noop(
                    "Mentions %(summit)s, held before this meeting: not linked (“%(sentence)s”)."
                ),
                summit=summit,
                sentence=short(sentence),
            )
        )
        return
    reading.summit, reading.summit_text = summit, sentence
    if day and day < summit.start_date:
        reading.summit_relation = (
            "preparations for the summit" if re.search(r"prepar", sentence, re.I) else ""
        )
    reading.found.append(
        Note(
            gettext_noop("Summit: %(summit)s, from “%(sentence)s”."),
            summit=summit,
            sentence=short(sentence),
        )
    )


def summit_days(summit):
    """(month, day) of each day of `summit`."""
    days, current = set(), summit.start_date
    while current <= summit.end_date and len(days) < 31:
        days.add((current.month, current.day))
        current += ONE_DAY
    return days


def year_of_the_summit(reading, summit, without_year):
    """Date the meeting on the day the dateline gives, in the year of the summit held that day."""
    reading.date = without_year.replace(year=summit.start_date.year)
    reading.problems = [p for p in reading.problems if getattr(p, "code", "") != "no_year"]
    reading.found.append(
        Note(
            gettext_noop("Date: %(date)s, the year of %(summit)s, held that day."),
            date=later(format_partial, reading.date),
            summit=summit,
        )
    )
    return reading.date
