"""Persons with an individual plan as KOSTRA/IPLOS count them: exact figures per quarter, read at
each quarter's last day (31 December for the fourth and the whole year)."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.indicators.base import Step, Window
from oppfolging.indicators.definitions.plans import KOSTRA_IP
from oppfolging.indicators.tests.plans_builders import OSLO, d, decision, plan, run, team
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.referrals.models import DecisionKind, DecisionOutcome

pytestmark = pytest.mark.django_db

YEAR = Window.of(d(1, 1), d(12, 31), Step.QUARTER)


def _person(world: World, *, unit: str | None = None):
    person = world.person("Kostra")
    if unit:
        team(world, person, d(1, 5), [(d(1, 5), None)], unit=unit)
    return person


def _build(world: World) -> None:
    for _ in range(6):
        person = _person(world)
        plan(world, person, d(2, 1))
        decision(world, person, d(1, 15))
    ends_june = _person(world, unit="psyk")
    plan(world, ends_june, d(2, 1))
    decision(world, ends_june, d(1, 15), d(6, 30))  # its last day is 30 June: counted then
    closed = _person(world, unit="psyk")
    plan(world, closed, d(2, 1), closed=d(11, 15))
    decision(world, closed, d(1, 15))
    refused = _person(world)
    plan(world, refused, d(2, 1))
    decision(world, refused, d(1, 15), outcome=DecisionOutcome.REFUSED)
    plan_decision = _person(world)
    plan(world, plan_decision, d(2, 1))
    decision(world, plan_decision, d(1, 15), kind=DecisionKind.INDIVIDUAL_PLAN)
    decision(world, _person(world), d(1, 15))  # a service, no plan
    late_evening = _person(world)
    plan(world, late_evening, datetime.datetime(2025, 12, 31, 23, 30, tzinfo=OSLO))
    decision(world, late_evening, d(1, 15))
    from_october = _person(world, unit="psyk")
    plan(world, from_october, d(2, 1))
    decision(world, from_october, d(9, 15), valid_from=d(10, 1))
    draft = _person(world)
    plan(world, draft, None)
    decision(world, draft, d(1, 15))
    two = _person(world)
    plan(world, two, d(2, 1))
    decision(world, two, d(1, 15))
    decision(world, two, d(3, 1))
    for _ in range(2):  # the service ends on 15 December
        ends_december = _person(world)
        plan(world, ends_december, d(2, 1))
        decision(world, ends_december, d(1, 15), d(12, 15))


def test_persons_with_a_plan_and_a_service_at_each_quarter_end() -> None:
    world = make_world()
    _build(world)
    figures = run(KOSTRA_IP, world, YEAR)
    # The whole year is 31 December: the IPLOS figure.
    assert figures["kostra"] == ["11", "11", "10", "9", "9"]
    assert figures["in_force"] == ["14", "14", "14", "14", "14"]


def test_the_quarter_still_running_is_read_today() -> None:
    world = make_world()
    _build(world)
    figures = run(KOSTRA_IP, world, YEAR, today=d(11, 20))
    # On 20 November the plan closed on 15 November is out, the plan activated on 31 December is
    # not there yet, and the two services ending on 15 December still run.
    assert figures["kostra"] == ["11", "11", "10", "10", "10"]
    assert figures["in_force"] == ["14", "14", "14", "13", "13"]


def test_a_unit_with_few_persons_shows_no_figure() -> None:
    world = make_world()
    _build(world)
    figures = run(KOSTRA_IP, world, YEAR, unit_id=world.units["psyk"].pk)
    assert figures["kostra"] == ["small"] * 5
    assert figures["in_force"] == ["small"] * 5
