"""What every public list page shares: facet counts, active filters, pagination.

A list page binds a FacetedFilterSet to the request, renders `filterset.qs` a page at a time and
shows, for each facet, how many records each option would give together with the other active
filters. The cost of a page does not grow with the number of rows: the facets are counted in one
query under a time limit, the total is counted up to COUNT_LIMIT ("10,000+" beyond), and a list
with a `Keyset` reaches its older rows through `?before=<day>,<id>` at the cost of its first page.
"""

import dataclasses
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import OperationalError, connections, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.dates import read_day
from meetings.models import FacetSummary
from meetings.numbers import number
from public.registry import kind_of

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
FACET_LIMIT = 12
# The options counted beyond those a facet shows, listed folded under it: a keyboard reader's
# letter reaches them without leaving the list (static/js/list.js).
FACET_FOLDED = 36
# The parameter of a facet's page that narrows its options by their label.
FACET_QUERY = "facet_q"
# The most options a facet's page lists; the reader narrows the rest by label.
FACET_PAGE_LIMIT = 1000
# A total above this is shown as "10,000+": no page reads more rows than this to count.
COUNT_LIMIT = 10_000
# The facets of a list filtered by one value are counted ahead (FacetSummary) for the options each
# facet shows or folds that select at least this many records: those lists take longest to count on
# request; the others are quick.
SUMMARY_MIN_COUNT = 1_000
# The facets of a list filtered by two of those values are counted ahead too when the two select at
# least this many records together: grouping the participations of so many records on request
# takes several times what the unfiltered list does (BENCHMARKS.md), and there are few such pairs.
PAIR_MIN_COUNT = 5_000


@dataclass(frozen=True)
class Facet:
    """Counts of one filter's options. `value` and `label` are lookups or expressions."""

    param: str
    title: str
    value: object
    label: object = None
    # The options shown on the list; the facet's own page shows them all.
    limit: int = FACET_LIMIT
    # Options sort by count; a date facet reads better in date order.
    order_by_value: bool = False
    # Turns a raw label (a choice value, a date) into what the reader sees. When `label` is a dict
    # of lookups (for a label built in Python, such as a summit's title), it gets a dict of values.
    format_label: object = str
    # Turns a raw value (a date) into the value the filter takes in the URL.
    format_value: object = str
    # False where each record has at most one row per option (a date, a foreign key, a unique
    # link): the rows are then counted without DISTINCT, which the database does much faster.
    distinct: bool = True
    # For a label that depends on the reader's language (a kind, a month): the label of a URL
    # value, used instead of the stored one, so counts kept ahead serve every language.
    label_of_value: object = None
    # For an option that is not one column of the record (a country that hosted OR chaired): a
    # function of the filtered queryset giving rows of facet_value, facet_label and facet_count.
    rows: object = None


@dataclass
class FacetOption:
    param: str
    value: str
    label: str
    count: int
    selected: bool
    url: str


def option_items(options):
    """The options as the facet's list items: links that switch each option on or off.

    Built here rather than in the template, which would resolve a dozen variables per option.
    """
    return format_html_join(
        "\n",
        '<li><a href="{}"{} data-facet="{}" data-value="{}">{} <span class="count">{}</span></a>'
        "</li>",
        (
            (option.url, SELECTED if option.selected else "", option.param, option.value,
             option.label, option.count)
            for option in options
        ),
    )  # fmt: skip


