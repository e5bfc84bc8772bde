"""What the people who run the site need: a health check and a log line per request."""

import json
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from public.tasks import queue_state

request_log = logging.getLogger("sco_tracker.requests")


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 with the reason when it does not.

    The answer also says how the task queue is doing: a task waiting longer than
    TASKS_STUCK_SECONDS means no worker is running ("stuck"). The site still serves then (search
    and the facet counts lag behind the records), so the status stays 200.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        queue = queue_state()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "error", "message": f"The database does not answer: {error}"}, status=503
        )
    return JsonResponse({"status": "ok", "tasks": queue})


class RequestLogMiddleware:
    """Logs one JSON line per request: method, path, status and duration in milliseconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        line = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        request_log.info(json.dumps(line))
        return response


def client_address(request):
    """The client's address for login lockouts: behind API_NUM_PROXIES proxies, the address the
    outermost trusted proxy saw (as the API's throttle reads it), else REMOTE_ADDR."""
    proxies = settings.REST_FRAMEWORK["NUM_PROXIES"]
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")
