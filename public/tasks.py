"""Derived data, kept by the task queue: search vectors (SQLite's full-text index), the whole
list's facet counts, and what other apps register in AFTER_REFRESH (the insight pages'
aggregates).

Every save or delete of a record in a content app (an admin form and its inlines, an import, the
bundled-data loader, a command) is noted by `note_change()` (connected to the model signals in
public.cache). Once the transaction commits, one `refresh_derived` task is queued with what
changed; the worker then rebuilds the search vectors of every record whose search document holds
a changed value (a meeting holds its participants' names and other spellings, its place's names,
its country and topics) and counts the whole meetings list's facets again. The editor's request
only queues the task.

A task that fails is queued again up to MAX_ATTEMPTS times, each a little later, and each failure
stays in the task results (Django admin, "Task results") with its traceback. The change itself
was committed before the task was queued, so a failed task never loses it: the pages show it at
once, and search and the facet counts catch up when a later task succeeds (`manage.py
refresh_search` and `manage.py refresh_facet_counts` rebuild everything by hand).
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from initiatives.models import Initiative
from meetings.models import (
    Attestation,
    Country,
    Meeting,
    Official,
    OfficialName,
    Organization,
    Participation,
    Place,
    PlaceName,
    Position,
    Post,
    Summit,
    Topic,
)

logger = logging.getLogger(__name__)

# What other apps derive from the records (insights' aggregates), counted again by the same task.
AFTER_REFRESH = []
MAX_ATTEMPTS = 4
# Above this many changed records (a large import), a task rebuilds every search vector rather
# than look for what the changes touch: one UPDATE per kind, and no list of ids that long.
MAX_CHANGES = 2000
RETRY_SECONDS = 10


def roots(instance):
    """(model label, pk) pairs naming what `instance`'s change touches, read without a query."""
    match instance:
        case Participation():
            return [("meeting", instance.meeting_id), ("official", instance.official_id)]
        case OfficialName() | Position():
            return [("official", instance.official_id)]
        case Attestation():
            return [("position", instance.position_id)]
        case PlaceName():
            return [("place", instance.place_id)]
        case (
            Meeting()
            | Summit()
            | Official()
            | Country()
            | Initiative()
            | Place()
            | Topic()
            | Post()
            | Organization()
        ):
            return [(type(instance)._meta.model_name, instance.pk)]
    return []


def to_refresh(changes):
    """{model: set of pks} whose search documents hold one of `changes`' values."""
    ids = {}
    for label, pk in changes:
        ids.setdefault(label, set()).add(pk)
    get = ids.get
    officials = set(get("official", ()))
    officials |= set(
        Position.objects.filter(pk__in=get("position", ())).values_list("official", flat=True)
    )
    posts = set(get("post", ())) | set(
        Post.objects.filter(organization__in=get("organization", ())).values_list("pk", flat=True)
    )
    officials |= set(Position.objects.filter(post__in=posts).values_list("official", flat=True))
    places, countries = set(get("place", ())), set(get("country", ()))
    meetings = set(get("meeting", ()))
    meetings |= set(
        Participation.objects.filter(official__in=officials).values_list("meeting", flat=True)
    )
    held = Q(place__in=places) | Q(country__in=countries) | Q(topics__in=get("topic", ()))
    meetings |= set(Meeting.objects.filter(held).values_list("pk", flat=True))
    summits = set(get("summit", ())) | set(
        Summit.objects.filter(
            Q(place__in=places) | Q(host_country__in=countries) | Q(chair_country__in=countries)
        ).values_list("pk", flat=True)
    )
    return {
        Meeting: meetings,
        Summit: summits,
        Official: officials,
        Country: countries,
        Initiative: set(get("initiative", ())),
    }


@task()
def refresh_derived(changes, attempt=1):
    """Rebuild the search vectors `changes` touch (every one when `changes` is None) and count the
    whole list's facets again."""
    # Imported here: public.cache imports this module while the URL modules load.
    from public.meetings import refresh_facet_summaries
    from public.search import refresh_all_in_bulk, refresh_in_bulk

    try:
        refreshed = 0
        if changes is None:
            refreshed = sum(count for _, count in refresh_all_in_bulk())
        else:
            for model, pks in to_refresh([tuple(change) for change in changes]).items():
                if pks:
                    refreshed += refresh_in_bulk(model.objects.filter(pk__in=pks))
        counted = refresh_facet_summaries()
        for refresh in AFTER_REFRESH:
            refresh()
    except Exception:
        if attempt < MAX_ATTEMPTS:
            later = timezone.now() + datetime.timedelta(seconds=RETRY_SECONDS * attempt)
            refresh_derived.using(run_after=later).enqueue(changes, attempt=attempt + 1)
            logger.warning("refresh_derived failed (attempt %s); queued again", attempt)
        raise
    return {"search_vectors": refreshed, "facet_counts": counted}


# What the open transaction has changed, queued as one task when it commits.
pending = threading.local()


def note_change(instance):
    """Remember what `instance`'s change touches; queue the refresh once the change commits.

    Each change asks for a callback on commit; the first to run queues one task for all of them
    and the others find nothing left. Changes noted in a savepoint that rolled back are refreshed
    with the next commit's (harmless: a refresh only rebuilds what the records say).
    """
    pending.__dict__.setdefault("changes", set()).update(roots(instance))
    transaction.on_commit(queue_pending, robust=True)


def note_changes(roots):
    """Remember the (model label, pk) pairs `roots` (see roots()); queue their refresh on commit."""
    pending.__dict__.setdefault("changes", set()).update(roots)
    transaction.on_commit(queue_pending, robust=True)


def note_everything():
    """After a change that sends no signal (a bulk load): count the facets again on commit."""
    pending.__dict__.setdefault("changes", set())
    transaction.on_commit(queue_pending, robust=True)


def queue_pending():
    changes = pending.__dict__.pop("changes", None)
    if changes is None:
        return
    if len(changes) > MAX_CHANGES:
        refresh_derived.enqueue(None)
    else:
        refresh_derived.enqueue(sorted(changes, key=str))


def queue_state():
    """{"status": "ok" | "stuck" | "immediate", "waiting": n, "oldest_waiting_seconds": s,
    "failed": n}: the database queue's waiting and failed tasks (three small queries)."""
    if settings.TASKS_BACKEND != "database":
        return {"status": settings.TASKS_BACKEND}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    waiting = DBTaskResult.objects.filter(status="READY", run_after__lte=now)
    oldest = waiting.order_by("run_after").values_list("run_after", flat=True).first()
    age = (now - oldest).total_seconds() if oldest else 0
    return {
        "status": "stuck" if age > settings.TASKS_STUCK_SECONDS else "ok",
        "waiting": waiting.count(),
        "oldest_waiting_seconds": round(age),
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
    }
