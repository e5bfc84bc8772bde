"""The page cache for anonymous readers.

A reader without a session cookie gets public pages from the cache for up to
settings.PAGE_CACHE_SECONDS (0 turns the cache off). Every cached page is filed under the
cache generation it was rendered at, read from the database (meetings.models.CacheGeneration,
one small query per request); saving or deleting any record of the site's apps, and the admin's
publishing actions, take a new generation in the same transaction, so the next request renders
afresh. The generation lives beside the records rather than in the cache, so a cache restored
from an older state (a Redis failover, a database restore) never serves a page older than the
records. Staff, who have a session, are never served from the cache and their pages are never
stored. The admin, the API, the benchmark's constant page, every answer but a 200, a response
marked `Cache-Control: no-store` (a page saying that its figures are being counted) and addresses
with a query string longer than MAX_QUERY_STRING are left out, so that one address cannot cost
more than one page's worth of cache.

A page older than PAGE_CACHE_SECONDS but filed under the current generation is not thrown away
at once: the first request for it renders it again while, for up to PAGE_CACHE_STALE_SECONDS
more, other readers of the same address still get the older copy (which shows the same content,
as nothing has changed since). Pages cached together then do not all render again together.

While the database does not answer, readers still get the pages cached under the generation
last read, and every other request a 503 (sco_tracker/errors.py).

The key is the address's path and the parameters the site reads (PAGE_PARAMETERS), sorted: any
other parameter (`&r=<random>`, `utm_source`) is dropped from the request before the page renders,
so that it neither costs a render nor changes the page. A session cookie that names no session
(`Cookie: sessionid=x`) is a reader without a session.

A change made outside the site (in psql, say) takes no new generation: run
`manage.py retire_cached_pages` after it, as `make restore` does.
"""

import contextlib
import functools
import hashlib
import threading
import time
from importlib import import_module
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import DatabaseError, connections, router
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import QueryDict
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control
from django_filters.widgets import SuffixedMultiWidget

from meetings.models import CacheGeneration, FacetSummary
from public import tasks
from public.registry import content_models

# The longest a request may take to render a page again before another one may try.
RENDER_LOCK_SECONDS = 30
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/bench/", "/healthz")
MAX_QUERY_STRING = 300


def content_version():
    """The cache generation pages are filed under (this causes a SQL query); None if the
    database has none, and then no page is cached.

    Plain SQL, as every anonymous request runs it: the same query through the ORM took 1.6 ms
    against 0.35 ms on the development machine under load, mostly in building the query.
    """
    db = router.db_for_read(CacheGeneration)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {CacheGeneration._meta.db_table} ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else None


def bump_content_version():
    """Retire every cached page and the whole list's facet counts (call after a change that
    sends no model signal), in the change's transaction. Once the change is committed the task
    queue counts the facets again (public.tasks)."""
    retire_pages()
    FacetSummary.objects.update(facets=None, changes=F("changes") + 1)
    tasks.note_everything()


def retire_pages():
    if not CacheGeneration.objects.update(value=time.time_ns()):
        CacheGeneration.objects.create(value=time.time_ns())


# What the pages read beside their FilterSets' fields: pagination, the search, a facet's own page,
# the timeline's window and lanes, the day of "on this day".
OTHER_PARAMETERS = {"page", "per_page", "before", "q", "order", "facet_q", "day", "from", "to"}
OTHER_PARAMETERS |= {"show", "kind", "council"}


def field_names(form):
    """The parameters a form reads (a range's two ends for a range)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, SuffixedMultiWidget):
            yield from (widget.suffixed(name, suffix) for suffix in widget.suffixes)
        elif isinstance(widget, forms.MultiWidget):
            yield from (name + suffix for suffix in widget.widgets_names)
        else:
            yield name


@functools.cache
def page_parameters():
    """Every query parameter a public page reads: its kind's filters and OTHER_PARAMETERS."""
    from public.registry import kinds

    names = set(OTHER_PARAMETERS)
    for kind in kinds().values():
        filterset_class = kind.listing.filterset_class
        names.update(field_names(filterset_class(queryset=kind.model.objects.none()).form))
    return frozenset(names)


def read_parameters(request):
    """The request's parameters the site reads, sorted (the order of a query string's
    parameters changes no page)."""
    known = page_parameters()
    return sorted(
        (name, value) for name, values in request.GET.lists() if name in known for value in values
    )


def keep_read_parameters(request):
    """Drops from request.GET every parameter no page reads: the page rendered is then the page
    of the address the cache files it under."""
    read = read_parameters(request)
    if len(read) != sum(len(values) for _, values in request.GET.lists()):
        query = QueryDict(mutable=True)
        for name, value in read:
            query.appendlist(name, value)
        query._mutable = False
        request.GET = query
        request.META["QUERY_STRING"] = query.urlencode()


