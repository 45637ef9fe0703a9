"""What team membership and consent give, tested where it matters (issue 3, "Done when"):
an external user sees nothing until made a member with consent; a withdrawn information-sharing
consent hides the parts it covered on the next request; a former member cannot read what was
written after they left."""

from __future__ import annotations

import datetime
import re

import pytest
from django.http import Http404
from django.utils import timezone

from oppfolging.access.persons import Need, access_person
from oppfolging.consents.models import Consent, ConsentKind, ConsentShare
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.teams.models import TeamMember
from oppfolging.teams.tests.test_team_support import actor, add_member, make_coordinator, make_team

pytestmark = pytest.mark.django_db


def _add_by_form(client, person, user, **extra):
    data = {
        "q": user.last_name,
        "member-member_type": "user",
        "member-user": str(user.uuid),
        "member-kind": "core",
        "consent-given_by": "person",
        "consent-given_on": timezone.localdate().isoformat(),
        "consent-confirmed": "on",
        **extra,
    }
    return client.post(f"/team/{person.uuid}/medlemmer/ny/", data)


def _sections_shown(html, member):
    """The cell of the team page that says which parts of the assessment the member may see."""
    match = re.search(rf'<td data-sections="{member.uuid}">(.*?)</td>', html, re.S)
    assert match, "the member's row is on the page"
    return match.group(1).strip()


def _access(user, person, need=Need.CASE_CONTENT):
    who = actor(user)
    with municipality_scope(who.municipality):
        return access_person(who, person.uuid, need)


def test_an_external_user_sees_nothing_of_per_until_made_a_member_with_consent(cast):
    per, doctor = cast.persons["Per"], cast.users["sykehus"]
    hospital = cast.client("sykehus")
    pages = [f"/personer/{per.uuid}/", f"/team/{per.uuid}/", f"/api/v1/persons/{per.uuid}"]
    assert [hospital.get(url).status_code for url in pages] == [404, 404, 404]

    ke = cast.client("fjordvik-ke")
    assert ke.post(f"/team/{per.uuid}/opprett/").status_code == 302
    # A member row without the person's consent (written around the service) gives nothing.
    with unscoped():
        team = per.care_team
    bare = add_member(team, cast.users["fjordvik-ke"], user=doctor, consented=False)
    assert [hospital.get(url).status_code for url in pages] == [404, 404, 404]
    with unscoped():
        TeamMember.objects.filter(pk=bare.pk).update(left_at=timezone.now())

    response = _add_by_form(ke, per, doctor)
    assert response.status_code == 302, response.content.decode()
    assert [hospital.get(url).status_code for url in pages] == [200, 200, 200]
    assert "Per Olsen" in hospital.get(f"/personer/{per.uuid}/").content.decode()
    # Membership gives Per's administrative data and (narrowed) content, never the whole number.
    body = hospital.get(f"/personer/{per.uuid}/").content.decode()
    assert per.national_id not in body
    # Sigrid (Lidal) stays out of reach.
    assert hospital.get(f"/personer/{cast.persons['Sigrid'].uuid}/").status_code == 404


def test_a_withdrawn_information_sharing_consent_hides_what_it_covered_on_the_next_request(cast):
    per, nurse, ke_user = cast.persons["Per"], cast.users["fjordvik-team"], cast.users["fjordvik-ke"]
    team = make_team(per)
    member = add_member(team, ke_user, user=nurse, sections=["medical", "physical"])
    add_member(team, ke_user, user=cast.users["fjordvik-fastlege"], sections=["medical"])
    # A second, separate sharing consent for the nurse: withdrawing the first leaves this one.
    with unscoped():
        first = Consent.objects.get(kind=ConsentKind.INFORMATION_SHARING, shares__team_member=member)
    with unscoped():
        second = Consent.objects.create(
            municipality=per.municipality,
            person=per,
            kind=ConsentKind.INFORMATION_SHARING,
            given_by="person",
            recorded_by=ke_user,
        )
        ConsentShare.objects.create(
            municipality=per.municipality, consent=second, team_member=member, sections=["mental"]
        )

    before = _access(nurse, per)
    assert before.may_see_section("medical")
    assert before.may_see_section("physical")
    assert before.may_see_section("mental")
    assert not before.may_see_section("economy")
    page = cast.client("fjordvik-ke").get(f"/team/{per.uuid}/").content.decode()
    assert (
        _sections_shown(page, member)
        == "Medisinsk tilstand, Fysisk funksjon, Psykisk og psykososial funksjon"
    )

    response = cast.client("fjordvik-ke").post(f"/samtykker/{per.uuid}/{first.uuid}/trekk-tilbake/")
    assert response.status_code == 302

    after = _access(nurse, per)
    assert not after.may_see_section("medical")
    assert not after.may_see_section("physical")
    assert after.may_see_section("mental")  # the other consent still holds
    page = cast.client("fjordvik-ke").get(f"/team/{per.uuid}/").content.decode()
    assert _sections_shown(page, member) == "Psykisk og psykososial funksjon"
    # The GP's sharing consent was not touched.
    assert _access(cast.users["fjordvik-fastlege"], per).may_see_section("medical")
    # The nurse's own team page shows the narrowed scope too.
    own = cast.client("fjordvik-team").get(f"/team/{per.uuid}/").content.decode()
    assert _sections_shown(own, member) == "Psykisk og psykososial funksjon"
    # Withdrawing the last sharing consent leaves the member in the team, seeing no part.
    assert (
        cast.client("fjordvik-ke").post(f"/samtykker/{per.uuid}/{second.uuid}/trekk-tilbake/").status_code
        == 302
    )
    assert not any(_access(nurse, per).may_see_section(key) for key in ("medical", "physical", "mental"))
    page = cast.client("fjordvik-ke").get(f"/team/{per.uuid}/").content.decode()
    assert _sections_shown(page, member) == "Ingen deler"


