"""What each role's start page shows: what that role works on, aggregated where it must be."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Membership, Role
from oppfolging.core.models import Unit
from oppfolging.people.models import Person


@dataclass(frozen=True)
class UnitStaffing:
    unit: Unit
    counts: dict[str, int]


def municipality_person_count() -> int:
    return Person.objects.count()


def leader_units_staffing(actor: Actor) -> list[UnitStaffing]:
    """For a leader: staff per role in the units they lead. Counts only, no names."""
    units = actor.units_with_role(Role.LEADER)
    rows = (
        Membership.objects.filter(unit__in=units, is_active=True)
        .values("unit_id", "role")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {unit.pk: {} for unit in units}
    labels = dict(Role.choices)
    for row in rows:
        counts[row["unit_id"]][str(labels[row["role"]])] = row["n"]
    return [UnitStaffing(unit=unit, counts=counts[unit.pk]) for unit in units]


def municipality_admin_summary(actor: Actor) -> dict[str, int]:
    if actor.municipality is None:
        return {"users": 0, "units": 0}
    units = Unit.objects.filter(municipality=actor.municipality)
    users = (
        Membership.objects.filter(unit__municipality=actor.municipality, is_active=True, user__is_active=True)
        .values("user")
        .distinct()
        .count()
    )
    return {"users": users, "units": units.count()}


@dataclass(frozen=True)
class MyPerson:
    person: Person
    coordinator: bool
    discipline: str


def my_persons(actor: Actor) -> list[MyPerson]:
    """The persons the actor coordinates or is an active, consented team member for, across
    municipalities (an external member's persons live in the municipalities that have them).
    Two queries however many persons."""
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from oppfolging.consents.models import Consent, ConsentKind
    from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember

    if actor.user is None or not actor.is_staff_user:
        return []
    today = timezone.localdate()
    consented = Consent.all_tenants.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        team_member=OuterRef("pk"),
        kind=ConsentKind.TEAM_MEMBERSHIP,
        withdrawn_at__isnull=True,
    )
    members = (
        TeamMember.all_tenants.filter(user=actor.user, left_at__isnull=True, team__closed_at__isnull=True)
        .filter(Exists(consented))
        .select_related("team__person")
    )
    assignments = CoordinatorAssignment.all_tenants.filter(
        coordinator=actor.user, status=AssignmentStatus.ACTIVE, ended_at__isnull=True
    ).select_related("team__person")
    coordinating = {a.team.person_id: a.team.person for a in assignments}
    disciplines = {m.team.person_id: m.discipline for m in members}
    persons = {**coordinating, **{m.team.person_id: m.team.person for m in members}}
    found = [
        MyPerson(person=person, coordinator=pk in coordinating, discipline=disciplines.get(pk, ""))
        for pk, person in persons.items()
    ]
    return sorted(found, key=lambda mine: (not mine.coordinator, mine.person.family_name))
