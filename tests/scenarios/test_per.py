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
from django.urls import reverse
from django.utils import timezone

from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.meetings.models import AgendaItem, Meeting, MeetingStatus, MinutesCorrection
from oppfolging.plans.models import (
    CarePlan,
    Evaluation,
    Goal,
    Measure,
    MeasureStatus,
    PeriodStatus,
    PlanPeriod,
    PlanStatus,
    PlanVersion,
    SubGoal,
)
from oppfolging.referrals.models import (
    Assessment,
    AssessmentStatus,
    NeedReport,
    ReportStatus,
    ServiceDecision,
    ServiceType,
)
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember
from tests.scenarios.forms import fill, form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


@dataclass
class Story:
    cast: Any
    report: NeedReport | None = None
    assessment: Assessment | None = None
    members: dict[str, TeamMember] = field(default_factory=dict)
    assignment: CoordinatorAssignment | None = None
    plan: CarePlan | None = None
    meeting: Meeting | None = None

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


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
CONSENT = {"consent-given_by": "person", "consent-given_on": TODAY, "consent-confirmed": "on"}
PER_GOAL = "Å klare meg hjemme og komme meg på butikken selv igjen."
FIRST_SUB_GOAL = "Handle selv på nærbutikken med rullator."


def _submit(client: Any, url: str, action: str = "", expect: int = 302, **changes: Any) -> Any:
    """Open the form at ``url`` and send it with ``changes``, as the user would."""
    page = _ok(client.get(url), 200)
    path = url.split("?")[0]
    data = fill(form_data(page.content.decode(), action or path, page_url=url), **changes)
    return _ok(client.post(url if not action else _action(page, action), data), expect)


def _action(page: Any, action: str) -> str:
    import re

    found = re.search(r'action="([^"]*' + re.escape(action) + r'[^"]*)"', page.content.decode())
    assert found, action
    return found.group(1).replace("&amp;", "&")


def _time_passes(story: Story, *, meeting: Any = None, period_ends_in: int | None = None) -> None:
    """The calendar moves on: a meeting set for later has now been held, or the period has come to
    its last week (its evaluation checkpoint is today). Only dates move; nothing else is written."""
    today = timezone.localdate()
    with unscoped():
        if meeting is not None:
            Meeting.objects.filter(pk=meeting.pk).update(
                starts_at=timezone.now() - datetime.timedelta(hours=2)
            )
        if period_ends_in is not None:
            period = PlanPeriod.objects.get(plan__person=story.per, number=1)
            ends_on = today + datetime.timedelta(days=period_ends_in)
            PlanPeriod.objects.filter(pk=period.pk).update(
                starts_on=ends_on - datetime.timedelta(days=61),
                ends_on=ends_on,
                evaluation_due_on=ends_on - datetime.timedelta(days=7),
            )


def _write_minutes(story: Story, *, send: bool) -> None:
    """The coordinator writes what was agreed per item and the summary; ``send`` gives the team
    the minutes with the deadline for corrections."""
    assert story.meeting is not None
    ot = story.client("fjordvik-koordinator")
    with unscoped():
        items = list(AgendaItem.objects.filter(meeting=story.meeting).order_by("order"))
    agreed = [
        "Første delmål: handle selv på nærbutikken med rullator.",
        "Tiltakene er skrevet inn i planen med ansvarlige.",
        "Fastlegen henviser til logoped.",
        "Fastlegen ser Per hver uke de første fire ukene.",
    ]
    url = reverse("meetings:minutes", args=[story.meeting.uuid])
    data = form_data(_ok(ot.get(url), 200).content.decode(), "referat")
    for item, text in zip(items, agreed, strict=True):
        names = [name for name in data if item.uuid.hex in name]
        assert names, item.title
        data[names[0]] = text
    data["summary"] = (
        "Per og koordinatoren har skrevet planen for de to første månedene. Per vil ha få møter."
    )
    if send:
        data["send"] = "1"
    _ok(ot.post(url, data), 302)


