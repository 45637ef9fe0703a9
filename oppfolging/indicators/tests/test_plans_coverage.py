"""Coordinator, team and plan for persons who need coordinated services: exact figures per month,
read at the end of each month's last day."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.indicators.base import Step, Window
from oppfolging.indicators.definitions.plans import COORDINATED_NEEDS_COVERAGE
from oppfolging.indicators.tests.plans_builders import OSLO, assessed, coordinator, d, plan, run, team
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.plans.models import CloseReason
from oppfolging.referrals.models import Answer

pytestmark = pytest.mark.django_db

WINDOW = Window.of(d(1, 1), d(3, 31), Step.MONTH)


def _covered(
    world: World,
    *,
    closed: datetime.date | None = None,
    reason: str = CloseReason.GOALS_REACHED,
    activated: datetime.datetime | datetime.date | None = None,
    assessments: int = 1,
    unit: str | None = None,
) -> None:
    """In need from 10 January, with a team (5 January), a coordinator (15 January) and a plan
    (activated 20 January unless ``activated``)."""
    person = world.person("Dekket")
    for _ in range(assessments):
        assessed(world, person, d(1, 10))
    plan(world, person, activated or d(1, 20), closed, reason)
    care_team = team(world, person, d(1, 5), [(d(1, 5), None)], unit=unit)
    coordinator(world, care_team, d(1, 15))


def test_shares_with_coordinator_team_and_plan_at_each_month_end() -> None:
    world = make_world()
    for _ in range(10):
        _covered(world)
    # The plan is closed in February (goals reached): in need all along, with a plan in January only.
    _covered(world, closed=d(2, 10))
    # Moved in February: out of the count from that day.
    _covered(world, closed=d(2, 15), reason=CloseReason.MOVED)
    # Two assessments saying yes: one person. The plan was activated late on 31 January, Oslo time.
    _covered(world, assessments=2, activated=datetime.datetime(2025, 1, 31, 23, 30, tzinfo=OSLO))
    # In need from 3 February, no plan; the only member leaves on 20 February and the next joins
    # 5 March (no team at the end of February); the coordinator ends on 10 March.
    late = world.person("Sen")
    assessed(world, late, d(2, 3))
    late_team = team(world, late, d(2, 3), [(d(2, 3), d(2, 20)), (d(3, 5), None)])
    coordinator(world, late_team, d(2, 5), d(3, 10))
    # In need, nothing else yet.
    for _ in range(5):
        assessed(world, world.person("Venter"), d(1, 10))
    # Not in need: the assessment came after the period, said no, or is not finished.
    assessed(world, world.person("Etter"), d(4, 2))
    assessed(world, world.person("Nei"), d(1, 10), needs=Answer.NO)
    assessed(world, world.person("Pågår"), None)

    figures = run(COORDINATED_NEEDS_COVERAGE, world, WINDOW)

    assert figures["need"] == ["18", "18", "18", "18"]
    assert figures["plan"] == ["13/18", "11/18", "11/18", "11/18"]
    assert figures["team"] == ["13/18", "12/18", "13/18", "13/18"]
    assert figures["coordinator"] == ["13/18", "13/18", "12/18", "12/18"]


def test_a_unit_with_few_persons_shows_no_figure() -> None:
    world = make_world()
    for _ in range(3):
        _covered(world, unit="psyk")
    for _ in range(6):
        _covered(world)
    figures = run(COORDINATED_NEEDS_COVERAGE, world, WINDOW, unit_id=world.units["psyk"].pk)
    assert figures["need"] == ["small"] * 4
    assert figures["plan"] == ["small"] * 4
    whole = run(COORDINATED_NEEDS_COVERAGE, world, WINDOW)
    assert whole["need"] == ["9"] * 4
    assert whole["plan"] == ["9/9"] * 4
