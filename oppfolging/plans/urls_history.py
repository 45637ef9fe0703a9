"""Routes of the plan's history part, joined in :mod:`oppfolging.plans.urls`: the versions, the
plan as of a date, closing the plan, and planned transitions."""

from django.urls import URLPattern, path

from oppfolging.plans import history_views, transition_views

urlpatterns: list[URLPattern] = [
    path("<uuid:person_uuid>/historikk/", history_views.history, name="history"),
    path("<uuid:person_uuid>/per-dato/", history_views.as_of, name="as_of"),
    path("<uuid:person_uuid>/avslutt/", history_views.close, name="close"),
    path("<uuid:person_uuid>/overganger/ny/", transition_views.transition_add, name="transition_add"),
    path(
        "<uuid:person_uuid>/overganger/<uuid:transition_uuid>/gjennomfort/",
        transition_views.transition_complete,
        name="transition_complete",
    ),
    path(
        "<uuid:person_uuid>/overganger/<uuid:transition_uuid>/avlys/",
        transition_views.transition_cancel,
        name="transition_cancel",
    ),
]
