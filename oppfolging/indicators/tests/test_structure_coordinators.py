"""Coordinators, their training and their caseload: exact figures in a small known situation.

The window is January to March 2025 by month; each month is read at the end of its last day
(31 January, 28 February, 31 March) and the whole period at 31 March.

- A1-A10 coordinate one person each from 10 January; A10's team closes on 15 March.
- C coordinates six persons from 5 January; one of those assignments ends on 20 February.
- B coordinates three persons from 10 February; E1-E3 three each from 1 March.
- D is only proposed (never started) and is no coordinator.
- Training: A1-A5 on 1 June 2024 (inside 12 months all quarter); A6 on 1 March 2022 (inside
  36 months at the end of January and February, not March); C on 15 February 2025; B has only
  supervision; A7 has a training in another municipality's registry.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators.base import Cell, Scope, Step, Window
from oppfolging.indicators.definitions.structure import CASELOAD, COORDINATOR_TRAINING
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, CoordinatorTraining

pytestmark = pytest.mark.django_db

WINDOW = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Step.MONTH)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _user(world: World, name: str) -> User:
    return User.objects.create_user(username=f"{world.municipality.number}-{name}", first_name=name)


def _coordinate(
    world: World,
    user: User,
    start: datetime.date | None,
    *,
    end: datetime.date | None = None,
    closed: datetime.date | None = None,
    age: int = 40,
) -> None:
    person = world.person("Koordinert", age=age)
    with unscoped():
        team = CareTeam.objects.create(
            municipality=world.municipality, person=person, closed_at=_at(closed) if closed else None
        )
        if start is None:
            status = AssignmentStatus.PROPOSED
        else:
            status = AssignmentStatus.ENDED if end else AssignmentStatus.ACTIVE
        CoordinatorAssignment.objects.create(
            municipality=world.municipality,
            team=team,
            coordinator=user,
            status=status,
            proposed_by=world.ke,
            started_at=_at(start) if start else None,
            ended_at=_at(end) if end else None,
        )


def _train(
    world: World, user: User, day: datetime.date, kind: str = CoordinatorTraining.Kind.TRAINING
) -> None:
    CoordinatorTraining.objects.create(
        user=user, municipality=world.municipality, kind=kind, held_on=day, description="Koordinatoropplæring"
    )


def _world() -> tuple[World, dict[str, User]]:
    world = make_world()
    users = {
        name: _user(world, name)
        for name in [*(f"A{i}" for i in range(1, 11)), "B", "C", "D", "E1", "E2", "E3"]
    }
    for i in range(1, 11):
        closed = datetime.date(2025, 3, 15) if i == 10 else None
        _coordinate(world, users[f"A{i}"], datetime.date(2025, 1, 10), closed=closed)
    for i in range(6):
        end = datetime.date(2025, 2, 20) if i == 0 else None
        _coordinate(world, users["C"], datetime.date(2025, 1, 5), end=end)
    for _ in range(3):
        _coordinate(world, users["B"], datetime.date(2025, 2, 10), age=10)
        for name in ("E1", "E2", "E3"):
            _coordinate(world, users[name], datetime.date(2025, 3, 1))
    _coordinate(world, users["D"], None)
    for i in range(1, 6):
        _train(world, users[f"A{i}"], datetime.date(2024, 6, 1))
    _train(world, users["A6"], datetime.date(2022, 3, 1))
    _train(world, users["C"], datetime.date(2025, 2, 15))
    _train(world, users["B"], datetime.date(2025, 1, 20), CoordinatorTraining.Kind.SUPERVISION)
    other = make_world("9912", "Andrevik kommune")
    _train(other, users["A7"], datetime.date(2025, 1, 2))
    return world, users


def _show(cell: Cell) -> str:
    if cell.hidden:
        return cell.hidden
    if cell.kind == "share":
        return f"{cell.numerator}/{cell.denominator}"
    return str(cell.value)


def _figures(world: World, indicator: object, scope: Scope | None = None) -> dict[str, list[str]]:
    from oppfolging.indicators.base import Indicator

    assert isinstance(indicator, Indicator)
    with municipality_scope(world.municipality):
        outcome = indicator.run(scope or Scope(world.municipality.pk), WINDOW)
    return {line.key: [_show(c) for c in line.all_cells] for line in outcome.lines}


def test_coordinators_and_their_training_at_the_end_of_each_month() -> None:
    world, _users = _world()
    figures = _figures(world, COORDINATOR_TRAINING)
    # January: A1-A10 and C = 11; February: B joins = 12; March: A10's team closed, E1-E3 join = 14.
    assert figures["coordinators"] == ["11", "12", "14", "14"]
    # 12 months: A1-A5, and C from her training on 15 February.
    assert figures["trained_12"] == ["5/11", "6/12", "6/14", "6/14"]
    # 36 months: A6 counts until his training is more than 36 months old at the end of March.
    assert figures["trained_36"] == ["6/11", "7/12", "6/14", "6/14"]


def test_caseload_distribution_with_the_complement_hidden() -> None:
    world, _users = _world()
    figures = _figures(world, CASELOAD)
    # January: ten with one person, C with six (1: "<5", so the smallest other count is hidden
    # too); February: B with three, C with five (2: hidden, and the ten with it); March: B, C
    # and E1-E3 with 3-5, A1-A9 with one.
    assert figures["one_to_two"] == ["complement", "complement", "9", "9"]
    assert figures["three_to_five"] == ["0", "small", "5", "5"]
    assert figures["six_or_more"] == ["small", "0", "0", "0"]


def test_a_unit_counts_its_own_members() -> None:
    world, users = _world()
    unit = world.units["psyk"]
    for name in ("B", "C", "E1", "E2", "E3"):
        Membership.objects.create(user=users[name], unit=unit, role=Role.COORDINATOR)
    Membership.objects.create(user=users["A1"], unit=unit, role=Role.COORDINATOR, is_active=False)
    scope = Scope(world.municipality.pk, unit_id=unit.pk)
    figures = _figures(world, COORDINATOR_TRAINING, scope)
    assert figures["coordinators"] == ["small", "small", "5", "5"]
    assert figures["trained_12"] == ["small", "small", "small", "small"]
    caseload = _figures(world, CASELOAD, scope)
    assert caseload["three_to_five"] == ["0", "small", "5", "5"]


def test_a_target_group_counts_only_its_persons() -> None:
    world, _users = _world()
    # Only B's three persons are children.
    figures = _figures(world, CASELOAD, Scope(world.municipality.pk, group="children"))
    assert figures["three_to_five"] == ["0", "small", "small", "small"]
    assert figures["one_to_two"] == ["0", "0", "0", "0"]


def test_one_query_each_whatever_the_number_of_buckets() -> None:
    world, _users = _world()
    for indicator in (COORDINATOR_TRAINING, CASELOAD):
        with municipality_scope(world.municipality), CaptureQueriesContext(connection) as queries:
            indicator.run(Scope(world.municipality.pk), WINDOW)
        assert len(queries) == 1
