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
import datetime
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import icalendar
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from initiatives.filters import InitiativeFilter
from initiatives.models import Initiative

from .dates import Precision, format_range
from .filters import CountryFilter, MeetingFilter, OfficialFilter, SummitFilter
from .listing import filter_errors
from .models import Country, Meeting, Official, Participation, Place, State, Summit

CHUNK_SIZE = 500
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def ref(record, name=None, **extra):
    """A related record as {'name', 'slug', ...}; a draft keeps its name but not its slug."""
    if record is None:
        return None
    public = getattr(record, "is_published", True)
    return {"name": name or str(record), "slug": record.slug if public else None, **extra}


def summit_ref(summit):
    """A summit by its title, or None when there is none or it is a draft (as on the pages)."""
    if summit is None or not summit.is_published:
        return None
    return ref(summit, summit.title)


def day(value):
    return value.isoformat() if value else None


MEETING_FIELDS = ("id", "slug", "title", "kind", "start_date", "end_date", "date_precision",
                  "place_id", "country_id", "summit_id", "summary")  # fmt: skip


def meeting_rows(queryset, ctx):
    """The rows of the meetings of `queryset`, read as values CHUNK_SIZE meetings at a time.

    Each chunk's participants and topics take one query each; the countries, places and summits,
    which are few beside the meetings, are read once.
    """
    url = ctx.url_of("meetings:meeting_detail")
    countries = {country.pk: ref(country) for country in Country.objects.all()}
    places = Place.objects.only("name").prefetch_related("names").in_bulk()
    fields = ("slug", "state", "council", "number")
    summits = {s.pk: summit_ref(s) for s in Summit.objects.only(*fields).order_by()}
    for chunk in chunks(queryset.prefetch_related(None).values(*MEETING_FIELDS)):
        ids = [meeting["id"] for meeting in chunk]
        people, topics = defaultdict(list), defaultdict(list)
        participations = Participation.objects.filter(meeting__in=ids).order_by("meeting", "id")
        for meeting, name, slug, state, country in participations.values_list(
            "meeting", "official__name", "official__slug", "official__state", "country"
        ):
            public = state == State.PUBLISHED
            people[meeting].append(({"name": name, "slug": slug if public else None}, country))
        links = Meeting.topics.through.objects.filter(meeting__in=ids)
        for meeting, name, slug in links.order_by("topic__name", "topic__id").values_list(
            "meeting", "topic__name", "topic__slug"
        ):
            topics[meeting].append({"name": name, "slug": slug})
        for meeting in chunk:
            place = places.get(meeting["place_id"])
            participants = people[meeting["id"]]
            yield {
                "slug": meeting["slug"],
                "title": meeting["title"],
                "url": url(meeting["slug"]),
                "kind": meeting["kind"],
                "start_date": day(meeting["start_date"]),
                "end_date": day(meeting["end_date"]),
                "date_precision": meeting["date_precision"],
                "dates": format_range(
                    meeting["start_date"], meeting["end_date"], meeting["date_precision"]
                ),
                "place": place.name_then_and_now(meeting["start_date"]) if place else "",
                "country": countries.get(meeting["country_id"]),
                "participants": [person for person, _ in participants],
                "participant_countries": [
                    countries[country]
                    for country in dict.fromkeys(country for _, country in participants)
                    if country
                ],
                "topics": topics[meeting["id"]],
                "summit": summits.get(meeting["summit_id"]),
                "summary": meeting["summary"],
            }


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


def summit_row(summit, ctx):
    return {
        "slug": summit.slug,
        "title": summit.title,
        "url": ctx.url(summit),
        "council": summit.council,
        "number": summit.number,
        "start_date": day(summit.start_date),
        "end_date": day(summit.end_date),
        "dates": summit.dates_display,
        "format": summit.format,
        "place": summit.place_display,
        "host_country": ref(summit.host_country),
        "chair_country": ref(summit.chair_country),
        "chair": summit.chair,
        "initiatives_adopted": [ref(initiative) for initiative in summit.adopted_initiatives],
        "outcomes": summit.outcomes,
    }


