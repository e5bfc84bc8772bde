"""Meetings: the faceted list, the page of one meeting, its downloads, calendar and feed."""

import datetime
import functools
from collections import defaultdict

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear, NullIf, TruncMonth
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from initiatives.models import Initiative
from meetings.dates import format_range
from meetings.models import (
    Country,
    Meeting,
    Official,
    OfficialName,
    Organization,
    Participation,
    Place,
    PlaceName,
    Post,
    State,
    Summit,
    Topic,
)
from public import ical
from public.exports import PRECISION_NOTES, Listing, Locations, chunks, day, ref, summit_refs
from public.feeds import PublishedFeed
from public.filters import (
    DayRangeFilter,
    MonthFilter,
    choice_error,
    month_label,
    month_label_of_value,
    month_value,
    published,
    year_filter,
)
from public.listing import Facet, FacetedFilterSet, Keyset, SlugsFilter, SortFilter, list_page
from public.registry import Figure, PublicKind, SearchSpec
from public.views import record_ctx, visible

MEETING_ORDERS = {
    "-date": (_("Newest first"), ("-start_date", "-id")),
    "date": (_("Oldest first"), ("start_date", "id")),
}


SEARCH_MIN_LENGTH = 3


class PostTitlesField(forms.MultipleChoiceField):
    """Titles of posts on record ("Minister of Foreign Affairs"), checked in one query."""

    def valid_value(self, value):
        return True

    def validate(self, value):
        super().validate(value)
        for title in value:
            ProhibitNullCharactersValidator()(title)  # which PostgreSQL's text cannot hold
        known = set(Post.objects.filter(title__in=value).values_list("title", flat=True))
        for title in value:
            if title not in known:
                raise ValidationError(
                    _("There is no post '%(value)s' on record."),
                    code="invalid_choice",
                    params={"value": title[:100]},
                )


@extend_schema_field(OpenApiTypes.STR)  # a post's title, e.g. "Secretary-General"
class PostTitleFilter(django_filters.MultipleChoiceFilter):
    """Meetings with a participant who held, that day, a post of one of the titles (in any
    country or body): the position on record of the participation."""

    field_class = PostTitlesField

    def filter(self, qs, value):
        if not value:
            return qs
        held = Participation.objects.filter(meeting=OuterRef("pk"), position__post__title__in=value)
        return qs.filter(Exists(held))


def of_published_officials(lookup):
    """`lookup` through a participation, or NULL where its official is a draft."""
    return Case(
        When(participations__official__state=State.PUBLISHED, then=F(f"participations__{lookup}"))
    )


