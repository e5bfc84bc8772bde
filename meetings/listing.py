"""What every public list page shares: facet counts, active filters, pagination.

A list page binds a FacetedFilterSet to the request, renders `filterset.qs` a page at a time and
shows, for each facet, how many records each option would give together with the other active
filters (one grouped query per facet, whatever the row count).
"""

from dataclasses import dataclass

import django_filters
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import render

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
FACET_LIMIT = 12


@dataclass(frozen=True)
class Facet:
    """Counts of one filter's options. `value` and `label` are lookups or expressions."""

    param: str
    title: str
    value: object
    label: object = None
    limit: int = FACET_LIMIT
    # Options sort by count; a date facet reads better in date order.
    order_by_value: bool = False
    # Turns a raw label (a choice value, a date) into what the reader sees. When `label` is a dict
    # of lookups (for a label built in Python, such as a summit's title), it gets a dict of values.
    format_label: object = str
    # Turns a raw value (a date) into the value the filter takes in the URL.
    format_value: object = str
    # For an option that is not one column of the record (a country that hosted OR chaired): a
    # function of the filtered queryset giving rows of facet_value, facet_label and facet_count.
    rows: object = None


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet that can count its facets and describe its active filters."""

    facets = ()

    def facet_counts(self, base_queryset):
        """One grouped query per facet, each with every active filter but its own."""
        if not self.is_valid():
            return []
        results = []
        for facet in self.facets:
            data = self.data.copy()
            data.pop(facet.param, None)
            data.pop("page", None)
            others = type(self)(data, queryset=base_queryset, request=self.request)
            queryset = others.qs if others.is_valid() else base_queryset.none()
            rows, labels = facet_rows(facet, queryset.order_by())
            if facet.order_by_value:
                rows = rows.order_by("-facet_value")
            else:
                rows = rows.order_by("-facet_count", *labels)
            selected = {str(v) for v in self.data.getlist(facet.param)}
            options = []
            for row in rows[: facet.limit]:
                value = facet.format_value(row["facet_value"])
                options.append(
                    FacetOption(
                        value=value,
                        label=option_label(facet, row),
                        count=row["facet_count"],
                        selected=value in selected,
                        url=toggle_url(self.data, facet.param, value),
                    )
                )
            results.append({"facet": facet, "options": options})
        return results

    def active_filters(self):
        """(filter label, value, URL without that value) for each value in the URL."""
        active = []
        for name, field in self.form.fields.items():
            labels = self._value_labels(name, field)
            for value in self.data.getlist(name):
                if value == "" or name == "ordering":
                    continue
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
        .annotate(facet_count=Count("pk", distinct=True))
        .exclude(facet_value=None)
    )
    return rows, list(labels)


def option_label(facet, row):
    if isinstance(facet.label, dict):
        return facet.format_label({name: row[f"facet_label_{name}"] for name in facet.label})
    return facet.format_label(row["facet_label"])


def as_expression(lookup):
    return F(lookup) if isinstance(lookup, str) else lookup


class SortFilter(django_filters.ChoiceFilter):
    """The `ordering` parameter: one of `orders`, {value: (label, order_by arguments)}.

    The first order applies when the URL gives none. Each order should end in a unique field, so
    that pages of the list never overlap; `F(...).desc(nulls_last=True)` keeps empty dates last on
    every database.
    """

    def __init__(self, orders, **kwargs):
        self.orders = orders
        choices = [(value, label) for value, (label, _) in orders.items()]
        kwargs.setdefault("label", "Order")
        super().__init__(choices=choices, empty_label=None, **kwargs)

    def filter(self, qs, value):
        _, order_by = self.orders.get(value) or next(iter(self.orders.values()))
        return qs.order_by(*order_by)


def toggle_url(data, param, value):
    """The query string with `value` of `param` switched on or off (back to page 1)."""
    query = data.copy()
    query.pop("page", None)
    values = query.getlist(param)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(param, values)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def per_page_from(request):
    """`per_page` from the URL, capped at MAX_PER_PAGE; None when it is not a positive number."""
    raw = request.GET.get("per_page", "")
    if raw == "":
        return DEFAULT_PER_PAGE
    if not raw.isdigit() or int(raw) < 1:
        return None
    return min(int(raw), MAX_PER_PAGE)


def paginate(request, queryset, per_page):
    """The requested page of `queryset`; a page that does not exist is a 404 with a message."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(f"There is no page {number[:20]!r} of these results: {error}") from None


def filter_errors(filterset):
    """'Label: message' for each filter the URL gives wrongly (empty when the filters are valid)."""
    return [
        f"{filterset.form.fields[name].label or name}: {' '.join(messages)}"
        for name, messages in filterset.errors.items()
    ]


def list_page(request, filterset, base_queryset, template, ctx=None):
    """Render a filtered, faceted, paginated list; an invalid filter is a 400 with its errors."""
    ctx = {"filterset": filterset, **(ctx or {})}
    per_page = per_page_from(request)
    if per_page is None:
        ctx["errors"] = [f"'{request.GET.get('per_page', '')[:40]}' is not a number of rows per "
                         f"page: use a whole number from 1 to {MAX_PER_PAGE}."]  # fmt: skip
    if not filterset.is_valid():
        ctx["errors"] = ctx.get("errors", []) + filter_errors(filterset)
    if ctx.get("errors"):
        return render(request, template, ctx, status=400)
    page = paginate(request, filterset.qs, per_page)
    ctx.update(
        page=page,
        rows=page.object_list,
        facets=filterset.facet_counts(base_queryset),
        active_filters=filterset.active_filters(),
    )
    return render(request, template, ctx)
