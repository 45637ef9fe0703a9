"""Reads of the individual plan for the staff pages: who may open it, the plan page itself, the
parts a form edits, and a short summary other pages show.

Opening the plan goes through :func:`access_person` (404 for "missing or not yours"), then needs
a role the plan is read in: the coordinator, an active team member the person has consented to,
or a former member — who sees the plan as it stood when they left, from the version then in
force, and nothing written since. Changing it is for the coordinator
(:func:`oppfolging.plans.services.may_edit`); anyone else gets 404 from the edit routes too.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.consents.models import ConsentKind
from oppfolging.consents.selectors import ConsentRow, consent_rows
from oppfolging.people.models import Person, Relative
from oppfolging.plans import history, services
from oppfolging.plans.models import (
    CarePlan,
    Goal,
    Measure,
    PeriodStatus,
    PlanPeriod,
    PlanStatus,
    PlanVersion,
    SubGoal,
)
from oppfolging.plans.plan_display import Contribution, PlanContent, content_from_plan, content_from_snapshot
from oppfolging.plans.transition_selectors import TransitionRow, transitions_for
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember

PLAN_READER_ROLES = frozenset({"coordinator", "team_member", "former_team_member"})


def may_read_plan(access: PersonAccess) -> bool:
    """Whether the staff plan page is open to this access (the portal has its own view)."""
    return Need.CASE_CONTENT in access.needs and bool(access.roles & PLAN_READER_ROLES)


def may_comment(access: PersonAccess) -> bool:
    """Anyone who reads the plan now may comment; a former member only reads the past."""
    return may_read_plan(access) and access.until is None


def plan_access(
    actor: Actor, person_uuid: uuid.UUID | str, *, edit: bool = False, current: bool = False
) -> PersonAccess:
    """The actor's access to the person's plan; Http404 unless they may read it (with ``edit``:
    change it; with ``current``: read it as it is now, which a former member may not)."""
    access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    if not may_read_plan(access):
        raise Http404
    if edit and not services.may_edit(access):
        raise Http404
    if current and access.until is not None:
        raise Http404
    return access


def plan_for(person: Person) -> CarePlan | None:
    return CarePlan.objects.filter(person=person).first()


def plan_get(access: PersonAccess) -> CarePlan:
    plan = plan_for(access.person)
    if plan is None:
        raise Http404
    return plan


def goal_get(plan: CarePlan, goal_uuid: uuid.UUID | str) -> Goal:
    goal = Goal.objects.filter(plan=plan, uuid=goal_uuid).select_related("plan").first()
    if goal is None:
        raise Http404
    return goal


def period_get(plan: CarePlan, period_uuid: uuid.UUID | str) -> PlanPeriod:
    period = PlanPeriod.objects.filter(plan=plan, uuid=period_uuid).select_related("plan").first()
    if period is None:
        raise Http404
    return period


def sub_goal_get(plan: CarePlan, sub_goal_uuid: uuid.UUID | str) -> SubGoal:
    sub_goal = (
        SubGoal.objects.filter(period__plan=plan, uuid=sub_goal_uuid)
        .select_related("period__plan", "goal")
        .first()
    )
    if sub_goal is None:
        raise Http404
    return sub_goal


def measure_get(plan: CarePlan, measure_uuid: uuid.UUID | str) -> Measure:
    measure = (
        Measure.objects.filter(period__plan=plan, uuid=measure_uuid)
        .select_related("period__plan", "sub_goal", "responsible_member__team", "responsible_relative")
        .first()
    )
    if measure is None:
        raise Http404
    return measure


def active_goals(plan: CarePlan) -> list[Goal]:
    return list(Goal.objects.filter(plan=plan, status="active"))


def responsible_candidates(person: Person) -> tuple[list[TeamMember], list[Relative]]:
    """Who a measure can be the responsibility of, besides the person: the active members of
    the team and the person's relatives."""
    members = list(
        TeamMember.objects.filter(team__person=person, left_at__isnull=True).select_related("unit")
    )
    return members, list(Relative.objects.filter(person=person))


