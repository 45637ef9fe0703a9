"""Planned transitions (SPEC §4.9, guideline 7.8): a life-phase transition, a hospital discharge,
into or out of a standardised pathway, a change of service — with a date, the receiving unit and
an overlap of coordinators.

The overlap: when the transition names a next coordinator who uses Oppfølging, that person is
made coordinator (an active :class:`CoordinatorAssignment`) from ``overlap_from``, while the
current coordinator stays, so both edit the plan until the transition is completed. The overlap
starts when the transition is added if ``overlap_from`` is today or earlier; otherwise the daily
job calls :func:`start_due_overlaps`, and completing a transition starts it too if it has not
begun. Completing ends the other coordinators' assignments (the history stays). A next
coordinator named only (outside the system) takes over nobody's assignment: the current
coordinator stays until KE ends it.

The assignment is registered here rather than through KE's appointment (propose → leader's
approval → register, :mod:`oppfolging.teams.coordinator_services`) because the coordinator plans
the handover; ``leader_comment`` records why there was no leader's approval, as a direct
registration does. Every write: audit row and the plan's next version, in one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write, audit_record
from oppfolging.core.models import Unit
from oppfolging.plans.history import record_version
from oppfolging.plans.models import CarePlan, PlanStatus, Transition, TransitionKind, TransitionStatus
from oppfolging.plans.services import author_kind_of, normalise_text, require_edit, require_open, user_of
from oppfolging.plans.transition_selectors import coordinator_candidates
from oppfolging.teams.coordinator_services import notify_coordinator
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment

SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class NewTransition:
    kind: str
    planned_on: datetime.date
    from_description: str = ""
    receiving_unit: Unit | None = None
    receiving_description: str = ""
    next_coordinator: User | None = None
    next_coordinator_name: str = ""
    overlap_from: datetime.date | None = None
    what_to_hand_over: str = ""


def _check(plan: CarePlan, new: NewTransition) -> None:
    """Refuse a transition that does not add up; errors are keyed by the form's field names."""
    errors: dict[str, str] = {}
    if new.kind not in TransitionKind.values:
        errors["kind"] = _("Velg hva slags overgang det er.")
    unit = new.receiving_unit
    if unit is None and not new.receiving_description.strip():
        errors["receiving_unit"] = _("Velg enheten som tar imot, eller skriv hvem som tar imot.")
    elif unit is not None and (
        not unit.is_active or unit.municipality_id not in (None, plan.municipality_id)
    ):
        errors["receiving_unit"] = _("Velg en av enhetene i listen.")
    if new.next_coordinator is not None and new.next_coordinator_name.strip():
        errors["next_coordinator_name"] = _(
            "Velg den nye koordinatoren i listen eller skriv navnet, ikke begge."
        )
    elif (
        new.next_coordinator is not None
        and not coordinator_candidates(plan.person).filter(pk=new.next_coordinator.pk).exists()
    ):
        errors["next_coordinator"] = _("Velg en ansatt i kommunen eller et medlem av personens team.")
    if new.overlap_from is not None:
        if new.next_coordinator is None and not new.next_coordinator_name.strip():
            errors["overlap_from"] = _(
                "Overlappen gjelder den nye koordinatoren: velg eller skriv hvem det er."
            )
        elif new.overlap_from > new.planned_on:
            errors["overlap_from"] = _("Overlappen må begynne senest på datoen for overgangen.")
    if errors:
        raise ValidationError(errors)


def _audit(
    user: User, access: PersonAccess, action: AuditAction, transition: Transition, **detail: object
) -> None:
    audit_person_write(
        user=user, access=access, action=action, what="plan.transition", about=transition.uuid, detail=detail
    )


def _version(plan: CarePlan, user: User, access: PersonAccess, action: str) -> None:
    record_version(plan, user=user, role=access.role, action=action, author_kind=author_kind_of(access))


def _team(transition: Transition) -> CareTeam | None:
    return CareTeam.all_tenants.filter(person_id=transition.plan.person_id).first()


def _start_overlap(
    transition: Transition, *, user: User | None, role: str, again: bool = False
) -> CoordinatorAssignment | None:
    """Make the next coordinator an active coordinator beside the current one, once: nothing
    happens when they already coordinate, or (unless ``again``) when an assignment was already
    made for this transition, even one KE has since ended. None when nothing was started."""
    next_coordinator = transition.next_coordinator
    team = _team(transition)
    if next_coordinator is None or team is None:
        return None
    assignments = CoordinatorAssignment.all_tenants.filter(team=team, coordinator=next_coordinator)
    active = assignments.filter(status=AssignmentStatus.ACTIVE, ended_at__isnull=True).exists()
    made_for_this = assignments.filter(proposed_at__gte=transition.created_at, leader__isnull=True).exists()
    if active or (made_for_this and not again):
        return None
    now = timezone.now()
    assignment = CoordinatorAssignment.all_tenants.create(
        municipality_id=team.municipality_id,
        team=team,
        coordinator=next_coordinator,
        is_child_coordinator=team.is_child_coordinator_case,
        status=AssignmentStatus.ACTIVE,
        proposed_by=transition.created_by,
        proposed_at=now,
        started_at=now,
        leader_comment=_("Overlapp ved planlagt overgang (%(kind)s, %(date)s).")
        % {
            "kind": transition.get_kind_display(),
            "date": formats.date_format(transition.planned_on, "SHORT_DATE_FORMAT"),
        },
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        what="coordinator_assignment",
        role=role,
        person=team.person,
        object_uuid=assignment.uuid,
        detail={
            "coordinator": str(next_coordinator.uuid),
            "status": assignment.status,
            "transition": str(transition.uuid),
        },
    )
    transaction.on_commit(lambda: notify_coordinator(assignment), robust=True)
    return assignment


