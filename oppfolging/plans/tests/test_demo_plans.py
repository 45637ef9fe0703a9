"""The demo's plans (issue 4 «Demo»): each person at a different point of the plan's cycle, with a
history that spans the weeks the story covers; loaded once, and Per left alone on request."""

from __future__ import annotations

import datetime
import io
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.utils import timezone

from oppfolging.access.actor import resolve_actor
from oppfolging.access.persons import Need, access_person
from oppfolging.consents.models import Consent, ConsentKind, GivenBy
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import Medicine
from oppfolging.function.selectors import function_series
from oppfolging.meetings.models import Meeting, MeetingKind, MeetingStatus
from oppfolging.overview import demo_texts as txt
from oppfolging.overview.demo_blocks import find_town
from oppfolging.overview.demo_stages import load_pathway_demo
from oppfolging.plans import history
from oppfolging.plans.demo_plans import load_plan_demo
from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    Evaluation,
    LinkKind,
    PeriodStatus,
    PlanLink,
    PlanPeriod,
    PlanStatus,
    PlanVersion,
    Transition,
    TransitionStatus,
)
from oppfolging.plans.plan_selectors import plan_summary
from oppfolging.referrals.models import NeedReport
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(cast):
    assert load_pathway_demo(plans=True)
    return cast


def _plan(person) -> CarePlan:
    return CarePlan.objects.get(person=person)


def _periods(person) -> list[PlanPeriod]:
    return list(PlanPeriod.objects.filter(plan__person=person).order_by("number"))


def test_per_is_mid_period_with_the_evaluation_meeting_invited(demo):
    per = demo.persons["Per"]
    today = timezone.localdate()
    with unscoped():
        plan = _plan(per)
        (period,) = _periods(per)
        meetings = {m.kind: m for m in Meeting.objects.filter(person=per)}
        members = CareTeam.objects.get(person=per).members.count()
        coordinator = CoordinatorAssignment.objects.get(team__person=per, status=AssignmentStatus.ACTIVE)
        agreed = {k: m.items.exclude(agreed="").count() for k, m in meetings.items()}
        titles = {k: [item.title for item in m.items.all()] for k, m in meetings.items()}
    assert plan.status == PlanStatus.ACTIVE
    assert period.status == PeriodStatus.ACTIVE
    assert period.starts_on == today - datetime.timedelta(days=28)
    assert period.starts_on < today < period.evaluation_due_on
    assert members == 6  # nurse, OT, social worker, private physiotherapist, NAV, GP
    assert coordinator.coordinator == demo.users["fjordvik-koordinator"]
    startup = meetings[MeetingKind.START_UP]
    assert startup.status == MeetingStatus.CLOSED
    assert startup.minutes_summary
    assert agreed[MeetingKind.START_UP] == len(txt.PER_STARTUP_ITEMS)
    evaluation = meetings[MeetingKind.EVALUATION]
    assert evaluation.status == MeetingStatus.INVITED
    assert evaluation.starts_at > timezone.now()
    assert evaluation.period_id == period.pk
    assert titles[MeetingKind.EVALUATION] == txt.PER_EVALUATION_ITEMS


def test_klara_s_evaluation_is_overdue_and_her_medicines_call_for_a_review(demo):
    klara = demo.persons["Klara"]
    today = timezone.localdate()
    with unscoped():
        (period,) = _periods(klara)
        summary = plan_summary(klara)
        regular = Medicine.objects.filter(person=klara, is_regular=True, ended_on__isnull=True).count()
        report = NeedReport.objects.get(person=klara)
    assert period.status == PeriodStatus.ACTIVE
    assert period.evaluation_due_on == today - datetime.timedelta(days=5)
    assert not Evaluation.all_tenants.filter(period=period).exists()
    assert summary is not None
    assert summary.evaluation_overdue
    assert regular == 5
    assert report.kind == "changed_need"


def test_emil_is_in_a_planned_transition_from_hospital_to_school(demo):
    emil = demo.persons["Emil"]
    today = timezone.localdate()
    with unscoped():
        plan = _plan(emil)
        transition = Transition.objects.select_related("receiving_unit").get(plan=plan)
        iop = PlanLink.objects.get(plan=plan, kind=LinkKind.IOP)
        coordinator = CoordinatorAssignment.objects.get(team__person=emil)
    assert plan.status == PlanStatus.ACTIVE
    assert coordinator.status == AssignmentStatus.ACTIVE
    assert transition.status == TransitionStatus.PLANNED
    assert transition.kind == "hospital_discharge"
    assert transition.planned_on > today
    assert transition.receiving_unit is not None
    assert transition.receiving_unit.name == txt.EMIL_SCHOOL
    assert transition.next_coordinator_name == txt.EMIL_NEXT_COORDINATOR
    assert transition.overlap_from == transition.planned_on - datetime.timedelta(days=7)
    assert iop.held_by == txt.EMIL_SCHOOL


def test_aron_s_guardians_consent_and_the_goals_are_his_parents(demo):
    aron = demo.persons["Aron"]
    with unscoped():
        plan = _plan(aron)
        consents = Consent.objects.select_related("given_by_relative")
        consent = consents.get(person=aron, kind=ConsentKind.PLAN_WORK)
        goals = list(plan.goals.all())
        assignment = CoordinatorAssignment.objects.get(team__person=aron, status=AssignmentStatus.ACTIVE)
    assert plan.status == PlanStatus.ACTIVE
    assert consent.given_by == GivenBy.GUARDIAN
    assert consent.given_by_relative is not None
    assert consent.given_by_relative.name == "Lene Nilsen"
    assert [g.text for g in goals] == txt.ARON_GOALS
    assert all(g.in_own_words and g.author_kind == AuthorKind.RELATIVE for g in goals)
    assert all(g.author == demo.users["aron-mor"] for g in goals)
    assert assignment.is_child_coordinator
    # the guardian reads his plan (the portal's access), another citizen does not
    with unscoped():
        access = access_person(resolve_actor(demo.users["aron-mor"]), aron.uuid, Need.CASE_CONTENT)
    assert "guardian" in access.roles