@dataclass(frozen=True)
class LastSaved:
    """Who saved the plan last and when: shown beside a refused save."""

    by: str
    at: datetime.datetime
    number: int


def last_saved(plan: CarePlan) -> LastSaved | None:
    version = (
        PlanVersion.objects.filter(plan=plan).order_by("-number").only("actor_label", "at", "number").first()
    )
    return LastSaved(version.actor_label, version.at, version.number) if version else None


def form_opened(*, actor: Actor, access: PersonAccess, what: str, about: uuid.UUID) -> None:
    """An edit form shows the plan's content: opening it is a read and is recorded. Its POST is
    recorded by the service as the change it makes."""
    if actor.user is not None:
        audit_person_write(user=actor.user, access=access, action=AuditAction.VIEW, what=what, about=about)


# --- The plan page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanPage:
    access: PersonAccess
    plan: CarePlan | None
    content: PlanContent | None  # None: no plan (or, for a former member, none yet when they left)
    as_of: datetime.datetime | None  # a former member's view: the plan as it stood then
    as_of_version: int | None
    may_edit: bool  # the coordinator, and the plan is not closed
    may_start: bool  # the coordinator, and there is no plan
    may_comment: bool
    coordinators: list[CoordinatorAssignment]
    members: list[TeamMember]
    relatives: list[Relative]
    consents: list[ConsentRow]
    activation_problems: list[str]
    last_saved: LastSaved | None
    contributions: list[Contribution] = field(default_factory=list)
    transitions: list[TransitionRow] = field(default_factory=list)

    @property
    def person(self) -> Person:
        return self.access.person

    @property
    def involved_relatives(self) -> set[int]:
        """Relatives the person has consented to involve (by id)."""
        return {
            row.consent.relative_id
            for row in self.consents
            if row.consent.kind == ConsentKind.INVOLVE_RELATIVES and row.consent.relative_id
        }

    @property
    def consented_members(self) -> set[int]:
        """Team members the person has consented to (by id): the others see nothing."""
        return {
            row.consent.team_member_id
            for row in self.consents
            if row.consent.kind == ConsentKind.TEAM_MEMBERSHIP and row.consent.team_member_id
        }

    @property
    def has_plan_consent(self) -> bool:
        return any(row.consent.kind == ConsentKind.PLAN_WORK for row in self.consents)

    @property
    def read_only(self) -> bool:
        return not self.may_edit


def _at(moment: datetime.datetime) -> Q:
    """Team members who were in the team at ``moment``."""
    return Q(joined_at__lte=moment) & (Q(left_at__isnull=True) | Q(left_at__gte=moment))


def _participants(
    person: Person, as_of: datetime.datetime | None
) -> tuple[list[CoordinatorAssignment], list[TeamMember], list[Relative]]:
    members = TeamMember.objects.filter(team__person=person).select_related("unit", "relative")
    coordinators = CoordinatorAssignment.objects.filter(team__person=person).select_related("coordinator")
    relatives = Relative.objects.filter(person=person)
    if as_of is None:
        members = members.filter(left_at__isnull=True)
        coordinators = coordinators.filter(status=AssignmentStatus.ACTIVE, ended_at__isnull=True)
    else:
        members = members.filter(_at(as_of))
        coordinators = coordinators.filter(
            Q(started_at__lte=as_of),
            Q(ended_at__isnull=True) | Q(ended_at__gte=as_of),
            status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.ENDED],
        )
        relatives = relatives.filter(created_at__lte=as_of)
    return list(coordinators.order_by("started_at", "id")), list(members), list(relatives)


def _consents_in_force(person: Person, as_of: datetime.datetime | None) -> list[ConsentRow]:
    rows = consent_rows(person=person)
    if as_of is None:
        return [row for row in rows if row.in_force]
    day = timezone.localdate(as_of)
    return [
        row
        for row in rows
        if row.consent.given_on <= day
        and (row.consent.withdrawn_at is None or row.consent.withdrawn_at > as_of)
        and (row.consent.expires_on is None or row.consent.expires_on >= day)
    ]


