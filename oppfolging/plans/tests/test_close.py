"""Closing the plan: for the coordinator, with a reason (and a note for "other"); the plan then
stays readable to the same people — the coordinator, the consented member, the person — and no
service accepts a change."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oppfolging.access.persons import Need, access_person
from oppfolging.accounts.models import User, UserKind
from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.plans import services
from oppfolging.plans.history_selectors import may_read_history
from oppfolging.plans.models import CarePlan, CloseReason, PlanStatus, PlanVersion, TransitionKind
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.plans.transition_services import NewTransition, transition_add
from oppfolging.teams.tests.test_team_support import actor

pytestmark = pytest.mark.django_db


def _url(person: Person) -> str:
    return reverse("plans:close", args=[person.uuid])


def _plan(person: Person) -> CarePlan:
    with unscoped():
        return CarePlan.objects.get(person=person)


def test_the_form_says_the_plan_stays_readable(cast):
    person = planned_person(cast)
    response = cast.client("fjordvik-koordinator").get(_url(person))
    assert response.status_code == 200
    body = response.content.decode()
    assert "alle som kan lese planen nå, kan fortsatt lese den" in body
    for label in CloseReason.labels:
        assert str(label) in body


def test_a_reason_is_required(cast):
    person = planned_person(cast)
    response = cast.client("fjordvik-koordinator").post(_url(person), {"reason": "", "note": "Noe å si"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Velg en grunn til å avslutte planen." in body
    assert "Noe å si" in body  # what the user wrote is kept
    assert _plan(person).status == PlanStatus.ACTIVE


def test_other_needs_a_note(cast):
    person = planned_person(cast)
    response = cast.client("fjordvik-koordinator").post(
        _url(person), {"reason": CloseReason.OTHER, "note": " "}
    )
    assert response.status_code == 200
    assert "Skriv grunnen til å avslutte planen." in response.content.decode()
    assert _plan(person).status == PlanStatus.ACTIVE


def test_closing_with_a_reason(cast):
    person = planned_person(cast)
    response = cast.client("fjordvik-koordinator").post(
        _url(person), {"reason": CloseReason.OTHER, "note": "Flytter til søsteren sin i Bergen."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[person.uuid])
    plan = _plan(person)
    assert plan.status == PlanStatus.CLOSED
    assert plan.close_reason == CloseReason.OTHER
    assert plan.close_note == "Flytter til søsteren sin i Bergen."
    assert plan.closed_by == cast.users["fjordvik-koordinator"]
    with unscoped():
        assert PlanVersion.objects.filter(plan=plan).latest("number").action == "plan.close"
        assert AuditEvent.objects.filter(person=person, what="plan", detail__status="closed").exists()
    # Opened again: it says so, and offers no form.
    body = cast.client("fjordvik-koordinator").get(_url(person)).content.decode()
    assert "Planen ble avsluttet" in body
    assert 'name="reason"' not in body


def _citizen_for(person: Person) -> User:
    with unscoped():
        user = User.objects.create_user("tea-innbygger", kind=UserKind.CITIZEN, first_name="Tea")
        Person.objects.filter(pk=person.pk).update(user=user)
    return user


def _close(cast: Any, person: Person) -> None:
    who, access = coordinator_access(cast, person)
    with unscoped():
        services.plan_close(actor=who, access=access, plan=_plan(person), reason=CloseReason.GOALS_REACHED)


def test_a_closed_plan_stays_readable_to_the_same_people(cast):
    person = planned_person(cast)
    citizen = _citizen_for(person)
    _close(cast, person)
    history = reverse("plans:history", args=[person.uuid])
    as_of = reverse("plans:as_of", args=[person.uuid])
    for username in ("fjordvik-koordinator", "fjordvik-team"):
        assert cast.client(username).get(history).status_code == 200, username
        body = cast.client(username).get(as_of, {"dato": timezone.localdate().isoformat()}).content.decode()
        assert "Avsluttet plan" in body
        assert "Målene er nådd" in body
        assert "Klare meg selv hjemme." in body
    client = cast.client(None)
    client.force_login(citizen)
    assert client.get(history).status_code == 200
    with unscoped():
        access = access_person(actor(citizen), person.uuid, Need.CASE_CONTENT)
    assert "self" in access.roles
    assert may_read_history(access)
    # and to nobody new: the member whose consent was withdrawn still gets nothing
    assert cast.client("fjordvik-fastlege").get(history).status_code == 404


def test_no_change_is_accepted_after_closing(cast):
    person = planned_person(cast)
    _close(cast, person)
    who, access = coordinator_access(cast, person)
    plan = _plan(person)
    with unscoped(), pytest.raises(ValidationError, match="avsluttet"):
        services.goal_add(actor=who, access=access, plan=plan, text="Et nytt mål.")
    with unscoped(), pytest.raises(ValidationError, match="avsluttet"):
        transition_add(
            actor=who,
            access=access,
            plan=plan,
            new=NewTransition(
                kind=TransitionKind.CHANGE_OF_SERVICE,
                planned_on=timezone.localdate() + datetime.timedelta(days=7),
                receiving_description="Bydel Nord",
            ),
        )
    with unscoped(), pytest.raises(ValidationError):
        services.plan_close(actor=who, access=access, plan=plan, reason=CloseReason.MOVED)
    response = cast.client("fjordvik-koordinator").post(_url(person), {"reason": CloseReason.MOVED})
    assert response.status_code == 200
    assert _plan(person).close_reason == CloseReason.GOALS_REACHED


def test_only_the_coordinator_may_close(cast):
    person = planned_person(cast)
    for username in ("fjordvik-team", "sykehus", "fjordvik-ke", "fjordvik-tildeling"):
        assert cast.client(username).post(_url(person), {"reason": CloseReason.MOVED}).status_code == 404
    assert _plan(person).status == PlanStatus.ACTIVE
