"""Counting the queries of a request alike on every database."""

# On PostgreSQL each facet query runs under a time limit: SET LOCAL in a savepoint (inside a
# test's transaction) rolled back afterwards. These statements read no data.
TIME_LIMIT = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET LOCAL")


def data_queries(captured):
    """The SQL of the captured queries that read or write data."""
    return [query["sql"] for query in captured if not query["sql"].startswith(TIME_LIMIT)]
