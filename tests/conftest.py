import os
import shutil

import pytest
from django.db import connection

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


@pytest.fixture(scope="session")
def chromium_executable():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        skip_or_fail("needs Debian's chromium (apt-get install chromium)", REQUIRE_BROWSER)
    return path
