"""The site's URLs plus views that fail on purpose, for the tests of the error pages."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from sco_tracker.urls import handler500  # noqa: F401
from sco_tracker.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a secret detail of the failure")


def database_down(request):
    raise OperationalError("connection to server at 10.0.0.5 failed: Connection refused")


urlpatterns = [
    path("test-database-down/", database_down),
    path("api/test-database-down/", database_down),
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    *site_urlpatterns,
    # The same failures in the other languages: /ru/test-broken/, /zh-hans/test-database-down/.
    *i18n_patterns(
        path("test-database-down/", database_down),
        path("test-forbidden/", forbidden),
        path("test-broken/", broken),
        prefix_default_language=False,
    ),
]
