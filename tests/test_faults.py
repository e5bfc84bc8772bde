"""The site under faults, as production runs it: gunicorn (deploy/gunicorn.conf.py, 2 workers,
PRODUCTION=1) with a Redis and a PostgreSQL of this test's own, which it kills, pauses, stops and
starts again.

Runs with the PostgreSQL suite (DATABASE_URL=postgres://...), which CI makes mandatory
(SCO_REQUIRE_POSTGRES=1); it needs redis-server and PostgreSQL 15's programs, and takes about a
minute. Each test prints what it measured (pytest -s shows it); the README's "Faults" part
reports them. Times are asserted with generous bounds only: the machine is shared.
"""

import json
import math
import os
import statistics
import time
from contextlib import contextmanager

import pytest

from sco_tracker.cache import RETRY_SECONDS
from tests.conftest import REQUIRE_POSTGRES, skip_or_fail
from tests.servers import POSTGRES_BIN, REDIS_SERVER, Browser, Postgres, Redis, Site, manage

# How long each fault lasts (SCO_FAULT_SECONDS=30 for the figures of the aims).
FAULT_SECONDS = float(os.environ.get("SCO_FAULT_SECONDS", "5"))
# How long a reader waits for a page, and a load balancer for /healthz, before giving up: an
# answer that takes longer counts as no answer (status 0). How long answers took is reported.
READER_PATIENCE = 10
PROBE_PATIENCE = 5
READER_PATHS = ["/", "/meetings/", "/meetings/talks/", "/summits/", "/api/meetings/", "/healthz"]
EDITOR_PASSWORD = "faults-password-1234"
SETUP = f"""
from django.contrib.auth.models import Group, User
from tests.factories import make_meeting, with_source
meeting = with_source(make_meeting(title="Talks in Astana", slug="talks", state="published"))
user = User.objects.create_user("editor", password="{EDITOR_PASSWORD}", is_staff=True)
user.groups.add(Group.objects.get(name="Editors"))
print(meeting.pk)
"""


