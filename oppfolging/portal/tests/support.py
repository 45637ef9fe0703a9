"""Builders for the portal tests and the matrix: Per (who has a citizen account, "per") with a
team, a coordinator with contact details, an active plan written through the plan services, and a
meeting next week; Aron (whose mother "aron-mor" is his guardian) with a plan; and a relative
with an account whom the person has, or has not, consented to involve."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.accounts.models import User, UserKind
from oppfolging.consents.models import ConsentKind
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
)
from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.plans import services
from oppfolging.plans.models import CarePlan, ResponsibleKind
from oppfolging.teams.models import TeamMember
from oppfolging.teams.tests.test_team_support import actor, add_member, consent, make_coordinator, make_team

COORDINATOR_PHONE = "917 00 001"
MEASURE_DUE_IN_DAYS = 30


def coordinator_access(cast: Any, person: Person) -> tuple[Any, PersonAccess]:
    user = cast.users["fjordvik-koordinator"]
    with unscoped():
        who = actor(user)
        return who, access_person(who, person.uuid, Need.CASE_CONTENT)


def with_team(cast: Any, person: Person) -> TeamMember:
    """Ingrid coordinates (with a phone number); Nina, the home-care nurse, is a consented member.
    Returns Nina's membership. Idempotent."""
    team = make_team(person)
    ke = cast.users["fjordvik-ke"]
    with unscoped():
        nurse = TeamMember.objects.filter(team=team, user=cast.users["fjordvik-team"]).first()
        if nurse is not None:
            return nurse
        ingrid = cast.users["fjordvik-koordinator"]
        User.objects.filter(pk=ingrid.pk).update(phone=COORDINATOR_PHONE)
        ingrid.phone = COORDINATOR_PHONE
        home_care = Unit.objects.get(name="Hjemmetjenesten Fjordvik")
    make_coordinator(team, ingrid, ke)
    nurse = add_member(team, ke, user=cast.users["fjordvik-team"], unit=home_care)
    with unscoped():
        TeamMember.objects.filter(pk=nurse.pk).update(discipline="Sykepleier")
    return nurse


def with_plan(cast: Any, person: Person, *, goal: str = "Klare meg selv hjemme.") -> CarePlan:
    """An active plan through the plan services: a goal in the person's own words, a two-month
    period from today with a sub-goal and the nurse's measure. Idempotent."""
    nurse = with_team(cast, person)
    with unscoped():
        plan = CarePlan.objects.filter(person=person).first()
        if plan is not None:
            return plan
    consent(person, ConsentKind.PLAN_WORK, cast.users["fjordvik-koordinator"])
    who, access = coordinator_access(cast, person)
    today = timezone.localdate()
    with unscoped():
        plan = services.plan_create(actor=who, access=access)
        first = services.goal_add(actor=who, access=access, plan=plan, text=goal)
        period = services.period_add(
            actor=who, access=access, plan=plan, starts_on=today, ends_on=today + datetime.timedelta(days=61)
        )
        sub_goal = services.sub_goal_add(
            actor=who, access=access, period=period, goal=first, text="Dusje selv."
        )
        services.measure_add(
            actor=who,
            access=access,
            sub_goal=sub_goal,
            description="Trening i dusjen.",
            scope="To ganger i uken",
            responsible_kind=ResponsibleKind.MEMBER,
            responsible_member=nurse,
            starts_on=today,
            due_on=today + datetime.timedelta(days=MEASURE_DUE_IN_DAYS),
        )
        services.plan_activate(actor=who, access=access, plan=plan)
    return plan


def with_meeting(cast: Any, person: Person, *, days: int = 7, items: tuple[str, ...] = ()) -> Meeting:
    """A start-up meeting ``days`` from now with its items and participants (through the ORM:
    the meeting services are not what these tests are about)."""
    nurse = with_team(cast, person)
    plan = with_plan(cast, person)
    starts_at = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=days
    )
    with unscoped():
        meeting = Meeting.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            plan=plan,
            kind=MeetingKind.START_UP,
            starts_at=starts_at,
            place="Fjordvik helsehus, møterom 2",
            status=MeetingStatus.INVITED,
            created_by=cast.users["fjordvik-koordinator"],
        )
        for order, title in enumerate(items or ("Hvordan går treningen i dusjen?", "Trenger du logoped?")):
            AgendaItem.objects.create(
                municipality_id=person.municipality_id, meeting=meeting, order=order, title=title
            )
        MeetingParticipant.objects.create(
            municipality_id=person.municipality_id,
            meeting=meeting,
            kind=ParticipantKind.PERSON,
            name=person.full_name,
        )
        MeetingParticipant.objects.create(
            municipality_id=person.municipality_id,
            meeting=meeting,
            kind=ParticipantKind.MEMBER,
            team_member=nurse,
            name=nurse.name,
        )
    return meeting


def planned_per(cast: Any) -> Person:
    """Per with his team, an active plan and a meeting next week."""
    per = cast.persons["Per"]
    with_plan(cast, per)
    with unscoped():
        if not Meeting.objects.filter(person=per).exists():
            with_meeting(cast, per)
    return per


def planned_aron(cast: Any) -> Person:
    aron = cast.persons["Aron"]
    with_plan(cast, aron, goal="Aron skal trives på skolen.")
    return aron


def relative_user(cast: Any, person: Person, *, consented: bool, username: str = "per-datter") -> User:
    """Per's daughter with a citizen account, linked to him as next of kin; with ``consented``
    Per has consented to involve her."""
    with unscoped():
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": "Pia", "last_name": "Olsen", "kind": UserKind.CITIZEN},
        )
        relative, _created = Relative.objects.get_or_create(
            municipality_id=person.municipality_id,
            person=person,
            user=user,
            defaults={"kind": RelativeKind.NEXT_OF_KIN, "name": "Pia Olsen", "relation": "datter"},
        )
    if consented:
        consent(person, ConsentKind.INVOLVE_RELATIVES, cast.users["fjordvik-koordinator"], relative=relative)
    return user
