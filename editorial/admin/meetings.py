from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from editorial.admin.article import ArticleDraftMixin
from editorial.admin.base import EditorAdmin, PublishableAdmin
from editorial.admin.checks import MeetingChecksMixin
from editorial.admin.imports import SpreadsheetAdmin
from editorial.admin.sources import DisagreementInline
from editorial.resources import MeetingResource
from meetings.models import Meeting, Participation, Summit, Topic


@admin.register(Topic)
class TopicAdmin(EditorAdmin):
    list_display = ("name", "slug", "meeting_count", "initiative_count")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                meeting_count=Count("meetings", distinct=True),
                initiative_count=Count("initiatives", distinct=True),
            )
        )

    @admin.display(description=_("Meetings"), ordering="meeting_count")
    def meeting_count(self, topic):
        return topic.meeting_count

    @admin.display(description=_("Initiatives"), ordering="initiative_count")
    def initiative_count(self, topic):
        return topic.initiative_count


@admin.register(Summit)
class SummitAdmin(PublishableAdmin):
    list_display = (
        "title",
        "start_date",
        "end_date",
        "place",
        "host_country",
        "chair_country",
        "format",
        "state",
    )
    list_filter = (
        "state",
        "council",
        "format",
        ("host_country", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("place", "host_country", "chair_country")
    search_fields = ("slug", "chair", "place__name", "place__names__name", "host_country__name")
    date_hierarchy = "start_date"
    autocomplete_fields = ("place", "host_country", "chair_country", "sources")
    prepopulated_fields = {"slug": ("council", "number")}
    inlines = (DisagreementInline,)

    @admin.display(description=_("Summit"), ordering="council")
    def title(self, summit):
        return summit.title


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ("official", "capacity", "position", "country", "organization")
    autocomplete_fields = ("official", "position", "country", "organization")
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("official")


@admin.register(Meeting)
class MeetingAdmin(SpreadsheetAdmin, ArticleDraftMixin, MeetingChecksMixin, PublishableAdmin):
    resource_classes = [MeetingResource]
    change_list_template = "admin/meetings/meeting/change_list.html"
    list_display = (
        "title",
        "start_date",
        "kind",
        "place",
        "country",
        "summit",
        "participant_count",
        "state",
    )
    list_filter = (
        "state",
        "kind",
        "date_precision",
        ("country", admin.RelatedOnlyFieldListFilter),
        "topics",
    )
    list_select_related = ("place", "country", "summit__place")
    search_fields = (
        "title",
        "slug",
        "summary",
        "participations__official__name",
        "participations__official__names__name",
    )
    date_hierarchy = "start_date"
    autocomplete_fields = ("place", "country", "summit", "topics", "sources")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ParticipationInline, DisagreementInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(participant_count=Count("participations", distinct=True))
        )

    @admin.display(description=_("Participants"), ordering="participant_count")
    def participant_count(self, meeting):
        return meeting.participant_count


@admin.register(Participation)
class ParticipationAdmin(EditorAdmin):
    list_display = ("official", "meeting", "capacity", "country", "organization")
    list_filter = (
        ("country", admin.RelatedOnlyFieldListFilter),
        ("organization", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("official", "meeting", "country", "organization")
    search_fields = ("official__name", "official__names__name", "meeting__title", "capacity")
    autocomplete_fields = ("meeting", "official", "position", "country", "organization")
