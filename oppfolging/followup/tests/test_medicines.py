"""The medicine list and the medication review: kept by the GP in the team or the coordinator;
four or more regular medicines put the person on the GP's start page until reviewed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import Medicine
from oppfolging.followup.tests import builders as b
from oppfolging.teams.models import CareTeam
from oppfolging.teams.tests.test_team_support import add_member

pytestmark = pytest.mark.django_db


def _with_gp(cast, given="Medisin", serial=870, *, consented=True):
    person = b.coordinated(cast, given, serial=serial)
    with unscoped():
        team = CareTeam.objects.get(person=person)
    add_member(team, cast.users["fjordvik-ke"], user=cast.users["fjordvik-fastlege"], consented=consented)
    return person


def _reviews(client):
    return [row.person for row in client.get("/").context["medication_reviews"]]


def test_who_may_open_the_medicine_list(cast):
    person = _with_gp(cast)
    url = reverse("followup:medicines", args=[person.uuid])
    for user, status in {
        "fjordvik-koordinator": 200,
        "fjordvik-fastlege": 200,
        "fjordvik-team": 404,  # a member, but not the GP
        "fjordvik-ke": 404,
        "lidal-ke": 404,
        "per": 404,
    }.items():
        assert cast.client(user).get(url).status_code == status, user
    without = _with_gp(cast, "Uten", 871, consented=False)
    assert (
        cast.client("fjordvik-fastlege").get(reverse("followup:medicines", args=[without.uuid])).status_code
        == 404
    )


def test_adding_a_medicine_and_bad_input_that_keeps_what_was_typed(cast):
    person = _with_gp(cast)
    url = reverse("followup:medicines", args=[person.uuid])
    client = cast.client("fjordvik-fastlege")
    bad = client.post(
        url, {"action": "add", "name": "Metformin 500 mg", "atc_code": "XYZ", "is_regular": "on"}
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "ATC-koden har formen" in html
    assert 'value="Metformin 500 mg"' in html
    good = client.post(
        url, {"action": "add", "name": "Metformin 500 mg", "atc_code": "a10ba02", "is_regular": "on"}
    )
    assert good.status_code == 302
    with unscoped():
        medicine = Medicine.objects.get(person=person)
        assert medicine.atc_code == "A10BA02"
        assert medicine.recorded_by == cast.users["fjordvik-fastlege"]
        assert AuditEvent.objects.filter(what="medicine", object_uuid=medicine.uuid, action="create").exists()


def test_the_gp_sees_the_review_on_the_start_page_until_it_is_done(cast):
    person = _with_gp(cast)
    b.medicines(cast, person, 4)
    client = cast.client("fjordvik-fastlege")
    assert _reviews(client) == [person]
    assert person.full_name in client.get("/").content.decode()
    response = client.post(reverse("followup:medicines", args=[person.uuid]), {"action": "review"})
    assert response.status_code == 302
    with unscoped():
        assert not Medicine.objects.filter(person=person, last_reviewed_on__isnull=True).exists()
    home = client.get("/").content.decode()
    assert "Ingen venter på legemiddelgjennomgang." in home


def test_a_new_regular_medicine_after_a_review_makes_it_due_again_and_ended_ones_do_not_count(cast):
    person = _with_gp(cast)
    b.medicines(cast, person, 4, reviewed_on=b.days(-10))
    client = cast.client("fjordvik-fastlege")
    assert _reviews(client) == []
    url = reverse("followup:medicines", args=[person.uuid])
    client.post(url, {"action": "add", "name": "Ny medisin", "is_regular": "on"})
    assert _reviews(client) == [person]
    with unscoped():
        newest = Medicine.objects.get(person=person, name="Ny medisin")
    client.post(url, {"action": "end", "medicine": str(newest.uuid)})
    assert _reviews(client) == []


def test_a_gp_whose_consent_is_withdrawn_no_longer_sees_the_person(cast):
    person = _with_gp(cast)
    b.medicines(cast, person, 4)
    with unscoped():
        Consent.objects.filter(
            person=person, kind=ConsentKind.TEAM_MEMBERSHIP, team_member__user__username="fjordvik-fastlege"
        ).update(withdrawn_at=timezone.now())
    assert _reviews(cast.client("fjordvik-fastlege")) == []
