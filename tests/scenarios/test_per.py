"""The «Per» scenario (guideline 7.8, SPEC §8), steps 1 to 5, through the real views.

Each step is done by the user in the role the guideline names. The tests share one story: each
test runs the steps before it (through the same views) and then checks its own step, so each
step can fail on its own with a clear name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.referrals.models import (
    Assessment,
    AssessmentStatus,
    NeedReport,
    ReportStatus,
    ServiceDecision,
    ServiceType,
)
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


@dataclass
class Story:
    cast: Any
    report: NeedReport | None = None
    assessment: Assessment | None = None
    members: dict[str, TeamMember] = field(default_factory=dict)
    assignment: CoordinatorAssignment | None = None

    @property
    def per(self) -> Any:
        return self.cast.persons["Per"]

    def client(self, username: str) -> Any:
        return self.cast.client(username)


def _ok(response: Any, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 302)), (response.status_code, response.content[:600])
    return response


def step1_gp_reports(story: Story) -> None:
    """Per's GP reports a need to the allocation office, with Per's agreement."""
    with unscoped():
        gp_unit = story.cast.users["fjordvik-fastlege"].memberships.get().unit
    response = story.client("fjordvik-fastlege").post(
        "/meldinger/ny/",
        {
            "national_id": story.per.national_id,
            "given_name": story.per.given_name,
            "family_name": story.per.family_name,
            "municipality": str(story.per.municipality.uuid),
            "kind": "need",
            "observed": "Per trenger tjenester fra flere: svimmelhet, fall hjemme, vansker med å handle.",
            "requested": "Tverrfaglig kartlegging og vurdering av koordinator.",
            "knowledge": "agrees",
            "reason_without_knowledge": "",
            "reporter_unit": str(gp_unit.uuid),
            "reporter_role": "Fastlege",
            "source": "staff",
            "source_name": "",
            "channel": "electronic",
        },
    )
    _ok(response, 302)
    with unscoped():
        story.report = NeedReport.objects.get(person=story.per)


def step2_office_invites(story: Story) -> None:
    """The office takes the report and opens the assessment conversation; Per decides who
    attends, and the GP attends."""
    assert story.report is not None
    office = story.client("fjordvik-tildeling")
    _ok(office.post(f"/meldinger/{story.report.uuid}/overta/"), 302)
    _ok(office.post(f"/kartlegging/ny/?report={story.report.uuid}"), 302)
    with unscoped():
        story.assessment = Assessment.objects.get(person=story.per)
    base = f"/kartlegging/{story.per.uuid}/{story.assessment.uuid}/"
    for name, discipline, is_gp in [
        ("Per Olsen", "", False),
        ("Lars Lege", "Fastlege", True),
        ("Tor Tildeling", "Saksbehandler", False),
    ]:
        data = {"participant-name": name, "participant-discipline": discipline}
        if is_gp:
            data["participant-is_gp"] = "on"
        _ok(office.post(base + "deltakere/", data), 302)


def _save_section(story: Story, key: str, text: str) -> None:
    assert story.assessment is not None
    with unscoped():
        version = story.assessment.sections.get(key=key).version
    url = f"/kartlegging/{story.per.uuid}/{story.assessment.uuid}/del/{key}/"
    _ok(story.client("fjordvik-tildeling").post(url, {f"{key}-text": text, f"{key}-version": version}), 302)


def step3_assessment(story: Story) -> None:
    """The assessment covers the checklist; tests are ordered; services start at once; Per is
    told about teams, IP and coordinator and wishes the occupational therapist as coordinator."""
    assert story.assessment is not None
    _save_section(story, "wishes", "Å klare meg hjemme og komme meg på butikken selv igjen.")
    _save_section(story, "own_resources", "Motivert, god humor. Kjører ikke bil lenger.")
    _save_section(story, "medical", "Svimmelhet og fall. Fastlegen bestiller blodprøver og CT.")
    _save_section(story, "physical", "Redusert balanse. Går hos privat fysioterapeut.")
    _save_section(story, "communication", "Ordletingsvansker: logoped bør vurdere.")
    office = story.client("fjordvik-tildeling")
    with unscoped():
        home_nursing = ServiceType.objects.filter(municipality=story.per.municipality, name="Hjemmesykepleie")
    if not home_nursing.exists():  # the decision form fills the catalogue on first use
        _ok(office.get(f"/vedtak/person/{story.per.uuid}/ny/"), 200)
    with unscoped():
        service = ServiceType.objects.get(municipality=story.per.municipality, name="Hjemmesykepleie")
    _ok(
        office.post(
            f"/vedtak/person/{story.per.uuid}/ny/",
            {
                "kind": "service",
                "service_type": str(service.uuid),
                "scope": "Tilsyn to ganger i uken",
                "valid_from": TODAY,
                "outcome": "granted",
                "decided_on": TODAY,
                "notified_on": TODAY,
                "reason": "Tjenesten settes i gang straks.",
                "report": str(story.report.uuid) if story.report else "",
            },
        ),
        302,
    )
    with unscoped():
        version = Assessment.objects.get(pk=story.assessment.pk).version
    base = f"/kartlegging/{story.per.uuid}/{story.assessment.uuid}/"
    _ok(
        office.post(
            base + "konklusjon/",
            {
                "conclusion-version": version,
                "conclusion-needs_coordinated_services": "yes",
                "conclusion-needs_reason": "Flere tjenester over tid som må ses i sammenheng.",
                "conclusion-ip_status": "accepted",
                "conclusion-coordinator_status": "accepted",
                "conclusion-informed_about_ip_and_coordinator": "on",
                "conclusion-coordinator_wish": "Ergoterapeuten Ingrid",
            },
        ),
        302,
    )
    with unscoped():
        version = Assessment.objects.get(pk=story.assessment.pk).version
    _ok(office.post(base + "fullfor/", {"complete-version": version}), 302)


def _add_member(story: Story, by: str, data: dict[str, str]) -> TeamMember:
    consent = {
        "consent-given_by": "person",
        "consent-given_on": TODAY,
        "consent-confirmed": "on",
    }
    _ok(story.client(by).post(f"/team/{story.per.uuid}/medlemmer/ny/", {**data, **consent}), 302)
    with unscoped():
        return TeamMember.objects.filter(team__person=story.per).latest("id")


def _add_staff(story: Story, by: str, username: str, discipline: str) -> TeamMember:
    user = story.cast.users[username]
    return _add_member(
        story,
        by,
        {
            "q": user.last_name,
            "member-member_type": "user",
            "member-user": str(user.uuid),
            "member-discipline": discipline,
            "member-kind": "core",
        },
    )


def step4_coordinator(story: Story) -> None:
    """Decisions are made; KE asks the OT's leader, who approves; the OT is appointed."""
    ke = story.client("fjordvik-ke")
    for kind in ("individual_plan", "coordinator"):
        _ok(
            ke.post(
                f"/vedtak/person/{story.per.uuid}/ny/",
                {"kind": kind, "outcome": "granted", "decided_on": TODAY, "notified_on": TODAY},
            ),
            302,
        )
    _ok(ke.post(f"/team/{story.per.uuid}/opprett/"), 302)
    story.members["ot"] = _add_staff(story, "fjordvik-ke", "fjordvik-koordinator", "Ergoterapeut")
    _ok(
        ke.post(
            f"/koordinatorer/person/{story.per.uuid}/foresla/", {"member": str(story.members["ot"].uuid)}
        ),
        302,
    )
    with unscoped():
        story.assignment = CoordinatorAssignment.objects.get(team__person=story.per)
    leader = story.client("fjordvik-leder")
    page = _ok(leader.get(f"/koordinatorer/oppnevning/{story.assignment.uuid}/vurder/"), 200).content.decode()
    assert "Ingrid" in page
    _ok(
        leader.post(
            f"/koordinatorer/oppnevning/{story.assignment.uuid}/vurder/",
            {"decision": "approve", "comment": "Har kapasitet."},
        ),
        302,
    )
    _ok(ke.post(f"/koordinatorer/oppnevning/{story.assignment.uuid}/registrer/"), 302)


