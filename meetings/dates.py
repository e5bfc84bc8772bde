"""Dates known only roughly: to the day, the month, the season or the year.

A rough date is stored as a real date plus a precision. The stored day is the first day of the
period for a start and the last day for an end, so "held on a given day" stays a plain range query;
the precision decides how the date is written, so no made-up day is ever shown.

Dates are written as the reader's language writes them ('4 June 2022', '4 июня 2022 г.',
'2022年6月4日'): months and days by Babel from CLDR, seasons and ranges from the catalogues.
"""

import calendar
import datetime
import re

from babel.dates import format_date, format_skeleton
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext


class Precision(models.TextChoices):
    DAY = "day", gettext_lazy("Day")
    MONTH = "month", gettext_lazy("Month")
    SEASON = "season", gettext_lazy("Season")
    YEAR = "year", gettext_lazy("Year")


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
        raise DateError(
            _("'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2020-01-01.").format(
                text=text[:40]
            )
        )
    year, month, day = (int(part) for part in match.groups())
    check_month(text, year, month, "date")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = format_partial(datetime.date(year, month, 1), Precision.MONTH)
        raise DateError(
            _("'{text}' is not a date: {month} has {days} days.").format(
                text=text, month=name, days=days
            )
        )
    return datetime.date(year, month, day)


def read_month(text):
    """(year, month or None) from '2022-06' or '2022'; DateError for anything else."""
    text = str(text).strip()
    match = MONTH.match(text)
    if not match:
        raise DateError(
            _("'{text}' is not a year or a month: write 2022 or 2022-06.").format(text=text[:40])
        )
    year, month = int(match[1]), match[2] and int(match[2])
    check_month(text, year, month or 1, "month")
    return year, month


def check_month(text, year, month, what):
    if year < 1:
        if what == "month":
            raise DateError(_("'{text}' is not a month: there is no year 0.").format(text=text))
        raise DateError(_("'{text}' is not a date: there is no year 0.").format(text=text))
    if not 1 <= month <= 12:
        if what == "month":
            message = _("'{text}' is not a month: months run from 01 to 12.")
        else:
            message = _("'{text}' is not a date: months run from 01 to 12.")
        raise DateError(message.format(text=text))


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


def babel_locale():
    """The Babel locale of the active language; English is written the British way."""
    language = translation.get_language() or "en"
    return "en_GB" if language.startswith("en") else translation.to_locale(language)


def season_name(value):
    """'fall 2022' in the reader's language ('осень 2022', '2022年秋')."""
    season, year = SEASONS[value.month], value.year
    if season == "winter":
        return pgettext("season and year", "winter {year}").format(year=year)
    if season == "spring":
        return pgettext("season and year", "spring {year}").format(year=year)
    if season == "summer":
        return pgettext("season and year", "summer {year}").format(year=year)
    return pgettext("season and year", "fall {year}").format(year=year)


def format_partial(value, precision=Precision.DAY):
    """Write a date the way people read it: '4 June 2022', 'June 2022', 'fall 2022', '2022'.

    In Russian '4 июня 2022 г.', 'июнь 2022 г.', 'осень 2022'; in Chinese '2022年6月4日',
    '2022年6月', '2022年秋', '2022年'.
    """
    if value is None:
        return ""
    locale = babel_locale()
    if precision == Precision.YEAR:
        return format_skeleton("y", value, locale=locale)
    if precision == Precision.SEASON:
        return season_name(value)
    if precision == Precision.MONTH:
        return format_skeleton("yMMMM", value, locale=locale)
    return format_date(value, "long", locale=locale)


def format_range(start, end, precision=Precision.DAY):
    """'15–16 September 2022', '30 November – 1 December 2017', or one date when start == end.

    In Chinese '2022年9月15日至16日', '2017年11月30日至12月1日'."""
    if start is None:
        return ""
    if end is None or end == start or precision != Precision.DAY:
        return format_partial(start, precision)
    locale = babel_locale()
    parts = {
        "start_day": start.day,
        "start_day_month": format_skeleton("MMMMd", start, locale=locale),
        "start_date": format_partial(start),
        "end_day": end.day,
        "end_day_month": format_skeleton("MMMMd", end, locale=locale),
        "end_date": format_partial(end),
    }
    if (start.year, start.month) == (end.year, end.month):
        # Translators: a language may leave out or add any of the parts; see format_range.
        # xgettext:no-python-brace-format
        pattern = pgettext("days of one month", "{start_day}–{end_date}")
    elif start.year == end.year:
        # Translators: a language may leave out or add any of the parts; see format_range.
        # xgettext:no-python-brace-format
        pattern = pgettext("days of one year", "{start_day_month} – {end_date}")
    else:
        # Translators: a language may leave out or add any of the parts; see format_range.
        # xgettext:no-python-brace-format
        pattern = pgettext("days of two years", "{start_date} – {end_date}")
    return pattern.format(**parts)
