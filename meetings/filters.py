import datetime

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

from .listing import Facet, FacetedFilterSet, SortFilter
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


def month_label(value):
    return value.strftime("%B %Y")


def month_value(value):
    return value.strftime("%Y-%m")


MEETING_ORDERS = {
    "-date": ("Newest first", ("-start_date", "-id")),
    "date": ("Oldest first", ("start_date", "id")),
}


class MeetingFilter(FacetedFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search", max_length=200)
    date = django_filters.DateFromToRangeFilter(field_name="start_date", label="Date (from – to)")
    # distinct=False: each of these matches a meeting at most once, so no DISTINCT is needed.
    year = django_filters.TypedMultipleChoiceFilter(
        choices=YEARS, coerce=int, field_name="start_date__year", label="Year", distinct=False
    )
    month = django_filters.MultipleChoiceFilter(method="filter_month", label="Month")
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.all(),
        to_field_name="slug",
        method="filter_country",
        label="Held in",
    )
    participant_country = django_filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.all(),
        to_field_name="slug",
        method="filter_participant_country",
        label="Participant from",
    )
    official = django_filters.ModelMultipleChoiceFilter(
        queryset=Official.objects.all(),
        to_field_name="slug",
        method="filter_official",
        label="Official",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Meeting.Kind.choices, label="Kind", distinct=False
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        queryset=Topic.objects.all(), to_field_name="slug", method="filter_topic", label="Topic"
    )
    summit = django_filters.ModelMultipleChoiceFilter(
        queryset=Summit.objects.all(),
        to_field_name="slug",
        method="filter_summit",
        label="Summit",
    )
    initiative = django_filters.ModelMultipleChoiceFilter(
        queryset=None, to_field_name="slug", method="filter_initiative", label="Initiative"
    )
    ordering = SortFilter(MEETING_ORDERS)

    facets = (
        Facet("year", "Year", ExtractYear("start_date"), order_by_value=True, limit=40),
        Facet("month", "Month", TruncMonth("start_date"), order_by_value=True,
              format_label=month_label, format_value=month_value),
        Facet("country", "Held in", "country__slug", "country__name"),
        Facet("participant_country", "Participant from",
              "participations__country__slug", "participations__country__name"),
        Facet("official", "Official", "participations__official__slug",
              "participations__official__name"),
        Facet("kind", "Kind", "kind", format_label=lambda v: Meeting.Kind(v).label),
        Facet("topic", "Topic", "topics__slug", "topics__name"),
    )  # fmt: skip

    class Meta:
        model = Meeting
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from initiatives.models import Initiative

        self.filters["initiative"].queryset = Initiative.objects.all()
        self.filters["month"].extra["choices"] = [
            (f"{year}-{month:02d}", f"{year}-{month:02d}")
            for year in range(1990, 2101)
            for month in range(1, 13)
        ]

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

    def filter_country(self, queryset, name, countries):
        # By id, so that the database reads the meetings of those countries from their index.
        return queryset.filter(country__in=countries) if countries else queryset

    def filter_summit(self, queryset, name, summits):
        return queryset.filter(summit__in=summits) if summits else queryset

    def filter_participant_country(self, queryset, name, countries):
        if not countries:
            return queryset
        return queryset.filter(
            Exists(Participation.objects.filter(meeting=OuterRef("pk"), country__in=countries))
        )

    def filter_official(self, queryset, name, officials):
        if not officials:
            return queryset
        return queryset.filter(
            Exists(Participation.objects.filter(meeting=OuterRef("pk"), official__in=officials))
        )

    def filter_topic(self, queryset, name, topics):
        if not topics:
            return queryset
        return queryset.filter(
            Exists(Meeting.topics.through.objects.filter(meeting=OuterRef("pk"), topic__in=topics))
        )

    def filter_initiative(self, queryset, name, initiatives):
        if not initiatives:
            return queryset
        through = Meeting.initiatives.through
        return queryset.filter(
            Exists(through.objects.filter(meeting=OuterRef("pk"), initiative__in=initiatives))
        )


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


def choice_error(what, choices):
    return f"There is no {what} '%(value)s': use one of {', '.join(choices.values)}."


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
    year = django_filters.TypedMultipleChoiceFilter(
        choices=YEARS,
        coerce=int,
        field_name="start_date__year",
        label="Year",
        distinct=False,
        error_messages={"invalid_choice": "'%(value)s' is not a year from 1990 to 2100."},
    )
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.published(),
        to_field_name="slug",
        method="filter_country",
        label="Host or chair",
        error_messages={"invalid_choice": "There is no country '%(value)s' on record."},
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
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.published(),
        to_field_name="slug",
        method="filter_country",
        label="Country",
        error_messages={"invalid_choice": "There is no country '%(value)s' on record."},
    )
    organization = django_filters.ModelMultipleChoiceFilter(
        queryset=Organization.objects.all(),
        to_field_name="slug",
        method="filter_organization",
        label="Organisation",
        error_messages={"invalid_choice": "There is no organisation '%(value)s' on record."},
    )
    position = django_filters.ModelMultipleChoiceFilter(
        queryset=Post.objects.all(),
        to_field_name="slug",
        method="filter_position",
        label="Position",
        error_messages={"invalid_choice": "There is no position '%(value)s' on record."},
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
        names = OfficialName.objects.filter(official=OuterRef("pk"), name__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Exists(names))

    def filter_country(self, queryset, name, countries):
        if not countries:
            return queryset
        return queryset.of_countries(countries)

    def filter_organization(self, queryset, name, organizations):
        if not organizations:
            return queryset
        positions = Position.objects.filter(
            official=OuterRef("pk"), post__organization__in=organizations
        )
        return queryset.filter(Exists(positions))

    def filter_position(self, queryset, name, posts):
        if not posts:
            return queryset
        return queryset.filter(
            Exists(Position.objects.filter(official=OuterRef("pk"), post__in=posts))
        )

    def filter_current(self, queryset, name, value):
        held = Position.objects.held_on(timezone.localdate()).filter(official=OuterRef("pk"))
        return queryset.filter(Exists(held))


class DayField(forms.DateField):
    """A day written YYYY-MM-DD; anything else is refused, quoting what was given."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return datetime.datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            raise ValidationError(
                f"'{value[:40]}' is not a date: write it as YYYY-MM-DD, e.g. 2020-01-01.",
                code="invalid",
            ) from None


class DayFilter(django_filters.Filter):
    field_class = DayField


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
