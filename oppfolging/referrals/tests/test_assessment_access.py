"""Who sees which parts of an assessment: consent narrows a team member to the sections it names,
a withdrawal takes effect on the next request, a former member sees nothing written after
leaving, other municipalities and outsiders get 404, and every read is audited."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from oppfolging.core.tenancy import unscoped
from oppfolging.referrals.checklist import SECTION_KEYS
from oppfolging.referrals.models import Assessment
from oppfolging.referrals.tests.test_assessment_support import (
    AuditMark,
    give_team,
    make_report,
    open_assessment,
    url,
    write,
)

pytestmark = pytest.mark.django_db


def _filled(cast):
    """Per's assessment with every section written ("text of <key>")."""
    assessment = open_assessment(cast, report=make_report(cast))
    author = cast.users["fjordvik-tildeling"]
    for key in SECTION_KEYS:
        write(assessment, key, f"text of {key}", author, at=timezone.now() - datetime.timedelta(days=2))
    return assessment


def _shown(page: str) -> list[str]:
    return [key for key in SECTION_KEYS if f"text of {key}" in page]


def test_a_team_member_sees_only_the_sections_the_person_shares_with_them(cast):
    assessment = _filled(cast)
    give_team(cast, "Per", {"fjordvik-team": ["wishes", "medical"]})
    mark = AuditMark()
    response = cast.client("fjordvik-team").get(url("detail", assessment))
    assert response.status_code == 200
    page = response.content.decode()
    assert _shown(page) == ["wishes", "medical"]
    assert "Du ser de delene av kartleggingen personen har samtykket til å dele med deg." in page
    assert "Konklusjon" not in page  # not named by the consent
    assert 'name="wishes-text"' not in page  # members read; the case's handlers write
    [row] = mark.rows(what="assessment")
    assert row.detail == {"sections": ["wishes", "medical"]}
    assert row.role == "team_member"
    assert cast.client("fjordvik-team").get(url("section", assessment, "economy")).status_code == 404
    assert cast.client("fjordvik-team").get(url("section", assessment, "medical")).status_code == 200


def test_a_withdrawn_consent_hides_the_parts_on_the_next_request(cast):
    assessment = _filled(cast)
    [(member, sharing)] = give_team(cast, "Per", {"fjordvik-team": ["wishes", "medical"]}).values()
    client = cast.client("fjordvik-team")
    assert _shown(client.get(url("detail", assessment)).content.decode()) == ["wishes", "medical"]
    assert sharing is not None
    with unscoped():
        sharing.withdrawn_at = timezone.now()
        sharing.save()
    mark = AuditMark()
    page = client.get(url("detail", assessment)).content.decode()
    assert _shown(page) == []
    assert "Ingen deler av kartleggingen er delt med deg." in page
    assert mark.rows(what="assessment")[0].detail == {"sections": []}
    assert client.get(url("section", assessment, "wishes")).status_code == 404
    with unscoped():  # the membership consent too: then the member is no longer let in at all
        member.consents.update(withdrawn_at=timezone.now())
    assert client.get(url("detail", assessment)).status_code == 404


def test_a_former_member_does_not_see_what_was_written_after_they_left(cast):
    assessment = _filled(cast)
    left = timezone.now() - datetime.timedelta(days=1)
    give_team(cast, "Per", {"fjordvik-team": ["wishes", "medical", "housing"]}, left_at=left)
    write(assessment, "medical", "new text after leaving", cast.users["fjordvik-tildeling"])
    response = cast.client("fjordvik-team").get(url("detail", assessment))
    assert response.status_code == 200
    page = response.content.decode()
    assert _shown(page) == ["wishes", "housing"]
    assert "new text after leaving" not in page
    assert "Medisinsk tilstand" not in page  # hidden entirely, not just its text
    assert cast.client("fjordvik-team").get(url("section", assessment, "medical")).status_code == 404


