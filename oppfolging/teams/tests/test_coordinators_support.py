"""Building blocks for the coordinator tests and the permission matrix: a person's team with
members from the demo staff, an assessment with the person's wish, and assignments in each
status. Everything through the ORM inside ``unscoped()``, and idempotent."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.referrals.models import Assessment, OfferStatus
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember


def team_for(cast: Any, person: str) -> CareTeam:
    target = cast.persons[person]
    with unscoped():
        team, _created = CareTeam.objects.get_or_create(municipality=target.municipality, person=target)
    return team


def member(cast: Any, person: str, username: str) -> TeamMember:
    """``username`` as an active member of the person's team, in their first unit."""
    team = team_for(cast, person)
    user = cast.users[username]
    with unscoped():
        existing = TeamMember.objects.filter(team=team, user=user, left_at__isnull=True).first()
        if existing is not None:
            return existing
        unit = user.memberships.filter(is_active=True).order_by("unit__name").first().unit
        return TeamMember.objects.create(
            municipality=team.municipality,
            team=team,
            user=user,
            name=user.get_full_name(),
            discipline=user.title,
            unit=unit,
        )


def wish(cast: Any, person: str, text: str) -> Assessment:
    target = cast.persons[person]
    with unscoped():
        return Assessment.objects.create(
            municipality=target.municipality,
            person=target,
            led_by=cast.users["fjordvik-tildeling"],
            coordinator_status=OfferStatus.ACCEPTED,
            coordinator_wish=text,
        )


def assignment(
    cast: Any, person: str, username: str, status: str = AssignmentStatus.PROPOSED
) -> CoordinatorAssignment:
    """An assignment of ``username`` (made a team member) for the person, in ``status``."""
    team = team_for(cast, person)
    member(cast, person, username)
    ke = "lidal-ke" if team.municipality.name.startswith("Lidal") else "fjordvik-ke"
    with unscoped():
        found = CoordinatorAssignment.objects.filter(
            team=team, coordinator=cast.users[username], status=status
        )
        if found.exists():
            return found.get()
        active = status in (AssignmentStatus.ACTIVE, AssignmentStatus.ENDED)
        return CoordinatorAssignment.objects.create(
            municipality=team.municipality,
            team=team,
            coordinator=cast.users[username],
            status=status,
            proposed_by=cast.users[ke],
            started_at=timezone.now() if active else None,
            ended_at=timezone.now() if status == AssignmentStatus.ENDED else None,
        )


def leader_of(unit_name: str, username: str) -> User:
    """A new user who leads ``unit_name``."""
    with unscoped():
        user = User.objects.create_user(username=username, first_name="Leder", last_name=unit_name)
        Membership.objects.create(user=user, unit=Unit.objects.get(name=unit_name), role=Role.LEADER)
    return user
