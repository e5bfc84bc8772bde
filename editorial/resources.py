"""Spreadsheet import and export in admin (django-import-export): one resource per kind of record.

A row is matched to its record by `slug`: a new slug makes a record, a known one changes it, and
a row that would change nothing is reported as skipped. A related record is named by its slug or
one of its names (an official also by another spelling, a place also by a former name). A list
cell ("participants", "topics", "other_names", "positions", ...) holds several, separated by `;`;
an import adds the ones a record lacks and never removes any. Every record and related row is
saved one by one, so that each create and change enters its history (a record's one history row
holds its links); the cached pages and the facet counts are retired once per import, at its end.
"""

import re
import threading

from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.encoding import iri_to_uri
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from import_export.resources import Diff

from editorial.services import needs_source
from meetings.dates import read_day
from meetings.models import (
    Country,
    History,
    Meeting,
    Official,
    OfficialName,
    Participation,
    Place,
    Position,
    Post,
    Source,
    State,
    Summit,
    Topic,
)
from public.cache import changes_in_bulk, end_bulk_changes
from public.exports import FORMULA_STARTS, neutralise_formula

SEPARATOR = ";"


def split_cell(value):
    return [part.strip() for part in str(value or "").split(SEPARATOR) if part.strip()]


# What the lookups found during the import under way in this thread: {(lookup, text): record
# or the ValueError}, so that a name given on many rows costs its queries once per import.
found_in_import = threading.local()


class Lookup:
    """Finds one record of `model` by its slug, else by any of the `names` lookups (any case)."""

    def __init__(self, model, *names):
        self.model = model
        self.names = names
        self.what = model._meta.verbose_name

    def find(self, text):
        """The record `text` names; ValueError in plain words when none or several do."""
        memo = getattr(found_in_import, "records", None)
        if memo is None:
            return self.query(text)
        key = (self, text)
        if key not in memo:
            try:
                memo[key] = self.query(text)
            except ValueError as error:
                memo[key] = error
        if isinstance(memo[key], ValueError):
            raise memo[key]
        return memo[key]

    def query(self, text):
        found = self.model._default_manager.filter(slug=text).first()
        if found is not None:
            return found
        if not self.names:
            raise ValueError(f"There is no {self.what} with the slug '{text}'.")
        matches = Q()
        for name in self.names:
            matches |= Q(**{f"{name}__iexact": text})
        found = list(self.model._default_manager.filter(matches).distinct()[:5])
        if not found:
            raise ValueError(f"No {self.what} is on record as '{text}'; use its slug.")
        if len(found) > 1:
            named = ", ".join(f"{record} ({record.slug})" for record in found)
            raise ValueError(f"'{text}' could be any of: {named}; use the slug.")
        return found[0]

    def find_all(self, value):
        records, problems = [], []
        for text in split_cell(value):
            try:
                record = self.find(text)
            except ValueError as error:
                problems.append(str(error))
                continue
            if record not in records:
                records.append(record)
        if problems:
            raise ValueError(" ".join(problems))
        return records


OFFICIALS = Lookup(Official, "name", "names__name")
PLACES = Lookup(Place, "name", "names__name")
COUNTRIES = Lookup(Country, "iso_code", "name")
TOPICS = Lookup(Topic, "name")
SUMMITS = Lookup(Summit)
POSTS = Lookup(Post)


class LookupWidget(widgets.ForeignKeyWidget):
    """A related record, written as its slug and read by its slug or names (`Lookup`)."""

    def __init__(self, lookup):
        self.lookup = lookup
        super().__init__(lookup.model, field="slug")

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        return self.lookup.find(text) if text else None


class Links:
    """A list cell of many-to-many links, e.g. a meeting's topics: slugs or names, `;` apart."""

    def __init__(self, attribute, lookup):
        self.attribute = attribute
        self.lookup = lookup

    def parse(self, value):
        return self.lookup.find_all(value)

    def missing(self, record, items):
        if record.pk is None:
            return items
        present = set(getattr(record, self.attribute).values_list("pk", flat=True))
        return [item for item in items if item.pk not in present]

    def add(self, record, items, reason):
        getattr(record, self.attribute).add(*items)

    def render(self, record):
        if record.pk is None:
            return ""
        return "; ".join(item.slug for item in getattr(record, self.attribute).all())


