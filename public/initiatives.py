"""Initiatives and documents: the faceted list, the page of one, the download and the feed."""

import datetime
import functools
from collections import defaultdict

import django_filters
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Kind, Status, period_display
from meetings.dates import format_partial, format_range
from meetings.models import Country, Summit, Topic
from public.exports import Listing, chunks, day, ref, summit_ref, summit_refs
from public.feeds import PublishedFeed
from public.filters import YearFilter, choice_error, published
from public.listing import Facet, FacetedFilterSet, SlugsFilter, SortFilter, list_page
from public.registry import Figure, PublicKind, SearchSpec
from public.views import record_ctx, visible


def summit_label(values):
    """'24th Council of Heads of State (2024)', from the summit's council, number and year."""
    title = Summit(council=values["council"], number=values["number"]).title
    return f"{title} ({values['year']})"


INITIATIVE_ORDERS = {
    "-adopted": (_("Latest adopted first"), (F("adopted_on").desc(nulls_last=True), "title", "id")),
    "adopted": (_("Earliest adopted first"), (F("adopted_on").asc(nulls_last=True), "title", "id")),
    "title": (_("Title"), ("title", "id")),
}


class InitiativeFilter(FacetedFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        field_name="current_status",
        label=_("Current status"),
        distinct=False,
        error_messages={"invalid_choice": choice_error("status", Status)},
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Kind.choices,
        label=_("Kind"),
        distinct=False,
        error_messages={"invalid_choice": choice_error("kind", Kind)},
    )
    proposed_by = SlugsFilter(
        Country.objects.published(), _("Proposed by"), what="country",
        through=(Initiative.proposed_by.through, "initiative", "country"),
    )  # fmt: skip
    topic = SlugsFilter(
        Topic.objects.all(), _("Topic"), what="topic",
        through=(Initiative.topics.through, "initiative", "topic"),
    )  # fmt: skip
    adopted_at = SlugsFilter(Summit.objects.published(), _("Adopted at"), what="summit")
    active_in = YearFilter(
        method="filter_active_in",
        label=_("Active in"),
        min_value=1,
        max_value=9999,
        error_messages={
            "invalid": _("Give a year as a number, such as 2019."),
            "min_value": _("Give a year from 1 to 9999."),
            "max_value": _("Give a year from 1 to 9999."),
        },
    )
    ordering = SortFilter(INITIATIVE_ORDERS)

    facets = (
        Facet("status", _("Current status"), "current_status",
              format_label=lambda v: str(Status(v).label),
              label_of_value=lambda v: Status(v).label),
        Facet("kind", _("Kind"), "kind", format_label=lambda v: str(Kind(v).label),
              label_of_value=lambda v: Kind(v).label),
        Facet("proposed_by", _("Proposed by"), published("proposed_by"), "proposed_by__name"),
        Facet("topic", _("Topic"), "topics__slug", "topics__name"),
        Facet("adopted_at", _("Adopted at"), published("adopted_at"),
              {"council": "adopted_at__council", "number": "adopted_at__number",
               "year": ExtractYear("adopted_at__start_date")},
              format_label=summit_label),
    )  # fmt: skip

    form_fields = ("q", "active_in", "ordering")

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


def initiative_row(initiative, ctx):
    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "short_name": initiative.short_name,
        "url": ctx.url(initiative),
        "kind": initiative.kind,
        "current_status": initiative.current_status,
        "adopted_on": day(initiative.adopted_on),
        "adopted_precision": initiative.adopted_precision if initiative.adopted_on else None,
        "adopted": initiative.adopted_display,
        "adopted_at": summit_ref(initiative.adopted_at),
        "period_start": day(initiative.period_start),
        "period_start_precision": initiative.period_start_precision
        if initiative.period_start
        else None,
        "period_end": day(initiative.period_end),
        "period_end_precision": initiative.period_end_precision if initiative.period_end else None,
        "period": initiative.period_display,
        "proposed_by": [
            ref(country) for country in initiative.proposed_by.all() if country.is_published
        ],
        "topics": [ref(topic) for topic in initiative.topics.all()],
        "summary": initiative.summary,
    }


INITIATIVE_FIELDS = ("id", "slug", "title", "short_name", "kind", "current_status", "adopted_on",
                     "adopted_precision", "adopted_at_id", "period_start", "period_start_precision",
                     "period_end", "period_end_precision", "summary")  # fmt: skip


