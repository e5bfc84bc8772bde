"""Addresses the site refuses before any view reads them."""

from django.http import HttpResponseBadRequest

NUL_MESSAGE = "An address cannot contain a NUL character (%00): check the link."


class RefuseNulMiddleware:
    """A 400 for a path with a NUL character, which no record's address holds and which
    PostgreSQL refuses in a query (a path parameter would otherwise reach one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
