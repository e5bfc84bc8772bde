"""Countries: by their SCO status on a day, and the page of one country."""

from urllib.parse import urlencode

import django_filters
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from meetings.models import (
    Country,
    CountryStatus,
    Meeting,
    Official,
    Participation,
    SCOStatus,
    Summit,
)
from public.exports import Listing, day
from public.filters import DayFilter
from public.listing import Facet, FacetedFilterSet, list_page
from public.maps import meetings_map
from public.registry import Figure, PublicKind, SearchSpec
from public.views import record_ctx, visible

COUNTRY_STATUSES = [
    (SCOStatus.MEMBER.value, SCOStatus.MEMBER.label),
    (SCOStatus.OBSERVER.value, SCOStatus.OBSERVER.label),
    (SCOStatus.DIALOGUE_PARTNER.value, SCOStatus.DIALOGUE_PARTNER.label),
    (SCOStatus.PARTNER.value, SCOStatus.PARTNER.label),
]


def status_label(value):
    return str(SCOStatus(value).label)


class CountryFilter(FacetedFilterSet):
    """Countries with an SCO status on `as_of` (today if not given), by that day's status."""

    status = django_filters.MultipleChoiceFilter(
        choices=COUNTRY_STATUSES,
        method="filter_status",
        label=_("Status"),
        error_messages={
            "invalid_choice": _(
                "'%(value)s' is not a status: use member, observer, dialogue_partner or partner."
            )
        },
    )
    as_of = DayFilter(method="filter_as_of", label=_("As of"))

    facets = (
        Facet("status", _("Status"), Case(
            When(sco_status=SCOStatus.FOUNDING_MEMBER, then=Value(SCOStatus.MEMBER.value)),
            default=F("sco_status"),
            output_field=CharField(),
        ), format_label=status_label, label_of_value=lambda v: SCOStatus(v).label),
    )  # fmt: skip

    form_fields = ("as_of",)

    class Meta:
        model = Country
        fields = []

    def day(self):
        """The day whose statuses the list shows: `as_of`, or today."""
        as_of = self.form.cleaned_data.get("as_of") if self.is_valid() else None
        return as_of or timezone.localdate()

    def records(self, queryset):
        return queryset.with_status_on(self.day())

    def filter_queryset(self, queryset):
        return super().filter_queryset(self.records(queryset))

    def filter_as_of(self, queryset, name, value):
        # The day is applied first, in filter_queryset, since the status filter reads it.
        return queryset

    def filter_status(self, queryset, name, values):
        statuses = set(values)
        if SCOStatus.MEMBER in statuses:
            statuses.add(SCOStatus.FOUNDING_MEMBER)
        return queryset.filter(sco_status__in=statuses)


def country_row(country, ctx):
    statuses = country.statuses_then
    return {
        "slug": country.slug,
        "name": country.name,
        "name_ru": country.name_in("ru") or None,
        "name_zh": country.name_in("zh-hans") or None,
        "native_name": country.native_name,
        "iso_code": country.iso_code,
        "url": ctx.url(country),
        "status": country.sco_status,
        "status_since": day(statuses[0].since) if statuses else None,
        "as_of": day(ctx.filterset.day()),
        "meeting_count": country.meeting_count,
    }


COUNTRY_MEETINGS_SHOWN = 20
COUNTRY_OFFICIALS_SHOWN = 50
COUNTRY_INITIATIVES_SHOWN = 20


def country_list(request):
    filterset = CountryFilter(
        request.GET, queryset=Country.objects.published().for_list(), request=request
    )
    ctx = {"day": filterset.day()}
    template = "meetings/country_list.html"
    return list_page(request, filterset, Country.objects.published(), template, ctx)


def country_detail(request, slug):
    country = get_object_or_404(visible(request, Country.objects.for_detail()), slug=slug)
    held = Meeting.objects.published().filter(country=country)
    latest = held.select_related("place").prefetch_related("place__names")
    officials = Official.objects.published().of_countries([country])
    proposed = Initiative.objects.published().filter(proposed_by=country)
    initiatives = list(proposed[: COUNTRY_INITIATIVES_SHOWN + 1])
    ctx = {
        "country": country,
        "status_today": country.statuses.on(timezone.localdate()).order_by("-since").first(),
        "officials": officials[:COUNTRY_OFFICIALS_SHOWN],
        "meetings": latest[:COUNTRY_MEETINGS_SHOWN],
        "meeting_count": held.count(),
        "summits": country_summits(country),
        "initiatives": initiatives[:COUNTRY_INITIATIVES_SHOWN],
        "more_initiatives": len(initiatives) > COUNTRY_INITIATIVES_SHOWN,
        "map": meetings_map(
            Meeting.objects.published().filter(
                Exists(Participation.objects.filter(meeting=OuterRef("pk"), country=country))
            ),
            QueryDict(urlencode({"participant_country": country.slug})),
        ),
        **record_ctx(request, country),
    }
    return render(request, "meetings/country_detail.html", ctx)


def country_summits(country):
    """Published summits the country hosted or chaired, each with its `role` (in the reader's
    language)."""
    host, chair = Q(host_country=country), Q(chair_country=country)
    role = Case(
        When(host & chair, then=Value(gettext("Host and chair"))),
        When(host, then=Value(gettext("Host"))),
        default=Value(gettext("Chair")),
        output_field=CharField(),
    )
    summits = Summit.objects.published().filter(host | chair)
    return summits.annotate(role=role).select_related("place")


COUNTRIES = Listing(
    "countries",
    CountryFilter,
    lambda: Country.objects.published().for_list(),
    country_row,
    ("slug", "name", "name_ru", "name_zh", "native_name", "iso_code", "url", "status",
     "status_since", "as_of", "meeting_count"),
)  # fmt: skip


def country_document(country):
    return {
        "A": [country.name, country.native_name, country.iso_code],
        "B": [],
        "C": [country.notes],
    }


KIND = PublicKind(
    key="countries",
    name="country",
    title=_("Countries"),
    model=Country,
    namespace="meetings",
    list_view=country_list,
    detail_view=country_detail,
    listing=COUNTRIES,
    search=SearchSpec(
        country_document,
        queryset=lambda: Country.objects.all(),
        details=lambda country: country.native_name,
    ),
    figure=Figure(
        lambda count: ngettext("member state today", "member states today", count),
        lambda today: Country.objects.published().filter(
            statuses__in=CountryStatus.objects.on(today).members()
        ),
        query="?status=member",
    ),
)
