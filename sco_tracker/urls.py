from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from public import urls as public_urls

from .ops import healthz

# A database that does not answer gets a 503 with Retry-After; any other failure the 500 page.
handler500 = "sco_tracker.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    # Before meetings: /summits/outcomes/ would otherwise be read as a summit's address.
    path("", include("insights.urls")),
    path("", include((public_urls.meetings_patterns, "meetings"))),
    path("", include((public_urls.initiatives_patterns, "initiatives"))),
]

if settings.BENCH_PING:
    from .bench import ping

    urlpatterns.append(path("bench/ping/", ping))
