"""When a meeting took place: the dateline's date or a date in the body."""

import datetime
import re
from dataclasses import dataclass

from meetings.dates import format_partial
from reader.places import looks_like_place, set_place

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
]
# Datelines sometimes leave out the year ("BEIJING, Oct. 26 (Xinhua) --").
YEARLESS_FORMS = [rf"\b{DAY}\s+(?P<m>{MONTH})\b\.?", rf"\b(?P<m>{MONTH})\.?\s+{DAY}\b"]


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
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept = []
    for date in found:
        if kept and date.start < kept[-1].end:
            continue
        kept.append(date)
    return kept


def read_dateline(reading, text, lexicon):
    """Read 'Nur-Sultan, 4 June 2022 (TDI):' at the top; return where the body starts.

    The dateline may follow a headline, so the first three lines are tried.
    """
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()][:3]
    for index, line in enumerate(lines):
        body_start = dateline_in(reading, line.group(0)[:300], lexicon)
        if body_start is not None:
            if index:
                reading.headline = lines[0].group(0).strip()
            return line.start() + body_start
    reading.problems.append(
        "No dateline ('Place, date (agency):') at the start of the text; "
        "the date and place were looked for in the text."
    )
    return 0


def dateline_in(reading, line, lexicon):
    """Read a dateline at the start of `line`; return where the body starts in it, or None."""
    stripped = line.lstrip()
    offset = len(line) - len(stripped)
    dates = find_dates(stripped, yearless=True, flags=re.I)
    if dates and dates[0].start <= 80:
        date = dates[0]
        before = stripped[: date.start].strip(" ,.;:–—-")
        rest = stripped[date.end :]
        agency = re.match(r"\s*(?:\(([^()]{1,60})\)|/([^/]{1,60})/)", rest)
        after = rest[agency.end() :] if agency else rest
        separator = re.match(r"\s*(?:[:.]|-{1,2}|[–—])\s*", after)
        if not (agency or separator) or not looks_like_place(before):
            return None
        reading.dateline = stripped[: date.end + (agency.end() if agency else 0)].strip()
        if agency:
            reading.agency = (agency.group(1) or agency.group(2)).strip()
        set_date(reading, date, "the dateline", url_year(reading.url))
        if before:
            reading.place_text = re.split(r"\s*[,–—]\s*|\s+-\s+", before)[0]
            set_place(reading, reading.place_text, lexicon, "the dateline")
        else:
            reading.problems.append("The dateline names no place.")
        return offset + len(stripped) - len(after) + (separator.end() if separator else 0)
    # 'NUR-SULTAN. KAZINFORM –': a place and an agency but no date.
    match = re.match(
        r"([A-Z][A-Z'’ -]{2,40}?)\s*[.,]\s+([A-Z][A-Za-z]+)?\s*(?:-{1,2}|[–—:])", stripped
    )
    if match and looks_like_place(match.group(1).title()):
        reading.dateline = match.group(0).strip(" -–—:")
        reading.agency = match.group(2) or ""
        reading.place_text = match.group(1).strip().title()
        set_place(reading, reading.place_text, lexicon, "the dateline")
        return offset + match.end()
    return None


def url_year(url):
    match = re.search(r"/((?:19|20)\d\d)[/-]", url or "")
    return int(match.group(1)) if match else None


def set_date(reading, date, where, fallback_year=None):
    reading.date_text = date.text
    if date.value is None:
        reading.problems.append(f"“{date.text}” in {where} is not a real date.")
        return
    value = date.value
    if not date.has_year:
        if fallback_year is None:
            reading.problems.append(
                f"{where.capitalize()} gives “{date.text}” without a year; enter the date."
            )
            return
        try:
            value = value.replace(year=fallback_year)
        except ValueError:
            reading.problems.append(f"“{date.text}” in {where} is not a real date.")
            return
    reading.date = value
    reading.found.append(f"Date: {format_partial(value)}, from {where} (“{date.text}”).")


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
        set_date(reading, date, "the first paragraph")
        return
    match = re.search(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:[/-]|$)", reading.url)
    if match:
        try:
            value = datetime.date(*map(int, match.groups()))
        except ValueError:
            value = None
        if value:
            reading.date = value
            reading.found.append(f"Date: {format_partial(value)}, from the address.")
            return
    reading.problems.append("No date found in the first paragraph or the address.")
