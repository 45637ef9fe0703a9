"""Admissions, bed days and service hours the year before versus the year after the team started:
exact figures in a small known situation from the imported extracts, the year's edges (day -365
and day -1 before, day 0 and day 364 after), the team's first day in Oslo time, persons without
imported data left out, teams whose year after is not over left out, and small cells hidden."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators.base import Cell, Scope, Step, Window
from oppfolging.indicators.definitions.outcomes import BEFORE_AFTER
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.people.models import Person
from oppfolging.risk.models import Contact, ContactKind, MunicipalService, RiskSubject
from oppfolging.teams.models import CareTeam

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
WINDOW = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), Step.QUARTER)
# 365 days before this day is 15 May 2025: teams started that day or earlier have a whole year after.
TODAY = datetime.date(2026, 5, 15)


def _team(world: World, person: Person, started: datetime.datetime) -> None:
    team = world.team(person)
    with unscoped():
        CareTeam.objects.filter(pk=team.pk).update(created_at=started)


def _subject(world: World, person: Person) -> RiskSubject:
    with unscoped():
        return RiskSubject.objects.create(
            municipality=world.municipality,
            national_id=person.national_id,
            birth_date=person.birth_date,
            sex="female",
            person=person,
        )


def _admission(
    world: World, subject: RiskSubject, on: str, stay: int | None, kind: str = ContactKind.EMERGENCY_ADMISSION
) -> None:
    with unscoped():
        Contact.objects.create(
            municipality=world.municipality,
            subject=subject,
            on=datetime.date.fromisoformat(on),
            kind=kind,
            length_of_stay=stay,
        )


def _service(world: World, subject: RiskSubject, hours: str, start: str, end: str | None) -> None:
    with unscoped():
        MunicipalService.objects.create(
            municipality=world.municipality,
            subject=subject,
            kind="hjemmesykepleie",
            hours_per_week=Decimal(hours),
            start=datetime.date.fromisoformat(start),
            end=datetime.date.fromisoformat(end) if end else None,
        )


def _started(world: World, name: str, started: datetime.datetime) -> Person:
    person = world.person(name)
    _team(world, person, started)
    return person


def _person(world: World, name: str, started: datetime.datetime) -> RiskSubject:
    """A person whose team started at ``started``, in the extracts."""
    return _subject(world, _started(world, name, started))


def _situation(world: World) -> None:
    feb = datetime.datetime(2025, 2, 1, 10, tzinfo=OSLO)
    a = _person(world, "Anne", feb)
    b = _person(world, "Berit", feb)
    c = _person(world, "Cecilie", feb)
    d = _person(world, "Dina", feb)
    # Half past midnight in Oslo on 1 March is still 28 February in UTC: her first day is 1 March.
    e = _person(world, "Eva", datetime.datetime(2025, 3, 1, 0, 30, tzinfo=OSLO))
    _started(world, "Ingen data", feb)  # started, but not in the extracts
    april = datetime.datetime(2025, 4, 10, 9, tzinfo=OSLO)
    f = _person(world, "Frida", april)
    _person(world, "Gro", april)
    # Her team started 20 May 2025: the year after is not over on 15 May 2026.
    h = _person(world, "Hanna", datetime.datetime(2025, 5, 20, 9, tzinfo=OSLO))
    # Anne (first day 1 Feb 2025): 1 Feb 2024 is day -366 (2024 is a leap year), 2 Feb 2024 day
    # -365, 31 Jan 2025 day -1, 1 Feb 2025 day 0, 1 Feb 2026 day 365.
    _admission(world, a, "2024-02-01", 9)
    _admission(world, a, "2024-02-02", 1)
    _admission(world, a, "2024-03-01", 4)
    _admission(world, a, "2025-01-31", 3)
    _admission(world, a, "2025-02-01", 2)
    _admission(world, a, "2026-02-01", 9)
    _admission(world, a, "2024-06-01", 10, kind=ContactKind.PLANNED_ADMISSION)  # planned: not counted
    _admission(world, a, "2024-07-01", None, kind=ContactKind.OUT_OF_HOURS)
    # Berit: two before (one without a recorded length of stay), none after.
    _admission(world, b, "2024-06-01", 5)
    _admission(world, b, "2024-12-01", None)
    # Dina: one after. Eva: 28 February is the day before her first day.
    _admission(world, d, "2025-06-01", 6)
    _admission(world, e, "2025-02-28", 1)
    _admission(world, f, "2025-05-01", 2)
    _admission(world, h, "2025-06-01", 30)  # not counted: her year after is not over
    # Services: Anne 7 h/week all along (365 days in each year: 365 hours each); Berit 14 h/week
    # from 1 Aug 2024 to 31 Jan 2025, 184 days before (368 hours); Cecilie 3.5 h/week for 14
    # days in March 2025 (7 hours after); Dina only in 2023 (nothing).
    _service(world, a, "7", "2024-01-01", None)
    _service(world, b, "14", "2024-08-01", "2025-01-31")
    _service(world, c, "3.5", "2025-03-01", "2025-03-14")
    _service(world, d, "10", "2023-01-01", "2023-12-31")
    _service(world, h, "20", "2024-01-01", None)


def _show(cell: Cell) -> str:
    if cell.hidden:
        return cell.hidden
    if cell.kind == "stat":
        return "-" if cell.value is None else f"{cell.value:.4f} (n={cell.n})"
    return str(cell.value)


def _run(world: World, today: datetime.date = TODAY) -> tuple[dict[str, list[str]], str]:
    with municipality_scope(world.municipality):
        outcome = BEFORE_AFTER.run(Scope(world.municipality.pk, today=today), WINDOW)
    return {line.key: [_show(cell) for cell in line.all_cells] for line in outcome.lines}, str(outcome.note)


def test_exact_means_before_and_after_per_quarter_and_for_the_period() -> None:
    world = make_world()
    _situation(world)
    other = make_world("9913", "Annenvik kommune")  # another municipality's data are not seen
    _admission(
        other, _person(other, "Olga", datetime.datetime(2025, 2, 1, 10, tzinfo=OSLO)), "2024-06-01", 50
    )
    figures, note = _run(world)
    assert note == ""
    # First quarter: six teams, five persons in the extracts. Second: two (Hanna's year after
    # is not over). The period: eight and seven.
    assert figures["started"] == ["6", "small", "8"]
    assert figures["with_data"] == ["5", "small", "7"]
    # Emergency admissions in the first quarter: before Anne 3, Berit 2, Eva 1 = 6; after
    # Anne 1, Dina 1 = 2; over five persons. The period adds Frida's one after, over seven.
    assert figures["admissions_before"] == ["1.2000 (n=5)", "few", f"{6 / 7:.4f} (n=7)"]
    assert figures["admissions_after"] == ["0.4000 (n=5)", "few", f"{3 / 7:.4f} (n=7)"]
    # Bed days: before 1 + 4 + 3 (Anne) + 5 (Berit) + 1 (Eva) = 14; after 2 + 6 = 8, and 10
    # with Frida's.
    assert figures["bed_days_before"] == ["2.8000 (n=5)", "few", "2.0000 (n=7)"]
    assert figures["bed_days_after"] == ["1.6000 (n=5)", "few", f"{10 / 7:.4f} (n=7)"]
    # Service hours: before 365 + 368 = 733; after 365 + 7 = 372.
    assert figures["hours_before"] == ["146.6000 (n=5)", "few", f"{733 / 7:.4f} (n=7)"]
    assert figures["hours_after"] == ["74.4000 (n=5)", "few", f"{372 / 7:.4f} (n=7)"]


def test_a_year_later_the_second_quarter_is_complete() -> None:
    world = make_world()
    _situation(world)
    figures, _note = _run(world, today=datetime.date(2026, 6, 30))
    # Hanna's year after is now over: three in the second quarter, still too few to show.
    assert figures["started"] == ["6", "small", "9"]
    assert figures["with_data"] == ["5", "small", "8"]
    assert figures["admissions_after"] == ["0.4000 (n=5)", "few", f"{4 / 8:.4f} (n=8)"]
    assert figures["hours_before"] == ["146.6000 (n=5)", "few", f"{(733 + 20 * 365 / 7) / 8:.4f} (n=8)"]
    # Before any year after is over, nobody is counted.
    figures, _note = _run(world, today=datetime.date(2026, 1, 31))
    assert figures["started"] == ["0", "0", "0"]
    assert figures["admissions_before"] == ["few", "few", "few"]


def test_without_imported_data_the_note_says_so() -> None:
    world = make_world()
    _started(world, "Uten", datetime.datetime(2025, 2, 1, 10, tzinfo=OSLO))
    figures, note = _run(world)
    assert "ikke lest inn uttrekk" in note
    assert figures["started"] == ["small", "0", "small"]
    assert figures["with_data"] == ["0", "0", "0"]


def test_the_number_of_queries_does_not_depend_on_the_data() -> None:
    world = make_world()
    scope = Scope(world.municipality.pk, today=TODAY)
    counts = []
    for _round in range(2):
        _situation_copy(world)
        with municipality_scope(world.municipality), CaptureQueriesContext(connection) as queries:
            BEFORE_AFTER.run(scope, WINDOW)
        counts.append(len(queries))
    assert counts == [4, 4]


def _situation_copy(world: World) -> None:
    for number in range(3):
        subject = _person(world, f"Kopi{number}", datetime.datetime(2025, 2, 1, 10, tzinfo=OSLO))
        _admission(world, subject, "2024-06-01", 3)
        _service(world, subject, "2", "2024-01-01", None)
