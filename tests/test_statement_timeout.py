"""On PostgreSQL each connection carries the statement timeout of DB_STATEMENT_TIMEOUT_MS and
the lock timeout of DB_LOCK_TIMEOUT_MS."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW {setting}')\n"
    "    print(cursor.fetchone()[0])"
)


def show_statement_timeout(user=None, setting="statement_timeout", **env):
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{user or db['USER']}@{host}/postgres"
    unset = ("DB_STATEMENT_TIMEOUT_MS", "DB_LOCK_TIMEOUT_MS")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(DATABASE_URL=url, **env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW.format(setting=setting)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_each_connection_has_the_statement_timeout_it_is_given(postgres_only):
    assert show_statement_timeout(DB_STATEMENT_TIMEOUT_MS="5000") == "5s"


def test_production_connections_default_to_five_seconds(postgres_only):
    production = {"PRODUCTION": "1", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    assert show_statement_timeout(**production) == "5s"


def test_production_connections_wait_two_seconds_at_most_for_a_lock(postgres_only):
    production = {"PRODUCTION": "1", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    assert show_statement_timeout(setting="lock_timeout", **production) == "2s"
    assert show_statement_timeout(setting="lock_timeout", DB_LOCK_TIMEOUT_MS="500") == "500ms"
    assert show_statement_timeout(setting="lock_timeout", DEBUG="1") == "0"


@pytest.fixture
def web_role(postgres_only):
    """A login role with its own statement timeout, as the README's Deploying section makes."""
    role = f"sco_web_test_{os.getpid()}"
    db = connection.settings_dict
    admin = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
        password=db["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )  # fmt: skip
    with admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"ALTER ROLE {role} SET statement_timeout = '5s'")
        try:
            yield role
        finally:
            admin.execute(f"DROP ROLE {role}")


def test_the_web_roles_own_timeout_holds_where_the_site_sets_none(web_role):
    assert show_statement_timeout(user=web_role) == "5s"
    assert show_statement_timeout(user=web_role, DB_STATEMENT_TIMEOUT_MS="2000") == "2s"


def test_a_runaway_query_is_cancelled(postgres_only):
    with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(1)")
