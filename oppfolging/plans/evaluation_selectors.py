"""Reads for the evaluation checkpoint (SPEC §4.5, guideline 7.8 step 9): who may open it, what the
form asks about, a recorded evaluation, and — for the coordinator's day, KE's overview and the
reminder job — each plan's next evaluation and whether it is overdue.

The overdue rule is one rule everywhere: a period is overdue when it is still the running period
(status ACTIVE) of an active plan, has no evaluation, and its ``evaluation_due_on`` is before
today. :func:`overdue_periods` is its database form, :func:`is_overdue` its Python form.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.plans.models import (
    CarePlan,
    Evaluation,
    Goal,
    GoalResult,
    GoalStatus,
    Measure,
    MeasureResult,
    PeriodStatus,
    PlanPeriod,
    PlanStatus,
    SubGoal,
)
from oppfolging.plans.services import may_edit
from oppfolging.teams.models import TeamMember

# Staff roles that read the plan; the person and relatives read it in the portal.
READER_ROLES = frozenset({"coordinator", "team_member", "former_team_member"})


# --- Access ------------------------------------------------------------------------------------


def evaluation_access(actor: Actor, person_uuid: uuid.UUID | str, *, edit: bool) -> PersonAccess:
    """The actor's access to the person's plan for the evaluation pages: recording is for the
    coordinator, reading for the coordinator and the team. Http404 otherwise."""
    access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    if edit and not may_edit(access):
        raise Http404
    if not access.roles & READER_ROLES:
        raise Http404
    return access


def plan_for(access: PersonAccess) -> CarePlan:
    plan = CarePlan.objects.filter(person=access.person).first()
    if plan is None:
        raise Http404
    return plan


def period_for(access: PersonAccess, period_uuid: uuid.UUID | str) -> PlanPeriod:
    """A period of the person's plan (404 for another person's period)."""
    period = (
        PlanPeriod.objects.filter(plan__person=access.person, uuid=period_uuid).select_related("plan").first()
    )
    if period is None:
        raise Http404
    return period


# --- The form ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRow:
    """One line of the goal part of the form: a sub-goal of the period, or an active goal the
    period has no sub-goal for (it is evaluated as a whole)."""

    goal: Goal
    sub_goal: SubGoal | None

    @property
    def key(self) -> str:
        return f"s{self.sub_goal.uuid}" if self.sub_goal else f"g{self.goal.uuid}"


@dataclass(frozen=True)
class EvaluationSubject:
    """What an evaluation of ``period`` is about, read in a fixed number of queries."""

    period: PlanPeriod
    rows: list[GoalRow]
    measures: list[Measure]
    members: list[TeamMember]
    planned_next: PlanPeriod | None  # a following period already planned: it becomes active

    @property
    def goals(self) -> list[Goal]:
        seen: dict[int, Goal] = {}
        for row in self.rows:
            seen.setdefault(row.goal.pk, row.goal)
        return list(seen.values())


def evaluation_subject(period: PlanPeriod) -> EvaluationSubject:
    sub_goals = list(
        SubGoal.all_tenants.filter(period=period)
        .select_related("goal")
        .order_by("goal__order", "order", "id")
    )
    with_sub_goal = {s.goal_id for s in sub_goals}
    goals = Goal.all_tenants.filter(plan_id=period.plan_id, status=GoalStatus.ACTIVE).order_by("order", "id")
    rows = [GoalRow(goal=s.goal, sub_goal=s) for s in sub_goals] + [
        GoalRow(goal=g, sub_goal=None) for g in goals if g.pk not in with_sub_goal
    ]
    measures = list(
        Measure.all_tenants.filter(period=period)
        .select_related("sub_goal", "responsible_member", "responsible_relative")
        .order_by("order", "id")
    )
    members = list(
        TeamMember.all_tenants.filter(team__person_id=period.plan.person_id, left_at__isnull=True)
        .select_related("unit")
        .order_by("joined_at", "id")
    )
    planned_next = (
        PlanPeriod.all_tenants.filter(
            plan_id=period.plan_id, number__gt=period.number, status=PeriodStatus.PLANNED
        )
        .order_by("number")
        .first()
    )
    return EvaluationSubject(
        period=period, rows=rows, measures=measures, members=members, planned_next=planned_next
    )


def evaluation_form_opened(*, actor: Actor, access: PersonAccess, period: PlanPeriod) -> None:
    """The form shows the plan's goals and measures: opening it is a read, and recorded."""
    if actor.user is None:
        return
    audit_person_write(
        user=actor.user,
        access=access,
        action=AuditAction.VIEW,
        what="plan.evaluation",
        about=period.uuid,
        detail={"form": True},
    )


