"""The site under an anonymous flood, as production runs it and as the README says to run it:
nginx with the shipped configuration (deploy/nginx.conf: limits per address and over all
clients) in front of gunicorn with the shipped settings (deploy/gunicorn.conf.py: threads) and
2 workers, PRODUCTION=1, the site's own limits at their defaults, with a Redis and a PostgreSQL
of this test's own (tests.servers.Proxy says what differs from the shipped proxy: no TLS).

CLIENTS anonymous clients, each connecting from its own address (127.0.1.n), send whole-record
downloads (calendars, CSV and JSON exports) and cache-busting searches (a new search and a random
parameter each time), one after another without pause, for SCO_ABUSE_SECONDS (10 by default; the
issue's figure is for 60). Meanwhile a probe asks for /healthz (on the proxy's plain-HTTP server,
as a load balancer does) and a cached list page, twice a second, and an editor saves a meeting.
The probe runs in a process of its own, so that the flood's client threads do not slow the
measuring. Runs with the PostgreSQL suite; needs nginx, redis-server and PostgreSQL 15's programs.
The figures (p50/p99 of the probe, the clients' answers by status and by who refused them) are
printed (pytest -s shows them); times are not asserted, as the machine is shared: a request
counts as unanswered (status 0) only after FLOOD_PATIENCE.
"""

import multiprocessing
import os
import random
import threading
import time
from collections import Counter

import pytest

from tests.servers import NGINX, Browser, Proxy
from tests.test_faults import EDITOR_PASSWORD, production_servers, report, save_title, summary

SECONDS = float(os.environ.get("SCO_ABUSE_SECONDS", "10"))
FLOOD_PATIENCE = 30
CLIENTS = 32
DOWNLOADS = ["/meetings.ics", "/meetings/export.csv", "/meetings/export.json",
             "/officials/export.csv", "/summits.ics"]  # fmt: skip
WORDS = ["astana", "talks", "ministers", "council", "summit", "security", "trade", "energy"]
CACHED_PAGE = "/meetings/"
# The first words of the proxy's own refusal (deploy/nginx.conf, @too_many).
PROXY_REFUSAL = "Too many requests just now"


@pytest.fixture(scope="module")
def servers():
    if not NGINX.exists():
        pytest.skip(f"needs nginx ({NGINX}), which the flood goes through")
    settings = {
        "SECRET_KEY": "abuse-only-secret-key-not-for-production-0123456789",
        "API_NUM_PROXIES": "1",
        "TASKS_BACKEND": "immediate",
    }
    demo = ("generate_demo_data", "--meetings", "2000", "--officials", "200",
            "--initiatives", "50", "--summits", "30", "--seed", "1")  # fmt: skip
    with production_servers(settings, demo) as running:
        proxy = Proxy(running["site"].port)
        try:
            proxy.start()
            yield {**running, "proxy": proxy}
        finally:
            proxy.close()


def client(proxy, number, until, answers):
    """One anonymous client from its own address: downloads and searches no cache holds."""
    browser = proxy.browser(f"127.0.1.{number + 1}", FLOOD_PATIENCE)
    rng = random.Random(number)
    while time.monotonic() < until:
        if rng.random() < 0.5:
            path = rng.choice(DOWNLOADS)
        else:
            words = "+".join(rng.sample(WORDS, 2))
            path = rng.choice(["/meetings/", "/search/"]) + f"?q={words}&r={rng.random()}"
        status, took, headers, body = browser.request(path)
        refused_by = "proxy" if body.startswith(PROXY_REFUSAL) else "site"
        answers.append((path, status, took, refused_by, headers.get("Retry-After")))


def flood(proxy, until, results):
    """CLIENTS clients, each a thread, in a process of their own at the lowest CPU priority: an
    attacker's clients run on machines of their own, not on the server's CPUs, which this
    machine shares with them. The answers are put on `results` at the end."""
    os.nice(19)
    answers = []
    threads = [
        threading.Thread(target=client, args=(proxy, n, until, answers)) for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(answers)


def probe(proxy, until, results):
    """The load balancer's /healthz and a reader of a cached page, from an address of their own,
    twice a second; (path, status, seconds) of each answer are put on `results` at the end."""
    health = Browser(proxy.health_url, FLOOD_PATIENCE, source="127.0.2.1")
    reader = proxy.browser("127.0.2.2", FLOOD_PATIENCE)
    answers = []
    while time.monotonic() < until:
        for browser, path in ((health, "/healthz"), (reader, CACHED_PAGE)):
            status, took, _, _ = browser.request(path)
            answers.append((path, status, took))
        time.sleep(0.5)
    results.put(answers)


def test_health_check_and_cached_pages_answer_and_an_editor_saves_under_a_flood(servers):
    proxy = servers["proxy"]
    editor = proxy.browser("127.0.3.1", FLOOD_PATIENCE)
    editor.log_in("editor", EDITOR_PASSWORD)
    assert proxy.browser("127.0.3.2", FLOOD_PATIENCE).request(CACHED_PAGE)[0] == 200  # now cached
    until = time.monotonic() + SECONDS
    # Forked before any thread of this test starts.
    fork = multiprocessing.get_context("fork")
    flood_answers, probe_answers = fork.Queue(), fork.Queue()
    processes = [
        fork.Process(target=flood, args=(proxy, until, flood_answers)),
        fork.Process(target=probe, args=(proxy, until, probe_answers)),
    ]
    for process in processes:
        process.start()
    time.sleep(SECONDS / 2)
    saved, save_seconds = save_title(editor, servers["meeting"], "Talks under load")
    # Once the flood and the probe are done (their last requests may wait their patience).
    flooded = flood_answers.get(timeout=SECONDS + FLOOD_PATIENCE + 30)
    probed = probe_answers.get(timeout=FLOOD_PATIENCE + 30)
    for process in processes:
        process.join(timeout=10)

    statuses = Counter(status for _, status, *_ in flooded)
    refusals = Counter(refused_by for _, status, _, refused_by, _ in flooded if status == 429)
    health = summary([a for a in probed if a[0] == "/healthz"])
    cached = summary([a for a in probed if a[0] == CACHED_PAGE])
    report(
        "anonymous flood",
        {
            "seconds": SECONDS,
            "clients": CLIENTS,
            "flood_requests": len(flooded),
            "flood_statuses": {str(k): v for k, v in sorted(statuses.items())},
            "flood_429_by": dict(refusals),
            "flood_200_by_kind": dict(
                Counter("search" if "?q=" in p else "download" for p, s, *_ in flooded if s == 200)
            ),
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
    # The limits held, and every refusal, the proxy's and the site's, says when to try again.
    assert statuses[429] > 0
    assert all(retry for _, status, _, _, retry in flooded if status == 429)
    page = proxy.browser("127.0.3.3", FLOOD_PATIENCE).request(CACHED_PAGE)
    assert page[0] == 200