@contextmanager
def production_servers(settings, *commands):
    """Redis, PostgreSQL and the site as production runs it (gunicorn, PRODUCTION=1), with
    `settings` added to its environment and the manage.py `commands` run after migrating; yields
    them with the pk of SETUP's meeting."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        skip_or_fail(
            "runs with the PostgreSQL suite: DATABASE_URL=postgres://...", REQUIRE_POSTGRES
        )
    if not REDIS_SERVER.exists() or not (POSTGRES_BIN / "initdb").exists():
        skip_or_fail(f"needs {REDIS_SERVER} and {POSTGRES_BIN}/initdb", REQUIRE_POSTGRES)
    redis, postgres = Redis(), Postgres()
    site = None
    try:
        redis.start()
        postgres.start()
        postgres.create_database()
        env = {
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "PRODUCTION": "1",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "TRUST_X_FORWARDED_PROTO": "1",
            "LOG_LEVEL": "WARNING",
            **settings,
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        for command in commands:
            manage(env, *command)
        meeting_pk = int(manage(env, "shell", "-v0", "-c", SETUP).stdout.strip())
        site = Site(env)
        site.start()
        yield {"redis": redis, "postgres": postgres, "site": site, "meeting": meeting_pk}
    finally:
        if site:
            site.close()
        redis.close()
        postgres.close()


@pytest.fixture(scope="module")
def servers():
    """Redis, PostgreSQL and the site, started once for the module; no per-client limits, as
    every request here comes from one address."""
    settings = {
        "SECRET_KEY": "faults-only-secret-key-not-for-production-0123456789",
        "API_ANON_RATE": "100000/minute",
        "PAGE_RATE": "",
        "DOWNLOAD_RATE": "",
    }
    with production_servers(settings) as running:
        yield running


@pytest.fixture
def editor(servers):
    browser = Browser(servers["site"].url, READER_PATIENCE)
    browser.log_in("editor", EDITOR_PASSWORD)
    return browser


def read_for(site, seconds):
    """Anonymous requests to READER_PATHS, one after another, for `seconds`."""
    reader = Browser(site.url, READER_PATIENCE)
    results = []
    while not results or sum(seconds_ for _, _, seconds_ in results) < seconds:
        for path in READER_PATHS:
            status, took, _, _ = reader.request(path)
            results.append((path, status, took))
    return results


def summary(results):
    times = sorted(took for _, _, took in results)
    return {
        "requests": len(results),
        "5xx": sum(1 for _, status, _ in results if status >= 500 or status == 0),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p99_ms": round(times[math.ceil(len(times) * 0.99) - 1] * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    }


def report(name, figures):
    print(f"\n{name}: {json.dumps(figures)}")
    if os.environ.get("SCO_FAULTS_REPORT"):
        with open(os.environ["SCO_FAULTS_REPORT"], "a") as out:
            out.write(json.dumps({"test": name, **figures}) + "\n")


def save_title(editor, meeting, title):
    status, took, _, _ = editor.save(f"/admin/meetings/meeting/{meeting}/change/", title=title)
    return status, took


def test_pages_and_saves_work_before_any_fault(servers, editor):
    results = read_for(servers["site"], 2)
    assert {status for _, status, _ in results} == {200}
    assert save_title(editor, servers["meeting"], "Talks in Astana")[0] == 302
    report("no fault", summary(results))


def test_with_redis_killed_readers_and_editors_are_served(servers, editor):
    site, redis = servers["site"], servers["redis"]
    read_for(site, 1)  # pages in the cache
    redis.kill()
    try:
        results = read_for(site, FAULT_SECONDS)
        saved, save_seconds = save_title(editor, servers["meeting"], "Talks in Almaty")
        page = Browser(site.url, READER_PATIENCE).request("/meetings/talks/")
        health = json.loads(Browser(site.url, READER_PATIENCE).request("/healthz")[3])
    finally:
        redis.start()
    figures = summary(results)
    report("Redis killed", {**figures, "save_status": saved, "save_ms": round(save_seconds * 1000)})
    assert figures["5xx"] == 0
    assert saved == 302
    assert page[0] == 200 and "Talks in Almaty" in page[3]
    assert health["status"] == "degraded" and health["cache"] == "error"


def test_with_redis_paused_answers_still_come_quickly(servers, editor):
    site, redis = servers["site"], servers["redis"]
    read_for(site, 1)
    redis.pause()
    try:
        results = read_for(site, FAULT_SECONDS)
        saved, save_seconds = save_title(editor, servers["meeting"], "Talks in Bishkek")
        page = Browser(site.url, READER_PATIENCE).request("/meetings/talks/")
    finally:
        redis.resume()
    figures = summary(results)
    report("Redis paused", {**figures, "save_status": saved, "save_ms": round(save_seconds * 1000)})
    assert figures["5xx"] == 0  # each cache call waits 250 ms at most: no reader gave up
    assert saved == 302
    assert page[0] == 200 and "Talks in Bishkek" in page[3]


def test_with_postgres_stopped_each_request_gets_a_503_soon_and_recovers_after(servers, editor):
    site, postgres = servers["site"], servers["postgres"]
    time.sleep(RETRY_SECONDS)  # the workers use Redis again after the test above
    read_for(site, 2)
    reader, probe = Browser(site.url, READER_PATIENCE), Browser(site.url, PROBE_PATIENCE)
    admin_page = f"/admin/meetings/meeting/{servers['meeting']}/change/"
    answers = {"page": [], "api": [], "admin": [], "healthz": [], "cached": []}
    postgres.stop()
    stopped = time.monotonic()
    try:
        while time.monotonic() - stopped < FAULT_SECONDS:
            answers["page"].append(reader.request("/meetings/?ordering=date"))  # never cached
            answers["api"].append(reader.request("/api/meetings/"))
            answers["admin"].append(editor.request(admin_page))
            answers["healthz"].append(probe.request("/healthz"))
            # Cached before: served by a worker that has read the cache generation before.
            answers["cached"].append(reader.request("/meetings/talks/"))
    finally:
        postgres.start()
    after = [reader.request(path) for path in READER_PATHS * 3]
    figures = {
        f"{kind}_max_ms": round(max(a[1] for a in got) * 1000) for kind, got in answers.items()
    }
    figures.update(
        requests=sum(len(got) for got in answers.values()),
        cached_page_200=f"{sum(a[0] == 200 for a in answers['cached'])}/{len(answers['cached'])}",
        first_after_restart_ms=round(after[0][1] * 1000),
        failed_after_restart=[status for status, *_ in after if status != 200],
    )
    report("PostgreSQL stopped, then started", figures)
    # The pool waits DB_CONNECT_TIMEOUT_SECONDS (2 s), not its default 30 s: no one gave up.
    for status, _, headers, _ in answers["page"] + answers["api"] + answers["admin"]:
        assert status == 503 and headers["Retry-After"] == "30"
    assert all(status in (200, 503) for status, *_ in answers["cached"])
    assert "The database is not answering just now" in answers["page"][0][3]
    assert json.loads(answers["api"][0][3])["detail"].startswith("The database is not answering")
    for status, _, _, body in answers["healthz"]:
        assert status == 503
        assert json.loads(body)["database"] == "error"
    assert figures["failed_after_restart"] == []
    assert editor.request("/admin/")[0] == 200  # the editor's session survived


def test_every_5xx_left_a_log_line_with_its_traceback(servers):
    lines = [json.loads(line) for line in servers["site"].errors().splitlines() if line[:1] == "{"]
    errors = [line for line in lines if line["logger"] == "django.request"]
    assert errors, "the outage above answered 503s"
    assert all(line["status"] >= 500 and line["request_id"] for line in errors)
    failures = [line for line in errors if "/healthz" not in line["message"]]
    assert all("Traceback" in line.get("traceback", "") for line in failures)
    assert any("OperationalError" in line.get("traceback", "") for line in errors)