SELECTED = mark_safe(' aria-current="true" class="selected"')


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet that can count its facets and describe its active filters."""

    facets = ()
    # The parameters the list's form shows as inputs; it carries the others as hidden fields.
    form_fields = ()
    # When set, the facets of the whole list (no filter given) are read from the FacetSummary
    # of this name while it is up to date, instead of being counted on each request.
    summary_name = None

    def facet_counts(self, base_queryset, paginator=None):
        """Each facet's options, counted with every active filter but its own.

        The facets are counted in one query, a UNION ALL of one grouped query each; a facet whose
        label has several columns takes a query of its own. On PostgreSQL each query runs under
        settings.FACET_TIME_LIMIT_MS: the facets of one that runs over are left out of the
        result, with `left_out` set, for the page to say so. `paginator` is the page's
        CappedPaginator of the filtered records: its total tells how many records the facets
        count over, and the facet query counts that total for it when it can (see count_options).
        """
        if not self.is_valid():
            return []
        found = self.options_of_whole_list()
        counted = [facet for facet in self.facets if facet.param not in found]
        if counted:
            limit = settings.FACET_TIME_LIMIT_MS
            found.update(self.count_options(base_queryset, limit, counted, paginator))
        results = []
        query, filters = self.filters_query(), self.url_filters()
        for facet in self.facets:
            if facet.param not in found:
                results.append({"facet": facet, "options": [], "left_out": True})
                continue
            # The options shown, then those folded under them; one more than those is counted,
            # to tell that the facet's page has more.
            rows = found[facet.param]
            options = self.options(facet, rows[: facet.limit])
            folded = self.options(facet, rows[facet.limit : facet.limit + FACET_FOLDED])
            page_url = self.facet_page_url(facet.param)
            more = len(rows) > facet.limit
            results.append(
                {
                    "facet": facet,
                    "options": options,
                    "items": option_items(options),
                    "folded": len(folded),
                    "folded_items": option_items(folded),
                    # The facet's page, with every option: linked with the filters, and the
                    # filters for a form that finds an option there.
                    "page_url": page_url,
                    "more_url": page_url + query if more else "",
                    "filters": filters,
                }
            )
        return results

    def options(self, facet, found, list_url=""):
        """FacetOptions of `found` (value, label, count) rows, each linking to `list_url` (this
        page by default) with its value switched on or off."""
        selected = set(self.data.getlist(facet.param))
        data = self.data.copy()
        data.pop(FACET_QUERY, None)
        return [
            FacetOption(
                param=facet.param,
                value=value,
                label=facet.label_of_value(value) if facet.label_of_value else label,
                count=count,
                selected=value in selected,
                url=list_url + toggle_url(data, facet.param, value),
            )
            for value, label, count in found
        ]

    def url_filters(self):
        """(name, value) of the list's filters and order in the URL, without its page."""
        left_out = ("page", "per_page", "before", FACET_QUERY)
        return [
            (name, value)
            for name, values in self.data.lists()
            if name not in left_out
            for value in values
        ]

    def filters_query(self):
        """The query string of the list's filters and order, without its page ("" if none)."""
        filters = self.url_filters()
        return f"?{urlencode(filters)}" if filters else ""

    def facet_page_url(self, param):
        """The page of every option of the facet `param` (without the filters)."""
        kind = kind_of(self._meta.model)
        return reverse(f"{kind.namespace}:{kind.name}_facet", args=[param])

    def all_options(self, param, base_queryset, contains=""):
        """Every option of the facet `param` whose label contains `contains` (any case), counted
        with the other filters, and the number of all its options; (None, 0) when counting ran
        over the time limit."""
        facet = next(facet for facet in self.facets if facet.param == param)
        unlimited = dataclasses.replace(facet, limit=None)
        found = self.count_options(base_queryset, settings.FACET_TIME_LIMIT_MS, [unlimited])
        if param not in found:
            return None, 0
        wanted = contains.casefold()
        rows = [row for row in found[param] if wanted in str(row[1]).casefold()]
        return rows, len(found[param])

    def count_options(self, base_queryset, time_limit_ms, facets=None, paginator=None):
        """{param: [(value, label, count), ...]} of `facets` (all by default) counted within
        the time limit.

        With two filters or more given, or one that selects at most COUNT_LIMIT records (as
        `paginator`, the CappedPaginator of the filtered records, counts), the ids they select
        together are read once, in a common table expression that the facets whose own filter
        is not given share (each of the others leaves out its own filter, so it filters on its
        own); those facets then read the rows they group once for each to-many relation they go
        through (to_many_tables), from the records of those ids, and group them apart. One
        filter selecting more records, or an unknown number, is left in each part: PostgreSQL,
        which knows nothing of the ids in a CTE, plans a probe of the participations for each
        id, worse than the joins it plans from the filter itself (BENCHMARKS.md, "Facet
        counts"); for a few thousand ids the probes are quicker. With two filters or more, the
        same query counts the shared ids for `paginator` (up to COUNT_LIMIT + 1, as it would),
        which then takes no query of its own.

        With two filters given, each one's facet is counted under the other alone: the same
        query reads those counts from FacetSummary when they were made ahead, and counts the
        facet only when they were not; so the other facets, from the row of the two values
        together when they select so many records that it was made (summary_gates)."""
        facets = self.facets if facets is None else facets
        given = self.filters_given()
        shared, count_total = None, False
        if len(given) > 1:
            shared = self.filter_queryset(base_queryset).order_by()
            count_total = paginator is not None and "counted" not in vars(paginator)
        elif given and paginator is not None and paginator.counted <= COUNT_LIMIT:
            shared = self.filter_queryset(base_queryset).order_by()
        gates = self.summary_gates(given)
        combined, alone = [], []
        records = self.records(base_queryset).filter(pk__in=FILTERED_IDS).order_by()
        for facet in facets:
            if shared is not None and facet.param not in given:
                if facet.rows or isinstance(facet.label, dict):
                    rows = self.facet_rows(facet, records, False)
                else:
                    rows = SharedRows(records, to_many_tables(facet, records))
            else:
                rows = self.facet_rows(facet, base_queryset)
            if isinstance(facet.label, dict):
                alone.append((facet, rows, None))
            else:
                # A facet's page counts all its options: more than were counted ahead.
                combined.append(
                    (facet, rows, gates.get(facet.param) if facet in self.facets else None)
                )
        found, ready = {}, {}
        for group in [combined, *([part] for part in alone)]:
            if group:
                counted, stored, selected = count_facets(
                    group, time_limit_ms, shared, self.summary_name, count_total
                )
                if selected is not None:
                    paginator.counted = selected
                count_total = False
                found.update(counted)
                for facet, __, gate in group:
                    if facet.param in stored.get(gate, {}):
                        ready[facet.param] = stored[gate][facet.param]
        options = {
            facet.param: [
                (facet.format_value(row["facet_value"]), option_label(facet, row),
                 row["facet_count"])
                for row in found[facet.param]
            ]
            for facet in facets
            if facet.param in found
        }  # fmt: skip
        return {**options, **ready}

    def records(self, queryset):
        """`queryset` with what the filters and facets read beyond the model's own fields (an
        annotation), before any filter: the records whose facets are counted over shared ids."""
        return queryset

    def summary_gates(self, given):
        """{param: FacetSummary.filter} for each facet of two filters given: it is counted under
        the other filter alone, which may have been counted ahead when it has one value; and,
        when both have one value, for every other facet: the pair may have been counted ahead
        (PAIR_MIN_COUNT)."""
        params = {facet.param for facet in self.facets}
        if not self.summary_name or len(given) != 2 or not given <= params:
            return {}
        single = {}
        for param in given:
            values = self.data.getlist(param)
            if len(values) == 1:
                single[param] = summary_filter(param, values[0])
        gates = {}
        for param in given:
            (other,) = given - {param}
            if other in single:
                gates[param] = single[other]
        if len(single) == 2:
            pair = pair_filter(*single.values())
            gates.update({param: pair for param in params - given})
        return gates

    def filters_given(self):
        """The names of the filters the URL gives (an order is none), but a date range that
        takes in every record's date: it leaves none out, so the facets are those of the list
        without it, which may have been counted ahead (a list since 2000 of records all newer)."""
        return {
            name
            for name, value in self.form.cleaned_data.items()
            if name != "ordering" and chosen(value) and not self.takes_in_every_record(name, value)
        }

    def takes_in_every_record(self, name, value):
        """Whether the filter `name` is a range of days (`value`, a slice) from no later than
        the first record's date to no earlier than the last's (one query for both, read once)."""
        range_filter = self.filters.get(name)
        if not isinstance(range_filter, django_filters.DateFromToRangeFilter):
            return False
        field_name = range_filter.field_name
        if self._meta.model._meta.get_field(field_name).null:
            return False  # a record without a date is left out by any range
        spans = vars(self).setdefault("_spans", {})
        if field_name not in spans:
            spans[field_name] = self.queryset.order_by().aggregate(
                first=Min(field_name), last=Max(field_name)
            )
        first, last = spans[field_name]["first"], spans[field_name]["last"]
        if first is None:
            return False
        start, stop = (day.date() if day else None for day in (value.start, value.stop))
        return (start is None or start <= first) and (stop is None or stop >= last)

    def options_of_whole_list(self):
        """{param: options} of the facets counted ahead, read from the list's FacetSummary rows
        while they are up to date: every facet when no filter is given; with one filter, its own
        facet (its counts leave out its own filter: the whole list's), and every other facet too
        when the filter's one value is among those counted ahead (one query either way)."""
        given = self.filters_given()
        params = {facet.param for facet in self.facets}
        if not self.summary_name or len(given) > 1 or not given <= params:
            return {}
        keys = [""]
        for param in given:
            values = self.data.getlist(param)
            if len(values) == 1:
                keys.append(summary_filter(param, values[0]))
        stored = dict(
            FacetSummary.objects.filter(
                name=self.summary_name, filter__in=keys, facets__isnull=False
            ).values_list("filter", "facets")
        )
        found = {param: rows for param, rows in stored.get("", {}).items() if given <= {param}}
        if "" in stored and len(keys) > 1:
            found.update(stored.get(keys[1], {}))
        return found

    @classmethod
    def refresh_summary(cls, base_queryset):
        """Counts the whole list's facets, then those of the list filtered by each of the most
        common values of each facet (those the list shows or folds, each selecting at least
        SUMMARY_MIN_COUNT records), and those of the list filtered by two of those values that
        select at least PAIR_MIN_COUNT records together (as the first one's counts tell), with
        no time limit at all, into the list's FacetSummary rows; returns whether they were all
        stored. They are not when a record changed while they were counted (they might miss the
        change): the recount after that change stores its own."""
        whole = cls.store_summary(base_queryset, "")
        if whole is None:
            return False
        kept, singles = [""], {}
        filters = [facet for facet in cls.facets if facet.param in cls.base_filters]
        for facet in filters:
            common = sorted(whole.get(facet.param, []), key=lambda row: -row[2])
            for value, __, count in common[: facet.limit + FACET_FOLDED]:
                if count < SUMMARY_MIN_COUNT:
                    break
                key = summary_filter(facet.param, value)
                found = singles[facet.param, key] = cls.store_summary(base_queryset, key)
                if found is None:
                    return False
                kept.append(key)
        for (param, key), found in singles.items():
            for facet in filters:
                if facet.param == param:
                    continue  # two values of one filter are never read together (summary_gates)
                for value, __, count in found.get(facet.param, []):
                    pair = pair_filter(key, summary_filter(facet.param, value))
                    if count < PAIR_MIN_COUNT or pair in kept:
                        continue
                    if cls.store_summary(base_queryset, pair) is None:
                        return False
                    kept.append(pair)
        FacetSummary.objects.filter(name=cls.summary_name).exclude(filter__in=kept).delete()
        return True

    @classmethod
    def store_summary(cls, base_queryset, key):
        """Counts the facets of the list under the filter `key` ("" for none; a filter's own
        facet is left out, being the whole list's) into its FacetSummary row; returns the counts,
        or None when a record changed meanwhile (or the filter is not valid)."""
        summary, __ = FacetSummary.objects.get_or_create(name=cls.summary_name, filter=key)
        filterset = cls(QueryDict(key), queryset=base_queryset)
        if not filterset.is_valid():
            return None
        given = filterset.filters_given()
        facets = [facet for facet in cls.facets if facet.param not in given]
        found = filterset.count_options(base_queryset, time_limit_ms=None, facets=facets)
        unchanged = FacetSummary.objects.filter(pk=summary.pk, changes=summary.changes)
        return found if unchanged.update(facets=found, counted_at=timezone.now()) else None

    def facet_rows(self, facet, base_queryset, filtered=True):
        """The grouped, ordered and limited query of `facet`'s options (under the filters but
        its own, unless `filtered` is false: `base_queryset` is then filtered already)."""
        queryset = base_queryset
        if filtered:
            queryset = self.filter_queryset_without(facet.param, queryset)
        queryset = queryset.order_by()
        rows, labels = facet_rows(facet, queryset)
        if facet.order_by_value:
            rows = rows.order_by("-facet_value")
        else:
            rows = rows.order_by("-facet_count", *labels)
        return rows if facet.limit is None else rows[: facet.limit + FACET_FOLDED + 1]

    def filter_queryset_without(self, param, queryset):
        """`queryset` under every valid filter but `param` (read from the form: no query).

        filter_queryset() applies the form's cleaned_data, so it is given, for the call, the
        cleaned data without `param`."""
        cleaned = self.form.cleaned_data
        self.form.cleaned_data = {name: value for name, value in cleaned.items() if name != param}
        try:
            return self.filter_queryset(queryset)
        finally:
            self.form.cleaned_data = cleaned

    def active_filters(self):
        """(filter label, value, URL without that value) for each value in the URL."""
        active = []
        for name, field in self.form.fields.items():
            values = [value for value in self.data.getlist(name) if value != ""]
            if not values or name == "ordering":
                continue
            labels = self._value_labels(name, field)
            for value in values:
                active.append(
                    {
                        "label": field.label or name,
                        "value": labels.get(value, value),
                        "remove_url": toggle_url(self.data, name, value),
                    }
                )
        return active

    def _value_labels(self, name, field):
        """Readable names for the values of a choice field (records come from validation)."""
        if hasattr(field, "queryset"):
            key = field.to_field_name or "pk"
            return {
                str(getattr(obj, key)): str(obj) for obj in self.form.cleaned_data.get(name) or []
            }
        if hasattr(field, "choices"):
            return {str(value): str(label) for value, label in field.choices}
        return {}


