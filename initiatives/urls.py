from django.urls import path

from . import views
from .feeds import NewInitiativesFeed

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative_list"),
    path("initiatives/export.<str:fmt>", views.initiative_export, name="initiative_export"),
    path("initiatives/feed/", NewInitiativesFeed(), name="initiative_feed"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative_detail"),
]
