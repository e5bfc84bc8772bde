from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from editorial.admin.base import EditorAdmin, PublishableAdmin
from editorial.admin.checks import OfficialChecksMixin
from editorial.admin.imports import SpreadsheetAdmin
from editorial.resources import OfficialResource
from meetings.dates import format_partial
from meetings.models import Attestation, Official, OfficialName, Organization, Position, Post


@admin.register(Organization)
class OrganizationAdmin(EditorAdmin):
    list_display = ("name", "short_name", "kind", "country", "post_count")
    list_filter = ("kind", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country",)
    search_fields = ("name", "short_name", "slug")
    autocomplete_fields = ("country",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_count=Count("posts", distinct=True))

    @admin.display(description=_("Posts"), ordering="post_count")
    def post_count(self, organization):
        return organization.post_count


@admin.register(Post)
class PostAdmin(EditorAdmin):
    list_display = ("title", "organization", "position_count")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("organization",)
    search_fields = ("title", "organization__name", "organization__short_name")
    autocomplete_fields = ("organization",)
    prepopulated_fields = {"slug": ("title",)}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(position_count=Count("positions", distinct=True))
        )

    @admin.display(description=_("Holders on record"), ordering="position_count")
    def position_count(self, post):
        return post.position_count


class OfficialNameInline(admin.TabularInline):
    model = OfficialName
    fields = ("name", "kind", "language", "note")
    extra = 1


class PositionInline(admin.TabularInline):
    """Terms of office; attestations are edited on the position's own page (the change link)."""

    model = Position
    fields = (
        "post",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "attested_on",
    )
    readonly_fields = ("attested_on",)
    autocomplete_fields = ("post",)
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("official", "post__organization")
            .prefetch_related("attestations")
        )

    @admin.display(description=_("Attested on"))
    def attested_on(self, position):
        if position.pk is None:
            return ""
        return ", ".join(format_partial(a.date) for a in position.attestations.all())


@admin.register(Official)
class OfficialAdmin(SpreadsheetAdmin, OfficialChecksMixin, PublishableAdmin):
    resource_classes = [OfficialResource]
    list_display = ("name", "nationality", "position_count", "state")
    list_filter = ("state", ("nationality", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("nationality",)
    search_fields = ("name", "slug", "names__name")
    autocomplete_fields = ("nationality", "sources")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OfficialNameInline, PositionInline)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(position_count=Count("positions", distinct=True))
        )

    @admin.display(description=_("Positions"), ordering="position_count")
    def position_count(self, official):
        return official.position_count


@admin.register(OfficialName)
class OfficialNameAdmin(EditorAdmin):
    list_display = ("name", "official", "kind", "language")
    list_filter = ("kind",)
    list_select_related = ("official",)
    search_fields = ("name", "official__name", "language")
    autocomplete_fields = ("official",)


class AttestationInline(admin.TabularInline):
    model = Attestation
    fields = ("date", "note", "source")
    autocomplete_fields = ("source",)
    extra = 1


@admin.register(Position)
class PositionAdmin(EditorAdmin):
    list_display = ("official", "post", "term_display", "attestation_count")
    list_filter = (("post__organization", admin.RelatedOnlyFieldListFilter), "start_precision")
    list_select_related = ("official", "post__organization")
    search_fields = (
        "official__name",
        "official__names__name",
        "post__title",
        "post__organization__name",
        "post__organization__short_name",
    )
    autocomplete_fields = ("official", "post", "sources")
    inlines = (AttestationInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(attestation_count=Count("attestations", distinct=True))
        )

    @admin.display(description=_("Term"), ordering="start_date")
    def term_display(self, position):
        return position.term_display

    @admin.display(description=_("Attestations"), ordering="attestation_count")
    def attestation_count(self, position):
        return position.attestation_count


@admin.register(Attestation)
class AttestationAdmin(EditorAdmin):
    list_display = ("date", "official", "post", "note", "source")
    list_select_related = ("position__official", "position__post__organization", "source")
    search_fields = ("position__official__name", "position__post__title", "note")
    autocomplete_fields = ("position", "source")
    date_hierarchy = "date"

    @admin.display(ordering="position__official__name")
    def official(self, attestation):
        return attestation.position.official

    @admin.display(ordering="position__post__title")
    def post(self, attestation):
        return attestation.position.post
