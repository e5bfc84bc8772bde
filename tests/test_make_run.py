"""`make serve`, the serving half of `make run`, as a person runs it on a fresh machine: no
SECRET_KEY, no DEBUG. The site's own 404 page, static files, a local key made on the way."""

import os
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.servers import ROOT, answers, free_port, wait_until

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def get(url):
    """(status, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served():
    """The site as `make serve` runs it, on a migrated empty SQLite database, without SECRET_KEY
    or DEBUG in the environment."""
    folder = Path(tempfile.mkdtemp(prefix="sco-make-run-"))
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DEBUG", "PRODUCTION", "DATABASE_URL", "REDIS_URL"}
        and not name.startswith(("MAKE", "DJANGO_"))
    }
    env["DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    subprocess.run(
        [ROOT / ".venv/bin/python", "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env={**env, "SECRET_KEY": "only-for-the-migration"}, check=True, timeout=300,
    )  # fmt: skip
    port = free_port()
    key_file = folder / "secret-key"
    # -o: the shared virtualenv is taken as installed, so make does not reinstall it.
    process = subprocess.Popen(
        ["make", "-o", ".venv/.installed", "serve", f"PORT={port}", f"SECRET_KEY_FILE={key_file}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until(lambda: answers(port) or process.poll() is not None, 180, "make serve")
        assert process.poll() is None, process.stderr.read()
        yield f"http://127.0.0.1:{port}", key_file
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def test_make_serve_shows_the_sites_own_404_and_serves_static_files(served):
    url, key_file = served
    status, page = get(url + "/meetigns/")
    assert status == 404
    assert "Page not found" in page and "SCO Tracker" in page
    assert "URLconf" not in page and "DEBUG = True" not in page  # not Django's debug page
    status, home = get(url + "/")
    assert status == 200
    stylesheet = home.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/css/site.") and stylesheet != "/static/css/site.css"
    status, css = get(url + stylesheet)  # the hashed name of the manifest storage
    assert status == 200 and ".site-footer" in css
    assert len(key_file.read_text().strip()) >= 50  # a local key, made on the first run
