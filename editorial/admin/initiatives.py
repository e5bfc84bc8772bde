from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from editorial.admin.base import EditorAdmin, PublishableAdmin
from editorial.admin.imports import SpreadsheetAdmin
from editorial.admin.sources import DisagreementInline
from editorial.initiative_resources import InitiativeResource
from initiatives.models import Initiative, Status, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ("status", "date", "date_precision", "note", "source")
    autocomplete_fields = ("source",)
    extra = 1


@admin.register(Initiative)
class InitiativeAdmin(SpreadsheetAdmin, PublishableAdmin):
    resource_classes = [InitiativeResource]
    list_display = ("__str__", "kind", "adopted_on", "adopted_at", "current_status", "state")
    list_filter = ("state", "kind", "topics", "proposed_by")
    list_select_related = ("adopted_at__place",)
    search_fields = ("title", "short_name", "slug", "summary")
    date_hierarchy = "adopted_on"
    autocomplete_fields = ("proposed_by", "adopted_at", "topics", "meetings", "sources")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (StatusChangeInline, DisagreementInline)

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_status()

    @admin.display(description=_("Status now"), ordering="current_status")
    def current_status(self, initiative):
        return Status(initiative.current_status).label if initiative.current_status else None


@admin.register(StatusChange)
class StatusChangeAdmin(EditorAdmin):
    list_display = ("initiative", "status", "date", "note", "source")
    list_filter = ("status",)
    list_select_related = ("initiative", "source")
    search_fields = ("initiative__title", "initiative__short_name", "note")
    autocomplete_fields = ("initiative", "source")
    date_hierarchy = "date"
