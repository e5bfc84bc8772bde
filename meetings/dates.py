"""Dates known only roughly: to the day, the month, the season or the year.

A rough date is stored as a real date plus a precision. The stored day is the first day of the
period for a start and the last day for an end, so "held on a given day" stays a plain range query;
the precision decides how the date is written, so no made-up day is ever shown.
"""

import calendar
import datetime

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
