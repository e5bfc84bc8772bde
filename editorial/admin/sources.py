from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models

from editorial.admin.base import EditorAdmin
from initiatives.models import Initiative
from meetings.models import Disagreement, Meeting, Source, Summit

# The records that have disagreements (a GenericRelation) and a Disagreement inline.
RECORD_MODELS = (Meeting, Summit, Initiative)


@admin.register(Source)
class SourceAdmin(EditorAdmin):
    list_display = ("__str__", "publisher", "published_on", "url")
    list_filter = ("published_precision",)
    search_fields = ("title", "publisher", "url")
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class DisagreementInline(GenericTabularInline):
    model = Disagreement
    fields = ("subject", "accepted_value", "accepted_source", "other_value", "other_source", "note")
    autocomplete_fields = ("accepted_source", "other_source")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    extra = 0


@admin.register(Disagreement)
class DisagreementAdmin(EditorAdmin):
    list_display = ("subject", "record", "content_type", "accepted_value", "other_value")
    list_filter = ("content_type",)
    list_select_related = ("content_type",)
    search_fields = ("subject", "accepted_value", "other_value", "note")
    autocomplete_fields = ("accepted_source", "other_source")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            content_types = ContentType.objects.get_for_models(*RECORD_MODELS).values()
            kwargs["queryset"] = ContentType.objects.filter(pk__in=[ct.pk for ct in content_types])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # `record` is generic: one query per kind of record, each with what its str() reads.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                GenericPrefetch(
                    "record",
                    [
                        Meeting.objects.all(),
                        Summit.objects.select_related("place"),
                        Initiative.objects.all(),
                    ],
                )
            )
        )
