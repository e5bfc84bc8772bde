"""What a failed request answers, and how the failure is logged.

Each request has an id: the X-Request-ID header the proxy sent, if it looks like one, or a new
one. It is sent back in the X-Request-ID header, written in every log line of the request
(sco_tracker.ops.RequestLogMiddleware sets it) and shown on the 500 page, so that an operator
can find the traceback of the failure a reader reports.

Errors are logged on stderr, one JSON line each, with the traceback. A database that does not
answer (stopped, restarting, no free connection within DB_CONNECT_TIMEOUT_SECONDS) is not a fault
of the site: the answer is a 503 with Retry-After, HTML for pages and JSON under /api/.
"""

import contextvars
import json
import logging
import re
import sys
import uuid

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext

RETRY_AFTER_SECONDS = 30
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

current_request_id = contextvars.ContextVar("request_id", default="")


def request_id_of(request):
    """The proxy's X-Request-ID when it is a plain token, else a new id."""
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def database_unavailable(error):
    return isinstance(error, OperationalError | InterfaceError)


def try_again_later(status, message, seconds, as_json):
    """A refusal to try again in `seconds` (429, 503): `message` as JSON for a program, else on
    the site's page for that status, with Retry-After."""
    if as_json:
        response = JsonResponse({"detail": message}, status=status)
    else:
        page = loader.render_to_string(f"{status}.html", {"message": message})
        response = HttpResponse(page, status=status)
    response["Retry-After"] = str(seconds)
    return response


def server_error(request):
    """handler500: a 503 with Retry-After when the database does not answer, else the 500 page
    with the request's id. Django calls it while handling the exception, which
    sys.exc_info() gives."""
    request_id = getattr(request, "request_id", "")
    if database_unavailable(sys.exc_info()[1]):
        message = gettext("The database is not answering just now; please try again in a minute.")
        as_json = request.path.startswith("/api/")
        return try_again_later(503, message, RETRY_AFTER_SECONDS, as_json)
    page = loader.render_to_string("500.html", {"request_id": request_id})
    return HttpResponse(page, status=500)


class JSONLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request id, traceback."""

    def format(self, record):
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(
                getattr(record, "request", None), "request_id", current_request_id.get()
            ),
        }
        if hasattr(record, "status_code"):
            line["status"] = record.status_code
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line)
