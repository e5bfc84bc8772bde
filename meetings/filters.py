import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, ExtractYear, NullIf, TruncMonth
from django.utils import timezone

from initiatives.models import Initiative

from .listing import Facet, FacetedFilterSet, SlugsFilter, SortFilter
from .models import (
    Council,
    Country,
    Format,
    Meeting,
    Official,
    OfficialName,
    Organization,
    Participation,
    Position,
    Post,
    SCOStatus,
    State,
    Summit,
    Topic,
)

YEARS = [(year, str(year)) for year in range(1990, 2101)]


def year_filter():
    """The years a meeting or summit starts in (each matches a record once: no DISTINCT)."""
    return django_filters.TypedMultipleChoiceFilter(
        choices=YEARS,
        coerce=int,
        field_name="start_date__year",
        label="Year",
        distinct=False,
        error_messages={"invalid_choice": "'%(value)s' is not a year from 1990 to 2100."},
    )


def month_label(value):
    return value.strftime("%B %Y")


def month_value(value):
    return value.strftime("%Y-%m")


class MonthsField(forms.MultipleChoiceField):
    """Months written YYYY-MM from 1990-01 to 2100-12, checked by their shape, not a list."""

    pattern = r"(199\d|20\d\d|2100)-(0[1-9]|1[0-2])"
    default_error_messages = {
        "invalid_choice": "'%(value)s' is not a month: write it as YYYY-MM, from 1990-01 to "
        "2100-12."
    }

    def valid_value(self, value):
        return re.fullmatch(self.pattern, value) is not None


class MonthFilter(django_filters.MultipleChoiceFilter):
    field_class = MonthsField


class DayField(forms.DateField):
    """A day written YYYY-MM-DD; anything else is refused, quoting what was given."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return datetime.datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            raise ValidationError(
                "'%(value)s' is not a date: write it as YYYY-MM-DD, e.g. 2020-01-01.",
                code="invalid",
                params={"value": value[:40]},
            ) from None


class DayFilter(django_filters.Filter):
    field_class = DayField


class DayRangeField(django_filters.fields.DateRangeField):
    """Two days, `_after` and `_before`, each written YYYY-MM-DD (either may be left out)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = (DayField(required=False), DayField(required=False))


class DayRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = DayRangeField


def choice_error(what, choices):
    return f"There is no {what} '%(value)s': use one of {', '.join(choices.values)}."


MEETING_ORDERS = {
    "-date": ("Newest first", ("-start_date", "-id")),
    "date": ("Oldest first", ("start_date", "id")),
}