@dataclass(frozen=True)
class SharedRows:
    """A facet counted over the shared ids (FILTERED_IDS) from the rows of `records` (those ids'
    records) joined to the to-many relations `through` (the tables of to_many_tables), which
    count_facets reads once for every facet through the same relations."""

    records: QuerySet
    through: tuple = ()

    @property
    def db(self):
        return self.records.db


def count_facets(group, time_limit_ms, shared=None, summary_name=None, count_shared=False):
    """({param: rows}, {filter: stored facets}, selected) for the (facet, rows, gate) triples of
    `group`, counted in one query; `selected` is the number of shared ids (up to
    COUNT_LIMIT + 1) when `count_shared` asks for it, else None.

    Each part is cast to text so that the parts can be joined, and read back into the facet's
    own types. A part filtered on FILTERED_IDS reads the ids of `shared` (the filtered records),
    selected once for all the parts in a common table expression. A part whose rows are
    SharedRows groups the rows of a common table expression of its relation, which holds the
    value and label of every facet through that relation: the records and their related rows
    are joined once, not once per facet; the facets of the records' own columns (or of records
    they point to) read them as the ids are selected, in the same expression. A part with a
    gate (the FacetSummary.filter of the list `summary_name` under which it counts) is counted
    only when that row holds no counts; the rows of the gates are read by the same query, and
    PostgreSQL runs none of a part whose gate is closed. A query that runs over the time limit
    gives ({}, {}, None) (PostgreSQL only; see run_time_limited for 0 and None).
    """
    db = group[0][1].db
    connection = connections[db]
    qn = connection.ops.quote_name
    summaries = qn(FacetSummary._meta.db_table)
    name_column, filter_column, facets_column = qn("name"), qn("filter"), qn("facets")
    stored_row = (
        f"FROM {summaries} WHERE {name_column} = %s AND {filter_column} {{}} "
        f"AND {facets_column} IS NOT NULL"
    )
    tables = shared_tables(group, shared)
    parts, params, fields, gates = [], [], {}, []
    for index, (facet, rows, gate) in enumerate(group):
        if isinstance(rows, SharedRows):
            table, values = tables[rows.through]
            part, part_params = shared_part(facet, index, table, qn), []
            value, label = (
                values.query.annotation_select[f"{n}_{index}"] for n in ("value", "label")
            )
            fields[index] = (
                facet,
                ["facet_value", "facet_label"],
                {"facet_value": value, "facet_label": label},
            )
        else:
            sql, part_params = rows.query.get_compiler(using=db).as_sql()
            names = [name for name in rows.query.annotation_select if name.startswith("facet_")]
            fields[index] = (facet, names, rows.query.annotation_select)
            columns = ", ".join(
                f"CAST({qn(name)} AS TEXT)" for name in names if name != "facet_count"
            )
            part = (
                f"SELECT {index}, {columns}, {qn('facet_count')} FROM ({sql}) "
                f"{qn(f'facet_{index}')}"
            )
        params.extend(part_params)
        if gate is not None:
            part += f" WHERE NOT EXISTS (SELECT 1 {stored_row.format('= %s')})"
            params.extend([summary_name, gate])
            gates.append(gate)
        parts.append(part)
    if gates:
        keys = stored_row.format(f"IN ({', '.join(['%s'] * len(gates))})")
        parts.append(f"SELECT -1, {filter_column}, CAST({facets_column} AS TEXT), 0 {keys}")
        params.extend([summary_name, *gates])
    if count_shared:
        ids = f"{FILTERED_IDS.sql} LIMIT {COUNT_LIMIT + 1}"
        parts.append(f"SELECT -2, NULL, NULL, COUNT(*) FROM ({ids}) {qn('selected')}")
    sql = " UNION ALL ".join(parts)
    if shared is not None and (tables or FILTERED_IDS.sql in sql):
        ctes, cte_params = shared_ctes(tables, shared, db)
        sql = f"WITH {ctes} {sql}"
        params = [*cte_params, *params]
    found = run_time_limited(connection, sql, params, time_limit_ms)
    if found is None:
        return {}, {}, None
    results = {facet.param: [] for facet, _, _ in fields.values()}
    stored, selected = {}, None
    for index, *values, count in found:
        if index == -1:
            stored[values[0]] = json.loads(values[1])
            continue
        if index == -2:
            selected = int(count)
            continue
        facet, names, annotations = fields[index]
        names = [name for name in names if name != "facet_count"]
        row = {
            name: from_text(annotations[name].output_field, value)
            for name, value in zip(names, values, strict=True)
        }
        row["facet_count"] = int(count)
        results[facet.param].append(row)
    for facet, names, __ in fields.values():
        labels = [name for name in names if name.startswith("facet_label")]
        if facet.order_by_value:
            results[facet.param].sort(key=lambda row: row["facet_value"], reverse=True)
        else:
            results[facet.param].sort(
                key=lambda row: (-row["facet_count"], *(str(row[n] or "") for n in labels))
            )
    return results, stored, selected


