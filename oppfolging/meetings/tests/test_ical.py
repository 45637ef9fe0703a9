"""The calendar file, parsed back with icalendar: a stable UID, the sequence, times in Oslo,
summary, location, the items in the description, the organizer and the attendees."""

from __future__ import annotations

import datetime

import pytest
from icalendar import Calendar

from oppfolging.core.tenancy import unscoped
from oppfolging.meetings import ical
from oppfolging.meetings.models import Meeting
from oppfolging.meetings.tests.support import ITEMS, at, make_meeting

pytestmark = pytest.mark.django_db


def _event(data: bytes):
    calendar = Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return calendar, events[0]


def test_the_invitation_carries_time_place_items_and_people(cast):
    meeting = make_meeting(cast, starts_at=at(7, 13), others=[("Tolk Hansen", "tolk@demo.invalid")])
    with unscoped():
        meeting = Meeting.objects.get(pk=meeting.pk)
        calendar, event = _event(ical.meeting_calendar(meeting))
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uuid}@oppfolging"
    assert event["SEQUENCE"] == 0
    start = event.decoded("DTSTART")
    assert start == at(7, 13)
    assert start.tzinfo.key == "Europe/Oslo"
    assert event.decoded("DTEND") - start == datetime.timedelta(minutes=60)
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert any(c.name == "VTIMEZONE" for c in calendar.walk())
    assert str(event["SUMMARY"]) == "Oppstartsmøte"
    assert str(event["LOCATION"]) == "Legekontoret"
    description = str(event["DESCRIPTION"])
    for title in ITEMS:
        assert title in description
    assert str(event["ORGANIZER"]) == "mailto:fjordvik-koordinator@demo.invalid"
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert attendees == {
        "mailto:tea@demo.invalid",
        "mailto:fjordvik-team@demo.invalid",
        "mailto:tolk@demo.invalid",
    }


def test_no_identity_number_travels_in_the_file(cast):
    meeting = make_meeting(cast)
    with unscoped():
        meeting = Meeting.objects.select_related("person").get(pk=meeting.pk)
        data = ical.meeting_calendar(meeting).decode()
    assert meeting.person.national_id not in data.replace("\r\n ", "")


def test_the_cancellation_has_the_same_uid_and_is_cancelled(cast):
    meeting = make_meeting(cast)
    with unscoped():
        meeting = Meeting.objects.get(pk=meeting.pk)
        meeting.ical_sequence = 2
        calendar, event = _event(ical.meeting_calendar(meeting, method=ical.CANCEL))
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event["UID"]) == f"{meeting.uuid}@oppfolging"