# --- A recorded evaluation ---------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationView:
    evaluation: Evaluation
    period: PlanPeriod
    goal_results: list[GoalResult]
    measure_results: list[MeasureResult]
    next_period: PlanPeriod | None
    carried_sub_goals: list[SubGoal]
    carried_measures: list[Measure]


def evaluation_detail(*, actor: Actor, access: PersonAccess, period: PlanPeriod) -> EvaluationView:
    """A recorded evaluation with its results and what was carried into the next period. A former
    team member sees it only if it was recorded before they left. The read is recorded."""
    evaluation = (
        Evaluation.objects.filter(period=period)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "goal_results",
                queryset=GoalResult.all_tenants.select_related("goal", "sub_goal").order_by("id"),
            ),
            Prefetch(
                "measure_results",
                queryset=MeasureResult.all_tenants.select_related("measure").order_by("id"),
            ),
        )
        .first()
    )
    if evaluation is None or not access.may_see_written_at(evaluation.created_at):
        raise Http404
    next_period = (
        PlanPeriod.objects.filter(plan_id=period.plan_id, number__gt=period.number).order_by("number").first()
    )
    carried_sub_goals: list[SubGoal] = []
    carried_measures: list[Measure] = []
    if next_period is not None:
        carried_sub_goals = list(
            SubGoal.objects.filter(period=next_period, carried_from__period=period).select_related("goal")
        )
        carried_measures = list(Measure.objects.filter(period=next_period, carried_from__period=period))
    if actor.user is not None:
        audit_person_write(
            user=actor.user,
            access=access,
            action=AuditAction.VIEW,
            what="plan.evaluation",
            about=evaluation.uuid,
        )
    return EvaluationView(
        evaluation=evaluation,
        period=period,
        goal_results=list(evaluation.goal_results.all()),
        measure_results=list(evaluation.measure_results.all()),
        next_period=next_period,
        carried_sub_goals=carried_sub_goals,
        carried_measures=carried_measures,
    )


# --- Next evaluation and the overdue rule ------------------------------------------------------


def open_periods() -> QuerySet[PlanPeriod]:
    """Running periods of active plans that have no evaluation yet: those that must be evaluated."""
    return PlanPeriod.all_tenants.filter(
        ~Exists(Evaluation.all_tenants.filter(period=OuterRef("pk"))),
        status=PeriodStatus.ACTIVE,
        plan__status=PlanStatus.ACTIVE,
    )


def overdue_periods(today: datetime.date | None = None) -> QuerySet[PlanPeriod]:
    """The overdue rule in the database: open, and the checkpoint was before today."""
    return open_periods().filter(evaluation_due_on__lt=today or timezone.localdate())


def is_overdue(period: PlanPeriod, *, evaluated: bool, plan_status: str, today: datetime.date) -> bool:
    """The overdue rule in Python, for a period already in hand."""
    return (
        plan_status == PlanStatus.ACTIVE
        and period.status == PeriodStatus.ACTIVE
        and not evaluated
        and period.evaluation_due_on < today
    )


@dataclass(frozen=True)
class NextEvaluation:
    person_id: int
    plan_id: int
    period_uuid: uuid.UUID
    period_number: int
    due_on: datetime.date
    ends_on: datetime.date
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def days_left(self) -> int:
        """Days until the checkpoint (negative: days overdue)."""
        return (self.due_on - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def next_evaluations(
    *, person_ids: Iterable[int], today: datetime.date | None = None
) -> dict[int, NextEvaluation]:
    """Each person's next evaluation (the earliest open checkpoint of their active plan), by
    person id. One query however many persons."""
    today = today or timezone.localdate()
    rows = (
        open_periods()
        .filter(plan__person_id__in=list(person_ids))
        .order_by("evaluation_due_on", "number")
        .values_list("plan__person_id", "plan_id", "uuid", "number", "evaluation_due_on", "ends_on")
    )
    found: dict[int, NextEvaluation] = {}
    for person_id, plan_id, period_uuid, number, due_on, ends_on in rows:
        found.setdefault(
            person_id,
            NextEvaluation(
                person_id=person_id,
                plan_id=plan_id,
                period_uuid=period_uuid,
                period_number=number,
                due_on=due_on,
                ends_on=ends_on,
                today=today,
            ),
        )
    return found


def persons_with_overdue_evaluation(today: datetime.date | None = None) -> Q:
    """``pk IN (…)`` on Person: the persons whose plan has an overdue evaluation."""
    return Q(pk__in=overdue_periods(today).values("plan__person_id"))
