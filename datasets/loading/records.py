"""Writing bundled records so that a later load refreshes them but never overwrites an editor.

A loaded record keeps `data_key` (the row of the bundled data it came from) and
`data_fingerprint`: a hash of every value the loader set on it, its many-to-many links and its
child rows included. On the next load the record's current values are hashed the same way:

* the hash still equals the fingerprint: nobody has touched the record since it was loaded, so
  it takes the bundled values (if they changed);
* the hash differs: an editor changed the record or one of its child rows, so the load leaves
  it alone, child rows and all.

The hash covers exactly the fields a `Shape` names, so adding one to a Shape makes every record
loaded before look edited. Records without a fingerprint (sources, places, posts, topics) are
created when missing and never overwritten.
"""

import datetime
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from meetings.models import History


@dataclass(frozen=True)
class Shape:
    """Which fields, many-to-many relations and child rows of a record the loader sets."""

    fields: tuple[str, ...]
    m2m: tuple[str, ...] = ()
    children: tuple["Children", ...] = ()


@dataclass(frozen=True)
class Children:
    """Child rows under the reverse relation `related_name`, matched on their `key` fields."""

    related_name: str
    key: tuple[str, ...]
    shape: Shape


@dataclass
class Values:
    """The values the loader gives one record: fields (by attname), m2m primary keys, children."""

    fields: dict
    m2m: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _canonical(data):
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _as_data(values, shape):
    return {
        "fields": {name: _plain(values.fields[name]) for name in shape.fields},
        "m2m": {name: sorted(values.m2m.get(name, ())) for name in shape.m2m},
        "children": {
            children.related_name: sorted(
                (
                    _as_data(child, children.shape)
                    for child in values.children.get(children.related_name, ())
                ),
                key=_canonical,
            )
            for children in shape.children
        },
    }


def fingerprint(values, shape):
    return hashlib.sha256(_canonical(_as_data(values, shape)).encode()).hexdigest()


def read(obj, shape):
    """The values `obj` has now, in the loader's terms.

    Queries its m2m links and children, unless they are prefetched.
    """
    return Values(
        fields={name: getattr(obj, name) for name in shape.fields},
        m2m={name: [related.pk for related in getattr(obj, name).all()] for name in shape.m2m},
        children={
            children.related_name: [
                read(child, children.shape) for child in getattr(obj, children.related_name).all()
            ]
            for children in shape.children
        },
    )


def write(obj, values, shape, *, new=False):
    """Give `obj` the values; `new` says it has no links or child rows yet.

    The record's history gains one row for the whole write, its links included, rather than one
    for the save and one for each kind of link.
    """
    for name, value in values.fields.items():
        setattr(obj, name, value)
    obj.skip_history_when_saving = True
    try:
        obj.save()
        _write_links(obj, values, shape, new=new)
    finally:
        del obj.skip_history_when_saving
    History.record(obj, created=new)


def _write_links(obj, values, shape, *, new):
    for name in shape.m2m:
        related = getattr(obj, name)
        if new:
            related.add(*values.m2m.get(name, ()))
        else:
            related.set(values.m2m.get(name, ()))
    for children in shape.children:
        rows = values.children.get(children.related_name, ())
        _write_children(obj, children, rows, new=new)


def _write_children(obj, children, rows, *, new):
    manager = getattr(obj, children.related_name)
    existing = {} if new else {_key(row, children.key): row for row in manager.all()}
    wanted = {tuple(row.fields[name] for name in children.key): row for row in rows}
    for key, row in existing.items():
        if key not in wanted:
            row.delete()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            # The related manager sets the link to `obj` (a foreign key or a generic relation).
            _write_links(manager.create(**values.fields), values, children.shape, new=True)
        else:
            write(row, values, children.shape)


def _key(row, names):
    return tuple(getattr(row, name) for name in names)


class Tally:
    """What a load did, per model."""

    OUTCOMES = (
        "created",
        "updated",
        "unchanged",
        "kept (edited)",
        "kept (still named)",
        "removed",
        "existing",
    )

    def __init__(self):
        self.counts = defaultdict(Counter)

    def add(self, model, outcome):
        self.counts[model._meta.verbose_name_plural.capitalize()][outcome] += 1

    def lines(self):
        for name, counts in self.counts.items():
            parts = (f"{counts[outcome]} {outcome}" for outcome in self.OUTCOMES if counts[outcome])
            yield f"{name}: {', '.join(parts)}"


class Loaded:
    """The loaded records of one model, read in one go with their links and child rows."""

    def __init__(self, model, shape, tally):
        self.model, self.shape, self.tally = model, shape, tally
        records = model.objects.filter(data_key__isnull=False).prefetch_related(*_prefetches(shape))
        self.records = {obj.data_key: obj for obj in records}
        self.unloaded = list(model.objects.filter(data_key__isnull=True))

    def sync(self, key, values, *, identity):
        """Create, refresh or keep the loaded record `key`, and return it.

        `identity` finds a record an editor made by hand under the same unique value (a slug, a
        code): such a record is kept as it is and used in place of the bundled one.
        """
        model, shape, tally = self.model, self.shape, self.tally
        bundled = fingerprint(values, shape)
        obj = self.records.get(key)
        if obj is None:
            for existing in self.unloaded:
                if all(getattr(existing, name) == value for name, value in identity.items()):
                    tally.add(model, "kept (edited)")
                    return existing
            obj = model(data_key=key, data_fingerprint=bundled)
            write(obj, values, shape, new=True)
            tally.add(model, "created")
        elif fingerprint(read(obj, shape), shape) != obj.data_fingerprint:
            tally.add(model, "kept (edited)")
        elif obj.data_fingerprint == bundled:
            tally.add(model, "unchanged")
        else:
            obj.data_fingerprint = bundled
            write(obj, values, shape)
            tally.add(model, "updated")
        return obj


def _prefetches(shape, prefix=""):
    paths = [prefix + name for name in shape.m2m]
    for children in shape.children:
        path = prefix + children.related_name
        paths += [path, *_prefetches(children.shape, f"{path}__")]
    return paths


def get_or_create(model, tally, defaults=None, **lookup):
    """For records without a fingerprint: create what is missing, never overwrite what exists."""
    obj, created = model.objects.get_or_create(defaults=defaults, **lookup)
    tally.add(model, "created" if created else "existing")
    return obj, created
