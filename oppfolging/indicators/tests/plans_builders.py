"""Short helpers for the plan and team indicator tests: put a person of the test municipality at
a known state on known days (2025), writing the recorded dates straight into the rows."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from oppfolging.core.tenancy import municipality_scope
from oppfolging.indicators.base import Cell, Indicator, Scope, Window
from oppfolging.overview.tests.builders import World
from oppfolging.people.models import Person
from oppfolging.plans.models import (
    CarePlan,
    CloseReason,
    Evaluation,
    Goal,
    GoalStatus,
    PlanPeriod,
    PlanStatus,
)
from oppfolging.referrals.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DecisionKind,
    DecisionOutcome,
    ServiceDecision,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour`` Oslo time."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def d(month: int, day: int, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, day)


def assessed(world: World, person: Person, completed: datetime.date | None, needs: str = Answer.YES) -> None:
    """A completed assessment (None: still in progress) that concluded ``needs``."""
    Assessment.all_tenants.create(
        municipality=world.municipality,
        person=person,
        led_by=world.staff,
        started_at=at(completed or d(1, 2)) - datetime.timedelta(days=7),
        status=AssessmentStatus.COMPLETED if completed else AssessmentStatus.IN_PROGRESS,
        completed_at=at(completed) if completed else None,
        needs_coordinated_services=needs,
    )


def plan(
    world: World,
    person: Person,
    activated: datetime.datetime | datetime.date | None,
    closed: datetime.date | None = None,
    reason: str = CloseReason.GOALS_REACHED,
) -> CarePlan:
    if isinstance(activated, datetime.date) and not isinstance(activated, datetime.datetime):
        activated = at(activated)
    status = PlanStatus.CLOSED if closed else PlanStatus.ACTIVE if activated else PlanStatus.DRAFT
    return CarePlan.all_tenants.create(
        municipality=world.municipality,
        person=person,
        created_by=world.staff,
        status=status,
        activated_at=activated,
        closed_at=at(closed) if closed else None,
        close_reason=reason if closed else "",
    )


def goal(
    world: World,
    care_plan: CarePlan,
    created: datetime.date,
    *,
    own: bool = True,
    status: str = GoalStatus.ACTIVE,
    changed: datetime.date | None = None,
) -> Goal:
    row = Goal.all_tenants.create(
        municipality=world.municipality, plan=care_plan, text="Gå tur", in_own_words=own, status=status
    )
    Goal.all_tenants.filter(pk=row.pk).update(created_at=at(created), updated_at=at(changed or created))
    return row


def period(
    world: World, care_plan: CarePlan, due: datetime.date, held: datetime.date | None = None, number: int = 1
) -> PlanPeriod:
    row = PlanPeriod.all_tenants.create(
        municipality=world.municipality,
        plan=care_plan,
        number=number,
        starts_on=due - datetime.timedelta(days=60),
        ends_on=due + datetime.timedelta(days=7),
        evaluation_due_on=due,
    )
    if held:
        Evaluation.all_tenants.create(
            municipality=world.municipality, period=row, held_on=held, recorded_by=world.staff
        )
    return row


def team(
    world: World,
    person: Person,
    created: datetime.date,
    members: list[tuple[datetime.date, datetime.date | None]],
    unit: str | None = None,
) -> CareTeam:
    """A team with members present from each ``(joined, left)``; ``unit`` for all of them."""
    row = CareTeam.all_tenants.create(municipality=world.municipality, person=person)
    CareTeam.all_tenants.filter(pk=row.pk).update(created_at=at(created))
    for joined, left in members:
        TeamMember.all_tenants.create(
            municipality=world.municipality,
            team=row,
            name="Medlem",
            unit=world.units[unit] if unit else None,
            joined_at=at(joined),
            left_at=at(left) if left else None,
        )
    return row


def coordinator(
    world: World, care_team: CareTeam, started: datetime.date, ended: datetime.date | None = None
) -> None:
    CoordinatorAssignment.all_tenants.create(
        municipality=world.municipality,
        team=care_team,
        coordinator=world.staff,
        status=AssignmentStatus.ENDED if ended else AssignmentStatus.ACTIVE,
        proposed_by=world.ke,
        started_at=at(started),
        ended_at=at(ended) if ended else None,
    )


def decision(
    world: World,
    person: Person,
    decided: datetime.date,
    valid_to: datetime.date | None = None,
    *,
    valid_from: datetime.date | None = None,
    kind: str = DecisionKind.SERVICE,
    outcome: str = DecisionOutcome.GRANTED,
) -> None:
    ServiceDecision.all_tenants.create(
        municipality=world.municipality,
        person=person,
        kind=kind,
        outcome=outcome,
        decided_on=decided,
        valid_from=valid_from or decided,
        valid_to=valid_to,
        decided_by=world.staff,
    )


def show(cell: Cell) -> str:
    if cell.hidden:
        return cell.hidden
    if cell.kind == "share":
        return f"{cell.numerator}/{cell.denominator}"
    return str(cell.value)


def run(indicator: Indicator, world: World, window: Window, **scope: Any) -> dict[str, list[str]]:
    """The indicator's figures as shown (suppressed cells by the reason), per line, whole last."""
    with municipality_scope(world.municipality):
        outcome = indicator.run(Scope(world.municipality.pk, **scope), window)
    return {line.key: [show(cell) for cell in line.all_cells] for line in outcome.lines}
