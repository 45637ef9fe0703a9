"""Days from the report to the assessment, the coordinator and the plan: exact medians and 90th
percentiles (nearest rank) per month of the end event, which report counts, and the calendar
day in Oslo time."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.core.tenancy import municipality_scope
from oppfolging.indicators.base import Scope, Step, Window
from oppfolging.indicators.definitions.process import DAYS_TO_ASSESSMENT, DAYS_TO_COORDINATOR, DAYS_TO_PLAN
from oppfolging.indicators.tests.test_process_support import (
    FEB,
    JAN,
    MAR,
    assessment,
    at,
    coordinator,
    days_after,
    plan,
    report,
    run,
)
from oppfolging.overview.tests.builders import World, make_world

pytestmark = pytest.mark.django_db


def _assessed_after(world: World, day: datetime.date, days: int, *, linked: bool = True) -> None:
    person = world.person("Venter")
    made = report(world, person, at(days_after(day, -days)))
    assessment(world, person, at(day), report=made if linked else None)


def test_days_to_assessment() -> None:
    world = make_world()
    # January: five, one of them reported in December; 4, 6, 8, 30 days and one across midnight.
    for days in (4, 6, 8, 30):
        _assessed_after(world, JAN, days)
    late = world.person("Kveld")
    made = report(world, late, at(datetime.date(2025, 1, 20), 22, 30))  # 23:30 in Oslo
    assessment(world, late, at(datetime.date(2025, 1, 20), 23, 30), report=made)  # 00:30 next day
    # February: three (too few to show).
    _assessed_after(world, FEB, 0)
    two = world.person("To meldinger")  # opened without a report: the latest one before counts
    report(world, two, at(days_after(FEB, -40)))
    report(world, two, at(days_after(FEB, -10)))
    report(world, two, at(days_after(FEB, 2)))  # after the start: not the one
    assessment(world, two, at(FEB))
    linked = world.person("Knyttet")  # opened from the older report: that one counts
    older = report(world, linked, at(days_after(FEB, -20)))
    report(world, linked, at(days_after(FEB, -5)))
    assessment(world, linked, at(FEB), report=older)
    # Not counted: no report before the start, or started outside the period.
    assessment(world, world.person("Uten melding"), at(FEB))
    _assessed_after(world, datetime.date(2024, 12, 20), 3)
    _assessed_after(world, datetime.date(2025, 4, 2), 3)

    figures = run(DAYS_TO_ASSESSMENT, world)
    # January 1, 4, 6, 8, 30: median the 3rd, p90 the 5th. February 0, 10, 20: too few.
    # The period 0, 1, 4, 6, 8, 10, 20, 30: median the 4th of 8, p90 the 8th.
    assert figures["median"] == ["6", "few", "few", "6"]
    assert figures["p90"] == ["30", "few", "few", "30"]
    assert figures["count"] == ["5", "small", "0", "8"]


def test_days_are_calendar_days_in_oslo() -> None:
    world = make_world()
    person = world.person("Natt")
    made = report(world, person, at(datetime.date(2025, 3, 29), 22, 30))  # Saturday 23:30, winter time
    assessment(world, person, at(datetime.date(2025, 3, 30), 22, 0), report=made)  # Monday 00:00, summer time
    window = Window.of(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31), Step.MONTH)
    with municipality_scope(world.municipality):
        outcome = DAYS_TO_ASSESSMENT.compute(Scope(world.municipality.pk), window)  # before suppression
    assert outcome.lines[0].total.value == 2  # under a day apart, two days on the calendar
    assert outcome.lines[0].total.n == 1


def _coordinator_after(world: World, day: datetime.date, days: int) -> None:
    person = world.person("Koordinert")
    report(world, person, at(days_after(day, -days)))
    coordinator(world, person, at(day))


def test_days_to_coordinator() -> None:
    world = make_world()
    for days in (3, 5, 7, 9):
        _coordinator_after(world, JAN, days)
    # The first coordinator after the report counts, the one replacing them does not.
    replaced = world.person("Byttet")
    report(world, replaced, at(days_after(JAN, -11)))
    coordinator(world, replaced, at(JAN), ended=at(days_after(JAN, 5)))
    coordinator(world, replaced, at(days_after(JAN, 3)))
    # A new report while a coordinator is at work: the next coordinator is a change, not a wait.
    working = world.person("Har koordinator")
    coordinator(world, working, at(datetime.date(2024, 6, 1)), ended=at(days_after(JAN, 1)))
    report(world, working, at(days_after(JAN, -20)))
    coordinator(world, working, at(days_after(JAN, 1)))
    # Proposed but not started, or no report before: not counted.
    proposed = world.person("Foreslått")
    report(world, proposed, at(days_after(JAN, -2)))
    coordinator(world, proposed, None)
    coordinator(world, world.person("Uten melding"), at(JAN))
    # February: the coordinator had ended before the report, so the new one is a wait (14 days).
    again = world.person("Igjen")
    coordinator(world, again, at(datetime.date(2024, 3, 1)), ended=at(datetime.date(2024, 9, 1)))
    report(world, again, at(days_after(FEB, -14)))
    coordinator(world, again, at(FEB))
    _coordinator_after(world, FEB, 21)

    figures = run(DAYS_TO_COORDINATOR, world)
    # January 3, 5, 7, 9, 11; February 14, 21; the period 3, 5, 7, 9, 11, 14, 21 (4th and 7th).
    assert figures["median"] == ["7", "few", "few", "9"]
    assert figures["p90"] == ["11", "few", "few", "21"]
    assert figures["count"] == ["5", "small", "0", "7"]


def test_days_to_plan() -> None:
    world = make_world()
    for days in (20, 30, 40, 50, 60):
        person = world.person("Plan")
        report(world, person, at(days_after(JAN, -days)))
        plan(world, person, at(JAN))
    twice = world.person("To meldinger")  # the latest report before the activation counts
    report(world, twice, at(days_after(JAN, -100)))
    report(world, twice, at(days_after(JAN, -10)))
    report(world, twice, at(days_after(JAN, 3)))
    plan(world, twice, at(JAN))
    draft = world.person("Utkast")
    report(world, draft, at(days_after(JAN, -10)))
    plan(world, draft, None)
    plan(world, world.person("Uten melding"), at(JAN))
    march = world.person("Mars")
    report(world, march, at(days_after(MAR, -7)))
    plan(world, march, at(MAR))

    figures = run(DAYS_TO_PLAN, world)
    # January 10, 20, 30, 40, 50, 60 (3rd and 6th); March 7 alone; the period 4th and 7th of 7.
    assert figures["median"] == ["30", "few", "few", "30"]
    assert figures["p90"] == ["60", "few", "few", "60"]
    assert figures["count"] == ["6", "0", "small", "7"]
