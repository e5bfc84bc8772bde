"""gunicorn's settings for SCO Tracker: `gunicorn sco_tracker.wsgi -c deploy/gunicorn.conf.py`
(README, Deploying). The number of worker processes comes from `--workers` or WEB_CONCURRENCY.

Each worker serves THREADS requests at once (gthread), so that a cheap request (/healthz, a page
from the cache) never waits in line behind a slow one: a download that streams for a minute holds
one thread, not a whole worker. A worker whose threads are all busy takes no further connection
(worker_connections = threads); the connection waits for a worker with a free thread instead of
queueing behind the busy ones. Each thread may hold a database connection: the pool
(DB_POOL_SIZE, sco_tracker/settings.py) has room for every thread and /healthz's own check.
"""

bind = "127.0.0.1:8000"
worker_class = "gthread"
threads = 8
worker_connections = threads
# nginx opens a connection per request (HTTP/1.0 to the upstream): none is kept alive.
keepalive = 0
# Exports of large sets stream for minutes.
timeout = 120