def test_withdrawing_the_team_membership_consent_ends_all_access_at_the_next_request(cast):
    per, nurse = cast.persons["Per"], cast.users["fjordvik-team"]
    member = add_member(make_team(per), cast.users["fjordvik-ke"], user=nurse, sections=["medical"])
    client = cast.client("fjordvik-team")
    assert client.get(f"/personer/{per.uuid}/").status_code == 200
    with unscoped():
        consent = Consent.objects.get(kind=ConsentKind.TEAM_MEMBERSHIP, team_member=member)
    assert (
        cast.client("fjordvik-ke").post(f"/samtykker/{per.uuid}/{consent.uuid}/trekk-tilbake/").status_code
        == 302
    )
    assert client.get(f"/personer/{per.uuid}/").status_code == 404
    assert client.get(f"/team/{per.uuid}/").status_code == 404
    with pytest.raises(Http404):
        _access(nurse, per, Need.ADMIN_DATA)


def test_an_expired_consent_gives_nothing(cast):
    per, nurse = cast.persons["Per"], cast.users["fjordvik-team"]
    member = add_member(make_team(per), cast.users["fjordvik-ke"], user=nurse)
    with unscoped():
        Consent.objects.filter(team_member=member).update(
            expires_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    assert cast.client("fjordvik-team").get(f"/personer/{per.uuid}/").status_code == 404


def test_a_former_member_cannot_read_content_written_after_leaving(cast):
    per, doctor = cast.persons["Per"], cast.users["sykehus"]
    team = make_team(per)
    member = add_member(team, cast.users["fjordvik-ke"], user=doctor, sections=["medical"])
    while_member = _access(doctor, per)
    assert while_member.until is None
    assert while_member.may_see_written_at(timezone.now() + datetime.timedelta(days=365))

    response = cast.client("fjordvik-koordinator").post(f"/team/{per.uuid}/medlemmer/{member.uuid}/avslutt/")
    assert response.status_code == 404  # Ingrid is not Per's coordinator (yet)
    make_coordinator(team, cast.users["fjordvik-koordinator"], cast.users["fjordvik-ke"])
    response = cast.client("fjordvik-koordinator").post(f"/team/{per.uuid}/medlemmer/{member.uuid}/avslutt/")
    assert response.status_code == 302
    with unscoped():
        member.refresh_from_db()
    assert member.left_at is not None

    former = _access(doctor, per)
    assert former.role == "former_team_member"
    assert former.until == member.left_at
    written_before = member.left_at - datetime.timedelta(minutes=5)
    written_after = member.left_at + datetime.timedelta(seconds=1)
    assert former.may_see_written_at(written_before)
    assert former.may_see_written_at(member.left_at)
    assert not former.may_see_written_at(written_after)
    assert former.may_see_section("medical")  # the history they had stays readable
    # The team itself is for active members: the former member no longer opens it.
    assert cast.client("sykehus").get(f"/team/{per.uuid}/").status_code == 404
    # The history stays: the member row is kept, with its dates.
    page = cast.client("fjordvik-ke").get(f"/team/{per.uuid}/").content.decode()
    assert "Tidligere medlemmer" in page
    assert "Hanne Sykehuslege" in page


def test_readding_a_former_member_gives_access_again_without_a_time_limit(cast):
    per, doctor = cast.persons["Per"], cast.users["sykehus"]
    team = make_team(per)
    add_member(
        team, cast.users["fjordvik-ke"], user=doctor, left_at=timezone.now() - datetime.timedelta(days=9)
    )
    assert _access(doctor, per).until is not None
    add_member(team, cast.users["fjordvik-ke"], user=doctor)
    assert _access(doctor, per).until is None