def step6_plan_started(story: Story) -> None:
    """Per and the coordinator start the plan; Per wants few meetings and no relatives for now; he
    consents to information exchange and to the team attending start-up and evaluations only."""
    ot = story.client("fjordvik-koordinator")
    per = story.per.uuid
    _ok(ot.post(f"/samtykker/{per}/ny/planarbeid/", CONSENT), 302)
    sharing = {
        f"scope-sections_{story.members['nurse'].uuid.hex}": ["medical", "physical"],
        f"scope-sections_{story.members['gp'].uuid.hex}": ["medical", "communication", "physical"],
        f"scope-sections_{story.members['physio'].uuid.hex}": ["physical"],
    }
    _ok(ot.post(f"/samtykker/{per}/ny/deling/", {**sharing, **CONSENT}), 302)
    _ok(ot.post(reverse("plans:create", args=[per])), 302)
    _submit(
        ot,
        reverse("plans:details", args=[per]),
        participation_wishes=(
            "Per vil ha få møter og ingen pårørende med foreløpig. Teamet deltar på oppstartsmøtet og "
            "evalueringsmøtene, ellers holder koordinatoren kontakten."
        ),
        persons_contribution="Jeg trener hjemme på det fysioterapeuten viser meg og sier fra ved behov.",
    )
    _submit(ot, reverse("plans:goal_add", args=[per]), text=PER_GOAL, in_own_words="on")
    with unscoped():
        story.plan = CarePlan.objects.get(person=story.per)


def step7_start_up_meeting(story: Story) -> None:
    """Start-up meeting: Per's first sub-goal, a two-month period, measures with responsible
    persons; a speech therapist assessment is to be asked for; weekly GP visits at first."""
    ot = story.client("fjordvik-koordinator")
    per = story.per.uuid
    _submit(ot, reverse("plans:period_add", args=[per]))  # two months from today, as proposed
    members = [story.members[key].uuid for key in ("ot", "nurse", "gp", "physio", "social", "nav")]
    _submit(
        ot,
        reverse("meetings:create", args=[per]),
        kind="start_up",
        title="Oppstartsmøte",
        date=TOMORROW,
        time="10:00",
        place="Fjordvik helsehus, møterom 2",
        items="\n".join(
            [
                "Pers første delmål",
                "Tiltak og hvem som har ansvar",
                "Henvisning til logoped",
                "Legebesøk de første ukene",
            ]
        ),
        include_person="on",
        members=[str(uuid) for uuid in members],
        chosen_with_person="on",
    )
    with unscoped():
        story.meeting = Meeting.objects.get(person=story.per, kind="start_up")
    _ok(ot.post(reverse("meetings:invite", args=[story.meeting.uuid])), 302)
    _time_passes(story, meeting=story.meeting)
    meeting = story.meeting.uuid
    with unscoped():
        items = list(AgendaItem.objects.filter(meeting=story.meeting).order_by("order"))
        goal = Goal.objects.get(plan=story.plan)
        period = PlanPeriod.objects.get(plan=story.plan, number=1)
    _write_minutes(story, send=False)
    first = items[0]
    changes = reverse("meetings:item_changes", args=[meeting, first.uuid])
    _ok(
        ot.post(
            changes,
            {
                "type": "sub_goal",
                "sub_goal-goal": str(goal.uuid),
                "sub_goal-period": str(period.uuid),
                "sub_goal-text": FIRST_SUB_GOAL,
            },
        ),
        302,
    )
    with unscoped():
        new_sub_goal = "new:" + AgendaItem.objects.get(pk=first.pk).proposed_changes[0]["id"]
    for description, scope, who in [
        ("Legetime hos fastlegen.", "Hver uke de første fire ukene", story.members["gp"]),
        ("Be logoped om en vurdering av språket.", "Henvisning sendes innen to uker", story.members["gp"]),
        ("Balanse- og gangtrening.", "To ganger i uken", story.members["physio"]),
        ("Følge Per til butikken og øve på handlingen.", "Én gang i uken", story.members["nurse"]),
    ]:
        data = {
            "type": "measure",
            "measure-sub_goal": new_sub_goal,
            "measure-description": description,
            "measure-scope": scope,
            "measure-responsible": f"member:{who.uuid}",
            "measure-starts_on": TODAY,
            "measure-due_on": "",
        }
        _ok(ot.post(changes, data), 302)
    _ok(ot.post(reverse("meetings:apply", args=[meeting]), {"item": str(first.uuid)}), 302)
    _ok(ot.post(reverse("plans:activate", args=[per])), 302)


def step8_summary_and_corrections(story: Story) -> None:
    """Per and the coordinator write the summary into the plan; the team gets a short deadline to
    correct it."""
    assert story.meeting is not None
    ot = story.client("fjordvik-koordinator")
    meeting = story.meeting.uuid
    _write_minutes(story, send=True)
    with unscoped():
        items = list(AgendaItem.objects.filter(meeting=story.meeting).order_by("order"))
    nurse = story.client("fjordvik-team")
    _ok(
        nurse.post(
            reverse("meetings:correction_add", args=[meeting]),
            {
                "item": str(items[3].uuid),
                "text": "Fastlegen ser Per hver uke de første fire ukene, på legekontoret.",
            },
        ),
        302,
    )
    with unscoped():
        correction = MinutesCorrection.objects.get(meeting=story.meeting)
    _ok(
        ot.post(
            reverse("meetings:correction_decide", args=[meeting, correction.uuid]),
            {"decision": "accept", "note": ""},
        ),
        302,
    )
    _ok(ot.post(reverse("meetings:close_minutes", args=[meeting])), 302)


