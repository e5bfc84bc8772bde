"""Per-client rate limits for anonymous and signed-in readers alike (django-ratelimit).

Each client address (sco_tracker.ops.client_address: behind API_NUM_PROXIES proxies, the address
the proxy saw; an IPv6 address counts by its /64) has two counts in the cache: one of its
downloads of whole lists (CSV and JSON exports, calendars, feeds, the numbers' CSVs), limited to
DOWNLOAD_RATE, and one of every other page, limited to PAGE_RATE. A count is per address, whatever
the path and parameters, so that changing them does not get around it; pages served from the
page cache count too. Past its limit a client gets a 429 with Retry-After (the seconds left in
the count's window): the site's page, or JSON for a JSON download. The API has its own limit
(API_ANON_RATE, api/throttling.py); the admin, static files and /healthz have none (logins are
limited by django-axes, sco_tracker/logins.py).

Downloads of whole lists also have a limit over all clients: at most DOWNLOADS_AT_ONCE stream at
the same time (counted in the cache, shared through Redis by every process), so that however many
clients ask, the other workers stay free for pages and /healthz. One more gets the 429.

The counts live in the cache: with Redis down they are lost and requests are let through
(RATELIMIT_FAIL_OPEN; sco_tracker/cache.py logs the failure).
"""

import ipaddress

from django.conf import settings
from django.core.cache import caches
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django_ratelimit.core import get_usage

from .errors import try_again_later
from .ops import client_address

UNLIMITED_PREFIXES = ("/admin/", "/api/", "/static/", "/healthz")
# URL names of the downloads: a kind's export, calendar and feed, and the CSVs of insights.
DOWNLOAD_SUFFIXES = ("_export", "_calendar", "_feed", "_csv")
MESSAGE = gettext_noop(
    "Too many requests from your address: please wait {seconds} s and try again."
)
BUSY_MESSAGE = gettext_noop(
    "Too many downloads are running just now: please wait {seconds} s and try again."
)
BUSY_RETRY_SECONDS = 10
RUNNING = "downloads-running"
# A download that never reports its end (a killed worker) stops counting after this long.
RUNNING_TIMEOUT = 600


def counted_address(group, request):
    """The client's address, an IPv6 one cut to its /64 (one site's or home's block)."""
    address = client_address(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return address


def group_of(request):
    """'download' or 'page', or None for what is not limited here."""
    if request.path.startswith(UNLIMITED_PREFIXES):
        return None
    try:
        name = resolve(request.path_info).url_name or ""
    except Resolver404:
        return "page"
    return "download" if name.endswith(DOWNLOAD_SUFFIXES) else "page"


def too_many(request, seconds, message=MESSAGE):
    """The 429 answer, in the language of the address (this runs before the locale middleware)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        message = gettext(message).format(seconds=seconds)
        return try_again_later(429, message, seconds, request.path.endswith(".json"))


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        group = group_of(request)
        rate = {"download": settings.DOWNLOAD_RATE, "page": settings.PAGE_RATE}.get(group)
        if rate:
            usage = get_usage(request, group=group, key=counted_address, rate=rate, increment=True)
            if usage and usage["should_limit"]:
                return too_many(request, max(1, usage["time_left"]))
        if group == "download" and settings.DOWNLOADS_AT_ONCE:
            return self.one_of_the_downloads(request)
        return self.get_response(request)

    def one_of_the_downloads(self, request):
        """The download, if fewer than DOWNLOADS_AT_ONCE are running; it counts until its last
        byte is sent (or it fails)."""
        cache = caches[settings.RATELIMIT_USE_CACHE]
        cache.add(RUNNING, 0, RUNNING_TIMEOUT)
        try:
            running = cache.incr(RUNNING)
        except ValueError:  # the cache does not answer: let it through
            return self.get_response(request)
        if running > settings.DOWNLOADS_AT_ONCE:
            end_of_download(cache)
            return too_many(request, BUSY_RETRY_SECONDS, BUSY_MESSAGE)
        try:
            response = self.get_response(request)
        except BaseException:
            end_of_download(cache)
            raise
        response._resource_closers.append(lambda: end_of_download(cache))
        return response


def end_of_download(cache):
    try:
        cache.decr(RUNNING)
    except ValueError:
        pass  # expired, or the cache does not answer
