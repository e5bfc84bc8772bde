"""When a meeting took place: the dateline's date or a date in the body."""

import datetime
import re
from dataclasses import dataclass

import dateparser
from django.utils.translation import gettext_noop

from meetings.dates import format_partial
from reader.notes import (
    THE_DATELINE,
    THE_FIRST_PARAGRAPH,
    THE_PUBLICATION_DATE,
    THE_TEXT,
    Note,
    later,
)
from reader.places import looks_like_place, set_place
from reader.text import fold

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
OTHER_DAY = r"(?:\s*(?:[-–—]|and|to)\s*\d{1,2}(?:st|nd|rd|th)?)?"
DATE_FORMS = [
    rf"\b{DAY}{OTHER_DAY}\s+(?:of\s+)?(?P<m>{MONTH})\.?,?\s+(?P<y>(?:19|20)\d\d)\b",
    rf"\b(?P<m>{MONTH})\.?\s+{DAY}{OTHER_DAY},?\s+(?P<y>(?:19|20)\d\d)\b",
    r"\b(?P<y>(?:19|20)\d\d)-(?P<mm>\d\d)-(?P<d>\d\d)\b",
    r"\b(?P<d>\d\d)\.(?P<mm>\d\d)\.(?P<y>(?:19|20)\d\d)\b",  # '03.07.2024', day first
]
# Loose forms ('22, August, 2019', '17th Oct, 2024', 'Thursday 22 Aug 2019'), read by dateparser
LOOSE_FORM = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?[,\s]+{MONTH}\.?,\s*(?:19|20)\d\d\b"
    rf"|\b{MONTH}\.?,\s*\d{{1,2}}(?:st|nd|rd|th)?,\s*(?:19|20)\d\d\b",
    re.I,
)
# Datelines sometimes leave out the year ("BEIJING, Oct. 26 (Xinhua) --").
YEARLESS_FORMS = [
    rf"\b{DAY}\s+(?:of\s+)?(?P<m>{MONTH})\b\.?",  # '2 July', 'the 2nd of July'
    rf"\b(?P<m>{MONTH})(?:\.\s*|\s+){DAY}\b",  # 'Oct. 26', 'Sept.12'
]


@dataclass
class FoundDate:
    start: int
    end: int
    text: str
    value: datetime.date | None  # None: not a real day ("31 February 2022")
    has_year: bool = True


def find_dates(text, *, yearless=False, flags=0):
    found = []
    for pattern in DATE_FORMS + (YEARLESS_FORMS if yearless else []):
        for m in re.finditer(pattern, text, flags):
            groups = m.groupdict()
            month = int(groups["mm"]) if groups.get("mm") else MONTHS[groups["m"][:3].lower()]
            year = int(groups["y"]) if groups.get("y") else None
            try:
                value = datetime.date(year or 2000, month, int(groups["d"]))
            except ValueError:
                value = None
            found.append(FoundDate(m.start(), m.end(), m.group(0), value, year is not None))
    for m in LOOSE_FORM.finditer(text):
        parsed = dateparser.parse(m.group(0), languages=["en"], settings={"STRICT_PARSING": True})
        found.append(FoundDate(m.start(), m.end(), m.group(0), parsed.date() if parsed else None))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept = []
    for date in found:
        if kept and date.start < kept[-1].end:
            continue
        kept.append(date)
    return kept


def read_dateline(reading, text, lexicon):
    """Read 'Nur-Sultan, 4 June 2022 (TDI):' at the top; return where the body starts.

    The dateline may follow a headline, a byline and a subheading, so the first four lines are
    tried.
    """
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()][:4]
    for index, line in enumerate(lines):
        body_start = dateline_in(reading, line.group(0)[:300], lexicon)
        if body_start is not None:
            if index:
                reading.headline = lines[0].group(0).strip()
            return line.start() + body_start
    reading.problems.append(
        Note(
            gettext_noop(
                "No dateline ('Place, date (agency):') at the start of the text; "
                "the date and place were looked for in the text."
            )
        )
    )
    return 0


