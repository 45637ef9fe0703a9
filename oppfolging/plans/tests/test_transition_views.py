"""Transitions through the real views: the form, its errors (what was typed is kept), the
buttons of the list the plan page includes, and completing as the old coordinator."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.plans.models import CarePlan, Transition, TransitionKind, TransitionStatus
from oppfolging.plans.tests.support import planned_person
from oppfolging.plans.transition_selectors import transitions_for
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment

pytestmark = pytest.mark.django_db


def _in(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _form(cast: Any, **fields: Any) -> dict[str, Any]:
    with unscoped():
        unit = Unit.objects.get(name="Hjemmetjenesten Fjordvik")
    return {
        "kind": TransitionKind.HOSPITAL_DISCHARGE,
        "planned_on": _in(14),
        "from_description": "Fjellheim sykehus",
        "receiving_unit": str(unit.uuid),
        "receiving_description": "",
        "next_coordinator": str(cast.users["fjordvik-team"].uuid),
        "next_coordinator_name": "",
        "overlap_from": _in(0),
        "what_to_hand_over": "Medisinlisten og treningsprogrammet.",
    } | fields


def _add_url(person: Person) -> str:
    return reverse("plans:transition_add", args=[person.uuid])


def test_the_form_offers_units_and_staff(cast):
    person = planned_person(cast)
    response = cast.client("fjordvik-koordinator").get(_add_url(person))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hjemmetjenesten Fjordvik" in body
    assert "Fjellheim sykehus, medisinsk avdeling (utenfor kommunen)" in body
    assert "Nina Sykepleier" in body
    assert "Heimetenesta Lidal" not in body
    assert "Kjetil Bø" not in body


def test_planning_a_transition_through_the_view(cast):
    person = planned_person(cast)
    response = cast.client("fjordvik-koordinator").post(_add_url(person), _form(cast))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[person.uuid]) + "#overganger"
    with unscoped():
        transition = Transition.objects.get(plan__person=person)
        assert transition.receiving_unit is not None
        assert transition.next_coordinator == cast.users["fjordvik-team"]
        assert CoordinatorAssignment.objects.filter(
            team__person=person, coordinator=cast.users["fjordvik-team"], status=AssignmentStatus.ACTIVE
        ).exists()


def test_an_overlap_after_the_transition_is_refused_and_nothing_is_lost(cast):
    person = planned_person(cast)
    data = _form(cast, overlap_from=_in(20), what_to_hand_over="Nøkkelen til postkassen.")
    response = cast.client("fjordvik-koordinator").post(_add_url(person), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Overlappen må begynne senest på datoen for overgangen." in body
    assert "Nøkkelen til postkassen." in body
    assert 'aria-invalid="true"' in body
    with unscoped():
        assert not Transition.objects.filter(plan__person=person).exists()


def test_a_wrong_date_is_a_form_error(cast):
    person = planned_person(cast)
    response = cast.client("fjordvik-koordinator").post(
        _add_url(person), _form(cast, planned_on="31.02.2026")
    )
    assert response.status_code == 200
    assert "Skriv datoen som dd.mm.åååå" in response.content.decode()


def test_completing_as_the_old_coordinator_leads_to_the_start_page(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    client.post(_add_url(person), _form(cast))
    with unscoped():
        transition = Transition.objects.get(plan__person=person)
    url = reverse("plans:transition_complete", args=[person.uuid, transition.uuid])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    with unscoped():
        assert Transition.objects.get(pk=transition.pk).status == TransitionStatus.COMPLETED
    # the old coordinator no longer reaches the plan; the new one does
    assert client.post(url).status_code == 404
    assert cast.client("fjordvik-team").get(reverse("plans:history", args=[person.uuid])).status_code == 200


def test_cancelling_through_the_view(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    client.post(_add_url(person), _form(cast, next_coordinator="", overlap_from=""))
    with unscoped():
        transition = Transition.objects.get(plan__person=person)
    response = client.post(reverse("plans:transition_cancel", args=[person.uuid, transition.uuid]))
    assert response.status_code == 302
    assert response["Location"].endswith("#overganger")
    again = client.post(reverse("plans:transition_cancel", args=[person.uuid, transition.uuid]), follow=False)
    assert again.status_code == 302  # refused with a message, nothing changed
    with unscoped():
        assert Transition.objects.get(pk=transition.pk).status == TransitionStatus.CANCELLED


def test_a_member_cannot_complete_or_cancel(cast):
    person = planned_person(cast)
    cast.client("fjordvik-koordinator").post(
        _add_url(person), _form(cast, next_coordinator="", overlap_from="")
    )
    with unscoped():
        transition = Transition.objects.get(plan__person=person)
    for name in ("plans:transition_complete", "plans:transition_cancel"):
        url = reverse(name, args=[person.uuid, transition.uuid])
        assert cast.client("fjordvik-team").post(url).status_code == 404
        assert cast.client("sykehus").post(url).status_code == 404
    with unscoped():
        assert Transition.objects.get(pk=transition.pk).status == TransitionStatus.PLANNED


def _render_list(cast: Any, person: Person, *, may_edit: bool) -> str:
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        rows = transitions_for(plan)
    request = RequestFactory().get("/")
    return render_to_string(
        "plans/transition/_list.html",
        {"person": person, "transitions": rows, "may_edit": may_edit, "plan_closed": False},
        request=request,
    )


def test_the_list_the_plan_page_includes(cast):
    person = planned_person(cast)
    cast.client("fjordvik-koordinator").post(_add_url(person), _form(cast))
    html = _render_list(cast, person, may_edit=True)
    assert 'id="overganger"' in html
    assert "Utskriving fra sykehus" in html
    assert "Hjemmetjenesten Fjordvik" in html
    assert "Nina Sykepleier" in html
    assert "Overlapp pågår" in html
    assert "Planlagt" in html
    assert "/gjennomfort/" in html
    assert "/avlys/" in html
    assert reverse("plans:transition_add", args=[person.uuid]) in html
    read_only = _render_list(cast, person, may_edit=False)
    assert "/gjennomfort/" not in read_only
    assert reverse("plans:transition_add", args=[person.uuid]) not in read_only


def test_the_list_when_there_are_none(cast):
    person = planned_person(cast)
    assert "Ingen overganger er planlagt." in _render_list(cast, person, may_edit=True)
