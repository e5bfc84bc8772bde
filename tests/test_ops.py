"""The health check and the per-request log line."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.urls import reverse

from sco_tracker import ops


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "tasks": {"status": "immediate"}}
    assert "no-cache" in response["Cache-Control"]


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_answers_503_with_the_reason_when_the_database_does_not(client, monkeypatch):
    monkeypatch.setattr(ops, "connection", BrokenConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "message": "The database does not answer: connection refused",
    }


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
