"""The meeting as an iCalendar file (RFC 5545 with the iTIP methods of RFC 5546): the invitation
(METHOD:REQUEST) and the cancellation (METHOD:CANCEL) carry the same UID, and a growing SEQUENCE,
so the recipients' calendars update the one event instead of adding another.

A pure function of the meeting (its items and participants prefetched or not): no request, no
database writes. Labels are in the active language, so the caller sets the recipient's. The file
holds time, place, kind and the items' titles only — never an identity number or anything the
items do not say themselves (the form tells the coordinator that items travel by e-mail)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from oppfolging.meetings.models import Meeting, MeetingParticipant

PRODID = "-//Oppfolging//Moter//NO"
OSLO = ZoneInfo("Europe/Oslo")

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def uid_of(meeting: Meeting) -> str:
    """Stable for the meeting's whole life: every update and the cancellation refer to it."""
    return f"{meeting.uuid}@oppfolging"


def summary_of(meeting: Meeting) -> str:
    return meeting.title or str(meeting.get_kind_display())


def description_of(meeting: Meeting) -> str:
    """The items to settle and who takes part, as plain text lines."""
    lines = [_("Saker som skal avklares:")]
    lines += [f"{number}. {item.title}" for number, item in enumerate(meeting.items.all(), start=1)]
    names = [participant.name for participant in meeting.participants.all()]
    if names:
        lines += ["", _("Deltakere:"), *(f"- {name}" for name in names)]
    return "\n".join(lines)


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _attendee(participant: MeetingParticipant) -> vCalAddress:
    return _address(
        participant.email,
        participant.name,
        ROLE="REQ-PARTICIPANT",
        PARTSTAT="NEEDS-ACTION",
        CUTYPE="INDIVIDUAL",
    )


def meeting_calendar(meeting: Meeting, *, method: str = REQUEST) -> bytes:
    """The meeting as an .ics file with one VEVENT. ``method`` is REQUEST (invite or update)
    or CANCEL (the meeting is called off; the event gets STATUS:CANCELLED)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid_of(meeting))
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(OSLO))
    event.add("dtend", meeting.ends_at.astimezone(OSLO))
    event.add("summary", summary_of(meeting))
    event.add("location", meeting.place)
    event.add("description", description_of(meeting))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = meeting.created_by
    event.add(
        "organizer",
        _address(
            organizer.email or settings.DEFAULT_FROM_EMAIL, organizer.get_full_name() or organizer.username
        ),
    )
    for participant in meeting.participants.all():
        if participant.email:
            event.add("attendee", _attendee(participant))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
