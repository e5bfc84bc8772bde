"""Large imports: other editors keep saving while one runs, a large confirmed file is imported by
the task queue with its progress shown to its uploader only, and files past the row cap or
expired are refused with a reason."""

import os
import threading
import time
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction

from editorial import import_jobs
from editorial.admin import imports
from editorial.admin.imports import GONE, UPLOAD_SECONDS
from editorial.resources import MeetingResource
from meetings.models import CacheGeneration, FacetSummary, Meeting, Participation
from public import tasks
from tests.admin_forms import admin_url, logged_in
from tests.factories import make_editor_without_group, make_meeting, make_official, make_staff
from tests.test_import import (
    confirm,
    import_file,
    messages_of,
    page_text,
    upload,
)
from tests.test_tasks import DATABASE_QUEUE, found

# The other editor's save waits at most this long for a lock, then fails (instead of hanging).
LOCK_WAIT = "5s"


def meetings_dataset(rows, participant="zhang-ming"):
    data = tablib.Dataset(headers=["slug", "title", "kind", "start_date", "participants"])
    for number in range(rows):
        data.append([f"imported-{number}", f"Imported {number}", "call", "2022-06-04", participant])
    return data


def in_thread(target):
    """Runs `target` in a thread with its own database connection; returns (thread, outcome)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as error:  # reported by the test, not lost in the thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_another_editor_saves_while_an_import_is_still_running(
    postgres_only, transactional_db, dry_run
):
    make_official(name="Zhang Ming", slug="zhang-ming")
    other = make_meeting(title="Talks in Astana")
    editor = make_editor_without_group()
    halfway, saved = threading.Event(), threading.Event()
    seen = {}

    def pause(number):
        if number == 10:
            halfway.set()
            # The import holds its transaction open until the other save is done (or gives up).
            seen["other save done mid-import"] = saved.wait(15)

    def run_import():
        resource = MeetingResource(on_row=pause)
        return resource.import_data(
            meetings_dataset(20),
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=editor,
            file_name="meetings.csv",
        )

    importing, imported = in_thread(run_import)
    assert halfway.wait(30), imported

    def other_save():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            meeting = Meeting.objects.get(pk=other.pk)
            meeting.title = "Talks in Astana, renamed"
            meeting.save()
        saved.set()

    saving, outcome = in_thread(other_save)
    saving.join(30)
    importing.join(60)

    assert "error" not in outcome, outcome.get("error")
    assert seen == {"other save done mid-import": True}
    assert "error" not in imported, imported.get("error")
    assert not imported["value"].has_errors()
    assert Meeting.objects.get(pk=other.pk).title == "Talks in Astana, renamed"
    assert Meeting.objects.filter(slug__startswith="imported-").count() == (0 if dry_run else 20)


@pytest.mark.parametrize("max_changes", [2000, 1], ids=["what-it-touched", "everything"])
def test_imported_records_are_found_by_search_once_the_import_commits(
    db, client, monkeypatch, django_capture_on_commit_callbacks, max_changes
):
    monkeypatch.setattr(tasks, "MAX_CHANGES", max_changes)
    with django_capture_on_commit_callbacks(execute=True):
        make_official(name="Zhang Ming", slug="zhang-ming", state="published")
    generation = CacheGeneration.objects.get().value
    content = (
        "slug,title,kind,start_date,participants,sources,state\n"
        "samarkand-talks,Talks in Samarkand,call,2022-06-04,zhang-ming,https://example.org/a,"
        "published\n"
        "tashkent-talks,Talks in Tashkent,call,2022-06-05,zhang-ming,https://example.org/b,"
        "published\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        import_file(logged_in(make_staff("Publishers")), Meeting, content)

    assert CacheGeneration.objects.get().value != generation
    # A meeting's search document holds its participants' names.
    assert sorted(found(client, "Zhang", "meetings")) == [
        "Talks in Samarkand (4 June 2022)",
        "Talks in Tashkent (5 June 2022)",
    ]
    assert FacetSummary.objects.get(name="meetings").facets is not None


# A large confirmed file, imported by the task queue


@pytest.fixture
def database_queue(settings, tmp_path):
    """Tasks wait in the database until a worker takes them, as on a real site; uploads wait in
    a folder of the test's own."""
    settings.TASKS_BACKEND = "database"
    settings.TASKS = DATABASE_QUEUE
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "imports")


@pytest.fixture
def few_rows_in_background(monkeypatch):
    """A file of more than 3 rows goes to the task queue (500 on the site)."""
    monkeypatch.setattr(import_jobs, "BACKGROUND_ROWS", 3)


