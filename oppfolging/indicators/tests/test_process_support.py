"""Builders for the process indicators' tests: reports, assessments, coordinators and plans put
at fixed times in 2025 in the test municipality, and the figures of an indicator as text (a
share as "numerator/denominator", a hidden cell as the reason it is hidden)."""

from __future__ import annotations

import datetime
from typing import Any

from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators.base import Cell, Indicator, Scope, Step, Window
from oppfolging.overview.tests.builders import World
from oppfolging.people.models import Person
from oppfolging.plans.models import CarePlan, PlanStatus
from oppfolging.referrals.checklist import WISHES
from oppfolging.referrals.models import Assessment, AssessmentSection, AssessmentStatus, NeedReport
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment

JAN = datetime.date(2025, 1, 15)
FEB = datetime.date(2025, 2, 15)
MAR = datetime.date(2025, 3, 14)
FIRST_QUARTER = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Step.MONTH)


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """Noon UTC by default: the same calendar day in Oslo, summer or winter."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC)


def days_after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def report(world: World, person: Person, when: datetime.datetime, **fields: Any) -> NeedReport:
    made = world.report(person, unit=fields.pop("unit", None))
    with unscoped():
        NeedReport.objects.filter(pk=made.pk).update(received_at=when, **fields)
        made.refresh_from_db()
    return made


def assessment(
    world: World,
    person: Person,
    started: datetime.datetime,
    *,
    completed: datetime.datetime | None = None,
    wishes: str = "",
    **fields: Any,
) -> Assessment:
    with unscoped():
        made = Assessment.objects.create(
            municipality=world.municipality,
            person=person,
            led_by=world.staff,
            started_at=started,
            status=AssessmentStatus.COMPLETED if completed else AssessmentStatus.IN_PROGRESS,
            completed_at=completed,
            **fields,
        )
        AssessmentSection.objects.create(
            municipality=world.municipality, assessment=made, key=WISHES, text=wishes
        )
    return made


def completed(world: World, day: datetime.date, **fields: Any) -> Assessment:
    """A person with an assessment completed at noon on ``day`` (started a week before)."""
    person = world.person("Kartlagt")
    return assessment(world, person, at(days_after(day, -7)), completed=at(day), **fields)


def coordinator(
    world: World,
    person: Person,
    started: datetime.datetime | None,
    ended: datetime.datetime | None = None,
) -> CoordinatorAssignment:
    with unscoped():
        team, _ = CareTeam.objects.get_or_create(municipality=world.municipality, person=person)
        return CoordinatorAssignment.objects.create(
            municipality=world.municipality,
            team=team,
            coordinator=world.staff,
            status=(AssignmentStatus.ENDED if ended else AssignmentStatus.ACTIVE)
            if started
            else AssignmentStatus.PROPOSED,
            proposed_by=world.ke,
            started_at=started,
            ended_at=ended,
        )


def plan(world: World, person: Person, activated: datetime.datetime | None) -> CarePlan:
    with unscoped():
        return CarePlan.objects.create(
            municipality=world.municipality,
            person=person,
            created_by=world.staff,
            status=PlanStatus.ACTIVE if activated else PlanStatus.DRAFT,
            activated_at=activated,
        )


def show(cell: Cell) -> str:
    if cell.hidden:
        return cell.hidden
    if cell.kind == "share":
        return f"{cell.numerator}/{cell.denominator}"
    if cell.value is None:
        return "-"
    return str(cell.value)


def run(
    indicator: Indicator, world: World, scope: Scope | None = None, window: Window = FIRST_QUARTER
) -> dict[str, list[str]]:
    """Each line's cells per month and (last) for the whole period, as the leader sees them."""
    with municipality_scope(world.municipality):
        outcome = indicator.run(scope or Scope(world.municipality.pk), window)
    return {line.key: [show(cell) for cell in line.all_cells] for line in outcome.lines}
