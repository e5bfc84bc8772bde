from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative_list"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative_detail"),
]
