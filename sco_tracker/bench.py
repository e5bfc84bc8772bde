"""A constant page, served only when BENCH_PING=1: the framework's floor in `make bench`."""

from django.http import HttpResponse

PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>ping</title></head>"
    "<body><p>pong</p></body></html>"
)


def ping(request):
    return HttpResponse(PAGE)
