from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from public import urls as public_urls

from .languages import choose_language
from .ops import healthz

# A database that does not answer gets a 503 with Retry-After; any other failure the 500 page.
handler500 = "sco_tracker.errors.server_error"

# Outside the language prefixes: the admin follows the chosen language (sco_tracker/languages.py),
# the API keeps English.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("language/", choose_language, name="choose_language"),
]

# The public pages: English at today's addresses, /ru/… and /zh-hans/… in the other languages.
urlpatterns += i18n_patterns(
    # Before meetings: /summits/outcomes/ would otherwise be read as a summit's address.
    path("", include("insights.urls")),
    path("", include((public_urls.meetings_patterns, "meetings"))),
    path("", include((public_urls.initiatives_patterns, "initiatives"))),
    prefix_default_language=False,
)

if settings.BENCH_PING:
    from .bench import ping

    urlpatterns.append(path("bench/ping/", ping))
