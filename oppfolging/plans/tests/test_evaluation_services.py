"""Recording an evaluation: results per goal line and measure, statuses that follow, the next
period with what is not finished carried forward, one version, and refusals that change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oppfolging.access.persons import Need, access_person
from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.plans import evaluation_selectors as selectors
from oppfolging.plans import services
from oppfolging.plans.evaluation_services import (
    GoalOutcomeInput,
    MeasureDecisionInput,
    NextPeriodInput,
    add_months,
    evaluation_record,
    next_period_dates,
)
from oppfolging.plans.models import (
    CarePlan,
    Evaluation,
    FormDraft,
    GoalOutcome,
    GoalStatus,
    MeasureDecision,
    MeasureStatus,
    PeriodStatus,
    PlanPeriod,
    PlanVersion,
)
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.teams.tests.test_team_support import actor

pytestmark = pytest.mark.django_db


def _period(person):
    with unscoped():
        return PlanPeriod.objects.select_related("plan").get(plan__person=person, number=1)


def _record(cast, person, *, outcome=GoalOutcome.PARTLY, decision=MeasureDecision.CONTINUE, **kwargs):
    who, access = coordinator_access(cast, person)
    period = _period(person)
    with unscoped():
        subject = selectors.evaluation_subject(period)
        return evaluation_record(
            actor=who,
            access=access,
            period=period,
            held_on=kwargs.pop("held_on", timezone.localdate()),
            goal_results=kwargs.pop(
                "goal_results",
                [GoalOutcomeInput(goal=r.goal, sub_goal=r.sub_goal, outcome=outcome) for r in subject.rows],
            ),
            measure_results=kwargs.pop(
                "measure_results",
                [MeasureDecisionInput(measure=m, decision=decision, comment="Bra") for m in subject.measures],
            ),
            next_period=kwargs.pop("next_period", NextPeriodInput()),
            **kwargs,
        )


def test_add_months_keeps_the_day_or_the_last_of_the_month():
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 11, 15), 3) == datetime.date(2026, 2, 15)


def test_the_next_period_starts_the_day_after_and_is_evaluated_a_week_before_it_ends(cast):
    period = _period(planned_person(cast))
    starts, ends, due = next_period_dates(period, NextPeriodInput(months=3))
    assert starts == period.ends_on + datetime.timedelta(days=1)
    assert ends == add_months(starts, 3) - datetime.timedelta(days=1)
    assert due == ends - datetime.timedelta(days=7)


def test_an_evaluation_records_results_and_carries_forward_what_is_not_finished(cast):
    person = planned_person(cast)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        versions_before = PlanVersion.objects.filter(plan=plan).count()
    with unscoped():
        period = _period(person)
        FormDraft.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            user=cast.users["fjordvik-koordinator"],
            key=f"evaluation:{period.uuid}",
            data={"summary": "halvveis"},
        )
    evaluation = _record(cast, person, summary="Godt i gang.", persons_view="Jeg dusjer nesten selv.")
    with unscoped():
        plan.refresh_from_db()
        period.refresh_from_db()
        assert period.status == PeriodStatus.EVALUATED
        assert evaluation.goal_results.get().outcome == GoalOutcome.PARTLY
        assert evaluation.measure_results.get().decision == MeasureDecision.CONTINUE
        following = PlanPeriod.objects.get(plan=plan, number=2)
        assert following.status == PeriodStatus.ACTIVE
        assert following.starts_on == period.ends_on + datetime.timedelta(days=1)
        sub_goal = following.sub_goals.get()
        assert sub_goal.text == "Dusje selv."
        assert sub_goal.carried_from == period.sub_goals.get()
        measure = following.measures.get()
        assert measure.carried_from == period.measures.get()
        assert measure.sub_goal == sub_goal
        assert measure.responsible_member == period.measures.get().responsible_member
        assert (measure.starts_on, measure.due_on) == (following.starts_on, following.ends_on)
        versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
        assert len(versions) == versions_before + 1, "one version for the whole evaluation"
        assert versions[-1].action == "evaluation.record"
        assert versions[-1].snapshot["periods"][0]["evaluation"]["summary"] == "Godt i gang."
        assert AuditEvent.objects.filter(what="plan.evaluation", object_uuid=evaluation.uuid).exists()
        assert not FormDraft.objects.filter(key=f"evaluation:{period.uuid}").exists()


def test_done_and_stop_set_the_measures_status_and_an_achieved_goal_can_be_marked(cast):
    person = planned_person(cast)
    with unscoped():
        goal = CarePlan.objects.get(person=person).goals.get()
    _record(
        cast,
        person,
        outcome=GoalOutcome.ACHIEVED,
        decision=MeasureDecision.DONE,
        goals_achieved=[goal],
    )
    with unscoped():
        period = _period(person)
        assert period.measures.get().status == MeasureStatus.DONE
        goal.refresh_from_db()
        assert goal.status == GoalStatus.ACHIEVED
        following = PlanPeriod.objects.get(plan=period.plan, number=2)
        assert not following.sub_goals.exists(), "an achieved sub-goal is not carried"
        assert not following.measures.exists()


def test_a_stopped_measure_is_stopped(cast):
    person = planned_person(cast)
    _record(cast, person, decision=MeasureDecision.STOP)
    with unscoped():
        period = _period(person)
        assert period.measures.get().status == MeasureStatus.STOPPED
        following = PlanPeriod.objects.get(plan=period.plan, number=2)
        assert following.sub_goals.count() == 1, "the sub-goal partly achieved is carried"
        assert not following.measures.exists()


def test_a_planned_next_period_is_started_instead_of_a_new_one(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    period = _period(person)
    with unscoped():
        planned = services.period_add(
            actor=who,
            access=access,
            plan=period.plan,
            starts_on=period.ends_on + datetime.timedelta(days=1),
            ends_on=period.ends_on + datetime.timedelta(days=60),
        )
        assert planned.status == PeriodStatus.PLANNED
    _record(cast, person, next_period=NextPeriodInput(months=6))
    with unscoped():
        planned.refresh_from_db()
        assert planned.status == PeriodStatus.ACTIVE
        assert PlanPeriod.objects.filter(plan=period.plan).count() == 2
        assert planned.measures.count() == 1


def _nothing_changed(person, before):
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        assert PlanVersion.objects.filter(plan=plan).count() == before
        assert not Evaluation.objects.filter(period__plan=plan).exists()
        assert PlanPeriod.objects.filter(plan=plan).count() == 1
        assert _period(person).status == PeriodStatus.ACTIVE


def _versions(person):
    with unscoped():
        return PlanVersion.objects.filter(plan__person=person).count()


def test_a_second_evaluation_of_the_same_period_is_refused(cast):
    person = planned_person(cast)
    _record(cast, person)
    with unscoped():
        before = PlanVersion.objects.filter(plan__person=person).count()
    with pytest.raises(ValidationError, match="allerede evaluert"):
        _record(cast, person)
    assert _versions(person) == before


def test_a_plan_that_is_not_active_cannot_be_evaluated(cast):
    person = planned_person(cast, activate=False)
    before = _versions(person)
    with pytest.raises(ValidationError, match="aktiv plan"):
        _record(cast, person)
    with unscoped():
        assert PlanVersion.objects.filter(plan__person=person).count() == before
        assert not Evaluation.objects.filter(period__plan__person=person).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"goal_results": []},
        {"measure_results": []},
        {"held_on": timezone.localdate() + datetime.timedelta(days=1)},
        {"held_on": timezone.localdate() - datetime.timedelta(days=1)},
        {"next_period": None},  # a measure continues, but no next period
        {"next_period": NextPeriodInput(months=0)},
        {"next_period": NextPeriodInput(starts_on=timezone.localdate())},
        {"next_period": NextPeriodInput(evaluation_due_on=timezone.localdate())},
    ],
    ids=[
        "no goal lines",
        "no measures",
        "held in the future",
        "held before the period",
        "continue without a next period",
        "zero months",
        "next starts with this",
        "checkpoint outside the next period",
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(cast, bad):
    person = planned_person(cast)
    before = _versions(person)
    with pytest.raises(ValidationError):
        _record(cast, person, **bad)
    _nothing_changed(person, before)


def test_a_goal_is_marked_achieved_only_when_it_was_achieved(cast):
    person = planned_person(cast)
    before = _versions(person)
    with unscoped():
        goal = CarePlan.objects.get(person=person).goals.get()
    with pytest.raises(ValidationError, match="merkes som nådd"):
        _record(cast, person, outcome=GoalOutcome.PARTLY, goals_achieved=[goal])
    _nothing_changed(person, before)


def test_only_the_coordinator_records(cast):
    person = planned_person(cast)
    nurse = actor(cast.users["fjordvik-team"])
    period = _period(person)
    with unscoped():
        access = access_person(nurse, person.uuid, Need.CASE_CONTENT)
        subject = selectors.evaluation_subject(period)
        with pytest.raises(PermissionDenied):
            evaluation_record(
                actor=nurse,
                access=access,
                period=period,
                held_on=timezone.localdate(),
                goal_results=[
                    GoalOutcomeInput(goal=r.goal, sub_goal=r.sub_goal, outcome=GoalOutcome.PARTLY)
                    for r in subject.rows
                ],
                measure_results=[],
            )


# --- The overdue rule --------------------------------------------------------------------------


def test_an_evaluation_is_overdue_after_its_checkpoint_until_it_is_recorded(cast):
    person = planned_person(cast)
    period = _period(person)
    due = period.evaluation_due_on
    with unscoped():
        on_the_day = selectors.next_evaluations(person_ids=[person.pk], today=due)[person.pk]
        assert not on_the_day.overdue
        assert on_the_day.days_left == 0
        after = selectors.next_evaluations(person_ids=[person.pk], today=due + datetime.timedelta(days=2))
        assert after[person.pk].overdue
        assert after[person.pk].days_overdue == 2
        assert selectors.overdue_periods(due + datetime.timedelta(days=1)).filter(pk=period.pk).exists()
        assert not selectors.overdue_periods(due).filter(pk=period.pk).exists()
        assert selectors.is_overdue(
            period, evaluated=False, plan_status="active", today=due + datetime.timedelta(days=1)
        )
    _record(cast, person)
    with unscoped():
        assert not selectors.overdue_periods(due + datetime.timedelta(days=1)).filter(pk=period.pk).exists()
        following = selectors.next_evaluations(person_ids=[person.pk])[person.pk]
        assert following.period_number == 2


def test_a_draft_plan_has_no_next_evaluation(cast):
    person = planned_person(cast, activate=False)
    with unscoped():
        assert selectors.next_evaluations(person_ids=[person.pk]) == {}
