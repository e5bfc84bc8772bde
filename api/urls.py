from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from public.registry import kinds

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
for kind in kinds().values():
    router.register(kind.key, views.viewset_for(kind), basename=kind.name)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    # Without the trailing slash, Django's APPEND_SLASH still redirects /api/meetings.
    re_path(r"^[\s\S]*/$", views.not_found),
]
