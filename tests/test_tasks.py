"""Derived data is kept by the task queue: search vectors and facet counts catch up with every
committed change, a failing task is retried and shown to staff, and /healthz says when no worker
is running."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.models import FacetSummary, Official
from public import tasks
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    make_country,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_place,
    with_source,
)

PUBLISHED = "published"
ROOT = Path(__file__).resolve().parent.parent
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    """Tasks wait in the database until a worker takes them, as on a real site."""
    settings.TASKS_BACKEND = "database"
    settings.TASKS = DATABASE_QUEUE


def found(client, query, kind):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    groups = {group.key: group for group in response.context["groups"]}
    return [str(record) for record in groups[kind].results]


def test_a_new_other_spelling_makes_the_official_and_the_meeting_findable(
    client, db, django_capture_on_commit_callbacks
):
    meeting = make_meeting(title="Talks in Beijing", state=PUBLISHED)
    official = make_official(name="Ivan Petrov", state=PUBLISHED)
    make_participation(meeting=meeting, official=official)
    with django_capture_on_commit_callbacks(execute=True):
        make_official_name(official=official, name="Иван Петров")
    assert found(client, "Петров", "officials") == ["Ivan Petrov"]
    # The meeting's document holds its participants' spellings: rebuilt with no call by hand.
    assert found(client, "Петров", "meetings") == [str(meeting)]


def test_a_change_queues_one_task_on_commit_and_the_worker_runs_it(
    transactional_db, database_queue, django_capture_on_commit_callbacks
):
    official = make_official(name="Ivan Petrov", state=PUBLISHED)
    DBTaskResult.objects.all().delete()  # the task of the official's creation
    with transaction.atomic():
        official.name = "Ivan Petrovich"
        official.save()
        make_official_name(official=official, name="I. Petrov")
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    assert queued.task_path == "public.tasks.refresh_derived"
    assert queued.args_kwargs["args"] == [[["official", official.pk]]]

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert FacetSummary.objects.get(name="meetings").facets is not None


def test_a_failing_task_is_queued_again_and_its_error_kept(
    transactional_db, database_queue, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(changes):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "to_refresh", broken)
    with transaction.atomic():  # one committed change: one task
        make_official(name="Ivan Petrov", state=PUBLISHED)
    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)

    failed = DBTaskResult.objects.get(status="FAILED")
    assert "the database went away" in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    # The change itself stays: it was committed before the task was queued.
    assert Official.objects.filter(name="Ivan Petrov").exists()


def test_staff_see_failed_tasks_in_admin(
    admin_client, transactional_db, database_queue, monkeypatch
):
    monkeypatch.setattr(tasks, "to_refresh", lambda changes: 1 / 0)
    tasks.refresh_derived.enqueue([["official", 1]], attempt=tasks.MAX_ATTEMPTS)
    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    page = admin_client.get(admin_url(DBTaskResult, "changelist")).content.decode()
    assert "refresh_derived" in page
    assert "Failed" in page
    (failed,) = DBTaskResult.objects.filter(status="FAILED")
    detail = admin_client.get(admin_url(DBTaskResult, "change", failed.pk)).content.decode()
    assert "ZeroDivisionError" in detail


def test_healthz_says_when_no_worker_takes_the_tasks(client, db, database_queue, settings):
    assert client.get(reverse("healthz")).json()["tasks"]["status"] == "ok"
    tasks.refresh_derived.enqueue([])
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.TASKS_STUCK_SECONDS + 5)
    DBTaskResult.objects.update(run_after=long_ago)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # the pages still serve, with the last counts
    queue = response.json()["tasks"]
    assert queue["status"] == "stuck"
    assert queue["waiting"] == 1
    assert queue["oldest_waiting_seconds"] > settings.TASKS_STUCK_SECONDS


def worker_environment():
    """The environment of a worker process on the test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "database"}


def test_renamed_spellings_and_places_are_searched_after_a_real_worker_runs(
    postgres_only, transactional_db, database_queue, client, admin_user
):
    DBTaskResult.objects.all().delete()
    place = make_place(name="Tselinograd")
    official = with_source(make_official(name="Ivan Petrov", state=PUBLISHED))
    spelling = make_official_name(official=official, name="Иван Петров")
    meeting = with_source(make_meeting(title="Talks", place=place, state=PUBLISHED))
    make_participation(meeting=meeting, official=official)
    from public.search import refresh_all

    refresh_all()
    assert found(client, "Tselinograd", "meetings") == [str(meeting)]
    client.force_login(admin_user)

    # An editor renames the place and the other spelling in admin.
    change = client.get(admin_url(type(place), "change", place.pk))
    response = client.post(
        admin_url(type(place), "change", place.pk), form_data(change, name="Akmola")
    )
    assert response.status_code == 302
    change = client.get(admin_url(Official, "change", official.pk))
    names = {key: value for key, value in form_data(change).items() if value == spelling.name}
    (field,) = names
    response = client.post(
        admin_url(Official, "change", official.pk), form_data(change, **{field: "Иван Петровский"})
    )
    assert response.status_code == 302
    client.logout()
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert found(client, "Akmola", "meetings") == []  # not yet: no worker has run

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0"],
        cwd=ROOT,
        env=worker_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    unfinished = DBTaskResult.objects.exclude(status="SUCCESSFUL")
    assert not unfinished.exists(), [(r.status, r.run_after, r.traceback) for r in unfinished]
    assert found(client, "Akmola", "meetings") == [str(meeting)]
    assert found(client, "Tselinograd", "meetings") == []
    assert found(client, "Петровский", "meetings") == [str(meeting)]


