"""Reads of a person's team: who may open it, who may change it, and the page itself.

Opening the team goes through :func:`access_person` first (404 for "missing or not yours"), then
narrows by *which* grant the actor holds: KE staff of the municipality see the team as
administrative data; the allocation officer while the case is in the queue, the coordinator and
the active, consented members see it too. A former member does not. Changing the team and
recording consents is for KE, the allocation officer handling the case and the coordinator.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Grant, Need, PersonAccess, access_person, grants_for
from oppfolging.accounts.models import Membership, Role, User, UserKind
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.consents.selectors import ConsentRow, consent_rows
from oppfolging.people.models import Person
from oppfolging.referrals.checklist import SECTIONS, Section
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

CANDIDATE_LIMIT = 20


def _handles_case(grant: Grant) -> bool:
    """The allocation officer's content grant exists only while the case is in the queue."""
    return grant.role == Role.ALLOCATION_OFFICER.value and Need.CASE_CONTENT in grant.needs


def _may_manage(grant: Grant) -> bool:
    return grant.role in {Role.KE_STAFF.value, Role.COORDINATOR.value} or _handles_case(grant)


def _may_view(grant: Grant) -> bool:
    return _may_manage(grant) or grant.role == Role.TEAM_MEMBER.value


@dataclass(frozen=True)
class TeamAccess:
    """What the actor may do with one person's team and consents, and the role it is done in."""

    access: PersonAccess
    role: str
    may_manage: bool

    @property
    def person(self) -> Person:
        return self.access.person


def team_access(actor: Actor, person_uuid: uuid.UUID | str, *, manage: bool = False) -> TeamAccess:
    """The actor's access to the person's team; Http404 when they have none (or, with
    ``manage``, may not change it)."""
    access = access_person(actor, person_uuid, Need.ADMIN_DATA)
    grants = grants_for(actor, access.person)
    managing = [grant for grant in grants if _may_manage(grant)]
    viewing = [grant for grant in grants if _may_view(grant)]
    chosen = managing if manage else viewing
    if not chosen:
        raise Http404
    return TeamAccess(access=access, role=chosen[0].role, may_manage=bool(managing))


def team_of(person: Person) -> CareTeam | None:
    return CareTeam.objects.filter(person=person).first()


def team_member_get(*, access: TeamAccess, member_uuid: uuid.UUID | str) -> TeamMember:
    member = (
        TeamMember.objects.filter(team__person=access.person, uuid=member_uuid).select_related("team").first()
    )
    if member is None:
        raise Http404
    return member


def team_members_active(*, person: Person) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(team__person=person, left_at__isnull=True).select_related("unit")


@dataclass(frozen=True)
class MemberRow:
    member: TeamMember
    consented: bool  # a team-membership consent in force: without it the member sees nothing
    sections: list[Section]  # the assessment parts the information-sharing consents give them

    @property
    def sees_all_sections(self) -> bool:
        return len(self.sections) == len(SECTIONS)


@dataclass(frozen=True)
class TeamPage:
    access: TeamAccess
    team: CareTeam | None
    active: list[MemberRow]
    former: list[MemberRow]
    coordinators: list[CoordinatorAssignment]
    coordinator_history: list[CoordinatorAssignment]
    consents_in_force: list[ConsentRow]
    consents_history: list[ConsentRow]


def _member_rows(members: list[TeamMember], rows: list[ConsentRow]) -> dict[int, MemberRow]:
    consented: set[int] = set()
    visible: dict[int, set[str]] = {}
    for row in rows:
        if not row.in_force:
            continue
        consent = row.consent
        if consent.kind == ConsentKind.TEAM_MEMBERSHIP and consent.team_member_id is not None:
            consented.add(consent.team_member_id)
        for share in row.shares:
            visible.setdefault(share.team_member_id, set()).update(share.sections)
    return {
        member.pk: MemberRow(
            member=member,
            consented=member.pk in consented,
            sections=[s for s in SECTIONS if s.key in visible.get(member.pk, set())],
        )
        for member in members
    }


def team_page(*, actor: Actor, person_uuid: uuid.UUID | str) -> TeamPage:
    """The team page: members, coordinators and consents, in a fixed number of queries however
    large the team. The read is recorded in the audit log."""
    access = team_access(actor, person_uuid)
    person = access.person
    team = team_of(person)
    rows = consent_rows(person=person)
    members: list[TeamMember] = []
    assignments: list[CoordinatorAssignment] = []
    if team is not None:
        members = list(team.members.select_related("user", "unit", "relative"))
        assignments = list(
            CoordinatorAssignment.objects.filter(team=team).select_related("coordinator", "leader")
        )
    by_member = _member_rows(members, rows)
    current = {AssignmentStatus.PROPOSED, AssignmentStatus.APPROVED, AssignmentStatus.ACTIVE}
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="care_team",
        role=access.role,
        person=person,
        object_uuid=team.uuid if team else person.uuid,
    )
    return TeamPage(
        access=access,
        team=team,
        active=[by_member[m.pk] for m in members if m.left_at is None],
        former=[by_member[m.pk] for m in members if m.left_at is not None],
        coordinators=[a for a in assignments if a.status in current and a.ended_at is None],
        coordinator_history=[a for a in assignments if a.status not in current or a.ended_at is not None],
        consents_in_force=[row for row in rows if row.in_force],
        consents_history=[row for row in rows if not row.in_force],
    )


def team_form_opened(*, actor: Actor, access: TeamAccess, what: str) -> None:
    """A form for the team or consents shows the person's data (relatives, members): opening it
    is a read and is recorded. Its POST is recorded by the service as the change it makes."""
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what=what,
        role=access.role,
        person=access.person,
        object_uuid=access.person.uuid,
    )


def staff_candidates(*, query: str, person: Person, include: uuid.UUID | str | None = None) -> QuerySet[User]:
    """Staff who can be added to the team: anyone with an active role in an active unit, in any
    municipality or outside one (hospital, NAV, private practice), who is not already an active
    member. Matched on name, username, title and unit; ``include`` keeps a chosen user in."""
    active_roles = Membership.objects.filter(user=OuterRef("pk"), is_active=True, unit__is_active=True)
    already = TeamMember.objects.filter(team__person=person, user=OuterRef("pk"), left_at__isnull=True)
    eligible = User.objects.filter(kind=UserKind.STAFF, is_active=True).filter(
        Exists(active_roles), ~Exists(already)
    )
    words = query.split()
    matched = eligible
    if words:
        for word in words:
            matched = matched.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(title__icontains=word)
                | Q(memberships__is_active=True, memberships__unit__name__icontains=word)
            )
        ids = list(
            matched.distinct()
            .order_by("last_name", "first_name")
            .values_list("pk", flat=True)[:CANDIDATE_LIMIT]
        )
    else:
        ids = []
    chosen = Q(uuid=include) if include else Q(pk__in=[])
    return (
        eligible.filter(Q(pk__in=ids) | chosen)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_active=True, unit__is_active=True).select_related(
                    "unit"
                ),
                to_attr="active_memberships",
            )
        )
        .order_by("last_name", "first_name")
    )


def relative_consented(*, person: Person, relative_id: int) -> bool:
    """An involve-relatives consent in force for this relative (checked again when adding)."""
    today = timezone.localdate()
    return (
        Consent.objects.filter(
            person=person,
            kind=ConsentKind.INVOLVE_RELATIVES,
            relative_id=relative_id,
            withdrawn_at__isnull=True,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exists()
    )
