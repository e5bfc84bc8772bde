from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("summits/<slug:slug>/", views.summit_detail, name="summit_detail"),
    path("officials/<slug:slug>/", views.official_detail, name="official_detail"),
    path("countries/<slug:slug>/", views.country_detail, name="country_detail"),
]