def initiative_rows(initiatives, ctx):
    """The rows of `initiatives`, read as values CHUNK_SIZE initiatives at a time: initiative_row's
    columns without model instances.

    Each chunk's proposing countries and topics take one query each; the countries and summits
    are read once, and each date is written once per download.
    """
    url = ctx.url_of("initiatives:initiative_detail")
    countries = {country.pk: ref(country) for country in Country.objects.published()}
    summits = summit_refs()
    write, write_range = functools.cache(format_partial), functools.cache(format_range)
    for chunk in chunks(initiatives.prefetch_related(None).values(*INITIATIVE_FIELDS)):
        ids = [initiative["id"] for initiative in chunk]
        proposers, topics = defaultdict(list), defaultdict(list)
        proposals = Initiative.proposed_by.through.objects.filter(initiative__in=ids)
        for initiative, country in proposals.order_by("country__name", "country__id").values_list(
            "initiative", "country"
        ):
            if country in countries:
                proposers[initiative].append(countries[country])
        links = Initiative.topics.through.objects.filter(initiative__in=ids)
        for initiative, name, slug in links.order_by("topic__name", "topic__id").values_list(
            "initiative", "topic__name", "topic__slug"
        ):
            topics[initiative].append({"name": name, "slug": slug})
        for initiative in chunk:
            adopted_on = initiative["adopted_on"]
            start, end = initiative["period_start"], initiative["period_end"]
            yield {
                "slug": initiative["slug"],
                "title": initiative["title"],
                "short_name": initiative["short_name"],
                "url": url(initiative["slug"]),
                "kind": initiative["kind"],
                "current_status": initiative["current_status"],
                "adopted_on": day(adopted_on),
                "adopted_precision": initiative["adopted_precision"] if adopted_on else None,
                "adopted": write(adopted_on, initiative["adopted_precision"]),
                "adopted_at": summits.get(initiative["adopted_at_id"]),
                "period_start": day(start),
                "period_start_precision": initiative["period_start_precision"] if start else None,
                "period_end": day(end),
                "period_end_precision": initiative["period_end_precision"] if end else None,
                "period": period_display(
                    start,
                    initiative["period_start_precision"],
                    end,
                    initiative["period_end_precision"],
                    write,
                    write_range,
                ),  # fmt: skip
                "proposed_by": proposers[initiative["id"]],
                "topics": topics[initiative["id"]],
                "summary": initiative["summary"],
            }


def adopted(initiative):
    return gettext("adopted {date}").format(date=initiative.adopted_display)


class NewInitiativesFeed(PublishedFeed):
    name = _("SCO Tracker: newly published initiatives")
    subtitle = _(
        "Agreements, programmes, strategies and declarations of the SCO, as editors publish them."
    )
    list_url_name = "initiatives:initiative_list"

    def item_title(self, initiative):
        return initiative.title

    def item_description(self, initiative):
        facts = [
            initiative.get_kind_display(),
            initiative.current_status_display,
            adopted(initiative) if initiative.adopted_on else "",
            gettext("covers {period}").format(period=initiative.period_display)
            if initiative.period_display
            else "",
        ]
        return format_html(
            "<p>{}</p>{}",
            " · ".join(fact for fact in facts if fact),
            format_html("<p>{}</p>", initiative.summary) if initiative.summary else "",
        )


def initiative_list(request):
    filterset = InitiativeFilter(
        request.GET, queryset=Initiative.objects.published().for_list(), request=request
    )
    # The status filter and facet read the `current_status` annotation.
    base = Initiative.objects.published().with_current_status()
    return list_page(request, filterset, base, "initiatives/initiative_list.html")


def initiative_detail(request, slug):
    initiative = get_object_or_404(visible(request, Initiative.objects.for_detail()), slug=slug)
    meetings = initiative.meetings.published().order_by("start_date", "id")
    ctx = {
        "initiative": initiative,
        "meetings": meetings,
        **record_ctx(request, initiative),
    }
    return render(request, "initiatives/initiative_detail.html", ctx)


INITIATIVES = Listing(
    "initiatives",
    InitiativeFilter,
    lambda: Initiative.objects.published().for_list(),
    initiative_row,
    ("slug", "title", "short_name", "url", "kind", "current_status", "adopted_on",
     "adopted_precision", "adopted", "adopted_at", "period_start", "period_start_precision",
     "period_end", "period_end_precision", "period", "proposed_by", "topics", "summary"),
    rows=initiative_rows,
)  # fmt: skip


def initiative_document(initiative):
    return {
        "A": [initiative.title, initiative.short_name],
        "B": [initiative.summary, initiative.get_kind_display()],
        "C": [initiative.notes],
    }


KIND = PublicKind(
    key="initiatives",
    name="initiative",
    title=_("Initiatives"),
    model=Initiative,
    namespace="initiatives",
    list_view=initiative_list,
    detail_view=initiative_detail,
    listing=INITIATIVES,
    cite_title=lambda initiative: initiative.title,
    search=SearchSpec(
        initiative_document,
        queryset=lambda: Initiative.objects.all(),
        date_field="adopted_on",
        details=lambda initiative: " · ".join(
            [initiative.get_kind_display()]
            + ([adopted(initiative)] if initiative.adopted_on else [])
        ),
    ),
    feed=NewInitiativesFeed(INITIATIVES),
    figure=Figure(
        lambda count: ngettext("initiative or document", "initiatives and documents", count),
        lambda today: Initiative.objects.published(),
    ),
)
