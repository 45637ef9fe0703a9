"""E-mail about meetings, each recipient in their own language where it is known: the invitation
and the cancellation with the .ics attached, and short notices that name no health details.

What the e-mails say is what the calendar file says: time, place, kind, the items' titles and who
takes part. The coordinator is told in the form that items travel by e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from oppfolging.accounts.models import User
from oppfolging.meetings import ical
from oppfolging.meetings.models import Meeting, MeetingParticipant, ParticipantKind

ICS_NAME = "invitasjon.ics"


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    language: str


def language_of_participant(meeting: Meeting, participant: MeetingParticipant) -> str:
    """The person's chosen language; a staff member's or relative's own, if they set one;
    otherwise the municipality's."""
    default = meeting.person.municipality.default_language
    if participant.kind == ParticipantKind.PERSON:
        return meeting.person.preferred_language or default
    user: User | None = None
    if participant.team_member is not None:
        user = participant.team_member.user
    elif participant.relative is not None:
        user = participant.relative.user
    if user is not None and user.preferred_language:
        return user.preferred_language
    return default


def recipients(meeting: Meeting, participants: list[MeetingParticipant]) -> list[Recipient]:
    return [Recipient(p.name, p.email, language_of_participant(meeting, p)) for p in participants if p.email]


def _ics_mime(method: str) -> str:
    return f"text/calendar; method={method}; charset=utf-8"


def _calendar_message(meeting: Meeting, recipient: Recipient, *, method: str, template: str) -> EmailMessage:
    with translation.override(recipient.language):
        context = {
            "meeting": meeting,
            "recipient": recipient,
            "items": list(meeting.items.all()),
            "participants": list(meeting.participants.all()),
            "summary": ical.summary_of(meeting),
        }
        subject = render_to_string(f"meetings/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"meetings/email/{template}.txt", context)
        data = ical.meeting_calendar(meeting, method=method)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    message.attach(ICS_NAME, data, _ics_mime(method))
    return message


def send_calendar(meeting: Meeting, people: list[Recipient], *, method: str) -> int:
    """One e-mail per recipient (each in their language) with the calendar file; returns how
    many were sent."""
    template = "cancel" if method == ical.CANCEL else "invitation"
    messages = [_calendar_message(meeting, r, method=method, template=template) for r in people]
    if not messages:
        return 0
    with get_connection() as connection:
        return int(connection.send_messages(messages) or 0)


def send_notice(*, to: User, language: str, template: str, context: dict[str, object]) -> None:
    """A short notice e-mail to a staff user (minutes to correct, a change request)."""
    if not to.email:
        return
    with translation.override(to.preferred_language or language):
        subject = render_to_string(f"meetings/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"meetings/email/{template}.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to.email]).send()
