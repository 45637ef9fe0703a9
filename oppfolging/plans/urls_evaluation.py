"""Routes of the plan's evaluation part, joined in :mod:`oppfolging.plans.urls`."""

from django.urls import URLPattern, path

from oppfolging.plans import evaluation_views as views

urlpatterns: list[URLPattern] = [
    path("<uuid:person_uuid>/perioder/<uuid:period_uuid>/evaluer/", views.evaluate, name="evaluate"),
    path(
        "<uuid:person_uuid>/perioder/<uuid:period_uuid>/evaluering/",
        views.evaluation_detail,
        name="evaluation_detail",
    ),
]
