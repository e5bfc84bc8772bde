import os
import shutil
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from playwright.sync_api import sync_playwright

from sco_tracker.cache import ForgivingRedisCache
from tests.servers import REDIS_SERVER, Redis

# CI sets these to 1, so that a missing PostgreSQL or Chromium fails the run instead of skipping.
REQUIRE_POSTGRES = os.environ.get("SCO_REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("SCO_REQUIRE_BROWSER") == "1"


def skip_or_fail(reason, required):
    if required:
        pytest.fail(f"{reason} (required in this run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def postgres_only(db):
    """For tests of PostgreSQL-only features: skipped on SQLite unless PostgreSQL is required."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: run with DATABASE_URL=postgres://...", REQUIRE_POSTGRES)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed static names need collectstatic; tests read the files straight from static/.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Each test's rows are rolled back without a model signal; tests of the cache turn it on.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Every test's requests come from one address; tests of the limits turn them on.
    settings.PAGE_RATE = settings.DOWNLOAD_RATE = ""
    settings.DOWNLOADS_AT_ONCE = 0


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Derived data is refreshed on commit as the worker would, but in the committing process;
    # tests/test_tasks.py runs a real worker against the database queue.
    from public.tasks import pending

    pending.__dict__.clear()  # changes noted by an earlier test that never committed
    settings.TASKS_BACKEND = "immediate"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english_between_tests():
    # A request to /ru/ leaves Russian active in the thread, as a server's next request would
    # set its own; each test starts in English, so that reverse() gives English addresses.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher is slow on purpose; tests that log users in need not be.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium_executable():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        skip_or_fail("needs Debian's chromium (apt-get install chromium)", REQUIRE_BROWSER)
    return path


@pytest.fixture(scope="module")
def browser(chromium_executable):
    """Debian's Chromium, headless, driven by Playwright for the tests of one module.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    calls from a thread with a running loop unless told that it is safe (it is: the loop only
    drives the browser).
    """
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sco_data_once(django_db_setup, django_db_blocker):
    """The bundled reference tables, loaded once for a test module and rolled back after it.

    The record of meetings (data/record/) is left out: it takes far longer to load, and
    tests/test_record.py loads it once to test it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_sco_data", "--without-record", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def sco_data(sco_data_once, db):
    """Use in a test that reads the bundled data (through the module's single load)."""


@pytest.fixture
def editor(db):
    """A staff user in the Editors group."""
    from tests.factories import make_staff

    return make_staff("Editors")


@pytest.fixture
def publisher(db):
    """A staff user in the Publishers group."""
    from tests.factories import make_staff

    return make_staff("Publishers")


def redis_cache(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "sco_tracker.cache.ForgivingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.CACHES["limits"] = {**settings.CACHES["default"], "KEY_PREFIX": "limits"}
    ForgivingRedisCache.skip_until = 0.0


@pytest.fixture
def own_redis(settings):
    """A redis-server of this test's own."""
    if not REDIS_SERVER.exists():
        pytest.skip(f"needs {REDIS_SERVER}")
    redis = Redis()
    redis.start()
    redis_cache(settings, redis.url)
    yield redis
    redis.close()
    ForgivingRedisCache.skip_until = 0.0
