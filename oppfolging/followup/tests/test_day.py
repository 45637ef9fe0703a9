"""The coordinator's day: each signal and its window, overdue first, on the day page and the start
page, audited per person, and a fixed number of queries however many persons."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.day_selectors import coordinator_day
from oppfolging.followup.signal_selectors import SignalKind
from oppfolging.followup.tests import builders as b
from oppfolging.plans.models import Evaluation, PeriodStatus, PlanStatus
from oppfolging.teams.tests.test_team_support import actor

pytestmark = pytest.mark.django_db

DAY = "/oppfolging/min-dag/"


def _rows(cast, user="fjordvik-koordinator"):
    with unscoped():
        return {row.person.given_name: row for row in coordinator_day(actor=actor(cast.users[user]))}


def _kinds(row):
    return {s.kind for s in row.signals}


def test_every_kind_of_signal_is_shown(cast):
    b.loaded(cast, 1)
    row = _rows(cast)["Dag01"]
    assert _kinds(row) == {
        SignalKind.EVALUATION_OVERDUE,
        SignalKind.MEASURE_OVERDUE,
        SignalKind.PERIOD_ENDING,
        SignalKind.CONSENT_EXPIRING,
        SignalKind.MINUTES_CORRECTIONS,
        SignalKind.CHANGE_REQUEST,
        SignalKind.MEDICATION_REVIEW,
        SignalKind.CHANGED_NEED,
    }
    assert row.overdue
    assert row.signals[0].overdue, "overdue signals come first"
    medication = next(s for s in row.signals if s.kind == SignalKind.MEDICATION_REVIEW)
    assert "fastlegeforskriften § 25" in medication.text


def test_overdue_persons_come_first(cast):
    calm = b.coordinated(cast, "Rolig", serial=811)
    b.plan(cast, calm, due_in=3, ends_in=60)
    late = b.coordinated(cast, "Sen", serial=812)
    b.plan(cast, late, due_in=-1, ends_in=60)
    nothing = b.coordinated(cast, "Ingenting", serial=813)
    b.plan(cast, nothing, due_in=40)
    with unscoped():
        rows = coordinator_day(actor=actor(cast.users["fjordvik-koordinator"]))
    names = [row.person.given_name for row in rows]
    assert names.index("Sen") < names.index("Rolig") < names.index("Ingenting")
    by_name = {row.person.given_name: row for row in rows}
    assert _kinds(by_name["Rolig"]) == {SignalKind.EVALUATION_DUE}
    assert _kinds(by_name["Sen"]) == {SignalKind.EVALUATION_OVERDUE}
    assert not by_name["Ingenting"].signals, "an evaluation 40 days away is not due yet"
    assert by_name["Ingenting"].next_evaluation is not None


@pytest.mark.parametrize(
    ("setup", "shown"),
    [
        (lambda cast, p: b.plan(cast, p, due_in=14), True),
        (lambda cast, p: b.plan(cast, p, due_in=15), False),
        (lambda cast, p: b.expiring_consent(cast, p, in_days=30), True),
        (lambda cast, p: b.expiring_consent(cast, p, in_days=31), False),
        (lambda cast, p: b.plan(cast, p, due_in=60, ends_in=14), True),
        (lambda cast, p: b.plan(cast, p, due_in=60, ends_in=15), False),
        (lambda cast, p: b.medicines(cast, p, 4), True),
        (lambda cast, p: b.medicines(cast, p, 3), False),
        (lambda cast, p: b.medicines(cast, p, 4, reviewed_on=b.days(-30)), False),
        (lambda cast, p: b.medicines(cast, p, 4, reviewed_on=b.days(-400)), True),
    ],
    ids=[
        "evaluation in 14 days",
        "evaluation in 15 days",
        "consent expires in 30 days",
        "consent expires in 31 days",
        "period ends in 14 days",
        "period ends in 15 days",
        "four regular medicines",
        "three regular medicines",
        "reviewed a month ago",
        "reviewed over a year ago",
    ],
)
def test_signal_windows(cast, setup, shown):
    person = b.coordinated(cast, "Vindu", serial=820)
    setup(cast, person)
    row = _rows(cast)["Vindu"]
    assert bool(row.signals) is shown


def test_what_is_settled_gives_no_signal(cast):
    person = b.coordinated(cast, "Ferdig", serial=821)
    period = b.plan(cast, person, due_in=-5, measure_due_in=-5)
    with unscoped():
        Evaluation.objects.create(
            municipality_id=person.municipality_id,
            period=period,
            held_on=b.days(-1),
            recorded_by=cast.users["fjordvik-koordinator"],
        )
        period.status = PeriodStatus.EVALUATED
        period.save()
    assert not _rows(cast)["Ferdig"].signals, "an evaluated period's evaluation and measures are settled"


def test_a_closed_plan_gives_no_plan_signals(cast):
    person = b.coordinated(cast, "Lukket", serial=822)
    b.plan(cast, person, due_in=-5, measure_due_in=-5, status=PlanStatus.CLOSED)
    assert not _rows(cast)["Lukket"].signals


def test_only_the_coordinators_own_persons_are_listed(cast):
    b.loaded(cast, 2)
    assert "Dag02" not in _rows(cast, "fjordvik-team"), "a team member is not the coordinator"
    assert _rows(cast, "fjordvik-ke") == {}


def test_the_day_page_and_the_start_page_show_the_list_and_audit_each_person(cast):
    person = b.loaded(cast, 3)
    client = cast.client("fjordvik-koordinator")
    page = client.get(DAY)
    assert page.status_code == 200
    html = page.content.decode()
    assert person.full_name in html
    assert "Forsinket" in html
    home = client.get("/").content.decode()
    assert person.full_name in home
    assert "Min dag" in home
    with unscoped():
        rows = AuditEvent.objects.filter(what="followup.day", person=person, action="view")
        assert rows.count() == 2
        assert {row.role for row in rows} == {"coordinator"}


def test_someone_who_coordinates_nobody_gets_an_empty_day(cast):
    page = cast.client("fjordvik-leder").get(DAY)
    assert page.status_code == 200
    assert "Du er ikke koordinator for noen ennå." in page.content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [DAY, "/"], ids=["day page", "start page"])
def test_the_query_count_does_not_grow_with_persons(cast, url):
    client = cast.client("fjordvik-koordinator")
    for i in range(3):
        b.loaded(cast, i)
    client.get(url)  # warm up: session, content types
    few = _count(client, url)
    for i in range(3, 30):
        b.loaded(cast, i)
    many = _count(client, url)
    assert many == few, f"{few} queries with 3 persons, {many} with 30"
