"""Reads of the person's PSFS: the series (activities, measurements with their scores, means and
change from the baseline) in a fixed number of queries, and the staff page that shows it."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Prefetch

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.function import scoring
from oppfolging.function.models import FunctionActivity, FunctionMeasurement, FunctionScore, Occasion
from oppfolging.people.models import Person
from oppfolging.plans.models import CarePlan, PlanPeriod


@dataclass(frozen=True)
class Cell:
    activity: FunctionActivity
    score: int | None
    change: int | None  # from the baseline, for an activity both measurements scored


@dataclass(frozen=True)
class Row:
    """One measurement as a row of the table (and a point in the chart)."""

    measurement: FunctionMeasurement
    cells: list[Cell]
    mean: Fraction | None
    change: Fraction | None
    is_real_change: bool
    is_baseline: bool

    @property
    def mean_value(self) -> float | None:
        return None if self.mean is None else float(self.mean)

    @property
    def change_value(self) -> float | None:
        return None if self.change is None else float(self.change)

    @property
    def by_person(self) -> bool:
        return self.measurement.entered_by_kind != "staff"


@dataclass(frozen=True)
class FunctionSeries:
    """The person's activities (active first, then retired), the columns of the table (the
    activities scored at some time, and the active ones), and a row per measurement."""

    activities: list[FunctionActivity]
    columns: list[FunctionActivity]
    rows: list[Row]

    @property
    def active(self) -> list[FunctionActivity]:
        return [activity for activity in self.activities if activity.retired_on is None]

    @property
    def retired(self) -> list[FunctionActivity]:
        return [activity for activity in self.activities if activity.retired_on is not None]

    @property
    def latest(self) -> Row | None:
        return self.rows[-1] if self.rows else None

    @property
    def baseline(self) -> Row | None:
        return next((row for row in reversed(self.rows) if row.is_baseline), None)

    @property
    def has_measurements(self) -> bool:
        return bool(self.rows)


def function_series(*, person: Person, until: datetime.datetime | None = None) -> FunctionSeries:
    """The whole series in three queries however long it is. ``until``: only what existed then
    (a former team member's view)."""
    activities_qs = FunctionActivity.all_tenants.filter(person=person)
    measurements_qs = FunctionMeasurement.all_tenants.filter(person=person)
    if until is not None:
        activities_qs = activities_qs.filter(created_at__lte=until)
        measurements_qs = measurements_qs.filter(created_at__lte=until)
    activities = list(activities_qs.order_by("order", "id"))
    measurements = list(
        measurements_qs.order_by("measured_on", "created_at", "id").prefetch_related(
            Prefetch("scores", queryset=FunctionScore.all_tenants.order_by("id"))
        )
    )
    scored = {score.activity_id for m in measurements for score in m.scores.all()}
    activities.sort(key=lambda a: (a.retired_on is not None, a.order, a.pk))
    columns = [a for a in activities if a.retired_on is None or a.pk in scored]
    computed = scoring.series(
        [
            (
                m.pk,
                {score.activity_id: score.score for score in m.scores.all()},
                m.occasion == Occasion.BASELINE,
            )
            for m in measurements
        ]
    )
    rows = []
    for measurement, point in zip(measurements, computed.points, strict=True):
        changes = point.change.activity_changes if point.change else {}
        rows.append(
            Row(
                measurement=measurement,
                cells=[Cell(a, point.scores.get(a.pk), changes.get(a.pk)) for a in columns],
                mean=point.mean,
                change=point.change.mean_change if point.change else None,
                is_real_change=bool(point.change and point.change.is_real),
                is_baseline=point.is_baseline,
            )
        )
    return FunctionSeries(activities=activities, columns=columns, rows=rows)


@dataclass(frozen=True)
class FunctionPage:
    access: PersonAccess
    series: FunctionSeries
    periods: list[PlanPeriod]


def function_access(actor: Actor, person_uuid: uuid.UUID | str) -> PersonAccess:
    """Those who read the person's case content read their PSFS; 404 for everyone else."""
    return access_person(actor, person_uuid, Need.CASE_CONTENT)


def plan_periods(person: Person) -> list[PlanPeriod]:
    """The periods of the person's plan, to name the one an evaluation measurement belongs to."""
    plan = CarePlan.all_tenants.filter(person=person).first()
    if plan is None:
        return []
    return list(PlanPeriod.all_tenants.filter(plan=plan).order_by("number"))


def function_page(*, actor: Actor, person_uuid: uuid.UUID | str) -> FunctionPage:
    """The staff page: access-checked, and the read is recorded."""
    access = function_access(actor, person_uuid)
    person = access.person
    series = function_series(person=person, until=access.until)
    if actor.user is not None:
        audit_person_write(
            user=actor.user, access=access, action=AuditAction.VIEW, what="function", about=person.uuid
        )
    return FunctionPage(access=access, series=series, periods=plan_periods(person))
