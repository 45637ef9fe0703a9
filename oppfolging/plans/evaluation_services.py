"""Recording an evaluation (SPEC §4.5, guideline 7.8 step 9): each goal achieved / partly / not,
each measure done / continue / stop, the team's composition reviewed, and the next period
started with what is not finished carried forward for the coordinator to edit.

It is one change to the plan: everything is written in one transaction, and the plan gets ONE
new version at the end ("evaluation.record"), not one per row. A refused evaluation (a second one
of the same period, a plan that is not active, input that does not add up) changes nothing.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.plans import services
from oppfolging.plans.history import record_version
from oppfolging.plans.models import (
    CarePlan,
    Evaluation,
    FormDraft,
    Goal,
    GoalOutcome,
    GoalResult,
    GoalStatus,
    Measure,
    MeasureDecision,
    MeasureResult,
    MeasureStatus,
    PeriodStatus,
    PlanPeriod,
    PlanStatus,
    SubGoal,
)

DEFAULT_NEXT_MONTHS = 3
MAX_NEXT_MONTHS = 24
# Sub-goals with these outcomes are carried into the next period.
CARRIED_OUTCOMES = frozenset({GoalOutcome.PARTLY, GoalOutcome.NOT_ACHIEVED})


@dataclass(frozen=True)
class GoalOutcomeInput:
    goal: Goal
    sub_goal: SubGoal | None
    outcome: str
    comment: str = ""


@dataclass(frozen=True)
class MeasureDecisionInput:
    measure: Measure
    decision: str
    comment: str = ""


@dataclass(frozen=True)
class NextPeriodInput:
    """The next period: it starts the day after this one ends unless chosen, lasts ``months``,
    and is evaluated a week before it ends unless chosen."""

    starts_on: datetime.date | None = None
    months: int = DEFAULT_NEXT_MONTHS
    evaluation_due_on: datetime.date | None = None
    focus: str = ""


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_period_dates(
    period: PlanPeriod, choice: NextPeriodInput
) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(starts_on, ends_on, evaluation_due_on) of the next period, with the defaults filled in."""
    starts_on = choice.starts_on or period.ends_on + datetime.timedelta(days=1)
    ends_on = add_months(starts_on, choice.months) - datetime.timedelta(days=1)
    due_on = choice.evaluation_due_on or PlanPeriod.default_evaluation_date(ends_on)
    return starts_on, ends_on, due_on


def draft_key(period: PlanPeriod) -> str:
    return f"evaluation:{period.uuid}"


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]}) if field else ValidationError(message)


def _check_state(plan: CarePlan, period: PlanPeriod) -> None:
    if plan.status != PlanStatus.ACTIVE:
        raise _refuse(None, _("Bare en aktiv plan kan evalueres."))
    if Evaluation.all_tenants.filter(period=period).exists():
        raise _refuse(None, _("Perioden er allerede evaluert. En periode evalueres bare én gang."))
    if period.status != PeriodStatus.ACTIVE:
        raise _refuse(None, _("Bare perioden som pågår, kan evalueres."))


def _check_results(
    period: PlanPeriod,
    goal_results: Sequence[GoalOutcomeInput],
    measure_results: Sequence[MeasureDecisionInput],
    goals_achieved: Collection[Goal],
) -> None:
    """Every sub-goal of the period (and every active goal without one) has an outcome, every
    measure a decision; a goal is marked achieved only when all its lines were achieved."""
    from oppfolging.plans.evaluation_selectors import evaluation_subject

    subject = evaluation_subject(period)
    expected = {(row.goal.pk, row.sub_goal.pk if row.sub_goal else None) for row in subject.rows}
    given = {(r.goal.pk, r.sub_goal.pk if r.sub_goal else None) for r in goal_results}
    if given != expected or len(given) != len(goal_results):
        raise _refuse(None, _("Vurder hvert delmål og hvert mål i perioden."))
    if any(r.outcome not in GoalOutcome.values for r in goal_results):
        raise _refuse(None, _("Velg nådd, delvis nådd eller ikke nådd."))
    measure_ids = {m.pk for m in subject.measures}
    if {r.measure.pk for r in measure_results} != measure_ids or len(measure_results) != len(measure_ids):
        raise _refuse(None, _("Ta stilling til hvert tiltak i perioden."))
    if any(r.decision not in MeasureDecision.values for r in measure_results):
        raise _refuse(None, _("Velg gjennomført, fortsetter eller stoppes."))
    for goal in goals_achieved:
        outcomes = {r.outcome for r in goal_results if r.goal.pk == goal.pk}
        if not outcomes or outcomes != {GoalOutcome.ACHIEVED}:
            raise _refuse(
                f"achieved-{goal.uuid}",
                _("Et mål kan merkes som nådd bare når det er vurdert som nådd."),
            )