class MeetingFilter(FacetedFilterSet):
    # The trigram indexes serve terms of 3 characters or more; a shorter one would scan every
    # meeting, and is answered with a 400 and this message.
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        max_length=200,
        min_length=SEARCH_MIN_LENGTH,
        error_messages={
            "min_length": format_lazy(
                _(
                    "Search needs at least {count} characters (this has %(show_value)d): add to "
                    "it, or narrow the list with its filters instead."
                ),
                count=SEARCH_MIN_LENGTH,
            )
        },
    )
    date = DayRangeFilter(field_name="start_date", label=_("Date (from – to)"))
    # distinct=False: each of these matches a meeting at most once, so no DISTINCT is needed.
    year = year_filter()
    month = MonthFilter(method="filter_month", label=_("Month"))
    country = SlugsFilter(Country.objects.published(), _("Held in"), what="country")
    place = SlugsFilter(Place.objects.all(), _("Place"), what="place")
    participant_country = SlugsFilter(
        Country.objects.published(),
        _("Participant from"),
        through=(Participation, "meeting", "country"),
        what="country",
    )
    official = SlugsFilter(
        Official.objects.published(),
        _("Official"),
        through=(Participation, "meeting", "official"),
        what="official",
    )
    post = PostTitleFilter(label=_("Participant's post that day"))
    body = SlugsFilter(
        Organization.objects.all(),
        _("Participant's body that day"),
        through=(Participation, "meeting", "position__post__organization"),
        what="body",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Meeting.Kind.choices,
        label=_("Kind"),
        distinct=False,
        error_messages={"invalid_choice": choice_error("kind", Meeting.Kind)},
    )
    topic = SlugsFilter(
        Topic.objects.all(),
        _("Topic"),
        through=(Meeting.topics.through, "meeting", "topic"),
        what="topic",
    )
    summit = SlugsFilter(Summit.objects.published(), _("Summit"), what="summit")
    initiative = SlugsFilter(
        Initiative.objects.published(),
        _("Initiative"),
        through=(Initiative.meetings.through, "meeting", "initiative"),
        what="initiative",
    )
    ordering = SortFilter(MEETING_ORDERS)

    # A meeting has one date, country and kind, and each official or topic at most once; only
    # the participants' countries repeat within a meeting, so only they count DISTINCT meetings.
    facets = (
        Facet("year", _("Year"), ExtractYear("start_date"), order_by_value=True, limit=40,
              distinct=False),
        Facet("month", _("Month"), TruncMonth("start_date"), order_by_value=True,
              format_label=month_label, format_value=month_value, distinct=False,
              label_of_value=month_label_of_value),
        Facet("country", _("Held in"), published("country"), "country__name", distinct=False),
        Facet("participant_country", _("Participant from"),
              published("participations__country"), "participations__country__name"),
        Facet("official", _("Official"), published("participations__official"),
              "participations__official__name", distinct=False),
        # From the position on record that each participant held on the meeting's day.
        Facet("post", _("Participant's post that day"),
              of_published_officials("position__post__title")),
        Facet("body", _("Participant's body that day"),
              of_published_officials("position__post__organization__slug"),
              Coalesce(NullIf("participations__position__post__organization__short_name",
                              Value("")), "participations__position__post__organization__name")),
        Facet("kind", _("Kind"), "kind", format_label=lambda v: str(Meeting.Kind(v).label),
              distinct=False, label_of_value=lambda v: Meeting.Kind(v).label),
        Facet("topic", _("Topic"), "topics__slug", "topics__name", distinct=False),
    )  # fmt: skip
    summary_name = "meetings"

    form_fields = ("q", "date_after", "date_before", "ordering")

    class Meta:
        model = Meeting
        fields = []

    def places_named(self, value):
        """The places called `value` or any other name on record ("Nur-Sultan" for Astana),
        read once per filter set (the facets filter again): the table is small, and a term that
        names no place then adds no scan of the meetings."""
        known = vars(self).setdefault("_places_named", {})
        if value not in known:
            names = PlaceName.objects.filter(name__icontains=value).values("place_id")
            matching = Place.objects.filter(Q(name__icontains=value) | Q(pk__in=names))
            known[value] = list(matching.values_list("pk", flat=True))
        return known[value]

    def filter_q(self, queryset, name, value):
        # One union of ids, so that each part reads its own (trigram) index on PostgreSQL.
        aliases = OfficialName.objects.filter(
            name__icontains=value, official__state=State.PUBLISHED
        ).order_by()
        officials = (
            Official.objects.published()
            .filter(name__icontains=value)
            .order_by()
            .values("pk")
            .union(aliases.values("official_id"))
        )
        people = Participation.objects.filter(official__in=officials).order_by()
        places = self.places_named(value)
        meetings = Meeting.objects.order_by()
        matches = (
            meetings.filter(title__icontains=value)
            .values("pk")
            .union(meetings.filter(summary__icontains=value).values("pk"))
            .union(people.values("meeting_id"))
            .union(meetings.filter(place__in=places).values("pk"))
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
    """Counts the facets of the whole meetings list, and of the list filtered by each of its most
    common values, ahead of its readers; returns whether the counts were stored (they are not
    when a record changed meanwhile)."""
    return MeetingFilter.refresh_summary(Meeting.objects.published())


MEETING_FIELDS = ("id", "slug", "title", "kind", "start_date", "end_date", "date_precision",
                  "place_id", "country_id", "summit_id", "summary")  # fmt: skip


def meeting_rows(queryset, ctx):
    """The rows of the meetings of `queryset`, read as values CHUNK_SIZE meetings at a time.

    Each chunk's participants and topics take one query each; the countries, places and summits,
    which are few beside the meetings, are read once.
    """
    url = ctx.url_of("meetings:meeting_detail")
    countries = {country.pk: ref(country) for country in Country.objects.published()}
    places = Place.objects.only("name").prefetch_related("names").in_bulk()
    summits = summit_refs()
    # Babel takes a fraction of a millisecond to write dates, a third of a row's cost; the rows
    # come in date order, so the dates last written are kept and a day's meetings share them.
    dates = functools.lru_cache(maxsize=256)(format_range)
    for chunk in chunks(queryset.prefetch_related(None).values(*MEETING_FIELDS)):
        ids = [meeting["id"] for meeting in chunk]
        people, topics = defaultdict(list), defaultdict(list)
        participations = Participation.objects.public().filter(meeting__in=ids)
        for meeting, name, slug, country in participations.order_by("meeting", "id").values_list(
            "meeting", "official__name", "official__slug", "country"
        ):
            people[meeting].append(({"name": name, "slug": slug}, country))
        links = Meeting.topics.through.objects.filter(meeting__in=ids)
        for meeting, name, slug in links.order_by("topic__name", "topic__id").values_list(
            "meeting", "topic__name", "topic__slug"
        ):
            topics[meeting].append({"name": name, "slug": slug})
        for meeting in chunk:
            place = places.get(meeting["place_id"])
            participants = people[meeting["id"]]
            yield {
                "slug": meeting["slug"],
                "title": meeting["title"],
                "url": url(meeting["slug"]),
                "kind": meeting["kind"],
                "start_date": day(meeting["start_date"]),
                "end_date": day(meeting["end_date"]),
                "date_precision": meeting["date_precision"],
                "dates": dates(
                    meeting["start_date"], meeting["end_date"], meeting["date_precision"]
                ),
                "place": place.name_then_and_now(meeting["start_date"]) if place else "",
                "country": countries.get(meeting["country_id"]),
                "participants": [person for person, _ in participants],
                "participant_countries": [
                    countries[country]
                    for country in dict.fromkeys(country for _, country in participants)
                    if country in countries
                ],
                "topics": topics[meeting["id"]],
                "summit": summits.get(meeting["summit_id"]),
                "summary": meeting["summary"],
            }


EVENT_FIELDS = ("id", "slug", "title", "kind", "start_date", "end_date", "date_precision",
                "place_id", "country_id", "summary", "updated_at")  # fmt: skip


def meeting_events(queryset, ctx):
    """The meetings of `queryset` as all-day VEVENTs, read as values CHUNK_SIZE at a time.

    As meeting_rows: each chunk's participants take one query; the countries and places are
    read once (Locations), and the dates of a rough meeting are written once per run of equal dates.
    """
    url = ctx.url_of("meetings:meeting_detail")
    location = Locations()
    kinds = {kind: f"{label}." for kind, label in Meeting.Kind.choices}
    notes = {precision: str(note) for precision, note in PRECISION_NOTES.items()}
    named = gettext("Participants: {names}.")
    dates = functools.lru_cache(maxsize=256)(format_range)
    for chunk in chunks(queryset.prefetch_related(None).values(*EVENT_FIELDS)):
        people = defaultdict(list)
        participations = Participation.objects.public().filter(meeting__in=[m["id"] for m in chunk])
        for meeting, name, capacity in participations.order_by("meeting", "id").values_list(
            "meeting", "official__name", "capacity"
        ):
            people[meeting].append(f"{name} ({capacity})" if capacity else name)
        for meeting in chunk:
            start, end = meeting["start_date"], meeting["end_date"]
            precision = meeting["date_precision"]
            rough = notes.get(precision)
            participants = ", ".join(people[meeting["id"]])
            link = url(meeting["slug"])
            lines = [
                rough.format(dates=dates(start, end, precision)) if rough else "",
                kinds[meeting["kind"]],
                named.format(names=participants) if participants else "",
                meeting["summary"],
                link,
            ]
            where = location(meeting["place_id"], meeting["country_id"], start)
            yield ical.all_day_event(
                f"meeting-{meeting['id']}@sco-tracker", meeting["updated_at"], start, end,
                meeting["title"], where,
                "\n".join(line for line in lines if line), link,
            )  # fmt: skip


class NewMeetingsFeed(PublishedFeed):
    name = _("SCO Tracker: newly published meetings")
    subtitle = _("Meetings of the Shanghai Cooperation Organisation, as editors publish them.")
    list_url_name = "meetings:meeting_list"

    def item_title(self, meeting):
        return f"{meeting.title}, {meeting.dates_display}"

    def item_description(self, meeting):
        facts = [meeting.dates_display, meeting.place_display, meeting.get_kind_display()]
        people = [p.official.name for p in meeting.participations.all()]
        return format_html(
            "<p>{}</p>{}{}",
            " · ".join(fact for fact in facts if fact),
            format_html(
                "<p>{}</p>", gettext("Participants: {names}").format(names=", ".join(people))
            )
            if people
            else "",
            format_html_join(
                "", "<p>{}</p>", ((line,) for line in meeting.summary.splitlines() if line)
            ),
        )


def meeting_list(request):
    filterset = MeetingFilter(
        request.GET, queryset=Meeting.objects.published().for_rows(), request=request
    )
    template = "meetings/meeting_list.html"
    keyset = Keyset("start_date", "-date")
    return list_page(request, filterset, Meeting.objects.published(), template, keyset=keyset)


def meeting_detail(request, slug):
    meeting = get_object_or_404(visible(request, Meeting.objects.for_detail()), slug=slug)
    participations = list(meeting.participations.all())
    officials = [participation.official_id for participation in participations]
    # Other published meetings with at least two of these participants (or the one, if alone).
    # Filtered first, the count reads only these officials' participations (from their index).
    other_meetings = (
        Meeting.objects.published()
        .exclude(pk=meeting.pk)
        .filter(participations__official__in=officials)
        .annotate(shared=Count("participations"))
        .filter(shared__gte=min(2, len(officials)) or 1)
        .select_related("place")
        .order_by("-start_date", "-id")[:10]
    )
    ctx = {
        "meeting": meeting,
        "participations": participations,
        "initiatives": meeting.initiatives.published(),
        "other_meetings": other_meetings,
        "disagreements": meeting.disagreements.select_related("accepted_source", "other_source"),
        **record_ctx(request, meeting),
    }
    return render(request, "meetings/meeting_detail.html", ctx)


MEETINGS = Listing(
    "meetings",
    MeetingFilter,
    lambda: Meeting.objects.published().for_list().select_related("summit"),
    None,
    ("slug", "title", "url", "kind", "start_date", "end_date", "date_precision", "dates", "place",
     "country", "participants", "participant_countries", "topics", "summit", "summary"),
    rows=meeting_rows,
    events=meeting_events,
)  # fmt: skip


def meeting_document(meeting):
    officials = [p.official for p in meeting.participations.all() if p.official.is_published]
    people = [official.name for official in officials]
    people += [name.name for official in officials for name in official.names.all()]
    places = (
        [meeting.place.name, *(n.name for n in meeting.place.names.all())] if meeting.place else []
    )
    return {
        "A": [meeting.title],
        "B": people + places + [meeting.country.name if meeting.country else ""],
        "C": [meeting.summary, *(t.name for t in meeting.topics.all())],
    }


KIND = PublicKind(
    key="meetings",
    name="meeting",
    title=_("Meetings"),
    model=Meeting,
    namespace="meetings",
    list_view=meeting_list,
    detail_view=meeting_detail,
    listing=MEETINGS,
    cite_title=lambda meeting: f"{meeting.title}, {meeting.dates_display}",
    search=SearchSpec(
        meeting_document,
        queryset=lambda: Meeting.objects.select_related("place", "country"),
        prefetch=("place__names", "topics", "participations__official__names"),
        related=("place", "country"),
        date_field="start_date",
        heading=lambda meeting: meeting.title,
        details=lambda meeting: " · ".join(
            part for part in (meeting.dates_display, meeting.place and meeting.place.name) if part
        ),
    ),
    feed=NewMeetingsFeed(MEETINGS),
    figure=Figure(
        lambda count: ngettext("meeting", "meetings", count),
        lambda today: Meeting.objects.published(),
    ),
)
