"""The tables behind the charts of the numbers page, each drawn and offered as CSV."""

import dataclasses
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from initiatives.models import Status, StatusChange
from meetings.dates import read_day
from meetings.models import Council, Country, Meeting, Official, State, Summit

from . import aggregates
from .aggregates import stored_or_earlier
from .queries import count_of

YEAR, TOTAL = gettext_noop("Year"), gettext_noop("Total")
MEETINGS_ATTENDED = gettext_noop("Meetings attended")


@dataclass
class Table:
    """What a chart shows, as a table: the first column names the row, the others are counts.

    A table is counted and kept in English (its title and headings are msgids); `translated()`
    gives it in the reader's language."""

    title: str
    columns: list
    rows: list = field(default_factory=list)  # [label, count, count, ...]
    links: list = field(default_factory=list)  # The page of each row's label, or None.
    kind: str = "bars"  # "bars": one bar per row (years); "ranking": horizontal bars.

    @property
    def series(self):
        """The count columns drawn as series (a final 'Total' column is not one)."""
        names = self.columns[1:]
        return names[:-1] if names and names[-1] == gettext("Total") else names

    def translated(self):
        """The table with its title and headings in the active language."""
        columns = [gettext(c) if isinstance(c, str) and c else c for c in self.columns]
        return dataclasses.replace(self, title=gettext(self.title), columns=columns)

    def values(self, index):
        return [row[index + 1] for row in self.rows]


def year_range(first, today):
    return list(range(first, today.year + 1)) if first else []


def by_year(rows, key, choices, title, today):
    """A Table of counts per year and choice from grouped rows of year, `key` and n."""
    counts = {}
    for row in rows:
        counts[(row["year"], row[key])] = row["n"]
    present = [choice for choice in choices if any(k == choice.value for _, k in counts)]
    years = year_range(min((year for year, _ in counts), default=None), today)
    table = Table(title, [YEAR, *(str(choice.label) for choice in present), TOTAL])
    for year in years:
        values = [counts.get((year, choice.value), 0) for choice in present]
        table.rows.append([year, *values, sum(values)])
        table.links.append(None)
    return table


def meetings_per_year(today):
    """Published meetings per year, by kind: one grouped query."""
    rows = (
        Meeting.objects.published()
        .annotate(year=ExtractYear("start_date"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return by_year(rows, "kind", Meeting.Kind, gettext_noop("Meetings per year, by kind"), today)


def sessions_per_year(today):
    """Published council sessions per year, by council: one grouped query."""
    rows = (
        Summit.objects.published()
        .annotate(year=ExtractYear("start_date"))
        .values("year", "council")
        .annotate(n=Count("pk"))
        .order_by()
    )
    title = gettext_noop("Council sessions per year, by council")
    return by_year(rows, "council", Council, title, today)


def initiatives_by_status(today):
    """Published initiatives by their status at the end of each year.

    One query reads the dated status changes (three columns each); the running status of each
    initiative is then followed year by year.
    """
    changes = (
        StatusChange.objects.filter(initiative__state=State.PUBLISHED)
        .order_by("initiative_id", "date", "id")
        .values_list("initiative_id", "status", "date")
    )
    history = {}
    for initiative, status, day in changes:
        history.setdefault(initiative, []).append((day.year, status))
    first = min((steps[0][0] for steps in history.values()), default=None)
    statuses = [s for s in Status if any(s.value == st for h in history.values() for _, st in h)]
    table = Table(
        gettext_noop("Initiatives by status at the end of each year"),
        [YEAR, *(str(status.label) for status in statuses), TOTAL],
    )
    for year in year_range(first, today):
        counts = dict.fromkeys(statuses, 0)
        for steps in history.values():
            current = None
            for step_year, status in steps:
                if step_year > year:
                    break
                current = status
            if current:
                counts[Status(current)] += 1
        values = list(counts.values())
        table.rows.append([year, *values, sum(values)])
        table.links.append(None)
    return table


RANKING_SIZE = 15


def active_countries(today):
    """Published countries by meetings attended and council sessions hosted or chaired.

    One query, with two counting subqueries per country.
    """
    attended = Meeting.objects.published().filter(participations__country=OuterRef("pk"))
    hosted = Summit.objects.published().filter(
        Q(host_country=OuterRef("pk")) | Q(chair_country=OuterRef("pk"))
    )
    countries = (
        Country.objects.published()
        .annotate(meetings=count_of(attended, distinct=True), sessions=count_of(hosted))
        .annotate(total=F("meetings") + F("sessions"))
        .filter(total__gt=0)
        .order_by("-total", "-meetings", "name", "id")[:RANKING_SIZE]
    )
    table = Table(
        gettext_noop("Most active countries"),
        [
            gettext_noop("Country"),
            MEETINGS_ATTENDED,
            gettext_noop("Council sessions hosted or chaired"),
            TOTAL,
        ],
        kind="ranking",
    )
    for country in countries:
        table.rows.append([country.name, country.meetings, country.sessions, country.total])
        table.links.append(country.get_absolute_url())
    return table


def active_officials(today):
    """Published officials by the published meetings they attended: one grouped query."""
    officials = (
        Official.objects.published()
        .annotate(
            meetings=Count(
                "participations__meeting",
                filter=Q(participations__meeting__state=State.PUBLISHED),
                distinct=True,
            )
        )
        .filter(meetings__gt=0)
        .order_by("-meetings", "name", "id")[:RANKING_SIZE]
    )
    table = Table(
        gettext_noop("Most active officials"),
        [gettext_noop("Official"), MEETINGS_ATTENDED],
        kind="ranking",
    )
    for official in officials:
        table.rows.append([official.name, official.meetings])
        table.links.append(official.get_absolute_url())
    return table


NUMBERS = {
    "meetings-per-year": meetings_per_year,
    "sessions-per-year": sessions_per_year,
    "initiatives-by-status": initiatives_by_status,
    "active-countries": active_countries,
    "active-officials": active_officials,
}


def numbers_table(name, today):
    """(Table, day) of chart `name` on `today` in the reader's language: the stored aggregate
    (insights.aggregates), counted in English; `day` is the day it was counted for, an earlier
    one while today's is being counted."""
    prefix = f"numbers:{name}:"
    key, table = stored_or_earlier(
        prefix + today.isoformat(),
        prefix,
        lambda: english(NUMBERS[name], today),
        dataclasses.asdict,
        lambda data: Table(**data),
    )
    return table.translated(), read_day(key.removeprefix(prefix))


def english(count, *args):
    """`count(*args)` with no language active, so that what it words is kept in English."""
    with translation.override(None):
        return count(*args)


def count_numbers(key):
    """A stored chart counted again: `key` is numbers:<chart>:<day>."""
    _, name, day = key.split(":")
    return dataclasses.asdict(english(NUMBERS[name], read_day(day)))


aggregates.COUNTERS["numbers"] = count_numbers
aggregates.DAILY.add("numbers")
aggregates.WANTED.append(lambda day: [f"numbers:{name}:{day.isoformat()}" for name in NUMBERS])


def chart_url(name):
    return reverse("insights:numbers_csv", kwargs={"chart": name})