class Sources(Links):
    """A record's sources: the addresses of the pages its facts were read from, `;` apart. An
    address not yet on record becomes a source of its own."""

    def __init__(self):
        super().__init__("sources", None)

    def parse(self, value):
        addresses = []
        for text in split_cell(value):
            if not text.startswith(("https://", "http://")) or len(text) > 500:
                raise ValueError(f"'{text[:60]}' is not the address of a page (https://…).")
            address = iri_to_uri(text)
            if address not in addresses:
                addresses.append(address)
        return addresses

    def missing(self, record, items):
        if record.pk is None:
            return items
        present = set(record.sources.values_list("url", flat=True))
        return [url for url in items if url not in present]

    def add(self, record, items, reason):
        record.sources.add(*(Source.objects.get_or_create(url=url)[0] for url in items))

    def render(self, record):
        if record.pk is None:
            return ""
        return "; ".join(source.url for source in record.sources.all())


class Participants(Links):
    """A meeting's participants: officials by slug, name or other spelling."""

    def __init__(self):
        super().__init__("participations", OFFICIALS)

    def missing(self, record, items):
        if record.pk is None:
            return items
        present = set(record.participations.values_list("official_id", flat=True))
        return [item for item in items if item.pk not in present]

    def add(self, record, items, reason):
        for official in items:
            save_part(Participation(meeting=record, official=official), reason)

    def render(self, record):
        if record.pk is None:
            return ""
        rows = record.participations.all()
        if "participations" not in getattr(record, "_prefetched_objects_cache", {}):
            rows = rows.select_related("official")  # a dry run's row, not an export's
        return "; ".join(row.official.slug for row in rows)


class OtherNames(Links):
    """An official's other spellings, as written."""

    def __init__(self):
        super().__init__("names", None)

    def parse(self, value):
        names = []
        for name in split_cell(value):
            if len(name) > OfficialName._meta.get_field("name").max_length:
                raise ValueError(f"'{name[:40]}…' is longer than 200 characters.")
            if name not in names:
                names.append(name)
        return names

    def missing(self, record, items):
        if record.pk is None:
            return items
        present = set(record.names.values_list("name", flat=True))
        return [name for name in items if name not in present]

    def add(self, record, items, reason):
        for name in items:
            save_part(OfficialName(official=record, name=name), reason)

    def render(self, record):
        if record.pk is None:
            return ""
        return "; ".join(other.name for other in record.names.all())


TERM = re.compile(r"^(?P<post>[-\w]+)(?:\s+from\s+(?P<start>\S+))?(?:\s+to\s+(?P<end>\S+))?$")


class Positions(Links):
    """An official's positions: `post-slug`, `post-slug from 2019-01-01`, or with `to 2021-12-31`.

    A position is the same one when its post and first day are; an import gives a known one the
    last day the file gives it.
    """

    def __init__(self):
        super().__init__("positions", POSTS)

    def parse(self, value):
        terms, problems = [], []
        for text in split_cell(value):
            match = TERM.match(text)
            if match is None:
                problems.append(
                    f"'{text}' is not a position: write 'post-slug', "
                    "'post-slug from YYYY-MM-DD' or 'post-slug from YYYY-MM-DD to YYYY-MM-DD'."
                )
                continue
            try:
                post = self.lookup.find(match["post"])
                start, end = (day(match[part]) for part in ("start", "end"))
            except ValueError as error:
                problems.append(str(error))
                continue
            if start and end and end < start:
                problems.append(f"'{text}': a term cannot end before it starts.")
                continue
            terms.append((post, start, end))
        if problems:
            raise ValueError(" ".join(problems))
        return terms

    def missing(self, record, items):
        if record.pk is None:
            return items
        present = set(record.positions.values_list("post_id", "start_date", "end_date"))
        return [
            (post, start, end) for post, start, end in items if (post.pk, start, end) not in present
        ]

    def add(self, record, items, reason):
        for post, start, end in items:
            position = record.positions.filter(post=post, start_date=start).first()
            if position is None:
                position = Position(official=record, post=post, start_date=start)
            position.end_date = end
            save_part(position, reason)

    def render(self, record):
        if record.pk is None:
            return ""
        rows = record.positions.select_related("post").order_by("start_date", "id")
        return "; ".join(term_text(position) for position in rows)


def term_text(position):
    text = position.post.slug
    if position.start_date:
        text += f" from {position.start_date.isoformat()}"
    if position.end_date:
        text += f" to {position.end_date.isoformat()}"
    return text


def day(text):
    text = str(text or "").strip()
    if not text:
        return None
    return read_day(text)


class DayWidget(widgets.DateWidget):
    """A date written YYYY-MM-DD only: '04/06/2022' is refused rather than guessed."""

    def __init__(self, *args, **kwargs):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        return day(value)


