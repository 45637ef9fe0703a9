"""Narrowing to a unit or a target group counts only that unit's or group's persons, and every
process indicator takes a fixed number of queries whatever the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.core.tenancy import municipality_scope
from oppfolging.indicators.base import Scope, indicator
from oppfolging.indicators.definitions.process import INFORMED
from oppfolging.indicators.tests.test_process_support import (
    FIRST_QUARTER,
    JAN,
    assessment,
    at,
    coordinator,
    days_after,
    plan,
    report,
    run,
)
from oppfolging.overview.groups import TargetGroup
from oppfolging.overview.tests.builders import World, make_world

pytestmark = pytest.mark.django_db

MINE = (
    "reports_assessed",
    "interim_reply",
    "days_to_assessment",
    "days_to_coordinator",
    "days_to_plan",
    "own_answer",
    "informed",
    "minor_children",
    "interpreter",
)


def _assessed(world: World, *, informed: bool, unit: str | None = None, age: int = 40) -> None:
    person = world.person("Omfang", age=age)
    report(world, person, at(days_after(JAN, -10)), unit=unit)
    assessment(
        world, person, at(days_after(JAN, -7)), completed=at(JAN), informed_about_ip_and_coordinator=informed
    )


def test_a_unit_and_a_target_group_count_only_their_persons() -> None:
    world = make_world()
    for _ in range(6):  # reported by home care: in that unit
        _assessed(world, informed=True, unit="hjemme")
    for _ in range(5):  # children
        _assessed(world, informed=False, age=10)
    for informed in [True] * 4 + [False]:
        _assessed(world, informed=informed)
    municipality = world.municipality.pk

    assert run(INFORMED, world)["share"] == ["10/16", "0/0", "0/0", "10/16"]
    unit = Scope(municipality, unit_id=world.units["hjemme"].pk)
    assert run(INFORMED, world, unit)["share"] == ["6/6", "0/0", "0/0", "6/6"]
    children = Scope(municipality, group=TargetGroup.CHILDREN)
    assert run(INFORMED, world, children)["share"] == ["0/5", "0/0", "0/0", "0/5"]
    both = Scope(municipality, unit_id=world.units["hjemme"].pk, group=TargetGroup.CHILDREN)
    assert run(INFORMED, world, both)["share"] == ["0/0", "0/0", "0/0", "0/0"]


def _queries(world: World, scope: Scope) -> dict[str, int]:
    counted: dict[str, int] = {}
    with municipality_scope(world.municipality):
        for item in map(indicator, MINE):
            with CaptureQueriesContext(connection) as captured:
                item.run(scope, FIRST_QUARTER)
            counted[item.key] = len(captured)
    return counted


def _followed_up(world: World) -> None:
    person = world.person("Fulgt opp")
    report(world, person, at(days_after(JAN, -14)))
    assessment(world, person, at(days_after(JAN, -10)), completed=at(days_after(JAN, -8)))
    coordinator(world, person, at(days_after(JAN, -5)))
    plan(world, person, at(JAN))


def test_queries_do_not_depend_on_the_data() -> None:
    world = make_world()
    scope = Scope(world.municipality.pk, unit_id=world.units["psyk"].pk, group=TargetGroup.FRAIL_ELDERLY)
    _followed_up(world)
    few = _queries(world, Scope(world.municipality.pk))
    for _ in range(6):
        _followed_up(world)
    assert _queries(world, Scope(world.municipality.pk)) == few
    assert max(few.values()) <= 3
    # Narrowed to no one: a percentile with nothing to rank skips its ranking queries.
    assert all(count <= few[key] for key, count in _queries(world, scope).items())
