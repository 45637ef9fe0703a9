"""Appointing a coordinator: KE proposes a team member with the person's wish beside it; the
candidate's leader approves or declines seeing the caseload against the cap; KE registers and the
coordinator is told and gets the case; a change keeps history with an overlap."""

from __future__ import annotations

import pytest
from django.test import Client

from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment
from oppfolging.teams.tests.test_coordinators_support import assignment, leader_of, member, team_for, wish

pytestmark = pytest.mark.django_db


def _person_page(cast) -> str:
    return f"/koordinatorer/person/{cast.persons['Per'].uuid}/"


def _assignments(cast, person: str = "Per") -> list[CoordinatorAssignment]:
    with unscoped():
        return list(
            CoordinatorAssignment.objects.filter(team__person=cast.persons[person])
            .select_related("coordinator", "leader")
            .order_by("proposed_at", "id")
        )


def _propose(cast, username: str) -> CoordinatorAssignment:
    candidate = member(cast, "Per", username)
    response = cast.client("fjordvik-ke").post(
        f"{_person_page(cast)}foresla/", {"member": str(candidate.uuid)}
    )
    assert response.status_code == 302, response.content.decode()
    return _assignments(cast)[-1]


def test_per_scenario_style_approval_flow_gives_the_coordinator_the_case(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    team_for(cast, "Per")
    ingrid = member(cast, "Per", "fjordvik-koordinator")
    member(cast, "Per", "fjordvik-team")
    wish(cast, "Per", "Ergoterapeuten som var på hjemmebesøk")
    ke = cast.client("fjordvik-ke")

    page = ke.get(_person_page(cast)).content.decode()
    assert "Ergoterapeuten som var på hjemmebesøk" in page
    assert "Ingrid Ergoterapeut" in page
    assert "koordinerer 0 av maks 5 personer" in page

    proposal = _propose(cast, "fjordvik-koordinator")
    assert proposal.status == AssignmentStatus.PROPOSED
    assert proposal.coordinator == cast.users["fjordvik-koordinator"]
    assert proposal.persons_wish == "Ergoterapeuten som var på hjemmebesøk"
    assert ingrid.user == proposal.coordinator

    leader = cast.client("fjordvik-leder")
    approvals = leader.get("/koordinatorer/til-godkjenning/").content.decode()
    assert "Ingrid Ergoterapeut" in approvals
    assert "0 av 5" in approvals
    assert "Per Olsen" not in approvals  # the list names no person
    decide_url = f"/koordinatorer/oppnevning/{proposal.uuid}/vurder/"
    detail = leader.get(decide_url)
    assert detail.status_code == 200
    assert "Per Olsen" in detail.content.decode()
    with unscoped():
        assert AuditEvent.objects.filter(
            what="coordinator_assignment", action=AuditAction.VIEW, role="leader", person=cast.persons["Per"]
        ).exists()
    response = leader.post(decide_url, {"decision": "approve", "comment": "Hun har kapasitet."})
    assert response.status_code == 302
    [approved] = _assignments(cast)
    assert approved.status == AssignmentStatus.APPROVED
    assert approved.leader == cast.users["fjordvik-leder"]
    assert (approved.caseload_at_approval, approved.cap_at_approval) == (0, 5)
    assert approved.leader_comment == "Hun har kapasitet."

    coordinator = cast.client("fjordvik-koordinator")
    per_page = f"/personer/{cast.persons['Per'].uuid}/"
    assert coordinator.get(per_page).status_code == 404  # approved is not yet appointed

    with django_capture_on_commit_callbacks(execute=True):
        response = ke.post(f"/koordinatorer/oppnevning/{proposal.uuid}/registrer/")
    assert response.status_code == 302
    [active] = _assignments(cast)
    assert active.status == AssignmentStatus.ACTIVE
    assert active.started_at is not None
    assert active.ended_at is None
    [message] = mailoutbox
    assert message.to == ["fjordvik-koordinator@demo.invalid"]
    assert "koordinator" in message.subject
    assert "Per" not in message.body  # no health information by e-mail

    assert coordinator.get(per_page).status_code == 200
    mine = coordinator.get("/koordinatorer/mine/").content.decode()
    assert "Per Olsen" in mine
    assert "Ny" in mine
    with unscoped():
        writes = list(
            AuditEvent.objects.filter(what="coordinator_assignment")
            .exclude(action=AuditAction.VIEW)
            .order_by("id")
            .values_list("action", "role")
        )
    assert writes == [("create", "ke_staff"), ("update", "leader"), ("update", "ke_staff")]


def test_proposals_are_for_the_candidates_own_leader_only(cast):
    proposal = _propose(cast, "fjordvik-koordinator")
    decide_url = f"/koordinatorer/oppnevning/{proposal.uuid}/vurder/"
    nav = Client()
    nav.force_login(leader_of("NAV Fjordvik", "nav-leder"))
    lidal = cast.client("lidal-leder")
    for client in [nav, lidal, cast.client("fjordvik-koordinator"), cast.client("fjordvik-team")]:
        assert client.get(decide_url).status_code == 404
        assert client.post(decide_url, {"decision": "approve", "comment": ""}).status_code == 404
        listing = client.get("/koordinatorer/til-godkjenning/")
        assert listing.status_code in (200, 404)
        assert "Ingrid" not in listing.content.decode()
    assert _assignments(cast)[0].status == AssignmentStatus.PROPOSED

    # A leader does not see proposals for staff of units they do not lead (the GP office).
    gp_proposal = _propose(cast, "fjordvik-fastlege")
    assert (
        cast.client("fjordvik-leder").get(f"/koordinatorer/oppnevning/{gp_proposal.uuid}/vurder/").status_code
        == 404
    )


def test_the_leader_declines_with_a_reason_and_ke_cannot_register(cast):
    proposal = _propose(cast, "fjordvik-koordinator")
    leader = cast.client("fjordvik-leder")
    decide_url = f"/koordinatorer/oppnevning/{proposal.uuid}/vurder/"
    missing = leader.post(decide_url, {"decision": "decline", "comment": ""})
    assert missing.status_code == 200
    assert "Skriv hvorfor" in missing.content.decode()
    assert (
        leader.post(decide_url, {"decision": "decline", "comment": "Full kalender i vår."}).status_code == 302
    )
    [declined] = _assignments(cast)
    assert declined.status == AssignmentStatus.DECLINED
    assert declined.leader_comment == "Full kalender i vår."

    again = leader.post(decide_url, {"decision": "approve", "comment": ""})
    assert again.status_code == 200
    assert "Forslaget er behandlet: Avslått av leder" in again.content.decode()

    ke = cast.client("fjordvik-ke")
    response = ke.post(f"/koordinatorer/oppnevning/{proposal.uuid}/registrer/", follow=True)
    assert "Bare et forslag lederen har godkjent" in response.content.decode()
    assert _assignments(cast)[0].status == AssignmentStatus.DECLINED
    history = ke.get(_person_page(cast)).content.decode()
    assert "Full kalender i vår." in history
    # A declined candidate can be proposed again.
    assert _propose(cast, "fjordvik-koordinator").status == AssignmentStatus.PROPOSED


def test_the_leader_sees_a_candidate_at_the_cap_marked(cast):
    with unscoped():
        Municipality.objects.filter(pk=cast.municipalities["fjordvik"].pk).update(coordinator_caseload_cap=1)
    assignment(cast, "Klara", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    proposal = _propose(cast, "fjordvik-koordinator")
    leader = cast.client("fjordvik-leder")
    listing = leader.get("/koordinatorer/til-godkjenning/").content.decode()
    assert "1 av 1" in listing
    assert "Ved taket" in listing
    detail = leader.get(f"/koordinatorer/oppnevning/{proposal.uuid}/vurder/").content.decode()
    assert "Kommunens tak er 1" in detail
    leader.post(f"/koordinatorer/oppnevning/{proposal.uuid}/vurder/", {"decision": "approve", "comment": ""})
    [approved] = _assignments(cast)
    assert (approved.caseload_at_approval, approved.cap_at_approval) == (1, 1)


def test_a_candidate_must_be_an_active_team_member_with_an_account(cast):
    ke = cast.client("fjordvik-ke")
    # No team yet: nothing to propose from.
    assert "ikke noe oppfølgingsteam" in ke.get(_person_page(cast)).content.decode()
    former = member(cast, "Per", "fjordvik-team")
    with unscoped():
        from django.utils import timezone

        type(former).objects.filter(pk=former.pk).update(left_at=timezone.now())
    response = ke.post(f"{_person_page(cast)}foresla/", {"member": str(former.uuid)})
    assert response.status_code == 200
    assert _assignments(cast) == []
    # A member of another person's team is not a candidate either.
    other = member(cast, "Klara", "fjordvik-koordinator")
    assert ke.post(f"{_person_page(cast)}foresla/", {"member": str(other.uuid)}).status_code == 200
    assert _assignments(cast) == []
    # Proposing the same candidate twice is refused.
    _propose(cast, "fjordvik-koordinator")
    twice = ke.post(
        f"{_person_page(cast)}foresla/", {"member": str(member(cast, "Per", "fjordvik-koordinator").uuid)}
    )
    assert twice.status_code == 200
    assert "Velg et aktivt medlem av teamet" in twice.content.decode()  # no longer offered
    assert len(_assignments(cast)) == 1
    # and the service refuses it on its own.
    from django.core.exceptions import ValidationError

    from oppfolging.access.actor import resolve_actor
    from oppfolging.access.persons import Need, access_person
    from oppfolging.core.tenancy import municipality_scope
    from oppfolging.teams.coordinator_services import coordinator_propose

    actor = resolve_actor(cast.users["fjordvik-ke"])
    with municipality_scope(cast.municipalities["fjordvik"]):
        access = access_person(actor, cast.persons["Per"].uuid, Need.ADMIN_DATA)
        with pytest.raises(ValidationError, match="allerede foreslått"):
            coordinator_propose(
                actor=actor, access=access, member=member(cast, "Per", "fjordvik-koordinator")
            )


def test_a_change_of_coordinator_overlaps_and_keeps_history(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    first = assignment(cast, "Per", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    proposal = _propose(cast, "fjordvik-team")
    cast.client("fjordvik-leder").post(
        f"/koordinatorer/oppnevning/{proposal.uuid}/vurder/", {"decision": "approve", "comment": ""}
    )
    ke = cast.client("fjordvik-ke")
    with django_capture_on_commit_callbacks(execute=True):
        ke.post(f"/koordinatorer/oppnevning/{proposal.uuid}/registrer/")
    statuses = {a.coordinator.username: (a.status, a.ended_at) for a in _assignments(cast)}
    assert statuses == {
        "fjordvik-koordinator": (AssignmentStatus.ACTIVE, None),
        "fjordvik-team": (AssignmentStatus.ACTIVE, None),
    }
    per_page = f"/personer/{cast.persons['Per'].uuid}/"
    assert cast.client("fjordvik-koordinator").get(per_page).status_code == 200
    assert cast.client("fjordvik-team").get(per_page).status_code == 200
    assert [m.to for m in mailoutbox] == [["fjordvik-team@demo.invalid"]]

    assert ke.post(f"/koordinatorer/oppnevning/{first.uuid}/avslutt/").status_code == 302
    ended = {a.coordinator.username: a for a in _assignments(cast)}
    assert ended["fjordvik-koordinator"].status == AssignmentStatus.ENDED
    assert ended["fjordvik-koordinator"].ended_at is not None
    assert ended["fjordvik-team"].status == AssignmentStatus.ACTIVE
    assert cast.client("fjordvik-koordinator").get(per_page).status_code == 404
    history = ke.get(_person_page(cast)).content.decode()
    assert "Ingrid Ergoterapeut" in history
    assert "Nina Sykepleier" in history
    assert "Avsluttet" in history
    # Ending twice is refused; the history stays.
    again = ke.post(f"/koordinatorer/oppnevning/{first.uuid}/avslutt/", follow=True)
    assert "Bare en aktiv koordinator" in again.content.decode()


def test_an_external_candidate_is_registered_directly_with_a_reason(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    proposal = _propose(cast, "sykehus")
    ke = cast.client("fjordvik-ke")
    page = ke.get(_person_page(cast)).content.decode()
    assert "Ingen leder i kommunen" in page
    assert (
        "Hanne" not in cast.client("fjordvik-leder").get("/koordinatorer/til-godkjenning/").content.decode()
    )
    # The ordinary registration needs a leader's approval.
    ke.post(f"/koordinatorer/oppnevning/{proposal.uuid}/registrer/")
    assert _assignments(cast)[0].status == AssignmentStatus.PROPOSED

    url = f"/koordinatorer/oppnevning/{proposal.uuid}/registrer-direkte/"
    assert ke.post(url, {"reason": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            ke.post(url, {"reason": "Overlege i spesialisthelsetjenesten i pakkeforløpet."}).status_code
            == 302
        )
    [active] = _assignments(cast)
    assert active.status == AssignmentStatus.ACTIVE
    assert active.leader is None
    assert active.leader_comment == "Overlege i spesialisthelsetjenesten i pakkeforløpet."
    assert [m.to for m in mailoutbox] == [["sykehus@demo.invalid"]]
    assert "Registrert uten leder" in ke.get(_person_page(cast)).content.decode()
    mine = cast.client("sykehus").get("/koordinatorer/mine/").content.decode()
    assert "Per Olsen" in mine
    assert cast.client("sykehus").get(f"/personer/{cast.persons['Per'].uuid}/").status_code == 200


def test_a_candidate_with_a_leader_cannot_be_registered_directly(cast):
    proposal = _propose(cast, "fjordvik-koordinator")
    url = f"/koordinatorer/oppnevning/{proposal.uuid}/registrer-direkte/"
    response = cast.client("fjordvik-ke").post(url, {"reason": "Haster."})
    assert response.status_code == 200
    assert "har en leder i kommunen" in response.content.decode()
    assert _assignments(cast)[0].status == AssignmentStatus.PROPOSED


def test_lidal_ke_cannot_touch_fjordviks_appointments(cast):
    proposal = _propose(cast, "fjordvik-koordinator")
    lidal = cast.client("lidal-ke")
    assert lidal.get(_person_page(cast)).status_code == 404
    for action in ["registrer", "avslutt"]:
        assert lidal.post(f"/koordinatorer/oppnevning/{proposal.uuid}/{action}/").status_code == 404
    assert lidal.get(f"/koordinatorer/oppnevning/{proposal.uuid}/registrer-direkte/").status_code == 404
    assert _assignments(cast)[0].status == AssignmentStatus.PROPOSED


def test_the_leader_role_comes_from_leading_a_unit_of_the_candidate(cast):
    """``leaders_of`` reads memberships: an ended leader role no longer approves."""
    from oppfolging.accounts.models import Membership
    from oppfolging.teams.coordinator_services import leaders_of

    ingrid = cast.users["fjordvik-koordinator"]
    fjordvik = cast.municipalities["fjordvik"]
    assert list(leaders_of(ingrid, fjordvik.pk)) == [cast.users["fjordvik-leder"]]
    Membership.objects.filter(user=cast.users["fjordvik-leder"], role=Role.LEADER).update(is_active=False)
    assert list(leaders_of(ingrid, fjordvik.pk)) == []
