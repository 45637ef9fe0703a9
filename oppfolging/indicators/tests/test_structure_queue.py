"""The queue of reports of need: its length, median age and oldest report at the end of each
month, exact figures in a small known situation (January to March 2025, by month).

R1-R5 arrive 1, 6, 11, 16 and 21 January; R1 is decided 10 February, R2 closed 20 February, R3
decided 15 March. R6-R8 arrive 5, 15 and 25 February (R6 and R7 from home care). Never in the
queue: R9 (arrived and decided in December), R10 (a changed need of 20 January routed to the
person's coordinator: the coordinator's, not the queue's), R11 (status decided, no date), R12
(arrives in April).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators.base import Cell, Scope, Step, Window
from oppfolging.indicators.definitions.structure import KE_QUEUE
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.referrals.models import NeedReport, ReportKind, ReportStatus, Routing

pytestmark = pytest.mark.django_db

WINDOW = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Step.MONTH)


def _at(month: int, day: int, year: int = 2025) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def _report(
    world: World,
    received: datetime.datetime,
    *,
    decided: datetime.datetime | None = None,
    closed: datetime.datetime | None = None,
    status: str = ReportStatus.RECEIVED,
    unit: str | None = None,
) -> NeedReport:
    report = world.report(world.person("Melding"), unit=unit, status=status)
    with unscoped():
        NeedReport.objects.filter(pk=report.pk).update(
            received_at=received, decided_at=decided, closed_at=closed
        )
    report.refresh_from_db()
    return report


def _world() -> World:
    world = make_world()
    _report(world, _at(1, 1), decided=_at(2, 10), status=ReportStatus.DECIDED)
    _report(world, _at(1, 6), closed=_at(2, 20), status=ReportStatus.CLOSED)
    _report(world, _at(1, 11), decided=_at(3, 15), status=ReportStatus.DECIDED)
    _report(world, _at(1, 16), status=ReportStatus.BEING_ASSESSED)
    _report(world, _at(1, 21))
    _report(world, _at(2, 5), unit="hjemme")
    _report(world, _at(2, 15), unit="hjemme")
    _report(world, _at(2, 25))
    _report(world, _at(12, 1, 2024), decided=_at(12, 20, 2024), status=ReportStatus.DECIDED)
    changed = _report(world, _at(1, 20))
    with unscoped():
        NeedReport.objects.filter(pk=changed.pk).update(
            kind=ReportKind.CHANGED_NEED, routing=Routing.COORDINATOR
        )
    _report(world, _at(1, 3), status=ReportStatus.DECIDED)
    _report(world, _at(4, 2))
    return world


def _show(cell: Cell) -> str:
    return cell.hidden or str(cell.value)


def _figures(world: World, scope: Scope | None = None) -> dict[str, list[str]]:
    with municipality_scope(world.municipality):
        outcome = KE_QUEUE.run(scope or Scope(world.municipality.pk), WINDOW)
    return {line.key: [_show(c) for c in line.all_cells] for line in outcome.lines}


def test_length_median_and_oldest_at_the_end_of_each_month() -> None:
    figures = _figures(_world())
    # 31 January: R1-R5, aged 30, 25, 20, 15, 10 days.
    # 28 February: R3-R8, aged 48, 43, 38, 23, 13, 3 (median: the 3rd youngest).
    # 31 March: R4-R8, aged 74, 69, 54, 44 and 34.
    assert figures["queued"] == ["5", "6", "5", "5"]
    assert figures["median_age"] == ["20", "23", "54", "54"]
    assert figures["oldest_age"] == ["30", "48", "74", "74"]


def test_a_unit_counts_the_reports_it_sent_and_small_queues_hide_their_ages() -> None:
    world = _world()
    figures = _figures(world, Scope(world.municipality.pk, unit_id=world.units["hjemme"].pk))
    assert figures["queued"] == ["0", "small", "small", "small"]
    assert figures["median_age"] == ["few", "few", "few", "few"]
    assert figures["oldest_age"] == ["few", "few", "few", "few"]


def test_one_query_whatever_the_number_of_buckets() -> None:
    world = _world()
    with municipality_scope(world.municipality), CaptureQueriesContext(connection) as queries:
        KE_QUEUE.run(Scope(world.municipality.pk), WINDOW)
    assert len(queries) == 1
