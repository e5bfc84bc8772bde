"""The site's URLs plus views that fail on purpose, for the tests of the error pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from sco_tracker.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a secret detail of the failure")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    *site_urlpatterns,
]
