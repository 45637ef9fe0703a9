"""Plans with a goal in the person's own words: exact figures per month, read at each month's end."""

from __future__ import annotations

import pytest

from oppfolging.indicators.base import Step, Window
from oppfolging.indicators.definitions.plans import GOAL_OWN_WORDS
from oppfolging.indicators.tests.plans_builders import d, goal, plan, run
from oppfolging.overview.tests.builders import make_world
from oppfolging.plans.models import GoalStatus

pytestmark = pytest.mark.django_db

WINDOW = Window.of(d(1, 1), d(3, 31), Step.MONTH)


def test_share_of_active_plans_with_an_own_goal_at_each_month_end() -> None:
    world = make_world()
    for _ in range(6):  # an own goal written while the plan was a draft
        goal(world, plan(world, world.person("Eget"), d(1, 10)), d(1, 5))
    # Dropped on 12 February: counts in January only.
    goal(
        world,
        plan(world, world.person("Lagt bort"), d(1, 10)),
        d(1, 5),
        status=GoalStatus.DROPPED,
        changed=d(2, 12),
    )
    # Achieved: still the person's own goal.
    goal(
        world,
        plan(world, world.person("Nådd"), d(1, 10)),
        d(1, 5),
        status=GoalStatus.ACHIEVED,
        changed=d(2, 1),
    )
    # The own goal came on 20 February (the first one was not in the person's words).
    later = plan(world, world.person("Senere"), d(1, 10))
    goal(world, later, d(1, 5), own=False)
    goal(world, later, d(2, 20))
    # Closed on 5 February: counts in January, not in February or March.
    goal(world, plan(world, world.person("Avsluttet"), d(1, 10), closed=d(2, 5)), d(1, 5))
    # Activated in March, no own goal.
    goal(world, plan(world, world.person("Mars"), d(3, 3)), d(3, 1), own=False)
    for _ in range(5):  # active, only goals written by staff
        goal(world, plan(world, world.person("Stab"), d(1, 10)), d(1, 5), own=False)
    # A draft is not an active plan.
    goal(world, plan(world, world.person("Utkast"), None), d(1, 5))

    figures = run(GOAL_OWN_WORDS, world, WINDOW)

    assert figures["active"] == ["15", "14", "15", "15"]
    assert figures["own_words"] == ["9/15", "8/14", "8/15", "8/15"]


def test_few_plans_are_suppressed() -> None:
    world = make_world()
    for _ in range(3):
        goal(world, plan(world, world.person("Eget"), d(2, 10)), d(2, 1))
    for _ in range(7):
        goal(world, plan(world, world.person("Stab"), d(2, 10)), d(2, 1), own=False)
    figures = run(GOAL_OWN_WORDS, world, WINDOW)
    # January: no active plans (a zero is shown); from February 3 of 10.
    assert figures["active"] == ["0", "10", "10", "10"]
    assert figures["own_words"] == ["0/0", "small", "small", "small"]
