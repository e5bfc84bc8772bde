"""Import and export of CSV files in admin, through django-import-export.

The file is checked before any row is read: its size, that it is UTF-8 CSV text, and its header
row against the resource's columns. The dry run then shows each row as new, changed or skipped,
or lists every error by row; the import runs in one transaction, undone whole on any error.
"""

import codecs
import contextlib
import csv
import io
import os
import re
import time
from uuid import uuid4

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django_tasks import default_task_backend
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.tmp_storages import CacheStorage, TempFolderStorage

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# The most rows one file may hold (a 100,000-row meetings file is about 4 MB).
MAX_IMPORT_ROWS = 100_000
SAVE_AS = "Save the sheet as “CSV UTF-8 (comma delimited)” and upload that file."


def csv_rows(data):
    """(line number, cells) of each non-empty row of the uploaded bytes `data`.

    ValueError, in plain words, when `data` is not UTF-8 CSV text.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValueError(f"The file is in UTF-16, not UTF-8. {SAVE_AS}")
    if b"\x00" in data:
        raise ValueError(f"The file is not CSV text: it holds binary data. {SAVE_AS}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(
            f"The file is not in UTF-8: line {line} has a byte (0x{data[error.start]:02X}) "
            f"that UTF-8 does not allow, as in a Latin-1 or Windows-1252 file. {SAVE_AS}"
        ) from None
    reader = csv.reader(io.StringIO(text), strict=True)
    rows = []
    try:
        for cells in reader:
            if cells:
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise ValueError(
            f"Line {reader.line_num} cannot be read as CSV ({error}): check its quotation marks."
        ) from None
    return rows


def file_problems(upload, resource_class):
    """What keeps `upload` from being imported by `resource_class`, in plain words."""
    if upload.size == 0:
        return ["The file is empty."]
    if upload.size > MAX_IMPORT_BYTES:
        size = upload.size / (1024 * 1024)
        return [
            f"The file is {size:.1f} MB; an import takes at most "
            f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB. Split it into smaller files."
        ]
    data = upload.read()
    upload.seek(0)
    try:
        rows = csv_rows(data)
    except ValueError as error:
        return [str(error)]
    if not rows:
        return ["The file holds no rows: not even a header row."]
    (_, headers), body = rows[0], rows[1:]
    if len(headers) == 1 and ";" in headers[0]:
        return [f"The columns are separated by ';', not ','. {SAVE_AS}"]
    problems = []
    repeated = sorted({header for header in headers if headers.count(header) > 1})
    if repeated:
        problems.append(f"Columns named more than once: {', '.join(repeated)}.")
    problems += resource_class.header_problems(headers)
    upload.row_count = len(body)
    if len(body) > MAX_IMPORT_ROWS:
        problems.append(
            gettext(
                "The file has %(rows)s rows; an import takes at most %(most)s. "
                "Split it into smaller files."
            )
            % {"rows": f"{len(body):,}", "most": f"{MAX_IMPORT_ROWS:,}"}
        )
    for line, cells in body:
        if len(cells) != len(headers):
            problems.append(
                f"Line {line} has {len(cells)} cells, but the header row has "
                f"{len(headers)} columns: check its commas and quotation marks."
            )
            break
    if not body and not problems:
        problems.append("The file has a header row but no rows to import.")
    return problems


class CSVImportForm(ImportForm):
    """The import form, which refuses a file that is not CSV the resource can read."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.resource_classes = resources
        self.fields["import_file"].help_text = (
            f"A CSV file in UTF-8 with a header row, at most "
            f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB."
        )

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        if upload is not None:
            resource_class = self.resource_classes[int(cleaned_data.get("resource") or 0)]
            for problem in file_problems(upload, resource_class):
                self.add_error("import_file", problem)
        return cleaned_data


def result_problems(result):
    """Every error of an import `result`, a line each, with its row number."""
    problems = [str(error.error) for error in result.base_errors]
    for row in result.error_rows:
        for error in row.errors:
            problems.append(f"{where(row.number)}: {error.error}")
    for row in result.invalid_rows:
        for field, texts in row.field_specific_errors.items():
            problems.append(f"{where(row.number)}: {field}: {' '.join(texts)}")
        for text in row.non_field_specific_errors:
            problems.append(f"{where(row.number)}: {text}")
    return problems


def where(number):
    return f"Row {number} (line {number + 1} of the file)"


