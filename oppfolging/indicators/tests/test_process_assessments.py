"""What completed assessments record: the person's own answer, information about team, IP and
coordinator, minor children as next of kin, and an interpreter where one is needed. Exact
shares per month of completion, with the small cells hidden."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.core.tenancy import unscoped
from oppfolging.indicators.definitions.process import INFORMED, INTERPRETER, MINOR_CHILDREN, OWN_ANSWER
from oppfolging.indicators.tests.test_process_support import FEB, JAN, assessment, at, completed, run
from oppfolging.overview.tests.builders import make_world
from oppfolging.referrals.models import Answer, Assessment
from oppfolging.referrals.tests.test_assessment_support import open_assessment, url

pytestmark = pytest.mark.django_db

DECEMBER = datetime.date(2024, 12, 10)


def test_own_answer_to_what_matters() -> None:
    world = make_world()
    for _ in range(6):
        completed(world, JAN, wishes="Å bo hjemme.")
    completed(world, JAN, wishes=" \n ")  # only white space: no answer
    for _ in range(5):
        completed(world, FEB, wishes="Gå tur med hunden.")
    for _ in range(5):
        completed(world, FEB)
    assessment(world, world.person("Pågår"), at(JAN), wishes="Underveis.")  # not completed
    completed(world, DECEMBER, wishes="Før perioden.")

    figures = run(OWN_ANSWER, world)
    assert figures["among"] == ["7", "10", "0", "17"]
    # January 6 of 7 (one without: the complement tells who), February 5 of 10.
    assert figures["share"] == ["complement", "5/10", "0/0", "11/17"]


def test_informed_about_team_plan_and_coordinator() -> None:
    world = make_world()
    for informed in [True] * 5 + [False] * 5:
        completed(world, JAN, informed_about_ip_and_coordinator=informed)
    for informed in [True] * 2 + [False] * 5:
        completed(world, FEB, informed_about_ip_and_coordinator=informed)
    completed(world, DECEMBER, informed_about_ip_and_coordinator=True)

    figures = run(INFORMED, world)
    assert figures["among"] == ["10", "7", "0", "17"]
    assert figures["share"] == ["5/10", "small", "0/0", "7/17"]


def test_minor_children_as_next_of_kin_attended_to() -> None:
    world = make_world()
    yes = Answer.YES
    for _ in range(6):
        completed(world, JAN, minor_children_as_next_of_kin=yes, minor_children_attended_to="Barneansvarlig.")
    completed(world, JAN, minor_children_as_next_of_kin=yes, minor_children_attended_to="  ")
    for _ in range(3):
        completed(world, JAN, minor_children_as_next_of_kin=Answer.NO)
    completed(world, JAN)  # not answered
    for _ in range(5):
        completed(
            world, FEB, minor_children_as_next_of_kin=yes, minor_children_attended_to="Helsesykepleier."
        )
    for _ in range(5):
        completed(world, FEB, minor_children_as_next_of_kin=yes)

    figures = run(MINOR_CHILDREN, world)
    assert figures["among"] == ["7", "10", "0", "17"]
    assert figures["share"] == ["complement", "5/10", "0/0", "11/17"]


def test_interpreter_used_where_needed() -> None:
    world = make_world()
    for used in [True] * 5 + [False] * 5:
        completed(world, JAN, interpreter_needed=True, interpreter_used=used)
    for _ in range(3):
        completed(world, JAN)
    completed(world, JAN, interpreter_used=True)  # not recorded as needed: not counted
    for _ in range(3):
        completed(world, FEB, interpreter_needed=True, interpreter_used=True)

    figures = run(INTERPRETER, world)
    assert figures["among"] == ["10", "small", "0", "13"]
    assert figures["share"] == ["5/10", "small", "0/0", "8/13"]


def test_interpreter_used_is_recorded_on_the_assessment_form(cast):
    made = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    page = client.get(url("detail", made)).content.decode()
    assert 'name="circumstances-interpreter_used"' in page
    response = client.post(
        url("circumstances", made),
        {
            "circumstances-version": 1,
            "circumstances-interpreter_needed": "on",
            "circumstances-interpreter_used": "on",
        },
    )
    assert response.status_code == 302
    with unscoped():
        stored = Assessment.objects.get(pk=made.pk)
    assert stored.interpreter_needed
    assert stored.interpreter_used