# 'ISLAMABAD, (UrduPoint / Pakistan Point News - 17th Oct, 2024) :': the agency and the date
# in brackets after the city.
BRACKETED = re.compile(
    r"([A-Z][A-Za-z'’ -]{2,40}?),?\s*\(([^()]{1,80}?)\s+[-–]\s+([^()]{4,30}?)\s*\)\s*:?\s*"
)

# '(Cholpon-Ata, Kyrgyz Republic, 24 June 2008)': a speech's place and day on a line of their own
ENCLOSED = re.compile(r"\(([A-Z][\w'’ -]{1,40}?)(?:,\s*[A-Z][\w'’ ]{1,40}?)?,\s*([^()]{6,30})\)")


def dateline_in(reading, line, lexicon):
    """Read a dateline at the start of `line`; return where the body starts in it, or None."""
    stripped = line.lstrip()
    offset = len(line) - len(stripped)
    bracketed = BRACKETED.match(stripped)
    if bracketed and looks_like_place(bracketed.group(1).title()):
        dates = find_dates(bracketed.group(3), yearless=True, flags=re.I)
        if dates:
            reading.dateline = bracketed.group(0).strip(" :")
            reading.agency = bracketed.group(2).strip()
            set_date(reading, dates[0], THE_DATELINE, url_year(reading.url))
            reading.place_text = bracketed.group(1).strip().title()
            set_place(reading, reading.place_text, lexicon, THE_DATELINE)
            return offset + bracketed.end()
    enclosed = ENCLOSED.fullmatch(stripped.rstrip())
    if enclosed and looks_like_place(enclosed.group(1)):
        dates = find_dates(enclosed.group(2), flags=re.I)
        if dates and dates[0].start == 0:
            reading.dateline = stripped.strip()
            set_date(reading, dates[0], THE_DATELINE, None)
            reading.place_text = enclosed.group(1)
            set_place(reading, reading.place_text, lexicon, THE_DATELINE)
            return offset + len(stripped)
    dates = find_dates(stripped, yearless=True, flags=re.I)
    if dates and dates[0].start <= 80:
        date = dates[0]
        before = stripped[: date.start].strip(" ,.;:–—-")
        before = re.sub(r"\s*/[A-Za-z ]+/$", "", before)  # 'QINGDAO /China/, June 10.'
        rest = stripped[date.end :]
        agency = re.match(r"\.?\s*(?:\(([^()]{1,60})\)|/([^/]{1,60})/)", rest)  # ". /TASS/."
        after = rest[agency.end() :] if agency else rest
        separator = re.match(r"\s*(?:[:.]|-{1,2}|[–—])\s*", after)
        if (agency or separator) and looks_like_place(before):
            return dated_dateline(reading, stripped, offset, date, before, agency, after, lexicon)
        place = re.fullmatch(r",\s*([A-Z][\w'’ -]{1,40}?)(?:,\s*[A-Z][\w'’ ]{1,40})?\s*", rest)
        if date.start == 0 and place and looks_like_place(place.group(1)):
            return date_first_dateline(reading, stripped, offset, date, place.group(1), lexicon)
    return undated_dateline(reading, stripped, offset, lexicon)


def date_first_dateline(reading, stripped, offset, date, place, lexicon):
    """'July 8, 2015, Ufa' or 'January 14, 2016, Novo-Ogaryovo, Moscow Region': the date, then
    the place, on a line of their own; return where the body starts."""
    reading.dateline = stripped.strip()
    fallback = reading.published.year if reading.published else url_year(reading.url)
    set_date(reading, date, THE_DATELINE, fallback)
    reading.place_text = place
    set_place(reading, place, lexicon, THE_DATELINE)
    return offset + len(stripped)


def dated_dateline(reading, stripped, offset, date, before, agency, after, lexicon):
    """'Nur-Sultan, 4 June 2022 (TDI):'; return where the body starts."""
    separator = re.match(r"\s*(?:[:.]|-{1,2}|[–—])\s*", after)
    reading.dateline = stripped[: date.end + (agency.end() if agency else 0)].strip()
    if agency:
        reading.agency = (agency.group(1) or agency.group(2)).strip()
    fallback = reading.published.year if reading.published else url_year(reading.url)
    set_date(reading, date, THE_DATELINE, fallback)
    if before:
        reading.place_text = re.split(r"\s*[,–—]\s*|\s+-\s+", before)[0]
        set_place(reading, reading.place_text, lexicon, THE_DATELINE)
    else:
        reading.problems.append(Note(gettext_noop("The dateline names no place.")))
    return offset + len(stripped) - len(after) + (separator.end() if separator else 0)


