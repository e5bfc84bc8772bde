"""The site's public URL patterns, walked from the resolver, and their addresses filled in."""

import re

from django.urls import URLResolver, get_resolver


def routes():
    """Every URL pattern outside the admin, with its parameters as `{name}`."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    found = []
    for route in walk(get_resolver().url_patterns, ""):
        if route.startswith("admin/"):
            continue
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        route = route.replace("^", "").replace("$", "").replace(r"[\s\S]*", "elsewhere")
        assert re.fullmatch(r"[\w./{}-]*", route), f"cannot fill in {route}"
        found.append("/" + route)
    return found


def fill(route, values):
    """Every address `route` gives with each of `values[name]` for each of its `{name}`s."""
    names = re.findall(r"{(\w+)}", route)
    if not names:
        return [route]
    name = names[0]
    return [
        address
        for value in values[name]
        for address in fill(route.replace(f"{{{name}}}", value, 1), values)
    ]
