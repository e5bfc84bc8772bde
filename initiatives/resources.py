"""Initiatives in a CSV file (see meetings/resources.py for how rows are read)."""

from import_export import fields

from meetings.resources import (
    COUNTRIES,
    SUMMITS,
    TOPICS,
    Links,
    ListField,
    LookupWidget,
    RecordResource,
)

from .models import Initiative


class InitiativeResource(RecordResource):
    adopted_at = fields.Field(
        column_name="adopted_at", attribute="adopted_at", widget=LookupWidget(SUMMITS)
    )
    proposed_by = ListField("proposed_by", Links("proposed_by", COUNTRIES))
    topics = ListField("topics", Links("topics", TOPICS))
    export_prefetch = ("proposed_by", "topics")

    class Meta(RecordResource.Meta):
        model = Initiative
        fields = (
            "slug", "title", "short_name", "kind", "adopted_on", "adopted_precision",
            "adopted_at", "period_start", "period_start_precision", "period_end",
            "period_end_precision", "proposed_by", "topics", "summary", "state",
        )  # fmt: skip
