"""The addresses of `make bench`'s page matrix, written as JSON to the file named first.

Run with the project's Python and DATABASE_URL set to the benchmark database. It picks, from the
data, a value for every filter of the meetings list (the most common one, so that each filter
selects as many meetings as it can), the busiest record of every detail kind, and builds the
matrix: each filter alone and with one other, a short and a long search, every detail and
insight page, the API's lists and every download, unfiltered and filtered. Each entry is
[group, name, address].
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from initiatives.models import Initiative  # noqa: E402
from meetings.models import Meeting, Official, Participation  # noqa: E402


def most(queryset, field):
    """The most common value of `field` in `queryset` (ties broken by the value)."""
    row = (
        queryset.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(n=Count("pk"))
        .order_by("-n", field)
        .first()
    )
    return row[field] if row else None


def filters():
    """{parameter: value} for every filter of the meetings list, each at its busiest value."""
    meetings = Meeting.objects.published()
    participations = Participation.objects.filter(meeting__state="published")
    year = most(meetings, "start_date__year")
    month = (
        meetings.filter(start_date__year=year)
        .annotate(m=TruncMonth("start_date"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by("-n", "m")
        .first()["m"]
    )
    return {
        "year": year,
        "month": month.strftime("%Y-%m"),
        "date_after": f"{year}-01-01",
        "date_before": f"{year}-06-30",
        "country": most(meetings, "country__slug"),
        "place": most(meetings, "place__slug"),
        "participant_country": most(participations, "country__slug"),
        "official": most(participations, "official__slug"),
        "post": most(participations, "position__post__title"),
        "body": most(participations, "position__post__organization__slug"),
        "kind": most(meetings, "kind"),
        "topic": most(meetings, "topics__slug"),
        "summit": most(meetings, "summit__slug"),
        "initiative": most(
            Initiative.meetings.through.objects.filter(initiative__state="published"),
            "initiative__slug",
        ),
    }


def address(path, **params):
    return f"{path}?{urlencode(params)}" if params else path


def matrix():
    chosen = filters()
    names = list(chosen)
    pages = [("list", "unfiltered", "/meetings/")]
    for name in names:
        pages.append(("list", name, address("/meetings/", **{name: chosen[name]})))
    # Each filter with the next one (the last with the first): every filter once in a pair.
    for first, second in zip(names, names[1:] + names[:1], strict=True):
        if {first, second} == {"date_after", "date_before"}:
            continue
        params = {first: chosen[first], second: chosen[second]}
        pages.append(("list", f"{first}+{second}", address("/meetings/", **params)))
    official = Official.objects.published().get(slug=chosen["official"])
    family = official.name.split()[-1]
    long_search = "Ministers of Foreign Affairs on regional security and cooperation"
    pages += [
        ("list", "per_page=100", "/meetings/?per_page=100"),
        ("list", "ordering=date", "/meetings/?ordering=date"),
        ("list", "page 50", "/meetings/?page=50"),
        ("search", "list q short", address("/meetings/", q=family)),
        ("search", "list q long", address("/meetings/", q=long_search)),
        ("search", "list q + country", address("/meetings/", q=family, country=chosen["country"])),
        ("search", "site search short", address("/search/", q=family)),
        ("search", "site search long", address("/search/", q=long_search)),
    ]

    meeting = (
        Meeting.objects.published()
        .annotate(n=Count("participations"))
        .order_by("-n", "-id")
        .values("slug")
        .first()
    )
    busiest = {
        "meeting": f"/meetings/{meeting['slug']}/",
        "official": f"/officials/{chosen['official']}/",
        "summit": f"/summits/{chosen['summit']}/",
        "initiative": f"/initiatives/{chosen['initiative']}/",
        "country": f"/countries/{chosen['participant_country']}/",
    }
    pages += [("detail", kind, path) for kind, path in busiest.items()]
    pages.append(("detail", "meeting cite", f"/meetings/{meeting['slug']}/cite.bib"))

    # The pair of member states with the most meetings together: the busiest pair page.
    countries = list(
        Participation.objects.filter(meeting__state="published")
        .values("country__slug")
        .annotate(n=Count("meeting", distinct=True))
        .order_by("-n", "country__slug")
        .values_list("country__slug", flat=True)[:2]
    )
    day = most(Meeting.objects.published(), "start_date")
    pages += [
        ("insight", "home", "/"),
        ("insight", "timeline", "/timeline/"),
        ("insight", "relations", "/relations/"),
        ("insight", "pair", f"/relations/{countries[0]}/{countries[1]}/"),
        ("insight", "on a day", f"/on/{day.isoformat()}/"),
        ("insight", "outcomes", "/summits/outcomes/"),
        ("insight", "numbers", "/numbers/"),
        ("insight", "map", "/map/"),
    ]
    for kind in ("summits", "officials", "countries", "initiatives"):
        pages.append(("other lists", kind, f"/{kind}/"))
    for kind in ("meetings", "summits", "officials", "initiatives", "countries"):
        pages.append(("api", kind, f"/api/{kind}/"))
    pages.append(("api", "meetings filtered", address("/api/meetings/", country=chosen["country"])))
    pages.append(("api", "meetings search", address("/api/meetings/", q=family)))

    narrow = {"country": chosen["country"], "year": chosen["year"]}
    for fmt in ("csv", "json"):
        pages.append(("export", f"{fmt}", f"/meetings/export.{fmt}"))
        pages.append(("export", f"{fmt} filtered", address(f"/meetings/export.{fmt}", **narrow)))
    pages += [
        ("export", "ics", "/meetings.ics"),
        ("export", "ics filtered", address("/meetings.ics", country=chosen["country"])),
        ("export", "feed", "/meetings/feed/"),
        ("export", "feed filtered", address("/meetings/feed/", country=chosen["country"])),
        ("export", "officials csv", "/officials/export.csv"),
        ("export", "summits csv", "/summits/export.csv"),
        ("export", "initiatives csv", "/initiatives/export.csv"),
        ("export", "pair officials csv", f"/relations/{countries[0]}/{countries[1]}/officials.csv"),
    ]
    return {"filters": {k: str(v) for k, v in chosen.items()}, "pages": pages}


if __name__ == "__main__":
    # Picking the busiest records groups every meeting: at 1,000,000 meetings that takes longer
    # than the site's statement timeout, which is for requests.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    Path(sys.argv[1]).write_text(json.dumps(matrix(), indent=1, default=str))
