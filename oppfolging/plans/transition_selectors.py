"""Reads for planned transitions (SPEC §4.9): the plan's transitions for its page, and the choices
of the form — the receiving units and who may become the next coordinator."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oppfolging.accounts.models import Membership, User, UserKind
from oppfolging.core.models import Unit
from oppfolging.people.models import Person
from oppfolging.plans.models import CarePlan, Transition, TransitionStatus
from oppfolging.teams.models import TeamMember


@dataclass(frozen=True)
class TransitionRow:
    transition: Transition
    today: datetime.date

    @property
    def is_planned(self) -> bool:
        return self.transition.status == TransitionStatus.PLANNED

    @property
    def receiving(self) -> str:
        t = self.transition
        parts = [t.receiving_unit.name if t.receiving_unit else "", t.receiving_description]
        return " \u2013 ".join(part for part in parts if part)

    @property
    def next_coordinator(self) -> str:
        t = self.transition
        if t.next_coordinator is not None:
            return t.next_coordinator.get_full_name() or t.next_coordinator.username
        return t.next_coordinator_name

    @property
    def next_coordinator_outside(self) -> bool:
        """Named only: the next coordinator does not use Oppfølging."""
        return self.transition.next_coordinator is None and bool(self.transition.next_coordinator_name)

    @property
    def overlap_running(self) -> bool:
        t = self.transition
        return self.is_planned and t.overlap_from is not None and t.overlap_from <= self.today


def transitions_for(plan: CarePlan) -> list[TransitionRow]:
    """The plan's transitions, by date, in one query."""
    today = timezone.localdate()
    transitions = (
        Transition.all_tenants.filter(plan=plan)
        .select_related("receiving_unit", "next_coordinator")
        .order_by("planned_on", "id")
    )
    return [TransitionRow(transition=t, today=today) for t in transitions]


def transition_get(*, plan: CarePlan, transition_uuid: uuid.UUID | str) -> Transition:
    transition = (
        Transition.all_tenants.filter(plan=plan, uuid=transition_uuid)
        .select_related("plan", "next_coordinator")
        .first()
    )
    if transition is None:
        raise Http404
    return transition


def receiving_units(person: Person) -> QuerySet[Unit]:
    """The municipality's active units and the external ones (hospital, state NAV, private
    practice), which have no municipality."""
    return Unit.objects.filter(
        Q(municipality_id=person.municipality_id) | Q(municipality__isnull=True), is_active=True
    ).order_by("name")


def coordinator_candidates(person: Person) -> QuerySet[User]:
    """Who may become the next coordinator in Oppfølging: an active staff user with a role in one
    of the municipality's active units, or an active member of the person's team with a user
    account (an external member, such as the hospital's doctor, included)."""
    in_municipality = Membership.objects.filter(
        is_active=True, unit__is_active=True, unit__municipality_id=person.municipality_id
    ).values("user_id")
    in_team = TeamMember.all_tenants.filter(
        team__person=person, left_at__isnull=True, user__isnull=False
    ).values("user_id")
    return (
        User.objects.filter(
            Q(pk__in=in_municipality) | Q(pk__in=in_team), is_active=True, kind=UserKind.STAFF
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
