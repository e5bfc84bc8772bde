"""The shipped gunicorn settings (deploy/gunicorn.conf.py): each worker serves several requests
at once, so that a cheap one does not wait behind a slow one, and the database pool keeps a
connection for each of them and for /healthz's own check."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))


def test_each_worker_serves_requests_in_threads_and_takes_no_more_than_it_has():
    assert GUNICORN["worker_class"] == "gthread"
    assert GUNICORN["threads"] >= 4
    # A worker with every thread busy leaves a new connection to a worker with a free one.
    assert GUNICORN["worker_connections"] == GUNICORN["threads"]


def test_the_database_pool_has_a_connection_for_every_thread_and_the_health_check():
    show = "from sco_tracker import settings; print(json.dumps(settings.DATABASES['default']))"
    environ = {k: v for k, v in os.environ.items() if k != "DB_POOL_SIZE"}
    environ.update(DEBUG="1", DATABASE_URL="postgres://sco@127.0.0.1:5432/sco_tracker")
    done = subprocess.run(
        [sys.executable, "-c", f"import json; {show}"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pool = json.loads(done.stdout.strip().splitlines()[-1])["OPTIONS"]["pool"]
    assert pool["min_size"] == pool["max_size"] > GUNICORN["threads"]
