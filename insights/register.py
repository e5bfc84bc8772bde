"""The summit outcome register: what each session adopted or signed, and what became of it."""

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext

from initiatives.models import Initiative, Kind, StatusChange
from meetings.dates import Precision, format_partial
from meetings.models import State

SIGNED_KINDS = {Kind.AGREEMENT, Kind.CHARTER, Kind.CONVENTION, Kind.TREATY}


def documents(summit=None):
    """Published documents adopted at `summit` (or at any published summit), with their status
    now and since when.

    One query: annotates `current_status`, `status_since` and `status_since_precision`.
    """
    latest = StatusChange.objects.filter(initiative=OuterRef("pk")).order_by("-date", "-id")
    at = {"adopted_at": summit} if summit else {"adopted_at__state": State.PUBLISHED}
    return (
        Initiative.objects.published()
        .filter(**at)
        .with_current_status()
        .annotate(
            status_since=Subquery(latest.values("date")[:1]),
            status_since_precision=Subquery(latest.values("date_precision")[:1]),
        )
        .select_related("adopted_at__place")
        .order_by("-adopted_at__start_date", "adopted_at__council", "kind", "title", "id")
    )


def by_summit(rows):
    """([(summit, documents)], [(kind, signed or adopted, count)]) from ordered `rows`."""
    summits, counts = [], {}
    for document in rows:
        describe_outcome(document)
        if not summits or summits[-1][0].pk != document.adopted_at_id:
            summits.append((document.adopted_at, []))
        summits[-1][1].append(document)
        counts[document.kind] = counts.get(document.kind, 0) + 1
    return summits, kind_rows(counts)


def kinds_of(documents):
    """[(kind, signed or adopted, count)] of the `documents` queryset: one grouped query."""
    return kind_rows(dict(documents.order_by().values_list("kind").annotate(n=Count("pk"))))


def kind_rows(counts):
    """[(kind, signed or adopted, count)], most first, from {kind: count}."""
    rows = [(kind_name(kind, n), act_of(kind), n) for kind, n in counts.items()]
    return sorted(rows, key=lambda row: -row[2])


def act_of(kind):
    return gettext("Signed") if kind in SIGNED_KINDS else gettext("Adopted")


PLURALS = {Kind.STRATEGY: "strategies", Kind.OTHER: "other documents"}


def kind_name(kind, count):
    """'1 declaration', '2 strategies': the kind in lower case, in the plural beyond one."""
    if count == 1:
        return Kind(kind).label.lower()
    return PLURALS.get(kind, Kind(kind).label.lower() + "s")


def describe_outcome(initiative):
    """Set what a register row shows: `act` (signed or adopted) and `status_since_display`."""
    initiative.act = act_of(initiative.kind)
    initiative.status_since_display = format_partial(
        initiative.status_since, initiative.status_since_precision or Precision.DAY
    )
    return initiative
