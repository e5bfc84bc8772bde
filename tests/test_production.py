"""PRODUCTION=1: the deploy checks pass, and a missing secret or host list stops the start;
without a secret only DEBUG=1 starts."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "PRODUCTION", "DEBUG"}
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage("check", PRODUCTION="1", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured: PRODUCTION=1 needs SECRET_KEY in the environment." in (
        result.stderr
    )


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = manage("check", PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "PRODUCTION=1 needs ALLOWED_HOSTS in the environment" in result.stderr


def test_without_a_secret_key_the_site_refuses_to_start_unless_debug_is_on():
    result = manage("check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    result = manage("check", DEBUG="0")
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_with_debug_on_the_site_starts_without_a_secret_key_or_host_list():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_outside_production_the_site_starts_with_a_secret_key_and_no_host_list():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
