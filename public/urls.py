"""The public site's addresses: the home page and search, then each kind's from the registry.

The kinds keep the URL namespaces they have always had ('meetings:meeting_list',
'initiatives:initiative_list'), so that no link breaks.
"""

from django.urls import path

from public import about, maps, views
from public.registry import kinds


def namespace(name):
    patterns = [kind.urlpatterns() for kind in kinds().values() if kind.namespace == name]
    return [pattern for group in patterns for pattern in group]


meetings_patterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("about/", about.about, name="about"),
    path("map/", maps.meeting_map, name="meeting_map"),
    *namespace("meetings"),
]
initiatives_patterns = namespace("initiatives")