def plan_page(actor: Actor, person_uuid: uuid.UUID | str, *, audit: bool = True) -> PlanPage:
    """The plan page, in a fixed number of queries however large the plan and its history. The
    read is recorded in the audit log (``audit=False`` when a save re-renders part of it: the
    service recorded the change)."""
    access = plan_access(actor, person_uuid)
    return plan_page_for(actor, access, audit=audit)


def plan_page_for(actor: Actor, access: PersonAccess, *, audit: bool = True) -> PlanPage:
    person = access.person
    plan = plan_for(person)
    as_of = access.until
    content: PlanContent | None = None
    as_of_version: int | None = None
    if plan is not None and as_of is None:
        content = content_from_plan(plan, timezone.localdate())
    elif plan is not None and as_of is not None:
        version = history.version_as_of(plan, as_of)
        if version is not None:
            content = content_from_snapshot(version.snapshot, timezone.localdate(as_of))
            as_of_version = version.number
    editor = services.may_edit(access)
    open_plan = plan is not None and plan.status != PlanStatus.CLOSED
    coordinators, members, relatives = _participants(person, as_of)
    problems = (
        services.activation_problems(plan)
        if editor and plan is not None and plan.status == PlanStatus.DRAFT
        else []
    )
    if audit and actor.user is not None:
        detail = {"as_of": as_of.isoformat(), "version": as_of_version} if as_of is not None else {}
        audit_person_write(
            user=actor.user,
            access=access,
            action=AuditAction.VIEW,
            what="plan",
            about=plan.uuid if plan is not None else person.uuid,
            detail=detail,
        )
    return PlanPage(
        access=access,
        plan=plan,
        content=content,
        as_of=as_of,
        as_of_version=as_of_version,
        may_edit=editor and open_plan and as_of is None,
        may_start=editor and plan is None,
        may_comment=may_comment(access) and open_plan,
        coordinators=coordinators,
        members=members,
        relatives=relatives,
        consents=_consents_in_force(person, as_of) if content is not None else [],
        activation_problems=problems,
        last_saved=last_saved(plan) if plan is not None and as_of is None else None,
        contributions=content.contributions() if content is not None else [],
        transitions=transitions_for(plan) if plan is not None and as_of is None else [],
    )


# --- The summary other pages show ----------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    """Status, the current period and the next evaluation: for the coordinator's day, KE's
    overview and the person and team pages (administrative data, no content)."""

    status: str
    status_label: str
    period_number: int | None
    period_starts_on: datetime.date | None
    period_ends_on: datetime.date | None
    next_evaluation: datetime.date | None
    evaluation_overdue: bool


def _summary(plan: CarePlan, periods: list[PlanPeriod], today: datetime.date) -> PlanSummary:
    active = next((p for p in periods if p.status == PeriodStatus.ACTIVE), None)
    open_periods = [p for p in periods if p.status != PeriodStatus.EVALUATED]
    current = active or (open_periods[0] if open_periods else None)
    next_evaluation = min((p.evaluation_due_on for p in open_periods), default=None)
    return PlanSummary(
        status=plan.status,
        status_label=plan.get_status_display(),
        period_number=current.number if current else None,
        period_starts_on=current.starts_on if current else None,
        period_ends_on=current.ends_on if current else None,
        next_evaluation=next_evaluation if plan.status != PlanStatus.CLOSED else None,
        evaluation_overdue=plan.status == PlanStatus.ACTIVE
        and next_evaluation is not None
        and next_evaluation < today,
    )


def plan_summary(person: Person) -> PlanSummary | None:
    """The person's plan in brief (two queries), or None when there is no plan."""
    return plan_summaries([person.pk]).get(person.pk)


def plan_summaries(person_ids: Iterable[int]) -> dict[int, PlanSummary]:
    """Summaries for many persons at once, by person id, in two queries."""
    plans = list(CarePlan.objects.filter(person_id__in=list(person_ids)))
    periods: dict[int, list[PlanPeriod]] = {}
    for period in PlanPeriod.objects.filter(plan__in=plans).order_by("number"):
        periods.setdefault(period.plan_id, []).append(period)
    today = timezone.localdate()
    return {plan.person_id: _summary(plan, periods.get(plan.pk, []), today) for plan in plans}