def step9_evaluation(story: Story) -> None:
    """A week before the period ends the evaluation meeting at the GP office evaluates measures,
    sets new goals for a three-month period, and the speech therapist joins the team."""
    ot = story.client("fjordvik-koordinator")
    per = story.per.uuid
    _time_passes(story, period_ends_in=7)
    with unscoped():
        period = PlanPeriod.objects.get(plan=story.plan, number=1)
    _submit(
        ot,
        reverse("meetings:create", args=[per]) + "?type=evaluation",
        kind="evaluation",
        title="Evalueringsmøte",
        date=TOMORROW,
        time="09:00",
        place="Fjordvik legekontor",
        items="Hvordan har de to første månedene gått?\nNye mål for neste periode\nLogoped inn i teamet",
        period=str(period.uuid),
        include_person="on",
        members=[str(story.members[key].uuid) for key in ("ot", "gp", "physio", "nurse")],
        chosen_with_person="on",
    )
    with unscoped():
        evaluation_meeting = Meeting.objects.get(person=story.per, kind="evaluation")
    _ok(ot.post(reverse("meetings:invite", args=[evaluation_meeting.uuid])), 302)
    _time_passes(story, meeting=evaluation_meeting)
    story.members["speech"] = _add_member(
        story,
        "fjordvik-koordinator",
        {
            "member-member_type": "name_only",
            "member-name": "Logoped Lise Lund",
            "member-discipline": "Logoped",
            "member-kind": "core",
        },
    )
    with unscoped():
        sub_goal = SubGoal.objects.get(period=period)
        measures = {m.description: m for m in Measure.objects.filter(period=period)}
    decisions = {
        "Legetime hos fastlegen.": "done",
        "Be logoped om en vurdering av språket.": "done",
        "Balanse- og gangtrening.": "continue",
        "Følge Per til butikken og øve på handlingen.": "continue",
    }
    changes: dict[str, Any] = {
        "held_on": TODAY,
        f"outcome-s{sub_goal.uuid}": "partly",
        f"comment-s{sub_goal.uuid}": "Per handler selv når det er lite folk, men trenger følge i helgene.",
        "team_reviewed": "on",
        "team_review_note": "Logoped Lise Lund er med i teamet fra nå.",
        "summary": "Balansen er bedre. Språket skal følges opp av logoped.",
        "persons_view": "Jeg vil klare butikken alene, også på lørdager.",
        "create_next": "on",
        "next_months": "3",
    }
    for description, decision in decisions.items():
        changes[f"decision-{measures[description].uuid}"] = decision
    _submit(ot, reverse("plans:evaluate", args=[per, period.uuid]), **changes)
    _submit(
        ot,
        reverse("plans:goal_add", args=[per]),
        text="Å snakke i telefonen med barnebarna uten å lete etter ordene.",
        in_own_words="on",
    )


STEPS = [
    step1_gp_reports,
    step2_office_invites,
    step3_assessment,
    step4_coordinator,
    step5_team,
    step6_plan_started,
    step7_start_up_meeting,
    step8_summary_and_corrections,
    step9_evaluation,
]


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


def test_per_scenario_6_the_plan_is_started_with_pers_consent_and_wishes(cast):
    story = _run_until(cast, 6)
    with unscoped():
        plan = CarePlan.objects.get(person=story.per)
        kinds = set(Consent.objects.filter(person=story.per).values_list("kind", flat=True))
        goal = Goal.objects.get(plan=plan)
    assert plan.status == PlanStatus.DRAFT
    assert "få møter" in plan.participation_wishes
    assert "ingen pårørende" in plan.participation_wishes
    assert {ConsentKind.PLAN_WORK, ConsentKind.INFORMATION_SHARING} <= kinds
    assert ConsentKind.INVOLVE_RELATIVES not in kinds
    assert goal.text == PER_GOAL
    assert goal.in_own_words
    # the plan and the resources carried from the assessment are on the coordinator's page
    page = story.client("fjordvik-koordinator").get(reverse("plans:detail", args=[story.per.uuid]))
    assert PER_GOAL in page.content.decode()
    assert "Motivert, god humor." in page.content.decode()


