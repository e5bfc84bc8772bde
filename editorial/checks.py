"""Consistency checks shown to editors before they publish.

Each check takes a record and returns a list of `Finding`s: warnings, never errors, so an editor
can always save. Every check runs a fixed number of queries, however many participants, positions
or officials there are.
"""

import datetime
import difflib
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Greatest
from django.utils.translation import gettext, ngettext

from meetings.dates import format_partial, format_range
from meetings.models import Meeting, Official, OfficialName, Participation, Position
from meetings.names import SPELLING_RATIO, normalise_name

EARLIEST_PLAUSIBLE = datetime.date(1996, 1, 1)  # the Shanghai Five first met in April 1996
FUTURE_DAYS = 365
# pg_trgm similarity of "Kassym-Zhomart Tokayev" to "Kassym-Jomart Tokayev" is 0.73; of
# "Zhang Ming" to "Zhang Xinfeng" 0.35.
TRIGRAM_THRESHOLD = 0.6
# difflib ratio of two normalised names, for typos the transliteration rules do not cover.
MAX_SIMILAR = 5


@dataclass(frozen=True)
class Finding:
    """One warning: `code` names the check, `record` is the other record it points to, if any."""

    code: str
    message: str
    record: object = None
    matched_name: str = ""


# (a) Participants and their positions


def participant_findings(meeting):
    """Participants with no position on record at the meeting's date, or one that had ended.

    Three queries: the participations with their officials and chosen positions, the officials'
    positions, and the attestations of both.
    """
    start, end = meeting.start_date, meeting.end_date or meeting.start_date
    positions = Position.objects.select_related("post__organization").prefetch_related(
        "attestations"
    )
    participations = (
        Participation.objects.filter(meeting=meeting)
        .select_related("official")
        .prefetch_related(Prefetch("official__positions", positions))
        .order_by("id")
    )
    when = format_range(start, end)
    findings = []
    for participation in participations:
        official = participation.official
        held = list(official.positions.all())
        if participation.position_id:
            chosen = next((p for p in held if p.pk == participation.position_id), None)
            if chosen is None:
                findings.append(
                    Finding(
                        "position_of_someone_else",
                        f"{official}: the position chosen for this meeting is not one of "
                        f"{official}'s positions.",
                        official,
                    )
                )
            elif not chosen.on_record(start, end):
                findings.append(position_finding(official, chosen, start, end, when))
            continue
        if any(p.on_record(start, end) for p in held):
            continue
        ended = [p for p in held if p.end_date and p.end_date < start]
        if ended:
            last = max(ended, key=lambda p: p.end_date)
            message = (
                f"{official} has no position on record on {when}: their last one, "
                f"{last.post}, ended {format_partial(last.end_date, last.end_precision)}."
            )
            findings.append(Finding("position_ended", message, official))
        else:
            message = f"{official} has no position on record on {when}."
            findings.append(Finding("no_position", message, official))
    return findings


def position_finding(official, position, start, end, when):
    if position.end_date and position.end_date < start:
        ended = format_partial(position.end_date, position.end_precision)
        return Finding(
            "position_ended",
            f"{official}'s position as {position.post} had ended ({ended}) by {when}.",
            official,
        )
    if position.start_date and position.start_date > end:
        began = format_partial(position.start_date, position.start_precision)
        return Finding(
            "position_not_begun",
            f"{official}'s position as {position.post} began only {began}, after {when}.",
            official,
        )
    return Finding(
        "position_not_attested",
        f"{official}'s position as {position.post} has no term dates and no attestation on {when}.",
        official,
    )


# (b) Dates


def date_findings(meeting, today=None):
    """A meeting held after the summit it is linked to, or dated outside a plausible range.

    One query at most: the linked summit, if it is not loaded yet.
    """
    today = today or datetime.date.today()
    findings = []
    start = meeting.start_date
    if start is None:
        return findings
    if meeting.summit_id:
        summit = meeting.summit
        if start > summit.end_date:
            findings.append(
                Finding(
                    "after_summit",
                    gettext(
                        "Held on {day}, after the summit it is linked to ({summit}, which ended "
                        "{end})."
                    ).format(
                        day=format_partial(start),
                        summit=summit,
                        end=format_partial(summit.end_date),
                    ),
                    summit,
                )
            )
    if start < EARLIEST_PLAUSIBLE:
        findings.append(
            Finding(
                "too_early",
                gettext("Dated {day}: before 1996, when the Shanghai Five first met.").format(
                    day=format_partial(start)
                ),
            )
        )
    if start > today + datetime.timedelta(days=FUTURE_DAYS):
        findings.append(
            Finding(
                "too_late",
                gettext("Dated {day}: more than a year from today.").format(
                    day=format_partial(start)
                ),
            )
        )
    return findings


