"""Measurements `make bench` takes inside Django, written as JSON to the file named first.

Run with the project's Python and DATABASE_URL set to the benchmark database. It picks the records
the benchmark asks for (a busy official, a meeting, the row 20,000 rows down the list), makes an
admin session, counts the list page's queries, times each of them in PostgreSQL (EXPLAIN ANALYZE,
median of several runs) and times the whole page inside Django (median of several renders).
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_tracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from initiatives.models import Initiative, StatusChange  # noqa: E402
from meetings.models import (  # noqa: E402
    Country,
    Meeting,
    Official,
    OfficialName,
    Participation,
    Position,
    Summit,
)

RUNS = int(os.environ.get("BENCH_PROBE_RUNS", "20"))
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
COUNTRY, YEAR = "kz", 2015


def targets():
    meetings = Meeting.objects.published().order_by("-start_date", "-id")
    # Page 1,000 at 20 a page starts with the 20,000th meeting (or the last, on a smaller set).
    deep = meetings.values("start_date", "pk")[min(19_999, meetings.count() - 1)]
    busy = (
        Official.objects.published()
        .annotate(n=Count("participations"))
        .order_by("-n", "id")
        .values("slug", "name", "n")
        .first()
    )
    meeting = meetings.filter(country__slug=COUNTRY).values("slug").first()
    family = busy["name"].split()[-1]
    return {
        "country": COUNTRY,
        "country_id": Country.objects.get(slug=COUNTRY).pk,
        "year": YEAR,
        "meeting": meeting["slug"],
        "official": busy["slug"],
        "official_meetings": busy["n"],
        "search": family,
        "before": f"{deep['start_date'].isoformat()},{deep['pk']}",
        "meetings": meetings.count(),
        "records": {
            "participations": Participation.objects.count(),
            "officials": Official.objects.count(),
            "other spellings": OfficialName.objects.count(),
            "positions": Position.objects.count(),
            "summits": Summit.objects.count(),
            "initiatives": Initiative.objects.count(),
            "status changes": StatusChange.objects.count(),
        },
    }


def admin_session():
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    user.is_staff = user.is_superuser = True
    user.set_password("bench-admin-password")
    user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def explain_ms(sql, params):
    """Median planning + execution time of `sql` in PostgreSQL, in milliseconds."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(RUNS):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            times.append(plan[0]["Planning Time"] + plan[0]["Execution Time"])
    return statistics.median(times)


def measure(client, url):
    """The page's queries (the SQL as sent, timed each in PostgreSQL) and its time in Django."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    sqls = [query["sql"] for query in captured]
    # BEGIN and ROLLBACK frame the facet query's time limit (SET LOCAL): no data is read.
    control = [sql for sql in sqls if sql.startswith(CONTROL)]
    timed = [explain_ms(sql, None) for sql in sqls if not sql.startswith((*CONTROL, "SET"))]
    renders = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        renders.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(sqls) - len(control),
        "transaction_statements": len(control),
        "query_sql": sqls,
        "sql_ms": timed,
        "sql_total_ms": sum(timed),
        "server_ms": statistics.median(renders),
    }


def export_figures(client):
    """Rows, seconds and growth of the peak memory (RSS) of streaming every meeting as CSV."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get("/meetings/export.csv")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return {"rows": lines - 1, "seconds": seconds, "peak_rss_growth_mb": growth / 1024}


def main():
    with connection.cursor() as cursor:
        # Measuring, not serving: the unfiltered facet query may take longer than the limit.
        cursor.execute("SET statement_timeout = 0")
    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    found = targets()
    found["session"] = admin_session()
    client = Client(headers={"X-Forwarded-Proto": "https"})
    pages = {
        "list": "/meetings/",
        "list_filtered": f"/meetings/?country={COUNTRY}&year={YEAR}",
        "list_100": f"/meetings/?country={COUNTRY}&year={YEAR}&per_page=100",
        "list_deep": f"/meetings/?before={found['before']}",
    }
    found["pages"] = {name: measure(client, url) for name, url in pages.items()}
    # The page's main query: its page of meetings.
    main_sql = [
        sql
        for sql in found["pages"]["list_filtered"]["query_sql"]
        if sql.startswith('SELECT "meetings_meeting"."id"') and "LIMIT" in sql
    ]
    found["main_sql"] = main_sql[0]
    found["main_sql_ms"] = explain_ms(main_sql[0], None)
    found["export"] = export_figures(client)
    Path(sys.argv[1]).write_text(json.dumps(found, indent=1, default=str))


if __name__ == "__main__":
    main()