# An uploaded file waits this long for its confirmation, then it is gone.
UPLOAD_SECONDS = 60 * 60
UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")
UPLOADS_KEY = "import_uploads"
GONE = "This file has already been imported, or it has expired: upload it again."


class SharedCacheStorage(CacheStorage):
    """An uploaded file kept in the shared cache (Redis) from its dry run to its confirmation."""

    CACHE_LIFETIME = UPLOAD_SECONDS

    def read(self):
        data = super().read()
        if data is None:
            raise FileNotFoundError(self.name)
        return data


class UploadFolderStorage(TempFolderStorage):
    """An uploaded file kept in a folder of the imports' own (settings.IMPORT_UPLOAD_DIR) from
    its dry run to its confirmation, under a random name; files older than UPLOAD_SECONDS are
    removed whenever another is saved, and never read."""

    def save(self, data):
        os.makedirs(settings.IMPORT_UPLOAD_DIR, mode=0o700, exist_ok=True)
        for entry in os.scandir(settings.IMPORT_UPLOAD_DIR):
            if entry.is_file() and expired(entry.path):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(entry.path)
        self.name = uuid4().hex
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        with open(self.get_full_path(), "xb") as file:
            file.write(data)

    def read(self):
        if expired(self.get_full_path()):
            raise FileNotFoundError(self.name)
        return super().read()

    def remove(self):
        with contextlib.suppress(FileNotFoundError):
            super().remove()

    def get_full_path(self):
        if not UPLOAD_NAME.fullmatch(self.name or ""):
            raise FileNotFoundError(self.name)
        return os.path.join(settings.IMPORT_UPLOAD_DIR, self.name)


def upload_storage():
    """Where an uploaded file waits: in Redis when there is one, else in a folder of its own."""
    return SharedCacheStorage if settings.REDIS_URL else UploadFolderStorage


def expired(path):
    return time.time() - os.path.getmtime(path) > UPLOAD_SECONDS


def remember_upload(request, name):
    """Note in the session that its user uploaded `name`: only they may confirm its import."""
    now = time.time()
    uploads = request.session.get(UPLOADS_KEY, {})
    uploads = {given: at for given, at in uploads.items() if now - at < UPLOAD_SECONDS}
    request.session[UPLOADS_KEY] = {**uploads, name: now}


def claim_upload(request, name):
    """Whether the session's user uploaded `name` within UPLOAD_SECONDS (once only)."""
    uploads = dict(request.session.get(UPLOADS_KEY, {}))
    uploaded_at = uploads.pop(name, None)
    request.session[UPLOADS_KEY] = uploads
    return uploaded_at is not None and time.time() - uploaded_at < UPLOAD_SECONDS


class Queued:
    """An import handed to the task queue: its job id."""

    def __init__(self, job):
        self.job = job