def test_kari_s_psfs_shows_a_real_change_and_period_1_is_evaluated(demo):
    kari = demo.persons["Kari"]
    with unscoped():
        series = function_series(person=kari)
        p1, p2 = _periods(kari)
        evaluation = Evaluation.objects.get(period=p1)
        goal_results, measure_results = evaluation.goal_results.count(), evaluation.measure_results.count()
    assert len(series.active) == len(txt.KARI_PSFS)
    assert series.baseline is not None
    assert series.baseline.measurement.measured_on == timezone.localdate() - datetime.timedelta(days=90)
    assert len(series.rows) == 3
    latest = series.latest
    assert latest is not None
    assert latest.change is not None
    assert latest.change >= Fraction(23, 10)
    assert latest.is_real_change
    assert (p1.status, p2.status) == (PeriodStatus.EVALUATED, PeriodStatus.ACTIVE)
    assert goal_results == 3
    assert measure_results == 5


def test_the_history_spans_the_weeks_of_the_story(demo):
    kari = demo.persons["Kari"]
    with unscoped():
        plan = _plan(kari)
        versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
        before_evaluation = history.version_as_of(plan, timezone.now() - datetime.timedelta(days=40))
    assert [v.number for v in versions] == list(range(1, len(versions) + 1))
    assert [v.at for v in versions] == sorted(v.at for v in versions)
    assert timezone.now() - versions[0].at >= datetime.timedelta(days=80)
    assert plan.revision == versions[-1].number
    assert before_evaluation is not None
    periods = before_evaluation.snapshot["periods"]
    assert [(p["number"], p["status"], p["evaluation"]) for p in periods] == [(1, "active", None)]


def test_sigrid_s_plan_is_in_nynorsk(demo):
    with unscoped():
        plan = _plan(demo.persons["Sigrid"])
    assert plan.status == PlanStatus.ACTIVE
    assert [g.text for g in plan.goals(manager="all_tenants").all()] == txt.SIGRID_GOALS


def _counts() -> dict[str, int]:
    return {
        "plans": CarePlan.all_tenants.count(),
        "versions": PlanVersion.all_tenants.count(),
        "meetings": Meeting.all_tenants.count(),
        "consents": Consent.all_tenants.count(),
        "medicines": Medicine.all_tenants.count(),
    }


def test_running_the_demo_twice_changes_nothing(demo):
    with unscoped():
        before = _counts()
        assert load_pathway_demo(plans=True) is False
        town = find_town(timezone.now())
        assert town is not None
        assert load_plan_demo(town) is False
        assert _counts() == before
    out = io.StringIO()
    call_command("demo", "--per-at", "start", stdout=out)
    assert "already loaded" in out.getvalue()


def test_per_can_be_left_for_his_story_to_be_walked_from_the_start(cast):
    assert load_pathway_demo(plans=True, per="start")
    per = cast.persons["Per"]
    with unscoped():
        assert not NeedReport.objects.filter(person=per).exists()
        assert not CareTeam.objects.filter(person=per).exists()
        assert not CarePlan.objects.filter(person=per).exists()
        assert CarePlan.objects.filter(person=cast.persons["Kari"]).exists()
        ingrid = CoordinatorAssignment.objects.filter(
            coordinator=cast.users["fjordvik-koordinator"], status=AssignmentStatus.ACTIVE
        ).count()
    assert ingrid == 4  # Kari, Klara, Emil, Aron: the leader will see four when Per's turn comes


def test_per_can_be_left_at_his_team_for_steps_6_to_9(cast):
    assert load_pathway_demo(plans=True, per="team")
    per = cast.persons["Per"]
    with unscoped():
        members = set(TeamMember.objects.filter(team__person=per).values_list("discipline", flat=True))
        consented = Consent.objects.filter(person=per, kind=ConsentKind.TEAM_MEMBERSHIP).count()
        assert not CarePlan.objects.filter(person=per).exists()
        assert not Consent.objects.filter(person=per, kind=ConsentKind.PLAN_WORK).exists()
        assert CoordinatorAssignment.objects.get(team__person=per).status == AssignmentStatus.ACTIVE
    assert {"Ergoterapeut", "Sykepleier", "Fastlege", "Sosionom", "NAV-veileder"} <= members
    assert consented == len(members)


def test_the_demo_command_gives_per_his_plan_by_default(tmp_path):
    """The command as `make run` calls it, into a fresh database of its own (the tests' database
    has the demo already)."""
    from tests.browser.server import manage, server_env

    env = server_env(f"sqlite:///{tmp_path}/demo.sqlite3")
    manage(["migrate", "--noinput", "-v0"], env)
    manage(["demo"], env)
    out = manage(
        [
            "shell",
            "-v0",
            "-c",
            "from oppfolging.core.tenancy import unscoped\n"
            "from oppfolging.plans.models import CarePlan\n"
            "with unscoped():\n"
            "    print(sorted(CarePlan.objects.values_list('person__given_name', 'status')))",
        ],
        env,
    )
    assert "('Per', 'active')" in out
