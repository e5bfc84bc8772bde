"""What the people who run the site need: a health check and a log line per request."""

import json
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from public.tasks import queue_state

from .errors import current_request_id, request_id_of

request_log = logging.getLogger("sco_tracker.requests")
logger = logging.getLogger(__name__)

# How long /healthz waits for the database to answer before it reports it as not answering.
HEALTH_DATABASE_SECONDS = 0.7


def database_answers():
    """Whether the database answers `SELECT 1` within HEALTH_DATABASE_SECONDS.

    Asked from a thread of its own (with its own connection), so that the health check answers
    in time even when getting a connection would wait for the pool's timeout. With the pool, on
    a new connection of its own: a pooled one left dead by a restart of PostgreSQL would cost the
    pool's second try, a second later, after the database is back. The detail of a failure is
    logged, never shown.
    """
    answer = {}

    def ask():
        try:
            if connection.vendor == "postgresql" and connection.pool:
                params = connection.get_connection_params()
                with connection.Database.connect(**params) as own:
                    answer["ok"] = own.execute("SELECT 1").fetchone() == (1,)
            else:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    answer["ok"] = cursor.fetchone() == (1,)
        except (DatabaseError, connection.Database.Error):
            logger.warning("health check: the database does not answer", exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(HEALTH_DATABASE_SECONDS)
    if thread.is_alive():
        logger.warning("health check: the database did not answer in %s s", HEALTH_DATABASE_SECONDS)
    return answer.get("ok", False)


def cache_answers():
    """Whether the cache answers; the local-memory cache always does."""
    available = getattr(cache, "available", None)
    return available() if available else True


@never_cache
def healthz(request):
    """Each dependency's state, and a status a load balancer can act on.

    `database`: "ok" or "error" (not answering within HEALTH_DATABASE_SECONDS); then the status
    is "error" and the answer a 503, as the site cannot serve. `cache`: "ok" or "error"; without
    its cache the site still serves (slower), so the status is "degraded" and the answer 200.
    `tasks`: the task queue; a task waiting longer than TASKS_STUCK_SECONDS means no worker is
    running ("stuck"): search and the facet counts lag behind the records, the status is
    "degraded" and the answer 200.
    """
    cache_state = "ok" if cache_answers() else "error"
    if not database_answers():
        body = {"status": "error", "database": "error", "cache": cache_state}
        body["message"] = "The database does not answer."
        return JsonResponse(body, status=503)
    try:
        queue = queue_state()
    except DatabaseError:
        logger.warning("health check: the task queue cannot be read", exc_info=True)
        queue = {"status": "error"}
    degraded = cache_state != "ok" or queue["status"] in ("stuck", "error")
    return JsonResponse(
        {
            "status": "degraded" if degraded else "ok",
            "database": "ok",
            "cache": cache_state,
            "tasks": queue,
        }
    )


class RequestLogMiddleware:
    """Gives each request its id (sco_tracker.errors) and logs one JSON line per request: method,
    path, status, duration in milliseconds and the request's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_of(request)
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            line = {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "request_id": request.request_id,
            }
            request_log.info(json.dumps(line))
            return response
        finally:
            current_request_id.reset(token)


def client_address(request):
    """The client's address for login lockouts: behind API_NUM_PROXIES proxies, the address the
    outermost trusted proxy saw (as the API's throttle reads it), else REMOTE_ADDR."""
    proxies = settings.REST_FRAMEWORK["NUM_PROXIES"]
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")
