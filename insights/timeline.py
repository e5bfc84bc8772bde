"""The timeline: its window of time (`from` and `to`, zooming, moving, axis ticks) and its lanes
of marks read from the database.

A window runs from the first day of a month to the last day of a month. `from` and `to` are
written as a year (2022) or a month (2022-06); the zoom links step through SPANS (in months).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, StatusChange
from meetings.dates import DateError, Precision, format_partial, format_range, read_month
from meetings.models import State, Summit

from .queries import RECORD_START

SPANS = [1, 3, 6, 12, 24, 60, 120, 240, 480]
MONTH_ABBR = [""] + [calendar.month_abbr[m] for m in range(1, 13)]


class WindowError(ValueError):
    """`from` or `to` cannot be read; the message says why, in the reader's terms."""


def first_day(index):
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_day(index):
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Window:
    first: int  # Month index (year * 12 + month - 1) of the first month shown.
    last: int  # Month index of the last month shown.

    @property
    def start(self):
        return first_day(self.first)

    @property
    def end(self):
        return last_day(self.last)

    @property
    def months(self):
        return self.last - self.first + 1

    @property
    def label(self):
        start, end = self.start, self.end
        if self.months % 12 == 0 and start.month == 1:
            return str(start.year) if self.months == 12 else f"{start.year}–{end.year}"
        if self.months == 1:
            return format_partial(start, Precision.MONTH)
        return f"{format_partial(start, Precision.MONTH)} – {format_partial(end, Precision.MONTH)}"

    def params(self):
        """`from` and `to` for a link to this window: years when it spans whole years."""
        start, end = self.start, self.end
        if start.month == 1 and end.month == 12:
            return {"from": str(start.year), "to": str(end.year)}
        return {"from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}"}


def bounds(today):
    """The widest window: from the first year of the record to the end of next year."""
    return Window(RECORD_START.year * 12, (today.year + 1) * 12 + 11)


def default_window(today):
    return Window(RECORD_START.year * 12, today.year * 12 + 11)


def parse_month(text, name, *, end):
    try:
        year, month = read_month(text)
    except DateError as error:
        raise WindowError(f"'{name}': {error}") from None
    if month is None:
        return year * 12 + (11 if end else 0)
    return year * 12 + month - 1


def window_from(query, today):
    """The window that `from` and `to` in `query` ask for; WindowError if it cannot be drawn."""
    default, widest = default_window(today), bounds(today)
    raw_from, raw_to = query.get("from", "").strip(), query.get("to", "").strip()
    first = parse_month(raw_from, "from", end=False) if raw_from else default.first
    last = parse_month(raw_to, "to", end=True) if raw_to else default.last
    if first > last:
        message = gettext(
            "The timeline cannot start ({start}) after it ends ({end}): give 'from' before 'to'."
        )
        start, end = raw_from or first_day(first).year, raw_to or last_day(last).year
        raise WindowError(message.format(start=start, end=end))
    if first < widest.first or last > widest.last:
        message = gettext("The timeline covers {first} to {last}: choose years in that range.")
        raise WindowError(message.format(first=RECORD_START.year, last=today.year + 1))
    return Window(first, last)


def clamp(window, widest):
    """Shift `window` back inside `widest`, shrinking it only when it is wider."""
    months = min(window.months, widest.months)
    first = min(max(window.first, widest.first), widest.last - months + 1)
    return Window(first, first + months - 1)


def aligned(centre, months, widest):
    """A window of `months` around month `centre`, starting on a year when it spans years."""
    first = centre - months // 2
    if months >= 12:
        first -= first % 12
    elif months >= 3:
        first -= first % 3
    return clamp(Window(first, first + months - 1), widest)


def zoom_links(window, today):
    """Windows for zooming in and out and for moving earlier and later (None where impossible)."""
    widest = bounds(today)
    centre = (window.first + window.last) // 2
    smaller = [span for span in SPANS if span < window.months]
    larger = [span for span in SPANS if span > window.months]
    zoom_in = aligned(centre, smaller[-1], widest) if smaller else None
    if larger and larger[0] < widest.months:
        zoom_out = aligned(centre, larger[0], widest)
    elif window != default_window(today):
        zoom_out = default_window(today)
    else:
        zoom_out = None
    earlier = later = None
    if window.first > widest.first:
        earlier = clamp(Window(window.first - window.months, window.last - window.months), widest)
    if window.last < widest.last:
        later = clamp(Window(window.first + window.months, window.last + window.months), widest)
    return {"zoom_in": zoom_in, "zoom_out": zoom_out, "earlier": earlier, "later": later}


