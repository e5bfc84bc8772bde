"""The site under an anonymous flood, as production runs it: gunicorn (2 sync workers,
PRODUCTION=1, the per-client limits at their defaults) with a Redis and a PostgreSQL of this
test's own, behind what the proxy would send (each client's own X-Forwarded-For, read with
API_NUM_PROXIES=1).

CLIENTS anonymous clients, each from its own address, send whole-record downloads (calendars,
CSV and JSON exports) and cache-busting searches (a new search and a random parameter each time)
for SCO_ABUSE_SECONDS (10 by default; the issue's figure is for 60). Meanwhile a probe asks for
/healthz and a cached list page, and an editor saves a meeting. Runs with the PostgreSQL suite;
needs redis-server and PostgreSQL 15's programs. The figures (p50/p99 of the probe, the clients'
answers by status) are printed (pytest -s shows them); times are not asserted: under a flood on
2 workers an answer may take seconds (the issue's 1 s is not met; see the README), so a request
counts as unanswered (status 0) only after FLOOD_PATIENCE.
"""

import os
import random
import threading
import time
from collections import Counter

import pytest

from tests.servers import Browser
from tests.test_faults import EDITOR_PASSWORD, production_servers, report, save_title, summary

SECONDS = float(os.environ.get("SCO_ABUSE_SECONDS", "10"))
FLOOD_PATIENCE = 30
CLIENTS = 32
DOWNLOADS = ["/meetings.ics", "/meetings/export.csv", "/meetings/export.json",
             "/officials/export.csv", "/summits.ics"]  # fmt: skip
WORDS = ["astana", "talks", "ministers", "council", "summit", "security", "trade", "energy"]
CACHED_PAGE = "/meetings/"


@pytest.fixture(scope="module")
def servers():
    settings = {
        "SECRET_KEY": "abuse-only-secret-key-not-for-production-0123456789",
        "API_NUM_PROXIES": "1",
        "TASKS_BACKEND": "immediate",
    }
    demo = ("generate_demo_data", "--meetings", "2000", "--officials", "200",
            "--initiatives", "50", "--summits", "30", "--seed", "1")  # fmt: skip
    with production_servers(settings, demo) as running:
        yield running


def flood(url, number, until, answers):
    """One anonymous client from its own address: downloads and searches no cache holds."""
    client = Browser(url, FLOOD_PATIENCE, address=f"198.51.100.{number + 1}")
    rng = random.Random(number)
    while time.monotonic() < until:
        if rng.random() < 0.5:
            path = rng.choice(DOWNLOADS)
        else:
            words = "+".join(rng.sample(WORDS, 2))
            path = rng.choice(["/meetings/", "/search/"]) + f"?q={words}&r={rng.random()}"
        status, took, _, _ = client.request(path)
        answers.append((path, status, took))


def probe(url, until, answers):
    """The load balancer's /healthz and a reader of a cached page, from an address of their own."""
    reader = Browser(url, FLOOD_PATIENCE, address="203.0.113.1")
    while time.monotonic() < until:
        for path in ("/healthz", CACHED_PAGE):
            status, took, _, _ = reader.request(path)
            answers.append((path, status, took))
        time.sleep(0.5)


def test_health_check_and_cached_pages_answer_and_an_editor_saves_under_a_flood(servers):
    site = servers["site"]
    editor = Browser(site.url, FLOOD_PATIENCE)
    editor.log_in("editor", EDITOR_PASSWORD)
    assert Browser(site.url, FLOOD_PATIENCE).request(CACHED_PAGE)[0] == 200  # now cached
    until = time.monotonic() + SECONDS
    flooded, probed = [], []
    threads = [
        threading.Thread(target=flood, args=(site.url, n, until, flooded)) for n in range(CLIENTS)
    ]
    threads.append(threading.Thread(target=probe, args=(site.url, until, probed)))
    for thread in threads:
        thread.start()
    time.sleep(SECONDS / 2)
    saved, save_seconds = save_title(editor, servers["meeting"], "Talks under load")
    for thread in threads:
        thread.join()

    statuses = Counter(status for _, status, _ in flooded)
    health = summary([a for a in probed if a[0] == "/healthz"])
    cached = summary([a for a in probed if a[0] == CACHED_PAGE])
    report(
        "anonymous flood",
        {
            "seconds": SECONDS,
            "clients": CLIENTS,
            "flood_requests": len(flooded),
            "flood_statuses": {str(k): v for k, v in sorted(statuses.items())},
            "healthz": health,
            "cached_page": cached,
            "save_status": saved,
            "save_ms": round(save_seconds * 1000),
        },
    )
    # No 5xx and no one left waiting past their patience (status 0), flood included.
    assert not [s for s in statuses if s >= 500 or s == 0], statuses
    assert {status for _, status, _ in probed} == {200}
    assert health["5xx"] == cached["5xx"] == 0
    assert saved == 302
    # The limits held: each client was refused once past its downloads for the minute.
    assert statuses[429] > 0
    page = Browser(site.url, FLOOD_PATIENCE, address="203.0.113.2").request("/meetings/")
    assert page[0] == 200
