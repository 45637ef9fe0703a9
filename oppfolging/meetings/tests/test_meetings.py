"""Setting up, changing, inviting to and cancelling a meeting through the real views: the
invitation e-mail carries the .ics, which parses; the sequence grows when it is sent again; only
the coordinator (and the one handling an assessment, for an assessment conversation) sets up
meetings; outsiders and a member without consent get 404."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.meetings.models import (
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
)
from oppfolging.meetings.tests.support import at, make_meeting, nurse
from oppfolging.plans.tests.support import planned_person
from oppfolging.teams.models import TeamMember

pytestmark = pytest.mark.django_db


def _form(cast, person, **overrides):
    moment = at(10, 13)
    data = {
        "kind": MeetingKind.START_UP,
        "title": "",
        "date": moment.date().isoformat(),
        "time": "13:00",
        "duration_minutes": "90",
        "place": "Legekontoret",
        "items": "Første delmål\r\n\r\nHvem gjør hva\r\n",
        "include_person": "on",
        "members": [str(nurse(cast, person).uuid)],
        "others": "Tolk Hansen, tolk@demo.invalid",
        "chosen_with_person": "on",
    }
    data.update(overrides)
    return data


def _ics(message):
    (name, content, mimetype) = message.attachments[0]
    assert name == "invitasjon.ics"
    assert mimetype.startswith("text/calendar; method=")
    calendar = Calendar.from_ical(content)
    return calendar, next(c for c in calendar.walk() if c.name == "VEVENT")


def test_the_coordinator_sets_up_a_meeting_with_items_and_participants(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    assert client.get(reverse("meetings:create", args=[person.uuid])).status_code == 200
    response = client.post(reverse("meetings:create", args=[person.uuid]), _form(cast, person))
    assert response.status_code == 302
    with unscoped():
        meeting = Meeting.objects.get(person=person)
        assert [i.title for i in meeting.items.all()] == ["Første delmål", "Hvem gjør hva"]
        kinds = sorted(p.kind for p in meeting.participants.all())
        assert meeting.starts_at == at(10, 13)
        assert meeting.duration_minutes == 90
        assert meeting.participants_chosen_with_person
        assert meeting.plan == person.care_plan
        assert AuditEvent.objects.filter(what="meeting", action="create", object_uuid=meeting.uuid).exists()
    assert kinds == sorted([ParticipantKind.PERSON, ParticipantKind.MEMBER, ParticipantKind.OTHER])
    assert response["Location"] == reverse("meetings:detail", args=[meeting.uuid])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Første delmål" in page.content.decode()


def test_bad_input_is_a_clear_error_and_keeps_what_was_typed(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    response = client.post(
        reverse("meetings:create", args=[person.uuid]),
        _form(cast, person, items="  \r\n ", others="Tolk, ikke-en-adresse", place="Rådhuset"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skriv minst én konkret sak som skal avklares." in body
    assert "ikke en gyldig e-postadresse" in body
    assert "Rådhuset" in body
    with unscoped():
        assert not Meeting.objects.filter(person=person).exists()


def test_the_invitation_is_mailed_with_the_ics_and_the_sequence_grows_when_sent_again(cast):
    meeting = make_meeting(cast, others=[("Tolk Hansen", "tolk@demo.invalid")])
    client = cast.client("fjordvik-koordinator")
    assert client.post(reverse("meetings:invite", args=[meeting.uuid])).status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "fjordvik-team@demo.invalid",
        "tea@demo.invalid",
        "tolk@demo.invalid",
    ]
    message = next(m for m in mail.outbox if m.to == ["tea@demo.invalid"])
    for title in ("Første delmål for perioden", "Tiltak og hvem som har ansvar"):
        assert title in message.body
    assert "Legekontoret" in message.body
    calendar, event = _ics(message)
    assert calendar["METHOD"] == "REQUEST"
    assert event["SEQUENCE"] == 0
    assert str(event["UID"]) == f"{meeting.uuid}@oppfolging"
    with unscoped():
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.INVITED
        person = meeting.person
    # A change puts it back to planned; sent again, the same event gets the next sequence.
    edit = reverse("meetings:edit", args=[meeting.uuid])
    assert client.get(edit).status_code == 200
    data = _form(cast, person, place="Helsehuset", version=str(meeting.version))
    data["others"] = "Tolk Hansen, tolk@demo.invalid"
    assert client.post(edit, data).status_code == 302
    with unscoped():
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.PLANNED
        assert meeting.place == "Helsehuset"
    mail.outbox.clear()
    client.post(reverse("meetings:invite", args=[meeting.uuid]))
    _calendar, event = _ics(mail.outbox[0])
    assert event["SEQUENCE"] == 1
    assert str(event["LOCATION"]) == "Helsehuset"
    assert str(event["UID"]) == f"{meeting.uuid}@oppfolging"


def test_mails_are_in_the_recipients_language(cast):
    meeting = make_meeting(cast)
    with unscoped():
        person = meeting.person
        person.preferred_language = "nn"
        person.save(update_fields=["preferred_language"])
        user = cast.users["fjordvik-team"]
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    cast.client("fjordvik-koordinator").post(reverse("meetings:invite", args=[meeting.uuid]))
    from oppfolging.meetings.mail import language_of_participant

    with unscoped():
        languages = {
            p.kind: language_of_participant(meeting, p)
            for p in MeetingParticipant.objects.filter(meeting=meeting).select_related("team_member__user")
        }
    assert languages == {ParticipantKind.PERSON: "nn", ParticipantKind.MEMBER: "en"}
    assert len(mail.outbox) == 2


def test_the_invitation_waits_for_participants_chosen_with_the_person(cast):
    meeting = make_meeting(cast, chosen_with_person=False)
    response = cast.client("fjordvik-koordinator").post(reverse("meetings:invite", args=[meeting.uuid]))
    assert response.status_code == 302
    assert mail.outbox == []
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_a_stale_edit_is_refused_and_shows_what_is_stored(cast):
    meeting = make_meeting(cast)
    client = cast.client("fjordvik-koordinator")
    with unscoped():
        person = meeting.person
    edit = reverse("meetings:edit", args=[meeting.uuid])
    old = str(meeting.version)
    assert client.post(edit, _form(cast, person, place="Helsehuset", version=old)).status_code == 302
    response = client.post(edit, _form(cast, person, place="Rådhuset", version=old))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Helsehuset" in body
    assert "Rådhuset" in body
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.place == "Helsehuset"


def test_cancelling_an_invited_meeting_sends_a_cancel_to_those_invited(cast):
    meeting = make_meeting(cast)
    client = cast.client("fjordvik-koordinator")
    client.post(reverse("meetings:invite", args=[meeting.uuid]))
    mail.outbox.clear()
    cancel = reverse("meetings:cancel", args=[meeting.uuid])
    client.post(cancel, {"reason": ""})
    assert mail.outbox == []
    client.post(cancel, {"reason": "Personen er innlagt."})
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_reason == "Personen er innlagt."
    assert len(mail.outbox) == 2
    calendar, event = _ics(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    assert event["SEQUENCE"] == 1
    assert mail.outbox[0].attachments[0][2] == "text/calendar; method=CANCEL; charset=utf-8"


def test_the_calendar_file_downloads_and_is_audited(cast):
    meeting = make_meeting(cast)
    response = cast.client("fjordvik-team").get(reverse("meetings:ical", args=[meeting.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    _calendar = Calendar.from_ical(response.content)
    with unscoped():
        assert AuditEvent.objects.filter(
            what="meeting.ical", object_uuid=meeting.uuid, actor=cast.users["fjordvik-team"]
        ).exists()


def test_reading_a_meeting_is_audited(cast):
    meeting = make_meeting(cast)
    cast.client("fjordvik-team").get(reverse("meetings:detail", args=[meeting.uuid]))
    with unscoped():
        event = AuditEvent.objects.filter(what="meeting", action="view", object_uuid=meeting.uuid).get()
    assert event.role == "team_member"


@pytest.mark.parametrize("user", ["utenforstaaende", "lidal-ke", "fjordvik-fastlege", "fjordvik-ke", "per"])
def test_outsiders_and_a_member_without_consent_get_404(cast, user):
    meeting = make_meeting(cast)
    client = cast.client(user)
    with unscoped():
        person = meeting.person
    for url in (
        reverse("meetings:detail", args=[meeting.uuid]),
        reverse("meetings:list", args=[person.uuid]),
        reverse("meetings:ical", args=[meeting.uuid]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("meetings:invite", args=[meeting.uuid])).status_code == 404


def test_team_members_read_but_do_not_change(cast):
    meeting = make_meeting(cast)
    client = cast.client("fjordvik-team")
    assert client.get(reverse("meetings:detail", args=[meeting.uuid])).status_code == 200
    assert client.get(reverse("meetings:edit", args=[meeting.uuid])).status_code == 404
    assert client.post(reverse("meetings:invite", args=[meeting.uuid])).status_code == 404
    assert mail.outbox == []


def test_the_case_handler_may_set_up_an_assessment_conversation_only(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-tildeling")
    url = reverse("meetings:create", args=[person.uuid])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="start_up"' not in page.content.decode()
    refused = client.post(url, _form(cast, person))
    assert refused.status_code == 200
    response = client.post(url, _form(cast, person, kind=MeetingKind.ASSESSMENT))
    assert response.status_code == 302
    with unscoped():
        assert [m.kind for m in Meeting.objects.filter(person=person)] == [MeetingKind.ASSESSMENT]


def test_the_list_shows_upcoming_and_past(cast):
    upcoming = make_meeting(cast, items=["Kommende sak"])
    past = make_meeting(cast, starts_at=at(-20), kind=MeetingKind.AD_HOC)
    with unscoped():
        person = upcoming.person
    response = cast.client("fjordvik-team").get(reverse("meetings:list", args=[person.uuid]))
    assert response.status_code == 200
    page = response.context["page"]
    assert [m.pk for m in page.upcoming] == [upcoming.pk]
    assert [m.pk for m in page.past] == [past.pk]
    assert not page.may_create


def test_a_former_member_sees_only_the_meetings_from_before_they_left(cast):
    meeting = make_meeting(cast)
    response = cast.client("sykehus").get(reverse("meetings:detail", args=[meeting.uuid]))
    assert response.status_code == 404


def test_an_evaluation_meeting_names_its_period(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    url = reverse("meetings:create", args=[person.uuid])
    with unscoped():
        period = person.care_plan.periods.get()
    form = client.get(url, {"type": MeetingKind.EVALUATION}).context["form"]
    assert form.initial["period"] == period.uuid
    refused = client.post(url, _form(cast, person, kind=MeetingKind.EVALUATION, period=""))
    assert "Velg hvilken planperiode" in refused.content.decode()
    response = client.post(url, _form(cast, person, kind=MeetingKind.EVALUATION, period=str(period.uuid)))
    assert response.status_code == 302
    with unscoped():
        meeting = Meeting.objects.get(person=person)
    assert meeting.kind == MeetingKind.EVALUATION
    assert meeting.period == period


def test_a_member_without_consent_is_not_offered_nor_accepted(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    url = reverse("meetings:create", args=[person.uuid])
    with unscoped():
        gp = TeamMember.objects.get(team__person=person, user=cast.users["fjordvik-fastlege"])
    offered = client.get(url).context["form"].fields["members"].queryset
    with unscoped():
        assert gp not in list(offered)
        assert nurse(cast, person) in list(offered)
    response = client.post(url, _form(cast, person, members=[str(gp.uuid)]))
    assert response.status_code == 200
    with unscoped():
        assert not Meeting.objects.filter(person=person).exists()
