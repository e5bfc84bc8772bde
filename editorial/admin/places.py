from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from editorial.admin.base import EditorAdmin, PublishableAdmin
from meetings.models import Country, CountryStatus, Place, PlaceName, SCOStatus


class CountryStatusInline(admin.TabularInline):
    model = CountryStatus
    fields = ("status", "since", "until", "decided_at", "sources")
    autocomplete_fields = ("sources",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


@admin.register(Country)
class CountryAdmin(PublishableAdmin):
    list_display = ("name", "iso_code", "native_name", "current_status", "state")
    list_filter = ("state",)
    search_fields = ("name", "native_name", "iso_code")
    prepopulated_fields = {"slug": ("iso_code",)}
    inlines = (CountryStatusInline,)

    def get_queryset(self, request):
        latest = CountryStatus.objects.filter(country=OuterRef("pk"), until__isnull=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_status=Subquery(latest.order_by("-since", "-id").values("status")[:1])
            )
        )

    @admin.display(description=_("Status now"), ordering="current_status")
    def current_status(self, country):
        return SCOStatus(country.current_status).label if country.current_status else None


@admin.register(CountryStatus)
class CountryStatusAdmin(EditorAdmin):
    list_display = ("country", "status", "since", "until", "decided_at")
    list_filter = ("status",)
    list_select_related = ("country",)
    search_fields = ("country__name", "decided_at", "notes")
    autocomplete_fields = ("country", "sources")
    date_hierarchy = "since"


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    fields = (
        "name",
        "kind",
        "language",
        "valid_from",
        "valid_from_precision",
        "valid_until",
        "valid_until_precision",
        "sources",
    )
    autocomplete_fields = ("sources",)
    extra = 0


@admin.register(Place)
class PlaceAdmin(EditorAdmin):
    list_display = ("name", "country", "slug")
    list_filter = (("country", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("country",)
    search_fields = ("name", "slug", "names__name", "country__name")
    autocomplete_fields = ("country",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PlaceNameInline,)


@admin.register(PlaceName)
class PlaceNameAdmin(EditorAdmin):
    list_display = ("name", "place", "kind", "language", "period_display")
    list_filter = ("kind",)
    list_select_related = ("place",)
    search_fields = ("name", "place__name", "language")
    autocomplete_fields = ("place", "sources")

    @admin.display(description=_("In use"), ordering="valid_from")
    def period_display(self, place_name):
        return place_name.period_display