def shared_tables(group, shared):
    """{relation: (quoted table name, values queryset)}: for each relation that SharedRows of
    `group` go through, the records of the shared ids with their related rows, one row each,
    holding `value_<index>` and `label_<index>` of every facet at <index> through it. Through
    none (`()`), the rows are the filtered records of `shared` themselves, each once: the
    filters select through Exists() or ids, never a join that would repeat a record."""
    columns = {}
    for index, (facet, rows, __) in enumerate(group):
        if isinstance(rows, SharedRows):
            found = columns.setdefault(rows.through, (rows.records, {}))[1]
            found[f"value_{index}"] = as_expression(facet.value)
            found[f"label_{index}"] = as_expression(facet.label or facet.value)
    tables = {}
    for through, (records, found) in columns.items():
        connection = connections[records.db]
        name = "_".join(["filtered", *through]) if through else "filtered_records"
        values = (records if through else shared).values(facet_record=F("pk"), **found)
        tables[through] = (connection.ops.quote_name(name), values)
    return tables


def shared_ctes(tables, shared, db):
    """The common table expressions of count_facets and their parameters: the shared ids
    ("filtered"), taken from the filtered records' own columns when facets read those (the
    `()` entry of shared_tables), then the rows of each relation of `tables`."""
    connection = connections[db]
    qn = connection.ops.quote_name
    # PostgreSQL would also materialise a CTE read more than once; SQLite has no keyword.
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    ids = f"{qn('filtered')} ({qn('id')})"

    def cte(name, queryset):
        sql, params = queryset.query.get_compiler(using=db).as_sql()
        return f"{name} AS {materialized}({sql})", list(params)

    if () in tables:
        table, values = tables[()]
        ctes = [cte(table, values), (f"{ids} AS (SELECT {qn('facet_record')} FROM {table})", [])]
    else:
        ctes = [cte(ids, shared.values("pk"))]
    ctes.extend(cte(table, values) for through, (table, values) in tables.items() if through)
    return ", ".join(sql for sql, __ in ctes), [param for __, params in ctes for param in params]


