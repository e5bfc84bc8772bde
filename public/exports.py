"""Downloads of the list pages: CSV and JSON of every record a list shows; iCalendar of meetings
and summits.

Each kind of record has one `Listing`: the FilterSet of its HTML page, bound to the same published
queryset, and a function giving a record's row as a dict whose keys are the kind's columns (the
README documents them). A related record is `{"name": ..., "slug": ...}`; in CSV it is written
"Name (slug)", several joined by "; ". Rows are read with `iterator(chunk_size=CHUNK_SIZE)` and
written as they come, so the size of an export does not change the memory it needs, and the number
of queries grows with the number of chunks, not of rows.
"""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.dates import Precision, format_partial
from meetings.models import Country, Place, Summit
from meetings.numbers import number
from public import ical
from public.listing import chosen, filter_errors

CHUNK_SIZE = 500
# A calendar given no dates holds the records of these last years and every one to come.
CALENDAR_YEARS = 2
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def ref(record, name=None, **extra):
    """A related record as {'name', 'slug', ...}; None for a draft, which is not shown."""
    if record is None or not getattr(record, "is_published", True):
        return None
    return {"name": name or str(record), "slug": record.slug, **extra}


def summit_ref(summit):
    """A summit by its title, or None when there is none or it is a draft (as on the pages)."""
    return ref(summit, summit and summit.title)


def summit_refs():
    """{id: summit_ref} of every summit (a few hundred), for the rows that name one by its id."""
    fields = ("slug", "state", "council", "number")
    return {summit.pk: summit_ref(summit) for summit in Summit.objects.only(*fields).order_by()}


def day(value):
    return value.isoformat() if value else None


def chunks(rows):
    """Lists of up to CHUNK_SIZE of `rows`, read from the database as they are needed."""
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class Listing:
    """A list page as a download: its name, its FilterSet on its queryset, and its rows.

    `row` gives one record's row; or `rows`, given the filtered queryset and the Context, gives
    every row (for a list too long to read as model instances). For a calendar, `events`,
    given the same, gives every record's VEVENT.
    """

    name: str
    filterset_class: type
    queryset: Callable
    row: Callable
    columns: tuple
    rows: Callable = None
    # The records as iCalendar events, for the kinds that have a calendar.
    events: Callable = None
    # The filters that choose dates: a calendar given none of them holds CALENDAR_YEARS.
    date_filters: tuple = ("date", "year", "month")

    def filterset(self, request):
        return self.filterset_class(request.GET, queryset=self.queryset(), request=request)


@dataclass(frozen=True)
class Context:
    """What a row may need beyond its record: absolute links, and the bound FilterSet."""

    request: object
    filterset: object

    def url(self, record):
        return self.request.build_absolute_uri(record.get_absolute_url())

    def url_of(self, view):
        """A function of a slug giving the absolute address of `view` for that slug."""
        before, after = self.request.build_absolute_uri(reverse(view, args=["-"])).rsplit("-", 1)
        return lambda slug: f"{before}{slug}{after}"


def rows(listing, filterset, request):
    """The rows of every record the filters select, in the list's order, a chunk at a time."""
    ctx = Context(request, filterset)
    if listing.rows:
        yield from listing.rows(filterset.qs, ctx)
        return
    for record in filterset.qs.iterator(chunk_size=CHUNK_SIZE):
        yield listing.row(record, ctx)


def csv_cell(value):
    """A value as CSV text; text a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, list):
        text = "; ".join(csv_cell(item) for item in value)
    elif isinstance(value, dict):
        text = f"{value['name']} ({value['slug']})" if value["slug"] else value["name"]
        text += "".join(f", {extra}" for key, extra in value.items() if key not in ("name", "slug"))
    else:
        text = str(value)
    return neutralise_formula(text)


def neutralise_formula(text):
    """`text` with a leading `'` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file-like object whose write() hands back what it is given, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(columns, records):
    writer = csv.writer(Echo())
    yield writer.writerow(columns)
    for row in records:
        yield writer.writerow([csv_cell(row[column]) for column in columns])


def json_lines(columns, records):
    """A JSON array written one record at a time."""
    yield "["
    separator = "\n"
    for row in records:
        record = {column: row[column] for column in columns}
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n" if separator != "\n" else "]\n"


FORMATS = {
    "csv": (csv_lines, "text/csv; charset=utf-8"),
    "json": (json_lines, "application/json; charset=utf-8"),
}


