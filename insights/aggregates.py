"""The costly figures of the insight pages, counted once and kept in the database.

A page reads a figure from its `Aggregate` row (one query); the first reader of a figure not yet
counted (a new day for the numbers, an empty database) counts and stores it. After each committed
change the task queue counts every stored figure again (`refresh`, run by public.tasks), so the
pages show a change within the queue's lag, with no fixed staleness, and no reader waits for a
count the worker can make.

On a large record a count can run past the statement timeout of a request. Then the count is
queued for the worker, which counts without that limit, and until it has: a figure of an earlier
day stands in for a new day's (its page says which day), and a figure never counted raises
NotCounted, for which the page says that its figures are being counted (insights.views). Only a
database that does not answer at all is a 503. `manage.py count_figures` counts them all by hand,
and the commands that load a record run it.
"""

from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from insights.models import Aggregate

# name prefix -> function counting a figure from its name (registered by the modules that own
# the figures: insights.pairs, insights.tables).
COUNTERS = {}
# Functions of the day giving the names of the figures the pages read that day: counted by
# `refresh` even before a reader asks for them.
WANTED = []
# Name prefixes of figures counted for a day: once the day's are counted, earlier days' go.
DAILY = set()


class NotCounted(Exception):
    """A figure never counted ran past the statement timeout of a request: its count is queued
    for the worker, and the page comes back once it has counted."""


def stored(name, count, encode=lambda value: value, decode=lambda data: data):
    """The figure `name`: read from its row (one query), else counted with `count()` and
    stored (one more)."""
    return stored_or_earlier(name, "", count, encode, decode)[1]


def stored_or_earlier(name, earlier, count, encode=lambda value: value, decode=lambda data: data):
    """(name, figure) of `name`, as stored(); while it is not stored, the newest stored figure
    whose name starts with `earlier` (and sorts before `name`) stands in for it, with its own
    name, and `name` is queued to be counted (read in the same one query)."""
    rows = Aggregate.objects.filter(name=name)
    if earlier:
        rows = Aggregate.objects.filter(name__startswith=earlier, name__lte=name)
    row = rows.order_by("-name").values_list("name", "data").first()
    if row is not None:
        if row[0] != name:
            queue_count()
        return row[0], decode(row[1])
    try:
        value = count()
    except OperationalError as error:
        # Over the statement timeout, or the database is gone. If the database still takes the
        # queued count, it was the timeout: the worker counts the figure. Else the first error is
        # the one the site answers (a 503).
        if not queued_count():
            raise
        raise NotCounted(name) from error
    # One INSERT; a reader that stored it meanwhile stored the same counts.
    Aggregate.objects.bulk_create([Aggregate(name=name, data=encode(value))], ignore_conflicts=True)
    return name, value


def queue_count():
    """Queue the count of the wanted figures, unless it is queued already and not yet run."""
    from insights.tasks import queue_count_figures

    queue_count_figures()


def queued_count():
    """queue_count(), and whether the database took it."""
    try:
        queue_count()
    except DatabaseError:
        return False
    return True


def refresh(day=None):
    """Count every stored figure again, and those the pages read on `day` (today by default)
    that are not stored yet: run by the task queue after a change, without a statement timeout."""
    day = day or timezone.localdate()
    wanted = {name for wanted in WANTED for name in wanted(day)}
    names = set(Aggregate.objects.values_list("name", flat=True)) | wanted
    counted = 0
    for name in sorted(names):
        prefix = name.split(":", 1)[0]
        counter = COUNTERS.get(prefix)
        if counter is None or (prefix in DAILY and name not in wanted):
            Aggregate.objects.filter(name=name).delete()  # a figure nobody reads any more (today)
            continue
        with transaction.atomic():
            unlimited()
            data = counter(name)
        Aggregate.objects.update_or_create(name=name, defaults={"data": data})
        counted += 1
    return counted


def unlimited():
    """No statement timeout for the rest of the open transaction (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
