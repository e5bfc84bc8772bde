"""Summits: the sessions of the SCO councils, one by one and listed and their downloads."""

import django_filters
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Council, Country, Format, Summit
from public import ical
from public.exports import CHUNK_SIZE, Listing, Locations, day, ref
from public.filters import DayRangeFilter, choice_error, year_filter
from public.listing import Facet, FacetedFilterSet, SlugsFilter, SortFilter, list_page
from public.registry import Figure, PublicKind, SearchSpec
from public.views import record_ctx, visible


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
    "-date": (_("Newest first"), ("-start_date", "council", "id")),
    "date": (_("Oldest first"), ("start_date", "council", "id")),
}


class SummitFilter(FacetedFilterSet):
    council = django_filters.MultipleChoiceFilter(
        choices=Council.choices,
        label=_("Council"),
        distinct=False,
        error_messages={"invalid_choice": choice_error("council", Council)},
    )
    year = year_filter()
    date = DayRangeFilter(field_name="start_date", label=_("Date (from – to)"))
    country = SlugsFilter(
        Country.objects.published(), _("Host or chair"), what="country", method="filter_country"
    )
    format = django_filters.MultipleChoiceFilter(
        choices=Format.choices,
        label=_("Format"),
        distinct=False,
        error_messages={"invalid_choice": choice_error("format", Format)},
    )
    ordering = SortFilter(SUMMIT_ORDERS)

    facets = (
        Facet("council", _("Council"), "council", format_label=lambda v: str(Council(v).label),
              label_of_value=lambda v: Council(v).label),
        Facet("year", _("Year"), ExtractYear("start_date"), order_by_value=True, limit=50),
        Facet("country", _("Host or chair"), None, rows=host_or_chair_counts),
        Facet("format", _("Format"), "format", format_label=lambda v: str(Format(v).label),
              label_of_value=lambda v: Format(v).label),
    )  # fmt: skip

    form_fields = ("ordering",)

    class Meta:
        model = Summit
        fields = []

    def filter_country(self, queryset, name, countries):
        if not countries:
            return queryset
        return queryset.filter(Q(host_country__in=countries) | Q(chair_country__in=countries))


def summit_row(summit, ctx):
    return {
        "slug": summit.slug,
        "title": summit.title,
        "url": ctx.url(summit),
        "council": summit.council,
        "number": summit.number,
        "start_date": day(summit.start_date),
        "end_date": day(summit.end_date),
        "dates": summit.dates_display,
        "format": summit.format,
        "place": summit.place_display,
        "host_country": ref(summit.host_country),
        "chair_country": ref(summit.chair_country),
        "chair": summit.chair,
        "initiatives_adopted": [ref(initiative) for initiative in summit.adopted_initiatives],
        "outcomes": summit.outcomes,
    }


SUMMIT_EVENT_FIELDS = ("id", "slug", "council", "number", "format", "start_date", "end_date",
                       "place_id", "host_country_id", "chair_country_id", "outcomes",
                       "updated_at")  # fmt: skip


def summit_events(queryset, ctx):
    """The summits of `queryset` as all-day VEVENTs, read as values rows; the countries and
    places are read once (Locations)."""
    url = ctx.url_of("meetings:summit_detail")
    location = Locations()
    councils = {council: str(label) for council, label in Council.choices}
    formats = {kind: str(label).lower() for kind, label in Format.choices}
    chaired = gettext("Chair: {country}.")
    rows = queryset.prefetch_related(None).values(*SUMMIT_EVENT_FIELDS)
    for summit in rows.iterator(chunk_size=CHUNK_SIZE):
        chair = location.countries.get(summit["chair_country_id"])
        link = url(summit["slug"])
        lines = [
            f"{councils[summit['council']]}, {formats[summit['format']]}.",
            chaired.format(country=chair) if chair else "",
            summit["outcomes"],
            link,
        ]
        start = summit["start_date"]
        yield ical.all_day_event(
            f"summit-{summit['id']}@sco-tracker", summit["updated_at"], start,
            summit["end_date"], Summit(council=summit["council"], number=summit["number"]).title,
            location(summit["place_id"], summit["host_country_id"], start),
            "\n".join(line for line in lines if line), link,
        )  # fmt: skip


def summit_list(request):
    filterset = SummitFilter(
        request.GET, queryset=Summit.objects.published().for_list(), request=request
    )
    return list_page(request, filterset, Summit.objects.published(), "meetings/summit_list.html")


def summit_detail(request, slug):
    summit = get_object_or_404(visible(request, Summit.objects.for_detail()), slug=slug)
    # The published sessions of the same council just before and just after this one.
    sessions = Summit.objects.published().filter(council=summit.council)
    day, pk = summit.start_date, summit.pk
    earlier = Q(start_date__lt=day) | Q(start_date=day, pk__lt=pk)
    later = Q(start_date__gt=day) | Q(start_date=day, pk__gt=pk)
    ctx = {
        "summit": summit,
        "previous": sessions.filter(earlier).order_by("-start_date", "-id").first(),
        "next": sessions.filter(later).order_by("start_date", "id").first(),
        **record_ctx(request, summit),
    }
    return render(request, "meetings/summit_detail.html", ctx)


SUMMITS = Listing(
    "summits",
    SummitFilter,
    lambda: Summit.objects.published().for_list(),
    summit_row,
    ("slug", "title", "url", "council", "number", "start_date", "end_date", "dates", "format",
     "place", "host_country", "chair_country", "chair", "initiatives_adopted", "outcomes"),
    events=summit_events,
)  # fmt: skip


def summit_document(summit):
    places = (
        [summit.place.name, *(n.name for n in summit.place.names.all())] if summit.place else []
    )
    countries = [c.name for c in (summit.public_host_country, summit.public_chair_country) if c]
    return {
        "A": [summit.title, str(summit.start_date.year), *places],
        "B": countries + [summit.chair, summit.outcomes],
        "C": [summit.notes],
    }


KIND = PublicKind(
    key="summits",
    name="summit",
    title=_("Summits"),
    model=Summit,
    namespace="meetings",
    list_view=summit_list,
    detail_view=summit_detail,
    listing=SUMMITS,
    cite_title=lambda summit: f"{summit.title}, {summit.dates_display}",
    search=SearchSpec(
        summit_document,
        queryset=lambda: Summit.objects.select_related("place"),
        prefetch=("place__names",),
        related=("place", "host_country", "chair_country"),
        date_field="start_date",
        heading=lambda summit: summit.name,
        details=lambda summit: f"{summit.title}, {summit.dates_display}",
    ),
    figure=Figure(
        lambda count: ngettext("summit", "summits", count),
        lambda today: Summit.objects.published(),
    ),
)
