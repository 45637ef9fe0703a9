"""Meetings: a person's list and new meeting under ``person/<uuid>/``, the rest by the meeting's
own uuid."""

from django.urls import path

from oppfolging.meetings import meeting_views, minutes_views

app_name = "meetings"
urlpatterns = [
    path("person/<uuid:person_uuid>/", meeting_views.meeting_list, name="list"),
    path("person/<uuid:person_uuid>/ny/", meeting_views.meeting_create, name="create"),
    path("<uuid:meeting_uuid>/", meeting_views.meeting_detail, name="detail"),
    path("<uuid:meeting_uuid>/endre/", meeting_views.meeting_edit, name="edit"),
    path("<uuid:meeting_uuid>/avlys/", meeting_views.meeting_cancel, name="cancel"),
    path("<uuid:meeting_uuid>/innkalling/", meeting_views.meeting_invite, name="invite"),
    path("<uuid:meeting_uuid>/kalender.ics", meeting_views.meeting_ical, name="ical"),
    path(
        "<uuid:meeting_uuid>/endringsonsker/<uuid:request_uuid>/svar/",
        meeting_views.change_request_answer,
        name="change_request_answer",
    ),
    path("<uuid:meeting_uuid>/referat/", minutes_views.minutes, name="minutes"),
    path("<uuid:meeting_uuid>/referat/godkjenn/", minutes_views.minutes_close, name="close_minutes"),
    path("<uuid:meeting_uuid>/referat/rettinger/", minutes_views.correction_add, name="correction_add"),
    path(
        "<uuid:meeting_uuid>/referat/rettinger/<uuid:correction_uuid>/",
        minutes_views.correction_decide,
        name="correction_decide",
    ),
    path(
        "<uuid:meeting_uuid>/saker/<uuid:item_uuid>/planendringer/",
        minutes_views.item_changes,
        name="item_changes",
    ),
    path(
        "<uuid:meeting_uuid>/saker/<uuid:item_uuid>/planendringer/<slug:proposal_id>/fjern/",
        minutes_views.item_change_remove,
        name="item_change_remove",
    ),
    path("<uuid:meeting_uuid>/til-planen/", minutes_views.apply, name="apply"),
]
