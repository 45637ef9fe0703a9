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
