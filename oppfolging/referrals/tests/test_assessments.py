"""Opening, filling in and completing an assessment; nothing typed is lost (versions, drafts)."""

from __future__ import annotations

import pytest

from oppfolging.core.tenancy import unscoped
from oppfolging.referrals.checklist import SECTION_KEYS
from oppfolging.referrals.models import (
    Assessment,
    AssessmentDraft,
    AssessmentParticipant,
    AssessmentSection,
    AssessmentStatus,
    NeedReport,
    ReportStatus,
    ReportStatusChange,
)
from oppfolging.referrals.tests.test_assessment_support import (
    AuditMark,
    make_report,
    open_assessment,
    section,
    url,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _refresh(obj):
    with unscoped():
        obj.refresh_from_db()
    return obj


def _conclude(client, assessment, **overrides):
    data = {
        "conclusion-version": _refresh(assessment).version,
        "conclusion-needs_coordinated_services": "yes",
        "conclusion-needs_reason": "Flere tjenester over lang tid.",
        "conclusion-ip_status": "offered",
        "conclusion-coordinator_status": "offered",
        "conclusion-coordinator_wish": "Ergoterapeuten",
    }
    data.update(overrides)
    return client.post(url("conclusion", assessment), data)


def test_opening_from_a_report_creates_every_section_and_moves_the_report(cast):
    report = make_report(cast)
    client = cast.client("fjordvik-tildeling")
    form = client.get("/kartlegging/ny/", {"report": report.uuid})
    assert form.status_code == 200
    assert "Under vurdering" in form.content.decode()
    mark = AuditMark()
    response = client.post(f"/kartlegging/ny/?report={report.uuid}")
    assert response.status_code == 302
    with unscoped():
        assessment = Assessment.objects.get(report=report)
        keys = sorted(AssessmentSection.objects.filter(assessment=assessment).values_list("key", flat=True))
        report.refresh_from_db()
        change = ReportStatusChange.objects.filter(report=report).get()
    assert response["Location"] == url("detail", assessment)
    assert keys == sorted(SECTION_KEYS)
    assert assessment.led_by == cast.users["fjordvik-tildeling"]
    assert report.status == ReportStatus.BEING_ASSESSED
    assert (change.from_status, change.to_status) == (ReportStatus.RECEIVED, ReportStatus.BEING_ASSESSED)
    assert [(row.action, row.what) for row in mark.rows()] == [
        ("create", "assessment"),
        ("update", "need_report"),
    ]


def test_a_second_assessment_is_not_opened_while_one_is_in_progress(cast):
    first = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    page = client.get("/kartlegging/ny/", {"person": cast.persons["Per"].uuid})
    assert "Det pågår allerede en kartlegging" in page.content.decode()
    client.post(f"/kartlegging/ny/?person={cast.persons['Per'].uuid}")
    with unscoped():
        assert list(Assessment.objects.filter(person=cast.persons["Per"])) == [first]


def test_ke_opens_an_assessment_and_then_handles_the_case(cast):
    client = cast.client("fjordvik-ke")
    response = client.post(f"/kartlegging/ny/?person={cast.persons['Kari'].uuid}")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_another_municipalitys_report_is_not_found(cast):
    report = make_report(cast)
    assert cast.client("lidal-tildeling").get("/kartlegging/ny/", {"report": report.uuid}).status_code == 404
    assert cast.client("lidal-tildeling").post(f"/kartlegging/ny/?report={report.uuid}").status_code == 404
    with unscoped():
        assert not Assessment.objects.filter(report=report).exists()
        assert NeedReport.objects.get(pk=report.pk).status == ReportStatus.RECEIVED


def test_a_section_is_saved_with_a_new_version_and_audited(cast):
    assessment = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    mark = AuditMark()
    response = client.post(
        url("section", assessment, "wishes"), {"wishes-text": "Å gå tur med hunden.", "wishes-version": 0}
    )
    assert response.status_code == 302
    saved = section(assessment, "wishes")
    assert (saved.text, saved.version, saved.updated_by) == (
        "Å gå tur med hunden.",
        1,
        cast.users["fjordvik-tildeling"],
    )
    rows = mark.rows(what="assessment.section")
    assert [row.detail["key"] for row in rows] == ["wishes"]
    page = client.get(response["Location"]).content.decode()
    assert "Å gå tur med hunden." in page


def test_with_htmx_the_section_alone_comes_back(cast):
    assessment = open_assessment(cast)
    response = cast.client("fjordvik-tildeling").post(
        url("section", assessment, "family"),
        {"family-text": "Datter i nærheten.", "family-version": 0},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<section")
    assert 'name="family-version" value="1"' in body
    assert "data-clear-local" in body


def test_a_save_from_a_stale_version_is_refused_and_shows_both_texts(cast):
    assessment = open_assessment(cast, by="fjordvik-ke")  # KE leads; the allocation office helps
    office, ke = cast.client("fjordvik-tildeling"), cast.client("fjordvik-ke")
    target = url("section", assessment, "medical")
    assert office.post(target, {"medical-text": "KOLS, stabil.", "medical-version": 0}).status_code == 302
    refused = ke.post(target, {"medical-text": "Hjertesvikt, ny medisin.", "medical-version": 0})
    body = refused.content.decode()
    assert refused.status_code == 409
    assert "KOLS, stabil." in body
    assert "Hjertesvikt, ny medisin." in body
    assert "Ingenting er overskrevet" in body
    assert 'name="medical-version" value="1"' in body  # saving again is a deliberate overwrite
    saved = section(assessment, "medical")
    assert (saved.text, saved.version) == ("KOLS, stabil.", 1)
    with unscoped():
        draft = AssessmentDraft.objects.get(section=saved, user=cast.users["fjordvik-ke"])
    assert draft.text == "Hjertesvikt, ny medisin."
    again = ke.post(target, {"medical-text": "KOLS, stabil. Hjertesvikt, ny medisin.", "medical-version": 1})
    assert again.status_code == 302
    assert section(assessment, "medical").version == 2


def test_a_stale_save_with_htmx_is_swapped_in_with_both_texts(cast):
    assessment = open_assessment(cast, by="fjordvik-ke")
    cast.client("fjordvik-tildeling").post(
        url("section", assessment, "housing"), {"housing-text": "A", "housing-version": 0}
    )
    refused = cast.client("fjordvik-ke").post(
        url("section", assessment, "housing"), {"housing-text": "B", "housing-version": 0}, **HTMX
    )
    assert refused.status_code == 200
    assert "Lagret av" in refused.content.decode()


def test_two_people_saving_different_sections_at_once_both_succeed(cast):
    assessment = open_assessment(cast, by="fjordvik-ke")
    office, ke = cast.client("fjordvik-tildeling"), cast.client("fjordvik-ke")
    office.get(url("detail", assessment))
    ke.get(url("detail", assessment))
    assert (
        office.post(
            url("section", assessment, "wishes"), {"wishes-text": "Hjem", "wishes-version": 0}
        ).status_code
        == 302
    )
    assert (
        ke.post(
            url("section", assessment, "economy"), {"economy-text": "Uføretrygd", "economy-version": 0}
        ).status_code
        == 302
    )
    assert section(assessment, "wishes").text == "Hjem"
    assert section(assessment, "economy").text == "Uføretrygd"


def test_an_autosaved_draft_is_offered_in_a_new_session(cast):
    assessment = open_assessment(cast)
    draft_url = url("draft", assessment, "wishes")
    first = cast.client("fjordvik-tildeling")
    mark = AuditMark()
    for text in ["Å komme", "Å komme meg ut på tur igjen"]:
        response = first.post(draft_url, {"wishes-text": text, "wishes-version": 0}, HTTP_X_AUTOSAVE="1")
        assert response.status_code == 204
    assert len(mark.rows(what="assessment.draft")) == 1  # the first draft is audited, not every keystroke
    assert section(assessment, "wishes").text == ""

    later = cast.client("fjordvik-tildeling")  # the session expired; a new login
    page = later.get(url("detail", assessment)).content.decode()
    assert "Du har et utkast fra" in page
    assert "Bruk utkastet" in page
    used = later.get(url("section", assessment, "wishes"), {"utkast": "1"}).content.decode()
    assert "Å komme meg ut på tur igjen" in used
    saved = later.post(
        url("section", assessment, "wishes"),
        {"wishes-text": "Å komme meg ut på tur igjen", "wishes-version": 0},
    )
    assert saved.status_code == 302
    with unscoped():
        assert not AssessmentDraft.objects.filter(section__assessment=assessment).exists()
    assert "Du har et utkast fra" not in later.get(url("detail", assessment)).content.decode()


def test_drafts_work_without_script_and_can_be_discarded(cast):
    assessment = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    draft_url = url("draft", assessment, "dental")
    response = client.post(draft_url, {"dental-text": "Trenger tannlege", "dental-version": 0})
    assert response.status_code == 302
    assert "Utkastet er lagret" in client.get(response["Location"]).content.decode()
    mark = AuditMark()
    assert client.post(draft_url, {"discard": "1"}).status_code == 302
    with unscoped():
        assert not AssessmentDraft.objects.filter(section__assessment=assessment).exists()
    assert [row.action for row in mark.rows(what="assessment.draft")] == ["delete"]


def test_another_users_draft_is_not_offered(cast):
    assessment = open_assessment(cast, by="fjordvik-ke")
    cast.client("fjordvik-ke").post(
        url("draft", assessment, "wishes"), {"wishes-text": "KE sitt", "wishes-version": 0}
    )
    page = cast.client("fjordvik-tildeling").get(url("detail", assessment)).content.decode()
    assert "Du har et utkast" not in page
    assert "KE sitt" not in page


def test_completing_needs_the_persons_wishes_and_a_conclusion(cast):
    assessment = open_assessment(cast, report=make_report(cast))  # the report keeps the case in the queue
    client = cast.client("fjordvik-tildeling")
    complete = url("complete", assessment)
    page = client.post(complete, {"complete-version": 1}, follow=True).content.decode()
    assert "«Hva er viktig for deg?» er ikke fylt ut" in page
    assert "Konklusjonen om behov" in page
    assert _refresh(assessment).status == AssessmentStatus.IN_PROGRESS

    client.post(
        url("section", assessment, "wishes"), {"wishes-text": "Klare meg selv hjemme.", "wishes-version": 0}
    )
    assert _conclude(client, assessment).status_code == 302
    done = client.post(complete, {"complete-version": _refresh(assessment).version}, follow=True)
    assert "Kartleggingen er fullført." in done.content.decode()
    assessment = _refresh(assessment)
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.completed_at is not None
    # A completed assessment is a record: the page is read-only and a late save is refused.
    assert 'name="wishes-text"' not in done.content.decode()
    late = client.post(
        url("section", assessment, "wishes"), {"wishes-text": "Endret", "wishes-version": 1}, follow=True
    )
    assert "kan ikke endres" in late.content.decode()
    assert section(assessment, "wishes").text == "Klare meg selv hjemme."


def test_a_coordinator_is_offered_even_when_the_ip_is_declined(cast):
    assessment = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    client.post(url("section", assessment, "wishes"), {"wishes-text": "Færre møter.", "wishes-version": 0})
    response = _conclude(
        client, assessment, **{"conclusion-ip_status": "declined", "conclusion-coordinator_status": "offered"}
    )
    assert response.status_code == 302
    assessment = _refresh(assessment)
    assert (assessment.ip_status, assessment.coordinator_status) == ("declined", "offered")
    _conclude(
        client,
        assessment,
        **{"conclusion-ip_status": "declined", "conclusion-coordinator_status": "accepted"},
    )
    assessment = _refresh(assessment)
    assert (assessment.ip_status, assessment.coordinator_status) == ("declined", "accepted")
    done = client.post(url("complete", assessment), {"complete-version": assessment.version})
    assert _refresh(assessment).status == AssessmentStatus.COMPLETED
    # Without an open report the case has left the office's queue: back to the person's list.
    assert done["Location"] == f"/kartlegging/{cast.persons['Per'].uuid}/"


def test_a_need_for_coordinated_services_means_ip_and_coordinator_are_offered(cast):
    assessment = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    client.post(url("section", assessment, "wishes"), {"wishes-text": "Jobbe igjen.", "wishes-version": 0})
    _conclude(client, assessment, **{"conclusion-coordinator_status": "not_offered"})
    page = client.post(
        url("complete", assessment), {"complete-version": _refresh(assessment).version}, follow=True
    )
    assert "registrer at koordinator er tilbudt" in page.content.decode()
    assert _refresh(assessment).status == AssessmentStatus.IN_PROGRESS


def test_a_conclusion_needs_a_reason(cast):
    assessment = open_assessment(cast)
    response = _conclude(cast.client("fjordvik-tildeling"), assessment, **{"conclusion-needs_reason": ""})
    assert response.status_code == 200
    assert "Begrunn konklusjonen." in response.content.decode()
    assert _refresh(assessment).needs_coordinated_services == ""


def test_a_stale_conclusion_is_refused_and_both_are_shown(cast):
    assessment = open_assessment(cast, by="fjordvik-ke")
    version = assessment.version
    assert _conclude(cast.client("fjordvik-tildeling"), assessment).status_code == 302
    refused = _conclude(
        cast.client("fjordvik-ke"),
        assessment,
        **{
            "conclusion-version": version,
            "conclusion-needs_coordinated_services": "no",
            "conclusion-needs_reason": "Klarer seg.",
        },
    )
    body = refused.content.decode()
    assert refused.status_code == 409
    assert "Tor Tildeling har lagret endringer her" in body
    assert "Flere tjenester over lang tid." in body
    assert "Klarer seg." in body
    assert _refresh(assessment).needs_coordinated_services == "yes"


def test_saving_one_part_with_htmx_updates_the_other_forms_versions(cast):
    assessment = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    response = client.post(
        url("circumstances", assessment),
        {
            "circumstances-version": 1,
            "circumstances-interpreter_needed": "on",
            "circumstances-minor_children_as_next_of_kin": "yes",
            "circumstances-minor_children_attended_to": "Barneansvarlig kontaktet.",
        },
        **HTMX,
    )
    body = response.content.decode()
    assert 'id="id_conclusion-version" hx-swap-oob="true"' in body
    assert 'name="complete-version" value="2"' in body
    assert _conclude(client, assessment, **{"conclusion-version": 2}).status_code == 302


def test_minor_children_as_next_of_kin_need_to_be_attended_to(cast):
    assessment = open_assessment(cast)
    response = cast.client("fjordvik-tildeling").post(
        url("circumstances", assessment),
        {"circumstances-version": 1, "circumstances-minor_children_as_next_of_kin": "yes"},
    )
    assert "Beskriv hvordan barna blir ivaretatt." in response.content.decode()


def test_participants_are_added_and_removed_with_audit(cast):
    assessment = open_assessment(cast)
    client = cast.client("fjordvik-tildeling")
    mark = AuditMark()
    response = client.post(
        url("participant_add", assessment),
        {"participant-name": "Lars Lege", "participant-discipline": "Fastlege", "participant-is_gp": "on"},
        **HTMX,
    )
    assert "Lars Lege" in response.content.decode()
    with unscoped():
        participant = AssessmentParticipant.objects.get(assessment=assessment)
    assert participant.is_gp
    client.post(url("participant_remove", assessment, participant.uuid))
    with unscoped():
        assert not AssessmentParticipant.objects.filter(assessment=assessment).exists()
    assert [row.action for row in mark.rows(what="assessment.participant")] == ["create", "delete"]
