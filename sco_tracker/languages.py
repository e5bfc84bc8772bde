"""The site's languages: which one a request is served in, the switcher's links, the choice.

The public pages are under i18n_patterns (sco_tracker/urls.py): English at the unprefixed
addresses, /ru/... and /zh-hans/... for the others, so a page's address alone decides its
language (and the page cache keeps them apart). The admin, outside i18n_patterns, follows the
reader's choice: Django's language cookie, set when they pick a language in the switcher, else
their browser's Accept-Language. The API and /healthz stay in English.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

# Addresses outside i18n_patterns that follow the reader's chosen language (the language cookie,
# then Accept-Language): the admin, and the API's messages (its keys stay English).
CHOSEN_LANGUAGE_PREFIXES = ("/admin/", "/api/")


class SiteLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith(CHOSEN_LANGUAGE_PREFIXES):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
        else:
            super().process_request(request)


def alternates(request):
    """(language code, its name, this page's address in that language and the same in full)
    for every language.

    An address that names no page (a 404) gets each language's home page instead."""
    try:
        resolve(request.path_info)
    except Resolver404:
        found = False
    else:
        found = True
    try:
        request.get_host()
    except DisallowedHost:  # the 400 page for a request to another host
        full = False
    else:
        full = True
    links = []
    for code, name in settings.LANGUAGES:
        if found:
            url = translate_url(request.get_full_path(), code)
        else:
            with translation.override(code):
                url = reverse("meetings:home")
        links.append((code, name, url, request.build_absolute_uri(url) if full else url))
    return links


def language_links(request):
    """The language switcher's and the hreflang alternates' addresses of the current page."""
    return {"language_links": alternates(request)}


@never_cache
def choose_language(request):
    """A choice in the language switcher: remembered in Django's language cookie (which the
    admin follows), then on to the page in that language (`next`, an address on this site)."""
    code = request.GET.get("language", "")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
