"""Interim replies (forvaltningsloven § 11 a): reports counted in the month their 30 days ran
out, when they were not decided or closed by then, and the share that got an interim reply in
time. Exact figures per month, the mark's edge at midnight in Oslo, and a small cell hidden."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.indicators.definitions.process import INTERIM_REPLY
from oppfolging.indicators.tests.test_process_support import at, report, run
from oppfolging.overview.tests.builders import World, make_world

pytestmark = pytest.mark.django_db

DEC_10 = datetime.date(2024, 12, 10)  # 30 days later: 9 January
JAN_15 = datetime.date(2025, 1, 15)  # 14 February
FEB_15 = datetime.date(2025, 2, 15)  # 17 March


def _reported(world: World, received: datetime.datetime, **fields: datetime.datetime) -> None:
    report(world, world.person("Søker"), received, **fields)


def test_interim_replies_by_the_month_the_month_ran_out() -> None:
    world = make_world()
    # January: five replied in time; five not (none, none, decided late, replied late, and one
    # received at 23:59 on 1 January in Oslo, whose month ends at 23:59 on 31 January).
    for _ in range(5):
        _reported(world, at(DEC_10), interim_reply_at=at(datetime.date(2024, 12, 20)))
    for _ in range(2):
        _reported(world, at(DEC_10))
    _reported(world, at(DEC_10), decided_at=at(datetime.date(2025, 1, 20)))
    _reported(world, at(DEC_10), interim_reply_at=at(datetime.date(2025, 1, 15)))
    _reported(world, at(datetime.date(2025, 1, 1), 22, 59))
    # Settled within the month: no reply was due.
    _reported(world, at(DEC_10), decided_at=at(datetime.date(2024, 12, 30)))
    _reported(world, at(DEC_10), closed_at=at(datetime.date(2024, 12, 20)))
    _reported(world, at(DEC_10), decided_at=at(datetime.date(2025, 1, 9)))  # on the mark itself
    # February: two replied, one received at midnight on 2 January in Oslo without a reply.
    for _ in range(2):
        _reported(world, at(JAN_15), interim_reply_at=at(datetime.date(2025, 2, 1)))
    _reported(world, at(datetime.date(2025, 1, 1), 23, 0))
    # March: six replied.
    for _ in range(6):
        _reported(world, at(FEB_15), interim_reply_at=at(datetime.date(2025, 2, 20)))
    # The month ran out outside the period.
    _reported(world, at(datetime.date(2024, 11, 1)))
    _reported(world, at(datetime.date(2025, 3, 5)))

    figures = run(INTERIM_REPLY, world)
    assert figures["due"] == ["10", "small", "6", "19"]
    assert figures["replied"] == ["5/10", "small", "6/6", "13/19"]
