"""scripts/restore.sh runs pg_restore again when PostgreSQL ended it for a deadlock with a
reader's query (the attempt was rolled back whole), and gives up with PostgreSQL's message on any
other error or after three attempts. pg_restore here is a stand-in on PATH that fails as told."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEADLOCK = "pg_restore: error: could not execute query: ERROR:  deadlock detected"


def restore(tmp_path, failures, message=DEADLOCK):
    """Run restore.sh with a pg_restore that fails `failures` times with `message`."""
    count = tmp_path / "attempts"
    count.write_text("")
    fake = tmp_path / "bin" / "pg_restore"
    fake.parent.mkdir()
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'echo x >> "{count}"\n'
        f'if [ "$(wc -l < "{count}")" -le {failures} ]; then echo "{message}" >&2; exit 1; fi\n'
    )
    fake.chmod(0o755)
    dump = tmp_path / "sco.dump"
    dump.write_bytes(b"")
    env = {
        **os.environ,
        "PATH": f"{fake.parent}:{os.environ['PATH']}",
        # No database there: the step after pg_restore says so and the script goes on.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    result = subprocess.run(
        ["bash", "scripts/restore.sh", str(dump)], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    return result, len(count.read_text().split())


def test_a_restore_ended_by_a_deadlock_is_run_again(tmp_path):
    result, attempts = restore(tmp_path, failures=2)
    assert result.returncode == 0, result.stderr
    assert attempts == 3
    assert result.stderr.count("deadlocked with a reader's query") == 2


def test_a_restore_that_deadlocks_three_times_fails_with_the_message(tmp_path):
    result, attempts = restore(tmp_path, failures=3)
    assert result.returncode == 1 and attempts == 3
    assert "deadlock detected" in result.stderr


def test_another_error_is_not_tried_again(tmp_path):
    result, attempts = restore(tmp_path, failures=1, message="pg_restore: error: bad file")
    assert result.returncode == 1 and attempts == 1
    assert "bad file" in result.stderr