def meetings_csv(rows, participant="zhang-ming"):
    lines = ["slug,title,kind,start_date,participants"]
    lines += [f"imported-{n},Imported {n},call,2022-06-04,{participant}" for n in range(rows)]
    return "\n".join(lines) + "\n"


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)


def dry_run_in_background(client, content):
    """Upload `content`; returns the address of the dry run's progress page it leads to."""
    response = upload(client, Meeting, content, "meetings.csv")
    assert response.status_code == 302, page_text(response)[:2000]
    return response["Location"]


def confirm_from(client, progress_url):
    """Press 'Confirm import' on the finished dry run's page; returns the import's progress
    page address."""
    page = client.get(progress_url)
    form = page.context["confirm_form"]
    assert form is not None, page_text(page)
    data = {name: form.initial[name] for name in form.fields}
    response = client.post(admin_url(Meeting, "process_import"), data)
    assert response.status_code == 302
    return response["Location"]


def test_a_large_file_is_dry_run_and_imported_by_the_task_queue_with_its_progress_shown(
    transactional_db, database_queue, few_rows_in_background
):
    make_official(name="Zhang Ming", slug="zhang-ming")
    editor = make_editor_without_group()
    client = logged_in(editor)

    dry_run_url = dry_run_in_background(client, meetings_csv(5))
    waiting = page_text(client.get(dry_run_url))
    assert "The dry run waits for the task worker to begin." in waiting
    assert '<meta http-equiv="refresh"' in waiting
    run_worker()
    checked = page_text(client.get(dry_run_url))
    assert "Dry run: 5 new, 0 to change, 0 unchanged (skipped)." in checked
    assert '<meta http-equiv="refresh"' not in checked
    assert not Meeting.objects.exists()

    progress_url = confirm_from(client, dry_run_url)

    assert not Meeting.objects.exists()  # queued, not imported in the request
    waiting = client.get(progress_url)
    assert "The import waits for the task worker to begin." in page_text(waiting)
    pages = []

    def look(number):
        if number == 3:
            # The editor's page while the worker is at row 3 (in another connection, as the
            # worker's transaction is still open).
            thread, seen = in_thread(lambda: page_text(client.get(progress_url)))
            thread.join(30)
            pages.append(seen.get("value", seen.get("error")))

    original_init = MeetingResource.__init__

    def watched(self, on_row=None, **kwargs):
        def both(number):
            on_row(number)
            look(number)

        original_init(self, on_row=both if on_row else None, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(import_jobs, "PROGRESS_SECONDS", 0)
        patch.setattr(MeetingResource, "__init__", watched)
        run_worker()

    if connection.vendor == "postgresql":  # SQLite's writer holds readers off until it commits
        assert "Importing: 3 of 5 rows done." in pages[0]
    text = page_text(client.get(progress_url))
    assert "Import finished: 5 new, 0 changed, 0 unchanged (skipped)." in text
    assert '<meta http-equiv="refresh"' not in text
    assert Meeting.objects.filter(slug__startswith="imported-").count() == 5
    assert Participation.objects.count() == 5
    assert set(Meeting.history.values_list("history_change_reason", flat=True)) == {
        "Imported from meetings.csv"
    }
    assert Meeting.history.filter(history_user=editor).count() == 5
    assert LogEntry.objects.filter(user=editor).count() == 5
    # The upload and the task's copy are gone; the progress notes expire within the hour.
    assert all(name.startswith("progress-") for name in os.listdir(settings.IMPORT_UPLOAD_DIR))


def test_a_large_file_with_bad_rows_lists_every_error_by_row_and_offers_no_confirmation(
    transactional_db, database_queue, few_rows_in_background
):
    client = logged_in(make_editor_without_group())
    dry_run_url = dry_run_in_background(client, meetings_csv(5, participant="Nobody"))

    run_worker()

    page = client.get(dry_run_url)
    text = page_text(page).replace("&#x27;", "'")
    assert "Nothing was imported" in text
    for row in range(1, 6):
        assert (
            f"Row {row} (line {row + 1} of the file): participants: No official is on record "
            "as 'Nobody'; use its slug." in text
        )
    assert "Confirm import" not in text
    assert not Meeting.objects.exists()


def test_a_large_file_with_a_row_that_fails_at_the_import_imports_nothing(
    transactional_db, database_queue, few_rows_in_background
):
    leaving = make_official(name="Leaving Soon", slug="leaving-soon")
    client = logged_in(make_editor_without_group())
    dry_run_url = dry_run_in_background(client, meetings_csv(5, participant="leaving-soon"))
    run_worker()
    progress_url = confirm_from(client, dry_run_url)
    leaving.delete()  # between the confirmation and the worker

    run_worker()

    text = page_text(client.get(progress_url)).replace("&#x27;", "'")
    assert "Nothing was imported" in text
    assert (
        "Row 1 (line 2 of the file): participants: No official is on record as 'leaving-soon'"
        in text
    )
    assert "Row 5 (line 6 of the file)" in text
    assert not Meeting.objects.exists()
    assert not Meeting.history.exists()
    assert not LogEntry.objects.exists()


def test_only_the_uploader_sees_and_confirms_a_queued_import(
    transactional_db, database_queue, few_rows_in_background
):
    make_official(name="Zhang Ming", slug="zhang-ming")
    client = logged_in(make_editor_without_group())
    dry_run_url = dry_run_in_background(client, meetings_csv(5))
    run_worker()

    other = logged_in(make_editor_without_group())
    assert other.get(dry_run_url).status_code == 404
    confirm_data = client.get(dry_run_url).context["confirm_form"].initial
    refused = other.post(admin_url(Meeting, "process_import"), confirm_data, follow=True)
    assert messages_of(refused) == [GONE]
    # Nor under another kind's import, nor a made-up job.
    assert client.get(dry_run_url.replace("meeting", "official")).status_code == 404
    assert client.get(admin_url(Meeting, "import_progress", "0" * 36)).status_code == 404
    assert client.get(admin_url(Meeting, "import_progress", "not-a-job")).status_code == 404
    nobody = logged_in(User.objects.create_user("staff-only", is_staff=True))
    assert nobody.get(dry_run_url).status_code == 403

    progress_url = confirm_from(client, dry_run_url)
    assert other.get(progress_url).status_code == 404
    run_worker()
    assert "Import finished: 5 new" in page_text(client.get(progress_url))
    assert Meeting.objects.count() == 5


def age(path):
    an_hour_ago = time.time() - UPLOAD_SECONDS - 1
    os.utime(path, (an_hour_ago, an_hour_ago))


def uploads():
    return [p for p in Path(settings.IMPORT_UPLOAD_DIR).iterdir() if "progress" not in p.name]


def test_an_upload_confirmed_over_an_hour_after_it_was_made_is_not_imported(
    transactional_db, database_queue, few_rows_in_background
):
    make_official(name="Zhang Ming", slug="zhang-ming")
    client = logged_in(make_editor_without_group())
    dry_run_url = dry_run_in_background(client, meetings_csv(5))
    run_worker()
    (path,) = uploads()
    age(path)

    confirm_data = client.get(dry_run_url).context["confirm_form"].initial
    response = client.post(admin_url(Meeting, "process_import"), confirm_data, follow=True)

    assert messages_of(response) == [GONE]
    assert not Meeting.objects.exists()


def test_a_queued_file_that_waited_over_an_hour_for_the_worker_is_not_imported(
    transactional_db, database_queue, few_rows_in_background
):
    make_official(name="Zhang Ming", slug="zhang-ming")
    client = logged_in(make_editor_without_group())
    dry_run_url = dry_run_in_background(client, meetings_csv(5))
    run_worker()
    progress_url = confirm_from(client, dry_run_url)
    (path,) = uploads()  # the task's copy; the upload itself was removed on confirmation
    age(path)

    run_worker()

    assert GONE in page_text(client.get(progress_url)).replace("&#x27;", "'")
    assert not Meeting.objects.exists()


def test_without_a_queue_a_large_file_is_imported_in_the_request_and_has_no_progress_page(
    editor, few_rows_in_background
):
    make_official(name="Zhang Ming", slug="zhang-ming")
    client = logged_in(editor)  # TASKS_BACKEND=immediate, as in the tests by default

    import_file(client, Meeting, meetings_csv(5))

    assert Meeting.objects.count() == 5
    assert client.get(admin_url(Meeting, "import_progress", "0" * 36)).status_code == 404


def test_a_small_file_is_still_imported_in_the_request(transactional_db, database_queue):
    make_official(name="Zhang Ming", slug="zhang-ming")
    client = logged_in(make_editor_without_group())
    dry_run = upload(client, Meeting, meetings_csv(5), "meetings.csv")

    done = confirm(client, Meeting, dry_run)

    assert "Import finished: 5 new, 0 updated, 0 deleted and 0 skipped meetings." in (
        messages_of(done)
    )
    assert Meeting.objects.count() == 5


def test_a_file_over_the_row_cap_is_refused_with_the_cap(editor, monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 4)
    client_editor = logged_in(editor)

    response = upload(client_editor, Meeting, meetings_csv(5))

    assert response.status_code == 400
    assert (
        "The file has 5 rows; an import takes at most 4. Split it into smaller files."
        in page_text(response)
    )
    assert not Meeting.objects.exists()
    assert upload(client_editor, Meeting, meetings_csv(4)).status_code == 200
