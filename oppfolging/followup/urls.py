"""The follow-up routes, mounted at /oppfolging/."""

from django.urls import URLPattern, path

from oppfolging.followup import medicine_views, views

app_name = "followup"
urlpatterns: list[URLPattern] = [
    path("min-dag/", views.day, name="day"),
    path("tavle/", views.board_view, name="board"),
    path("varsler/", views.notices, name="notices"),
    path("varsler/<uuid:notice_uuid>/lest/", views.notice_read, name="notice_read"),
    path("<uuid:person_uuid>/legemidler/", medicine_views.medicines, name="medicines"),
]
