"""Maps of where meetings were held, drawn as SVG on the server.

The outlines are Natural Earth's countries at 1:110m (public domain), as the world-atlas package
ships them in TopoJSON (public/map/, with its licence). No tiles and no script: the map is part of
the page, works offline and under the site's CSP, and each mark is a link to the list of the
meetings it stands for.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse

from meetings.models import Meeting, Place
from public.listing import filter_errors
from public.meetings import MeetingFilter

OUTLINES = Path(__file__).parent / "map" / "countries-110m.json"
WIDTH = 960
# The SCO's region, from Belarus and Egypt to the Pacific; a map widens it to take in every mark.
REGION = (15.0, -2.0, 150.0, 68.0)  # west, south, east, north, in degrees
MARGIN = 4.0  # degrees around the outermost marks
# Degrees of longitude are drawn shorter than degrees of latitude, as they are at 40°N.
STRETCH = math.cos(math.radians(40))


@functools.cache
def outlines():
    """Each country as (name, its rings of (longitude, latitude)), decoded from TopoJSON."""
    with open(OUTLINES, encoding="utf-8") as file:
        topology = json.load(file)
    (scale_x, scale_y), (move_x, move_y) = topology["transform"].values()
    arcs = []
    for quantised in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in quantised:  # each point is a step from the one before
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)

    def ring(indexes):
        points = []
        for index in indexes:  # a negative index is the arc ~index, walked backwards
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [ring(indexes) for polygon in polygons for indexes in polygon]
        countries.append((geometry["properties"]["name"], rings))
    return countries


@dataclass(frozen=True)
class View:
    """The part of the world a map shows, and how degrees become SVG units."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def around(cls, places):
        west, south, east, north = REGION
        for place in places:
            west, east = min(west, place.longitude - MARGIN), max(east, place.longitude + MARGIN)
            south, north = min(south, place.latitude - MARGIN), max(north, place.latitude + MARGIN)
        return cls(max(west, -180), max(south, -85), min(east, 180), min(north, 85))

    @property
    def scale(self):
        return WIDTH / ((self.east - self.west) * STRETCH)

    @property
    def height(self):
        return round((self.north - self.south) * self.scale)

    def point(self, longitude, latitude):
        x = (longitude - self.west) * STRETCH * self.scale
        y = (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)

    def shows(self, rings):
        longitudes = [lon for ring in rings for lon, _ in ring]
        latitudes = [lat for ring in rings for _, lat in ring]
        return (
            min(longitudes) <= self.east
            and max(longitudes) >= self.west
            and min(latitudes) <= self.north
            and max(latitudes) >= self.south
        )

    def path(self, rings):
        parts = []
        for ring in rings:
            points = [self.point(*point) for point in ring]
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        return "".join(parts)


@functools.cache
def land(view):
    """The SVG paths of the countries `view` shows, as (name, path)."""
    return [(name, view.path(rings)) for name, rings in outlines() if view.shows(rings)]


@dataclass
class Mark:
    place: Place
    count: int
    x: float
    y: float
    radius: float
    url: str


def meetings_map(meetings, query=None):
    """The map of `meetings`, a mark for each place; each mark links to the meetings list under
    `query` (a QueryDict of the list's filters) and that place."""
    counts = dict(
        meetings.exclude(place__isnull=True)
        .order_by()
        .values_list("place")
        .annotate(count=Count("pk"))
    )
    places = Place.objects.filter(pk__in=counts, latitude__isnull=False).order_by("name")
    places = list(places)
    view = View.around(places)
    most = max(counts.values(), default=1)
    marks = []
    for place in places:
        count = counts[place.pk]
        x, y = view.point(place.longitude, place.latitude)
        radius = round(3 + 15 * math.sqrt(count / most), 1)
        marks.append(Mark(place, count, x, y, radius, list_url(query, place)))
    marks.sort(key=lambda mark: -mark.count)  # small marks on top of big ones
    located = {place.pk for place in places}
    unplaced = sum(count for pk, count in counts.items() if pk not in located)
    return {
        "view": view,
        "width": WIDTH,
        "height": view.height,
        "land": land(view),
        "marks": marks,
        "total": sum(counts.values()),
        "unplaced": unplaced,
    }


def list_url(query, place):
    """The meetings list under `query`'s filters, narrowed to `place`."""
    params = query.copy() if query is not None else QueryDict(mutable=True)
    for name in ("place", "page", "before", "after"):
        params.pop(name, None)
    params["place"] = place.slug
    return f"{reverse('meetings:meeting_list')}?{params.urlencode()}"


def meeting_map(request):
    """/map/: where the meetings were held, under the meetings list's filters."""
    filterset = MeetingFilter(request.GET, queryset=Meeting.objects.published(), request=request)
    ctx = {"filterset": filterset, "list_query": request.GET.urlencode()}
    if not filterset.is_valid():
        ctx["errors"] = filter_errors(filterset)
        return render(request, "meetings/map.html", ctx, status=400)
    ctx["map"] = meetings_map(filterset.qs, request.GET)
    return render(request, "meetings/map.html", ctx)
