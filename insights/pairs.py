"""Meetings between two parties, a state or an SCO body: the matrix of every pair, a pair's page."""

import math
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import ExtractYear
from django.urls import reverse

from meetings.models import Country, Meeting, Organization, Participation, State, Topic

from . import aggregates
from .aggregates import stored
from .queries import SCO_BODY, grouped_by_status

# Parties: the states and SCO bodies whose meetings the relation pages count.


@dataclass(frozen=True)
class Party:
    """A state (by Participation.country) or an SCO body (by Participation.organization)."""

    kind: str  # "c" for a country, "o" for an organisation.
    pk: int
    slug: str
    name: str
    url: str = ""  # The record's own page, where it has one.

    @property
    def key(self):
        return (self.kind, self.pk)

    def participations(self):
        """The filter on Participation that means 'a participant represented this party'."""
        return {"country": self.pk} if self.kind == "c" else {"organization": self.pk}


def country_party(country):
    url = country.get_absolute_url()
    return Party("c", country.pk, country.slug, country.name, url)


def body_party(organization):
    return Party("o", organization.pk, organization.slug, str(organization))


def find_party(slug):
    """The published country (by lower-case ISO code) or SCO body with `slug`, or None.

    One query, two when the slug is not a country's.
    """
    if len(slug) == 2:
        country = Country.objects.published().filter(slug=slug).first()
        if country:
            return country_party(country)
    body = Organization.objects.filter(slug=slug, kind=SCO_BODY).first()
    return body_party(body) if body else None


def canonical(a, b):
    """The pair in the order its address uses: states before bodies, then by slug."""
    return tuple(sorted((a, b), key=lambda party: (party.kind, party.slug)))


def matrix_parties(day):
    """[(group title, parties)]: the states with an SCO status on `day`, then the SCO bodies.

    Three queries: the countries, their statuses that day, the SCO bodies.
    """
    countries = Country.objects.published().with_status_on(day).order_by("name", "id")
    groups = [
        (title, [country_party(c) for c in members])
        for title, members in grouped_by_status(list(countries))
    ]
    bodies = Organization.objects.filter(kind=SCO_BODY).order_by("name", "id")
    if bodies:
        groups.append(("SCO bodies", [body_party(body) for body in bodies]))
    return groups


def pair_counts():
    """{(key of A, key of B): number of published meetings between A and B}: the stored
    aggregate (insights.aggregates), one query."""
    return stored("pair-counts", count_pair_counts, encode_counts, decode_counts)


def count_pair_counts():
    """The pair counts, counted. A meeting is between A and B when both have a participant
    there. Three grouped queries (state and state, state and body, body and body), each a
    self-join of the participations.
    """
    published = Participation.objects.filter(meeting__state=State.PUBLISHED)
    other = "meeting__participations__"
    reads = [
        (
            "c",
            "c",
            published.filter(country__isnull=False, **{f"{other}country__gt": F("country")}).values(
                a=F("country"), b=F(f"{other}country")
            ),
        ),
        (
            "c",
            "o",
            published.filter(
                country__isnull=False, **{f"{other}organization__kind": SCO_BODY}
            ).values(a=F("country"), b=F(f"{other}organization")),
        ),
        (
            "o",
            "o",
            published.filter(
                organization__kind=SCO_BODY,
                **{
                    f"{other}organization__kind": SCO_BODY,
                    f"{other}organization__gt": F("organization"),
                },
            ).values(a=F("organization"), b=F(f"{other}organization")),
        ),
    ]
    counts = {}
    for kind_a, kind_b, rows in reads:
        for row in rows.annotate(n=Count("meeting", distinct=True)).order_by():
            counts[((kind_a, row["a"]), (kind_b, row["b"]))] = row["n"]
    return counts


def encode_counts(counts):
    return [[a_kind, a, b_kind, b, n] for ((a_kind, a), (b_kind, b)), n in counts.items()]


def decode_counts(rows):
    return {((a_kind, a), (b_kind, b)): n for a_kind, a, b_kind, b, n in rows}


aggregates.COUNTERS["pair-counts"] = lambda name: encode_counts(count_pair_counts())
aggregates.WANTED.append(lambda day: ["pair-counts"])


def count_between(counts, a, b):
    return counts.get(tuple(sorted((a.key, b.key))), 0)


