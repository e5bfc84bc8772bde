from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("summits", views.SummitViewSet, basename="summit")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("countries", views.CountryViewSet, basename="country")

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