def initiative_row(initiative, ctx):
    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "short_name": initiative.short_name,
        "url": ctx.url(initiative),
        "kind": initiative.kind,
        "current_status": initiative.current_status,
        "adopted_on": day(initiative.adopted_on),
        "adopted_precision": initiative.adopted_precision if initiative.adopted_on else None,
        "adopted": initiative.adopted_display,
        "adopted_at": summit_ref(initiative.adopted_at),
        "period_start": day(initiative.period_start),
        "period_start_precision": initiative.period_start_precision
        if initiative.period_start
        else None,
        "period_end": day(initiative.period_end),
        "period_end_precision": initiative.period_end_precision if initiative.period_end else None,
        "period": initiative.period_display,
        "proposed_by": [ref(country) for country in initiative.proposed_by.all()],
        "topics": [ref(topic) for topic in initiative.topics.all()],
        "summary": initiative.summary,
    }


def position_term(position):
    """The term as the official's page gives it, or the days a source shows them in the post."""
    if position.term_display:
        return position.term_display
    days = [f"{a.date.day} {a.date:%B %Y}" for a in position.attestations.all()]
    return f"attested {', '.join(days)}" if days else "term dates unknown"


def official_row(official, ctx):
    nationality = official.nationality
    return {
        "slug": official.slug,
        "name": official.name,
        "url": ctx.url(official),
        "nationality": ref(nationality) if nationality and nationality.is_published else None,
        "other_names": [other.name for other in official.names.all()],
        "positions": [
            ref(
                position.post,
                f"{position.post.title}, {position.post.organization}",
                term=position_term(position),
            )
            for position in official.positions.all()
        ],
    }


def country_row(country, ctx):
    statuses = country.statuses_then
    return {
        "slug": country.slug,
        "name": country.name,
        "native_name": country.native_name,
        "iso_code": country.iso_code,
        "url": ctx.url(country),
        "status": country.sco_status,
        "status_since": day(statuses[0].since) if statuses else None,
        "as_of": day(ctx.filterset.day()),
        "meeting_count": country.meeting_count,
    }


@dataclass(frozen=True)
class Listing:
    """A list page as a download: its name, its FilterSet on its queryset, and its rows.

    `row` gives one record's row; or `rows`, given the filtered queryset and the Context, gives
    every row (for a list too long to read as model instances).
    """

    name: str
    filterset_class: type
    queryset: Callable
    row: Callable
    columns: tuple
    rows: Callable = None

    def filterset(self, request):
        return self.filterset_class(request.GET, queryset=self.queryset(), request=request)


MEETINGS = Listing(
    "meetings",
    MeetingFilter,
    lambda: Meeting.objects.published().for_list().select_related("summit"),
    None,
    ("slug", "title", "url", "kind", "start_date", "end_date", "date_precision", "dates", "place",
     "country", "participants", "participant_countries", "topics", "summit", "summary"),
    rows=meeting_rows,
)  # fmt: skip
SUMMITS = Listing(
    "summits",
    SummitFilter,
    lambda: Summit.objects.published().for_list(),
    summit_row,
    ("slug", "title", "url", "council", "number", "start_date", "end_date", "dates", "format",
     "place", "host_country", "chair_country", "chair", "initiatives_adopted", "outcomes"),
)  # fmt: skip
INITIATIVES = Listing(
    "initiatives",
    InitiativeFilter,
    lambda: Initiative.objects.published().for_list(),
    initiative_row,
    ("slug", "title", "short_name", "url", "kind", "current_status", "adopted_on",
     "adopted_precision", "adopted", "adopted_at", "period_start", "period_start_precision",
     "period_end", "period_end_precision", "period", "proposed_by", "topics", "summary"),
)  # fmt: skip
OFFICIALS = Listing(
    "officials",
    OfficialFilter,
    lambda: Official.objects.published().for_list(),
    official_row,
    ("slug", "name", "url", "nationality", "other_names", "positions"),
)
COUNTRIES = Listing(
    "countries",
    CountryFilter,
    lambda: Country.objects.published().for_list(),
    country_row,
    ("slug", "name", "native_name", "iso_code", "url", "status", "status_since", "as_of",
     "meeting_count"),
)  # fmt: skip
LISTINGS = {listing.name: listing for listing in (MEETINGS, SUMMITS, INITIATIVES, OFFICIALS,
                                                  COUNTRIES)}  # fmt: skip


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