def test_a_former_member_finds_the_assessments_begun_before_they_left(cast):
    assessment = _filled(cast)
    give_team(cast, "Per", {"fjordvik-team": ["wishes"]}, left_at=timezone.now() - datetime.timedelta(days=1))
    client = cast.client("fjordvik-team")
    response = client.get(f"/kartlegging/{cast.persons['Per'].uuid}/")
    assert response.status_code == 200
    assert url("detail", assessment) not in response.content.decode()  # begun after they left
    with unscoped():
        Assessment.objects.filter(pk=assessment.pk).update(
            started_at=timezone.now() - datetime.timedelta(days=5)
        )
    listed = client.get(f"/kartlegging/{cast.persons['Per'].uuid}/").content.decode()
    assert url("detail", assessment) in listed


def test_the_coordinator_sees_everything_and_may_write(cast):
    assessment = _filled(cast)
    give_team(cast, "Per", {}, coordinator="fjordvik-koordinator")
    page = cast.client("fjordvik-koordinator").get(url("detail", assessment)).content.decode()
    assert _shown(page) == list(SECTION_KEYS)
    assert 'name="wishes-text"' in page


def test_an_external_user_sees_nothing_until_made_a_member(cast):
    assessment = _filled(cast)
    hospital = cast.client("sykehus")
    assert hospital.get(url("detail", assessment)).status_code == 404
    give_team(cast, "Per", {"sykehus": ["medical"]})
    page = hospital.get(url("detail", assessment)).content.decode()
    assert _shown(page) == ["medical"]


@pytest.mark.parametrize(
    "user", ["lidal-tildeling", "lidal-ke", "utenforstaaende", "fjordvik-team", "fjordvik-fastlege"]
)
def test_other_municipalities_and_outsiders_get_404(cast, user):
    assessment = _filled(cast)
    client = cast.client(user)
    mark = AuditMark()
    assert client.get(url("detail", assessment)).status_code == 404
    assert client.get(url("section", assessment, "wishes")).status_code == 404
    assert (
        client.post(
            url("section", assessment, "wishes"), {"wishes-text": "x", "wishes-version": 1}
        ).status_code
        == 404
    )
    assert (
        client.post(url("draft", assessment, "wishes"), {"wishes-text": "x", "wishes-version": 1}).status_code
        == 404
    )
    assert client.post(url("complete", assessment), {"complete-version": 1}).status_code == 404
    assert client.get(f"/kartlegging/ny/?person={cast.persons['Per'].uuid}").status_code == 404
    assert mark.rows() == []


def test_a_team_member_cannot_write(cast):
    assessment = _filled(cast)
    give_team(cast, "Per", {"fjordvik-team": list(SECTION_KEYS)})
    client = cast.client("fjordvik-team")
    assert (
        client.post(
            url("section", assessment, "wishes"), {"wishes-text": "x", "wishes-version": 1}
        ).status_code
        == 404
    )
    assert client.get(url("conclusion", assessment)).status_code == 404


def test_every_read_is_audited(cast):
    assessment = _filled(cast)
    client = cast.client("fjordvik-tildeling")
    mark = AuditMark()
    client.get(url("detail", assessment))
    client.get(url("detail", assessment))
    client.get(url("section", assessment, "family"))
    client.get(url("conclusion", assessment))
    client.get(f"/kartlegging/{cast.persons['Per'].uuid}/")
    rows = mark.rows()
    assert [row.what for row in rows] == [
        "assessment",
        "assessment",
        "assessment",
        "assessment",
        "assessment.list",
    ]
    assert rows[0].detail["sections"] == [*SECTION_KEYS, "participants", "circumstances", "conclusion"]
    assert rows[2].detail == {"sections": ["family"]}
    assert rows[3].detail == {"sections": ["conclusion"]}
    assert {row.role for row in rows} == {"allocation_officer"}
    assert all(row.person == cast.persons["Per"] for row in rows)
