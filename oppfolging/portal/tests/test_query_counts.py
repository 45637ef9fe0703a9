"""The person's page runs a fixed number of queries however many goals, measures, comments,
meetings, PSFS scores and audit rows there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.tenancy import unscoped
from oppfolging.function import services as function_services
from oppfolging.plans import services
from oppfolging.plans.models import PlanPeriod, ResponsibleKind, SubGoal
from oppfolging.portal.tests.support import coordinator_access, planned_per, with_meeting

pytestmark = pytest.mark.django_db


def _grow(cast, per, start, n):
    who, access = coordinator_access(cast, per)
    with unscoped():
        plan = per.care_plan
        period = PlanPeriod.objects.get(plan=plan)
        for i in range(start, start + n):
            goal = services.goal_add(actor=who, access=access, plan=plan, text=f"Mål {i}")
            sub_goal = services.sub_goal_add(
                actor=who, access=access, period=period, goal=goal, text=f"Delmål {i}"
            )
            services.measure_add(
                actor=who,
                access=access,
                sub_goal=sub_goal,
                description=f"Tiltak {i}",
                responsible_kind=ResponsibleKind.PERSON,
                due_on=timezone.localdate(),
            )
            services.comment_add(actor=who, access=access, plan=plan, text=f"Kommentar {i}")
            audit_record(actor=cast.users["fjordvik-team"], action=AuditAction.VIEW, what="plan", person=per)
        activities = function_services.active_activities(per)
        for i in range(start, start + n):
            function_services.measurement_record(
                actor=who,
                access=access,
                measured_on=timezone.localdate(),
                occasion="follow_up",
                scores={str(a.uuid): i % 11 for a in activities},
            )
    for i in range(start, start + n):
        with_meeting(cast, per, days=8 + i, items=(f"Sak {i}a", f"Sak {i}b"))


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_persons_page_does_not_grow_with_the_data(cast):
    per = planned_per(cast)
    who, access = coordinator_access(cast, per)
    with unscoped():
        function_services.activities_set(
            actor=who, access=access, activities=[(None, "Gå tur"), (None, "Handle")]
        )
    client = cast.client("per")
    url = reverse("portal:person", args=[per.uuid])
    client.get(url)  # warm up: session, content types
    _grow(cast, per, 0, 2)
    small = _count(client, url)
    _grow(cast, per, 2, 12)
    large = _count(client, url)
    assert large == small, f"{small} queries with little data, {large} with more"
    with unscoped():
        assert SubGoal.objects.filter(period__plan__person=per).count() == 15