# 'ASTANA. KAZINFORM Head of State ...': a city and an agency in capitals, with no dash after them
CAPITALS_AGENCY = re.compile(r"([A-Z][A-Z'’ -]{2,40}?)\.\s+([A-Z]{4,})\s+(?=[A-Z][a-z])")


def undated_dateline(reading, stripped, offset, lexicon):
    """'NUR-SULTAN. KAZINFORM –' or 'BEIJING —', a place (and an agency) but no date; return
    where the body starts, or None."""
    match = re.match(
        r"([A-Z][A-Z'’ -]{2,40}?)(?:\s*[.,]\s+([A-Z][A-Za-z]+)?\s*|\s+)(?:-{1,2}|[–—:])", stripped
    )
    match = match or CAPITALS_AGENCY.match(stripped)
    if match and looks_like_place(match.group(1).title()):
        reading.dateline = match.group(0).strip(" -–—:")
        reading.agency = match.group(2) or ""
        reading.place_text = match.group(1).strip().title()
        set_place(reading, reading.place_text, lexicon, THE_DATELINE)
        return offset + match.end()
    # 'ASTANA, Kazakhstan (AP) —', 'Tashkent, Uzbekistan (UzDaily.com) --', 'ISLAMABAD:': taken
    # only when the city is on record, as a headline may look the same
    match = re.match(
        r"([A-Z][\w'’ -]{2,40}?)(?:,\s+[A-Z][\w'’ ]{2,30}?)?(?:\s*\(([^()]{1,40})\))?"
        r"(?:\s*(?:-{1,2}|[–—])|:)\s",
        stripped,
    )
    if match and looks_like_place(match.group(1)) and known_city(match.group(1), lexicon):
        reading.dateline = match.group(0).strip(" -–—:")
        reading.agency = (match.group(2) or "").strip()
        reading.place_text = match.group(1).strip().title()
        set_place(reading, reading.place_text, lexicon, THE_DATELINE)
        return offset + match.end()
    return None


def known_city(name, lexicon):
    return bool(lexicon.place_forms.get(fold(name)))


def url_year(url):
    match = re.search(r"/((?:19|20)\d\d)[/-]", url or "")
    return int(match.group(1)) if match else None


def set_date(reading, date, where, fallback_year=None):
    reading.date_text = date.text
    if date.value is None:
        reading.problems.append(not_a_date(date, where))
        return
    value = date.value
    if not date.has_year:
        if fallback_year is None:
            reading.day_without_year = value
            reading.problems.append(
                Note(
                    gettext_noop("%(where)s gives “%(date)s” without a year; enter the date."),
                    "no_year",
                    where=where,
                    date=date.text,
                )
            )
            return
        try:
            value = value.replace(year=fallback_year)
        except ValueError:
            reading.problems.append(not_a_date(date, where))
            return
    reading.date, reading.date_where = value, where
    reading.found.append(date_found(value, where, date.text))


def not_a_date(date, where):
    return Note(
        gettext_noop("“%(date)s” in %(where)s is not a real date."), date=date.text, where=where
    )


def date_found(value, where, said=""):
    if said:
        message = gettext_noop("Date: %(date)s, from %(where)s (“%(said)s”).")
    else:
        message = gettext_noop("Date: %(date)s, from %(where)s.")
    return Note(message, date=later(format_partial, value), where=where, said=said)