def to_many_tables(facet, records):
    """The tables of the to-many relations that `facet`'s options are read through, in the
    order they are joined (none for a column of the record or of a record it points to)."""
    rows, __ = facet_rows(facet, records)
    return tuple(
        join.table_name
        for join in rows.query.alias_map.values()
        if getattr(join, "join_field", None) is not None
        and (join.join_field.one_to_many or join.join_field.many_to_many)
    )


def shared_part(facet, index, table, qn):
    """The part of count_facets grouping `facet` (at `index`) from `table` (shared_tables): as
    facet_rows groups it from the records, with the same order and limit."""
    value, label, count = qn(f"value_{index}"), qn(f"label_{index}"), qn("facet_count")
    record = qn("facet_record")
    counted = f"COUNT(DISTINCT {record})" if facet.distinct else f"COUNT({record})"
    order = f"{value} DESC" if facet.order_by_value else f"{count} DESC, {label}"
    limit = "" if facet.limit is None else f" LIMIT {facet.limit + FACET_FOLDED + 1}"
    grouped = (
        f"SELECT {value}, {label}, {counted} AS {count} FROM {table} WHERE {value} IS NOT NULL "
        f"GROUP BY {value}, {label} ORDER BY {order}{limit}"
    )
    return (
        f"SELECT {index}, CAST({value} AS TEXT), CAST({label} AS TEXT), {count} "
        f"FROM ({grouped}) {qn(f'facet_{index}')}"
    )


