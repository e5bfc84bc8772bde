"""The About page: what the site covers, how current it is, how it is made and how to cite it."""

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.functions import ExtractYear
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from public.registry import kinds


def meeting_coverage():
    """Published meetings counted by kind and year, in one query.

    Returns (kinds, rows): the kinds that occur, as (value, label), and one row per year,
    latest first, as (year, [count per kind], total).
    """
    counts = (
        Meeting.objects.published()
        .annotate(year=ExtractYear("start_date"))
        .values_list("year", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = {}
    for year, kind, n in counts:
        table.setdefault(year, {})[kind] = n
    present = {kind for by_kind in table.values() for kind in by_kind}
    columns = [(value, label) for value, label in Meeting.Kind.choices if value in present]
    rows = [
        (year, [table[year].get(value, 0) for value, _ in columns], sum(table[year].values()))
        for year in sorted(table, reverse=True)
    ]
    totals = [sum(row[1][i] for row in rows) for i in range(len(columns))]
    return columns, rows, totals


def kind_totals():
    """Each public kind's published records and the last change to one: a query per kind."""
    found = []
    for kind in kinds().values():
        figures = kind.model.objects.published().aggregate(n=Count("pk"), last=Max("updated_at"))
        found.append((kind.title, kind.list_url(), figures["n"], figures["last"]))
    return found


def about(request):
    columns, rows, totals = meeting_coverage()
    records = kind_totals()
    changes = [last for _, _, _, last in records if last]
    ctx = {
        "columns": columns,
        "rows": rows,
        "totals": totals,
        "records": records,
        "last_change": max(changes) if changes else None,
        "today": timezone.localdate(),
        "licence_name": settings.DATA_LICENCE_NAME,
        "licence_url": settings.DATA_LICENCE_URL,
        "corrections_url": settings.CORRECTIONS_URL,
        "api_url": reverse("api:api-root"),
        "docs_url": reverse("api:docs"),
    }
    return render(request, "about.html", ctx)
