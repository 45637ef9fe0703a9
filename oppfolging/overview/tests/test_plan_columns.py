"""The overview's plan columns: the plan's status and the next evaluation, with overdue
evaluations marked and listed right after the overdue reports — at no cost per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.followup.tests import builders as b
from oppfolging.plans.models import PlanStatus

pytestmark = pytest.mark.django_db

URL = "/oversikt/"


def _rows(cast):
    response = cast.client("fjordvik-ke").get(URL)
    assert response.status_code == 200
    return response, {row.name: row for row in response.context["page"].rows}


def test_plan_status_and_next_evaluation_are_shown_and_overdue_ones_marked(cast):
    late = b.coordinated(cast, "Forsinket", serial=880)
    late_period = b.plan(cast, late, due_in=-3)
    calm = b.coordinated(cast, "Iorden", serial=881)
    calm_period = b.plan(cast, calm, due_in=20)
    draft = b.coordinated(cast, "Utkast", serial=882)
    b.plan(cast, draft, due_in=-3, status=PlanStatus.DRAFT)
    b.coordinated(cast, "Utenplan", serial=883)
    response, rows = _rows(cast)
    overdue = rows[late.full_name]
    assert (overdue.plan_status, overdue.next_evaluation_on, overdue.evaluation_overdue) == (
        "active",
        late_period.evaluation_due_on,
        True,
    )
    assert rows[calm.full_name].next_evaluation_on == calm_period.evaluation_due_on
    assert not rows[calm.full_name].evaluation_overdue
    assert rows[draft.full_name].plan_status_label == "Under arbeid"
    assert rows[draft.full_name].next_evaluation_on is None, "a draft plan is not evaluated"
    assert not rows[draft.full_name].evaluation_overdue
    assert rows["Utenplan Teamsen"].plan_status == ""
    page = response.context["page"]
    assert page.evaluation_overdue_total == 1
    names = [row.name for row in page.rows]
    first_not_overdue = next(
        i for i, row in enumerate(page.rows) if not row.overdue and not row.evaluation_overdue
    )
    assert names.index(late.full_name) < first_not_overdue
    html = response.content.decode()
    assert "Evaluering forsinket" in html
    assert "1 har en forsinket evaluering." in html
    assert "(kommer)" not in html


def _count(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_plan_columns_cost_nothing_per_row(cast):
    client = cast.client("fjordvik-ke")
    for i in range(3):
        b.plan(cast, b.coordinated(cast, f"Plan{i:02d}", serial=890 + i), due_in=-i)
    client.get(URL)
    few = _count(client)
    for i in range(3, 30):
        b.plan(cast, b.coordinated(cast, f"Plan{i:02d}", serial=890 + i), due_in=10 - i)
    assert _count(client) == few
