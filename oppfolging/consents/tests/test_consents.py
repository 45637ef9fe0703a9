"""Consents: who may give them (from 16 the person, under 16 a guardian with the child's own view
recorded, a verge at any age), each kind recorded with its scope, withdrawal, and who may see and
change them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.consents import services
from oppfolging.consents.models import Consent, ConsentKind, ConsentShare, GivenBy
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.people.models import Relative, RelativeKind
from oppfolging.teams.models import TeamMember
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

TODAY = timezone.localdate


def _giver(**overrides):
    return {
        "consent-given_by": "person",
        "consent-given_on": TODAY().isoformat(),
        "consent-confirmed": "on",
        **overrides,
    }


def _guardian(person, name):
    with unscoped():
        return person.relatives.get(name=name)


def _record(cast, person, slug, data, username="fjordvik-ke"):
    return cast.client(username).post(f"/samtykker/{person.uuid}/ny/{slug}/", data)


def _consents(person, kind):
    with unscoped():
        return list(Consent.objects.filter(person=person, kind=kind))


def _service_access(cast, person, username="fjordvik-ke"):
    who = actor(cast.users[username])
    with municipality_scope(who.municipality):
        return who, team_access(who, person.uuid, manage=True)


# --- Who consents ------------------------------------------------------------------------------


def test_under_16_a_consent_given_by_the_child_is_refused(cast):
    aron = cast.persons["Aron"]  # 5 years old
    response = _record(cast, aron, "planarbeid", _giver(**{"consent-persons_own_view": "Vil gjerne."}))
    assert response.status_code == 200
    assert "Aron er under 16 år og kan ikke samtykke alene" in response.content.decode()
    assert _consents(aron, ConsentKind.PLAN_WORK) == []
    who = actor(cast.users["fjordvik-ke"])
    with municipality_scope(who.municipality):
        access = team_access(who, aron.uuid, manage=True)
        with pytest.raises(ValidationError) as refused:
            services.consent_record_plan_work(
                actor=who,
                access=access,
                giver=services.ConsentGiver(given_by=GivenBy.PERSON, persons_own_view="Ja"),
            )
    assert "given_by" in refused.value.message_dict


def test_under_16_a_guardian_consents_and_the_childs_own_view_is_recorded(cast):
    aron = cast.persons["Aron"]
    mother = _guardian(aron, "Lene Nilsen")
    data = _giver(**{"consent-given_by": "guardian", "consent-given_by_relative": str(mother.uuid)})
    response = _record(cast, aron, "planarbeid", data)
    assert response.status_code == 200
    assert "skriv ned hva Aron selv mener" in response.content.decode()
    assert _consents(aron, ConsentKind.PLAN_WORK) == []

    data["consent-persons_own_view"] = "Aron sier han liker å være hjemme med mamma."
    assert _record(cast, aron, "planarbeid", data).status_code == 302
    [given] = _consents(aron, ConsentKind.PLAN_WORK)
    assert given.given_by == GivenBy.GUARDIAN
    assert given.given_by_relative == mother
    assert given.persons_own_view == "Aron sier han liker å være hjemme med mamma."
    page = cast.client("fjordvik-ke").get(f"/samtykker/{aron.uuid}/").content.decode()
    assert "Lene Nilsen" in page
    assert "liker å være hjemme" in page


def test_the_consenting_guardian_must_be_a_guardian_of_this_child(cast):
    aron, klara = cast.persons["Aron"], cast.persons["Klara"]
    view = {"consent-given_by": "guardian", "consent-persons_own_view": "Ingen mening."}
    missing = _record(cast, aron, "planarbeid", _giver(**view))
    assert "Velg den foresatte som samtykker" in missing.content.decode()
    daughter = _guardian(klara, "Berit Lund")  # someone else's relative: not offered, not accepted
    other = _record(
        cast, aron, "planarbeid", _giver(**view, **{"consent-given_by_relative": str(daughter.uuid)})
    )
    assert other.status_code == 200
    who, access = _service_access(cast, aron)
    with municipality_scope(who.municipality), pytest.raises(ValidationError) as refused:
        services.consent_record_plan_work(
            actor=who,
            access=access,
            giver=services.ConsentGiver(
                given_by=GivenBy.GUARDIAN, given_by_relative=daughter, persons_own_view="Ingen mening."
            ),
        )
    assert "given_by_relative" in refused.value.message_dict
    assert _consents(aron, ConsentKind.PLAN_WORK) == []


def test_from_16_the_person_consents_and_a_guardian_cannot(cast):
    emil = cast.persons["Emil"]  # 18
    with unscoped():
        father = Relative.objects.create(
            municipality=emil.municipality, person=emil, kind=RelativeKind.GUARDIAN, name="Jon Haugen"
        )
    data = _giver(**{"consent-given_by": "guardian", "consent-given_by_relative": str(father.uuid)})
    response = _record(cast, emil, "planarbeid", data)
    assert "Emil er 16 år eller eldre og samtykker selv" in response.content.decode()
    assert _record(cast, emil, "planarbeid", _giver()).status_code == 302
    [given] = _consents(emil, ConsentKind.PLAN_WORK)
    assert given.given_by == GivenBy.PERSON
    assert given.given_by_relative is None


def test_a_16_year_old_consents_themself(cast):
    ola = cast.persons["Ola"]  # 16, Lidal
    assert ola.age() == 16
    assert _record(cast, ola, "planarbeid", _giver(), username="lidal-ke").status_code == 302
    assert len(_consents(ola, ConsentKind.PLAN_WORK)) == 1


def test_a_verge_consents_on_behalf_of_an_adult(cast):
    klara = cast.persons["Klara"]
    with unscoped():
        verge = Relative.objects.create(
            municipality=klara.municipality,
            person=klara,
            kind=RelativeKind.LEGAL_REPRESENTATIVE,
            name="Verge Vik",
        )
    daughter = _guardian(klara, "Berit Lund")
    as_verge = {"consent-given_by": "legal_representative"}
    wrong = _record(
        cast, klara, "planarbeid", _giver(**as_verge, **{"consent-given_by_relative": str(daughter.uuid)})
    )
    assert wrong.status_code == 200  # next of kin is no verge
    right = _record(
        cast, klara, "planarbeid", _giver(**as_verge, **{"consent-given_by_relative": str(verge.uuid)})
    )
    assert right.status_code == 302
    [given] = _consents(klara, ConsentKind.PLAN_WORK)
    assert (given.given_by, given.given_by_relative) == (GivenBy.LEGAL_REPRESENTATIVE, verge)


def test_dates_must_make_sense(cast):
    per = cast.persons["Per"]
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    body = _record(cast, per, "planarbeid", _giver(**{"consent-given_on": tomorrow})).content.decode()
    assert "kan ikke være fram i tid" in body
    body = _record(cast, per, "planarbeid", _giver(**{"consent-expires_on": yesterday})).content.decode()
    assert "kan ikke utløpe før det er gitt" in body
    assert _consents(per, ConsentKind.PLAN_WORK) == []


def test_adding_a_member_to_a_childs_team_needs_the_guardians_consent_and_the_childs_view(cast):
    aron = cast.persons["Aron"]
    make_team(aron)
    mother = _guardian(aron, "Lene Nilsen")
    client = cast.client("fjordvik-ke")
    member = {"member-member_type": "name_only", "member-name": "Pedagog Pia", "member-kind": "core"}
    refused = client.post(f"/team/{aron.uuid}/medlemmer/ny/", {**member, **_giver()})
    assert refused.status_code == 200
    assert "Aron er under 16 år" in refused.content.decode()
    with unscoped():
        assert not TeamMember.objects.filter(team__person=aron).exists()
    accepted = client.post(
        f"/team/{aron.uuid}/medlemmer/ny/",
        {
            **member,
            **_giver(
                **{
                    "consent-given_by": "guardian",
                    "consent-given_by_relative": str(mother.uuid),
                    "consent-persons_own_view": "Aron kjenner Pia fra barnehagen og vil ha henne med.",
                }
            ),
        },
    )
    assert accepted.status_code == 302
    with unscoped():
        given = Consent.objects.get(team_member__team__person=aron)
    assert given.given_by == GivenBy.GUARDIAN
    assert given.given_by_relative == mother
    assert given.persons_own_view.startswith("Aron kjenner Pia")


# --- Each kind, with its scope -----------------------------------------------------------------


def test_information_sharing_records_which_member_may_see_which_sections(cast):
    per = cast.persons["Per"]
    team = make_team(per)
    nurse = add_member(team, cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    physio = add_member(team, cast.users["fjordvik-ke"], name="Bente Berg")
    form = cast.client("fjordvik-ke").get(f"/samtykker/{per.uuid}/ny/deling/").content.decode()
    assert "Utfordringer" in form
    assert "Medisinsk tilstand" in form
    assert "Bente Berg" in form
    empty = _record(cast, per, "deling", _giver())
    assert "Velg minst én del av kartleggingen for minst ett medlem." in empty.content.decode()
    data = _giver(
        **{
            f"scope-sections_{nurse.uuid.hex}": ["medical", "physical", "wishes"],
            f"scope-sections_{physio.uuid.hex}": ["physical"],
        }
    )
    assert _record(cast, per, "deling", data).status_code == 302
    [given] = _consents(per, ConsentKind.INFORMATION_SHARING)
    with unscoped():
        shares = {s.team_member_id: sorted(s.sections) for s in ConsentShare.objects.filter(consent=given)}
        event = AuditEvent.objects.get(object_uuid=given.uuid, action=AuditAction.CREATE)
    assert shares == {nurse.pk: ["medical", "physical", "wishes"], physio.pk: ["physical"]}
    assert event.what == "consent"
    assert event.detail["sections"][str(physio.uuid)] == ["physical"]


def test_unknown_sections_and_former_members_are_refused_by_the_service(cast):
    per = cast.persons["Per"]
    team = make_team(per)
    nurse = add_member(team, cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    gone = add_member(team, cast.users["fjordvik-ke"], name="Gått", left_at=timezone.now())
    who, access = _service_access(cast, per)
    giver = services.ConsentGiver(given_by=GivenBy.PERSON)
    with municipality_scope(who.municipality):
        with pytest.raises(ValidationError):
            services.consent_record_information_sharing(
                actor=who, access=access, shares={nurse: ["secret_notes"]}, giver=giver
            )
        with pytest.raises(ValidationError):
            services.consent_record_information_sharing(
                actor=who, access=access, shares={gone: ["medical"]}, giver=giver
            )
    assert _consents(per, ConsentKind.INFORMATION_SHARING) == []


def test_a_team_membership_consent_can_be_given_again_after_a_withdrawal(cast):
    per = cast.persons["Per"]
    member = add_member(make_team(per), cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    with unscoped():
        Consent.objects.filter(team_member=member).update(withdrawn_at=timezone.now())
    assert cast.client("fjordvik-team").get(f"/personer/{per.uuid}/").status_code == 404
    data = _giver(**{"scope-team_member": str(member.uuid)})
    assert _record(cast, per, "teammedlem", data).status_code == 302
    assert cast.client("fjordvik-team").get(f"/personer/{per.uuid}/").status_code == 200


# --- Withdrawing ------------------------------------------------------------------------------


def test_withdrawing_is_audited_and_keeps_the_consent_as_history(cast):
    per = cast.persons["Per"]
    team = make_team(per)
    make_coordinator(team, cast.users["fjordvik-koordinator"], cast.users["fjordvik-ke"])
    given = consent(per, ConsentKind.PLAN_WORK, cast.users["fjordvik-ke"])
    client = cast.client("fjordvik-koordinator")
    assert client.post(f"/samtykker/{per.uuid}/{given.uuid}/trekk-tilbake/").status_code == 302
    with unscoped():
        given.refresh_from_db()
        event = AuditEvent.objects.get(object_uuid=given.uuid, action=AuditAction.UPDATE)
    assert given.withdrawn_at is not None
    assert given.withdrawn_by == cast.users["fjordvik-koordinator"]
    assert (event.what, event.role, event.detail["withdrawn"]) == ("consent", "coordinator", True)
    again = client.post(f"/samtykker/{per.uuid}/{given.uuid}/trekk-tilbake/", follow=True)
    assert "allerede trukket tilbake" in again.content.decode()
    page = client.get(f"/samtykker/{per.uuid}/").content.decode()
    assert "Trukket tilbake" in page


def test_a_consent_is_withdrawn_only_through_its_own_person(cast):
    per, kari = cast.persons["Per"], cast.persons["Kari"]
    karis = consent(kari, ConsentKind.PLAN_WORK, cast.users["fjordvik-ke"])
    response = cast.client("fjordvik-ke").post(f"/samtykker/{per.uuid}/{karis.uuid}/trekk-tilbake/")
    assert response.status_code == 404
    sigrids = consent(cast.persons["Sigrid"], ConsentKind.PLAN_WORK, cast.users["lidal-ke"])
    response = cast.client("fjordvik-ke").post(
        f"/samtykker/{cast.persons['Sigrid'].uuid}/{sigrids.uuid}/trekk-tilbake/"
    )
    assert response.status_code == 404
    with unscoped():
        assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_only_those_who_record_consents_may_withdraw_them(cast):
    per = cast.persons["Per"]
    add_member(make_team(per), cast.users["fjordvik-ke"], user=cast.users["fjordvik-team"])
    given = consent(per, ConsentKind.PLAN_WORK, cast.users["fjordvik-ke"])
    for username in ("fjordvik-team", "fjordvik-tildeling", "fjordvik-leder", "per", "lidal-ke", "sykehus"):
        response = cast.client(username).post(f"/samtykker/{per.uuid}/{given.uuid}/trekk-tilbake/")
        assert response.status_code == 404, username
    with unscoped():
        given.refresh_from_db()
    assert given.withdrawn_at is None


# --- The page ---------------------------------------------------------------------------------


def test_the_consents_page_is_audited_and_shows_days_to_expiry(cast):
    per = cast.persons["Per"]
    consent(
        per,
        ConsentKind.PLAN_WORK,
        cast.users["fjordvik-ke"],
        expires_on=TODAY() + datetime.timedelta(days=12),
    )
    consent(
        per, ConsentKind.PLAN_WORK, cast.users["fjordvik-ke"], expires_on=TODAY() - datetime.timedelta(days=2)
    )
    body = cast.client("fjordvik-ke").get(f"/samtykker/{per.uuid}/").content.decode()
    assert "Utløper om 12 dager" in body
    assert "Utløpt" in body
    with unscoped():
        event = AuditEvent.objects.filter(person=per, what="consent").latest("id")
    assert (event.action, event.role) == (AuditAction.VIEW, "ke_staff")


def test_the_consents_page_query_count_does_not_grow_with_consents(cast):
    per = cast.persons["Per"]
    team = make_team(per)
    client = cast.client("fjordvik-ke")
    url = f"/samtykker/{per.uuid}/"

    def grow(start, n):
        for i in range(start, start + n):
            add_member(team, cast.users["fjordvik-ke"], name=f"Medlem {i}", sections=["medical", "economy"])
            consent(per, ConsentKind.PLAN_WORK, cast.users["fjordvik-ke"], expires_on=TODAY())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(url)
    grow(0, 3)
    small = count()
    grow(3, 17)
    assert count() == small


def test_the_allocation_officer_records_consents_while_handling_the_case(cast):
    per = cast.persons["Per"]
    client = cast.client("fjordvik-tildeling")
    assert client.get(f"/samtykker/{per.uuid}/").status_code == 404
    assert _record(cast, per, "planarbeid", _giver(), username="fjordvik-tildeling").status_code == 404
    open_report(per, cast.users["fjordvik-fastlege"])
    assert client.get(f"/samtykker/{per.uuid}/").status_code == 200
    assert _record(cast, per, "planarbeid", _giver(), username="fjordvik-tildeling").status_code == 302
    [given] = _consents(per, ConsentKind.PLAN_WORK)
    with unscoped():
        event = AuditEvent.objects.get(object_uuid=given.uuid, action=AuditAction.CREATE)
    assert event.role == "allocation_officer"
    assert given.recorded_by == cast.users["fjordvik-tildeling"]
