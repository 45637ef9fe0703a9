"""Barnekoordinator (pasient- og brukerrettighetsloven § 2-5 c): a child's case is marked with the
child's own view recorded, and the coordinator registered for it is the child coordinator."""

from __future__ import annotations

import pytest

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment
from oppfolging.teams.tests.test_coordinators_support import assignment, member, team_for

pytestmark = pytest.mark.django_db


def _url(cast, person: str) -> str:
    return f"/koordinatorer/person/{cast.persons[person].uuid}/barnekoordinator/"


def _team(cast, person: str) -> CareTeam:
    with unscoped():
        return CareTeam.objects.get(person=cast.persons[person])


def test_ke_marks_a_childs_case_and_the_proposed_coordinator_is_child_coordinator(cast):
    team_for(cast, "Aron")
    ke = cast.client("fjordvik-ke")
    response = ke.post(
        _url(cast, "Aron"),
        {"is_child_coordinator_case": "on", "child_view": "Aron liker best å være hjemme."},
    )
    assert response.status_code == 302
    team = _team(cast, "Aron")
    assert team.is_child_coordinator_case
    assert team.child_view == "Aron liker best å være hjemme."
    with unscoped():
        event = AuditEvent.objects.get(what="care_team", action=AuditAction.UPDATE)
    assert event.person == cast.persons["Aron"]
    assert "hjemme" not in str(event.detail)

    candidate = member(cast, "Aron", "fjordvik-koordinator")
    ke.post(f"/koordinatorer/person/{cast.persons['Aron'].uuid}/foresla/", {"member": str(candidate.uuid)})
    with unscoped():
        proposal = CoordinatorAssignment.objects.get(team=team)
    assert proposal.is_child_coordinator
    cast.client("fjordvik-leder").post(
        f"/koordinatorer/oppnevning/{proposal.uuid}/vurder/", {"decision": "approve", "comment": ""}
    )
    ke.post(f"/koordinatorer/oppnevning/{proposal.uuid}/registrer/")
    proposal.refresh_from_db()
    assert proposal.status == AssignmentStatus.ACTIVE
    assert proposal.is_child_coordinator
    assert "Barnekoordinator" in ke.get("/koordinatorer/").content.decode()
    assert (
        "Barnekoordinator" in cast.client("fjordvik-koordinator").get("/koordinatorer/mine/").content.decode()
    )


def test_marking_follows_onto_a_coordinator_already_in_office(cast):
    active = assignment(cast, "Aron", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    assert not active.is_child_coordinator
    cast.client("fjordvik-ke").post(_url(cast, "Aron"), {"is_child_coordinator_case": "on", "child_view": ""})
    active.refresh_from_db()
    assert active.is_child_coordinator


def test_an_adults_case_cannot_be_a_child_coordinator_case(cast):
    team_for(cast, "Per")
    ke = cast.client("fjordvik-ke")
    page = ke.get(_url(cast, "Per")).content.decode()
    assert "gjelder barn under 18 år" in page
    response = ke.post(_url(cast, "Per"), {"is_child_coordinator_case": "on", "child_view": ""})
    assert response.status_code == 200
    assert "gjelder barn under 18 år" in response.content.decode()
    assert response.context["form"].has_error("is_child_coordinator_case")
    assert not _team(cast, "Per").is_child_coordinator_case


def test_without_a_team_there_is_nothing_to_mark(cast):
    ke = cast.client("fjordvik-ke")
    page = ke.get(_url(cast, "Emil"))
    assert page.status_code == 200
    assert "ikke noe oppfølgingsteam" in page.content.decode()
    assert ke.post(_url(cast, "Emil"), {"is_child_coordinator_case": "on"}).status_code == 200
    with unscoped():
        assert not CareTeam.objects.filter(person=cast.persons["Emil"]).exists()


def test_only_ke_of_the_municipality_marks_a_case(cast):
    team_for(cast, "Aron")
    for user in ["fjordvik-tildeling", "fjordvik-koordinator", "lidal-ke", "aron-mor"]:
        response = cast.client(user).post(_url(cast, "Aron"), {"is_child_coordinator_case": "on"})
        assert response.status_code == 404, user
    assert not _team(cast, "Aron").is_child_coordinator_case