def save_part(part, reason):
    """Validate and save `part`, a row related to an imported record; the records it links
    (found by this import, or just saved) are not looked up again."""
    part._change_reason = reason
    linked = [field.name for field in part._meta.concrete_fields if field.many_to_one]
    linked = [name for name in linked if name in part._state.fields_cache]
    part.full_clean(exclude=linked)
    part.save()


class RowDiff(Diff):
    """The changes a row makes, shown by the dry run in the request. A confirmed import and a
    dry run in the background (which shows only totals and errors) show none, and so read no
    record's fields for it, before or after the row."""

    def __init__(self, resource, instance, new):
        self.shown = resource.shows_diff
        if self.shown:
            super().__init__(resource, instance, new)
        else:
            self.left, self.right, self.new = [], [], new

    def compare_with(self, resource, instance):
        if self.shown:
            super().compare_with(resource, instance)

    def as_html(self):
        return super().as_html() if self.shown else []


class ListField(fields.Field):
    """A list cell, read, compared, added and written by its `handler` (a `Links`)."""

    def __init__(self, column, handler):
        super().__init__(column_name=column, attribute=None)
        self.handler = handler

    def export(self, instance, **kwargs):
        return self.handler.render(instance)


class SlugLoader(ModelInstanceLoader):
    """Finds the records a file's slugs name with one query per 1,000 rows, not one per row; a
    slug the file gives again is looked up again (its first row may have made the record)."""

    CHUNK = 1000

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.records = {}
        self.seen = set()
        if dataset is None or "slug" not in (dataset.headers or ()):
            return
        field = resource.fields["slug"]
        slugs = list({field.clean(row) for row in dataset.dict} - {None, ""})
        queryset = self.get_queryset()
        for start in range(0, len(slugs), self.CHUNK):
            for record in queryset.filter(slug__in=slugs[start : start + self.CHUNK]):
                self.records[record.slug] = record

    def get_instance(self, row):
        slug = self.resource.fields["slug"].clean(row)
        if slug in self.seen:
            return super().get_instance(row)
        self.seen.add(slug)
        return self.records.get(slug)


