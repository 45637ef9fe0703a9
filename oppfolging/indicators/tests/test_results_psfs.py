"""PSFS change from baseline: exact figures in a small known situation (January to March 2025,
by month), and the same changes as the PSFS page computes for each person.

Unless said otherwise a person's baseline is 1 December 2024 with three activities scored
2, 3 and 4; the changes are each person's latest follow-up or evaluation in the month:

======  ==========================  =========================  ==================
person  January                     February                   March
======  ==========================  =========================  ==================
P1      +3                          +1
P2      +4/3 (1, 2, 1)              +4
P3      +1/3 (1, 0, 0)              +3
P4      -2 on the 5th, -1 later
P5      +2 (an evaluation)          -2
P6      +2 (no marked baseline:
        the first measurement is)
P7      +2.5 (baseline 3 January)   0
P8      a follow-up before the
        first baseline: no change
P9      +4 (one activity replaced:
        only the one scored twice)
P10     0
P11     -3
P12                                                            +3
P13                                                            +2
======  ==========================  =========================  ==================
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.function import scoring
from oppfolging.function.models import FunctionActivity, FunctionMeasurement, FunctionScore, Occasion
from oppfolging.indicators.base import Cell, Scope, Step, Window
from oppfolging.indicators.definitions.results import PSFS_CHANGE
from oppfolging.overview.tests.builders import World, make_world

pytestmark = pytest.mark.django_db

WINDOW = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Step.MONTH)
DEC = datetime.date(2024, 12, 1)
BASE = (2, 3, 4)


def _day(month: int, day: int) -> datetime.date:
    return datetime.date(2025, month, day)


class Series:
    """One person's activities and measurements."""

    def __init__(self, world: World, name: str, activities: int = 3) -> None:
        self.world = world
        self.person = world.person(name)
        with unscoped():
            self.activities = [
                FunctionActivity.objects.create(
                    municipality=world.municipality,
                    person=self.person,
                    text=f"Aktivitet {i}",
                    order=i,
                    created_by=world.staff,
                )
                for i in range(activities)
            ]

    def measure(
        self,
        day: datetime.date,
        scores: Sequence[int],
        occasion: str = Occasion.FOLLOW_UP,
        activities: Sequence[FunctionActivity] | None = None,
    ) -> None:
        with unscoped():
            measurement = FunctionMeasurement.objects.create(
                municipality=self.world.municipality,
                person=self.person,
                measured_on=day,
                occasion=occasion,
                entered_by=self.world.staff,
                entered_by_label="Sara Sak",
                entered_by_kind="staff",
            )
            for activity, score in zip(activities or self.activities, scores, strict=True):
                FunctionScore.objects.create(
                    municipality=self.world.municipality,
                    measurement=measurement,
                    activity=activity,
                    score=score,
                )

    def baseline(self, day: datetime.date = DEC, scores: Sequence[int] = BASE) -> Series:
        self.measure(day, scores, Occasion.BASELINE)
        return self


def _world() -> tuple[World, dict[str, Series]]:
    world = make_world()
    p = {f"P{i}": Series(world, f"P{i}") for i in range(1, 14) if i not in (7, 9)}
    p["P7"] = Series(world, "P7", activities=2)
    p["P9"] = Series(world, "P9", activities=2)
    for name in ("P1", "P2", "P3", "P4", "P5", "P10", "P11", "P12", "P13"):
        p[name].baseline()
    p["P1"].measure(_day(1, 10), [5, 6, 7])
    p["P1"].measure(_day(2, 10), [3, 4, 5])
    p["P2"].measure(_day(1, 15), [3, 5, 5])
    p["P2"].measure(_day(2, 12), [6, 7, 8])
    p["P3"].measure(_day(1, 20), [3, 3, 4])
    p["P3"].measure(_day(2, 14), [5, 6, 7])
    p["P4"].measure(_day(1, 5), [0, 1, 2])
    p["P4"].measure(_day(1, 25), [1, 2, 3])
    p["P5"].measure(_day(1, 12), [4, 5, 6], Occasion.EVALUATION)
    p["P5"].measure(_day(2, 20), [0, 1, 2])
    p["P6"].measure(datetime.date(2024, 12, 5), list(BASE))
    p["P6"].measure(_day(1, 18), [4, 5, 6])
    p["P7"].baseline(_day(1, 3), [5, 5])
    p["P7"].measure(_day(1, 28), [7, 8])
    p["P7"].measure(_day(2, 22), [5, 5])
    p["P8"].measure(_day(1, 8), [5, 5, 5])
    p["P8"].baseline(_day(1, 9))
    p["P10"].measure(_day(1, 30), list(BASE))
    p["P11"].measure(_day(1, 14), [0, 0, 0])
    p["P12"].measure(_day(3, 5), [5, 6, 7])
    p["P13"].measure(_day(3, 10), [4, 5, 6])
    first, second = p["P9"].activities
    p["P9"].baseline(datetime.date(2024, 11, 1), [2, 4])
    with unscoped():
        FunctionActivity.objects.filter(pk=first.pk).update(retired_on=datetime.date(2024, 12, 15))
        third = FunctionActivity.objects.create(
            municipality=world.municipality, person=p["P9"].person, text="Ny", order=3, created_by=world.staff
        )
    p["P9"].measure(_day(1, 22), [8, 0], activities=[second, third])
    return world, p


