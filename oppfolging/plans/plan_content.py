"""Building :class:`~oppfolging.plans.plan_rows.PlanContent` from the live tables (in a fixed
number of queries however many goals, periods, measures and comments the plan has) or from a
stored version's snapshot (no queries): the latter is how a former team member sees the plan as
it stood when they left."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch

from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    GoalStatus,
    LinkKind,
    Measure,
    MeasureStatus,
    PeriodStatus,
    PlanPeriod,
    PlanStatus,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.plans.plan_rows import (
    OPEN_MEASURE,
    CommentRow,
    GoalRow,
    LinkRow,
    MeasureRow,
    PeriodRow,
    PlanContent,
    SubGoalRow,
)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --- From the live tables ----------------------------------------------------------------------


def _member_detail(measure: Measure) -> str:
    member = measure.responsible_member
    if member is None:
        relative = measure.responsible_relative
        return (relative.relation or relative.get_kind_display()) if relative is not None else ""
    parts = [member.discipline, member.unit.name if member.unit is not None else ""]
    return ", ".join(part for part in parts if part)


def _measure_row(measure: Measure, sub_goal_uuid: str, today: datetime.date) -> MeasureRow:
    if measure.responsible_member is not None:
        responsible = measure.responsible_member.name
    elif measure.responsible_relative is not None:
        responsible = measure.responsible_relative.name
    else:
        responsible = ""
    return MeasureRow(
        uuid=str(measure.uuid),
        sub_goal_uuid=sub_goal_uuid,
        description=measure.description,
        scope=measure.scope,
        how=measure.how,
        responsible_kind=measure.responsible_kind,
        responsible=responsible,
        responsible_detail=_member_detail(measure),
        starts_on=measure.starts_on,
        due_on=measure.due_on,
        status=measure.status,
        past_due=measure.due_on is not None and measure.due_on < today and measure.status in OPEN_MEASURE,
        version=measure.version,
    )


def content_from_plan(plan: CarePlan, today: datetime.date) -> PlanContent:
    """The live plan, in eight queries whatever its size."""
    goals = list(plan.goals(manager="objects").all())
    goal_text = {goal.pk: goal.text for goal in goals}
    goal_uuid = {goal.pk: str(goal.uuid) for goal in goals}
    measures = Measure.objects.select_related("responsible_member__unit", "responsible_relative").order_by(
        "order", "id"
    )
    periods = (
        PlanPeriod.objects.filter(plan=plan)
        .select_related("evaluation")
        .prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.order_by("order", "id")),
            Prefetch("measures", queryset=measures),
        )
        .order_by("number")
    )
    period_rows = []
    for period in periods:
        by_sub_goal: dict[int, list[Measure]] = {}
        for measure in period.measures.all():
            by_sub_goal.setdefault(measure.sub_goal_id, []).append(measure)
        evaluation = getattr(period, "evaluation", None)
        sub_goals = tuple(
            SubGoalRow(
                uuid=str(sub_goal.uuid),
                text=sub_goal.text,
                goal_uuid=goal_uuid.get(sub_goal.goal_id, ""),
                goal_text=goal_text.get(sub_goal.goal_id, ""),
                measures=tuple(
                    _measure_row(m, str(sub_goal.uuid), today) for m in by_sub_goal.get(sub_goal.pk, [])
                ),
                version=sub_goal.version,
            )
            for sub_goal in period.sub_goals.all()
        )
        period_rows.append(
            PeriodRow(
                uuid=str(period.uuid),
                number=period.number,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                evaluation_due_on=period.evaluation_due_on,
                status=period.status,
                focus=period.focus,
                sub_goals=sub_goals,
                evaluation_overdue=period.status != PeriodStatus.EVALUATED
                and period.evaluation_due_on < today,
                evaluated_on=evaluation.held_on if evaluation is not None else None,
                version=period.version,
            )
        )
    return PlanContent(
        status=plan.status,
        resources=plan.resources,
        needs=plan.needs,
        persons_contribution=plan.persons_contribution,
        relatives_contribution=plan.relatives_contribution,
        coordination=plan.coordination,
        participation_wishes=plan.participation_wishes,
        close_reason=plan.close_reason,
        close_note=plan.close_note,
        activated_at=plan.activated_at,
        goals=tuple(
            GoalRow(
                uuid=str(goal.uuid),
                text=goal.text,
                in_own_words=goal.in_own_words,
                status=goal.status,
                author_kind=goal.author_kind,
                author_label=goal.author_label,
                version=goal.version,
            )
            for goal in goals
        ),
        periods=tuple(period_rows),
        links=tuple(
            LinkRow(str(link.uuid), link.kind, link.title, link.held_by, link.contact, link.note)
            for link in plan.links(manager="objects").all()
        ),
        comments=tuple(
            CommentRow(
                uuid=str(comment.uuid),
                text=comment.text,
                author_kind=comment.author_kind,
                author_label=comment.author_label,
                at=comment.created_at,
                goal_text=goal_text.get(comment.goal_id, "") if comment.goal_id else "",
            )
            for comment in plan.comments(manager="objects").all()
        ),
        version=plan.version,
        updated_at=plan.updated_at,
    )


# --- From a stored version ---------------------------------------------------------------------


def _measure_from(item: dict[str, Any], today: datetime.date) -> MeasureRow:
    due_on = _date(item.get("due_on"))
    status = item.get("status", MeasureStatus.PLANNED)
    return MeasureRow(
        uuid=item["uuid"],
        sub_goal_uuid=item.get("sub_goal", ""),
        description=item.get("description", ""),
        scope=item.get("scope", ""),
        how=item.get("how", ""),
        responsible_kind=item.get("responsible_kind", ResponsibleKind.MEMBER),
        responsible=item.get("responsible", ""),
        responsible_detail="",
        starts_on=_date(item.get("starts_on")),
        due_on=due_on,
        status=status,
        past_due=due_on is not None and due_on < today and status in OPEN_MEASURE,
    )


def _period_from(item: dict[str, Any], goals: dict[str, str], today: datetime.date) -> PeriodRow:
    measures = [_measure_from(m, today) for m in item.get("measures", [])]
    evaluation = item.get("evaluation") or {}
    due = _date(item["evaluation_due_on"]) or today
    status = item.get("status", PeriodStatus.PLANNED)
    return PeriodRow(
        uuid=item["uuid"],
        number=item["number"],
        starts_on=_date(item["starts_on"]) or today,
        ends_on=_date(item["ends_on"]) or today,
        evaluation_due_on=due,
        status=status,
        focus=item.get("focus", ""),
        sub_goals=tuple(
            SubGoalRow(
                uuid=sub_goal["uuid"],
                text=sub_goal.get("text", ""),
                goal_uuid=sub_goal.get("goal", ""),
                goal_text=goals.get(sub_goal.get("goal", ""), ""),
                measures=tuple(m for m in measures if m.sub_goal_uuid == sub_goal["uuid"]),
            )
            for sub_goal in item.get("sub_goals", [])
        ),
        evaluation_overdue=status != PeriodStatus.EVALUATED and due < today,
        evaluated_on=_date(evaluation.get("held_on")),
    )


def content_from_snapshot(snapshot: dict[str, Any], on: datetime.date) -> PlanContent:
    """The plan as a stored version wrote it down; ``on`` is the day overdue is judged against
    (the day the version was in force, not today)."""
    plan = snapshot.get("plan", {})
    goals = {goal["uuid"]: goal.get("text", "") for goal in snapshot.get("goals", [])}
    activated = plan.get("activated_at")
    return PlanContent(
        status=plan.get("status", PlanStatus.DRAFT),
        resources=plan.get("resources", ""),
        needs=plan.get("needs", ""),
        persons_contribution=plan.get("persons_contribution", ""),
        relatives_contribution=plan.get("relatives_contribution", ""),
        coordination=plan.get("coordination", ""),
        participation_wishes=plan.get("participation_wishes", ""),
        close_reason=plan.get("close_reason", ""),
        close_note=plan.get("close_note", ""),
        activated_at=datetime.datetime.fromisoformat(activated) if activated else None,
        goals=tuple(
            GoalRow(
                uuid=goal["uuid"],
                text=goal.get("text", ""),
                in_own_words=bool(goal.get("in_own_words")),
                status=goal.get("status", GoalStatus.ACTIVE),
                author_kind=goal.get("author_kind", AuthorKind.STAFF),
                author_label=goal.get("author_label", ""),
            )
            for goal in snapshot.get("goals", [])
        ),
        periods=tuple(_period_from(period, goals, on) for period in snapshot.get("periods", [])),
        links=tuple(
            LinkRow(
                link["uuid"],
                link.get("kind", LinkKind.OTHER),
                link.get("title", ""),
                link.get("held_by", ""),
                link.get("contact", ""),
                link.get("note", ""),
            )
            for link in snapshot.get("links", [])
        ),
        comments=tuple(
            CommentRow(
                uuid=comment["uuid"],
                text=comment.get("text", ""),
                author_kind=comment.get("author_kind", AuthorKind.STAFF),
                author_label=comment.get("author_label", ""),
                at=datetime.datetime.fromisoformat(comment["at"]) if comment.get("at") else None,
                goal_text=goals.get(comment.get("goal") or "", ""),
            )
            for comment in snapshot.get("comments", [])
        ),
    )