def pair_url(a, b):
    first, second = canonical(a, b)
    return reverse("insights:pair", kwargs={"a": first.slug, "b": second.slug})


def matrix(day):
    """What the matrix page shows: the parties in groups, a row of cells for each, and the pairs
    that met most. Six queries (three from the cache)."""
    groups = matrix_parties(day)
    parties = [party for _, members in groups for party in members]
    counts = pair_counts()
    pairs = [
        (count_between(counts, a, b), a, b) for i, a in enumerate(parties) for b in parties[i + 1 :]
    ]
    largest = max((count for count, _, _ in pairs), default=0)
    rows = []
    for title, members in groups:
        for party in members:
            cells = []
            for other in parties:
                count = count_between(counts, party, other) if other != party else None
                cells.append(
                    {
                        "other": other,
                        "count": count,
                        "url": pair_url(party, other) if count else "",
                        "level": math.ceil(4 * count / largest) if count else 0,
                    }
                )
            rows.append({"group": title, "party": party, "cells": cells})
    pairs.sort(key=lambda item: (-item[0], item[1].name, item[2].name))
    top = [(count, a, b, pair_url(a, b)) for count, a, b in pairs if count][:20]
    return {"groups": groups, "parties": parties, "rows": rows, "top_pairs": top}


# The officials of a busy pair run to thousands: the page shows those with most meetings together,
# the CSV every one.
OFFICIALS_SHOWN = 50


def pair_figures(a, b):
    """What the page of the pair (a, b), in canonical order, shows of all its meetings: the
    meetings per year, their topics and the officials with most of them (and whether there are
    more). The stored aggregate (insights.aggregates), one query."""
    return stored(figures_name(a, b), lambda: count_pair_figures(a, b))


def figures_name(a, b):
    """The name of a pair's stored figures, by the parties' kinds and ids: pair:c12:o3."""
    return f"pair:{a.kind}{a.pk}:{b.kind}{b.pk}"


def count_pair_figures(a, b):
    """The figures of a pair, counted: three grouped queries over the pair's meetings.

    Kept as JSON (lists and dicts), so that a page shows the same whether it counted the figures
    or read them."""
    meetings = meetings_between(a, b)
    topics = topics_of(meetings).values("name", "slug", "meeting_count")
    officials = list(officials_of(meetings)[: OFFICIALS_SHOWN + 1])
    return {
        "years": [[year, count] for year, count in per_year(meetings)],
        "topics": list(topics),
        "officials": officials[:OFFICIALS_SHOWN],
        "more_officials": len(officials) > OFFICIALS_SHOWN,
    }


def count_named_pair_figures(name):
    """A pair's stored figures counted again: `name` is pair:<kind><id>:<kind><id>."""
    a, b = (Party(key[0], int(key[1:]), "", "") for key in name.split(":")[1:])
    return count_pair_figures(a, b)


aggregates.COUNTERS["pair"] = count_named_pair_figures


def meetings_between(a, b):
    """Published meetings where both parties had a participant (no query until read)."""
    side_a = Participation.objects.filter(meeting=OuterRef("pk"), **a.participations())
    side_b = Participation.objects.filter(meeting=OuterRef("pk"), **b.participations())
    return Meeting.objects.published().filter(Exists(side_a), Exists(side_b))


def per_year(meetings):
    """[(year, count)] of `meetings` by the year they began: one grouped query."""
    rows = (
        meetings.order_by()
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return [(row["year"], row["n"]) for row in rows]


def topics_of(meetings):
    """Topics of `meetings`, each with `meeting_count`: one grouped query."""
    return (
        Topic.objects.filter(meetings__in=meetings)
        .annotate(meeting_count=Count("meetings", distinct=True))
        .order_by("-meeting_count", "name", "id")
    )


def officials_of(meetings):
    """Rows of official, the side they represented and their number of `meetings`: one query."""
    return (
        Participation.objects.filter(meeting__in=meetings, official__state=State.PUBLISHED)
        .values(
            "official__name",
            "official__slug",
            "country__name",
            "organization__name",
            "organization__short_name",
        )
        .annotate(meeting_count=Count("meeting", distinct=True))
        .order_by("-meeting_count", "official__name", "country__name", "organization__name")
    )