# The ids of the records under every given filter, as count_facets selects them once.
FILTERED_IDS = RawSQL('SELECT "id" FROM "filtered"', ())


def from_text(field, value):
    """A value cast to text, read back as `field` reads it (a truncated date may carry a time)."""
    if value is None:
        return None
    if field.get_internal_type() == "DateField":
        value = value[:10]
    return field.to_python(value)


def summary_filter(param, value):
    """The query string of one filter value, as FacetSummary.filter holds it: 'kind=bilateral'."""
    return urlencode([(param, value)])


def pair_filter(first, second):
    """The FacetSummary.filter of two filter values (summary_filter), the same in either order."""
    return "&".join(sorted([first, second]))


def run_time_limited(connection, sql, params, limit_ms):
    """The rows of `sql`, or None if it ran over `limit_ms` milliseconds.

    On PostgreSQL the limit is a `statement_timeout` set for this query alone: SET LOCAL in a
    transaction (a savepoint inside another) that is rolled back once the rows are read. 0 sets
    none (the connection's own applies); None lifts that one too, for counts made ahead. JIT is
    off for the query: its compilation, which a costly plan starts, cannot be interrupted and
    would hold the query past the limit.
    """
    limit = 0 if limit_ms is None else int(limit_ms)
    if connection.vendor != "postgresql" or (limit <= 0 and limit_ms is not None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {limit}; SET LOCAL jit = off")
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            transaction.set_rollback(True, using=connection.alias)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == "57014":  # query_canceled
            return None
        raise
    return rows


def facet_rows(facet, queryset):
    """The option rows of `facet` (not yet ordered) and the names of their label columns."""
    if facet.rows:
        return facet.rows(queryset), ["facet_label"]
    label = facet.label or facet.value
    if isinstance(label, dict):
        labels = {f"facet_label_{name}": as_expression(part) for name, part in label.items()}
    else:
        labels = {"facet_label": as_expression(label)}
    rows = (
        queryset.values(facet_value=as_expression(facet.value), **labels)
        .annotate(facet_count=Count("pk", distinct=facet.distinct))
        .exclude(facet_value=None)
    )
    return rows, list(labels)


def option_label(facet, row):
    if isinstance(facet.label, dict):
        return facet.format_label({name: row[f"facet_label_{name}"] for name in facet.label})
    return facet.format_label(row["facet_label"])


def as_expression(lookup):
    return F(lookup) if isinstance(lookup, str) else lookup


def chosen(value):
    """Whether a filter's value chooses anything; an empty queryset is told without a query."""
    if isinstance(value, QuerySet) and value.query.is_empty():
        return False
    return bool(value)


NOT_ON_RECORD = {
    "country": _("There is no country '%(value)s' on record."),
    "place": _("There is no place '%(value)s' on record."),
    "official": _("There is no official '%(value)s' on record."),
    "topic": _("There is no topic '%(value)s' on record."),
    "summit": _("There is no summit '%(value)s' on record."),
    "initiative": _("There is no initiative '%(value)s' on record."),
    "organisation": _("There is no organisation '%(value)s' on record."),
    "position": _("There is no position '%(value)s' on record."),
    "body": _("There is no body '%(value)s' on record."),
}


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Records of `queryset` chosen by slug (`?topic=a&topic=b`), any of which a row may match.

    A row matches when its `field_name` is one of them, or, given `through` as (a model, its
    field pointing to the row, its field pointing to the chosen record), when a `through` record
    links it to one of them: an Exists() subquery, so no DISTINCT is needed. `what` names the
    record in the message for a slug that is not on record.
    """

    def __init__(self, queryset, label, *, through=None, what=None, **kwargs):
        if what:
            kwargs.setdefault("error_messages", {"invalid_choice": NOT_ON_RECORD[what]})
        super().__init__(
            queryset=queryset, label=label, to_field_name="slug", distinct=False, **kwargs
        )
        self.through = through

    def filter(self, qs, value):
        if not chosen(value):
            return qs
        if self.through is None:
            return qs.filter(**{f"{self.field_name}__in": value})
        model, row, link = self.through
        return qs.filter(
            Exists(model.objects.filter(**{row: OuterRef("pk"), f"{link}__in": value}))
        )


class SortFilter(django_filters.ChoiceFilter):
    """The `ordering` parameter: one of `orders`, {value: (label, order_by arguments)}.

    The first order applies when the URL gives none. Each order should end in a unique field, so
    that pages of the list never overlap; `F(...).desc(nulls_last=True)` keeps empty dates last on
    every database.
    """

    def __init__(self, orders, **kwargs):
        self.orders = orders
        choices = [(value, label) for value, (label, __) in orders.items()]
        kwargs.setdefault("label", _("Order"))
        message = format_lazy(
            _("There is no order '%(value)s': use one of {orders}."), orders=", ".join(orders)
        )
        kwargs.setdefault("error_messages", {"invalid_choice": message})
        super().__init__(choices=choices, empty_label=None, **kwargs)

    def filter(self, qs, value):
        __, order_by = self.orders.get(value) or next(iter(self.orders.values()))
        return qs.order_by(*order_by)


def toggle_url(data, param, value):
    """The query string with `value` of `param` switched on or off (back to page 1)."""
    values = data.getlist(param)
    values = [v for v in values if v != value] if value in values else [*values, value]
    lists = {name: given for name, given in data.lists() if name != "page"}
    lists[param] = values
    encoded = urlencode([(name, v) for name, given in lists.items() for v in given])
    return f"?{encoded}" if encoded else "?"


def per_page_from(request):
    """`per_page` from the URL, capped at MAX_PER_PAGE; None when it is not a positive number."""
    raw = request.GET.get("per_page", "")
    if raw == "":
        return DEFAULT_PER_PAGE
    if not (raw.isascii() and raw.isdigit()) or not raw.strip("0"):
        return None
    if len(raw.lstrip("0")) > len(str(MAX_PER_PAGE)):
        return MAX_PER_PAGE
    return min(int(raw), MAX_PER_PAGE)


class CappedPaginator(Paginator):
    """A Paginator that counts at most COUNT_LIMIT + 1 rows (one query, however many match).

    Beyond COUNT_LIMIT, `capped` is true, the pages stop at COUNT_LIMIT rows and the total shows
    as "10,000+"; the last of those pages then links on to the older rows (`next_before`).
    """

    @cached_property
    def counted(self):
        return self.object_list[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, COUNT_LIMIT)

    @property
    def capped(self):
        return self.counted > COUNT_LIMIT

    @property
    def count_display(self):
        return f"{number(COUNT_LIMIT)}+" if self.capped else number(self.count)


def capped_count(queryset):
    """How many rows `queryset` has, or "10,000+" beyond COUNT_LIMIT (it reads no further)."""
    found = queryset[: COUNT_LIMIT + 1].count()
    return f"{number(COUNT_LIMIT)}+" if found > COUNT_LIMIT else found


@dataclass(frozen=True)
class Keyset:
    """A list ordered newest first by `field` then by id, under the `ordering` value `order`.

    `?before=<day>,<id>` shows the rows after that one: an index range read from that row on,
    which costs what the first page costs however deep it is.
    """

    field: str
    order: str

    def applies(self, filterset):
        return filterset.form.cleaned_data.get("ordering") in (None, "", self.order)

    def parse(self, raw):
        """(day, id) from '2022-06-04,17'; None if it is not that."""
        day, __, pk = raw.partition(",")
        try:
            return read_day(day), int(pk)
        except ValueError:
            return None

    def cursor(self, record):
        return f"{getattr(record, self.field).isoformat()},{record.pk}"

    def after(self, queryset, day, pk):
        # The first condition lets the database start its index scan at `day`.
        older = Q(**{f"{self.field}__lt": day}) | Q(**{self.field: day, "pk__lt": pk})
        return queryset.filter(Q(**{f"{self.field}__lte": day}), older)


class KeysetPage:
    """The rows after a `before` cursor: what a Page offers the templates, without a number."""

    number = None

    def __init__(self, rows, paginator, per_page, keyset):
        self.object_list = rows[:per_page]
        self.paginator = paginator
        more = len(rows) > per_page
        self.next_before = keyset.cursor(self.object_list[-1]) if more else None

    def has_previous(self):
        return True

    def has_next(self):
        return False

    def has_other_pages(self):
        return True


def paginate(request, paginator, keyset=None):
    """The requested page of `paginator` (a CappedPaginator); a page that does not exist is a
    404 with a message.

    With a `keyset`, `?before=<day>,<id>` gives the rows after that one instead of a numbered
    page, and the last counted page of a capped total links on to them.
    """
    before = request.GET.get("before", "")
    if keyset and before:
        day, pk = keyset.parse(before)
        rows = list(keyset.after(paginator.object_list, day, pk)[: paginator.per_page + 1])
        return KeysetPage(rows, paginator, paginator.per_page, keyset)
    number = request.GET.get("page", "1")
    try:
        page = paginator.page(number)
    except InvalidPage as error:
        message = gettext("There is no page {number} of these results: {error}")
        raise Http404(message.format(number=repr(number[:20]), error=error)) from None
    page.next_before = None
    if keyset and paginator.capped and not page.has_next():
        page.object_list = list(page.object_list)
        if page.object_list:
            page.next_before = keyset.cursor(page.object_list[-1])
    return page


def keyset_errors(request, filterset, keyset):
    """What is wrong with `before` in the URL (empty when nothing is)."""
    before = request.GET.get("before", "")
    if not before:
        return []
    if keyset is None:
        return [gettext("Older pages: this list has no 'before' parameter; use 'page'.")]
    if keyset.parse(before) is None:
        message = gettext(
            "Older pages: '{before}' is not a place in the list; follow the list's 'Older' link."
        )
        return [message.format(before=before[:40])]
    if filterset.is_valid() and not keyset.applies(filterset):
        return [gettext("Older pages: 'before' follows the newest-first order; remove 'ordering'.")]
    return []


def filter_errors(filterset):
    """'Label: message' for each filter the URL gives wrongly (empty when the filters are valid)."""
    return [
        f"{filterset.form.fields[name].label or name}: {' '.join(messages)}"
        for name, messages in filterset.errors.items()
    ]


def list_page(request, filterset, base_queryset, template, ctx=None, keyset=None):
    """Render a filtered, faceted, paginated list; an invalid filter is a 400 with its errors.

    The template extends includes/list_page.html, which reads the kind (its title and links)
    and the hidden fields of the filters' form from here. `base_queryset` holds the records of
    the filterset's queryset without what only the rows read: the facets are counted over it,
    and the total may be counted with them.
    """
    kind = kind_of(filterset._meta.model)
    shown = {*filterset.form_fields, "page"}
    ctx = {
        "filterset": filterset,
        "kind": kind,
        "links": kind.links(),
        "hidden_fields": [
            (name, value)
            for name, values in filterset.data.lists()
            if name not in shown
            for value in values
        ],
        **(ctx or {}),
    }
    per_page = per_page_from(request)
    if per_page is None:
        message = gettext(
            "'{given}' is not a number of rows per page: use a whole number from 1 to {most}."
        )
        ctx["errors"] = [
            message.format(given=request.GET.get("per_page", "")[:40], most=MAX_PER_PAGE)
        ]
    if not filterset.is_valid():
        ctx["errors"] = ctx.get("errors", []) + filter_errors(filterset)
    ctx["errors"] = ctx.get("errors", []) + keyset_errors(request, filterset, keyset)
    if ctx["errors"]:
        return render(request, template, ctx, status=400)
    # The facets come first: their query may count the total that the page shows.
    paginator = CappedPaginator(filterset.qs, per_page)
    facets = filterset.facet_counts(base_queryset, paginator)
    page = paginate(request, paginator, keyset)
    ctx.update(
        page=page,
        rows=page.object_list,
        facets=facets,
        active_filters=filterset.active_filters(),
    )
    return render(request, template, ctx)