def page_key(request, version):
    """The key of the (fresh until, response) pair cached for the request's address (its host,
    path with any language prefix, and the parameters the site reads), in the language the
    request is served in (set by the locale middleware before this one; today the address
    decides it, and the key says so should anything else ever decide it)."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(read_parameters(request))}"
    language = translation.get_language()
    return f"page-until:{version}:{language}:{hashlib.sha256(address.encode()).hexdigest()}"


@functools.cache
def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def has_session(request):
    """Whether the request's session cookie names a session that exists (this causes a query
    with the database's sessions); a cookie naming none is a reader without a session."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = session_store()
    if not issubclass(store, SessionBase):
        return True
    return store().exists(key)


def cacheable(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.path.startswith(SKIPPED_PREFIXES)
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
        and not has_session(request)
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # The generation this process read last. While the database does not answer (and so
        # nothing can change), readers still get the pages cached under it.
        self.last_version = None

    def __call__(self, request):
        if not cacheable(request):
            return self.get_response(request)
        keep_read_parameters(request)
        try:
            version = self.last_version = content_version()
        except DatabaseError:
            if self.last_version is not None:
                cached = cache.get(page_key(request, self.last_version))
                if cached is not None:
                    return cached[1]
            raise
        if version is None:
            return self.get_response(request)
        key = page_key(request, version)
        cached = cache.get(key)
        if cached is None:
            return self.render(request, key)
        fresh_until, response = cached
        lock = f"{key}:rendering"
        if time.time() < fresh_until or not cache.add(lock, True, RENDER_LOCK_SECONDS):
            return response
        try:
            return self.render(request, key)
        finally:
            cache.delete(lock)

    def render(self, request, key):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not kept_from_caches(response)
            and not (user is not None and user.is_authenticated)
        ):
            fresh_until = time.time() + settings.PAGE_CACHE_SECONDS
            timeout = settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_STALE_SECONDS
            cache.set(key, (fresh_until, response), timeout)
        return response


def kept_from_caches(response):
    """Whether the response says that no cache may keep it (`Cache-Control: no-store`, as
    never_cache marks it): a page that will change within minutes, like one saying that its
    figures are being counted."""
    return "no-store" in cc_delim_re.split(response.get("Cache-Control", ""))


@functools.cache
def content_apps():
    """The apps of the public kinds: a change to any of their models shows on public pages."""
    return {model._meta.app_label for model in content_models()}


# The bulk write under way in this thread (changes_in_bulk), if any.
bulk = threading.local()


class BulkChanges:
    def __init__(self):
        self.changed = False
        self.roots = set()


@contextlib.contextmanager
def changes_in_bulk():
    """A bulk write (an import): while it lasts, a change in this thread only notes what it
    touches, without a query. `end_bulk_changes()`, called last in the write's transaction,
    then retires the cached pages and the facet counts once for all of them, so that the single
    rows of the cache generation and the facet counts are locked only from then until the
    commit, not from the first row: other editors' saves meanwhile go through."""
    bulk.changes = BulkChanges()
    try:
        yield bulk.changes
    finally:
        del bulk.changes


def end_bulk_changes():
    """Retire pages and counts once for the changes noted so far in changes_in_bulk(), and queue
    their refresh on commit."""
    changes = bulk.changes
    if changes.changed:
        bump_content_version()
        tasks.note_changes(changes.roots)
    bulk.changes = BulkChanges()


def content_changed(sender, instance=None, **kwargs):
    if sender._meta.app_label in content_apps() and sender not in (FacetSummary, CacheGeneration):
        changes = getattr(bulk, "changes", None)
        if changes is not None:
            changes.changed = True
            if instance is not None:
                changes.roots.update(tasks.roots(instance))
            return
        bump_content_version()
        if instance is not None:
            tasks.note_change(instance)


def connect_signals():
    for signal in (post_save, post_delete):
        signal.connect(content_changed, dispatch_uid=f"page-cache-{signal}")
    m2m_changed.connect(m2m_content_changed, dispatch_uid="page-cache-m2m")


def m2m_content_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed(type(instance), instance=instance)


class PrivateResponseMiddleware:
    """Marks `Cache-Control: private, no-store` on what no shared cache may keep: a response
    that shows drafts (public.views.visible) or is rendered for a signed-in user, and a server
    error, for which the user is not looked up again (the database may be what failed, and
    the lookup would wait for it a second time)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            patch_cache_control(response, private=True, no_store=True)
            return response
        user = getattr(request, "user", None)
        if getattr(request, "shows_drafts", False) or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response
