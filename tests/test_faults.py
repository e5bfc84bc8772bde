"""The site under faults, as production runs it: gunicorn (deploy/gunicorn.conf.py, 2 workers,
PRODUCTION=1) with a Redis and a PostgreSQL of this test's own, which it kills, pauses, stops,
starts again, locks and restores from a backup; a worker killed mid-save; nginx with the shipped
configuration in front of it, held by slow clients.

Runs with the PostgreSQL suite (DATABASE_URL=postgres://...), which CI makes mandatory
(SCO_REQUIRE_POSTGRES=1); it needs redis-server and PostgreSQL 15's programs (and nginx and
openssl for the slow clients, else that test is skipped), and takes about two minutes. Each
test prints what it measured (pytest -s shows it); the README's "Faults" part reports them.
Times are asserted with generous bounds only: the machine is shared.
"""

import json
import math
import os
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest

from sco_tracker.cache import RETRY_SECONDS
from tests.conftest import REQUIRE_POSTGRES, skip_or_fail
from tests.servers import (
    NGINX,
    POSTGRES_BIN,
    REDIS_SERVER,
    ROOT,
    Browser,
    Postgres,
    Proxy,
    Redis,
    Site,
    form_fields,
    manage,
)

# How long each fault lasts (SCO_FAULT_SECONDS=30 for the figures of the aims).
FAULT_SECONDS = float(os.environ.get("SCO_FAULT_SECONDS", "5"))
# How long a reader waits for a page, and a load balancer for /healthz, before giving up: an
# answer that takes longer counts as no answer (status 0). How long answers took is reported.
READER_PATIENCE = 10
PROBE_PATIENCE = 5
# Connections that never finish a request, held against nginx while a reader reads.
SLOW_CLIENTS = 200
READER_PATHS = ["/", "/meetings/", "/meetings/talks/", "/summits/", "/api/meetings/", "/healthz"]
EDITOR_PASSWORD = "faults-password-1234"
SETUP = f"""
from django.contrib.auth.models import Group, User
from tests.factories import make_meeting, make_participation, with_source
meeting = with_source(make_meeting(title="Talks in Astana", slug="talks", state="published"))
make_participation(meeting=meeting, capacity="Head of delegation")
make_participation(meeting=meeting, capacity="Foreign minister")
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
    # Pages no cache holds, so that each needs a connection: every pooled connection of both
    # workers died with PostgreSQL, and none of them may cost a reader a 503 now.
    paths_after = [f"{path}?ordering=date" for path in ("/meetings/", "/api/meetings/")] * 9
    after = [reader.request(path) for path in paths_after]
    figures = {
        f"{kind}_max_ms": round(max(a[1] for a in got) * 1000) for kind, got in answers.items()
    }
    figures.update(
        requests=sum(len(got) for got in answers.values()),
        cached_page_200=f"{sum(a[0] == 200 for a in answers['cached'])}/{len(answers['cached'])}",
        first_after_restart_ms=round(after[0][1] * 1000),
        failed_after_restart=[
            f"{path} {status}"
            for path, (status, *_) in zip(paths_after, after, strict=True)
            if status != 200
        ],
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


def database(servers, autocommit=True):
    """A connection of the test's own to the site's PostgreSQL, as an operator's psql."""
    return psycopg.connect(servers["postgres"].url, autocommit=autocommit)


