"""Reads for the citizen's own view: the list of whom they follow, and the page about one person
(their plan, team, next meeting, PSFS, comments and who has looked at their case), in a fixed
number of queries however much the plan, the meetings and the audit log grow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person, grants_for
from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.audit.services import audit_person_write
from oppfolging.function.selectors import FunctionSeries, function_series
from oppfolging.meetings.meeting_selectors import next_meeting_for
from oppfolging.meetings.models import Meeting
from oppfolging.people.models import Person
from oppfolging.people.selectors import person_get
from oppfolging.plans.models import (
    CarePlan,
    Goal,
    GoalStatus,
    Measure,
    PeriodStatus,
    PlanComment,
    PlanPeriod,
    SubGoal,
)
from oppfolging.plans.services import user_of
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember

# The page shows the latest rows of the access log; the whole log is one link away.
ACCESS_LOG_ROWS = 10
COMMENTS_SHOWN = 50
PORTAL_ROLES = frozenset({"self", "guardian", "relative"})


@dataclass(frozen=True)
class Followed:
    person: Person
    may_see_log: bool  # a guardian sees the access log; a consented relative does not


def portal_overview(*, actor: Actor) -> dict[str, Any]:
    """The citizen's own record (the read is audited like any other) and the persons they may
    follow as a relative."""
    own = person_get(actor=actor, person_uuid=_uuid_of(actor.person_id)).person if actor.person_id else None
    followed = []
    for person in Person.objects.filter(pk__in=actor.relative_person_ids).order_by("given_name"):
        needs = {need for grant in grants_for(actor, person) for need in grant.needs}
        if Need.ADMIN_DATA in needs:
            followed.append(Followed(person=person, may_see_log=Need.ACCESS_LOG in needs))
    return {"own": own, "followed": followed}


def _uuid_of(person_id: int) -> str:
    return str(Person.objects.values_list("uuid", flat=True).get(pk=person_id))


def portal_access(actor: Actor, person_uuid: uuid.UUID | str) -> PersonAccess:
    """The person themself, a guardian of a minor, or a relative the person has consented to
    involve; 404 for everyone else (a relative without consent sees nothing)."""
    access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    if not access.roles & PORTAL_ROLES:
        raise Http404
    return access


@dataclass(frozen=True)
class Contact:
    """A team member as the person sees them: name, what they do, where they work, and for the
    coordinator how to reach them."""

    name: str
    discipline: str
    unit: str
    phone: str = ""
    email: str = ""
    is_coordinator: bool = False
    is_relative: bool = False


@dataclass(frozen=True)
class PortalPage:
    access: PersonAccess
    viewer: User
    plan: CarePlan | None
    goals: list[Goal]
    goals_reached: list[Goal]
    period: PlanPeriod | None
    sub_goals: list[SubGoal]
    coordinators: list[Contact]
    members: list[Contact]
    meeting: Meeting | None
    function: FunctionSeries
    comments: list[PlanComment]
    access_log: list[AuditEvent] | None  # None: this viewer may not see the log

    @property
    def person(self) -> Person:
        return self.access.person

    @property
    def is_self(self) -> bool:
        return "self" in self.access.roles


def _current_period(plan: CarePlan) -> PlanPeriod | None:
    """The period under way, else the next one planned, else the last one."""
    periods = list(PlanPeriod.all_tenants.filter(plan=plan).order_by("number"))
    for status in (PeriodStatus.ACTIVE, PeriodStatus.PLANNED):
        match = next((p for p in periods if p.status == status), None)
        if match is not None:
            return match
    return periods[-1] if periods else None


def _sub_goals(period: PlanPeriod | None) -> list[SubGoal]:
    if period is None:
        return []
    measures = Measure.all_tenants.select_related("responsible_member", "responsible_relative").order_by(
        "order", "id"
    )
    return list(
        SubGoal.all_tenants.filter(period=period)
        .select_related("goal")
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("order", "id")
    )


def _team(person: Person) -> tuple[list[Contact], list[Contact]]:
    """The coordinators (with phone, e-mail and unit) and the other active members."""
    members = list(
        TeamMember.all_tenants.filter(team__person=person, left_at__isnull=True)
        .select_related("unit", "user")
        .order_by("joined_at", "id")
    )
    assignments = list(
        CoordinatorAssignment.all_tenants.filter(
            team__person=person, status=AssignmentStatus.ACTIVE, ended_at__isnull=True
        )
        .select_related("coordinator")
        .order_by("started_at", "id")
    )
    coordinator_ids = {a.coordinator_id for a in assignments}
    member_by_user = {m.user_id: m for m in members if m.user_id is not None}
    # The coordinator's unit: from their place in the team, else their coordinator membership.
    units = {
        membership.user_id: membership.unit.name
        for membership in Membership.objects.filter(
            user_id__in=coordinator_ids, role=Role.COORDINATOR, is_active=True
        ).select_related("unit")
    }
    coordinators = []
    for assignment in assignments:
        user = assignment.coordinator
        member = member_by_user.get(user.pk)
        coordinators.append(
            Contact(
                name=user.get_full_name() or user.username,
                discipline=(member.discipline if member else "") or user.title,
                unit=member.unit.name if member and member.unit else units.get(user.pk, ""),
                phone=user.phone,
                email=user.email,
                is_coordinator=True,
            )
        )
    others = [
        Contact(
            name=member.name,
            discipline=member.discipline or (member.user.title if member.user else ""),
            unit=member.unit.name if member.unit else "",
            is_relative=member.relative_id is not None,
        )
        for member in members
        if member.user_id not in coordinator_ids or member.user_id is None
    ]
    return coordinators, others


def _access_log(person: Person, viewer: User) -> list[AuditEvent]:
    """The latest rows of the person's access log written by others than the viewer (their own
    visits are in the whole log, one link away)."""
    return list(
        AuditEvent.objects.filter(person=person)
        .exclude(actor=viewer)
        .order_by("-occurred_at", "-id")[:ACCESS_LOG_ROWS]
    )


def portal_page(*, actor: Actor, access: PersonAccess) -> PortalPage:
    """The person's page in their own view (``access`` from :func:`portal_access`). The read is
    recorded (what="plan", in the viewer's role), so it shows in the person's own access log, as
    it should."""
    person = access.person
    viewer = user_of(actor)
    plan = CarePlan.all_tenants.filter(person=person).first()
    goals: list[Goal] = []
    period = None
    comments: list[PlanComment] = []
    if plan is not None:
        goals = list(Goal.all_tenants.filter(plan=plan).order_by("order", "id"))
        period = _current_period(plan)
        comments = list(
            PlanComment.all_tenants.filter(plan=plan)
            .select_related("goal")
            .order_by("-created_at", "-id")[:COMMENTS_SHOWN]
        )
        comments.reverse()
    coordinators, members = _team(person)
    audit_person_write(
        user=viewer,
        access=access,
        action=AuditAction.VIEW,
        what="plan",
        about=plan.uuid if plan else person.uuid,
    )
    return PortalPage(
        access=access,
        viewer=viewer,
        plan=plan,
        goals=[g for g in goals if g.status == GoalStatus.ACTIVE],
        goals_reached=[g for g in goals if g.status == GoalStatus.ACHIEVED],
        period=period,
        sub_goals=_sub_goals(period),
        coordinators=coordinators,
        members=members,
        meeting=next_meeting_for(person),
        function=function_series(person=person),
        comments=comments,
        access_log=_access_log(person, viewer) if access.may(Need.ACCESS_LOG) else None,
    )
