"""Planned transitions and the coordinator overlap: from ``overlap_from`` both coordinators edit
the plan; completing ends the old coordinator's access; cancelling ends an overlap begun for it;
dates and choices are checked; the daily job starts a due overlap once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.plans import services
from oppfolging.plans.models import CarePlan, PlanVersion, Transition, TransitionKind, TransitionStatus
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.plans.transition_services import (
    NewTransition,
    start_due_overlaps,
    transition_add,
    transition_cancel,
    transition_complete,
)
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment
from oppfolging.teams.tests.test_team_support import actor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _in(days: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=days)


def _access(user: User, person: Person) -> PersonAccess:
    with unscoped():
        return access_person(actor(user), person.uuid, Need.CASE_CONTENT)


def _plan(person: Person) -> CarePlan:
    with unscoped():
        return CarePlan.objects.get(person=person)


def _add(cast: Any, person: Person, **fields: Any) -> Transition:
    who, access = coordinator_access(cast, person)
    values: dict[str, Any] = {
        "kind": TransitionKind.HOSPITAL_DISCHARGE,
        "planned_on": _in(14),
        "from_description": "Fjellheim sykehus",
        "receiving_description": "Hjemmetjenesten",
        "what_to_hand_over": "Medisinlisten og avtalen med fysioterapeuten.",
    } | fields
    with unscoped():
        return transition_add(actor=who, access=access, plan=_plan(person), new=NewTransition(**values))


def _assignment(person: Person, user: User) -> CoordinatorAssignment | None:
    with unscoped():
        return (
            CoordinatorAssignment.objects.filter(team__person=person, coordinator=user)
            .order_by("-id")
            .first()
        )


def test_adding_a_transition_is_audited_and_versioned(cast):
    person = planned_person(cast)
    transition = _add(cast, person)
    assert transition.status == TransitionStatus.PLANNED
    with unscoped():
        event = AuditEvent.objects.get(person=person, what="plan.transition")
        version = PlanVersion.objects.filter(plan=transition.plan).latest("number")
    assert event.object_uuid == transition.uuid
    assert version.action == "transition.add"
    assert version.snapshot["transitions"][0]["what_to_hand_over"].startswith("Medisinlisten")


def test_an_overlap_from_today_makes_both_coordinators(cast):
    person = planned_person(cast)
    ingrid, nina = cast.users["fjordvik-koordinator"], cast.users["fjordvik-team"]
    assert "coordinator" not in _access(nina, person).roles
    _add(cast, person, next_coordinator=nina, overlap_from=TODAY())
    assert "coordinator" in _access(ingrid, person).roles
    assert "coordinator" in _access(nina, person).roles
    assert services.may_edit(_access(nina, person))
    assignment = _assignment(person, nina)
    assert assignment is not None
    assert assignment.status == AssignmentStatus.ACTIVE
    assert assignment.started_at is not None
    assert assignment.proposed_by == ingrid
    assert assignment.persons_wish == ""
    assert "Overlapp ved planlagt overgang" in assignment.leader_comment
    # Nina edits the plan during the overlap.
    with unscoped():
        services.goal_add(
            actor=actor(nina), access=_access(nina, person), plan=_plan(person), text="Nytt mål."
        )
        assert AuditEvent.objects.filter(what="coordinator_assignment", object_uuid=assignment.uuid).exists()


def test_the_new_coordinator_is_told_by_email(cast, django_capture_on_commit_callbacks):
    person = planned_person(cast)
    nina = cast.users["fjordvik-team"]
    with django_capture_on_commit_callbacks(execute=True):
        _add(cast, person, next_coordinator=nina, overlap_from=TODAY())
    assert [m.to for m in mail.outbox] == [[nina.email]]


def test_a_later_overlap_is_started_by_the_daily_job_once(cast):
    person = planned_person(cast)
    nina = cast.users["fjordvik-team"]
    _add(cast, person, next_coordinator=nina, overlap_from=_in(5))
    assert _assignment(person, nina) is None
    assert "coordinator" not in _access(nina, person).roles
    assert start_due_overlaps(_in(4)) == 0
    assert start_due_overlaps(_in(5)) == 1
    assert "coordinator" in _access(nina, person).roles
    assert start_due_overlaps(_in(5)) == 0  # safe to run twice
    assert start_due_overlaps(_in(6)) == 0
    with unscoped():
        assert CoordinatorAssignment.objects.filter(team__person=person, coordinator=nina).count() == 1
        assert AuditEvent.objects.filter(what="coordinator_assignment", role="system").count() == 1


def test_an_overlap_ended_by_ke_is_not_started_again(cast):
    person = planned_person(cast)
    nina = cast.users["fjordvik-team"]
    _add(cast, person, next_coordinator=nina, overlap_from=TODAY())
    with unscoped():
        CoordinatorAssignment.objects.filter(coordinator=nina).update(
            status=AssignmentStatus.ENDED, ended_at=timezone.now()
        )
    assert start_due_overlaps(TODAY()) == 0


def test_completing_ends_the_old_coordinators_access(cast):
    person = planned_person(cast)
    ingrid, nina = cast.users["fjordvik-koordinator"], cast.users["fjordvik-team"]
    transition = _add(cast, person, next_coordinator=nina, overlap_from=TODAY())
    with unscoped():
        done = transition_complete(actor=actor(ingrid), access=_access(ingrid, person), transition=transition)
    assert done.status == TransitionStatus.COMPLETED
    assert done.completed_at is not None
    old = _assignment(person, ingrid)
    assert old is not None
    assert old.status == AssignmentStatus.ENDED
    assert old.ended_at is not None
    with unscoped(), pytest.raises(Http404):
        access_person(actor(ingrid), person.uuid, Need.CASE_CONTENT)  # coordinator only, not a member
    assert "coordinator" in _access(nina, person).roles
    with unscoped():
        assert PlanVersion.objects.filter(plan=done.plan).latest("number").action == "transition.complete"


def test_completing_starts_an_overlap_that_had_not_begun(cast):
    person = planned_person(cast)
    ingrid, nina = cast.users["fjordvik-koordinator"], cast.users["fjordvik-team"]
    transition = _add(cast, person, next_coordinator=nina, overlap_from=_in(10))
    with unscoped():
        transition_complete(actor=actor(ingrid), access=_access(ingrid, person), transition=transition)
    assignment = _assignment(person, nina)
    assert assignment is not None
    assert assignment.status == AssignmentStatus.ACTIVE
    assert _assignment(person, ingrid).status == AssignmentStatus.ENDED  # type: ignore[union-attr]


def test_completing_with_the_same_coordinator_ends_nothing(cast):
    person = planned_person(cast)
    ingrid = cast.users["fjordvik-koordinator"]
    transition = _add(cast, person, next_coordinator=ingrid, overlap_from=TODAY())
    with unscoped():
        transition_complete(actor=actor(ingrid), access=_access(ingrid, person), transition=transition)
        assert CoordinatorAssignment.objects.filter(team__person=person, coordinator=ingrid).count() == 1
    assert _assignment(person, ingrid).status == AssignmentStatus.ACTIVE  # type: ignore[union-attr]


def test_a_coordinator_outside_the_system_takes_over_nobodys_assignment(cast):
    person = planned_person(cast)
    ingrid = cast.users["fjordvik-koordinator"]
    transition = _add(cast, person, next_coordinator_name="Kari Bydel", overlap_from=TODAY())
    with unscoped():
        transition_complete(actor=actor(ingrid), access=_access(ingrid, person), transition=transition)
    assert _assignment(person, ingrid).status == AssignmentStatus.ACTIVE  # type: ignore[union-attr]


def test_a_transition_is_completed_or_cancelled_once(cast):
    person = planned_person(cast)
    ingrid = cast.users["fjordvik-koordinator"]
    transition = _add(cast, person)
    access = _access(ingrid, person)
    with unscoped():
        transition_cancel(actor=actor(ingrid), access=access, transition=transition)
        with pytest.raises(ValidationError, match="allerede"):
            transition_complete(actor=actor(ingrid), access=access, transition=transition)
        with pytest.raises(ValidationError, match="allerede"):
            transition_cancel(actor=actor(ingrid), access=access, transition=transition)
        assert Transition.objects.get(pk=transition.pk).status == TransitionStatus.CANCELLED


def test_cancelling_ends_the_overlap_begun_for_it(cast):
    person = planned_person(cast)
    ingrid, nina = cast.users["fjordvik-koordinator"], cast.users["fjordvik-team"]
    transition = _add(cast, person, next_coordinator=nina, overlap_from=TODAY())
    with unscoped():
        transition_cancel(actor=actor(ingrid), access=_access(ingrid, person), transition=transition)
    assert _assignment(person, nina).status == AssignmentStatus.ENDED  # type: ignore[union-attr]
    assert _assignment(person, ingrid).status == AssignmentStatus.ACTIVE  # type: ignore[union-attr]
    assert "coordinator" not in _access(nina, person).roles
    with unscoped():
        assert PlanVersion.objects.filter(plan=transition.plan).latest("number").action == "transition.cancel"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"overlap_from": _in(15), "next_coordinator_name": "Kari Bydel"}, "overlap_from"),
        ({"overlap_from": _in(1)}, "overlap_from"),
        ({"receiving_description": ""}, "receiving_unit"),
        ({"kind": "moon_landing"}, "kind"),
    ],
)
def test_dates_and_choices_are_checked(cast, fields, field):
    person = planned_person(cast)
    with pytest.raises(ValidationError) as caught:
        _add(cast, person, **fields)
    assert field in caught.value.message_dict
    with unscoped():
        assert not Transition.objects.filter(plan__person=person).exists()


def test_overlap_on_the_day_of_the_transition_is_allowed(cast):
    person = planned_person(cast)
    transition = _add(cast, person, next_coordinator_name="Kari Bydel", overlap_from=_in(14))
    assert transition.overlap_from == transition.planned_on


def test_the_next_coordinator_is_named_one_way(cast):
    person = planned_person(cast)
    with pytest.raises(ValidationError) as caught:
        _add(cast, person, next_coordinator=cast.users["fjordvik-team"], next_coordinator_name="Nina")
    assert "next_coordinator_name" in caught.value.message_dict


def test_the_next_coordinator_and_the_unit_must_be_the_municipalitys(cast):
    person = planned_person(cast)
    with pytest.raises(ValidationError) as caught:
        _add(cast, person, next_coordinator=cast.users["lidal-team"])
    assert "next_coordinator" in caught.value.message_dict
    with unscoped():
        lidal_unit = Unit.objects.filter(municipality=cast.municipalities["lidal"]).first()
    with pytest.raises(ValidationError) as caught:
        _add(cast, person, receiving_unit=lidal_unit)
    assert "receiving_unit" in caught.value.message_dict


def test_an_external_unit_and_an_external_team_member_may_receive(cast):
    """The hospital doctor, once an active team member, may become the next coordinator."""
    from oppfolging.teams.models import TeamMember

    person = planned_person(cast)
    with unscoped():
        TeamMember.objects.filter(team__person=person, user=cast.users["sykehus"]).update(left_at=None)
        hospital = Unit.objects.filter(municipality__isnull=True).first()
    transition = _add(cast, person, receiving_unit=hospital, next_coordinator=cast.users["sykehus"])
    assert transition.receiving_unit == hospital


def test_only_the_coordinator_plans_transitions(cast):
    person = planned_person(cast)
    nina = cast.users["fjordvik-team"]
    with unscoped(), pytest.raises(PermissionDenied):
        transition_add(
            actor=actor(nina),
            access=_access(nina, person),
            plan=_plan(person),
            new=NewTransition(
                kind=TransitionKind.LIFE_PHASE, planned_on=_in(3), receiving_description="Skolen"
            ),
        )