def _show(cell: Cell) -> str:
    if cell.hidden:
        return cell.hidden
    if cell.kind == "share":
        return f"{cell.numerator}/{cell.denominator}"
    return str(cell.value)


def _figures(world: World, scope: Scope | None = None) -> dict[str, list[str]]:
    with municipality_scope(world.municipality):
        outcome = PSFS_CHANGE.run(scope or Scope(world.municipality.pk), WINDOW)
    return {line.key: [_show(c) for c in line.all_cells] for line in outcome.lines}


def test_mean_change_and_shares_per_month() -> None:
    world, _series = _world()
    figures = _figures(world)
    # January: P1-P7, P9-P11 (P8 has no change); February: P1, P2, P3, P5, P7; March: P12,
    # P13; the period: each of the twelve at their latest.
    assert figures["persons"] == ["10", "5", "small", "12"]
    # January: (3 + 4/3 + 1/3 - 1 + 2 + 2 + 2.5 + 4 + 0 - 3) / 10; February: 6 / 5; the
    # period: (1 + 4 + 3 - 1 - 2 + 2 + 0 + 4 + 0 - 3 + 3 + 2) / 12.
    assert figures["mean_change"] == ["1.12", "1.2", "few", "1.08"]
    # Improved by 2 or more: January P1, P5, P6, P7, P9 (P2's 4/3 is not enough); February P2,
    # P3; the period P2, P3, P6, P9, P12, P13.
    assert figures["improved"] == ["5/10", "small", "small", "6/12"]
    # Worse by 2 or more: January P11 (P4's -2 is not his latest); February P5; March none, but
    # of two persons; the period P5, P11.
    assert figures["worsened"] == ["small", "small", "small", "small"]


def test_the_same_changes_as_the_psfs_page() -> None:
    """The whole period's mean is the mean of what the PSFS page shows as each person's latest
    change (its arithmetic in :mod:`oppfolging.function.scoring`), taken over the rows the
    indicator reads."""
    world, series = _world()
    changes: list[Fraction] = []
    with unscoped():
        for item in series.values():
            measurements = FunctionMeasurement.objects.filter(person=item.person).order_by(
                "measured_on", "created_at", "id"
            )
            computed = scoring.series(
                [
                    (m.pk, {s.activity_id: s.score for s in m.scores.all()}, m.occasion == Occasion.BASELINE)
                    for m in measurements
                ]
            )
            in_window = [
                point
                for point, m in zip(computed.points, measurements, strict=True)
                if not point.is_baseline and WINDOW.start <= m.measured_on <= WINDOW.end
            ]
            if in_window and in_window[-1].change is not None:
                changes.append(in_window[-1].change.mean_change)
    assert len(changes) == 12
    assert _figures(world)["mean_change"][-1] == str(round(float(sum(changes) / len(changes)), 2))


def test_a_unit_narrows_to_its_persons() -> None:
    world, series = _world()
    for name in ("P1", "P2"):
        world.team(series[name].person, ("psyk", False))
    figures = _figures(world, Scope(world.municipality.pk, unit_id=world.units["psyk"].pk))
    assert figures["persons"] == ["small", "small", "0", "small"]
    assert figures["mean_change"] == ["few", "few", "few", "few"]


def test_one_query_whatever_the_number_of_buckets() -> None:
    world, _series = _world()
    with municipality_scope(world.municipality), CaptureQueriesContext(connection) as queries:
        PSFS_CHANGE.run(Scope(world.municipality.pk), WINDOW)
    assert len(queries) == 1
