"""The plan page runs a fixed number of queries however large the plan and its history: measured
on the small plan, then again after it has grown to five periods with many goals, sub-goals,
measures and comments and 200 versions — for the coordinator, a member and a former member."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.plans import services
from oppfolging.plans.models import CarePlan, PlanComment, PlanVersion
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.plans.tests.test_plan_support import nurse_left_then_goal_added, url
from oppfolging.teams.models import TeamMember

pytestmark = pytest.mark.django_db


def _count(cast: Any, username: str, person: Person) -> int:
    client = cast.client(username)
    client.get(url("detail", person))  # warm: session, content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("detail", person))
    assert response.status_code == 200
    return len(queries)


def _grow(cast: Any, person: Person, *, periods: int = 4, goals: int = 6, versions: int = 200) -> None:
    """More goals, four more periods each with sub-goals and measures (the person's, a member's),
    comments and links, and the history padded to ``versions`` versions."""
    who, access = coordinator_access(cast, person)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        nurse = TeamMember.objects.get(team__person=person, user=cast.users["fjordvik-team"])
        new_goals = [
            services.goal_add(actor=who, access=access, plan=plan, text=f"Mål {i}", record=False)
            for i in range(goals)
        ]
        last = plan.periods.order_by("-number").first()
        start = last.ends_on + datetime.timedelta(days=1) if last else timezone.localdate()
        for n in range(periods):
            period = services.period_add(
                actor=who,
                access=access,
                plan=plan,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=60),
                record=False,
            )
            start = period.ends_on + datetime.timedelta(days=1)
            for goal in new_goals[:3]:
                sub_goal = services.sub_goal_add(
                    actor=who, access=access, period=period, goal=goal, text=f"Delmål {n}", record=False
                )
                for kind, member in (("member", nurse), ("person", None)):
                    services.measure_add(
                        actor=who,
                        access=access,
                        sub_goal=sub_goal,
                        description=f"Tiltak {n} {kind}",
                        responsible_kind=kind,
                        responsible_member=member,
                        due_on=timezone.localdate() - datetime.timedelta(days=1),
                        record=False,
                    )
        for i in range(10):
            services.link_add(actor=who, access=access, plan=plan, kind="other", title=f"Plan {i}")
            PlanComment.objects.create(
                municipality_id=plan.municipality_id,
                plan=plan,
                text=f"Kommentar {i}",
                author_kind="staff",
                author=who.user,
                author_label="Ingrid",
            )
        services.comment_add(actor=who, access=access, plan=plan, text="Siste kommentar.")
        latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        assert latest is not None
        at = latest.at
        PlanVersion.objects.bulk_create(
            PlanVersion(
                municipality_id=plan.municipality_id,
                plan=plan,
                number=number,
                at=at,
                actor=who.user,
                actor_label="Ingrid",
                role="coordinator",
                action="comment.add",
                snapshot=latest.snapshot,
            )
            for number in range(latest.number + 1, versions + 1)
        )
        CarePlan.objects.filter(pk=plan.pk).update(revision=versions)
        assert PlanVersion.objects.filter(plan=plan).count() >= 200


@pytest.mark.parametrize("username", ["fjordvik-koordinator", "fjordvik-team"])
def test_the_plan_page_does_not_grow_with_the_plan(cast, username):
    person = planned_person(cast)
    small = _count(cast, username, person)
    _grow(cast, person)
    grown = _count(cast, username, person)
    assert grown == small, f"{username}: {small} queries with the small plan, {grown} with the large"


def test_a_former_members_view_does_not_grow_with_the_history(cast):
    person = nurse_left_then_goal_added(cast)
    small = _count(cast, "fjordvik-team", person)
    _grow(cast, person)
    assert _count(cast, "fjordvik-team", person) == small
