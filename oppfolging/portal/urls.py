from django.urls import path

from oppfolging.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("<uuid:person_uuid>/", views.person, name="person"),
    path("<uuid:person_uuid>/kommentar/", views.comment, name="comment"),
    path("<uuid:person_uuid>/mal/", views.goal, name="goal"),
    path("<uuid:person_uuid>/hva-er-viktig/", views.psfs, name="psfs"),
    path("<uuid:person_uuid>/mote-endring/", views.meeting_change, name="meeting_change"),
    path("<uuid:person_uuid>/opplevelse/", views.survey, name="survey"),
]
