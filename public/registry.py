"""The kinds of record the public site lists: each declared once, in its own module.

A kind's module (public/meetings.py, ...) ends with `KIND = PublicKind(...)`, and its name is
one line of KIND_MODULES. From that declaration come its addresses (list, record, download,
calendar, feed, the page of each facet's options), its place in the menu and in site search,
the records whose change retires the page cache, and the permissions of the editorial roles.
tests/test_registry.py fails when a public model is left out.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.urls import path, reverse

KIND_MODULES = [
    "public.meetings",
    "public.summits",
    "public.initiatives",
    "public.officials",
    "public.countries",
]


@dataclass(frozen=True)
class SearchSpec:
    """How site search reads a kind.

    `document` gives a record's text by weight ("A" names and titles to "C" long text), read with
    `prefetch` and `related`: PostgreSQL's search vectors and SQLite's full-text index hold it.
    `queryset` gives the rows a result shows, `date_field` orders them by date, `heading` and
    `details` word a result.
    """

    document: Callable
    queryset: Callable
    prefetch: tuple = ()
    related: tuple = ()
    date_field: str = None
    # How a result is shown: its heading, and a line of details under it (no query).
    heading: Callable = str
    details: Callable = lambda record: ""


@dataclass(frozen=True)
class Figure:
    """How the home page counts a kind: "12 meetings", linked to its list.

    `words` gives the noun for a count in the reader's language, with its plural forms
    (ngettext: 1 встреча, 2 встречи, 5 встреч)."""

    words: Callable  # count -> "meeting" or "meetings"
    records: Callable  # today -> the records counted
    query: str = ""  # appended to the list's address, e.g. "?status=member"


@dataclass(frozen=True)
class PublicKind:
    """A kind of record on the public site: its model, pages, download and search."""

    key: str  # the plural in its addresses: /meetings/, /meetings/export.csv
    name: str  # the singular in its URL names: meeting_list, meeting_detail
    title: str  # as the menu and search results head it
    model: type
    namespace: str
    list_view: Callable
    detail_view: Callable
    listing: object  # public.exports.Listing
    search: SearchSpec
    figure: Figure = None  # its count on the home page
    feed: object = None  # an Atom feed view
    extra_urls: list = field(default_factory=list)
    # The title a citation of a record gives: "Meeting title, 4 June 2022".
    cite_title: Callable = str

    def links(self):
        """The URL names of its download, calendar and feed ("" where it has none)."""
        prefix = f"{self.namespace}:{self.name}"
        return {
            "export": f"{prefix}_export",
            "calendar": f"{prefix}_calendar" if self.listing.events else "",
            "feed": f"{prefix}_feed" if self.feed else "",
        }

    def list_url(self):
        return reverse(f"{self.namespace}:{self.name}_list")

    def urlpatterns(self):
        from public.views import calendar, cite, export, facet

        key, name = self.key, self.name
        patterns = [
            path(f"{key}/", self.list_view, name=f"{name}_list"),
            path(f"{key}/export.<str:fmt>", export, {"kind": key}, name=f"{name}_export"),
        ]
        if self.listing.events:
            patterns.append(path(f"{key}.ics", calendar, {"kind": key}, name=f"{name}_calendar"))
        if self.feed:
            patterns.append(path(f"{key}/feed/", self.feed, name=f"{name}_feed"))
        if self.listing.filterset_class.facets:
            patterns.append(
                path(f"{key}/facets/<slug:param>/", facet, {"kind": key}, name=f"{name}_facet")
            )
        return [
            *patterns,
            *self.extra_urls,
            path(f"{key}/<slug:slug>/", self.detail_view, name=f"{name}_detail"),
            path(f"{key}/<slug:slug>/cite.<str:fmt>", cite, {"kind": key}, name=f"{name}_cite"),
        ]


@functools.cache
def kinds():
    """{key: PublicKind} in menu order."""
    declared = [import_module(module).KIND for module in KIND_MODULES]
    return {kind.key: kind for kind in declared}


def kind_of(model):
    """The PublicKind of `model`, or None."""
    return next((kind for kind in kinds().values() if kind.model is model), None)


def content_models():
    """The public models, whose changes the page cache and derived data follow."""
    return [kind.model for kind in kinds().values()]