def step5_team(story: Story) -> None:
    """The team: nurse, OT, social worker, Per's private physiotherapist, NAV, GP."""
    coordinator = "fjordvik-koordinator"
    story.members["nurse"] = _add_staff(story, coordinator, "fjordvik-team", "Sykepleier")
    story.members["gp"] = _add_staff(story, coordinator, "fjordvik-fastlege", "Fastlege")
    for key, name, discipline in [
        ("social", "Sosionom Siri Sand", "Sosionom"),
        ("physio", "Fysioterapeut Berg", "Privatpraktiserende fysioterapeut"),
        ("nav", "NAV-veileder Nils Nord", "NAV-veileder"),
    ]:
        story.members[key] = _add_member(
            story,
            coordinator,
            {
                "member-member_type": "name_only",
                "member-name": name,
                "member-discipline": discipline,
                "member-kind": "core",
            },
        )


STEPS = [step1_gp_reports, step2_office_invites, step3_assessment, step4_coordinator, step5_team]


def _run_until(cast: Any, last: int) -> Story:
    story = Story(cast=cast)
    for step in STEPS[:last]:
        step(story)
    return story


def test_per_scenario_1_the_gp_reports_to_the_one_queue(cast):
    story = _run_until(cast, 1)
    assert story.report is not None
    assert story.report.status == ReportStatus.RECEIVED
    assert story.report.knowledge == "agrees"
    queue = story.client("fjordvik-tildeling").get("/meldinger/mottak/").content.decode()
    assert "Per Olsen" in queue
    assert "Per Olsen" not in story.client("lidal-tildeling").get("/meldinger/mottak/").content.decode()
    # the GP sees the report's status, not the person's record
    assert "Per Olsen" in story.client("fjordvik-fastlege").get("/meldinger/mine/").content.decode()
    assert story.client("fjordvik-fastlege").get(f"/personer/{story.per.uuid}/").status_code == 404