def _check_dates(
    period: PlanPeriod,
    held_on: datetime.date,
    dates: tuple[datetime.date, datetime.date, datetime.date] | None,
) -> None:
    if held_on > timezone.localdate():
        raise _refuse("held_on", _("Datoen for evalueringen kan ikke være fram i tid."))
    if held_on < period.starts_on:
        raise _refuse("held_on", _("Evalueringen kan ikke være holdt før perioden begynte."))
    if dates is None:
        return
    starts_on, ends_on, due_on = dates
    if starts_on <= period.starts_on:
        raise _refuse("next_starts_on", _("Neste periode må begynne etter at denne begynte."))
    if not starts_on <= due_on <= ends_on:
        raise _refuse("next_evaluation_due_on", _("Evalueringen må ligge innenfor neste periode."))


def _set_status(model: type[Measure] | type[Goal] | type[PlanPeriod], pk: int, status: str) -> None:
    model.all_tenants.filter(pk=pk).update(status=status, version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def evaluation_record(
    *,
    actor: Actor,
    access: PersonAccess,
    period: PlanPeriod,
    held_on: datetime.date,
    goal_results: Sequence[GoalOutcomeInput],
    measure_results: Sequence[MeasureDecisionInput],
    goals_achieved: Collection[Goal] = (),
    team_reviewed: bool = False,
    team_review_note: str = "",
    summary: str = "",
    persons_view: str = "",
    next_period: NextPeriodInput | None = None,
) -> Evaluation:
    """Record the evaluation of ``period`` and start the next period (a following period already
    planned is started instead of a new one). Sub-goals with outcome partly or not achieved, and
    those holding a measure that continues, are carried forward with the continuing measures."""
    user = services.user_of(actor)
    services.require_edit(access)
    plan = CarePlan.all_tenants.select_for_update().get(pk=period.plan_id)
    period = PlanPeriod.all_tenants.select_for_update().get(pk=period.pk)
    _check_state(plan, period)
    _check_results(period, goal_results, measure_results, goals_achieved)
    planned_next = (
        PlanPeriod.all_tenants.filter(plan=plan, number__gt=period.number, status=PeriodStatus.PLANNED)
        .order_by("number")
        .first()
    )
    dates = next_period_dates(period, next_period) if next_period and planned_next is None else None
    if next_period is not None and not 1 <= next_period.months <= MAX_NEXT_MONTHS:
        raise _refuse("next_months", _("Velg en lengde på mellom 1 og 24 måneder."))
    _check_dates(period, held_on, dates)
    continuing = [r for r in measure_results if r.decision == MeasureDecision.CONTINUE]
    if continuing and dates is None and planned_next is None:
        raise _refuse("create_next", _("Tiltak som fortsetter, trenger en neste periode."))

    evaluation = Evaluation.all_tenants.create(
        municipality_id=plan.municipality_id,
        period=period,
        held_on=held_on,
        summary=services.normalise_text(summary),
        persons_view=services.normalise_text(persons_view),
        team_reviewed=team_reviewed,
        team_review_note=services.normalise_text(team_review_note),
        recorded_by=user,
    )
    GoalResult.all_tenants.bulk_create(
        GoalResult(
            municipality_id=plan.municipality_id,
            evaluation=evaluation,
            goal=r.goal,
            sub_goal=r.sub_goal,
            outcome=r.outcome,
            comment=services.normalise_text(r.comment),
        )
        for r in goal_results
    )
    MeasureResult.all_tenants.bulk_create(
        MeasureResult(
            municipality_id=plan.municipality_id,
            evaluation=evaluation,
            measure=r.measure,
            decision=r.decision,
            comment=services.normalise_text(r.comment),
        )
        for r in measure_results
    )
    new_status = {MeasureDecision.DONE: MeasureStatus.DONE, MeasureDecision.STOP: MeasureStatus.STOPPED}
    for r in measure_results:
        status = new_status.get(MeasureDecision(r.decision))
        if status is not None and r.measure.status != status:
            _set_status(Measure, r.measure.pk, status)
            _audit(user, access, AuditAction.UPDATE, "plan.measure", r.measure, status=status)
    for goal in goals_achieved:
        _set_status(Goal, goal.pk, GoalStatus.ACHIEVED)
        _audit(user, access, AuditAction.UPDATE, "plan.goal", goal, status=GoalStatus.ACHIEVED)
    _set_status(PlanPeriod, period.pk, PeriodStatus.EVALUATED)

    following = _start_next(actor, access, plan, planned_next, dates, next_period)
    carried = _carry(actor, access, following, goal_results, continuing) if following else (0, 0)
    _audit(
        user,
        access,
        AuditAction.CREATE,
        "plan.evaluation",
        evaluation,
        period=period.number,
        goals=len(goal_results),
        measures=len(measure_results),
        next_period=following.number if following else None,
        carried_sub_goals=carried[0],
        carried_measures=carried[1],
    )
    record_version(
        plan,
        user=user,
        role=access.role,
        action="evaluation.record",
        author_kind=services.author_kind_of(access),
    )
    FormDraft.all_tenants.filter(user=user, key=draft_key(period)).delete()
    return evaluation


def _audit(user: User, access: PersonAccess, action: AuditAction, what: str, obj: Any, **detail: Any) -> None:
    audit_person_write(user=user, access=access, action=action, what=what, about=obj.uuid, detail=detail)


def _start_next(
    actor: Actor,
    access: PersonAccess,
    plan: CarePlan,
    planned_next: PlanPeriod | None,
    dates: tuple[datetime.date, datetime.date, datetime.date] | None,
    choice: NextPeriodInput | None,
) -> PlanPeriod | None:
    if planned_next is not None:
        _set_status(PlanPeriod, planned_next.pk, PeriodStatus.ACTIVE)
        planned_next.refresh_from_db()
        return planned_next
    if dates is None or choice is None:
        return None
    starts_on, ends_on, due_on = dates
    return services.period_add(
        actor=actor,
        access=access,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        evaluation_due_on=due_on,
        focus=choice.focus,
        record=False,
    )


def _carry(
    actor: Actor,
    access: PersonAccess,
    following: PlanPeriod,
    goal_results: Sequence[GoalOutcomeInput],
    continuing: Sequence[MeasureDecisionInput],
) -> tuple[int, int]:
    """Copy into ``following`` the sub-goals not reached and those holding a continuing measure,
    then the continuing measures under their copied sub-goal. Returns (sub-goals, measures)."""
    wanted: dict[int, SubGoal] = {}
    for r in goal_results:
        if r.sub_goal is not None and r.outcome in CARRIED_OUTCOMES:
            wanted[r.sub_goal.pk] = r.sub_goal
    for m in continuing:
        wanted.setdefault(m.measure.sub_goal_id, m.measure.sub_goal)
    copies: dict[int, SubGoal] = {}
    for old in sorted(wanted.values(), key=lambda s: (s.order, s.pk)):
        copies[old.pk] = services.sub_goal_add(
            actor=actor,
            access=access,
            period=following,
            goal=old.goal,
            text=old.text,
            carried_from=old,
            record=False,
        )
    for m in continuing:
        old_measure = m.measure
        services.measure_add(
            actor=actor,
            access=access,
            sub_goal=copies[old_measure.sub_goal_id],
            carried_from=old_measure,
            record=False,
            description=old_measure.description,
            scope=old_measure.scope,
            how=old_measure.how,
            responsible_kind=old_measure.responsible_kind,
            responsible_member=old_measure.responsible_member,
            responsible_relative=old_measure.responsible_relative,
            starts_on=following.starts_on,
            due_on=following.ends_on,
            status=MeasureStatus.ONGOING
            if old_measure.status == MeasureStatus.ONGOING
            else MeasureStatus.PLANNED,
        )
    return len(copies), len(continuing)
