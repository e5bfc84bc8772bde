"""The health check and the per-request log line."""

import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading

import pytest
from django.db import OperationalError
from django.urls import reverse

from sco_tracker import ops


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "tasks": {"status": "immediate"},
    }
    assert "no-cache" in response["Cache-Control"]


class BrokenConnection:
    """A database connection (without a pool) that cannot connect."""

    vendor = "sqlite"
    Database = sqlite3

    def cursor(self):
        raise OperationalError("connection refused by 10.0.0.5")

    def close(self):
        pass


def test_healthz_answers_503_when_the_database_does_not_and_logs_why(client, monkeypatch, caplog):
    monkeypatch.setattr(ops, "connection", BrokenConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "cache": "ok",
        "message": "The database does not answer.",
    }
    assert "10.0.0.5" not in response.content.decode()
    assert "connection refused by 10.0.0.5" in caplog.text


class HangingConnection(BrokenConnection):
    """A database that does not answer until the test lets it."""

    def __init__(self):
        self.released = threading.Event()

    def cursor(self):
        self.released.wait()
        raise OperationalError("timed out")


def test_healthz_does_not_wait_for_a_database_that_hangs(client, monkeypatch):
    hanging = HangingConnection()
    monkeypatch.setattr(ops, "connection", hanging)
    try:
        response = client.get(reverse("healthz"))
        # The answer came while the database was still hanging: the check gave up on it.
        assert not hanging.released.is_set()
    finally:
        hanging.released.set()
    assert response.status_code == 503
    assert response.json()["database"] == "error"


class DownCache:
    def available(self):
        return False


@pytest.mark.django_db
def test_healthz_says_degraded_but_serving_when_the_cache_is_down(client, monkeypatch):
    monkeypatch.setattr(ops, "cache", DownCache())
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "error"


@pytest.mark.django_db
def test_each_request_logs_one_json_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="sco_tracker.requests"):
        client.get("/no-such-page/")
    lines = [r.getMessage() for r in caplog.records if r.name == "sco_tracker.requests"]
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert {k: line[k] for k in ("method", "path", "status")} == {
        "method": "GET",
        "path": "/no-such-page/",
        "status": 404,
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_request_lines_go_to_stdout():
    # A process of its own, so that the site's logging setup (not pytest's capture) decides.
    code = (
        "import django; django.setup(); from django.test import Client; "
        "Client(HTTP_HOST='localhost').get('/healthz')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sco_tracker.settings", "LOG_LEVEL": "INFO"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [(line["method"], line["path"]) for line in lines] == [("GET", "/healthz")]


def test_errors_go_to_stderr_as_json_lines_with_the_traceback():
    code = (
        "import django, logging; django.setup()\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('django.request').exception('Internal Server Error: /x')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sco_tracker.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    (line,) = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert line["level"] == "ERROR" and line["logger"] == "django.request"
    assert line["message"] == "Internal Server Error: /x"
    assert "ZeroDivisionError: division by zero" in line["traceback"]


@pytest.mark.django_db
def test_each_request_gets_an_id_in_its_log_line_and_header(client, caplog):
    with caplog.at_level(logging.INFO, logger="sco_tracker.requests"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
        other = client.get("/healthz")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "sco_tracker.requests"]
    assert response["X-Request-ID"] == "abc-123"
    assert [line["request_id"] for line in lines] == ["abc-123", other["X-Request-ID"]]


def test_with_sentry_dsn_set_errors_also_go_to_sentry():
    code = "import django, sentry_sdk; django.setup(); print(sentry_sdk.get_client().is_active())"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sco_tracker.settings",
        "SENTRY_DSN": "https://public@sentry.invalid/1",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "True", done.stderr
