"""The team page and its changes: who may open and change it, adding members of every kind with
the person's consent in the same step, members leaving, the audit trail and the query count."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.consents.models import Consent, ConsentKind, GivenBy
from oppfolging.consents.services import ConsentGiver
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.referrals.models import ReportStatus
from oppfolging.teams import team_services
from oppfolging.teams.models import CareTeam, TeamMember
from oppfolging.teams.team_selectors import team_access
from oppfolging.teams.tests.test_team_support import (
    actor,
    add_member,
    consent,
    make_coordinator,
    make_team,
    open_report,
)

pytestmark = pytest.mark.django_db


def _consent_fields(**overrides):
    return {
        "consent-given_by": "person",
        "consent-given_on": timezone.localdate().isoformat(),
        "consent-confirmed": "on",
        **overrides,
    }


def _post_member(client, person, member, consent=None):
    data = {"member-kind": "core", **member, **(consent if consent is not None else _consent_fields())}
    return client.post(f"/team/{person.uuid}/medlemmer/ny/", data)


def _members(person):
    with unscoped():
        return list(TeamMember.objects.filter(team__person=person).order_by("id"))


# --- Who may open and change the team --------------------------------------------------------


def test_ke_opens_the_team_page_and_the_read_is_audited(cast):
    per = cast.persons["Per"]
    response = cast.client("fjordvik-ke").get(f"/team/{per.uuid}/")
    assert response.status_code == 200
    assert "har ikke noe oppfølgingsteam ennå" in response.content.decode()
    with unscoped():
        event = AuditEvent.objects.filter(person=per, what="care_team").latest("id")
    assert event.action == AuditAction.VIEW
    assert event.role == "ke_staff"
    assert event.actor == cast.users["fjordvik-ke"]


def test_the_allocation_officer_opens_the_team_only_while_the_case_is_in_the_queue(cast):
    per = cast.persons["Per"]
    client = cast.client("fjordvik-tildeling")
    assert client.get(f"/team/{per.uuid}/").status_code == 404
    report = open_report(per, cast.users["fjordvik-fastlege"])
    assert client.get(f"/team/{per.uuid}/").status_code == 200
    with unscoped():
        report.status = ReportStatus.DECIDED
        report.save()
    assert client.get(f"/team/{per.uuid}/").status_code == 404


def test_the_coordinator_and_consented_members_open_the_team_others_do_not(cast):
    per = cast.persons["Per"]
    team = make_team(per)
    for username in ("fjordvik-koordinator", "fjordvik-team", "fjordvik-fastlege", "lidal-ke", "sykehus"):
        assert cast.client(username).get(f"/team/{per.uuid}/").status_code == 404, username
    make_coordinator(team, cast.users["fjordvik-koordinator"], cast.users["fjordvik-ke"])
    add_member(team, cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    add_member(team, cast.users["fjordvik-ke"], user=cast.users["fjordvik-fastlege"], consented=False)
    assert cast.client("fjordvik-koordinator").get(f"/team/{per.uuid}/").status_code == 200
    assert cast.client("fjordvik-team").get(f"/team/{per.uuid}/").status_code == 200
    assert cast.client("fjordvik-fastlege").get(f"/team/{per.uuid}/").status_code == 404
    # A member sees the team but may not change it.
    nurse = cast.client("fjordvik-team")
    assert nurse.get(f"/team/{per.uuid}/medlemmer/ny/").status_code == 404
    assert nurse.post(f"/team/{per.uuid}/opprett/").status_code == 404
    assert "Legg til medlem" not in nurse.get(f"/team/{per.uuid}/").content.decode()
    assert "Legg til medlem" in cast.client("fjordvik-koordinator").get(f"/team/{per.uuid}/").content.decode()


def test_citizens_and_the_other_municipality_cannot_change_the_team(cast):
    per = cast.persons["Per"]
    for username in ("per", "aron-mor", "lidal-ke", "lidal-tildeling", "utenforstaaende", "fjordvik-leder"):
        client = cast.client(username)
        assert client.post(f"/team/{per.uuid}/opprett/").status_code == 404, username
    with unscoped():
        assert not CareTeam.objects.filter(person=per).exists()


def test_creating_the_team_is_audited_and_happens_once(cast):
    per = cast.persons["Per"]
    client = cast.client("fjordvik-ke")
    assert client.post(f"/team/{per.uuid}/opprett/").status_code == 302
    response = client.post(f"/team/{per.uuid}/opprett/", follow=True)
    assert "har allerede et oppfølgingsteam" in response.content.decode()
    with unscoped():
        assert CareTeam.objects.filter(person=per).count() == 1
        event = AuditEvent.objects.get(person=per, what="care_team", action=AuditAction.CREATE)
    assert event.role == "ke_staff"


def test_the_add_member_page_needs_a_team_first(cast):
    per = cast.persons["Per"]
    response = cast.client("fjordvik-ke").get(f"/team/{per.uuid}/medlemmer/ny/")
    assert response.status_code == 302
    assert response["Location"] == f"/team/{per.uuid}/"


# --- Adding members --------------------------------------------------------------------------


def test_staff_search_finds_users_of_any_unit_external_ones_included(cast):
    per = cast.persons["Per"]
    make_team(per)
    client = cast.client("fjordvik-ke")
    body = client.get(f"/team/{per.uuid}/medlemmer/ny/", {"q": "Fjellheim"}).content.decode()
    assert "Hanne Sykehuslege" in body
    assert "Fjellheim sykehus, medisinsk avdeling" in body
    assert "Ingrid Ergoterapeut" not in body
    body = client.get(f"/team/{per.uuid}/medlemmer/ny/", {"q": "Ingrid"}).content.decode()
    assert "Ingrid Ergoterapeut" in body
    # Nobody without an active role (the outsider) and no citizen is offered.
    assert "Ulf Utenfor" not in client.get(f"/team/{per.uuid}/medlemmer/ny/", {"q": "Ulf"}).content.decode()
    citizen = cast.users["per"]
    assert (
        str(citizen.uuid)
        not in client.get(f"/team/{per.uuid}/medlemmer/ny/", {"q": "Olsen"}).content.decode()
    )
    assert (
        str(cast.users["fjordvik-team"].uuid)
        in client.get(f"/team/{per.uuid}/medlemmer/ny/", {"q": "Sykepleier"}).content.decode()
    )


def test_adding_an_external_staff_member_records_member_and_consent_together_audited(cast):
    per, doctor = cast.persons["Per"], cast.users["sykehus"]
    make_team(per)
    response = _post_member(
        cast.client("fjordvik-ke"),
        per,
        {"q": "Sykehuslege", "member-member_type": "user", "member-user": str(doctor.uuid)},
    )
    assert response.status_code == 302
    [member] = _members(per)
    assert member.user == doctor
    assert member.name == "Hanne Sykehuslege"
    assert member.discipline == "Overlege"  # the user's title, when no discipline is given
    assert member.unit is not None
    assert member.unit.name == "Fjellheim sykehus, medisinsk avdeling"
    assert member.kind == "core"
    assert member.left_at is None
    with unscoped():
        given = Consent.objects.get(team_member=member)
        events = {e.what: e for e in AuditEvent.objects.filter(person=per, action=AuditAction.CREATE)}
    assert given.kind == ConsentKind.TEAM_MEMBERSHIP
    assert given.given_by == GivenBy.PERSON
    assert given.recorded_by == cast.users["fjordvik-ke"]
    assert events["team_member"].object_uuid == member.uuid
    assert events["consent"].object_uuid == given.uuid
    page = cast.client("fjordvik-ke").get(f"/team/{per.uuid}/").content.decode()
    assert "Hanne Sykehuslege" in page
    assert "Kjernemedlem" in page


def test_a_member_without_an_account_is_added_by_name(cast):
    per = cast.persons["Per"]
    make_team(per)
    with unscoped():
        physio = Unit.objects.get(name="Fysioterapeut Berg, privat praksis")
    response = _post_member(
        cast.client("fjordvik-ke"),
        per,
        {
            "member-member_type": "name_only",
            "member-name": "Bente Berg",
            "member-discipline": "Fysioterapeut",
            "member-unit": str(physio.uuid),
            "member-kind": "as_needed",
        },
    )
    assert response.status_code == 302
    [member] = _members(per)
    assert (member.user, member.name, member.unit, member.kind) == (None, "Bente Berg", physio, "as_needed")
    assert "uten brukerkonto" in cast.client("fjordvik-ke").get(f"/team/{per.uuid}/").content.decode()


def test_adding_a_member_without_consent_is_impossible(cast):
    per, nurse = cast.persons["Per"], cast.users["fjordvik-team"]
    make_team(per)
    client = cast.client("fjordvik-ke")
    member = {"q": "Sykepleier", "member-member_type": "user", "member-user": str(nurse.uuid)}
    # The form requires the consent: who gave it and the confirmation.
    response = _post_member(client, per, member, consent={})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bekreft at samtykket er gitt." in body
    assert "Hvem har gitt samtykket?" in body
    response = _post_member(client, per, member, consent=_consent_fields(**{"consent-confirmed": ""}))
    assert response.status_code == 200
    assert _members(per) == []
    # The service refuses too: a consent the law does not accept adds no member.
    who = actor(cast.users["fjordvik-ke"])
    with municipality_scope(who.municipality):
        access = team_access(who, per.uuid, manage=True)
        with pytest.raises(ValidationError):
            team_services.team_member_add(
                actor=who,
                access=access,
                new=team_services.NewMember(user=nurse),
                consent=ConsentGiver(given_by=""),
            )
        with pytest.raises(TypeError):
            team_services.team_member_add(actor=who, access=access, new=team_services.NewMember(user=nurse))  # type: ignore[call-arg]
    assert _members(per) == []
    with unscoped():
        assert not AuditEvent.objects.filter(person=per, what="team_member").exists()


def test_a_team_member_cannot_add_through_the_service(cast):
    per = cast.persons["Per"]
    add_member(make_team(per), cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    who = actor(cast.users["fjordvik-team"])
    with municipality_scope(who.municipality):
        access = team_access(who, per.uuid)
        assert not access.may_manage
        with pytest.raises(PermissionError):
            team_services.team_member_add(
                actor=who,
                access=access,
                new=team_services.NewMember(name="Noen"),
                consent=ConsentGiver(given_by="person"),
            )


def test_one_member_kind_at_a_time_and_no_one_twice(cast):
    per, nurse = cast.persons["Per"], cast.users["fjordvik-team"]
    team = make_team(per)
    add_member(team, cast.users["fjordvik-ke"], user=nurse)
    client = cast.client("fjordvik-ke")
    response = _post_member(client, per, {"member-member_type": "name_only", "member-name": ""})
    assert "Skriv navnet på medlemmet." in response.content.decode()
    response = _post_member(
        client, per, {"q": "Sykepleier", "member-member_type": "user", "member-user": str(nurse.uuid)}
    )
    assert response.status_code == 200  # an active member is not offered again
    assert len(_members(per)) == 1


def test_a_relative_takes_part_only_with_an_involve_relatives_consent(cast):
    klara = cast.persons["Klara"]
    make_team(klara)
    with unscoped():
        daughter = klara.relatives.get(name="Berit Lund")
    client = cast.client("fjordvik-ke")
    member = {
        "member-member_type": "relative",
        "member-relative": str(daughter.uuid),
        "member-kind": "as_needed",
    }
    response = _post_member(client, klara, member)
    assert response.status_code == 200
    assert "har ikke samtykket til at Berit Lund involveres" in response.content.decode()
    assert _members(klara) == []
    # An involve-relatives consent for another relative (or a withdrawn one) is not enough.
    given = consent(klara, ConsentKind.INVOLVE_RELATIVES, cast.users["fjordvik-ke"], relative=daughter)
    with unscoped():
        Consent.objects.filter(pk=given.pk).update(withdrawn_at=timezone.now())
    assert _post_member(client, klara, member).status_code == 200
    # Recorded through the consents page, it is.
    response = client.post(
        f"/samtykker/{klara.uuid}/ny/parorende/", {"scope-relative": str(daughter.uuid), **_consent_fields()}
    )
    assert response.status_code == 302
    assert _post_member(client, klara, member).status_code == 302
    [added] = _members(klara)
    assert (added.relative, added.name, added.discipline) == (daughter, "Berit Lund", "datter")
    with unscoped():
        assert Consent.objects.filter(team_member=added, kind=ConsentKind.TEAM_MEMBERSHIP).exists()
    assert "pårørende" in client.get(f"/team/{klara.uuid}/").content.decode()


# --- Members leaving -------------------------------------------------------------------------


def test_removing_a_member_sets_left_at_keeps_the_row_and_is_audited(cast):
    per = cast.persons["Per"]
    member = add_member(make_team(per), cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    client = cast.client("fjordvik-ke")
    assert client.post(f"/team/{per.uuid}/medlemmer/{member.uuid}/avslutt/").status_code == 302
    with unscoped():
        member.refresh_from_db()
        event = AuditEvent.objects.get(person=per, what="team_member", action=AuditAction.UPDATE)
    assert member.left_at is not None
    assert event.object_uuid == member.uuid
    assert event.detail == {"left": True}
    response = client.post(f"/team/{per.uuid}/medlemmer/{member.uuid}/avslutt/", follow=True)
    assert "har allerede gått ut av teamet" in response.content.decode()
    assert cast.client("fjordvik-team").get(f"/team/{per.uuid}/").status_code == 404


def test_a_member_of_another_persons_team_cannot_be_removed_through_this_person(cast):
    per, kari = cast.persons["Per"], cast.persons["Kari"]
    make_team(per)
    other = add_member(make_team(kari), cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    response = cast.client("fjordvik-ke").post(f"/team/{per.uuid}/medlemmer/{other.uuid}/avslutt/")
    assert response.status_code == 404
    with unscoped():
        other.refresh_from_db()
    assert other.left_at is None


# --- Cost ------------------------------------------------------------------------------------


def _grow_team(cast, team, start, n):
    ke = cast.users["fjordvik-ke"]
    with unscoped():
        unit = Unit.objects.get(name="Hjemmetjenesten Fjordvik")
    for i in range(start, start + n):
        with unscoped():
            user = User.objects.create(username=f"teamtest{i}", first_name=f"Test{i}", last_name="Medlem")
            Membership.objects.create(user=user, unit=unit, role=Role.TEAM_MEMBER)
        member = add_member(team, ke, user=user, unit=unit, sections=["medical", "housing"])
        if i % 3 == 0:
            with unscoped():
                TeamMember.objects.filter(pk=member.pk).update(left_at=timezone.now())


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("username", ["fjordvik-ke", "fjordvik-koordinator"])
def test_team_page_query_count_does_not_grow_with_members(cast, username):
    per = cast.persons["Per"]
    team = make_team(per)
    make_coordinator(team, cast.users["fjordvik-koordinator"], cast.users["fjordvik-ke"])
    client = cast.client(username)
    url = f"/team/{per.uuid}/"
    client.get(url)  # warm up: session, content types
    _grow_team(cast, team, 0, 3)
    small = _count(client, url)
    _grow_team(cast, team, 3, 17)
    large = _count(client, url)
    assert len(_members(per)) == 20
    assert large == small, f"{small} queries with 3 members, {large} with 20"