def test_per_scenario_2_assessment_conversation_with_the_gp(cast):
    story = _run_until(cast, 2)
    with unscoped():
        report = NeedReport.objects.get(pk=story.report.pk)  # type: ignore[union-attr]
        participants = list(story.assessment.participants.values_list("name", "is_gp"))  # type: ignore[union-attr]
    assert report.status == ReportStatus.BEING_ASSESSED
    assert report.handled_by == cast.users["fjordvik-tildeling"]
    assert ("Lars Lege", True) in participants
    assert ("Per Olsen", False) in participants


def test_per_scenario_3_checklist_services_and_wish_for_coordinator(cast):
    story = _run_until(cast, 3)
    with unscoped():
        assessment = Assessment.objects.get(pk=story.assessment.pk)  # type: ignore[union-attr]
        wishes = assessment.sections.get(key="wishes").text
        decision = ServiceDecision.objects.get(person=story.per, kind="service")
    assert assessment.status == AssessmentStatus.COMPLETED
    assert wishes.startswith("Å klare meg hjemme")
    assert assessment.informed_about_ip_and_coordinator
    assert assessment.coordinator_wish == "Ergoterapeuten Ingrid"
    assert decision.outcome == "granted"
    assert decision.appeal_deadline == timezone.localdate() + datetime.timedelta(weeks=4)


def test_per_scenario_4_leader_approves_and_the_ot_is_appointed(cast, django_capture_on_commit_callbacks):
    story = _run_until(cast, 3)
    with django_capture_on_commit_callbacks(execute=True):
        step4_coordinator(story)
    with unscoped():
        assignment = CoordinatorAssignment.objects.get(pk=story.assignment.pk)  # type: ignore[union-attr]
        kinds = set(ServiceDecision.objects.filter(person=story.per).values_list("kind", flat=True))
    assert {"service", "individual_plan", "coordinator"} <= kinds
    assert assignment.status == AssignmentStatus.ACTIVE
    assert assignment.leader == cast.users["fjordvik-leder"]
    assert assignment.caseload_at_approval == 0
    assert assignment.persons_wish == "Ergoterapeuten Ingrid"
    assert any(cast.users["fjordvik-koordinator"].email in m.to for m in mail.outbox)
    # the coordinator now has the case
    ot = story.client("fjordvik-koordinator")
    assert ot.get(f"/personer/{story.per.uuid}/").status_code == 200
    assessment_url = f"/kartlegging/{story.per.uuid}/{story.assessment.uuid}/"  # type: ignore[union-attr]
    assert "Å klare meg hjemme" in ot.get(assessment_url).content.decode()


def test_per_scenario_5_the_team_with_consent_for_each_member(cast):
    story = _run_until(cast, 5)
    with unscoped():
        members = {m.discipline: m for m in TeamMember.objects.filter(team__person=story.per)}
        consents = Consent.objects.filter(person=story.per, kind=ConsentKind.TEAM_MEMBERSHIP)
        consented = {c.team_member_id for c in consents}
    assert {"Ergoterapeut", "Sykepleier", "Fastlege", "Sosionom", "NAV-veileder"} <= set(members)
    assert "Privatpraktiserende fysioterapeut" in members
    assert all(m.pk in consented for m in members.values())
    # the nurse is a member now, but Per has not (yet) consented to share assessment content
    nurse = story.client("fjordvik-team")
    assert nurse.get(f"/personer/{story.per.uuid}/").status_code == 200
    assessment_url = f"/kartlegging/{story.per.uuid}/{story.assessment.uuid}/"  # type: ignore[union-attr]
    shown = nurse.get(assessment_url)
    assert shown.status_code == 200
    assert "Å klare meg hjemme" not in shown.content.decode()
    team_page = story.client("fjordvik-koordinator").get(f"/team/{story.per.uuid}/").content.decode()
    for name in ("Nina Sykepleier", "Lars Lege", "Fysioterapeut Berg", "NAV-veileder Nils Nord"):
        assert name in team_page