def meeting_state(db, meeting):
    """What a save of the meeting changes: its row, its participants and both histories."""
    return {
        "meeting": db.execute(
            "SELECT title, version FROM meetings_meeting WHERE id = %s", [meeting]
        ).fetchone(),
        "participants": db.execute(
            "SELECT id, official_id, capacity FROM meetings_participation"
            " WHERE meeting_id = %s ORDER BY id",
            [meeting],
        ).fetchall(),
        "meeting_history": db.execute(
            "SELECT count(*) FROM meetings_historicalmeeting WHERE id = %s", [meeting]
        ).fetchone()[0],
        "participant_history": db.execute(
            "SELECT count(*) FROM meetings_historicalparticipation WHERE meeting_id = %s",
            [meeting],
        ).fetchone()[0],
    }


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def test_a_worker_killed_mid_save_leaves_the_meeting_as_before_and_the_site_answers(
    servers, editor
):
    site, meeting = servers["site"], servers["meeting"]
    path = f"/admin/meetings/meeting/{meeting}/change/"
    form = form_fields(editor.request(path)[3])
    changes = {"title": "Talks in Dushanbe", "_save": "Save"}
    changes.update({"participations-0-capacity": "Host", "participations-1-capacity": "Guest"})
    with database(servers) as db, database(servers, autocommit=False) as holder:
        before = meeting_state(db, meeting)
        # The save stops at its second participant, whose row an operator holds: by then it has
        # changed the meeting, its history and the first participant, uncommitted.
        holder.execute(
            "SELECT 1 FROM meetings_participation WHERE id = %s FOR UPDATE",
            [form["participations-1-id"][0]],
        )
        with ThreadPoolExecutor(1) as pool:
            saving = pool.submit(editor.request, path, {**form, **changes})
            backend, port = wait_for(
                lambda: db.execute(
                    "SELECT pid, client_port FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE%'"
                ).fetchone(),
                10,
                "the save waiting for the participant",
            )
            worker = site.worker_with_connection(port)
            assert worker, f"no worker has the database connection from port {port}"
            os.kill(worker, signal.SIGKILL)
            killed = time.monotonic()
            saved = saving.result()
        holder.rollback()
        wait_for(
            lambda: (
                not db.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]
                ).fetchone()
            ),
            10,
            "the killed worker's database session ending",
        )
        after_kill = meeting_state(db, meeting)
        reader = Browser(site.url, READER_PATIENCE)
        first = wait_for(
            lambda: (lambda got: got if got[0] == 200 else None)(reader.request("/meetings/")),
            READER_PATIENCE,
            "a page answered",
        )
        answered_after = time.monotonic() - killed
        retried = editor.save(path, **{k: v for k, v in changes.items() if k != "_save"})
        after_retry = meeting_state(db, meeting)
    page = reader.request("/meetings/talks/")
    report(
        "Worker killed mid-save",
        {
            "save_status": saved[0],
            "first_page_after_kill_ms": round(answered_after * 1000),
            "page_ms": round(first[1] * 1000),
            "retry_status": retried[0],
            "retry_ms": round(retried[1] * 1000),
        },
    )
    assert saved[0] == 0  # the editor's connection was cut
    assert after_kill == before  # nothing of the save: not the title, a participant or history
    assert retried[0] == 302
    assert after_retry["meeting"][0] == "Talks in Dushanbe"
    assert [p[2] for p in after_retry["participants"]] == ["Host", "Guest"]
    assert after_retry["meeting_history"] == before["meeting_history"] + 1
    assert after_retry["participant_history"] == before["participant_history"] + 2
    assert page[0] == 200 and "Talks in Dushanbe" in page[3]


def refused(answer):
    status, _, headers, _ = answer
    return status == 503 and headers["Retry-After"] == "30"


