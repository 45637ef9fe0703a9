"""Builders for the follow-up tests: a Fjordvik person coordinated by Ingrid, with a plan and any
of the things the coordinator's day signals, written through the ORM (unscoped) so that a test
sets up exactly the situation it checks, and many persons can be made quickly."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from oppfolging.consents.models import ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import Medicine
from oppfolging.meetings.models import (
    Meeting,
    MeetingChangeRequest,
    MeetingKind,
    MeetingStatus,
    MinutesCorrection,
)
from oppfolging.people.models import Person
from oppfolging.plans.models import (
    CarePlan,
    Goal,
    Measure,
    MeasureStatus,
    PeriodStatus,
    PlanPeriod,
    PlanStatus,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.referrals.models import (
    Knowledge,
    NeedReport,
    ReportChannel,
    ReportKind,
    ReportSource,
    Routing,
)
from oppfolging.teams.models import TeamMember
from oppfolging.teams.tests.test_team_support import (
    add_member,
    consent,
    make_coordinator,
    make_person,
    make_team,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def coordinated(cast: Any, given: str, *, serial: int, coordinator: str = "fjordvik-koordinator") -> Person:
    """A person with a team: ``coordinator`` coordinates, the home-care nurse is a consented member."""
    person = make_person(cast.municipalities["fjordvik"], given, age=30 + serial % 60, serial=serial)
    team = make_team(person)
    ke = cast.users["fjordvik-ke"]
    make_coordinator(team, cast.users[coordinator], ke)
    with unscoped():
        has_nurse = TeamMember.objects.filter(team=team, user=cast.users["fjordvik-team"]).exists()
    if not has_nurse:
        add_member(team, ke, user=cast.users["fjordvik-team"])
    return person


def plan(
    cast: Any,
    person: Person,
    *,
    due_in: int = 30,
    ends_in: int | None = None,
    status: str = PlanStatus.ACTIVE,
    measure_due_in: int | None = 10,
) -> PlanPeriod:
    """An active plan with one running period whose checkpoint is ``due_in`` days away, one
    sub-goal, and (unless ``measure_due_in`` is None) an ongoing measure due then."""
    coordinator = cast.users["fjordvik-koordinator"]
    with unscoped():
        care_plan = CarePlan.objects.create(
            municipality_id=person.municipality_id, person=person, created_by=coordinator, status=status
        )
        goal = Goal.objects.create(municipality_id=person.municipality_id, plan=care_plan, text="Gå på tur.")
        period = PlanPeriod.objects.create(
            municipality_id=person.municipality_id,
            plan=care_plan,
            number=1,
            starts_on=days(-60),
            ends_on=days(ends_in if ends_in is not None else due_in + 7),
            evaluation_due_on=days(due_in),
            status=PeriodStatus.ACTIVE,
        )
        sub_goal = SubGoal.objects.create(
            municipality_id=person.municipality_id, period=period, goal=goal, text="Gå til butikken."
        )
        if measure_due_in is not None:
            nurse = TeamMember.objects.filter(team__person=person, user=cast.users["fjordvik-team"]).first()
            Measure.objects.create(
                municipality_id=person.municipality_id,
                period=period,
                sub_goal=sub_goal,
                description="Gåtrening med sykepleier.",
                responsible_kind=ResponsibleKind.MEMBER,
                responsible_member=nurse,
                due_on=days(measure_due_in),
                status=MeasureStatus.ONGOING,
            )
    return period


def meeting(
    cast: Any, person: Person, *, corrections_due_in: int = -1, proposed: int = 1, change_requests: int = 1
) -> Meeting:
    coordinator = cast.users["fjordvik-koordinator"]
    with unscoped():
        found = Meeting.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=MeetingKind.EVALUATION,
            starts_at=timezone.now() - datetime.timedelta(days=5),
            place="Kontoret",
            status=MeetingStatus.MINUTES_OUT,
            corrections_due_on=days(corrections_due_in),
            created_by=coordinator,
        )
        for _ in range(proposed):
            MinutesCorrection.objects.create(
                municipality_id=person.municipality_id,
                meeting=found,
                text="Det var tirsdag, ikke onsdag.",
                proposed_by=cast.users["fjordvik-team"],
                proposed_by_label="Nina Sykepleier",
            )
        for _ in range(change_requests):
            MeetingChangeRequest.objects.create(
                municipality_id=person.municipality_id,
                meeting=found,
                text="Kan vi flytte møtet?",
                author_kind="person",
                author=coordinator,
                author_label=person.full_name,
            )
    return found


def medicines(cast: Any, person: Person, n: int = 4, *, reviewed_on: datetime.date | None = None) -> None:
    with unscoped():
        for i in range(n):
            Medicine.objects.create(
                municipality_id=person.municipality_id,
                person=person,
                name=f"Legemiddel {i}",
                atc_code="C09AA05",
                is_regular=True,
                last_reviewed_on=reviewed_on,
                recorded_by=cast.users["fjordvik-fastlege"],
            )


def changed_need(cast: Any, person: Person) -> NeedReport:
    with unscoped():
        return NeedReport.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=ReportKind.CHANGED_NEED,
            routing=Routing.COORDINATOR,
            reporter=cast.users["fjordvik-team"],
            source=ReportSource.STAFF,
            channel=ReportChannel.WRITTEN,
            observed="Har falt to ganger denne uken.",
            knowledge=Knowledge.KNOWS_AND_AGREES,
        )


def expiring_consent(cast: Any, person: Person, *, in_days: int = 10) -> None:
    consent(person, ConsentKind.PLAN_WORK, cast.users["fjordvik-koordinator"], expires_on=days(in_days))


def loaded(cast: Any, i: int) -> Person:
    """A person with every signal: overdue evaluation, a measure past due, a period ending, a
    consent expiring, minutes with a correction waiting, a change request, four regular
    medicines never reviewed, and a changed need."""
    person = coordinated(cast, f"Dag{i:02d}", serial=800 + i)
    plan(cast, person, due_in=-2, ends_in=5, measure_due_in=-3)
    meeting(cast, person)
    medicines(cast, person)
    changed_need(cast, person)
    expiring_consent(cast, person)
    return person