def test_the_numbers_follow_a_change_once_the_task_runs(
    client, db, django_capture_on_commit_callbacks
):
    import datetime as dt

    from insights.models import Aggregate

    make_meeting(start_date=dt.date(2019, 5, 22), state=PUBLISHED)
    first = client.get("/numbers/meetings-per-year.csv").content.decode()
    assert "2019,1,1" in first and "2020,0,0" in first
    assert Aggregate.objects.filter(name__startswith="numbers:meetings-per-year").exists()

    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(start_date=dt.date(2020, 9, 10), state=PUBLISHED)
    # Read from the stored counts, which the task counted again: no fixed staleness.
    assert "2020,1,1" in client.get("/numbers/meetings-per-year.csv").content.decode()


def test_a_new_days_numbers_show_the_last_days_while_the_worker_counts_them(
    client, transactional_db, database_queue
):
    import datetime as dt

    from insights import aggregates
    from insights.models import Aggregate

    make_meeting(start_date=dt.date(2019, 5, 22), state=PUBLISHED)
    assert aggregates.refresh(day=dt.date(2024, 1, 1)) >= 6  # five charts and the pair counts
    make_meeting(start_date=dt.date(2020, 9, 10), state=PUBLISHED)

    page = client.get("/numbers/")
    assert page.status_code == 200
    # Counted for 1 January 2024: said on the page, and today's count waits for the worker,
    # queued once however many readers come.
    assert "These figures are those of 1 January 2024" in page.content.decode()
    client.get("/numbers/")
    queued = DBTaskResult.objects.filter(task_path="insights.tasks.count_figures", status="READY")
    assert queued.count() == 1

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    today = timezone.localdate().isoformat()
    names = set(Aggregate.objects.values_list("name", flat=True))
    assert f"numbers:meetings-per-year:{today}" in names
    assert not any(name.endswith(":2024-01-01") for name in names)  # the earlier day's went
    page = client.get("/numbers/").content.decode()
    assert "These figures are those of" not in page
    assert "2020,1,1" in client.get("/numbers/meetings-per-year.csv").content.decode()


def over_time(*args):
    raise OperationalError("canceling statement due to statement timeout")


def test_a_figure_that_cannot_be_counted_in_a_request_is_queued_for_the_worker(
    client, db, database_queue, monkeypatch
):
    from insights import pairs

    monkeypatch.setattr(pairs, "count_pair_counts", over_time)
    response = client.get("/relations/")
    # Not a fault of the site: the page says the figures are coming, and no cache keeps it.
    assert response.status_code == 200
    assert "The figures of this page are being counted." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    client.get("/relations/")
    queued = DBTaskResult.objects.filter(task_path="insights.tasks.count_figures", status="READY")
    assert queued.count() == 1


@pytest.mark.parametrize(
    "url, counter",
    [
        ("/numbers/", "insights.tables.english"),
        ("/relations/ya/yb/", "insights.pairs.count_pair_figures"),
    ],
)
def test_every_insight_page_says_when_its_figures_are_being_counted(
    client, db, database_queue, monkeypatch, url, counter
):
    make_country(iso_code="YA", slug="ya", name="Aland", state=PUBLISHED)
    make_country(iso_code="YB", slug="yb", name="Bland", state=PUBLISHED)
    monkeypatch.setattr(counter, over_time)

    response = client.get(url)

    assert response.status_code == 200
    assert "The figures of this page are being counted." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    queued = DBTaskResult.objects.filter(task_path="insights.tasks.count_figures", status="READY")
    assert queued.count() == 1


def test_a_tables_csv_asks_to_come_back_while_it_is_being_counted(
    client, db, database_queue, monkeypatch
):
    monkeypatch.setattr("insights.tables.english", over_time)

    response = client.get("/numbers/meetings-per-year.csv")

    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "being counted" in response.content.decode()


def test_the_page_saying_figures_are_being_counted_is_never_cached(
    client, db, database_queue, monkeypatch, settings
):
    from insights import pairs

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    with monkeypatch.context() as patch:
        patch.setattr(pairs, "count_pair_counts", over_time)
        assert "being counted" in client.get("/relations/").content.decode()

    # Counted (by the worker, or here by the next reader): the next reader sees the figures.
    page = client.get("/relations/").content.decode()
    cache.clear()
    assert "being counted" not in page and "Country pairs" in page


def test_a_count_whose_database_does_not_answer_is_a_503(client, db, monkeypatch):
    from insights import aggregates, pairs

    monkeypatch.setattr(pairs, "count_pair_counts", over_time)
    monkeypatch.setattr(aggregates, "queue_count", over_time)
    client.raise_request_exception = False

    response = client.get("/relations/")

    assert response.status_code == 503 and response["Retry-After"]
    assert "being counted" not in response.content.decode()


def test_the_admin_home_says_when_no_worker_takes_the_tasks(admin_client, db, database_queue):
    assert "No task worker" not in admin_client.get("/admin/").content.decode()
    tasks.refresh_derived.enqueue([])
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(hours=1))
    page = admin_client.get("/admin/").content.decode()
    assert "No task worker has taken a task for 3600 seconds (1 waiting)" in page
