"""On PostgreSQL every connection carries a statement timeout."""

import pytest
from django.db import OperationalError, connection, transaction


def test_each_connection_has_the_statement_timeout(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "5s"


def test_a_runaway_query_is_cancelled(postgres_only):
    with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(1)")
