"""Large imports: other editors keep saving while one runs, a large confirmed file is imported by
the task queue with its progress shown to its uploader only, and files past the row cap or
expired are refused with a reason."""

import threading

import pytest
import tablib
from django.db import connection, transaction

from editorial.resources import MeetingResource
from meetings.models import CacheGeneration, FacetSummary, Meeting
from public import tasks
from tests.admin_forms import logged_in
from tests.factories import make_editor_without_group, make_meeting, make_official, make_staff
from tests.test_import import import_file
from tests.test_tasks import found

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
