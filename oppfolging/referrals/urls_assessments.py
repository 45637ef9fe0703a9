"""The interdisciplinary assessment, mounted at /kartlegging/. Every URL names the person first:
access to the person is checked before their assessment is looked up."""

from django.urls import path

from oppfolging.referrals import assessment_views as views

app_name = "assessments"

_ONE = "<uuid:person_uuid>/<uuid:assessment_uuid>/"

urlpatterns = [
    path("ny/", views.assessment_create, name="create"),
    path("<uuid:person_uuid>/", views.assessment_list, name="list"),
    path(_ONE, views.assessment_detail, name="detail"),
    path(_ONE + "del/<slug:key>/", views.assessment_section, name="section"),
    path(_ONE + "del/<slug:key>/utkast/", views.assessment_draft, name="draft"),
    path(_ONE + "forhold/", views.assessment_circumstances, name="circumstances"),
    path(_ONE + "konklusjon/", views.assessment_conclusion, name="conclusion"),
    path(_ONE + "deltakere/", views.participant_add, name="participant_add"),
    path(
        _ONE + "deltakere/<uuid:participant_uuid>/fjern/", views.participant_remove, name="participant_remove"
    ),
    path(_ONE + "fullfor/", views.assessment_complete, name="complete"),
]
