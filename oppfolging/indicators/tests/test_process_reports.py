"""Reports that reached an assessment: exact figures in a small known situation."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.core.tenancy import municipality_scope
from oppfolging.indicators.base import Scope, Step, Window
from oppfolging.indicators.definitions.process import REPORTS_ASSESSED
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.referrals.models import Assessment, NeedReport

pytestmark = pytest.mark.django_db

JAN = datetime.date(2025, 1, 15)
FEB = datetime.date(2025, 2, 15)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _report(world: World, day: datetime.date, *, assessed: bool, unit: str | None = None) -> None:
    person = world.person("Melding")
    report = world.report(person, unit=unit)
    with municipality_scope(world.municipality):
        NeedReport.objects.filter(pk=report.pk).update(received_at=_at(day))
    if assessed:
        assessment = world.assessment(person)
        with municipality_scope(world.municipality):
            Assessment.objects.filter(pk=assessment.pk).update(report=report, started_at=_at(day))


def _run(world: World, scope: Scope | None = None) -> dict[str, list[str]]:
    window = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Step.MONTH)
    with municipality_scope(world.municipality):
        outcome = REPORTS_ASSESSED.run(scope or Scope(world.municipality.pk), window)
    return {line.key: [_show(c) for c in line.all_cells] for line in outcome.lines}


def _show(cell: object) -> str:
    from oppfolging.indicators.base import Cell

    assert isinstance(cell, Cell)
    if cell.hidden:
        return cell.hidden
    if cell.kind == "share":
        return f"{cell.numerator}/{cell.denominator}"
    return str(cell.value)


def test_exact_counts_and_shares_per_month() -> None:
    world = make_world()
    for _ in range(6):
        _report(world, JAN, assessed=True)
    for _ in range(4):
        _report(world, JAN, assessed=False)
    for _ in range(7):
        _report(world, FEB, assessed=False)
    _report(world, datetime.date(2024, 12, 31), assessed=True)  # before the period: not counted
    figures = _run(world)
    # January 10 received, 6 assessed (4 without: the complement is small, so the share hides);
    # February 7, none; March none; the period 17, 6.
    assert figures["received"] == ["10", "7", "0", "17"]
    assert figures["assessed"] == ["complement", "0/7", "0/0", "6/17"]


def test_a_unit_counts_only_its_own_reports() -> None:
    world = make_world()
    unit = next(iter(world.units))
    for _ in range(5):
        _report(world, JAN, assessed=True, unit=unit)
    for _ in range(3):
        _report(world, JAN, assessed=False)
    figures = _run(world, Scope(world.municipality.pk, unit_id=world.units[unit].pk))
    assert figures["received"] == ["5", "0", "0", "5"]
    assert figures["assessed"] == ["5/5", "0/0", "0/0", "5/5"]


def test_an_assessment_opened_without_the_report_answers_it_when_it_started_after() -> None:
    world = make_world()
    for _ in range(5):
        person = world.person("Uten kobling")
        report = world.report(person)
        assessment = world.assessment(person)
        with municipality_scope(world.municipality):
            NeedReport.objects.filter(pk=report.pk).update(received_at=_at(JAN))
            Assessment.objects.filter(pk=assessment.pk).update(started_at=_at(FEB))
    for _ in range(5):  # the assessment came before the report: not an answer to it
        earlier = world.person("Kartlagt før")
        report = world.report(earlier)
        assessment = world.assessment(earlier)
        with municipality_scope(world.municipality):
            NeedReport.objects.filter(pk=report.pk).update(received_at=_at(JAN))
            Assessment.objects.filter(pk=assessment.pk).update(started_at=_at(datetime.date(2025, 1, 2)))
    figures = _run(world)
    assert figures["received"] == ["10", "0", "0", "10"]
    assert figures["assessed"] == ["5/10", "0/0", "0/0", "5/10"]
