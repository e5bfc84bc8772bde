import csv
import datetime
import functools

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Kind
from meetings.dates import DateError, Precision, format_partial, read_day
from meetings.models import Council, Country, Meeting, Topic
from public.exports import CHUNK_SIZE, csv_cell, csv_lines
from public.filters import choice_error
from public.listing import filter_errors
from public.meetings import MeetingFilter

from . import aggregates, charts, pairs, queries, register, snapshot, tables
from . import timeline as axis


def problem(request, status, title, message):
    """A page saying what was wrong with the address, with the status code to match."""
    ctx = {"title": title, "message": message}
    return render(request, "insights/problem.html", ctx, status=status)


def figures_or_notice(view):
    """`view`, or while a figure it shows waits for the worker to count it (on a large record,
    one whose count runs past a request's statement timeout) a page saying so: a 200, as nothing
    is wrong, that no cache keeps, as the figures come within minutes."""

    @functools.wraps(view)
    def view_or_notice(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except aggregates.NotCounted:
            response = render(request, "insights/counting.html")
            add_never_cache_headers(response)
            return response

    return view_or_notice


def with_params(request, **params):
    """The current query string with `params` replaced."""
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = value
    return f"?{query.urlencode()}"


# Timeline

# Parameters the timeline's own form sets; the others are kept as hidden fields.
FORM_FIELDS = {"from", "to", "participant_country", "topic", "q", "show"}


def timeline(request):
    today = timezone.localdate()
    filterset = MeetingFilter(request.GET, queryset=Meeting.objects.published(), request=request)
    window, shown, errors = axis.read_input(request.GET, today)
    errors += filter_errors(filterset)
    ctx = {
        "filterset": filterset,
        "errors": errors,
        "lanes": axis.LANES,
        "shown": shown,
        "countries": Country.objects.published().order_by("name", "id"),
        "topics": Topic.objects.order_by("name", "id"),
        "selected_countries": request.GET.getlist("participant_country"),
        "selected_topics": request.GET.getlist("topic"),
        "form_fields": FORM_FIELDS,
    }
    if errors:
        return render(request, "insights/timeline.html", ctx, status=400)
    lanes, hidden, truncated = axis.read_lanes(filterset, window, shown)
    marks = sorted((m for _, lane in lanes for m in lane), key=lambda m: (m.start, m.what))
    label = ngettext(
        "Timeline, {window}: {count} record", "Timeline, {window}: {count} records", len(marks)
    ).format(window=window.label, count=len(marks))
    ctx.update(
        window=window,
        marks=marks,
        hidden=hidden,
        truncated=truncated,
        max_marks=axis.MAX_MARKS,
        active_filters=filterset.active_filters(),
        chart=charts.timeline(label, window, lanes, axis.ticks(window)) if lanes else "",
        **navigation(request, window, today),
    )
    return render(request, "insights/timeline.html", ctx)


def navigation(request, window, today):
    """Links that zoom, move and jump, keeping the filters of the page."""

    def url(target):
        return with_params(request, **target.params()) if target else None

    jumps = axis.jumps(window, today)
    return {
        "links": {name: url(target) for name, target in axis.zoom_links(window, today).items()},
        "jumps": {
            group: [(label, url(target), target == window) for label, target in items]
            for group, items in jumps.items()
        },
        "everything": url(axis.default_window(today)),
    }


# Country pairs


@figures_or_notice
def relations(request):
    today = timezone.localdate()
    return render(request, "insights/relations.html", {"today": today, **pairs.matrix(today)})


PAIR_MEETINGS_SHOWN = 100
UNKNOWN_PARTY = _(
    "There is no country or SCO body '{}' on record. A country is written as its ISO code in "
    "lower case (kz for Kazakhstan), an SCO body by its short name (sco-secretariat)."
)


def find_pair(request, a, b):
    """(first party, second party) in canonical order, or the response to give instead: a 404
    for an unknown or doubled party, a redirect to the canonical order."""
    party_a, party_b = pairs.find_party(a), pairs.find_party(b)
    for slug, party in ((a, party_a), (b, party_b)):
        if party is None:
            title = gettext("Unknown country or body")
            return problem(request, 404, title, str(UNKNOWN_PARTY).format(slug))
    if party_a == party_b:
        message = gettext("A pair needs two different parties; both are {name}.")
        return problem(request, 404, gettext("Not a pair"), message.format(name=party_a.name))
    first, second = pairs.canonical(party_a, party_b)
    if (first, second) != (party_a, party_b):
        view = request.resolver_match.view_name
        return redirect(view, a=first.slug, b=second.slug, permanent=True)
    return first, second


@figures_or_notice
def pair(request, a, b):
    found = find_pair(request, a, b)
    if isinstance(found, HttpResponse):
        return found
    first, second = found
    figures = pairs.pair_figures(first, second)
    years = dict(figures["years"])
    total = sum(years.values())
    ctx = {"a": first, "b": second, "total": total}
    if total:
        categories = list(range(min(years), max(max(years), timezone.localdate().year) + 1))
        label = gettext("Meetings between {first} and {second} per year").format(
            first=first.name, second=second.name
        )
        ctx.update(
            chart=charts.stacked_bars(
                label,
                categories,
                [(gettext("Meetings"), [years.get(year, 0) for year in categories])],
                chart_id="pair-chart",
                unit=UNITS["meetings-per-year"],
            ),
            years=[(year, years.get(year, 0)) for year in categories],
            meetings=pairs.meetings_between(first, second)
            .select_related("place")
            .prefetch_related("place__names")
            .order_by("-start_date", "-id")[:PAIR_MEETINGS_SHOWN],
            topics=figures["topics"],
            officials=figures["officials"],
            more_officials=figures["more_officials"],
        )
    return render(request, "insights/pair.html", ctx)


PAIR_OFFICIAL_COLUMNS = ("official", "slug", "representing", "meetings")


def pair_officials_csv(request, a, b):
    """Every official of a pair's meetings as CSV, streamed from values rows."""
    found = find_pair(request, a, b)
    if isinstance(found, HttpResponse):
        return found
    first, second = found
    rows = pairs.officials_of(pairs.meetings_between(first, second))
    records = (
        {
            "official": row["official__name"],
            "slug": row["official__slug"],
            "representing": row["organization__short_name"]
            or row["organization__name"]
            or row["country__name"],
            "meetings": row["meeting_count"],
        }
        for row in rows.iterator(chunk_size=CHUNK_SIZE)
    )
    response = StreamingHttpResponse(
        csv_lines(PAIR_OFFICIAL_COLUMNS, records), content_type="text/csv; charset=utf-8"
    )
    name = f"sco-tracker-officials-{first.slug}-{second.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The SCO on a date


def record_end(today):
    """The last day a date page answers for: a year from today."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def on_today(request):
    """/on/?day=YYYY-MM-DD (the form on a date page) or /on/ (today): to the day's page."""
    day = request.GET.get("day", "").strip() or timezone.localdate().isoformat()
    try:
        date = read_day(day)
    except DateError as error:
        return problem(request, 400, gettext("Not a date"), str(error))
    return redirect("insights:on_date", day=date.isoformat())


def on_date(request, day):
    try:
        date = read_day(day)
    except DateError as error:
        return problem(request, 400, gettext("Not a date"), str(error))
    today = timezone.localdate()
    first, last = queries.RECORD_START, record_end(today)
    if not first <= date <= last:
        message = gettext(
            "{day} is outside the record, which runs from {first} (the first Shanghai Five "
            "meeting) to {last}."
        ).format(day=format_partial(date), first=format_partial(first), last=format_partial(last))
        return problem(request, 404, gettext("Outside the record"), message)
    sessions = snapshot.sessions_around(date)
    chair, chair_summit = snapshot.chair_on(date, sessions)
    posts = snapshot.sco_posts_on(date)
    monday, sunday, week = snapshot.meetings_in_week(date)
    week = list(week)
    one_day = datetime.timedelta(days=1)
    ctx = {
        "day": date,
        "today": today,
        "groups": snapshot.countries_on(date),
        "sessions": sessions,
        "chair": chair,
        "chair_summit": chair_summit,
        "secretaries_general": [
            position
            for post, positions in posts
            if post.title == queries.SECRETARY_GENERAL
            for position in positions
        ],
        "posts": posts,
        "monday": monday,
        "sunday": sunday,
        "week_meetings": [m for m in week if m.date_precision == Precision.DAY],
        "rough_meetings": [m for m in week if m.date_precision != Precision.DAY],
        "previous_day": date - one_day if date > first else None,
        "next_day": date + one_day if date < last else None,
    }
    return render(request, "insights/on_date.html", ctx)


# Summit outcome register


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", _("Any kind")), *Kind.choices],
        required=False,
        error_messages={"invalid_choice": choice_error("kind", Kind)},
    )
    council = forms.ChoiceField(
        choices=[("", _("Any council")), *Council.choices],
        required=False,
        error_messages={"invalid_choice": choice_error("council", Council)},
    )


