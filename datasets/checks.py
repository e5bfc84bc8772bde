"""Checks of the loaded record that must hold before it is published (`make data-check`).

Each check returns sentences naming the records that break it; an empty list is a pass.
"""

import calendar
import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from meetings.dates import Precision
from meetings.models import (
    Attestation,
    Meeting,
    Official,
    Participation,
    Place,
    Position,
    Source,
)
from meetings.names import normalise_name

# Posts that one person holds at a time, by title; any organisation.
ONE_HOLDER_TITLES = {"President", "Prime Minister", "Minister of Foreign Affairs"}
ONE_HOLDER_POSTS = {"sco-secretary-general", "rats-director"}
# Overlaps the sources themselves report, with what they say.
KNOWN_OVERLAPS = {
    ("Askar Akayev", "Kurmanbek Bakiyev"): (
        "Britannica: Akayev was president de jure until 11 April 2005, deposed on 24 March; "
        "Bakiyev led the country from 25 March."
    ),
}


def unsourced():
    """Published meetings and officials with no source."""
    found = []
    for model in (Meeting, Official):
        for record in model.objects.published().filter(sources__isnull=True):
            found.append(f"{model._meta.verbose_name.capitalize()} without a source: {record}")
    return found


def unaddressable():
    """Published records whose slug cannot be a page address, and sources whose address is not
    a plain URI (the API promises one)."""
    found = []
    for model in (Meeting, Official):
        for record in model.objects.published().exclude(slug__regex=r"^[-a-zA-Z0-9_]+$"):
            found.append(f"{model._meta.verbose_name.capitalize()} without an address: {record}")
    for source in Source.objects.exclude(url__regex=r"^[!-~]+$"):
        found.append(f"Source address that is not a plain URI: {source.url}")
    return found


def participants_not_on_record():
    """Participants of published meetings who held no position on record on the meeting's days
    and are not attested in one then."""
    attested = Attestation.objects.filter(
        position__official=OuterRef("official"),
        date__gte=OuterRef("meeting__start_date"),
        date__lte=OuterRef("meeting__end_date"),
    )
    participations = (
        Participation.objects.filter(meeting__state="published")
        .exclude(Exists(attested))
        .select_related("meeting", "official")
        .prefetch_related("official__positions__attestations")
    )
    found = []
    for participation in participations:
        meeting = participation.meeting
        if meeting.date_precision != Precision.DAY and participation.position_id:
            continue  # no day to attest: the meeting's source gives the post they held
        positions = participation.official.positions.all()
        if not any(p.on_record(meeting.start_date, meeting.end_date) for p in positions):
            found.append(
                f"{participation.official} has no position on record on "
                f"{meeting.dates_display} ({meeting.slug})."
            )
    return found


def overlapping_holders():
    """Two people in a one-holder post on the same day, by their terms."""
    terms = Position.objects.filter(start_date__isnull=False).filter(
        Q(post__title__in=ONE_HOLDER_TITLES) | Q(post__slug__in=ONE_HOLDER_POSTS)
    )
    by_post = defaultdict(list)
    for term in terms.select_related("post__organization", "official"):
        by_post[term.post].append(term)
    found = []
    for post, held in by_post.items():
        held.sort(key=lambda term: term.start_date)
        for earlier, later in zip(held, held[1:], strict=False):
            if earlier.official_id == later.official_id or earlier.end_date is None:
                continue  # an end not on record is unknown, not "still in office"
            if (earlier.official.name, later.official.name) in KNOWN_OVERLAPS:
                continue
            if surely_before(later.start_date, later.start_precision, earlier):
                found.append(
                    f"{earlier.official} and {later.official} both hold {post.title}, "
                    f"{post.organization} on {later.start_date:%Y-%m-%d}."
                )
    return found


def surely_before(day, precision, term):
    """Whether `day` (the first day of a period of `precision`) is surely before `term` ends:
    before the first day of its end's period when that end is rough."""
    end = term.end_date
    if term.end_precision == Precision.MONTH:
        end = end.replace(day=1)
    elif term.end_precision != Precision.DAY:
        end = end.replace(month=1, day=1)
    last = day
    if precision == Precision.MONTH:
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    elif precision != Precision.DAY:
        last = day.replace(month=12, day=31)
    return last < end


def meetings_outside_their_summit():
    """Meetings marked as held on a summit's sidelines that fall outside its days, give or take
    a day (leaders meet on the eve of a summit and the day after); a meeting dated only to the
    month or year must at least share a day with the summit."""
    found = []
    at_summit = Meeting.objects.published().filter(summit_relation__icontains="sidelines")
    for meeting in at_summit.select_related("summit"):
        summit = meeting.summit
        if meeting.date_precision == Precision.DAY:
            first = summit.start_date - datetime.timedelta(days=1)
            last = summit.end_date + datetime.timedelta(days=1)
            outside = meeting.start_date < first or meeting.end_date > last
        else:
            outside = meeting.end_date < summit.start_date or meeting.start_date > summit.end_date
        if outside:
            found.append(f"{meeting.slug} is outside the dates of {summit}.")
    return found


def duplicate_meetings():
    """Published meetings of the same kind on the same day with the same participants (two or
    more)."""
    groups = defaultdict(list)
    meetings = Meeting.objects.published().annotate(people=Count("participations"))
    for meeting in meetings.filter(people__gte=2).prefetch_related("participations"):
        people = frozenset(p.official_id for p in meeting.participations.all())
        groups[meeting.start_date, meeting.kind, people].append(meeting.slug)
    return [
        f"The same meeting twice: {', '.join(slugs)}."
        for slugs in groups.values()
        if len(slugs) > 1
    ]


def duplicate_officials():
    """Two officials whose names are the same name written two ways."""
    owners = defaultdict(set)
    for official in Official.objects.prefetch_related("names"):
        for name in [official.name, *(n.name for n in official.names.all())]:
            owners[normalise_name(name), official.nationality_id].add(official.name)
    return [
        f"The same official twice: {', '.join(sorted(names))}."
        for (key, _), names in owners.items()
        if len(names) > 1 and len(key) >= 8
    ]


def places_without_coordinates():
    """Places of published meetings and summits that the map cannot show."""
    used = Q(meetings__state="published") | Q(summits__state="published")
    places = Place.objects.filter(used, latitude__isnull=True).distinct()
    return [f"Place without coordinates: {place} ({place.slug})" for place in places]


CHECKS = (
    unsourced,
    places_without_coordinates,
    unaddressable,
    participants_not_on_record,
    overlapping_holders,
    meetings_outside_their_summit,
    duplicate_meetings,
    duplicate_officials,
)


def run_checks():
    """{check name: problems} for every check."""
    return {check.__name__: check() for check in CHECKS}