def date_from_text(reading, text, body_start):
    """The first date of the first paragraph, or else one in the address ('/2023/10/26/').

    Later dates are usually other events (a summit recalled), so they are not guessed from.
    """
    if reading.date_text:  # a dateline date that could not be used
        return
    paragraphs = [p for p in re.split(r"\n\s*\n", text[body_start:]) if p.strip()][:2]
    lead = paragraphs[0] if paragraphs else ""
    if len(paragraphs) > 1 and len(lead) < 200 and not lead.rstrip().endswith("."):
        lead += "\n\n" + paragraphs[1]  # the first was a headline
    for date in find_dates(lead):
        set_date(reading, date, THE_FIRST_PARAGRAPH)
        return
    match = re.search(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:[/-]|$)", reading.url)
    if match:
        try:
            value = datetime.date(*map(int, match.groups()))
        except ValueError:
            value = None
        if value:
            reading.date = value
            reading.found.append(
                Note(
                    gettext_noop("Date: %(date)s, from the address."),
                    date=later(format_partial, value),
                )
            )
            return
    reading.problems.append(
        Note(gettext_noop("No date found in the first paragraph or the address."))
    )


# The meeting's day, told apart from the byline's

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RELATIVE = re.compile(
    r"\b(?:on\s+|last\s+|the\s+)?(today|yesterday|tomorrow|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|day\s+before)\b",
    re.I,
)
# 'the Monday meeting': a weekday before the meeting it names
EVENT = re.compile(r"\s+(?:meeting|talks|session|summit|conference)\b", re.I)
FUTURE = re.compile(
    r"\bwill\b|\bis\s+(?:due|set|scheduled|expected)\b|\bto\s+(?:be\s+held|host|hold)\b"
    r"|\bupcoming\b",
    re.I,
)
HELD = re.compile(r"\b(?:was|were)\s+held\b|\btook\s+place\b", re.I)
# A sentence reporting what was done, besides a day to come that is another event's
PAST_EVENT = re.compile(
    r"\b(?:had|(?<!be\s)held|met|considered|discussed|talked|signed|agreed)\b|\btook\s+place\b",
    re.I,
)
# 'held talks here Thursday', 'met Monday': a weekday without 'on' after what was done
DONE_ON = re.compile(
    r"\b(?:here|there|met|talked|held\s+talks|signed|ended|concluded|closed|opened)"
    r"(?:\s+in\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s+$"
)
# '... will be held in 2024, the ministry said on Friday': the day of saying, which is past
SAID = re.compile(r"\b(?:said|told|announced|stated|reported|noted)\s+$", re.I)
THIS_MONTH = re.compile(
    r"\bon\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b[^.]{0,30}?\bof\s+this\s+month", re.I
)
# 'was held on the 15th at the Convention Center', 'on the afternoon of the 23rd received', 'held
# in Beijing from the 24th to the 26th': a day of the month of the dateline or byline (or of the
# month before, when that day is to come)
ON_THE_DAY = re.compile(
    r"\b(?:on|from)\s+the\s+(?:(?:morning|afternoon|evening|night)\s+of\s+the\s+)?(\d{1,2})"
    r"(?:st|nd|rd|th)(?=\s*(?:[,.;]|(?:in|at|and|with|when|received|met|held|to)\b))",
    re.I,
)
# 'the meeting was held on Friday', further on than the lead (RELATIVE takes the 'on')
HELD_ON = re.compile(r"\b(?:(?:was|were)\s+held|met|took\s+place)\s+$", re.I)
# 'On 17 April, ...', '... in Goa on May 4', 'from November 30 to December 1', '... on Thursday',
# 'at a Sept. 16 meeting', 'On the eve, 27 August, ...'
ON_DATE = re.compile(
    r"(?:\b(?:on|from|since)\s+(?:\w+day,?\s+)?(?:the\s+)?(?:eve,\s+)?"
    r"(?:(?:morning|afternoon|evening|night)\s+of\s+)?|\b(?:at|during)\s+(?:a|the)\s+|^\s*)$",
    re.I,
)
FIRST_DAY = re.compile(r"\b(\d{1,2})\s*[-–]\s*$")


def lead_sentences(text, body_start, limit=3):
    """The first sentences of the body, leaving out short lines (bylines, times, headlines)."""
    found = []
    for index, paragraph in enumerate(re.finditer(r"[^\n]+", text[body_start:])):
        line = paragraph.group(0)
        if len(line.strip()) < 60 or len(line.split()) < 6:
            continue
        if index == 0 and body_start == 0 and not line.rstrip().endswith((".", ":")):
            continue  # a headline
        start = body_start + paragraph.start()
        for s, e in sentence_spans_of(line):
            found.append((start + s, start + e))
            if len(found) >= limit:
                return found
    return found


