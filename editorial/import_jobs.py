"""A large import, its dry run and then its confirmed run, made by the task queue while its
editor watches its progress.

Above BACKGROUND_ROWS rows, the upload queues the dry run and the confirmation the import
(`import_records`), rather than running them in the request, which a large file would hold past
the app server's timeout. The task imports every
row in one transaction, all or nothing as in the request, and notes its progress (rows done of
the total) outside that transaction, where the editor's progress page reads it: in the shared
cache with REDIS_URL, else in a file beside the uploads. Its result (new, changed and skipped
records, or every error by row) is the task's result, kept by the task queue; only the editor
who uploaded the file may see it. The file waits for the task as an upload does, an hour at
most, and is removed once the task has read it.
"""

import contextlib
import json
import os
import re
import time
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django_tasks import task
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from import_export.formats.base_formats import CSV
from import_export.results import RowResult
from simple_history.models import HistoricalRecords

# A file of more rows than this is dry-run and imported by the task queue.
BACKGROUND_ROWS = 500
# The errors a finished import lists; it says how many more there are.
SHOWN_PROBLEMS = 200
# The progress is noted at most this often.
PROGRESS_SECONDS = 1.0
PROGRESS_LIFETIME = 60 * 60
JOB = re.compile(r"[0-9a-f-]{36}")


class Progress:
    """The rows done of an import under way, kept outside its transaction."""

    def __init__(self, job, total=0):
        if not JOB.fullmatch(str(job)):
            raise ValueError(job)
        self.job, self.total, self.noted_at = str(job), total, 0.0

    def note(self, done, force=False):
        now = time.monotonic()
        if not force and now - self.noted_at < PROGRESS_SECONDS:
            return
        self.noted_at = now
        value = {"done": done, "total": self.total}
        if settings.REDIS_URL:
            cache.set(f"import-progress:{self.job}", value, PROGRESS_LIFETIME)
            return
        os.makedirs(settings.IMPORT_UPLOAD_DIR, mode=0o700, exist_ok=True)
        path = self.path()
        with open(f"{path}.new", "w") as file:
            json.dump(value, file)
        os.replace(f"{path}.new", path)

    def read(self):
        """{"done": n, "total": n}, or None before the task has begun."""
        if settings.REDIS_URL:
            return cache.get(f"import-progress:{self.job}")
        try:
            with open(self.path()) as file:
                return json.load(file)
        except (FileNotFoundError, ValueError):
            return None

    def remove(self):
        if settings.REDIS_URL:
            cache.delete(f"import-progress:{self.job}")
        elif os.path.exists(self.path()):
            os.remove(self.path())

    def path(self):
        return os.path.join(settings.IMPORT_UPLOAD_DIR, f"progress-{self.job}.json")


def queue_import(model_admin, resource_index, upload, file_name, user, dry_run=False):
    """Queue the import (or its dry run) of the uploaded file named `upload`; returns the job
    id."""
    opts = model_admin.model._meta
    job = import_records.enqueue(
        model=opts.label_lower,
        resource=resource_index,
        upload=upload,
        file_name=file_name,
        user_id=user.pk,
        dry_run=dry_run,
    )
    return job.id


def owned_job(job, model, user):
    """The task result of the import `job` if `user` queued it for `model`, else None."""
    if not import_records.get_backend().supports_get_result:  # TASKS_BACKEND=immediate
        return None
    try:
        result = import_records.get_result(job)
    except (TaskResultDoesNotExist, TaskResultMismatch):  # an unknown id, or another task's
        return None
    kwargs = result.kwargs
    if kwargs.get("user_id") != user.pk or kwargs.get("model") != model._meta.label_lower:
        return None
    return result


# Taken before the refresh tasks waiting in the queue, so that an editor's import begins at once.
@task(takes_context=True, priority=10)
def import_records(context, model, resource, upload, file_name, user_id, dry_run=False):
    """Import the uploaded file `upload` as `user_id` would have in the request: every row, or
    none if any fails; or, with `dry_run`, only say what it would do, and keep the file for the
    confirmation. Returns {"totals": {...}, "problems": [...], "more_problems": n} and, for a
    dry run, what the confirmation form sends back ("confirm")."""
    from editorial.admin.imports import GONE, result_problems, upload_storage

    model = apps.get_model(model)
    resource_class = admin.site._registry[model].resource_classes[resource]
    storage = upload_storage()(name=upload, encoding="utf-8-sig", read_mode="r")
    progress = Progress(context.task_result.id)
    try:
        data = storage.read()
    except FileNotFoundError:
        return {"totals": {}, "problems": [GONE], "more_problems": 0}
    dataset = CSV(encoding="utf-8-sig").create_dataset(data)
    progress.total = len(dataset)
    progress.note(0, force=True)
    user = get_user_model().objects.get(pk=user_id)
    with as_user(user), transaction.atomic():
        # Its page shows the totals and the errors, not each row's changes.
        result = resource_class(on_row=progress.note, diff=False).import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            file_name=file_name,
            user=user,
            retain_instance_in_row_result=True,
        )
        problems = result_problems(result)
        if not problems and not dry_run:
            log_actions(result, user)
    if not dry_run:
        storage.remove()
    progress.note(len(dataset), force=True)
    outcome = {
        "totals": {
            "new": result.totals[RowResult.IMPORT_TYPE_NEW],
            "update": result.totals[RowResult.IMPORT_TYPE_UPDATE],
            "skip": result.totals[RowResult.IMPORT_TYPE_SKIP],
        },
        "problems": problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
    }
    if dry_run:
        outcome["confirm"] = {
            "import_file_name": upload,
            "original_file_name": file_name,
            "format": "0",
            "resource": str(resource),
        }
    return outcome


@contextlib.contextmanager
def as_user(user):
    """History rows written meanwhile name `user`, as in their request (simple_history reads the
    user from the request its middleware keeps)."""
    context = HistoricalRecords.context
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def log_actions(result, user):
    """The admin log of an import's new and changed records, as the request's import writes."""
    flags = {RowResult.IMPORT_TYPE_NEW: ADDITION, RowResult.IMPORT_TYPE_UPDATE: CHANGE}
    for import_type, flag in flags.items():
        records = [row.instance for row in result if row.import_type == import_type]
        if records:
            LogEntry.objects.log_actions(
                user.pk,
                records,
                flag,
                change_message=f"{import_type} through import_export",
                single_object=len(records) == 1,
            )
