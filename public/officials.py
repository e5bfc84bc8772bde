"""Officials: the faceted list, the page of one official, and the download."""

import functools
from collections import defaultdict
from types import SimpleNamespace
from urllib.parse import urlencode

import django_filters
from django.db.models import Case, CharField, Count, Exists, OuterRef, Prefetch, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meetings import languages
from meetings.dates import format_partial
from meetings.models import (
    Attestation,
    Country,
    Meeting,
    Official,
    OfficialName,
    Organization,
    Participation,
    Position,
    Post,
    State,
)
from meetings.models.people import term_display
from public.exports import Listing, chunks, ref
from public.listing import Facet, FacetedFilterSet, SlugsFilter, list_page
from public.maps import meetings_map
from public.registry import Figure, PublicKind, SearchSpec
from public.views import record_ctx, visible


def organization_label(prefix):
    """An organisation's short name, or its full name when it has none."""
    return Coalesce(NullIf(f"{prefix}short_name", Value("")), f"{prefix}name")


class OfficialFilter(FacetedFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    country = SlugsFilter(
        Country.objects.published(), _("Country"), what="country", method="filter_country"
    )
    organization = SlugsFilter(
        Organization.objects.all(), _("Organisation"), what="organisation",
        through=(Position, "official", "post__organization"),
    )  # fmt: skip
    position = SlugsFilter(
        Post.objects.all(), _("Position"), what="position", through=(Position, "official", "post")
    )
    current = django_filters.ChoiceFilter(
        choices=[("1", _("Yes")), ("true", _("Yes"))],
        method="filter_current",
        label=_("In office today"),
        error_messages={
            "invalid_choice": _(
                "'%(value)s' is not understood: use 1 (or true) to show only officials in office "
                "today."
            )
        },
    )

    facets = (
        Facet("country", _("Nationality"),
              Case(When(nationality__state=State.PUBLISHED, then="nationality__slug")),
              "nationality__name"),
        Facet("organization", _("Organisation"), "positions__post__organization__slug",
              organization_label("positions__post__organization__")),
        Facet("position", _("Position"), "positions__post__slug",
              Concat("positions__post__title", Value(", "),
                     organization_label("positions__post__organization__"),
                     output_field=CharField())),
    )  # fmt: skip

    form_fields = ("q", "current")

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
def position_term(position):
    """The term as the official's page gives it, or the days a source shows them in the post."""
    if position.term_display:
        return position.term_display
    days = [format_partial(a.date) for a in position.attestations.all()]
    if not days:
        return gettext("term dates unknown")
    return gettext("attested {days}").format(days=", ".join(days))


def official_row(official, ctx):
    nationality = official.nationality
    return {
        "slug": official.slug,
        "name": official.name,
        "name_ru": official.name_in("ru") or None,
        "name_zh": official.name_in("zh-hans") or None,
        "url": ctx.url(official),
        "nationality": ref(nationality) if nationality and nationality.is_published else None,
        "other_names": [other.name for other in official.names.all()],
        "positions": [
            ref(
                position.post,
                f"{position.post.title}, {position.post.organization}",
                term=position_term(position),
            )
            for position in official.positions.all()
        ],
    }


def official_rows(officials, ctx):
    """The rows of `officials`, read as values CHUNK_SIZE officials at a time: official_row's
    columns without model instances.

    Each chunk's names, positions and attestations take one query each; the countries are read
    once, and each day is written once per download (Babel takes a fraction of a millisecond a
    date, most of a row's cost through model instances).
    """
    url = ctx.url_of("meetings:official_detail")
    countries = {country.pk: ref(country) for country in Country.objects.published()}
    write = functools.cache(format_partial)
    native = [OfficialName.Kind.NATIVE]
    fields = ("id", "slug", "name", "nationality_id")
    for chunk in chunks(officials.prefetch_related(None).values(*fields)):
        ids = [official["id"] for official in chunk]
        names, positions, attested = defaultdict(list), defaultdict(list), defaultdict(list)
        spellings = OfficialName.objects.filter(official__in=ids).order_by("kind", "name", "id")
        for row in spellings.values("official_id", "name", "language", "kind"):
            # languages.pick() reads a name's attributes, as it reads OfficialName records.
            names[row["official_id"]].append(SimpleNamespace(**row))
        attestations = Attestation.objects.filter(position__official__in=ids)
        for position, date in attestations.order_by("position", "date", "id").values_list(
            "position", "date"
        ):
            attested[position].append(write(date))
        for position in Position.objects.chronological().filter(official__in=ids).values(
            "id", "official_id", "post__title", "post__slug", "post__organization__name",
            "post__organization__short_name", "start_date", "start_precision", "end_date",
            "end_precision",
        ):  # fmt: skip
            positions[position["official_id"]].append(position)
        for official in chunk:
            own = names[official["id"]]
            ru = languages.pick(own, "ru", kinds=native)
            zh = languages.pick(own, "zh-hans", kinds=native)
            yield {
                "slug": official["slug"],
                "name": official["name"],
                "name_ru": ru.name if ru else None,
                "name_zh": zh.name if zh else None,
                "url": url(official["slug"]),
                "nationality": countries.get(official["nationality_id"]),
                "other_names": [other.name for other in own],
                "positions": [
                    {
                        "name": f"{p['post__title']}, "
                        f"{p['post__organization__short_name'] or p['post__organization__name']}",
                        "slug": p["post__slug"],
                        "term": row_term(p, attested[p["id"]], write),
                    }
                    for p in positions[official["id"]]
                ],
            }


def row_term(position, days, write):
    """position_term() of a position's values row and its attested days, already written."""
    term = term_display(
        position["start_date"], position["start_precision"], position["end_date"],
        position["end_precision"], write,
    )  # fmt: skip
    if term:
        return term
    if not days:
        return gettext("term dates unknown")
    return gettext("attested {days}").format(days=", ".join(days))


OFFICIAL_MEETINGS_SHOWN = 50


def official_list(request):
    filterset = OfficialFilter(
        request.GET, queryset=Official.objects.published().for_list(), request=request
    )
    template = "meetings/official_list.html"
    return list_page(request, filterset, Official.objects.published(), template)


def official_detail(request, slug):
    official = get_object_or_404(visible(request, Official.objects.for_detail()), slug=slug)
    attended = Meeting.objects.published().filter(participations__official=official)
    others = (
        Participation.objects.filter(official__state=State.PUBLISHED)
        .exclude(official=official)
        .select_related("official")
        .only("meeting", "official__name", "official__slug")
        .order_by("official__name", "id")
    )
    meetings = (
        attended.select_related("place")
        .only("slug", "title", "start_date", "end_date", "date_precision", "place__name")
        .prefetch_related(
            "place__names",
            Prefetch("participations", others, to_attr="counterparts"),
            "counterparts__official__names",
        )
    )
    # Published officials by the number of these meetings they shared: one grouped query (an
    # official takes part in a meeting once, so each participation is one shared meeting).
    counterparts = (
        Official.objects.published()
        .exclude(pk=official.pk)
        .filter(participations__meeting__in=attended)
        .annotate(shared=Count("participations"))
        .only("name", "slug")
        .order_by("-shared", "name", "id")
        .prefetch_related("names")
    )
    ctx = {
        "official": official,
        "meetings": meetings.order_by("-start_date", "-id")[:OFFICIAL_MEETINGS_SHOWN],
        "meeting_count": attended.count(),
        "counterparts": counterparts[:10],
        "map": meetings_map(attended, QueryDict(urlencode({"official": official.slug}))),
        **record_ctx(request, official),
    }
    return render(request, "meetings/official_detail.html", ctx)


OFFICIALS = Listing(
    "officials",
    OfficialFilter,
    lambda: Official.objects.published().for_list(),
    official_row,
    ("slug", "name", "name_ru", "name_zh", "url", "nationality", "other_names", "positions"),
    rows=official_rows,
)


def official_document(official):
    posts = [f"{p.post.title} {p.post.organization.name}" for p in official.positions.all()]
    return {
        "A": [official.name, *(n.name for n in official.names.all())],
        "B": posts,
        "C": [official.notes],
    }


KIND = PublicKind(
    key="officials",
    name="official",
    title=_("Officials"),
    model=Official,
    namespace="meetings",
    list_view=official_list,
    detail_view=official_detail,
    listing=OFFICIALS,
    search=SearchSpec(
        official_document,
        queryset=lambda: Official.objects.all(),
        prefetch=("names", "positions__post__organization"),
    ),
    figure=Figure(
        lambda count: ngettext("official", "officials", count),
        lambda today: Official.objects.published(),
    ),
)
