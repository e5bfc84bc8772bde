import datetime

import django_filters
from django import forms
from django.db.models import Case, F, Q, When
from django.db.models.functions import ExtractYear

from meetings.listing import Facet, FacetedFilterSet, SlugsFilter, SortFilter
from meetings.models import Country, State, Summit, Topic

from .models import Initiative, Kind, Status


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def summit_label(values):
    """'24th Council of Heads of State (2024)', from the summit's council, number and year."""
    title = Summit(council=values["council"], number=values["number"]).title
    return f"{title} ({values['year']})"


def published(relation, field="slug"):
    """`relation__field`, or NULL where the related record is a draft (so no facet offers it)."""
    return Case(When(**{f"{relation}__state": State.PUBLISHED}, then=F(f"{relation}__{field}")))


INITIATIVE_ORDERS = {
    "-adopted": ("Latest adopted first", (F("adopted_on").desc(nulls_last=True), "title", "id")),
    "adopted": ("Earliest adopted first", (F("adopted_on").asc(nulls_last=True), "title", "id")),
    "title": ("Title", ("title", "id")),
}


class InitiativeFilter(FacetedFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search", max_length=200)
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        field_name="current_status",
        label="Current status",
        distinct=False,
        error_messages={
            "invalid_choice": f"There is no status '%(value)s': use one of "
            f"{', '.join(Status.values)}."
        },
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Kind.choices,
        label="Kind",
        distinct=False,
        error_messages={
            "invalid_choice": f"There is no kind '%(value)s': use one of {', '.join(Kind.values)}."
        },
    )
    proposed_by = SlugsFilter(
        Country.objects.published(), "Proposed by", what="country",
        through=(Initiative.proposed_by.through, "initiative", "country"),
    )  # fmt: skip
    topic = SlugsFilter(
        Topic.objects.all(), "Topic", what="topic",
        through=(Initiative.topics.through, "initiative", "topic"),
    )  # fmt: skip
    adopted_at = SlugsFilter(Summit.objects.published(), "Adopted at", what="summit")
    active_in = YearFilter(
        method="filter_active_in",
        label="Active in",
        min_value=1,
        max_value=9999,
        error_messages={
            "invalid": "Give a year as a number, such as 2019.",
            "min_value": "Give a year from 1 to 9999.",
            "max_value": "Give a year from 1 to 9999.",
        },
    )
    ordering = SortFilter(INITIATIVE_ORDERS)

    facets = (
        Facet("status", "Current status", "current_status",
              format_label=lambda v: Status(v).label),
        Facet("kind", "Kind", "kind", format_label=lambda v: Kind(v).label),
        Facet("proposed_by", "Proposed by", published("proposed_by"), "proposed_by__name"),
        Facet("topic", "Topic", "topics__slug", "topics__name"),
        Facet("adopted_at", "Adopted at", published("adopted_at"),
              {"council": "adopted_at__council", "number": "adopted_at__number",
               "year": ExtractYear("adopted_at__start_date")},
              format_label=summit_label),
    )  # fmt: skip

    class Meta:
        model = Initiative
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(short_name__icontains=value) | Q(summary__icontains=value)
        )

    def filter_active_in(self, queryset, name, year):
        """Initiatives whose period overlaps the year; those without a period are left out."""
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return queryset.filter(
            Q(period_start__lte=last), Q(period_end__isnull=True) | Q(period_end__gte=first)
        )