class SpreadsheetAdmin(ImportExportMixin):
    """CSV import and export on a ModelAdmin: `resource_classes` says what the columns are.

    Importing needs the model's add and change permissions, exporting its view permission
    (settings.IMPORT_EXPORT_*_PERMISSION_CODE); the resources check the publish permission.
    Between the dry run and its confirmation the file waits in a folder of its own, or in Redis
    when there is one, so that any app server may take the confirmation; for an hour at most,
    and only the user who uploaded it, in the same session, may confirm it. A file of more than
    import_jobs.BACKGROUND_ROWS rows is dry-run and imported by the task queue, its progress and
    result on a page of its own (import_progress_view).
    """

    formats = [CSV]
    import_form_class = CSVImportForm
    export_form_class = ExportForm
    import_template_name = "admin/spreadsheet_import.html"

    def has_import_permission(self, request):
        return super().has_import_permission(request) and self.has_change_permission(request)

    def get_tmp_storage_class(self):
        return upload_storage()

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_import_progress"
        progress = self.admin_site.admin_view(self.import_progress_view)
        return [path("import/<str:job>/", progress, name=name), *super().get_urls()]

    def import_progress_url(self, job):
        opts = self.model._meta
        name = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_import_progress"
        return reverse(name, args=[job])

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def import_url(self):
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_import")

    def in_background(self, rows):
        """Whether a file of `rows` rows is run by the task queue (whose results can be read
        back: not with TASKS_BACKEND=immediate)."""
        from editorial import import_jobs

        return rows > import_jobs.BACKGROUND_ROWS and default_task_backend.supports_get_result

    def import_action(self, request, **kwargs):
        queued = self.queue_dry_run(request)
        if queued is not None:
            return queued
        response = super().import_action(request, **kwargs)
        context = response.context_data
        result = context.get("result")
        context["problems"] = result_problems(result) if result is not None else []
        form = context["form"]
        if form.errors:
            response.status_code = 400
        upload = form.cleaned_data.get("import_file") if form.is_bound else None
        if "confirm_form" in context:
            remember_upload(request, context["confirm_form"].initial["import_file_name"])
        elif hasattr(upload, "tmp_storage_name"):
            self.get_tmp_storage_class()(name=upload.tmp_storage_name).remove()
        return response

    def process_import(self, request, **kwargs):
        if request.method == "POST" and not self.has_import_permission(request):
            raise PermissionDenied
        name = os.path.basename(request.POST.get("import_file_name", ""))
        if request.method == "POST" and not claim_upload(request, name):
            messages.error(request, GONE)
            return HttpResponseRedirect(self.import_url())
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.error(request, GONE)
            return HttpResponseRedirect(self.import_url())

    def process_dataset(self, dataset, form, request, **kwargs):
        """A file of more than BACKGROUND_ROWS rows is queued for the task queue (when its results
        can be read back); a smaller one is imported in the request."""
        from editorial import import_jobs

        if not self.in_background(len(dataset)):
            return super().process_dataset(dataset, form, request, **kwargs)
        # The task gets a copy of its own: the confirmation removes the upload.
        name = form.cleaned_data["import_file_name"]
        data = self.get_tmp_storage_class()(name=name, encoding=self.from_encoding).read()
        storage = self.get_tmp_storage_class()(encoding=self.from_encoding)
        storage.save(data)
        return Queued(
            import_jobs.queue_import(
                self,
                int(form.cleaned_data.get("resource") or 0),
                storage.name,
                form.cleaned_data.get("original_file_name") or "",
                request.user,
            )
        )

    def queue_dry_run(self, request):
        """The dry run of a valid file of more than BACKGROUND_ROWS rows, queued: a redirect to
        its progress page; None for any other request (the dry run then runs in it)."""
        from editorial import import_jobs

        if request.method != "POST" or not self.has_import_permission(request):
            return None
        form = self.create_import_form(request)
        if not form.is_valid():
            return None
        upload = form.cleaned_data["import_file"]
        if not self.in_background(getattr(upload, "row_count", 0)):
            return None
        storage = self.write_to_tmp_storage(upload, CSV(encoding=self.from_encoding))
        remember_upload(request, storage.name)
        job = import_jobs.queue_import(
            self,
            int(form.cleaned_data.get("resource") or 0),
            storage.name,
            upload.name,
            request.user,
            dry_run=True,
        )
        return HttpResponseRedirect(self.import_progress_url(job))

    def import_progress_view(self, request, job):
        """The progress of a queued import, then its result; for the editor who queued it."""
        from editorial import import_jobs

        if not self.has_import_permission(request):
            raise PermissionDenied
        result = import_jobs.owned_job(job, self.model, request.user)
        if result is None:
            raise Http404(gettext("There is no such import of yours."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import of %(file)s") % {"file": result.kwargs.get("file_name")},
            "status": result.status,
            "finished": result.is_finished,
            "refresh_seconds": 2,
            "progress": import_jobs.Progress(result.id).read(),
            "import_url": self.import_url(),
            "changelist_url": reverse(
                f"{self.admin_site.name}:{self.model._meta.app_label}_"
                f"{self.model._meta.model_name}_changelist"
            ),
        }
        context["dry_run"] = result.kwargs.get("dry_run", False)
        if result.status == "SUCCESSFUL":
            outcome = context["outcome"] = result.return_value
            if context["dry_run"] and not outcome["problems"]:
                context["confirm_form"] = ConfirmImportForm(initial=outcome["confirm"])
                context["process_import_url"] = reverse(
                    f"{self.admin_site.name}:{self.model._meta.app_label}_"
                    f"{self.model._meta.model_name}_process_import"
                )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/import_progress.html", context)

    def process_result(self, result, request):
        if isinstance(result, Queued):
            return HttpResponseRedirect(self.import_progress_url(result.job))
        problems = result_problems(result)
        if problems:
            more = f" ({len(problems) - 1} more errors)" if len(problems) > 1 else ""
            messages.error(
                request,
                f"Nothing was imported. {problems[0]}{more} Upload the file again to see "
                "every error.",
            )
            return HttpResponseRedirect(self.import_url())
        return super().process_result(result, request)
