from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("timeline/", views.timeline, name="timeline"),
    path("relations/", views.relations, name="relations"),
    path("relations/<str:a>/<str:b>/", views.pair, name="pair"),
    path(
        "relations/<str:a>/<str:b>/officials.csv",
        views.pair_officials_csv,
        name="pair_officials_csv",
    ),
    path("on/", views.on_today, name="on_today"),
    path("on/<str:day>/", views.on_date, name="on_date"),
    # Before meetings' summits/<slug>/, which would otherwise take "outcomes" for a summit.
    path("summits/outcomes/", views.outcomes, name="outcomes"),
    path("numbers/", views.numbers, name="numbers"),
    path("numbers/<slug:chart>.csv", views.numbers_csv, name="numbers_csv"),
]