class MeetingFilter(FacetedFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search", max_length=200)
    date = DayRangeFilter(field_name="start_date", label="Date (from – to)")
    # distinct=False: each of these matches a meeting at most once, so no DISTINCT is needed.
    year = year_filter()
    month = MonthFilter(method="filter_month", label="Month")
    country = SlugsFilter(Country.objects.all(), "Held in", what="country")
    participant_country = SlugsFilter(
        Country.objects.all(),
        "Participant from",
        through=(Participation, "meeting", "country"),
        what="country",
    )
    official = SlugsFilter(
        Official.objects.all(),
        "Official",
        through=(Participation, "meeting", "official"),
        what="official",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Meeting.Kind.choices,
        label="Kind",
        distinct=False,
        error_messages={"invalid_choice": choice_error("kind", Meeting.Kind)},
    )
    topic = SlugsFilter(
        Topic.objects.all(),
        "Topic",
        through=(Meeting.topics.through, "meeting", "topic"),
        what="topic",
    )
    summit = SlugsFilter(Summit.objects.all(), "Summit", what="summit")
    initiative = SlugsFilter(
        Initiative.objects.all(),
        "Initiative",
        through=(Initiative.meetings.through, "meeting", "initiative"),
        what="initiative",
    )
    ordering = SortFilter(MEETING_ORDERS)

    # A meeting has one date, country and kind, and each official or topic at most once; only
    # the participants' countries repeat within a meeting, so only they count DISTINCT meetings.
    facets = (
        Facet("year", "Year", ExtractYear("start_date"), order_by_value=True, limit=40,
              distinct=False),
        Facet("month", "Month", TruncMonth("start_date"), order_by_value=True,
              format_label=month_label, format_value=month_value, distinct=False),
        Facet("country", "Held in", "country__slug", "country__name", distinct=False),
        Facet("participant_country", "Participant from",
              "participations__country__slug", "participations__country__name"),
        Facet("official", "Official", "participations__official__slug",
              "participations__official__name", distinct=False),
        Facet("kind", "Kind", "kind", format_label=lambda v: Meeting.Kind(v).label,
              distinct=False),
        Facet("topic", "Topic", "topics__slug", "topics__name", distinct=False),
    )  # fmt: skip
    summary_name = "meetings"

    class Meta:
        model = Meeting
        fields = []

    def filter_q(self, queryset, name, value):
        # One union of ids, so that each part reads its own (trigram) index on PostgreSQL.
        aliases = OfficialName.objects.filter(name__icontains=value).order_by()
        officials = (
            Official.objects.filter(name__icontains=value)
            .order_by()
            .values("pk")
            .union(aliases.values("official_id"))
        )
        people = Participation.objects.filter(official__in=officials).order_by()
        meetings = Meeting.objects.order_by()
        matches = (
            meetings.filter(title__icontains=value)
            .values("pk")
            .union(meetings.filter(summary__icontains=value).values("pk"))
            .union(people.values("meeting_id"))
        )
        return queryset.filter(pk__in=matches)

    def filter_month(self, queryset, name, values):
        # Day ranges, which an index on the date serves.
        months = Q()
        for value in values:
            year, month = (int(part) for part in value.split("-"))
            first = datetime.date(year, month, 1)
            following = datetime.date(year + month // 12, month % 12 + 1, 1)
            months |= Q(start_date__gte=first, start_date__lt=following)
        return queryset.filter(months)


def refresh_facet_summaries():
    """Counts the facets of the whole meetings list ahead of its readers; returns whether the
    counts were stored (they are not when a record changed meanwhile)."""
    return MeetingFilter.refresh_summary(Meeting.objects.published())


def host_or_chair_counts(summits):
    """Facet rows: each published country with the number of `summits` it hosted or chaired."""
    either = summits.filter(Q(host_country=OuterRef("pk")) | Q(chair_country=OuterRef("pk")))
    count = either.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return (
        Country.objects.published()
        .annotate(
            facet_value=F("slug"),
            facet_label=F("name"),
            facet_count=Subquery(count, output_field=IntegerField()),
        )
        .filter(facet_count__gt=0)
        .values("facet_value", "facet_label", "facet_count")
    )


SUMMIT_ORDERS = {
    "-date": ("Newest first", ("-start_date", "council", "id")),
    "date": ("Oldest first", ("start_date", "council", "id")),
}


class SummitFilter(FacetedFilterSet):
    council = django_filters.MultipleChoiceFilter(
        choices=Council.choices,
        label="Council",
        distinct=False,
        error_messages={"invalid_choice": choice_error("council", Council)},
    )
    year = year_filter()
    country = SlugsFilter(
        Country.objects.published(), "Host or chair", what="country", method="filter_country"
    )
    format = django_filters.MultipleChoiceFilter(
        choices=Format.choices,
        label="Format",
        distinct=False,
        error_messages={"invalid_choice": choice_error("format", Format)},
    )
    ordering = SortFilter(SUMMIT_ORDERS)

    facets = (
        Facet("council", "Council", "council", format_label=lambda v: Council(v).label),
        Facet("year", "Year", ExtractYear("start_date"), order_by_value=True, limit=50),
        Facet("country", "Host or chair", None, rows=host_or_chair_counts),
        Facet("format", "Format", "format", format_label=lambda v: Format(v).label),
    )  # fmt: skip

    class Meta:
        model = Summit
        fields = []

    def filter_country(self, queryset, name, countries):
        if not countries:
            return queryset
        return queryset.filter(Q(host_country__in=countries) | Q(chair_country__in=countries))


def organization_label(prefix):
    """An organisation's short name, or its full name when it has none."""
    return Coalesce(NullIf(f"{prefix}short_name", Value("")), f"{prefix}name")


class OfficialFilter(FacetedFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search", max_length=200)
    country = SlugsFilter(
        Country.objects.published(), "Country", what="country", method="filter_country"
    )
    organization = SlugsFilter(
        Organization.objects.all(), "Organisation", what="organisation",
        through=(Position, "official", "post__organization"),
    )  # fmt: skip
    position = SlugsFilter(
        Post.objects.all(), "Position", what="position", through=(Position, "official", "post")
    )
    current = django_filters.ChoiceFilter(
        choices=[("1", "Yes"), ("true", "Yes")],
        method="filter_current",
        label="In office today",
        error_messages={
            "invalid_choice": "'%(value)s' is not understood: use 1 (or true) to show only "
            "officials in office today."
        },
    )

    facets = (
        Facet("country", "Nationality",
              Case(When(nationality__state=State.PUBLISHED, then="nationality__slug")),
              "nationality__name"),
        Facet("organization", "Organisation", "positions__post__organization__slug",
              organization_label("positions__post__organization__")),
        Facet("position", "Position", "positions__post__slug",
              Concat("positions__post__title", Value(", "),
                     organization_label("positions__post__organization__"),
                     output_field=CharField())),
    )  # fmt: skip

    class Meta:
        model = Official
        fields = []

    def filter_q(self, queryset, name, value):
        # One union of ids, so that each part reads its own trigram index on PostgreSQL.
        named = Official.objects.filter(name__icontains=value).order_by().values("pk")
        spelled = OfficialName.objects.filter(name__icontains=value).order_by()
        return queryset.filter(pk__in=named.union(spelled.values("official_id")))

    def filter_country(self, queryset, name, countries):
        if not countries:
            return queryset
        return queryset.of_countries(countries)

    def filter_current(self, queryset, name, value):
        held = Position.objects.held_on(timezone.localdate()).filter(official=OuterRef("pk"))
        return queryset.filter(Exists(held))


# What the status filter offers: a founding member counts as a member.
COUNTRY_STATUSES = [
    (SCOStatus.MEMBER.value, SCOStatus.MEMBER.label),
    (SCOStatus.OBSERVER.value, SCOStatus.OBSERVER.label),
    (SCOStatus.DIALOGUE_PARTNER.value, SCOStatus.DIALOGUE_PARTNER.label),
    (SCOStatus.PARTNER.value, SCOStatus.PARTNER.label),
]


def status_label(value):
    return SCOStatus(value).label


class CountryFilter(FacetedFilterSet):
    """Countries with an SCO status on `as_of` (today if not given), by that day's status."""

    status = django_filters.MultipleChoiceFilter(
        choices=COUNTRY_STATUSES,
        method="filter_status",
        label="Status",
        error_messages={
            "invalid_choice": "'%(value)s' is not a status: use member, observer, "
            "dialogue_partner or partner."
        },
    )
    as_of = DayFilter(method="filter_as_of", label="As of")

    facets = (
        Facet("status", "Status", Case(
            When(sco_status=SCOStatus.FOUNDING_MEMBER, then=Value(SCOStatus.MEMBER.value)),
            default=F("sco_status"),
            output_field=CharField(),
        ), format_label=status_label),
    )  # fmt: skip

    class Meta:
        model = Country
        fields = []

    def day(self):
        """The day whose statuses the list shows: `as_of`, or today."""
        as_of = self.form.cleaned_data.get("as_of") if self.is_valid() else None
        return as_of or timezone.localdate()

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.with_status_on(self.day()))

    def filter_as_of(self, queryset, name, value):
        # The day is applied first, in filter_queryset, since the status filter reads it.
        return queryset

    def filter_status(self, queryset, name, values):
        statuses = set(values)
        if SCOStatus.MEMBER in statuses:
            statuses.add(SCOStatus.FOUNDING_MEMBER)
        return queryset.filter(sco_status__in=statuses)
