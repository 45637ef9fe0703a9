"""The plan's versions: after every change the whole plan is written down as it then stood (a
*snapshot*, plain JSON), with the differences from the version before. The plan as of a date is
the snapshot of the last version at or before it; two versions are compared by diffing their
snapshots. Nothing here depends on the request: services call :func:`record_version` inside the
transaction of their change."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    Evaluation,
    GoalResult,
    Measure,
    MeasureResult,
    PlanComment,
    PlanPeriod,
    PlanVersion,
    SubGoal,
)

Snapshot = dict[str, Any]

PLAN_FIELDS = (
    "status",
    "resources",
    "needs",
    "persons_contribution",
    "relatives_contribution",
    "coordination",
    "participation_wishes",
    "close_reason",
    "close_note",
)


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _responsible(measure: Measure) -> str:
    if measure.responsible_member is not None:
        return measure.responsible_member.name
    if measure.responsible_relative is not None:
        return measure.responsible_relative.name
    return ""


def take_snapshot(plan: CarePlan) -> Snapshot:
    """The whole plan as it stands now, in a fixed number of queries."""
    measures = Measure.all_tenants.select_related("responsible_member", "responsible_relative")
    evaluations = Evaluation.all_tenants.prefetch_related(
        Prefetch("goal_results", queryset=GoalResult.all_tenants.select_related("goal", "sub_goal")),
        Prefetch("measure_results", queryset=MeasureResult.all_tenants.select_related("measure")),
    )
    periods = (
        PlanPeriod.all_tenants.filter(plan=plan)
        .prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.all_tenants.select_related("goal")),
            Prefetch("measures", queryset=measures.select_related("sub_goal")),
        )
        .order_by("number")
    )
    evaluation_by_period = {
        e.period_id: e for e in evaluations.filter(period__plan=plan).select_related("period")
    }
    goals = {g.pk: g for g in plan.goals(manager="all_tenants").all()}
    return {
        "plan": {field: getattr(plan, field) for field in PLAN_FIELDS}
        | {"activated_at": plan.activated_at.isoformat() if plan.activated_at else None},
        "goals": [
            {
                "uuid": str(goal.uuid),
                "text": goal.text,
                "in_own_words": goal.in_own_words,
                "status": goal.status,
                "author_kind": goal.author_kind,
                "author_label": goal.author_label,
            }
            for goal in goals.values()
        ],
        "periods": [_period(period, evaluation_by_period.get(period.pk)) for period in periods],
        "links": [
            {
                "uuid": str(link.uuid),
                "kind": link.kind,
                "title": link.title,
                "held_by": link.held_by,
                "contact": link.contact,
                "note": link.note,
            }
            for link in plan.links(manager="all_tenants").all()
        ],
        "transitions": [
            {
                "uuid": str(t.uuid),
                "kind": t.kind,
                "planned_on": _date(t.planned_on),
                "from_description": t.from_description,
                "receiving": t.receiving_unit.name if t.receiving_unit else t.receiving_description,
                "next_coordinator": (
                    t.next_coordinator.get_full_name() if t.next_coordinator else t.next_coordinator_name
                ),
                "overlap_from": _date(t.overlap_from),
                "what_to_hand_over": t.what_to_hand_over,
                "status": t.status,
            }
            for t in plan.transitions(manager="all_tenants").select_related(
                "receiving_unit", "next_coordinator"
            )
        ],
        "comments": [
            {
                "uuid": str(c.uuid),
                "text": c.text,
                "author_kind": c.author_kind,
                "author_label": c.author_label,
                "goal": str(goals[c.goal_id].uuid) if c.goal_id in goals else None,
                "at": c.created_at.isoformat(),
            }
            for c in PlanComment.all_tenants.filter(plan=plan)
        ],
    }


def _period(period: PlanPeriod, evaluation: Evaluation | None) -> dict[str, Any]:
    return {
        "uuid": str(period.uuid),
        "number": period.number,
        "starts_on": _date(period.starts_on),
        "ends_on": _date(period.ends_on),
        "evaluation_due_on": _date(period.evaluation_due_on),
        "status": period.status,
        "focus": period.focus,
        "sub_goals": [
            {"uuid": str(s.uuid), "goal": str(s.goal.uuid), "text": s.text} for s in period.sub_goals.all()
        ],
        "measures": [
            {
                "uuid": str(m.uuid),
                "sub_goal": str(m.sub_goal.uuid),
                "description": m.description,
                "scope": m.scope,
                "how": m.how,
                "responsible_kind": m.responsible_kind,
                "responsible": _responsible(m),
                "starts_on": _date(m.starts_on),
                "due_on": _date(m.due_on),
                "status": m.status,
            }
            for m in period.measures.all()
        ],
        "evaluation": _evaluation(evaluation) if evaluation is not None else None,
    }


def _evaluation(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "held_on": _date(evaluation.held_on),
        "summary": evaluation.summary,
        "persons_view": evaluation.persons_view,
        "team_reviewed": evaluation.team_reviewed,
        "team_review_note": evaluation.team_review_note,
        "goal_results": {
            str(r.sub_goal.uuid if r.sub_goal else r.goal.uuid): {"outcome": r.outcome, "comment": r.comment}
            for r in evaluation.goal_results.all()
        },
        "measure_results": {
            str(r.measure.uuid): {"decision": r.decision, "comment": r.comment}
            for r in evaluation.measure_results.all()
        },
    }


# --- Differences -------------------------------------------------------------------------------

# (kind, label field) of each object list in a snapshot; periods hold sub-goals and measures.
_LABEL_FIELD = {
    "goal": "text",
    "period": "number",
    "sub_goal": "text",
    "measure": "description",
    "link": "title",
    "transition": "kind",
    "comment": "text",
}


def _objects(snapshot: Snapshot) -> dict[tuple[str, str], dict[str, Any]]:
    """Every object of a snapshot by (kind, uuid), with its own fields only."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    if not snapshot:
        return found
    found[("plan", "")] = dict(snapshot.get("plan", {}))
    for kind, key in (
        ("goal", "goals"),
        ("link", "links"),
        ("transition", "transitions"),
        ("comment", "comments"),
    ):
        for item in snapshot.get(key, []):
            found[(kind, item["uuid"])] = {k: v for k, v in item.items() if k != "uuid"}
    for period in snapshot.get("periods", []):
        own = {k: v for k, v in period.items() if k not in ("uuid", "sub_goals", "measures", "evaluation")}
        found[("period", period["uuid"])] = own
        for sub_goal in period.get("sub_goals", []):
            found[("sub_goal", sub_goal["uuid"])] = {k: v for k, v in sub_goal.items() if k != "uuid"}
        for measure in period.get("measures", []):
            found[("measure", measure["uuid"])] = {k: v for k, v in measure.items() if k != "uuid"}
        if period.get("evaluation"):
            evaluation = period["evaluation"]
            found[("evaluation", period["uuid"])] = {
                k: v for k, v in evaluation.items() if k not in ("goal_results", "measure_results")
            } | {
                "results": len(evaluation.get("goal_results", {}))
                + len(evaluation.get("measure_results", {}))
            }
    return found


