from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("summits/", views.summit_list, name="summit_list"),
    path("summits/<slug:slug>/", views.summit_detail, name="summit_detail"),
    path("officials/", views.official_list, name="official_list"),
    path("officials/<slug:slug>/", views.official_detail, name="official_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<slug:slug>/", views.country_detail, name="country_detail"),
]
