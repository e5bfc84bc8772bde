"""Reads from the read replica, when there is one; everything else from the primary.

DATABASE_REPLICA_URL adds the "replica" database. Writes always go to the primary ("default").
Reads go to the replica except inside a transaction and during a request that must see the
latest data: the admin, any request that is not a GET or HEAD, and any request of a user with a
session (editors), so an editor sees their own change at once whatever the replica's lag.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_primary_only = ContextVar("primary_only", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            REPLICA in settings.DATABASES
            and not _primary_only.get()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def needs_primary(request):
    return (
        request.method not in ("GET", "HEAD")
        or request.path.startswith("/admin/")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


class PrimaryForEditorsMiddleware:
    """Sends the reads of editors' requests, the admin and every write request to the primary.

    The choice holds until the response is finished, streamed exports included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _primary_only.set(needs_primary(request))
        return self.get_response(request)


def _request_finished(**kwargs):
    _primary_only.set(False)


request_finished.connect(_request_finished, dispatch_uid="sco_tracker.routers.request_finished")