def test_with_the_meetings_table_locked_cached_pages_answer_and_the_rest_get_a_prompt_503(
    servers, editor
):
    site, meeting = servers["site"], servers["meeting"]
    path = f"/admin/meetings/meeting/{meeting}/change/"
    read_for(site, 1)  # pages in the cache
    form = form_fields(editor.request(path)[3])
    reader, probe = Browser(site.url, READER_PATIENCE), Browser(site.url, PROBE_PATIENCE)
    answers = {"cached": [], "page": [], "api": [], "healthz": [], "save": []}
    with database(servers, autocommit=False) as holder:
        holder.execute("LOCK TABLE meetings_meeting IN ACCESS EXCLUSIVE MODE")
        locked = time.monotonic()
        while time.monotonic() - locked < FAULT_SECONDS:
            answers["cached"].append(reader.request("/meetings/talks/"))
            answers["page"].append(reader.request("/meetings/?ordering=date"))  # never cached
            answers["api"].append(reader.request("/api/meetings/"))
            answers["healthz"].append(probe.request("/healthz"))
        answers["save"].append(editor.request(path, {**form, "title": "Talks in Osh"}))
        holder.rollback()
    saved = save_title(editor, meeting, "Talks in Osh")
    figures = {
        f"{kind}_max_ms": round(max(a[1] for a in got) * 1000) for kind, got in answers.items()
    }
    figures.update(
        requests=sum(len(got) for got in answers.values()),
        statuses={kind: sorted({a[0] for a in got}) for kind, got in answers.items()},
        save_after_ms=round(saved[1] * 1000),
    )
    report("meetings table locked (ACCESS EXCLUSIVE)", figures)
    assert all(status == 200 for status, *_ in answers["cached"])
    # Each waits DB_LOCK_TIMEOUT_MS (2 s) for the table, not the statement timeout (5 s), then
    # gets the outage's 503.
    assert all(refused(a) for a in answers["page"] + answers["api"] + answers["save"])
    assert "canceling statement due to lock timeout" in site.errors()
    assert "The database is not answering just now" in answers["page"][0][3]
    assert all(status == 200 for status, *_ in answers["healthz"])
    assert saved[0] == 302  # once the lock is gone, the save goes through


def test_with_the_meeting_row_held_readers_are_served_and_the_save_gets_a_prompt_503(
    servers, editor
):
    site, meeting = servers["site"], servers["meeting"]
    path = f"/admin/meetings/meeting/{meeting}/change/"
    form = form_fields(editor.request(path)[3])
    reader = Browser(site.url, READER_PATIENCE)
    with database(servers, autocommit=False) as holder:
        holder.execute("SELECT 1 FROM meetings_meeting WHERE id = %s FOR UPDATE", [meeting])
        reads = read_for(site, 1)
        uncached = reader.request("/meetings/?ordering=date&page=1")
        save = editor.request(path, {**form, "title": "Talks in Khujand", "_save": "Save"})
        holder.rollback()
    saved = save_title(editor, meeting, "Talks in Khujand")
    figures = summary(reads)
    figures.update(save_status=save[0], save_ms=round(save[1] * 1000), save_after=saved[0])
    report("meeting row held (FOR UPDATE)", figures)
    assert figures["5xx"] == 0 and uncached[0] == 200
    assert refused(save)
    assert "The database is not answering just now" in save[3]
    assert saved[0] == 302


