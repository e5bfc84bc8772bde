"""Django's PostgreSQL backend with one change to its connection pool (ENGINE
"sco_tracker.postgresql", sco_tracker/settings.py).

With CONN_HEALTH_CHECKS, the pool checks each connection as it leaves the pool. When PostgreSQL
restarts, every idle connection of the pool has died with it, but the pool finds that out one
connection at a time, waiting longer after each dead one (1 s, then 2 s): a request that meets
three dead connections runs out of its DB_CONNECT_TIMEOUT_SECONDS and is answered with a 503,
although PostgreSQL is back. Here the first connection that fails its check has the pool check
every idle connection at once (ConnectionPool.check), which drops the dead ones and opens new
ones in their place, so the request gets a live connection as soon as PostgreSQL answers.
"""

from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        # The pool keeps its check in `_check`; Django sets it to check_connection and offers
        # no option to change it.
        if pool is not None and pool._check is ConnectionPool.check_connection:
            pool._check = checking_all_on_failure(pool)
        return pool


def checking_all_on_failure(pool):
    def check(connection):
        try:
            ConnectionPool.check_connection(connection)
        except Exception:
            pool.check()
            raise

    return check