def jumps(window, today):
    """Shortcut windows: each decade of the record, then the years or months around the view."""
    widest = bounds(today)
    decades = []
    for decade in range(RECORD_START.year // 10 * 10, today.year + 1, 10):
        first = max(decade * 12, widest.first)
        last = min((decade + 9) * 12 + 11, widest.last)
        decades.append((f"{decade}s", Window(first, last)))
    centre_year = first_day((window.first + window.last) // 2).year
    if window.months <= 12:
        finer = [
            (MONTH_ABBR[m], Window(centre_year * 12 + m - 1, centre_year * 12 + m - 1))
            for m in range(1, 13)
        ]
    else:
        decade = centre_year // 10 * 10
        finer = [
            (str(year), Window(year * 12, year * 12 + 11))
            for year in range(max(decade, RECORD_START.year), min(decade + 10, today.year + 2))
        ]
    return {"decades": decades, "finer": finer}


def ticks(window):
    """(date, label, major) for the axis: years, quarters or months, as the span allows."""
    result = []
    years = window.months / 12
    if years > 15:
        for year in range(window.start.year, window.end.year + 1):
            day = datetime.date(year, 1, 1)
            if day >= window.start:
                major = year % 5 == 0
                labelled = major or year == window.start.year
                result.append((day, str(year) if labelled else "", major))
    elif years > 3:
        for year in range(window.start.year, window.end.year + 1):
            day = datetime.date(year, 1, 1)
            if day >= window.start:
                result.append((day, str(year), True))
    else:
        step = 3 if years > 1 else 1
        for index in range(window.first, window.last + 1):
            day = first_day(index)
            if day.month == 1:
                result.append((day, str(day.year), True))
            elif (day.month - 1) % step == 0:
                label = MONTH_ABBR[day.month] if index != window.first else f"{day:%b %Y}"
                result.append((day, label, False))
    return result


# Marks.

SEASON_END = {12: 2, 1: 2, 2: 2, 3: 5, 4: 5, 5: 5, 6: 8, 7: 8, 8: 8, 9: 11, 10: 11, 11: 11}


def period_end(day, precision):
    """The last day a date of `precision` may stand for: its month, season or year."""
    if precision == Precision.YEAR:
        return datetime.date(day.year, 12, 31)
    if precision == Precision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == Precision.SEASON:
        month = SEASON_END[day.month]
        year = day.year + 1 if month < day.month else day.year
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return day


@dataclass(frozen=True)
class Mark:
    start: datetime.date
    end: datetime.date
    precision: str  # A rough date (month, season, year) is drawn over its whole period.
    href: str
    title: str
    when: str  # The date as the record gives it, e.g. 'June 2022'.
    what: str  # 'Meeting', 'Summit', 'Initiative milestone'.
    css: str

    @property
    def rough(self):
        return self.precision != Precision.DAY

    @property
    def description(self):
        rough = f" (known only to the {self.precision})" if self.rough else ""
        return f"{self.what}, {self.when}{rough}: {self.title}"


def meeting_mark(meeting):
    return Mark(
        start=meeting.start_date,
        end=meeting.end_date,
        precision=meeting.date_precision,
        href=meeting.get_absolute_url(),
        title=meeting.title,
        when=format_range(meeting.start_date, meeting.end_date, meeting.date_precision),
        what=gettext("Meeting ({kind})").format(kind=meeting.get_kind_display().lower()),
        css="lane-meetings",
    )


def summit_mark(summit):
    return Mark(
        start=summit.start_date,
        end=summit.end_date,
        precision=Precision.DAY,
        href=summit.get_absolute_url(),
        title=f"{summit.title}{', ' + summit.place.name if summit.place_id else ''}",
        when=summit.dates_display,
        what=gettext("Summit"),
        css="lane-summits",
    )


def milestone_mark(change):
    initiative = change.initiative
    return Mark(
        start=change.date,
        end=period_end(change.date, change.date_precision),
        precision=change.date_precision,
        href=reverse("initiatives:initiative_detail", kwargs={"slug": initiative.slug}),
        title=f"{change.get_status_display()}: {initiative}",
        when=change.date_display,
        what=gettext("Initiative milestone"),
        css="lane-milestones",
    )


# Reading the request and the lanes.

LANES = {
    "meetings": _("Meetings"),
    "summits": _("Summits"),
    "milestones": _("Initiative milestones"),
}
# The filters of the meetings list that also mean something for summits and for milestones.
SUMMIT_FILTERS = {"country", "participant_country", "summit"}
MILESTONE_FILTERS = {"country", "participant_country", "topic", "initiative"}
NOT_FILTERS = {"from", "to", "show", "ordering", "page", "per_page"}
MAX_MARKS = 300


def read_input(query, today):
    """(window, lanes shown, errors) from the timeline's own parameters."""
    errors, window = [], None
    try:
        window = window_from(query, today)
    except WindowError as error:
        errors.append(str(error))
    shown = query.getlist("show") or list(LANES)
    errors += [
        f"'{value[:40]}' is not something the timeline shows: use {', '.join(LANES)}."
        for value in shown
        if value not in LANES
    ]
    return window, shown, errors


def read_lanes(filterset, window, shown):
    """([(lane name, marks)], [(hidden lane, filter labels)], [truncated lane names]).

    Meetings follow every filter of the meetings list. A summit or a milestone has no official
    or kind of meeting: its lane is hidden while such a filter is on. One query per lane drawn.
    """
    active = {
        name
        for name, values in filterset.data.lists()
        if name in filterset.filters and name not in NOT_FILTERS and any(values)
    }
    lanes, hidden, truncated = [], [], []
    for key, read, applies in [
        ("meetings", lane_meetings, None),
        ("summits", lane_summits, SUMMIT_FILTERS),
        ("milestones", lane_milestones, MILESTONE_FILTERS),
    ]:
        if key not in shown:
            continue
        if applies is not None and not active <= applies:
            labels = sorted(filterset.filters[name].label for name in active - applies)
            hidden.append((LANES[key], labels))
            continue
        marks = read(filterset, window)
        if len(marks) > MAX_MARKS:
            marks = marks[:MAX_MARKS]
            truncated.append(LANES[key])
        lanes.append((LANES[key], marks))
    return lanes, hidden, truncated


def overlapping(queryset, window):
    return queryset.filter(start_date__lte=window.end, end_date__gte=window.start)


def chosen_countries(filterset):
    data = filterset.form.cleaned_data
    return [*(data.get("country") or []), *(data.get("participant_country") or [])]


def lane_meetings(filterset, window):
    meetings = overlapping(filterset.qs, window).only(
        "title", "slug", "kind", "start_date", "end_date", "date_precision"
    )
    return [meeting_mark(m) for m in meetings.order_by("start_date", "id")[: MAX_MARKS + 1]]


def lane_summits(filterset, window):
    """Sessions in the window; with a country filter, those it hosted or chaired."""
    summits = overlapping(Summit.objects.published(), window).select_related("place")
    countries = chosen_countries(filterset)
    if countries:
        summits = summits.filter(Q(host_country__in=countries) | Q(chair_country__in=countries))
    if filterset.form.cleaned_data.get("summit"):
        summits = summits.filter(pk__in=[s.pk for s in filterset.form.cleaned_data["summit"]])
    return [summit_mark(s) for s in summits.order_by("start_date", "id")[: MAX_MARKS + 1]]


def lane_milestones(filterset, window):
    """Status changes of published initiatives; with a country filter, of those it proposed."""
    # A rough date stands for up to a year from the stored day, so look a year further back.
    changes = StatusChange.objects.filter(
        initiative__state=State.PUBLISHED,
        date__lte=window.end,
        date__gte=window.start - datetime.timedelta(days=366),
    ).select_related("initiative")
    data = filterset.form.cleaned_data
    countries = chosen_countries(filterset)
    if countries:
        proposed = Initiative.proposed_by.through.objects.filter(
            initiative=OuterRef("initiative"), country__in=countries
        )
        changes = changes.filter(Exists(proposed))
    if data.get("topic"):
        topics = Initiative.topics.through.objects.filter(
            initiative=OuterRef("initiative"), topic__in=data["topic"]
        )
        changes = changes.filter(Exists(topics))
    if data.get("initiative"):
        changes = changes.filter(initiative__in=data["initiative"])
    marks = []
    for change in changes.order_by("date", "id")[: MAX_MARKS * 2]:
        if period_end(change.date, change.date_precision) >= window.start:
            marks.append(milestone_mark(change))
    return marks