def test_per_scenario_7_start_up_meeting_sets_the_first_period_and_measures(cast):
    story = _run_until(cast, 7)
    with unscoped():
        plan = CarePlan.objects.get(person=story.per)
        period = PlanPeriod.objects.get(plan=plan)
        sub_goal = SubGoal.objects.get(period=period)
        measures = {
            m.description: m
            for m in Measure.objects.filter(period=period).select_related("responsible_member")
        }
        applied = PlanVersion.objects.filter(plan=plan, action="meeting.apply").count()
    assert plan.status == PlanStatus.ACTIVE
    assert period.status == PeriodStatus.ACTIVE
    assert (period.ends_on - period.starts_on).days in range(58, 63)  # two months
    assert period.evaluation_due_on == period.ends_on - datetime.timedelta(days=7)
    assert sub_goal.text == FIRST_SUB_GOAL
    assert measures["Legetime hos fastlegen."].scope == "Hver uke de første fire ukene"
    assert measures["Legetime hos fastlegen."].responsible_member == story.members["gp"]
    assert measures["Be logoped om en vurdering av språket."].responsible_member == story.members["gp"]
    assert measures["Balanse- og gangtrening."].responsible_member == story.members["physio"]
    assert applied == 1  # the agreed changes went in as one version
    invitations = [m for m in mail.outbox if any(a[0].endswith(".ics") for a in m.attachments)]
    assert invitations
    assert any(story.cast.users["fjordvik-team"].email in m.to for m in invitations)


def test_per_scenario_8_the_team_corrects_the_minutes_by_the_deadline(cast):
    story = _run_until(cast, 8)
    with unscoped():
        meeting = Meeting.objects.get(pk=story.meeting.pk)  # type: ignore[union-attr]
        correction = MinutesCorrection.objects.get(meeting=meeting)
        item = AgendaItem.objects.filter(meeting=meeting).order_by("order")[3]
    assert meeting.status == MeetingStatus.CLOSED
    assert meeting.corrections_due_on == timezone.localdate() + datetime.timedelta(days=3)
    assert "Per vil ha få møter" in meeting.minutes_summary
    assert correction.proposed_by == cast.users["fjordvik-team"]
    assert correction.status == "accepted"
    assert item.agreed.endswith("på legekontoret.")


def test_per_scenario_9_evaluation_opens_a_three_month_period_with_the_speech_therapist(cast):
    story = _run_until(cast, 9)
    with unscoped():
        plan = CarePlan.objects.get(person=story.per)
        first, second = PlanPeriod.objects.filter(plan=plan).order_by("number")
        evaluation = Evaluation.objects.get(period=first)
        outcomes = list(evaluation.goal_results.values_list("outcome", flat=True))
        decisions = dict(evaluation.measure_results.values_list("measure__description", "decision"))
        carried = list(Measure.objects.filter(period=second).values_list("description", "status"))
        carried_sub_goals = list(SubGoal.objects.filter(period=second).values_list("text", flat=True))
        first_measures = dict(Measure.objects.filter(period=first).values_list("description", "status"))
        speech = TeamMember.objects.get(team__person=story.per, discipline="Logoped")
        goals = list(Goal.objects.filter(plan=plan).values_list("text", flat=True))
        evaluation_meeting = Meeting.objects.get(person=story.per, kind="evaluation")
    assert first.status == PeriodStatus.EVALUATED
    assert second.status == PeriodStatus.ACTIVE
    assert second.starts_on == first.ends_on + datetime.timedelta(days=1)
    assert 89 <= (second.ends_on - second.starts_on).days <= 92  # three months
    assert outcomes == ["partly"]
    assert decisions["Balanse- og gangtrening."] == "continue"
    assert first_measures["Legetime hos fastlegen."] == MeasureStatus.DONE
    assert ("Balanse- og gangtrening.", MeasureStatus.PLANNED) in carried or (
        "Balanse- og gangtrening.",
        MeasureStatus.ONGOING,
    ) in carried
    assert "Legetime hos fastlegen." not in [d for d, _status in carried]
    assert carried_sub_goals == [FIRST_SUB_GOAL]
    assert evaluation.team_reviewed
    assert speech.is_active
    assert evaluation_meeting.place == "Fjordvik legekontor"
    assert evaluation_meeting.period == first
    assert len(goals) == 2
    # the evaluation is on the plan page, the new period is the current one
    page = story.client("fjordvik-koordinator").get(reverse("plans:detail", args=[story.per.uuid]))
    html = page.content.decode()
    assert "Logoped Lise Lund" in html
    assert "Å snakke i telefonen med barnebarna" in html