class RecordResource(resources.ModelResource):
    """A Publishable model in a CSV file: plain columns, lookups, list cells and the state.

    Its `ListField`s are the list cells. An import notes its changes in bulk: the cached pages
    and the facet counts are retired once, last in its transaction (public.cache.changes_in_bulk),
    and a related record named on many rows is looked up once.
    """

    export_prefetch = ()
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "DateField": DayWidget}

    class Meta:
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = SlugLoader

    def __init__(self, on_row=None, diff=True, **kwargs):
        super().__init__(**kwargs)
        # Called with each row's number once the row is done (the progress of a long import).
        self.on_row = on_row
        # Whether a dry run shows each row's changes (RowDiff).
        self.diff = diff

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if self.on_row is not None:
            self.on_row(kwargs["row_number"])
        return result

    def import_data(self, dataset, *args, **kwargs):
        self.shows_diff = self.diff and bool(kwargs.get("dry_run"))
        found_in_import.records = {}
        try:
            with changes_in_bulk():
                return super().import_data(dataset, *args, **kwargs)
        finally:
            del found_in_import.records

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            end_bulk_changes()

    def export_field(self, field, instance, **kwargs):
        """A cell of the exported file; text never starts as a formula (the public exports'
        rule, public.exports.neutralise_formula)."""
        value = super().export_field(field, instance, **kwargs)
        return neutralise_formula(value) if isinstance(value, str) else value

    @property
    def lists(self):
        return {f.column_name: f.handler for f in self.fields.values() if isinstance(f, ListField)}

    @classmethod
    def columns(cls):
        return [field.column_name for field in cls().get_import_fields()]

    @classmethod
    def header_problems(cls, headers):
        """What is wrong with a file's header row for this resource, in plain words."""
        known = cls.columns()
        problems = []
        unknown = [header for header in headers if header not in known]
        if unknown:
            problems.append(
                f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                f"The columns are: {', '.join(known)}."
            )
        if "slug" not in headers:
            problems.append("The file has no 'slug' column; every row needs the record's slug.")
        return problems

    def before_import_row(self, row, **kwargs):
        """A cell that starts as a formula is refused; `'=…` is read as the text `=…`."""
        formulas = {}
        for column, value in row.items():
            text = str(value or "")
            if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
                row[column] = text[1:]
            elif text.startswith(FORMULA_STARTS):
                formulas[column] = [
                    f"The cell starts with '{text[:1].strip() or 'a space'}', which a "
                    "spreadsheet runs as a formula. If it is text, start it with an apostrophe "
                    "(')."
                ]
        if formulas:
            raise ValidationError(formulas)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance.imported_lists = {}
        for column, handler in self.lists.items():
            if column in row:
                try:
                    instance.imported_lists[column] = handler.parse(row[column])
                except ValueError as error:
                    errors[column] = [str(error)]
        state_error = self.check_state(instance, kwargs.get("user"))
        if state_error:
            errors["state"] = [state_error]
        if errors:
            raise ValidationError(errors)

    def check_state(self, instance, user):
        """Only a user who may publish changes the state; new records are drafts by default."""
        if instance.state not in State.values:
            return (
                f"'{instance.state}' is not a state: write draft or published (or leave it empty)."
            )
        stored = State.DRAFT
        if instance.pk is not None:
            stored = type(instance)._base_manager.filter(pk=instance.pk).values("state").get()
            stored = stored["state"]
        if instance.state == stored:
            return ""
        opts = instance._meta
        codename = get_permission_codename("publish", opts)
        if user is None or not user.has_perm(f"{opts.app_label}.{codename}"):
            return (
                f"Only a Publisher may publish or unpublish: the record is "
                f"{State(stored).label.lower()}; leave the state as it is or empty."
            )
        if instance.state == State.PUBLISHED and not self.sourced(instance):
            return (
                "A published record needs a source: give the address of the page it was read "
                "from in the sources column."
            )
        if instance.state == State.PUBLISHED:
            instance.published_by = user
        return ""

    @staticmethod
    def sourced(instance):
        """Whether `instance` has a source on record or in its row (where its kind has any)."""
        if not needs_source(type(instance)):
            return True
        if getattr(instance, "imported_lists", {}).get("sources"):
            return True
        return instance.pk is not None and instance.sources.exists()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "state" and not str(row.get("state") or "").strip():
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        lists = getattr(instance, "imported_lists", {})
        return not any(
            self.lists[column].missing(instance, items) for column, items in lists.items()
        )

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = import_reason(kwargs)
        instance.made_by_row = instance.pk is None
        # One history row sums up the record, its fields and its links, once they are all saved
        # (rather than a row for the save and another for each list of links).
        instance.skip_history_when_saving = True

    def after_save_instance(self, instance, row, **kwargs):
        for column, items in getattr(instance, "imported_lists", {}).items():
            handler = self.lists[column]
            # A record this row made has none of them yet: no query to find which it lacks.
            missing = items if instance.made_by_row else handler.missing(instance, items)
            handler.add(instance, missing, import_reason(kwargs))
        del instance.skip_history_when_saving
        History.record(instance, created=instance.made_by_row)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As import-export's, but a related record found by a lookup of this import is not
        looked up again (one query for each)."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, *self.looked_up], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def looked_up(self):
        return [f.attribute for f in self.fields.values() if isinstance(f.widget, LookupWidget)]

    def get_diff_class(self):
        return RowDiff

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related(*self.export_prefetch)


def import_reason(kwargs):
    name = kwargs.get("file_name")
    return f"Imported from {name}" if name else "Imported"


class OfficialResource(RecordResource):
    nationality = fields.Field(
        column_name="nationality", attribute="nationality", widget=LookupWidget(COUNTRIES)
    )
    other_names = ListField("other_names", OtherNames())
    positions = ListField("positions", Positions())
    sources = ListField("sources", Sources())
    export_prefetch = ("names", "positions__post", "sources")

    class Meta(RecordResource.Meta):
        model = Official
        fields = ("slug", "name", "nationality", "notes", "other_names", "positions", "sources",
                  "state")  # fmt: skip


class MeetingResource(RecordResource):
    place = fields.Field(column_name="place", attribute="place", widget=LookupWidget(PLACES))
    country = fields.Field(
        column_name="country", attribute="country", widget=LookupWidget(COUNTRIES)
    )
    summit = fields.Field(column_name="summit", attribute="summit", widget=LookupWidget(SUMMITS))
    participants = ListField("participants", Participants())
    topics = ListField("topics", Links("topics", TOPICS))
    sources = ListField("sources", Sources())
    export_prefetch = ("participations__official", "topics", "sources")

    class Meta(RecordResource.Meta):
        model = Meeting
        fields = (
            "slug", "title", "kind", "start_date", "end_date", "date_precision", "date_note",
            "place", "country", "summit", "summit_relation", "participants", "topics",
            "summary", "sources", "state",
        )  # fmt: skip

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if instance.end_date is None:
                instance.end_date = instance.start_date
