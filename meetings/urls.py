from django.urls import path

from . import views
from .feeds import NewMeetingsFeed

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/export.<str:fmt>", views.export, {"kind": "meetings"}, name="meeting_export"),
    path("meetings.ics", views.calendar, {"kind": "meetings"}, name="meeting_calendar"),
    path("meetings/feed/", NewMeetingsFeed(), name="meeting_feed"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("summits/", views.summit_list, name="summit_list"),
    path("summits/export.<str:fmt>", views.export, {"kind": "summits"}, name="summit_export"),
    path("summits.ics", views.calendar, {"kind": "summits"}, name="summit_calendar"),
    path("summits/<slug:slug>/", views.summit_detail, name="summit_detail"),
    path("officials/", views.official_list, name="official_list"),
    path("officials/export.<str:fmt>", views.export, {"kind": "officials"}, name="official_export"),
    path("officials/<slug:slug>/", views.official_detail, name="official_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/export.<str:fmt>", views.export, {"kind": "countries"}, name="country_export"),
    path("countries/<slug:slug>/", views.country_detail, name="country_detail"),
]
