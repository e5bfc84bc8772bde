"""The costly figures of the insight pages, counted once and kept in the database.

A page reads a figure from its `Aggregate` row (one query); the first reader of a figure not yet
counted (a new day for the numbers, an empty database) counts and stores it. After each committed
change the task queue counts every stored figure again (`refresh`, run by public.tasks), so the
pages show a change within the queue's lag, with no fixed staleness, and no reader waits for a
count the worker can make.
"""

from insights.models import Aggregate

# name prefix -> function counting a figure from its name (registered by the modules that own
# the figures: insights.pairs, insights.tables).
COUNTERS = {}


def stored(name, count, encode=lambda value: value, decode=lambda data: data):
    """The figure `name`: read from its row (one query), else counted with `count()` and
    stored (one more)."""
    row = Aggregate.objects.filter(name=name).values_list("data", flat=True).first()
    if row is not None:
        return decode(row)
    value = count()
    # One INSERT; a reader that stored it meanwhile stored the same counts.
    Aggregate.objects.bulk_create([Aggregate(name=name, data=encode(value))], ignore_conflicts=True)
    return value


def refresh():
    """Count every stored figure again (run by the task queue after a change)."""
    for aggregate in Aggregate.objects.all():
        prefix = aggregate.name.split(":", 1)[0]
        counter = COUNTERS.get(prefix)
        if counter is None:
            aggregate.delete()  # a figure nobody reads any more
            continue
        aggregate.data = counter(aggregate.name)
        aggregate.save(update_fields=["data", "counted_at"])