def slow_clients(port, count):
    """`count` connections to 127.0.0.1:`port` that never finish a request, each from its own
    address (127.0.0.2 on), as many clients on slow links: a third connect and say nothing, a
    third send their headers a line at a time, a third ask for the meetings list and read none
    of it. Returns the sockets and what each sends next."""
    clients = []
    for n in range(count):
        client = socket.socket()
        client.bind((f"127.0.0.{2 + n}", 0))
        client.connect(("127.0.0.1", port))
        if n % 3 == 0:
            clients.append((client, None))
        elif n % 3 == 1:
            client.sendall(b"GET /meetings/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            clients.append((client, b"X-Slow: 1\r\n"))
        else:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            client.sendall(b"GET /meetings/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            clients.append((client, None))
    return clients


def test_behind_the_shipped_nginx_200_slow_clients_do_not_stop_a_reader(servers):
    if not NGINX.exists():
        pytest.skip(f"needs nginx ({NGINX}): apt-get install nginx-light")
    site = servers["site"]
    # Without the proxy, clients that never finish their headers each hold a thread of gunicorn.
    stuck = [socket.create_connection(("127.0.0.1", site.port)) for _ in range(SLOW_CLIENTS)]
    for client in stuck:
        client.sendall(b"GET / HTTP/1.1\r\n")
    direct = Browser(site.url, 3).request("/meetings/talks/")
    for client in stuck:
        client.close()
    nginx = Proxy(site.port)
    reader = Browser(nginx.url, READER_PATIENCE)
    try:
        nginx.start()
        clients = slow_clients(int(nginx.url.rsplit(":", 1)[1]), SLOW_CLIENTS)
        answers, dropped, started = [], set(), time.monotonic()
        try:
            while time.monotonic() - started < FAULT_SECONDS:
                for n, (client, more) in enumerate(clients):
                    if more and n not in dropped:
                        try:
                            client.sendall(more)
                        except OSError:  # nginx's client_header_timeout (10 s) is up
                            dropped.add(n)
                for path in ("/meetings/talks/", "/meetings/?ordering=date", "/healthz"):
                    status, took, _, body = reader.request(path)
                    answers.append((status, took, body))
                time.sleep(0.5)
            held = nginx.connections()
        finally:
            for client, _ in clients:
                client.close()
    finally:
        nginx.close()
    figures = summary([("", status, took) for status, took, _ in answers])
    figures.update(
        slow_clients=SLOW_CLIENTS,
        held_by_nginx=held,
        headers_cut_off=len(dropped),
        without_proxy=f"{direct[0]} after {direct[1]:.1f} s",
    )
    report("200 slow clients behind nginx", figures)
    assert figures["5xx"] == 0
    assert all(status == 200 for status, _, _ in answers)
    assert any("Talks in" in body for _, _, body in answers)


def test_a_restore_under_reader_traffic_answers_no_error_and_leaves_no_stale_page(
    servers, editor, tmp_path
):
    site, meeting = servers["site"], servers["meeting"]
    env = {**os.environ, **site.env, "PATH": f"{POSTGRES_BIN}:{os.environ['PATH']}"}
    env["BACKUP_DIR"] = str(tmp_path)
    backup = subprocess.run(
        ["bash", "scripts/backup.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=120,
    ).stdout.strip()  # fmt: skip
    with database(servers) as db:
        backed_up = meeting_state(db, meeting)["meeting"][0]
    assert save_title(editor, meeting, "Talks in Tashkent")[0] == 302
    read_for(site, 1)  # the edited pages in the cache
    stop, answers = threading.Event(), []

    def read():
        reader = Browser(site.url, READER_PATIENCE)
        while not stop.is_set():
            for path in READER_PATHS:
                started = time.monotonic()
                answers.append((started, path, *reader.request(path)))

    with ThreadPoolExecutor(2) as pool:
        readers = [pool.submit(read) for _ in range(2)]
        time.sleep(0.5)
        started = time.monotonic()
        restore = subprocess.run(
            ["bash", "scripts/restore.sh", backup], cwd=ROOT, env=env, capture_output=True,
            text=True, timeout=300,
        )  # fmt: skip
        restored = time.monotonic()
        time.sleep(1)
        stop.set()
        for done in readers:
            done.result()
    assert restore.returncode == 0, restore.stderr
    after = [Browser(site.url, READER_PATIENCE).request(path) for path in READER_PATHS]
    during = [a for a in answers if a[0] < restored]
    since = [a for a in answers if a[0] >= restored]
    stale = [a for a in since + [(0, "", *got) for got in after] if "Talks in Tashkent" in a[5]]
    figures = summary([(path, status, took) for _, path, status, took, _, _ in answers])
    figures.update(
        restore_ms=round((restored - started) * 1000),
        during=f"{len(during)}: "
        + ", ".join(
            f"{n} x {status}" for status, n in sorted(Counter(a[2] for a in during).items())
        ),
        after_restore=len(since) + len(after),
        stale_after_restore=len(stale),
    )
    report("restore under reader traffic", figures)
    for _, _, status, _, headers, _ in answers:
        assert status == 200 or (status == 503 and headers["Retry-After"] == "30")
    assert all(status == 200 for status, *_ in after)
    assert stale == []
    assert backed_up in Browser(site.url, READER_PATIENCE).request("/meetings/talks/")[3]


def test_every_5xx_left_a_log_line_with_its_traceback(servers):
    lines = [json.loads(line) for line in servers["site"].errors().splitlines() if line[:1] == "{"]
    errors = [line for line in lines if line["logger"] == "django.request"]
    assert errors, "the outage above answered 503s"
    assert all(line["status"] >= 500 and line["request_id"] for line in errors)
    failures = [line for line in errors if "/healthz" not in line["message"]]
    assert all("Traceback" in line.get("traceback", "") for line in failures)
    assert any("OperationalError" in line.get("traceback", "") for line in errors)