def _end_assignment(
    assignment: CoordinatorAssignment, *, user: User, role: str, transition: Transition
) -> None:
    assignment.status = AssignmentStatus.ENDED
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        what="coordinator_assignment",
        role=role,
        person=assignment.team.person,
        object_uuid=assignment.uuid,
        detail={
            "coordinator": str(assignment.coordinator.uuid),
            "status": assignment.status,
            "transition": str(transition.uuid),
        },
    )


def _lock_planned(transition: Transition) -> Transition:
    locked = (
        Transition.all_tenants.select_for_update(of=("self",))
        .select_related("plan__person", "next_coordinator", "created_by")
        .get(pk=transition.pk)
    )
    if locked.status != TransitionStatus.PLANNED:
        raise ValidationError(_("Overgangen er allerede gjennomført eller avlyst."))
    return locked


@transaction.atomic
def transition_add(
    *,
    actor: Actor,
    access: PersonAccess,
    plan: CarePlan,
    new: NewTransition,
    today: datetime.date | None = None,
) -> Transition:
    """Plan a transition; start the coordinator overlap at once if it begins today or earlier."""
    user = user_of(actor)
    require_edit(access)
    require_open(plan)
    _check(plan, new)
    transition = Transition.all_tenants.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        kind=new.kind,
        planned_on=new.planned_on,
        from_description=new.from_description.strip(),
        receiving_unit=new.receiving_unit,
        receiving_description=new.receiving_description.strip(),
        next_coordinator=new.next_coordinator,
        next_coordinator_name=new.next_coordinator_name.strip(),
        overlap_from=new.overlap_from,
        what_to_hand_over=normalise_text(new.what_to_hand_over),
        created_by=user,
    )
    _audit(user, access, AuditAction.CREATE, transition, kind=transition.kind)
    today = today or timezone.localdate()
    if new.overlap_from is not None and new.overlap_from <= today:
        _start_overlap(transition, user=user, role=access.role)
    _version(plan, user, access, "transition.add")
    return transition


@transaction.atomic
def transition_complete(*, actor: Actor, access: PersonAccess, transition: Transition) -> Transition:
    """The transition has happened: the next coordinator (if one in Oppfølging) coordinates
    alone from now — their assignment is started if the overlap had not begun, and every other
    active coordinator's assignment is ended."""
    user = user_of(actor)
    require_edit(access)
    transition = _lock_planned(transition)
    plan = transition.plan
    require_open(plan)
    next_coordinator = transition.next_coordinator
    team = _team(transition)
    ended = []
    if next_coordinator is not None and team is not None:
        _start_overlap(transition, user=user, role=access.role, again=True)
        others = CoordinatorAssignment.all_tenants.filter(
            team=team, status=AssignmentStatus.ACTIVE, ended_at__isnull=True
        ).exclude(coordinator=next_coordinator)
        for assignment in others.select_related("coordinator", "team__person"):
            _end_assignment(assignment, user=user, role=access.role, transition=transition)
            ended.append(str(assignment.coordinator.uuid))
    transition.status = TransitionStatus.COMPLETED
    transition.completed_at = timezone.now()
    transition.version += 1
    transition.save(update_fields=["status", "completed_at", "version", "updated_at"])
    _audit(user, access, AuditAction.UPDATE, transition, status=transition.status, ended=ended)
    _version(plan, user, access, "transition.complete")
    return transition


@transaction.atomic
def transition_cancel(*, actor: Actor, access: PersonAccess, transition: Transition) -> Transition:
    """The transition will not happen. A coordinator overlap started for it ends, unless that
    would leave the person with no coordinator."""
    user = user_of(actor)
    require_edit(access)
    transition = _lock_planned(transition)
    plan = transition.plan
    require_open(plan)
    team = _team(transition)
    ended = []
    if transition.next_coordinator is not None and team is not None:
        active = CoordinatorAssignment.all_tenants.filter(
            team=team, status=AssignmentStatus.ACTIVE, ended_at__isnull=True
        )
        started_for_this = active.filter(
            coordinator=transition.next_coordinator,
            proposed_at__gte=transition.created_at,
            leader__isnull=True,
        ).select_related("coordinator", "team__person")
        for assignment in started_for_this:
            if active.exclude(pk=assignment.pk).exists():
                _end_assignment(assignment, user=user, role=access.role, transition=transition)
                ended.append(str(assignment.coordinator.uuid))
    transition.status = TransitionStatus.CANCELLED
    transition.version += 1
    transition.save(update_fields=["status", "version", "updated_at"])
    _audit(user, access, AuditAction.UPDATE, transition, status=transition.status, ended=ended)
    _version(plan, user, access, "transition.cancel")
    return transition


def start_due_overlaps(today: datetime.date | None = None) -> int:
    """For the daily job: start the coordinator overlap of every planned transition whose
    ``overlap_from`` has come, in plans that are not closed. Safe to run twice (an overlap is
    started once); returns how many were started."""
    today = today or timezone.localdate()
    due = (
        Transition.all_tenants.filter(
            status=TransitionStatus.PLANNED,
            next_coordinator__isnull=False,
            overlap_from__lte=today,
        )
        .exclude(plan__status=PlanStatus.CLOSED)
        .select_related("plan", "next_coordinator", "created_by")
        .order_by("id")
    )
    started = 0
    for item in due:
        with transaction.atomic():
            if _start_overlap(item, user=None, role=SYSTEM_ROLE) is not None:
                started += 1
    return started