# The register of the latest sessions; the initiatives list and its download hold every document.
OUTCOMES_SHOWN = 300


def outcomes(request):
    form = OutcomeForm(request.GET)
    if not form.is_valid():
        errors = [
            f"{form.fields[name].label or name}: {' '.join(messages)}"
            for name, messages in form.errors.items()
        ]
        return render(
            request, "insights/outcomes.html", {"form": form, "errors": errors}, status=400
        )
    documents = register.documents()
    if form.cleaned_data["kind"]:
        documents = documents.filter(kind=form.cleaned_data["kind"])
    if form.cleaned_data["council"]:
        documents = documents.filter(adopted_at__council=form.cleaned_data["council"])
    rows = list(documents[: OUTCOMES_SHOWN + 1])
    summits, by_kind = register.by_summit(rows[:OUTCOMES_SHOWN])
    capped = len(rows) > OUTCOMES_SHOWN
    if capped:
        # Every session shown is shown whole; the counts are of every document.
        summits = summits[:-1] or summits
        by_kind = register.kinds_of(documents)
    ctx = {
        "form": form,
        "summits": summits,
        "count": sum(count for _, _, count in by_kind),
        "shown": sum(len(shown) for _, shown in summits),
        "capped": capped,
        "by_kind": by_kind,
        "filtered": bool(form.cleaned_data["kind"] or form.cleaned_data["council"]),
    }
    return render(request, "insights/outcomes.html", ctx)


