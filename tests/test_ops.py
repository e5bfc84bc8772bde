"""The health check and the per-request log line."""

import json
import logging

import pytest
from django.db import OperationalError
from django.urls import reverse

from sco_tracker import ops


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
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


def test_request_lines_go_to_stdout(settings):
    logger = settings.LOGGING["loggers"]["sco_tracker.requests"]
    assert logger["handlers"] == ["stdout"]
    assert settings.LOGGING["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
