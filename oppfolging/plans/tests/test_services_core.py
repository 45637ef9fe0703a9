"""The plan's core writes: versions for every change, refusal of a save from an older version,
and the rules for activating a plan."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oppfolging.access.persons import Need, access_person
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.plans import services
from oppfolging.plans.history import diff, version_as_of
from oppfolging.plans.models import CarePlan, PeriodStatus, PlanStatus, PlanVersion
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.teams.tests.test_team_support import actor, staged_person

pytestmark = pytest.mark.django_db


def test_every_change_is_a_numbered_version_with_its_differences(cast):
    person = planned_person(cast)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == list(range(1, len(versions) + 1))
    assert [v.action for v in versions] == [
        "plan.create",
        "goal.add",
        "period.add",
        "sub_goal.add",
        "measure.add",
        "plan.activate",
    ]
    assert plan.revision == len(versions)
    added_goal = versions[1].changes
    assert added_goal[0]["kind"] == "goal"
    assert added_goal[0]["change"] == "added"
    assert {"field": "text", "before": None, "after": "Klare meg selv hjemme."} in added_goal[0]["fields"]
    assert all(v.actor == cast.users["fjordvik-koordinator"] and v.role == "coordinator" for v in versions)
    assert versions[-1].snapshot["plan"]["status"] == PlanStatus.ACTIVE
    assert versions[-1].snapshot["periods"][0]["status"] == PeriodStatus.ACTIVE


def test_a_save_from_an_older_version_is_refused_and_changes_nothing(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    with unscoped():
        goal = CarePlan.objects.get(person=person).goals.get()
        opened = goal.version
        services.goal_update(
            actor=who,
            access=access,
            goal=goal,
            version=opened,
            text="Klare meg hjemme.",
            in_own_words=True,
            status="active",
        )
        with pytest.raises(services.PlanConflictError) as refused:
            services.goal_update(
                actor=who,
                access=access,
                goal=goal,
                version=opened,
                text="Noe annet.",
                in_own_words=True,
                status="active",
            )
        goal.refresh_from_db()
    assert goal.text == "Klare meg hjemme."
    assert refused.value.current.text == "Klare meg hjemme."  # type: ignore[attr-defined]
    assert refused.value.mine["text"] == "Noe annet."


def test_the_plan_as_of_a_past_moment(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        goal = plan.goals.get()
        PlanVersion.objects.filter(plan=plan).update(at=timezone.now() - datetime.timedelta(days=10))
        before = timezone.now() - datetime.timedelta(days=5)
        services.goal_update(
            actor=who,
            access=access,
            goal=goal,
            version=goal.version,
            text="Bo hjemme og gå på butikken.",
            in_own_words=True,
            status="active",
        )
        old = version_as_of(plan, before)
        new = version_as_of(plan, timezone.now())
    assert old is not None
    assert new is not None
    assert old.snapshot["goals"][0]["text"] == "Klare meg selv hjemme."
    assert new.snapshot["goals"][0]["text"] == "Bo hjemme og gå på butikken."
    changes = diff(old.snapshot, new.snapshot)
    assert changes == [
        {
            "kind": "goal",
            "uuid": str(goal.uuid),
            "change": "changed",
            "label": "Bo hjemme og gå på butikken.",
            "fields": [
                {"field": "text", "before": "Klare meg selv hjemme.", "after": "Bo hjemme og gå på butikken."}
            ],
        }
    ]


def test_activation_needs_consent_to_plan_work_and_a_goal_in_own_words(cast):
    person = staged_person(cast)
    who, access = coordinator_access(cast, person)
    with unscoped():
        plan = services.plan_create(actor=who, access=access)
        problems = services.activation_problems(plan)
        assert len(problems) == 2
        services.goal_add(
            actor=who, access=access, plan=plan, text="Et mål skrevet av oss.", in_own_words=False
        )
        with pytest.raises(ValidationError):
            services.plan_activate(actor=who, access=access, plan=plan)
        Consent.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=ConsentKind.PLAN_WORK,
            given_by="person",
            recorded_by=cast.users["fjordvik-koordinator"],
        )
        assert len(services.activation_problems(plan)) == 1
        services.goal_add(actor=who, access=access, plan=plan, text="Gå tur med hunden.")
        services.plan_activate(actor=who, access=access, plan=plan)
        plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_a_team_member_reads_but_does_not_edit(cast):
    person = planned_person(cast)
    nurse = actor(cast.users["fjordvik-team"])
    with unscoped():
        access = access_person(nurse, person.uuid, Need.CASE_CONTENT)
        plan = CarePlan.objects.get(person=person)
        with pytest.raises(PermissionDenied):
            services.goal_add(actor=nurse, access=access, plan=plan, text="Noe.")
        comment = services.comment_add(actor=nurse, access=access, plan=plan, text="Hun har fått nye sko.")
    assert comment.author_kind == "staff"
