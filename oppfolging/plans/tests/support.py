"""Builders for the plan tests, the matrix and the other follow-up apps: a person at the team
stage (:func:`staged_person`) with a plan written through the real services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from oppfolging.access.persons import Need, access_person
from oppfolging.consents.models import ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.plans import services
from oppfolging.plans.models import CarePlan, ResponsibleKind
from oppfolging.teams.models import TeamMember
from oppfolging.teams.tests.test_team_support import actor, consent, staged_person


def coordinator_access(cast: Any, person: Person) -> Any:
    user = cast.users["fjordvik-koordinator"]
    with unscoped():
        return actor(user), access_person(actor(user), person.uuid, Need.CASE_CONTENT)


def planned_person(cast: Any, *, activate: bool = True) -> Person:
    """The staged person (coordinator Ingrid, the nurse as a consented member, a former member)
    with a plan: consent to plan work, one goal in her own words, a two-month period starting
    today with one sub-goal and a measure the nurse is responsible for. Idempotent."""
    person = staged_person(cast)
    with unscoped():
        if CarePlan.objects.filter(person=person).exists():
            return person
        nurse = TeamMember.objects.get(team__person=person, user=cast.users["fjordvik-team"])
    consent(person, ConsentKind.PLAN_WORK, cast.users["fjordvik-koordinator"])
    who, access = coordinator_access(cast, person)
    with unscoped():
        plan = services.plan_create(actor=who, access=access)
        goal = services.goal_add(actor=who, access=access, plan=plan, text="Klare meg selv hjemme.")
        today = timezone.localdate()
        period = services.period_add(
            actor=who, access=access, plan=plan, starts_on=today, ends_on=today + datetime.timedelta(days=61)
        )
        sub_goal = services.sub_goal_add(
            actor=who, access=access, period=period, goal=goal, text="Dusje selv."
        )
        services.measure_add(
            actor=who,
            access=access,
            sub_goal=sub_goal,
            description="Trening i dusjen med sykepleier.",
            scope="To ganger i uken",
            responsible_kind=ResponsibleKind.MEMBER,
            responsible_member=nurse,
            starts_on=today,
            due_on=today + datetime.timedelta(days=30),
        )
        if activate:
            services.plan_activate(actor=who, access=access, plan=plan)
    return person
