"""Experienced quality: exact figures from the survey in a small known situation, each person
counted once per bucket with their latest answer, «vet ikke» left out, and small cells hidden."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.function.models import SURVEY_FIELDS, ExperienceSurvey
from oppfolging.indicators.base import Cell, Scope, Step, Window
from oppfolging.indicators.definitions.outcomes import EXPERIENCED_QUALITY
from oppfolging.overview.groups import TargetGroup
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.people.models import Person

pytestmark = pytest.mark.django_db

WINDOW = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Step.MONTH)


def _answer(
    world: World, person: Person, day: datetime.date, benefit: int | None, decisions: int = 4
) -> None:
    """An answer with ``benefit`` for the overall benefit, ``decisions`` for taking part in
    decisions, and 3 for the other four questions."""
    values: dict[str, int | None] = dict.fromkeys(SURVEY_FIELDS, 3)
    values.update(benefit=benefit, decisions=decisions)
    with unscoped():
        ExperienceSurvey.objects.create(
            municipality=world.municipality,
            person=person,
            answered_on=day,
            entered_by=world.staff,
            entered_by_kind="person",
            **values,
        )


def _show(cell: Cell) -> str:
    if cell.hidden:
        return cell.hidden
    if cell.kind == "share":
        return f"{cell.numerator}/{cell.denominator}"
    if cell.kind == "stat":
        return "-" if cell.value is None else f"{cell.value:.4f} (n={cell.n})"
    return str(cell.value)


def _run(world: World, scope: Scope | None = None) -> dict[str, list[str]]:
    with municipality_scope(world.municipality):
        outcome = EXPERIENCED_QUALITY.run(scope or Scope(world.municipality.pk), WINDOW)
    return {line.key: [_show(cell) for cell in line.all_cells] for line in outcome.lines}


def _situation(world: World) -> list[Person]:
    persons = [world.person(f"Svar{number}") for number in range(1, 13)]
    jan, feb = datetime.date(2025, 1, 10), datetime.date(2025, 2, 10)
    first = persons[0]
    _answer(world, first, datetime.date(2025, 1, 5), benefit=1, decisions=1)  # replaced by his later answer
    for person, benefit in zip(persons[:11], (5, 4, 4, 5, 4, 2, 3, 1, 3, 2, None), strict=True):
        _answer(world, person, jan, benefit)
    _answer(world, first, feb, benefit=1, decisions=2)
    _answer(world, persons[1], feb, benefit=5)
    _answer(world, persons[11], feb, benefit=4)
    _answer(world, persons[2], datetime.date(2024, 12, 31), benefit=1)  # before the period
    _answer(world, persons[3], datetime.date(2025, 4, 1), benefit=1)  # after it
    return persons


def test_exact_means_and_shares_per_month_and_for_the_period() -> None:
    world = make_world()
    _situation(world)
    figures = _run(world)
    # January: eleven persons (the first with his latest January answer); February: three;
    # March none. The period: twelve persons, each with their latest answer in it.
    assert figures["persons"] == ["11", "small", "0", "12"]
    # Overall benefit: January 5, 4, 4, 5, 4, 2, 3, 1, 3, 2 and one «vet ikke» (not counted):
    # mean 33/10, 5 of 10 answer 4 or 5. February rests on three persons: hidden. The period:
    # the first person's 1 and the second's 5 from February replace their January answers:
    # mean 34/11, 5 of 11.
    assert figures["benefit_mean"] == ["3.3000 (n=10)", "few", "few", f"{34 / 11:.4f} (n=11)"]
    assert figures["benefit_agree"] == ["5/10", "small", "0/0", "5/11"]
    # Taking part in decisions: 4 from everyone in January (the first person's earlier 1 is
    # replaced); in the period his latest is a 2: 11 of 12 agree, and the one who does not
    # could be found by subtraction, so the share hides. Mean 46/12.
    assert figures["decisions_mean"] == ["4.0000 (n=11)", "few", "few", f"{46 / 12:.4f} (n=12)"]
    assert figures["decisions_agree"] == ["11/11", "small", "0/0", "complement"]
    # The other questions: 3 from everyone, nobody agrees.
    assert figures["together_mean"] == ["3.0000 (n=11)", "few", "few", "3.0000 (n=12)"]
    assert figures["together_agree"] == ["0/11", "small", "0/0", "0/12"]


def test_the_main_line_is_the_overall_benefit_and_every_question_has_two_lines() -> None:
    world = make_world()
    with municipality_scope(world.municipality):
        outcome = EXPERIENCED_QUALITY.run(Scope(world.municipality.pk), WINDOW)
    assert [line.key for line in outcome.lines if line.main] == ["benefit_agree"]
    keys = [line.key for line in outcome.lines]
    for name in SURVEY_FIELDS:
        assert f"{name}_mean" in keys
        assert f"{name}_agree" in keys
    # An empty municipality: zeros, and no mean (one resting on no one is hidden as too few).
    figures = _run(world)
    assert figures["persons"] == ["0", "0", "0", "0"]
    assert figures["benefit_mean"] == ["few", "few", "few", "few"]
    assert figures["benefit_agree"] == ["0/0", "0/0", "0/0", "0/0"]


def test_a_target_group_counts_only_its_persons_and_another_municipality_is_not_seen() -> None:
    world = make_world()
    persons = _situation(world)
    young = world.person("Ung", age=15)
    _answer(world, young, datetime.date(2025, 1, 20), benefit=5)
    other = make_world("9912", "Annenvik kommune")
    for number in range(6):
        _answer(other, other.person(f"Annen{number}"), datetime.date(2025, 1, 10), benefit=5)
    assert _run(world)["persons"] == ["12", "small", "0", "13"]
    figures = _run(world, Scope(world.municipality.pk, group=TargetGroup.CHILDREN))
    assert figures["persons"] == ["small", "0", "0", "small"]
    assert persons  # the adults are left out of the group


def test_the_number_of_queries_does_not_depend_on_the_answers() -> None:
    world = make_world()
    scope = Scope(world.municipality.pk)
    counts = []
    for _round in range(2):
        _situation(world)
        with municipality_scope(world.municipality), CaptureQueriesContext(connection) as queries:
            EXPERIENCED_QUALITY.run(scope, WINDOW)
        counts.append(len(queries))
    assert counts == [2, 2]
