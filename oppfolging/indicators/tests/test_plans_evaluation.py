"""Evaluations held by their checkpoint, and plans with no evaluation in six months: exact
figures per month."""

from __future__ import annotations

import pytest

from oppfolging.indicators.base import Step, Window
from oppfolging.indicators.definitions.plans import EVALUATION_ON_TIME, NO_EVALUATION_6M
from oppfolging.indicators.tests.plans_builders import d, period, plan, run
from oppfolging.overview.tests.builders import World, make_world

pytestmark = pytest.mark.django_db

WINDOW = Window.of(d(1, 1), d(3, 31), Step.MONTH)
JANUARY_2 = d(1, 2)


def _checkpoints(world: World) -> None:
    def one(due, held=None, *, activated=JANUARY_2, closed=None):
        period(world, plan(world, world.person("Periode"), activated, closed), due, held)

    for _ in range(6):
        one(d(1, 20), d(1, 18))
    one(d(1, 20), d(1, 25))  # late
    for _ in range(4):
        one(d(1, 20))  # never held
    for _ in range(5):
        one(d(2, 14), d(2, 14))  # on the day itself: in time
    for _ in range(2):
        one(d(2, 14), d(2, 20))
    one(d(2, 14), closed=d(2, 14))  # closed on the checkpoint day, not evaluated: counts, late
    one(d(2, 14), closed=d(2, 1))  # closed before the checkpoint: not counted
    one(d(1, 20), activated=None)  # a draft: not counted
    one(d(1, 20), d(1, 19), activated=d(1, 25))  # activated after the checkpoint: not counted
    one(d(3, 25), d(3, 20))
    one(d(4, 2), d(4, 1))  # after the period


def test_evaluations_held_by_the_checkpoint() -> None:
    world = make_world()
    _checkpoints(world)
    figures = run(EVALUATION_ON_TIME, world, WINDOW)
    assert figures["due"] == ["11", "8", "small", "20"]
    # January 6 of 11; February 5 of 8 (3 late: the complement is small); March 1 of 1.
    assert figures["on_time"] == ["6/11", "complement", "small", "12/20"]


def test_a_checkpoint_not_yet_passed_is_not_counted() -> None:
    world = make_world()
    _checkpoints(world)
    figures = run(EVALUATION_ON_TIME, world, WINDOW, today=d(3, 25))
    assert figures["due"] == ["11", "8", "0", "19"]
    assert figures["on_time"] == ["6/11", "complement", "0/0", "11/19"]


def _six_month_plans(world: World) -> None:
    def one(activated, *held, closed=None):
        care_plan = plan(world, world.person("Plan"), activated, closed)
        for number, day in enumerate(held, start=1):
            period(world, care_plan, day, day, number=number)

    june = d(6, 1, 2024)
    for _ in range(5):
        one(june, d(6, 20, 2024))  # evaluated once, long ago
    for _ in range(6):
        one(june, d(1, 15))  # evaluated in January
    one(june, d(8, 15, 2024))  # within six months of 31 January, not of 28 February
    one(d(8, 20, 2024))  # six months old only from February
    one(june, closed=d(2, 10))  # closed in February: January only
    one(d(12, 1, 2024))  # too young all along
    one(june, d(7, 31, 2024))  # exactly six months before 31 January: not within them
    one(june, d(1, 31))  # on the day itself: within them
    one(d(9, 20, 2024))  # six months old only at the end of March


def test_plans_without_evaluation_in_six_months() -> None:
    world = make_world()
    _six_month_plans(world)
    figures = run(NO_EVALUATION_6M, world, WINDOW)
    assert figures["without"] == ["7", "8", "9", "9"]
    assert figures["share"] == ["7/15", "8/15", "9/16", "9/16"]


def test_the_month_still_running_is_read_today() -> None:
    world = make_world()
    _six_month_plans(world)
    figures = run(NO_EVALUATION_6M, world, WINDOW, today=d(3, 10))
    # On 10 March the plan activated on 20 September is not yet six months old.
    assert figures["without"] == ["7", "8", "8", "8"]
    assert figures["share"] == ["7/15", "8/15", "8/15", "8/15"]


def test_few_plans_without_evaluation_are_suppressed() -> None:
    world = make_world()
    june = d(6, 1, 2024)
    for _ in range(3):
        plan(world, world.person("Plan"), june)
    for _ in range(3):
        period(world, plan(world, world.person("Plan"), june), d(3, 1), d(3, 1))
    figures = run(NO_EVALUATION_6M, world, WINDOW)
    # January and February: all 6 without (the share's complement is 0); March: 3 of 6.
    assert figures["without"] == ["6", "6", "small", "small"]
    assert figures["share"] == ["6/6", "6/6", "small", "small"]