def bad_filters(filterset, fmt):
    """The 400 for filters that cannot be read, with the messages the list page gives."""
    errors = filter_errors(filterset)
    if fmt == "json":
        return JsonResponse({"errors": errors}, status=400)
    text = "These filters could not be read:\n" + "".join(f"- {e}\n" for e in errors)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def download(request, listing, fmt):
    """Every record of `listing` under the URL's filters and ordering, as CSV or JSON."""
    if fmt not in FORMATS:
        raise Http404(f"There is no download as '{fmt[:20]}': use csv or json.")
    filterset = listing.filterset(request)
    if not filterset.is_valid():
        return bad_filters(filterset, fmt)
    lines, content_type = FORMATS[fmt]
    response = StreamingHttpResponse(
        lines(listing.columns, rows(listing, filterset, request)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(listing.name, fmt)}"'
    return response


# iCalendar

PRODID = "-//SCO Tracker//Meetings and summits//EN"
PRECISION_WORDS = {
    Precision.MONTH: "month",
    Precision.SEASON: "season",
    Precision.YEAR: "year",
}


def location(record, country):
    """'Nur-Sultan (now Astana), Kazakhstan': needs `place__names` prefetched."""
    return ", ".join(part for part in (record.place_display, country and country.name) if part)


def event(uid, record, summary, where, lines, url):
    """An all-day VEVENT from the record's first to its last day (DTEND is the day after)."""
    item = icalendar.Event()
    item.add("uid", uid)
    item.add("dtstamp", record.updated_at)
    item.add("dtstart", record.start_date)
    item.add("dtend", record.end_date + datetime.timedelta(days=1))
    item.add("summary", summary)
    if where:
        item.add("location", where)
    item.add("url", url)
    item.add("description", "\n".join([*(line for line in lines if line), url]))
    item.add("transp", "TRANSPARENT")
    return item


def meeting_event(meeting, ctx):
    precision = PRECISION_WORDS.get(meeting.date_precision)
    participants = ", ".join(
        f"{p.official.name} ({p.capacity})" if p.capacity else p.official.name
        for p in meeting.participations.all()
    )
    lines = [
        f"Date known only to the {precision}: {meeting.dates_display}." if precision else "",
        meeting.get_kind_display() + ".",
        f"Participants: {participants}." if participants else "",
        meeting.summary,
    ]
    uid = f"meeting-{meeting.pk}@sco-tracker"
    where = location(meeting, meeting.country)
    return event(uid, meeting, meeting.title, where, lines, ctx.url(meeting))


def summit_event(summit, ctx):
    chair = summit.chair_country
    lines = [
        f"{summit.get_council_display()}, {summit.get_format_display().lower()}.",
        f"Chair: {chair.name}." if chair else "",
        summit.outcomes,
    ]
    uid = f"summit-{summit.pk}@sco-tracker"
    where = location(summit, summit.host_country)
    return event(uid, summit, summit.title, where, lines, ctx.url(summit))


CALENDARS = {"meetings": meeting_event, "summits": summit_event}


def calendar_lines(name, events):
    """A VCALENDAR written one VEVENT at a time."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"SCO Tracker: {name}")
    # Calendar programs that subscribe read it again daily.
    daily = datetime.timedelta(days=1)
    calendar.add("refresh-interval", daily, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(daily))
    head, tail = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    yield head
    for item in events:
        yield item.to_ical()
    yield b"END:VCALENDAR" + tail


def calendar(request, listing):
    """The meetings or summits of `listing` under the URL's filters, as iCalendar all-day events."""
    filterset = listing.filterset(request)
    if not filterset.is_valid():
        return bad_filters(filterset, "ics")
    to_event = CALENDARS[listing.name]
    ctx = Context(request, filterset)
    events = (to_event(record, ctx) for record in filterset.qs.iterator(chunk_size=CHUNK_SIZE))
    response = StreamingHttpResponse(
        calendar_lines(listing.name, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sco-tracker-{listing.name}.ics"'
    return response