def sentence_spans_of(line):
    spans, begin = [], 0
    for m in re.finditer(r"(?<![A-Z])(?<!\b[A-Z][a-z])[.!?](?=\s+[A-Z\"'«])", line):
        spans.append((begin, m.end()))
        begin = m.end()
    spans.append((begin, len(line)))
    return [(s, e) for s, e in spans if line[s:e].strip()]


def range_end(said, first):
    """The last day of '13-14 June 2019' (or `first` when `said` names one day)."""
    match = re.search(r"\d{1,2}(?:st|nd|rd|th)?,?\s*(?:[-–—]|and|to)\s*(\d{1,2})\b", said)
    if not match:
        return first
    try:
        return first.replace(day=int(match.group(1)))
    except ValueError:
        return first


def reference_day(reading):
    """The day yearless and relative dates are read against: the dateline's, or the byline's."""
    if reading.date:
        return reading.date
    return reading.published


def year_for(month, day, reference):
    """The year of a yearless 'May 4' near `reference`: the nearest such day."""
    best = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    return best


def relative_day(word, reference, future):
    word = re.sub(r"\s+", " ", word.lower())
    if word == "today":
        return reference
    if word == "day before":  # 'was held in Bishkek the day before'
        word = "yesterday"
    if word in ("yesterday", "tomorrow"):
        return reference + datetime.timedelta(days=-1 if word == "yesterday" else 1)
    target = WEEKDAYS.index(word)
    if future:
        return reference + datetime.timedelta(days=(target - reference.weekday()) % 7)
    return reference - datetime.timedelta(days=(reference.weekday() - target) % 7)


def meeting_date(reading, text, body_start):
    """The day the lead says the meeting was ('On 17 April', 'on Monday'), over the byline's.

    A byline or dateline gives the day the item was written; when the first sentences name the
    meeting's own day, that is taken instead, its year (if missing) read against the byline's
    day or the publication date the editor gave.
    """
    reference = reference_day(reading)
    sentences = lead_sentences(text, body_start)
    if reading.date and reading.date_text and re.search(r"(?:19|20)\d\d", reading.date_text):
        sentences = sentences[:1]  # a full dated dateline: only the first sentence may differ
    for start, end in sentences:
        sentence = text[start:end]
        for found in find_dates(sentence, yearless=True):
            before = sentence[: found.start]
            first_day = FIRST_DAY.search(before)  # 'on 13-14 April': the 13th
            if first_day:
                before = before[: first_day.start()]
            if found.value is None or not ON_DATE.search(before):
                continue
            value = found.value
            if first_day and int(first_day.group(1)) < value.day:
                value = value.replace(day=int(first_day.group(1)))
            if not found.has_year:
                if reference is None and url_year(reading.url) is None:
                    continue
                if reference is None:
                    value = value.replace(year=url_year(reading.url))
                else:
                    value = year_for(value.month, value.day, reference)
            if (
                FUTURE.search(before[-60:])
                and (reference is None or value > reference)
                and PAST_EVENT.search(sentence)
            ):
                continue  # 'the summit that India will host on July 4', not the call Modi had
            opens = re.fullmatch(r"\s*(?:On\s+)?", before, re.I) is not None
            # 'A regular meeting ... was held in Yekaterinburg from June 15 to 16, 2009.', the
            # lead of a communiqué printed months later
            opens = opens or (start, end) == sentences[0] and HELD.search(before) is not None
            if reference and value < reference - datetime.timedelta(days=31) and not opens:
                continue  # an earlier event recalled ('the summit held on 4 July 2024')
            last = range_end(found.text + sentence[found.end : found.end + 12], value)
            if reading.date and value <= reading.date <= last:
                return  # 'met on June 13-14' under a June 14 dateline: the dateline's day
            return take_date(reading, value, found.text, THE_TEXT)
        if reference is None:
            continue
        this_month = THIS_MONTH.search(sentence)
        if this_month:
            try:
                value = reference.replace(day=int(this_month.group(1)))
            except ValueError:
                value = None
            if value:
                return take_date(reading, value, this_month.group(0), THE_TEXT)
        on_the_day = ON_THE_DAY.search(sentence)
        if on_the_day and (value := day_of_month_near(int(on_the_day.group(1)), reference)):
            return take_date(reading, value, on_the_day.group(0), THE_TEXT)
        for m in RELATIVE.finditer(sentence):
            said = m.group(0).lower()
            if said.startswith("the") and not (
                said.endswith("day before") or EVENT.match(sentence[m.end() :])
            ):
                continue
            if (
                m.group(1).lower() in WEEKDAYS
                and not said.startswith(("on", "last", "the"))
                and not DONE_ON.search(sentence[: m.start()])
            ):
                continue
            if m.group(1) == "Today" and re.search(r"\b[A-Z]\w+\s+$", sentence[: m.start()]):
                continue  # 'Kazakhstan Today', 'Russia Today': a name
            future = FUTURE.search(sentence[max(0, m.start() - 80) : m.start()]) is not None
            future = (
                future and not said.startswith("last") and not SAID.search(sentence[: m.start()])
            )
            value = relative_day(m.group(1), reference, future)
            return take_date(reading, value, m.group(0).strip(), THE_TEXT)
    if reference and reading.date is None:
        for start, end in lead_sentences(text, body_start, limit=8)[len(sentences) :]:
            sentence = text[start:end]
            for m in RELATIVE.finditer(sentence):
                if m.group(1).lower() in WEEKDAYS and HELD_ON.search(sentence[: m.start()]):
                    value = relative_day(m.group(1), reference, future=False)
                    return take_date(reading, value, m.group(0).strip(), THE_TEXT)
    if reading.date is None and reading.published:
        take_date(reading, reading.published, "", THE_PUBLICATION_DATE)


