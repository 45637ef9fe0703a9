"""Reads for appointing coordinators and for KE's coordinator registry.

- KE sees a person's coordinators, proposals and history, the team members who can be proposed
  with each one's caseload, and the person's wish: administrative data KE needs to appoint.
- A leader sees the proposals for their own staff only (any other: 404), each with the
  candidate's current number of persons against the municipality's cap.
- A coordinator sees their own assignments.
- KE's registry lists every coordinator with their persons, training and caseload, at a fixed
  number of queries however many coordinators and persons there are.
Reads that show a person are audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Municipality, Unit
from oppfolging.people.models import Person
from oppfolging.teams.coordinator_services import KE_ROLE, OPEN_STATUSES, latest_wish
from oppfolging.teams.models import (
    AssignmentStatus,
    CareTeam,
    CoordinatorAssignment,
    CoordinatorTraining,
    TeamMember,
)

ACTIVE = Q(status=AssignmentStatus.ACTIVE, ended_at__isnull=True)


def _ke_municipality(actor: Actor) -> Municipality:
    if not actor.is_staff_user or actor.municipality is None or not actor.has_role(Role.KE_STAFF):
        raise Http404
    return actor.municipality


def caseloads(user_ids: list[int]) -> dict[int, int]:
    """Persons coordinated now, per user, in the active municipality scope. One query."""
    rows = (
        CoordinatorAssignment.objects.filter(ACTIVE, coordinator_id__in=user_ids)
        .values("coordinator_id")
        .annotate(n=Count("team_id", distinct=True))
        .order_by()
    )
    return {row["coordinator_id"]: row["n"] for row in rows}


def caseload_subquery() -> Coalesce:
    """The caseload of a row's ``coordinator``, for annotating a list of assignments."""
    counted = (
        CoordinatorAssignment.objects.filter(ACTIVE, coordinator=OuterRef("coordinator"))
        .order_by()
        .values("coordinator")
        .annotate(n=Count("team_id", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def users_with_leader(user_ids: list[int], municipality_id: int) -> set[int]:
    """Which of these users have a leader (someone else) in the municipality. Two queries."""
    staff = list(
        Membership.objects.filter(
            user_id__in=user_ids, is_active=True, unit__is_active=True, unit__municipality_id=municipality_id
        ).values_list("user_id", "unit_id")
    )
    leaders = set(
        Membership.objects.filter(
            role=Role.LEADER, is_active=True, user__is_active=True, unit_id__in={unit for _u, unit in staff}
        ).values_list("user_id", "unit_id")
    )
    leaders_by_unit: dict[int, set[int]] = {}
    for leader, unit in leaders:
        leaders_by_unit.setdefault(unit, set()).add(leader)
    return {user for user, unit in staff if leaders_by_unit.get(unit, set()) - {user}}


# --- KE: one person's coordinators -----------------------------------------------------------


def ke_person_access(*, actor: Actor, person_uuid: uuid.UUID | str) -> PersonAccess:
    """The person, if ``actor`` is KE in the person's municipality; otherwise Http404."""
    municipality = _ke_municipality(actor)
    access = access_person(actor, person_uuid, Need.ADMIN_DATA)
    if access.person.municipality_id != municipality.pk:
        raise Http404
    return access


def team_of(*, person: Person) -> CareTeam | None:
    return CareTeam.objects.filter(person=person).first()


@dataclass(frozen=True)
class Candidate:
    member: TeamMember
    caseload: int
    has_leader: bool


@dataclass(frozen=True)
class PersonCoordinators:
    access: PersonAccess
    person: Person
    team: CareTeam | None
    assignments: list[CoordinatorAssignment]
    candidates: list[Candidate]
    wish: str
    cap: int
    without_leader: set[int]  # ids of proposals KE may register directly

    @property
    def current(self) -> list[CoordinatorAssignment]:
        """Active now: two during a transition's overlap."""
        return [a for a in self.assignments if a.status == AssignmentStatus.ACTIVE and a.ended_at is None]


def person_coordinators(*, actor: Actor, person_uuid: uuid.UUID | str) -> PersonCoordinators:
    """What KE needs to appoint a coordinator for a person. The read is audited."""
    access = ke_person_access(actor=actor, person_uuid=person_uuid)
    person = access.person
    team = team_of(person=person)
    assignments: list[CoordinatorAssignment] = []
    members: list[TeamMember] = []
    if team is not None:
        assignments = list(
            CoordinatorAssignment.objects.filter(team=team)
            .select_related("coordinator", "leader", "proposed_by")
            .order_by("-proposed_at", "-id")
        )
        if team.closed_at is None:
            members = list(
                TeamMember.objects.filter(
                    team=team, left_at__isnull=True, user__isnull=False, user__is_active=True
                )
                .select_related("user", "unit")
                .order_by("name")
            )
    # Someone already proposed or in office for this person is not proposed again.
    engaged = {a.coordinator_id for a in assignments if a.status in OPEN_STATUSES and a.ended_at is None}
    members = [m for m in members if m.user_id not in engaged]
    user_ids = [m.user_id for m in members if m.user_id] + [
        a.coordinator_id for a in assignments if a.status == AssignmentStatus.PROPOSED
    ]
    loads = caseloads(user_ids)
    led = users_with_leader(user_ids, person.municipality_id) if user_ids else set()
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="coordinator_assignment",
        role=KE_ROLE,
        person=person,
        object_uuid=person.uuid,
    )
    return PersonCoordinators(
        access=access,
        person=person,
        team=team,
        assignments=assignments,
        candidates=[
            Candidate(member=m, caseload=loads.get(m.user_id or 0, 0), has_leader=(m.user_id in led))
            for m in members
        ],
        wish=latest_wish(person),
        cap=person.municipality.coordinator_caseload_cap,
        without_leader={
            a.pk for a in assignments if a.status == AssignmentStatus.PROPOSED and a.coordinator_id not in led
        },
    )


def assignment_for_ke(
    *, actor: Actor, assignment_uuid: uuid.UUID | str, audit: bool = False
) -> CoordinatorAssignment:
    """An assignment of KE's own municipality; otherwise Http404. Showing it is audited when
    ``audit``."""
    municipality = _ke_municipality(actor)
    try:
        assignment = CoordinatorAssignment.objects.select_related(
            "team__person", "coordinator", "municipality"
        ).get(uuid=assignment_uuid, municipality=municipality)
    except (CoordinatorAssignment.DoesNotExist, ValueError):
        raise Http404 from None
    if audit:
        audit_record(
            actor=actor.user,
            action=AuditAction.VIEW,
            what="coordinator_assignment",
            role=KE_ROLE,
            person=assignment.team.person,
            object_uuid=assignment.uuid,
        )
    return assignment


def child_case(
    *, actor: Actor, person_uuid: uuid.UUID | str, audit: bool = False
) -> tuple[PersonAccess, CareTeam | None]:
    """The person and their team for KE's child-coordinator page. The child's own view is shown,
    so showing it is audited when ``audit``."""
    access = ke_person_access(actor=actor, person_uuid=person_uuid)
    team = team_of(person=access.person)
    if audit:
        audit_record(
            actor=actor.user,
            action=AuditAction.VIEW,
            what="care_team",
            role=KE_ROLE,
            person=access.person,
            object_uuid=team.uuid if team else access.person.uuid,
        )
    return access, team


# --- The leader ------------------------------------------------------------------------------


def _led_staff(actor: Actor) -> QuerySet[CoordinatorAssignment]:
    """Assignments whose candidate has an active role in a unit ``actor`` leads."""
    if not actor.is_staff_user or actor.user is None or actor.municipality is None:
        return CoordinatorAssignment.objects.none()
    units = [
        unit for unit in actor.units_with_role(Role.LEADER) if unit.municipality_id == actor.municipality.pk
    ]
    if not units:
        return CoordinatorAssignment.objects.none()
    staff = Membership.objects.filter(
        user=OuterRef("coordinator"), is_active=True, unit__in=units, unit__is_active=True
    )
    return CoordinatorAssignment.objects.filter(Exists(staff)).exclude(coordinator=actor.user)


def leader_proposals(*, actor: Actor) -> tuple[list[CoordinatorAssignment], list[CoordinatorAssignment]]:
    """Proposals waiting for ``actor`` and the last ones decided, each with ``current_caseload``.
    No person is named here; opening a proposal shows who it is about (and is audited)."""
    base = (
        _led_staff(actor)
        .annotate(current_caseload=caseload_subquery())
        .select_related("coordinator", "proposed_by", "leader")
    )
    waiting: list[CoordinatorAssignment] = list(
        base.filter(status=AssignmentStatus.PROPOSED).order_by("proposed_at", "id")
    )
    decided: list[CoordinatorAssignment] = list(
        base.filter(leader=actor.user, leader_decided_at__isnull=False).order_by("-leader_decided_at")[:20]
    )
    return waiting, decided


def proposal_for_leader(
    *, actor: Actor, assignment_uuid: uuid.UUID | str, audit: bool = True
) -> CoordinatorAssignment:
    """A proposal for one of ``actor``'s staff, with ``current_caseload``; otherwise Http404.
    Showing it names the person, so it is audited (``audit``; a POST is audited as the write)."""
    try:
        assignment = (
            _led_staff(actor)
            .annotate(current_caseload=caseload_subquery())
            .select_related("team__person", "coordinator", "proposed_by", "municipality")
            .get(uuid=assignment_uuid)
        )
    except (CoordinatorAssignment.DoesNotExist, ValueError):
        raise Http404 from None
    if audit:
        audit_record(
            actor=actor.user,
            action=AuditAction.VIEW,
            what="coordinator_assignment",
            role=Role.LEADER.value,
            person=assignment.team.person,
            object_uuid=assignment.uuid,
        )
    return assignment


# --- The coordinator -------------------------------------------------------------------------


def my_assignments(*, actor: Actor) -> list[CoordinatorAssignment]:
    """The actor's own assignments, in every municipality (a coordinator from an external unit
    acts in none). Filtered by the actor's own relation, as the access module does."""
    if actor.user is None:
        return []
    return list(
        CoordinatorAssignment.all_tenants.filter(coordinator=actor.user)
        .select_related("team__person", "municipality")
        .order_by("-started_at", "-proposed_at", "-id")
    )


# --- KE's registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryRow:
    user: User
    units: list[Unit]
    persons: list[Person]
    child_persons: set[int]
    trainings: list[CoordinatorTraining]
    caseload: int
    cap: int

    @property
    def at_cap(self) -> bool:
        return self.caseload >= self.cap


def _registry_users(municipality: Municipality) -> QuerySet[User]:
    """Coordinators of the municipality: anyone with an active assignment there, or the
    coordinator role in one of its units."""
    assigned = CoordinatorAssignment.objects.filter(
        ACTIVE, coordinator=OuterRef("pk"), municipality=municipality
    )
    with_role = Membership.objects.filter(
        user=OuterRef("pk"),
        role=Role.COORDINATOR,
        is_active=True,
        unit__is_active=True,
        unit__municipality=municipality,
    )
    return User.objects.filter(Q(Exists(assigned)) | Q(Exists(with_role)))


def coordinator_registry(*, actor: Actor) -> tuple[list[RegistryRow], list[CoordinatorAssignment]]:
    """Every coordinator with their persons (names: administrative data for KE), units, training
    and caseload; and the appointments under way. Six queries whatever the numbers."""
    municipality = _ke_municipality(actor)
    cap = municipality.coordinator_caseload_cap
    users = (
        _registry_users(municipality)
        .prefetch_related(
            Prefetch(
                "coordinator_assignments",
                queryset=CoordinatorAssignment.objects.filter(ACTIVE)
                .select_related("team__person")
                .order_by("team__person__family_name", "team__person__given_name"),
                to_attr="active_assignments",
            ),
            Prefetch(
                "coordinator_training",
                queryset=CoordinatorTraining.objects.filter(municipality=municipality).order_by(
                    "-held_on", "-id"
                ),
                to_attr="trainings",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_active=True)
                .filter(Q(unit__municipality=municipality) | Q(unit__municipality__isnull=True))
                .select_related("unit")
                .order_by("unit__name"),
                to_attr="active_memberships",
            ),
        )
        .order_by("last_name", "first_name", "username")
    )
    rows = []
    for user in users:
        assignments: list[CoordinatorAssignment] = user.active_assignments
        persons = list({a.team.person_id: a.team.person for a in assignments}.values())
        units = list({m.unit_id: m.unit for m in user.active_memberships}.values())
        rows.append(
            RegistryRow(
                user=user,
                units=units,
                persons=persons,
                child_persons={a.team.person_id for a in assignments if a.is_child_coordinator},
                trainings=user.trainings,
                caseload=len(persons),
                cap=cap,
            )
        )
    pending = list(
        CoordinatorAssignment.objects.filter(
            status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.APPROVED]
        )
        .select_related("team__person", "coordinator")
        .order_by("status", "proposed_at")
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="coordinator_registry",
        role=KE_ROLE,
        municipality=municipality,
        detail={"coordinators": len(rows)},
    )
    return rows, pending


def registry_user(*, actor: Actor, user_uuid: uuid.UUID | str) -> User:
    """A coordinator in KE's registry; otherwise Http404."""
    municipality = _ke_municipality(actor)
    try:
        return _registry_users(municipality).get(uuid=user_uuid)
    except (User.DoesNotExist, ValueError):
        raise Http404 from None
