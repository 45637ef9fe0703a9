"""Builders for the meeting tests and the permission matrix: a meeting for the planned person
(:func:`oppfolging.plans.tests.support.planned_person`), set up through the real service, with
the person and the consented nurse taking part."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from oppfolging.core.tenancy import unscoped
from oppfolging.meetings import meeting_services
from oppfolging.meetings.models import Meeting, MeetingKind, MeetingStatus
from oppfolging.people.models import Person
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.teams.models import TeamMember

ITEMS = ["Første delmål for perioden", "Tiltak og hvem som har ansvar", "Når vi møtes neste gang"]


def at(days: int, hour: int = 10) -> datetime.datetime:
    """A time ``days`` from today at ``hour`` o'clock, Oslo time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def nurse(cast: Any, person: Person) -> TeamMember:
    with unscoped():
        return TeamMember.objects.select_related("user", "team").get(
            team__person=person, user=cast.users["fjordvik-team"]
        )


def make_meeting(
    cast: Any,
    person: Person | None = None,
    *,
    kind: str = MeetingKind.START_UP,
    starts_at: datetime.datetime | None = None,
    items: list[str] | None = None,
    chosen_with_person: bool = True,
    others: list[tuple[str, str]] | None = None,
) -> Meeting:
    """A meeting set up by the coordinator, with the person and the nurse taking part."""
    person = person or planned_person(cast)
    with unscoped():
        if not person.email:
            Person.objects.filter(pk=person.pk).update(email="tea@demo.invalid")
            person.email = "tea@demo.invalid"
    who, access = coordinator_access(cast, person)
    with unscoped():
        period = None
        if kind == MeetingKind.EVALUATION:
            period = person.care_plan.periods.get(number=1)
        return meeting_services.meeting_create(
            actor=who,
            access=access,
            data=meeting_services.MeetingData(
                kind=kind,
                starts_at=starts_at or at(7),
                place="Legekontoret",
                items=items or list(ITEMS),
                period=period,
                members=[nurse(cast, person)],
                others=others or [],
                chosen_with_person=chosen_with_person,
            ),
        )


def held_meeting(cast: Any, person: Person | None = None, **kwargs: Any) -> Meeting:
    """A meeting that was held this morning (minutes can be written)."""
    return make_meeting(cast, person, starts_at=at(0, 0) + datetime.timedelta(minutes=1), **kwargs)


def set_status(meeting: Meeting, status: str, **fields: Any) -> Meeting:
    with unscoped():
        Meeting.objects.filter(pk=meeting.pk).update(status=status, **fields)
        meeting.refresh_from_db()
    return meeting


def minutes_out(cast: Any, person: Person | None = None) -> Meeting:
    """A held meeting whose minutes are out for correction until three days from now."""
    meeting = held_meeting(cast, person)
    return set_status(
        meeting,
        MeetingStatus.MINUTES_OUT,
        minutes_summary="Vi ble enige om første periode.",
        minutes_written_at=timezone.now(),
        minutes_written_by=cast.users["fjordvik-koordinator"],
        corrections_due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