# Numbers

UNITS = {
    "meetings-per-year": lambda count: ngettext("meeting", "meetings", count),
    "sessions-per-year": lambda count: ngettext("session", "sessions", count),
    "initiatives-by-status": lambda count: ngettext("initiative", "initiatives", count),
}


def draw(name, table):
    if table.kind == "ranking":
        rows = [
            (row[0], link, row[1 : 1 + len(table.series)])
            for row, link in zip(table.rows, table.links, strict=True)
        ]
        return charts.horizontal_bars(table.title, rows, table.series, chart_id=name)
    series = [(label, table.values(i)) for i, label in enumerate(table.series)]
    categories = [row[0] for row in table.rows]
    unit = UNITS.get(name, charts.records)
    return charts.stacked_bars(table.title, categories, series, chart_id=name, unit=unit)


@figures_or_notice
def numbers(request):
    today = timezone.localdate()
    figures, counted_on = [], today
    for name in tables.NUMBERS:
        table, day = tables.numbers_table(name, today)
        counted_on = min(counted_on, day)
        figures.append(
            {
                "name": name,
                "table": table,
                "rows": list(zip(table.rows, table.links, strict=True)),
                "chart": draw(name, table) if table.rows else "",
                "legend": charts.legend(table.series) if len(table.series) > 1 else "",
                "csv_url": tables.chart_url(name),
            }
        )
    return render(
        request,
        "insights/numbers.html",
        {"figures": figures, "today": today, "counted_on": counted_on},
    )


def numbers_csv(request, chart):
    if chart not in tables.NUMBERS:
        names = ", ".join(tables.NUMBERS)
        message = gettext("There is no chart '{chart}': use {names}.")
        return problem(
            request, 404, gettext("No such chart"), message.format(chart=chart, names=names)
        )
    try:
        table, __ = tables.numbers_table(chart, timezone.localdate())
    except aggregates.NotCounted:
        # A download, read by programs too: the status and Retry-After say when to ask again.
        message = gettext("This table is being counted; please try again in a minute or two.")
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sco-tracker-{chart}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    writer.writerows([csv_cell(cell) for cell in row] for row in table.rows)
    return response