# (c) Duplicate meetings


def similar_meetings(start, end, official_ids, exclude_pk=None):
    """Meetings within a day of `start`–`end` that share a participant; one query.

    Annotates `shared`: how many of `official_ids` took part in each.
    """
    official_ids = [pk for pk in official_ids if pk]
    if start is None or not official_ids:
        return []
    end = end or start
    day = datetime.timedelta(days=1)
    shared = Q(participations__official__in=official_ids)
    return list(
        Meeting.objects.filter(start_date__lte=end + day, end_date__gte=start - day)
        .exclude(pk=exclude_pk)
        .annotate(shared=Count("participations", filter=shared, distinct=True))
        .filter(shared__gt=0)
        .order_by("start_date", "id")
    )


def duplicate_meeting_findings(meeting):
    """Probable duplicates of a saved meeting; two queries."""
    official_ids = list(
        Participation.objects.filter(meeting=meeting).values_list("official_id", flat=True)
    )
    return [
        Finding(
            "duplicate_meeting",
            ngettext(
                "Probably the same meeting as “{title}” ({dates}): {count} participant in common.",
                "Probably the same meeting as “{title}” ({dates}): {count} participants in common.",
                other.shared,
            ).format(title=other.title, dates=other.dates_display, count=other.shared),
            other,
        )
        for other in similar_meetings(
            meeting.start_date, meeting.end_date, official_ids, exclude_pk=meeting.pk
        )
    ]


def meeting_findings(meeting, today=None):
    """All checks of a saved meeting: at most six queries."""
    return [
        *date_findings(meeting, today),
        *participant_findings(meeting),
        *duplicate_meeting_findings(meeting),
    ]


# (d) Duplicate officials


@dataclass(frozen=True)
class Match:
    official: Official
    matched_name: str
    score: float


def similar_officials(names, exclude_pk=None):
    """Officials whose name or another spelling is close to one of `names`, best first.

    PostgreSQL: trigram similarity (pg_trgm), two queries. SQLite: `names_alike` over every name
    and alias, also two queries.
    """
    names = [n.strip() for n in names if n and n.strip()][:MAX_SIMILAR]
    if not names:
        return []
    if connection.vendor == "postgresql":
        matches = trigram_matches(names, exclude_pk)
    else:
        matches = normalised_matches(names, exclude_pk)
    wanted = {n.casefold() for n in names}
    best = {}
    for match in sorted(matches, key=lambda m: (-m.score, m.matched_name.casefold() not in wanted)):
        best.setdefault(match.official.pk, match)
    return list(best.values())[:MAX_SIMILAR]


def greatest_similarity(field, names):
    scores = [TrigramSimilarity(field, name) for name in names]
    return scores[0] if len(scores) == 1 else Greatest(*scores)


def trigram_matches(names, exclude_pk):
    officials = (
        Official.objects.exclude(pk=exclude_pk)
        .annotate(score=greatest_similarity("name", names))
        .filter(score__gte=TRIGRAM_THRESHOLD)
    )
    matches = [Match(o, o.name, o.score) for o in officials]
    aliases = (
        OfficialName.objects.exclude(official_id=exclude_pk)
        .annotate(score=greatest_similarity("name", names))
        .filter(score__gte=TRIGRAM_THRESHOLD)
        .select_related("official")
    )
    matches += [Match(a.official, a.name, a.score) for a in aliases]
    return matches


def normalised_matches(names, exclude_pk):
    keys = [normalise_name(n) for n in names]
    matches = []
    candidates = [(o, o.name) for o in Official.objects.exclude(pk=exclude_pk)]
    candidates += [
        (a.official, a.name)
        for a in OfficialName.objects.exclude(official_id=exclude_pk).select_related("official")
    ]
    for official, name in candidates:
        key = normalise_name(name)
        if not key:
            continue
        score = max(difflib.SequenceMatcher(None, key, k).ratio() for k in keys)
        if score >= SPELLING_RATIO:
            matches.append(Match(official, name, score))
    return matches


def official_findings(official):
    """Probable duplicates of a saved official, by its name and other spellings: three queries."""
    aliases = OfficialName.objects.filter(official=official).values_list("name", flat=True)
    findings = []
    for match in similar_officials([official.name, *aliases], exclude_pk=official.pk):
        written = match.matched_name
        how = gettext(" (written “{name}”)").format(name=written)
        how = how if written != match.official.name else ""
        findings.append(
            Finding(
                "duplicate_official",
                gettext("Probably the same person as {official}{how}.").format(
                    official=match.official, how=how
                ),
                match.official,
                written,
            )
        )
    return findings
