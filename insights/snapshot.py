"""The SCO on a given day: statuses, posts, sessions around it, the chair, the week's meetings."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from meetings.models import Attestation, Council, Country, Meeting, Position, Post, State, Summit

from .queries import SCO_BODY, SECRETARY_GENERAL, grouped_by_status


def countries_on(day):
    """[(group title, countries)] with an SCO status on `day`: two queries."""
    countries = Country.objects.published().with_status_on(day).order_by("name", "id")
    return grouped_by_status(list(countries))


def sco_posts_on(day):
    """[(post, positions)] for every post of an SCO body, with who held it on `day`.

    A position counts when its known term covers the day, or when a source shows its holder
    in the post that very day (`attested_that_day`). Two queries.
    """
    attested = Attestation.objects.filter(position=OuterRef("pk"), date=day)
    positions = (
        (Position.objects.held_on(day) | Position.objects.filter(Exists(attested)))
        .filter(post__organization__kind=SCO_BODY, official__state=State.PUBLISHED)
        .annotate(attested_that_day=Exists(attested))
        .select_related("official", "post")
        .order_by("official__name", "id")
    )
    by_post = {}
    for position in positions:
        by_post.setdefault(position.post_id, []).append(position)
    posts = (
        Post.objects.filter(organization__kind=SCO_BODY)
        .select_related("organization")
        .order_by("organization__name", "title", "id")
    )
    # The Secretary-General first, deputies after the heads they stand in for.
    order = sorted(
        posts, key=lambda post: (post.title != SECRETARY_GENERAL, post.title.startswith("Deputy"))
    )
    return [(post, by_post.get(post.pk, [])) for post in order]


COUNCIL_ORDER = [
    Council.HEADS_OF_STATE,
    Council.HEADS_OF_GOVERNMENT,
    Council.FOREIGN_MINISTERS,
    Council.SHANGHAI_FIVE,
]


@dataclass
class Sessions:
    council: str
    last: Summit = None
    next: Summit = None

    @property
    def title(self):
        return Council(self.council).label

    def in_session_on(self, day):
        return self.last is not None and self.last.end_date >= day


def sessions_around(day):
    """[Sessions]: each council's last session begun by `day` and its next one after it.

    Three queries: the sessions (at most two per council) with place and countries, and the
    places' names. The Shanghai Five is left out once the Council of Heads of State has met.
    """
    published = Summit.objects.published()
    last = published.filter(council=OuterRef("council"), start_date__lte=day).order_by(
        "-start_date", "-id"
    )
    after = published.filter(council=OuterRef("council"), start_date__gt=day).order_by(
        "start_date", "id"
    )
    summits = (
        Summit.objects.filter(
            Q(pk=Subquery(last.values("pk")[:1])) | Q(pk=Subquery(after.values("pk")[:1]))
        )
        .select_related("place", "host_country", "chair_country")
        .prefetch_related("place__names")
    )
    sessions = {council: Sessions(council) for council in COUNCIL_ORDER}
    for summit in summits:
        if summit.start_date <= day:
            sessions[summit.council].last = summit
        else:
            sessions[summit.council].next = summit
    if sessions[Council.HEADS_OF_STATE].last:
        del sessions[Council.SHANGHAI_FIVE]
    return [item for item in sessions.values() if item.last or item.next]


def chair_on(day, sessions):
    """The chair on `day` by the SCO's rotation, or None when the record cannot tell.

    The country hosting the next session of the Council of Heads of State holds the
    chairmanship until that session ends; for a session held by video link, the country that
    chaired it. Only once the Council has met (the Shanghai Five had no such rotation).
    """
    heads = next((item for item in sessions if item.council == Council.HEADS_OF_STATE), None)
    if heads is None or heads.last is None:
        return None, None
    summit = heads.last if heads.in_session_on(day) else heads.next
    if summit is None:
        return None, None
    return summit.host_country or summit.chair_country, summit


def meetings_in_week(day):
    """Published meetings whose dates overlap the week (Monday to Sunday) of `day`.

    Two queries: the meetings with their places, and the places' names.
    """
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    meetings = (
        Meeting.objects.published()
        .filter(start_date__lte=sunday, end_date__gte=monday)
        .select_related("place")
        .prefetch_related("place__names")
        .order_by("start_date", "id")
    )
    return monday, sunday, meetings
