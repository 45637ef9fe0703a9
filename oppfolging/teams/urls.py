from django.urls import path

from oppfolging.teams import team_views as views

app_name = "teams"
urlpatterns = [
    path("<uuid:person_uuid>/", views.team_detail, name="detail"),
    path("<uuid:person_uuid>/opprett/", views.team_create, name="create"),
    path("<uuid:person_uuid>/medlemmer/ny/", views.member_add, name="member_add"),
    path(
        "<uuid:person_uuid>/medlemmer/<uuid:member_uuid>/avslutt/", views.member_remove, name="member_remove"
    ),
]
