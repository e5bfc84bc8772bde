"""Times list pages in process: p50 of each page, its ratio to the unfiltered list, and the time of
its facet query, as BENCHMARKS.md reports them ("Facets of filtered lists counted ahead").

Run from the root of the code to measure (its modules are imported from the working directory,
so one copy of this script measures two checkouts in turn), with DEBUG=1 (Django then records each
query and its time) and DATABASE_URL set to the benchmark database:

    DEBUG=1 DATABASE_URL=postgres://... python /path/to/scripts/bench_lists.py out.json [URL ...]

Each page is asked for once to warm up, then REQUESTS times through the test client (no page
cache, rate limits raised). "facet_ms" is the p50 of the summed time of the page's facet queries
(those grouping the facets' options); "left_out" the number of facets dropped at
FACET_TIME_LIMIT_MS.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_tracker.settings")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("PAGE_RATE", "100000/m")
os.environ.setdefault("DOWNLOAD_RATE", "100000/m")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "5"))
PAGES = [
    "/meetings/",
    "/meetings/?participant_country=in",
    "/meetings/?country=in&year=2015",
    "/meetings/?participant_country=tj&topic=demo-environment",
    "/meetings/?kind=bilateral&topic=demo-environment",
    "/meetings/?place=demo-karachi",
    "/meetings/?official=demo-qiang-liu-3013&post=Minister+of+Foreign+Affairs",
    "/meetings/?post=Minister+of+Foreign+Affairs&body=demo-kz-ministry-of-foreign-affairs-of",
]


def is_facet_query(sql):
    return '"facet_count"' in sql


def measure(client, url):
    assert settings.DEBUG, "DEBUG=1 is needed for Django to record the queries' times"
    client.get(url)
    times, facet_times, left_out = [], [], 0
    for _ in range(REQUESTS):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        facet_sql = [q for q in connection.queries if is_facet_query(q["sql"])]
        facet_times.append(sum(float(q["time"]) for q in facet_sql) * 1000)
        # Pages without facets (the insight pages) have none left out.
        facets = response.context.get("facets") or []
        left_out = sum(1 for group in facets if group.get("left_out"))
    return {
        "p50_ms": statistics.median(times),
        "facet_ms": statistics.median(facet_times),
        "left_out": left_out,
        "queries": len(connection.queries),
    }


def main():
    # For response.context, which tells the facets left out (both checkouts alike).
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    urls = sys.argv[2:] or PAGES
    client = Client(HTTP_HOST="localhost")
    found = {
        "code": os.getcwd(),
        "load_average": os.getloadavg(),
        "pages": {url: measure(client, url) for url in urls},
    }
    found["load_average_after"] = os.getloadavg()
    base = found["pages"].get("/meetings/", {}).get("p50_ms")
    for url, figures in found["pages"].items():
        ratio = figures["p50_ms"] / base if base else float("nan")
        print(
            f"{figures['p50_ms']:8.0f} ms  {ratio:5.1f}x  facet {figures['facet_ms']:6.0f} ms  "
            f"left out {figures['left_out']}  {url}"
        )
    print("load average", found["load_average"], "->", found["load_average_after"])
    Path(sys.argv[1]).write_text(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
