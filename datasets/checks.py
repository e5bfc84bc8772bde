"""Checks of the loaded record that must hold before it is published (`make data-check`).

Each check returns sentences naming the records that break it; an empty list is a pass.
"""

import calendar
import datetime
import itertools
import re
from collections import defaultdict

from anyascii import anyascii
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from rapidfuzz import fuzz

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


# Pairs of officials that `duplicate_officials` would name but that are two people, or not yet
# shown to be one, by slug, with what was read. A pair a page shows to be one person is merged in
# data/record/ instead (the participants' `name` made the same, the other spelling kept in
# `as_written`).
APART = {
    frozenset({"f-khamraliev", "farrukh-khamraliev"}): (
        "Not shown to be one person: 'F. Khamraliev' (economy.gov.ru, 22 Oct 2010) and "
        "'Фаррух Хамралиев' (Asia-Plus, 27 Oct 2011) are each Tajikistan's Minister of Economic "
        "Development and Trade, a year apart; no page read says the minister was the same."
    ),
    frozenset({"sa-imandosov", "sabyr-imandosov"}): (
        "Not shown to be one person: 'С.А.Имандосов' (2016-10 and 2016-11) and 'Sabyr Imandosov' "
        "(2016-06) are each an SCO Deputy Secretary-General, a post several hold at once; no "
        "page read gives the patronymic of Sabyr Imandosov."
    ),
}
# How alike (rapidfuzz's ratio, 0-100) two full names of two or more words must be to be taken
# for one name spelt two ways: 'Lo Shugan' and 'Luo Shugang' score 89, 'Li Qiang' and
# 'Li Keqiang' (two premiers) 87.5, just under.
SPELLING_SCORE = 88
# Officials whose days on record are further apart than this are not taken for one person.
SAME_TIME_SLACK = datetime.timedelta(days=4 * 366)


def name_words(name):
    """A name's words in Latin letters as comparison keys, each with whether it is an initial (one
    letter, or written with a full stop): 'Zulushev K.T.' -> [('zulushev', False), ('k', True),
    ('t', True)]."""
    words = []
    for match in re.finditer(r"([^\W\d_]+)(\.?)", anyascii(name)):
        key = normalise_name(match[1])
        if key:
            words.append((key, len(match[1]) == 1 or bool(match[2])))
    return words


def initials_fit(short, full):
    """Whether `short` is initials and a surname ('K.T. Zulushev', 'Zulushev K.T.') that fit the
    full name `full` ('Kurmankul Zulushev'): the same surname, first or last, and the first
    initial the start of the first given name (a further initial may be a patronymic)."""
    initials = [key for key, initial in short if initial]
    surnames = [key for key, initial in short if not initial]
    names = [key for key, initial in full if not initial]
    if not initials or len(surnames) != 1 or len(names) < 2 or len(names) < len(full):
        return False
    for surname, given in ((names[-1], names[:-1]), (names[0], names[1:])):
        if surname == surnames[0] and given[0].startswith(initials[0]):
            return True
    return False


def same_name(one, other):
    """Why two names are probably one person's, or "": the same name in another spelling or
    script, initials and a surname fitting the full name, the full name with a middle name left
    out, or two full names spelt alike."""
    a, b = name_words(one), name_words(other)
    if not a or not b:
        return ""
    key_a, key_b = "".join(k for k, _ in a), "".join(k for k, _ in b)
    if key_a == key_b and len(key_a) >= 8:
        return f"'{one}' and '{other}' are the same name"
    if initials_fit(a, b):
        return f"'{one}' fits '{other}'"
    if initials_fit(b, a):
        return f"'{other}' fits '{one}'"
    shorter, longer = sorted(([k for k, _ in a], [k for k, _ in b]), key=len)
    if (
        2 <= len(shorter) < len(longer)
        and set(shorter) <= set(longer)
        and (shorter[0], shorter[-1]) == (longer[0], longer[-1])
    ):
        return f"'{one}' is '{other}' without a middle name"
    full = all(not initial for _, initial in a + b) and min(len(a), len(b)) >= 2
    if full and min(len(key_a), len(key_b)) >= 8 and fuzz.ratio(key_a, key_b) >= SPELLING_SCORE:
        return f"'{one}' and '{other}' are spelt alike"
    return ""


def days_on_record(officials):
    """{official pk: (first day, last day)} from their terms, attested days and meetings."""
    spans = defaultdict(list)
    terms = Position.objects.values("official").annotate(
        first=Min("start_date"), last=Max("end_date"), start=Max("start_date")
    )
    for row in terms:
        spans[row["official"]] += [row["first"], row["last"], row["start"]]
    attested = Attestation.objects.values("position__official").annotate(
        first=Min("date"), last=Max("date")
    )
    for row in attested:
        spans[row["position__official"]] += [row["first"], row["last"]]
    met = Participation.objects.values("official").annotate(
        first=Min("meeting__start_date"), last=Max("meeting__end_date")
    )
    for row in met:
        spans[row["official"]] += [row["first"], row["last"]]
    found = {}
    for pk, dates in spans.items():
        dates = [day for day in dates if day]
        if dates:
            found[pk] = (min(dates), max(dates))
    return found


def close_in_time(one, other):
    """Whether two spans of days overlap, give or take SAME_TIME_SLACK; a span not on record
    is close to any."""
    if one is None or other is None:
        return True
    return one[0] - SAME_TIME_SLACK <= other[1] and other[0] - SAME_TIME_SLACK <= one[1]


def duplicate_officials():
    """Two officials who are probably one person: a name of one is a name of the other in
    another spelling or script, initials and a surname that fit the other's full name, or the
    other's full name without a middle name; of the same nationality (or one not on record) and
    on record at about the same time. Pairs in APART are left out."""
    officials = list(Official.objects.prefetch_related("names"))
    names = {
        official.pk: list(dict.fromkeys([official.name, *(n.name for n in official.names.all())]))
        for official in officials
    }
    days = days_on_record(officials)
    # Only officials with a word of their names beginning alike are compared.
    by_word = defaultdict(set)
    for official in officials:
        for name in names[official.pk]:
            for key, initial in name_words(name):
                if not initial:
                    by_word[key[:3]].add(official)
    pairs = set()
    for group in by_word.values():
        for one, other in itertools.combinations(sorted(group, key=lambda o: o.pk), 2):
            pairs.add((one, other))
    found = []
    for one, other in sorted(pairs, key=lambda pair: (pair[0].slug, pair[1].slug)):
        if frozenset({one.slug, other.slug}) in APART:
            continue
        nationalities = {one.nationality_id, other.nationality_id} - {None}
        if len(nationalities) > 1 or not close_in_time(days.get(one.pk), days.get(other.pk)):
            continue
        why = next(
            (
                reason
                for a, b in itertools.product(names[one.pk], names[other.pk])
                if (reason := same_name(a, b))
            ),
            "",
        )
        if why:
            found.append(f"Likely the same official twice: {one.slug} and {other.slug} ({why}).")
    return found


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
