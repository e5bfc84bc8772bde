"""More than one app server: reads from a replica, and one shared cache in Redis."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, State
from sco_tracker.routers import REPLICA
from tests.admin_forms import admin_url, form_data
from tests.conftest import REQUIRE_POSTGRES, skip_or_fail
from tests.factories import make_editor_without_group, make_meeting, with_source

ROOT = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)
# A database of its own in the Redis on this machine, shared by the two app servers.
REDIS_URL = "redis://127.0.0.1:6379/13"

# Committed rows, seen by the replica's and the other server's connections.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def replica(transactional_db):
    """A "replica" database, as DATABASE_REPLICA_URL adds, that mirrors the test database."""
    # connections.settings is settings.DATABASES, which the router reads.
    connections.settings[REPLICA] = {
        **connections["default"].settings_dict,
        "TEST": {"MIRROR": "default"},
    }
    # Connected here: the test case lets only the databases it was set up with connect lazily.
    connections[REPLICA].connect()
    yield connections[REPLICA]
    connections[REPLICA].close()
    if hasattr(connections[REPLICA], "close_pool"):
        connections[REPLICA].close_pool()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def queries(alias):
    return CaptureQueriesContext(connections[alias])


def sql(captured):
    return " ".join(q["sql"] for q in captured.captured_queries)


@committed
def test_reads_go_to_the_replica_and_writes_to_the_primary(replica, settings):
    # The refresh after the change waits in the queue (it runs in a worker, on the primary).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with queries("default") as primary, queries(REPLICA) as read:
        meeting = make_meeting(title="Talks in Astana")
        found = Meeting.objects.get(pk=meeting.pk)

    assert found.title == "Talks in Astana"
    assert 'INSERT INTO "meetings_meeting"' in sql(primary)
    assert 'FROM "meetings_meeting"' not in sql(primary)
    assert 'FROM "meetings_meeting"' in sql(read)
    assert "INSERT" not in sql(read)


@committed
def test_reads_inside_a_transaction_go_to_the_primary(replica):
    meeting = make_meeting()

    with queries("default") as primary, queries(REPLICA) as read, transaction.atomic():
        Meeting.objects.get(pk=meeting.pk)

    assert 'FROM "meetings_meeting"' in sql(primary)
    assert read.captured_queries == []


@committed
def test_readers_pages_come_from_the_replica_and_editors_pages_from_the_primary(replica):
    meeting = make_meeting(title="Talks in Astana", state=State.PUBLISHED)
    editor = Client()
    editor.force_login(make_editor_without_group())

    with queries("default") as primary, queries(REPLICA) as read:
        page = Client().get(meeting.get_absolute_url())
    assert "Talks in Astana" in page.content.decode()
    assert 'FROM "meetings_meeting"' in sql(read)
    assert primary.captured_queries == []

    with queries("default") as primary, queries(REPLICA) as read:
        page = editor.get(meeting.get_absolute_url())
        editor.get(admin_url(Meeting, "change", meeting.pk))
    assert "Talks in Astana" in page.content.decode()
    assert 'FROM "meetings_meeting"' in sql(primary)
    assert read.captured_queries == []


def test_without_a_replica_everything_uses_the_primary(db):
    assert Meeting.objects.all().db == "default"
    assert REPLICA not in connections


def redis_answers():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def second_server(settings):
    """Another app server on the same PostgreSQL database and Redis, in its own process.

    This process is the first one: its cache is Redis too, with the same page cache.
    """
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: run with DATABASE_URL=postgres://...", REQUIRE_POSTGRES)
    if not redis_answers():
        skip_or_fail("needs Redis on 127.0.0.1:6379", REQUIRE_POSTGRES)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    settings.PAGE_CACHE_SECONDS = 600
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "PAGE_CACHE_SECONDS": "600",
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=5).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the second server did not start:\n{server.stderr.read()}")
                time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def read(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


@committed
def test_an_editors_change_on_one_server_shows_at_once_on_the_other(second_server):
    meeting = with_source(make_meeting(title="Talks in Astana", state=State.PUBLISHED))
    page = second_server + meeting.get_absolute_url()
    assert "Talks in Astana" in read(page)
    assert "Talks in Astana" in read(page)  # now from the shared page cache
    editor = Client()
    editor.force_login(make_editor_without_group())
    url = admin_url(Meeting, "change", meeting.pk)

    saved = editor.post(url, form_data(editor.get(url), title="Talks in Nur-Sultan"))

    assert saved.status_code == 302
    content = read(page)
    assert "Talks in Nur-Sultan" in content
    assert "Talks in Astana" not in content
    assert "Talks in Nur-Sultan" in Client().get(meeting.get_absolute_url()).content.decode()


def test_production_with_several_app_servers_needs_redis():
    production = {"PRODUCTION": "1", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}

    def check(**env):
        return subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={**environ, **production, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    refused = check(APP_SERVERS="2")
    assert refused.returncode != 0
    assert "APP_SERVERS=2 needs REDIS_URL" in refused.stderr
    assert check(APP_SERVERS="2", REDIS_URL=REDIS_URL).returncode == 0
    assert check(APP_SERVERS="1").returncode == 0
