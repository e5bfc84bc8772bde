"""Dates known only roughly: to the day, the month, the season or the year.

A rough date is stored as a real date plus a precision. The stored day is the first day of the
period for a start and the last day for an end, so "held on a given day" stays a plain range query;
the precision decides how the date is written, so no made-up day is ever shown.
"""

import calendar
import datetime
import re

from django.db import models


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    SEASON = "season", "Season"
    YEAR = "year", "Year"


SEASONS = {
    # Season name by month (northern hemisphere, as the SCO's news items use it).
    12: "winter", 1: "winter", 2: "winter",
    3: "spring", 4: "spring", 5: "spring",
    6: "summer", 7: "summer", 8: "summer",
    9: "fall", 10: "fall", 11: "fall",
}  # fmt: skip


DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


class DateError(ValueError):
    """A date as written cannot be read; the message says why, quoting what was written."""


def read_day(text):
    """The day written YYYY-MM-DD in `text`; DateError says what is wrong with anything else.

    Every place that reads a day (filters, date pages, keyset pages, imports, the loader) reads
    it here, so one mistake gets one answer everywhere.
    """
    text = str(text).strip()
    match = DAY.match(text)
    if not match:
        raise DateError(f"'{text[:40]}' is not a date: write it as YYYY-MM-DD, e.g. 2020-01-01.")
    year, month, day = (int(part) for part in match.groups())
    check_month(text, year, month, "date")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = datetime.date(year, month, 1).strftime("%B %Y")
        raise DateError(f"'{text}' is not a date: {name} has {days} days.")
    return datetime.date(year, month, day)


def read_month(text):
    """(year, month or None) from '2022-06' or '2022'; DateError for anything else."""
    text = str(text).strip()
    match = MONTH.match(text)
    if not match:
        raise DateError(f"'{text[:40]}' is not a year or a month: write 2022 or 2022-06.")
    year, month = int(match[1]), match[2] and int(match[2])
    check_month(text, year, month or 1, "month")
    return year, month


def check_month(text, year, month, what):
    if year < 1:
        raise DateError(f"'{text}' is not a {what}: there is no year 0.")
    if not 1 <= month <= 12:
        raise DateError(f"'{text}' is not a {what}: months run from 01 to 12.")


def parse_partial(text, *, end=False):
    """Read '2022-06-04', '2022-06' or '2022' as (date, precision).

    A start takes the first day of the period, an end (end=True) the last day.
    """
    text = (text or "").strip()
    if not text:
        return None, Precision.DAY
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts), Precision.DAY
    if len(parts) == 2:
        year, month = parts
        day = calendar.monthrange(year, month)[1] if end else 1
        return datetime.date(year, month, day), Precision.MONTH
    (year,) = parts
    return (datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)), Precision.YEAR


def format_partial(value, precision=Precision.DAY):
    """Write a date the way people read it: '4 June 2022', 'June 2022', 'fall 2022', '2022'."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.SEASON:
        return f"{SEASONS[value.month]} {value.year}"
    if precision == Precision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def format_range(start, end, precision=Precision.DAY):
    """'15–16 September 2022', '30 November – 1 December 2017', or one date when start == end."""
    if start is None:
        return ""
    if end is None or end == start or precision != Precision.DAY:
        return format_partial(start, precision)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_partial(end)}"
    if start.year == end.year:
        return f"{start.day} {start.strftime('%B')} – {format_partial(end)}"
    return f"{format_partial(start)} – {format_partial(end)}"
