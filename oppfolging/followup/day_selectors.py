"""The coordinator's day (SPEC §4.8): one page with the persons the user coordinates and, for each,
what is due and overdue — overdue first. The same list heads the start page. A fixed number of
queries however many persons: the persons, one query per kind of signal, one audit insert.

Also the GP's work-list: the persons whose team the GP is in and whose medicines are due a review.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.followup.medicine_selectors import MedicationStatus, medication_statuses
from oppfolging.followup.signal_selectors import Signal, signals_for
from oppfolging.people.models import Person
from oppfolging.plans.evaluation_selectors import NextEvaluation, next_evaluations
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember


@dataclass(frozen=True)
class DayRow:
    person: Person
    signals: list[Signal] = field(default_factory=list)
    next_evaluation: NextEvaluation | None = None

    @property
    def overdue(self) -> bool:
        return any(s.overdue for s in self.signals)

    @property
    def overdue_count(self) -> int:
        return sum(1 for s in self.signals if s.overdue)


def coordinated_persons(actor: Actor) -> list[Person]:
    """The persons the actor is the active coordinator for, across municipalities. One query."""
    if actor.user is None or not actor.is_staff_user:
        return []
    assignments = CoordinatorAssignment.all_tenants.filter(
        coordinator=actor.user,
        status=AssignmentStatus.ACTIVE,
        ended_at__isnull=True,
        team__closed_at__isnull=True,
    ).select_related("team__person__municipality")
    persons = {a.team.person_id: a.team.person for a in assignments}
    return list(persons.values())


def _sort_key(row: DayRow) -> tuple[bool, datetime.date, str, str]:
    dates = [s.on for s in row.signals if s.on is not None]
    return (
        not row.overdue,
        min(dates) if dates else datetime.date.max,
        row.person.family_name,
        row.person.given_name,
    )


def audit_persons_seen(*, actor: Actor, persons: list[Person], what: str, role: str) -> None:
    """One audit row per person shown (what is due for them is case content), in one insert."""
    if actor.user is None or not persons:
        return
    label = actor.user.get_full_name() or actor.user.username
    AuditEvent.all_tenants.bulk_create(
        AuditEvent(
            municipality_id=person.municipality_id,
            actor=actor.user,
            actor_label=label,
            role=role,
            person=person,
            action=AuditAction.VIEW,
            what=what,
            object_uuid=person.uuid,
        )
        for person in persons
    )


def coordinator_day(*, actor: Actor, today: datetime.date | None = None) -> list[DayRow]:
    """The actor's persons with their signals, overdue first, then by the earliest date."""
    today = today or timezone.localdate()
    persons = coordinated_persons(actor)
    if not persons:
        return []
    signals = signals_for(persons=[(p.pk, p.uuid) for p in persons], today=today)
    evaluations = next_evaluations(person_ids=[p.pk for p in persons], today=today)
    rows = [
        DayRow(person=p, signals=signals.get(p.pk, []), next_evaluation=evaluations.get(p.pk))
        for p in persons
    ]
    rows.sort(key=_sort_key)
    audit_persons_seen(actor=actor, persons=persons, what="followup.day", role="coordinator")
    return rows


# --- The GP's medication reviews ---------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    person: Person
    status: MedicationStatus


def gp_team_persons(actor: Actor) -> list[Person]:
    """Persons whose team the GP is an active member of, with the person's consent. One query."""
    if actor.user is None or not actor.has_role(Role.GP):
        return []
    today = timezone.localdate()
    consented = Consent.all_tenants.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        team_member=OuterRef("pk"),
        kind=ConsentKind.TEAM_MEMBERSHIP,
        withdrawn_at__isnull=True,
    )
    members = TeamMember.all_tenants.filter(
        Exists(consented), user=actor.user, left_at__isnull=True, team__closed_at__isnull=True
    ).select_related("team__person__municipality")
    return list({m.team.person_id: m.team.person for m in members}.values())


def gp_medication_reviews(*, actor: Actor, today: datetime.date | None = None) -> list[ReviewRow]:
    """The GP's team persons with four or more regular medicines whose review is due."""
    today = today or timezone.localdate()
    persons = gp_team_persons(actor)
    if not persons:
        return []
    statuses = medication_statuses(person_ids=[p.pk for p in persons], today=today)
    rows = [ReviewRow(person=p, status=statuses[p.pk]) for p in persons if p.pk in statuses]
    rows = [row for row in rows if row.status.review_due]
    rows.sort(key=lambda r: (r.status.reviewed_on or datetime.date.min, r.person.family_name))
    audit_persons_seen(actor=actor, persons=[r.person for r in rows], what="medicine", role="team_member")
    return rows
