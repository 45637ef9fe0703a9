"""The person (or a guardian) asks from their own view to change a meeting: marked as theirs,
the coordinator gets a notice and an e-mail, and answers from the meeting page. Staff cannot
write as the person."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oppfolging.access.persons import Need, access_person
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import Notice
from oppfolging.meetings import meeting_selectors, minutes_services
from oppfolging.meetings.models import ChangeRequestStatus, Meeting, MeetingChangeRequest, MeetingKind
from oppfolging.meetings.tests.support import at, make_meeting
from oppfolging.plans.models import AuthorKind
from oppfolging.plans.tests.support import coordinator_access
from oppfolging.teams.tests.test_team_support import actor

pytestmark = pytest.mark.django_db


def _meeting_for(cast, given_name: str) -> Meeting:
    person = cast.persons[given_name]
    with unscoped():
        meeting = Meeting.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=MeetingKind.START_UP,
            starts_at=at(5),
            place="Helsehuset",
            created_by=cast.users["fjordvik-koordinator"],
        )
        meeting.items.create(municipality_id=person.municipality_id, title="Oppstart", order=1)
    return meeting


def test_the_person_asks_and_the_coordinator_is_told_and_answers(cast):
    meeting = _meeting_for(cast, "Per")
    per = actor(cast.users["per"])
    with unscoped():
        access = access_person(per, meeting.person.uuid, Need.CASE_CONTENT)
        request = minutes_services.change_request_add(
            actor=per, access=access, meeting=meeting, text="Kan vi ta det på ettermiddagen?"
        )
        notice = Notice.objects.get(kind="meeting_change_request")
    assert request.author_kind == AuthorKind.PERSON
    assert notice.user == cast.users["fjordvik-koordinator"]
    assert notice.url == reverse("meetings:detail", args=[meeting.uuid])
    assert "ettermiddagen" in notice.text
    assert [m.to for m in mail.outbox] == [["fjordvik-koordinator@demo.invalid"]]
    assert "ettermiddagen" not in mail.outbox[0].body
    with unscoped():
        upcoming = meeting_selectors.next_meeting_for(meeting.person)
    assert upcoming is not None
    assert [r.pk for r in upcoming.change_requests.all()] == [request.pk]


def test_staff_cannot_write_as_the_person_and_empty_text_is_refused(cast):
    meeting = make_meeting(cast)
    with unscoped():
        who, access = coordinator_access(cast, meeting.person)
        with pytest.raises(PermissionDenied):
            minutes_services.change_request_add(actor=who, access=access, meeting=meeting, text="Flytt")
    per_meeting = _meeting_for(cast, "Per")
    per = actor(cast.users["per"])
    with unscoped():
        access = access_person(per, per_meeting.person.uuid, Need.CASE_CONTENT)
        with pytest.raises(ValidationError):
            minutes_services.change_request_add(actor=per, access=access, meeting=per_meeting, text="  ")
        with pytest.raises(PermissionDenied):
            minutes_services.change_request_add(actor=per, access=access, meeting=meeting, text="Ikke mitt")


def test_the_coordinator_answers_a_request_on_the_meeting_page(cast):
    meeting = make_meeting(cast)
    with unscoped():
        request = MeetingChangeRequest.objects.create(
            municipality_id=meeting.municipality_id,
            meeting=meeting,
            text="Kan datteren min være med?",
            author_kind=AuthorKind.PERSON,
            author=cast.users["per"],
            author_label="Tea Teamsen",
        )
    client = cast.client("fjordvik-koordinator")
    page = client.get(reverse("meetings:detail", args=[meeting.uuid]))
    assert "Kan datteren min være med?" in page.content.decode()
    url = reverse("meetings:change_request_answer", args=[meeting.uuid, request.uuid])
    assert cast.client("fjordvik-team").post(url, {"answer": "Ja"}).status_code == 404
    assert client.post(url, {"answer": "Ja, jeg legger henne til."}).status_code == 302
    with unscoped():
        request.refresh_from_db()
    assert request.status == ChangeRequestStatus.DONE
    assert request.answer == "Ja, jeg legger henne til."
    assert request.handled_by == cast.users["fjordvik-koordinator"]


def test_portal_selectors(cast):
    upcoming = _meeting_for(cast, "Per")
    with unscoped():
        later = Meeting.objects.create(
            municipality_id=upcoming.municipality_id,
            person=upcoming.person,
            kind=MeetingKind.EVALUATION,
            starts_at=at(30),
            place="Legekontoret",
            created_by=cast.users["fjordvik-koordinator"],
        )
        Meeting.objects.create(
            municipality_id=upcoming.municipality_id,
            person=upcoming.person,
            kind=MeetingKind.AD_HOC,
            starts_at=at(2),
            place="Avlyst",
            status="cancelled",
            created_by=cast.users["fjordvik-koordinator"],
        )
    # The portal calls these wherever it is; they need no scope.
    found = meeting_selectors.next_meeting_for(upcoming.person)
    assert found is not None
    assert found.pk == upcoming.pk
    assert [i.title for i in found.items.all()] == ["Oppstart"]
    listed = meeting_selectors.meetings_for_portal(upcoming.person)
    assert [m.pk for m in listed][:2] == [later.pk, upcoming.pk]
