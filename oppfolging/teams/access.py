"""What team membership and the person's consent give, as grant sources of the access module.

- The coordinator (an active assignment) sees all of the case.
- An active member the person has consented to sees the person's administrative data and the
  content parts the person's information-sharing consents name for them.
- A former member keeps that view of what was written before they left, nothing after.
- Consents are read at the moment of access: a withdrawal narrows the next request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Grant, Need
from oppfolging.consents.models import Consent, ConsentKind, ConsentShare
from oppfolging.people.models import Person
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember

COORDINATOR_NEEDS = frozenset({Need.ADMIN_DATA, Need.IDENTITY, Need.CASE_CONTENT, Need.EDIT})
MEMBER_NEEDS = frozenset({Need.ADMIN_DATA, Need.CASE_CONTENT})
# A former member keeps the history they took part in, not the person's current details.
FORMER_MEMBER_NEEDS = frozenset({Need.CASE_CONTENT})


def _in_force() -> Q:
    today = timezone.localdate()
    return Q(withdrawn_at__isnull=True) & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def team_grants(actor: Actor, person: Person) -> Iterable[Grant]:
    if not actor.is_staff_user or actor.user is None:
        return
    coordinating = CoordinatorAssignment.all_tenants.filter(
        team__person=person, coordinator=actor.user, status=AssignmentStatus.ACTIVE, ended_at__isnull=True
    ).exists()
    if coordinating:
        yield Grant("coordinator", COORDINATOR_NEEDS)
    memberships = list(TeamMember.all_tenants.filter(team__person=person, user=actor.user))
    for member in memberships:
        consented = Consent.all_tenants.filter(
            _in_force(), person=person, kind=ConsentKind.TEAM_MEMBERSHIP, team_member=member
        ).exists()
        if not consented:
            continue
        shares = ConsentShare.all_tenants.filter(
            team_member=member,
            consent__person=person,
            consent__kind=ConsentKind.INFORMATION_SHARING,
            consent__withdrawn_at__isnull=True,
        ).filter(Q(consent__expires_on__isnull=True) | Q(consent__expires_on__gte=timezone.localdate()))
        sections = frozenset(key for share in shares for key in share.sections)
        if member.left_at is None:
            yield Grant("team_member", MEMBER_NEEDS, sections=sections)
        else:
            yield Grant("former_team_member", FORMER_MEMBER_NEEDS, sections=sections, until=member.left_at)


def find_person_through_team(actor: Actor, person_uuid: uuid.UUID | str) -> Person | None:
    """An external member acts in no municipality (or another): find the person through the
    actor's own team memberships, never otherwise."""
    if not actor.is_staff_user or actor.user is None:
        return None
    member = (
        TeamMember.all_tenants.filter(user=actor.user, team__person__uuid=person_uuid)
        .select_related("team__person__municipality")
        .first()
    )
    return member.team.person if member else None