def day_of_month_near(day, reference):
    """The `day` of `reference`'s month, or of the month before when that day is still to come."""
    month_start = reference.replace(day=1)
    if day > reference.day:
        month_start = (month_start - datetime.timedelta(days=1)).replace(day=1)
    try:
        return month_start.replace(day=day)
    except ValueError:
        return None


def take_date(reading, value, said, where):
    if reading.date == value:
        return
    if reading.date:
        reading.found.append(
            Note(
                gettext_noop("The dateline's %(date)s is when the item was written."),
                date=later(format_partial, reading.date),
            )
        )
    reading.date, reading.date_text, reading.date_where = value, said or reading.date_text, where
    reading.problems = [p for p in reading.problems if getattr(p, "code", "") != "no_year"]
    reading.found.append(date_found(value, where, said))


# A meeting of several days is recorded on its first: 'began on June 15', 'ended here on Tuesday
# ... the two-day meeting'.
BEGAN_ON = re.compile(r"\b(?:began|opened|started|commenced)\s+(?:here\s+)?on\s+$", re.I)
ENDED_ON = re.compile(
    r"\b(?:ended|concluded|closed|wrapped\s+up)\s+(?:here\s+|today\s*|on\s+\w+day\b)", re.I
)
DAYS_LONG = re.compile(r"\b(two|three|four)-day\b", re.I)


def first_day_of_the_meeting(reading, text, body_start):
    """The first day of a meeting of several days whose last day was read."""
    if not reading.date:
        return
    sentences = lead_sentences(text, body_start)
    said = [f.value for s, e in sentences for f in find_dates(text[s:e], yearless=True) if f.value]
    # the lead names the day reported ('met on 4 July, the second day of a summit that began on 3
    # July'): that day is kept
    if any((d.month, d.day) == (reading.date.month, reading.date.day) for d in said):
        return
    for start, end in sentences:
        sentence = text[start:end]
        for found in find_dates(sentence, yearless=True):
            if found.value is None or not BEGAN_ON.search(sentence[: found.start]):
                continue
            value = found.value
            if not found.has_year:
                value = year_for(value.month, value.day, reading.date)
            if value < reading.date <= value + datetime.timedelta(days=7):
                return take_date(reading, value, found.text, THE_TEXT)
    lead = " ".join(text[s:e] for s, e in sentences)
    long = DAYS_LONG.search(lead)
    if long and ENDED_ON.search(lead):
        days = ("two", "three", "four").index(long.group(1).lower()) + 1
        take_date(reading, reading.date - datetime.timedelta(days=days), "", THE_TEXT)