def filename(name, extension):
    return f"sco-tracker-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def bad_filters(filterset, fmt, errors=None):
    """The 400 for filters that cannot be read, with the messages the list page gives (or for
    `errors` given)."""
    errors = errors or filter_errors(filterset)
    if fmt == "json":
        return JsonResponse({"errors": errors}, status=400)
    if filterset.errors:
        heading = gettext("These filters could not be read")
    else:
        heading = gettext("This file was not sent")
    text = f"{heading}:\n" + "".join(f"- {e}\n" for e in errors)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def over_budget(queryset, limit, what):
    """The message refusing a download of more than `limit` rows of `queryset`, or None.

    Counted up front (at most limit + 1 rows are read), so that a download never starts that
    the server could not finish within its time: a file cut short would look whole.
    """
    if queryset.order_by()[: limit + 1].count() <= limit:
        return None
    if what == "events":
        message = gettext(
            "This download would hold more than {limit} events, more than one file may: narrow "
            "it with the list's filters (a range of dates, a country, a kind) and download each "
            "part."
        )
    else:
        message = gettext(
            "This download would hold more than {limit} rows, more than one file may: narrow "
            "it with the list's filters (a range of dates, a country, a kind) and download each "
            "part."
        )
    return message.format(limit=number(limit))


def download(request, listing, fmt):
    """Every record of `listing` under the URL's filters and ordering, as CSV or JSON."""
    if fmt not in FORMATS:
        message = gettext("There is no download as '{fmt}': use csv or json.")
        raise Http404(message.format(fmt=fmt[:20]))
    filterset = listing.filterset(request)
    if not filterset.is_valid():
        return bad_filters(filterset, fmt)
    refused = over_budget(filterset.qs, settings.EXPORT_ROW_LIMIT, "rows")
    if refused:
        return bad_filters(filterset, fmt, [refused])
    lines, content_type = FORMATS[fmt]
    response = StreamingHttpResponse(
        lines(listing.columns, rows(listing, filterset, request)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(listing.name, fmt)}"'
    return response


# iCalendar

PRODID = "-//SCO Tracker//Meetings and summits//EN"
# What a calendar event says of a date known only roughly.
PRECISION_NOTES = {
    Precision.MONTH: _("Date known only to the month: {dates}."),
    Precision.SEASON: _("Date known only to the season: {dates}."),
    Precision.YEAR: _("Date known only to the year: {dates}."),
}
# A calendar's name and descriptions, by listing: with no filter given, and from a day on.
CALENDAR_TEXT = {
    "meetings": (
        _("SCO Tracker: meetings"),
        _("The meetings on record under the filters of this address."),
        _(
            "The meetings on record from {day} on, and every one to come. For other years, give "
            "dates in the address: ?date_after=YYYY-MM-DD&date_before=YYYY-MM-DD."
        ),
    ),
    "summits": (
        _("SCO Tracker: summits"),
        _("The summits on record under the filters of this address."),
        _(
            "The summits on record from {day} on, and every one to come. For other years, give "
            "dates in the address: ?date_after=YYYY-MM-DD&date_before=YYYY-MM-DD."
        ),
    ),
}


class Locations:
    """Where events took place: the places with their names and the published countries, read
    once for a calendar."""

    def __init__(self):
        self.places = Place.objects.only("name").prefetch_related("names").in_bulk()
        self.countries = {country.pk: country.name for country in Country.objects.published()}

    def __call__(self, place_id, country_id, day):
        """'Nur-Sultan (now Astana), Kazakhstan' on `day` (a draft country left out)."""
        place = self.places.get(place_id)
        parts = (place.name_then_and_now(day) if place else "", self.countries.get(country_id))
        return ", ".join(part for part in parts if part)


def calendar_lines(name, events, description):
    """A VCALENDAR written one VEVENT at a time."""
    yield ical.calendar_head(str(CALENDAR_TEXT[name][0]), description, PRODID)
    yield from events
    yield ical.CALENDAR_TAIL


def calendar_start(today):
    """The first day of a calendar given no dates: CALENDAR_YEARS before `today`."""
    try:
        return today.replace(year=today.year - CALENDAR_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - CALENDAR_YEARS, day=28)


def calendar(request, listing):
    """The meetings or summits of `listing` under the URL's filters, as iCalendar all-day events.

    Given no dates, it holds those that began in the last CALENDAR_YEARS years and every one to
    come; a calendar of more than settings.CALENDAR_EVENT_LIMIT events is refused with a 400.
    """
    filterset = listing.filterset(request)
    if not filterset.is_valid():
        return bad_filters(filterset, "ics")
    records = filterset.qs
    dated = any(chosen(filterset.form.cleaned_data.get(name)) for name in listing.date_filters)
    if dated:
        description = str(CALENDAR_TEXT[listing.name][1])
    else:
        start = calendar_start(timezone.localdate())
        records = records.filter(start_date__gte=start)
        description = str(CALENDAR_TEXT[listing.name][2]).format(day=format_partial(start))
    refused = over_budget(records, settings.CALENDAR_EVENT_LIMIT, "events")
    if refused:
        return bad_filters(filterset, "ics", [refused])
    events = listing.events(records, Context(request, filterset))
    response = StreamingHttpResponse(
        calendar_lines(listing.name, events, description),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="sco-tracker-{listing.name}.ics"'
    return response