def _label(kind: str, fields: Mapping[str, Any]) -> str:
    field = _LABEL_FIELD.get(kind)
    if field is None:
        return ""
    return str(fields.get(field, ""))[:80]


def diff(before: Snapshot, after: Snapshot) -> list[dict[str, Any]]:
    """What changed from ``before`` to ``after``: one entry per object added, removed or
    changed, with the fields that changed and their values on both sides."""
    old, new = _objects(before), _objects(after)
    changes: list[dict[str, Any]] = []
    for key in [*old, *(k for k in new if k not in old)]:
        kind, uuid = key
        if key not in new:
            changes.append(
                {
                    "kind": kind,
                    "uuid": uuid,
                    "change": "removed",
                    "label": _label(kind, old[key]),
                    "fields": [],
                }
            )
        elif key not in old:
            fields = [
                {"field": f, "before": None, "after": v} for f, v in new[key].items() if v not in ("", None)
            ]
            changes.append(
                {
                    "kind": kind,
                    "uuid": uuid,
                    "change": "added",
                    "label": _label(kind, new[key]),
                    "fields": fields,
                }
            )
        else:
            fields = [
                {"field": f, "before": old[key].get(f), "after": v}
                for f, v in new[key].items()
                if old[key].get(f) != v
            ]
            if fields:
                changes.append(
                    {
                        "kind": kind,
                        "uuid": uuid,
                        "change": "changed",
                        "label": _label(kind, new[key]),
                        "fields": fields,
                    }
                )
    return changes


# --- Recording and reading ---------------------------------------------------------------------


def record_version(
    plan: CarePlan,
    *,
    user: Any,
    role: str,
    action: str,
    author_kind: str = AuthorKind.STAFF,
) -> PlanVersion | None:
    """Write the plan's next version if anything changed since the last one; return it (or None
    when nothing did). Locks the plan row, so versions are numbered without gaps or doubles."""
    locked = CarePlan.all_tenants.select_for_update().get(pk=plan.pk)
    snapshot = take_snapshot(locked)
    previous = (
        PlanVersion.all_tenants.filter(plan=locked)
        .order_by("-number")
        .values_list("snapshot", flat=True)
        .first()
    )
    changes = diff(previous or {}, snapshot)
    if previous is not None and not changes:
        return None
    locked.revision += 1
    CarePlan.all_tenants.filter(pk=locked.pk).update(revision=locked.revision)
    plan.revision = locked.revision
    return PlanVersion.all_tenants.create(
        municipality_id=locked.municipality_id,
        plan=locked,
        number=locked.revision,
        actor=user,
        actor_label=(user.get_full_name() or user.username) if user is not None else "",
        role=role,
        author_kind=author_kind,
        action=action,
        changes=changes,
        snapshot=snapshot,
    )


def version_as_of(plan: CarePlan, moment: datetime.datetime) -> PlanVersion | None:
    """The version in force at ``moment``: the last one recorded at or before it."""
    return PlanVersion.all_tenants.filter(plan=plan, at__lte=moment).order_by("-number").first()


def versions_listing(plan: CarePlan) -> QuerySet[PlanVersion]:
    """Versions newest first without their snapshots (a plan may have hundreds)."""
    return PlanVersion.all_tenants.filter(plan=plan).defer("snapshot").order_by("-number")
