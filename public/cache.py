"""The page cache for anonymous readers.

A reader without a session cookie gets public pages from the cache for up to
settings.PAGE_CACHE_SECONDS (0 turns the cache off). Every cached page is filed under the
current content version; saving or deleting any record of the site's apps, and the admin's
publishing actions, take a new version, so the next request renders afresh. Staff, who have a
session, are never served from the cache and their pages are never stored. The admin, the API
and the benchmark's constant page are left out.

A page older than PAGE_CACHE_SECONDS but filed under the current version is not thrown away at
once: the first request for it renders it again while, for up to PAGE_CACHE_STALE_SECONDS more,
other readers of the same address still get the older copy (which shows the same content, as
nothing has changed since). Pages cached together then do not all render again together.

With Redis (REDIS_URL) the version is shared by every process, so a change shows at once. With
the default local-memory cache each process keeps its own pages and version: a change shows at
once in the process that saved it and within PAGE_CACHE_SECONDS in the others.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_cache_control

from meetings.models import FacetSummary
from public import tasks
from public.registry import content_models

VERSION_KEY = "content-version"
# The longest a request may take to render a page again before another one may try.
RENDER_LOCK_SECONDS = 30
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/bench/", "/healthz")


def content_version():
    """The version pages are filed under; a new one if the cache has lost it."""
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def bump_content_version():
    """Retire every cached page and the whole list's facet counts (call after a change that
    sends no model signal). Once the change is committed the pages are retired again (a reader
    may have cached a page without the change in between) and the task queue counts the facets
    again (public.tasks)."""
    retire_pages()
    FacetSummary.objects.update(facets=None, changes=F("changes") + 1)
    transaction.on_commit(retire_pages, robust=True)
    tasks.note_everything()


def retire_pages():
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def page_key(request, version):
    """The key of the (fresh until, response) pair cached for the request's address."""
    url = request.build_absolute_uri()
    return f"page-until:{version}:{hashlib.sha256(url.encode()).hexdigest()}"


def cacheable(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable(request):
            return self.get_response(request)
        key = page_key(request, content_version())
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
            and not (user is not None and user.is_authenticated)
        ):
            fresh_until = time.time() + settings.PAGE_CACHE_SECONDS
            timeout = settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_STALE_SECONDS
            cache.set(key, (fresh_until, response), timeout)
        return response


@functools.cache
def content_apps():
    """The apps of the public kinds: a change to any of their models shows on public pages."""
    return {model._meta.app_label for model in content_models()}


def content_changed(sender, instance=None, **kwargs):
    if sender._meta.app_label in content_apps() and sender is not FacetSummary:
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
    that shows drafts (public.views.visible) or is rendered for a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(request, "shows_drafts", False) or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response
