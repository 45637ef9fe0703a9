"""The individual plan as a document to print or archive: everything forskrift om habilitering og
rehabilitering, individuell plan og koordinator § 19 asks a plan to hold (SPEC §4.5), as it
stands in one recorded version.

The plan's own content comes from a :class:`PlanVersion` snapshot — the latest one, or for a
former team member the one in force when they left — through the same
:func:`content_from_snapshot` the plan page uses for the past, so the printed plan and "the plan
as of a date" cannot disagree. What is not versioned with the plan (the team, the coordinator,
the consents) is read as it stood at the same moment. The document is built here; it is turned
into HTML and PDF in :mod:`oppfolging.plans.pdf_render`.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone, translation

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.people.models import Person
from oppfolging.plans import history
from oppfolging.plans.models import (
    CarePlan,
    GoalOutcome,
    MeasureDecision,
    PlanVersion,
    TransitionKind,
    TransitionStatus,
)
from oppfolging.plans.pdf_parties import Parties, parties_as_of
from oppfolging.plans.plan_content import content_from_snapshot
from oppfolging.plans.plan_display import PlanContent
from oppfolging.plans.plan_selectors import may_read_plan

# The person and those who read the plan with them in the portal may print it too.
PORTAL_READER_ROLES = frozenset({"self", "guardian", "relative"})


def may_print(access: PersonAccess) -> bool:
    return may_read_plan(access) or (
        Need.CASE_CONTENT in access.needs and bool(access.roles & PORTAL_READER_ROLES)
    )


def pdf_access(actor: Actor, person_uuid: uuid.UUID | str) -> PersonAccess:
    """The actor's access to the person's plan as a document; Http404 unless they may read the
    plan's content (staff in the team, the coordinator, the person, guardians of a minor and
    relatives the person has consented to involve)."""
    access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    if not may_print(access):
        raise Http404
    return access


@dataclass(frozen=True)
class ResultLine:
    """One goal or measure at an evaluation: what it was, the outcome, the comment."""

    subject: str
    outcome: str
    comment: str


@dataclass(frozen=True)
class EvaluationView:
    period_number: int
    held_on: datetime.date | None
    summary: str
    persons_view: str
    team_reviewed: bool
    team_review_note: str
    goal_results: tuple[ResultLine, ...]
    measure_results: tuple[ResultLine, ...]


@dataclass(frozen=True)
class TransitionLine:
    kind: str
    planned_on: datetime.date | None
    from_description: str
    receiving: str
    next_coordinator: str
    overlap_from: datetime.date | None
    what_to_hand_over: str
    status: str


@dataclass(frozen=True)
class PlanDocument:
    """The plan as printed: the person, the versioned content, and who took part when."""

    person: Person
    language: str
    content: PlanContent
    evaluations: dict[int, EvaluationView]  # by period number
    transitions: tuple[TransitionLine, ...]
    parties: Parties
    version_number: int
    version_at: datetime.datetime | None
    as_of: datetime.datetime | None  # a former member's copy: the plan as it stood then
    printed_at: datetime.datetime
    printed_by: str

    @property
    def evaluated_periods(self) -> list[EvaluationView]:
        return [self.evaluations[n] for n in sorted(self.evaluations)]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def _evaluations(snapshot: dict[str, Any]) -> dict[int, EvaluationView]:
    """Evaluation results name their sub-goal (or goal) and measure by UUID, like the rest."""
    goals = {goal["uuid"]: goal.get("text", "") for goal in snapshot.get("goals", [])}
    found: dict[int, EvaluationView] = {}
    for period in snapshot.get("periods", []):
        evaluation = period.get("evaluation")
        if not evaluation:
            continue
        sub_goals = {s["uuid"]: s.get("text", "") for s in period.get("sub_goals", [])}
        measures = {m["uuid"]: m.get("description", "") for m in period.get("measures", [])}
        goal_results = []
        for key, result in evaluation.get("goal_results", {}).items():
            subject = sub_goals.get(key) or goals.get(key, "")
            goal_results.append(
                ResultLine(subject, _label(GoalOutcome, result.get("outcome", "")), result.get("comment", ""))
            )
        measure_results = []
        for key, result in evaluation.get("measure_results", {}).items():
            measure_results.append(
                ResultLine(
                    measures.get(key, ""),
                    _label(MeasureDecision, result.get("decision", "")),
                    result.get("comment", ""),
                )
            )
        found[period["number"]] = EvaluationView(
            period_number=period["number"],
            held_on=_date(evaluation.get("held_on")),
            summary=evaluation.get("summary", ""),
            persons_view=evaluation.get("persons_view", ""),
            team_reviewed=bool(evaluation.get("team_reviewed")),
            team_review_note=evaluation.get("team_review_note", ""),
            goal_results=tuple(goal_results),
            measure_results=tuple(measure_results),
        )
    return found


def _transitions(snapshot: dict[str, Any]) -> tuple[TransitionLine, ...]:
    return tuple(
        TransitionLine(
            kind=_label(TransitionKind, item.get("kind", "")),
            planned_on=_date(item.get("planned_on")),
            from_description=item.get("from_description", ""),
            receiving=item.get("receiving", ""),
            next_coordinator=item.get("next_coordinator", ""),
            overlap_from=_date(item.get("overlap_from")),
            what_to_hand_over=item.get("what_to_hand_over", ""),
            status=_label(TransitionStatus, item.get("status", "")),
        )
        for item in snapshot.get("transitions", [])
    )


def _version(plan: CarePlan, as_of: datetime.datetime | None) -> PlanVersion | None:
    if as_of is not None:
        return history.version_as_of(plan, as_of)
    return PlanVersion.all_tenants.filter(plan=plan).order_by("-number").first()


def build_document(
    plan: CarePlan,
    *,
    person: Person,
    as_of: datetime.datetime | None,
    printed_by: str,
    now: datetime.datetime | None = None,
) -> PlanDocument | None:
    """The plan as it stood at ``as_of`` (None: now), or None when no version existed then.
    Its labels are in the person's language."""
    now = now or timezone.now()
    version = _version(plan, as_of)
    if version is None:
        if as_of is not None:
            return None
        snapshot, number, at = history.take_snapshot(plan), plan.revision, None
    else:
        snapshot, number, at = version.snapshot, version.number, version.at
    moment = as_of or now
    with translation.override(person.preferred_language):
        return PlanDocument(
            person=person,
            language=person.preferred_language,
            content=content_from_snapshot(snapshot, timezone.localdate(moment)),
            evaluations=_evaluations(snapshot),
            transitions=_transitions(snapshot),
            parties=parties_as_of(person, as_of),
            version_number=number,
            version_at=at,
            as_of=as_of,
            printed_at=now,
            printed_by=printed_by,
        )


def plan_document(*, actor: Actor, person_uuid: uuid.UUID | str) -> PlanDocument:
    """The document for the actor, recorded in the audit log as a read of the plan. Http404 when
    they may not read it, there is no plan, or (a former member) there was none when they left."""
    access = pdf_access(actor, person_uuid)
    if actor.user is None:
        raise Http404
    plan = CarePlan.objects.filter(person=access.person).first()
    if plan is None:
        raise Http404
    user = actor.user
    document = build_document(
        plan,
        person=access.person,
        as_of=access.until,
        printed_by=user.get_full_name() or user.username,
    )
    if document is None:
        raise Http404
    detail: dict[str, Any] = {"version": document.version_number}
    if access.until is not None:
        detail["as_of"] = access.until.isoformat()
    audit_person_write(
        user=user, access=access, action=AuditAction.VIEW, what="plan.pdf", about=plan.uuid, detail=detail
    )
    return document
