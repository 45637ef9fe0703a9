"""Appointing a coordinator (SPEC §4.3, guideline 7.4): KE proposes a member of the person's
team, weighing the person's wish; the candidate's leader approves or declines, seeing how many
persons the candidate already coordinates against the municipality's cap; KE registers the
appointment and the coordinator is told. A candidate with no leader in the municipality (staff of
an external unit) is registered by KE directly, with a recorded reason.

Changing coordinator keeps history: a new coordinator can be proposed and registered while the
current one is active, and both coordinate until KE ends the old assignment (guideline 7.8: in a
transition the next coordinator starts before the current one leaves).

Every write checks the actor's role again and records its audit row in the same transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Municipality
from oppfolging.people.models import Person
from oppfolging.referrals.models import Assessment
from oppfolging.teams.models import (
    AssignmentStatus,
    CareTeam,
    CoordinatorAssignment,
    CoordinatorTraining,
    TeamMember,
)

CHILD_AGE_LIMIT = 18
KE_ROLE = Role.KE_STAFF.value
# A proposal still under way, or a coordinator in office: one of each per person and candidate.
OPEN_STATUSES = (AssignmentStatus.PROPOSED, AssignmentStatus.APPROVED, AssignmentStatus.ACTIVE)


# --- Who is who --------------------------------------------------------------------------------


def ke_municipality(actor: Actor) -> Municipality:
    """The municipality ``actor`` works in as KE; refused otherwise."""
    if not actor.is_staff_user or actor.municipality is None or not actor.has_role(Role.KE_STAFF):
        raise PermissionDenied("not KE")
    return actor.municipality


def _ensure_ke_for(actor: Actor, person: Person) -> Municipality:
    municipality = ke_municipality(actor)
    if person.municipality_id != municipality.pk:
        raise PermissionDenied("not this municipality's person")
    return municipality


def leaders_of(candidate: User, municipality_id: int) -> QuerySet[User]:
    """The candidate's leaders: users with an active leader role in an active unit of the
    municipality where the candidate has an active role. Never the candidate themselves."""
    staff_units = Membership.objects.filter(
        user=candidate, is_active=True, unit__is_active=True, unit__municipality_id=municipality_id
    ).values("unit_id")
    leading = Membership.objects.filter(
        user=OuterRef("pk"), role=Role.LEADER, is_active=True, unit_id__in=staff_units
    )
    return User.objects.filter(Exists(leading), is_active=True).exclude(pk=candidate.pk)


def caseload(coordinator: User, municipality_id: int) -> int:
    """How many persons ``coordinator`` coordinates now in the municipality."""
    return (
        CoordinatorAssignment.objects.filter(
            municipality_id=municipality_id,
            coordinator=coordinator,
            status=AssignmentStatus.ACTIVE,
            ended_at__isnull=True,
        )
        .values("team_id")
        .distinct()
        .count()
    )


def latest_wish(person: Person) -> str:
    """The person's wish for coordinator, from their latest assessment that records one."""
    wish = (
        Assessment.objects.filter(person=person, municipality_id=person.municipality_id)
        .exclude(coordinator_wish="")
        .order_by("-started_at", "-id")
        .values_list("coordinator_wish", flat=True)
        .first()
    )
    return wish or ""


def _audit(
    actor: Actor, assignment: CoordinatorAssignment, action: AuditAction, role: str, **detail: object
) -> None:
    audit_record(
        actor=actor.user,
        action=action,
        what="coordinator_assignment",
        role=role,
        person=assignment.team.person,
        object_uuid=assignment.uuid,
        detail={"coordinator": str(assignment.coordinator.uuid), "status": assignment.status, **detail},
    )


# --- The appointment -------------------------------------------------------------------------


@transaction.atomic
def coordinator_propose(*, actor: Actor, access: PersonAccess, member: TeamMember) -> CoordinatorAssignment:
    """KE proposes ``member`` of the person's team as coordinator; the person's wish is kept."""
    person = access.person
    municipality = _ensure_ke_for(actor, person)
    if actor.user is None:
        raise PermissionDenied("no user")
    team = CareTeam.objects.filter(person=person, municipality=municipality).first()
    if team is None or team.closed_at is not None:
        raise ValidationError(
            _("Personen har ikke noe aktivt oppfølgingsteam. Koordinatoren velges blant teamets medlemmer.")
        )
    if member.team_id != team.pk or member.left_at is not None:
        raise ValidationError({"member": _("Koordinatoren må være et aktivt medlem av personens team.")})
    candidate = member.user
    if candidate is None or not candidate.is_active or candidate.is_citizen:
        raise ValidationError(
            {"member": _("Koordinatoren må være en tjenesteyter med brukerkonto i Oppfølging.")}
        )
    already = CoordinatorAssignment.objects.filter(
        team=team, coordinator=candidate, status__in=OPEN_STATUSES, ended_at__isnull=True
    ).exists()
    if already:
        raise ValidationError(
            {
                "member": _("%(name)s er allerede foreslått eller koordinator for personen.")
                % {"name": candidate}
            }
        )
    assignment = CoordinatorAssignment.objects.create(
        municipality=municipality,
        team=team,
        coordinator=candidate,
        is_child_coordinator=team.is_child_coordinator_case,
        persons_wish=latest_wish(person)[:200],
        proposed_by=actor.user,
    )
    _audit(actor, assignment, AuditAction.CREATE, KE_ROLE)
    return assignment


@transaction.atomic
def coordinator_leader_decide(
    *, actor: Actor, assignment: CoordinatorAssignment, approve: bool, comment: str = ""
) -> CoordinatorAssignment:
    """The candidate's leader approves or declines, with the caseload and cap of the moment kept."""
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("Forslaget er allerede behandlet."))
    if (
        actor.user is None
        or not leaders_of(assignment.coordinator, assignment.municipality_id)
        .filter(pk=actor.user.pk)
        .exists()
    ):
        raise PermissionDenied("not the candidate's leader")
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Skriv hvorfor du ikke godkjenner forslaget.")})
    assignment.status = AssignmentStatus.APPROVED if approve else AssignmentStatus.DECLINED
    assignment.leader = actor.user
    assignment.leader_decided_at = timezone.now()
    assignment.leader_comment = comment.strip()
    assignment.caseload_at_approval = caseload(assignment.coordinator, assignment.municipality_id)
    assignment.cap_at_approval = assignment.municipality.coordinator_caseload_cap
    assignment.save()
    _audit(
        actor,
        assignment,
        AuditAction.UPDATE,
        Role.LEADER.value,
        caseload=assignment.caseload_at_approval,
        cap=assignment.cap_at_approval,
    )
    return assignment


def _ensure_still_member(assignment: CoordinatorAssignment) -> None:
    still = TeamMember.objects.filter(
        team_id=assignment.team_id, user=assignment.coordinator, left_at__isnull=True
    ).exists()
    if not still:
        raise ValidationError(_("%(name)s er ikke lenger med i teamet.") % {"name": assignment.coordinator})


def _activate(actor: Actor, assignment: CoordinatorAssignment, **detail: object) -> CoordinatorAssignment:
    assignment.status = AssignmentStatus.ACTIVE
    assignment.started_at = timezone.now()
    assignment.is_child_coordinator = assignment.team.is_child_coordinator_case
    assignment.save()
    _audit(actor, assignment, AuditAction.UPDATE, KE_ROLE, **detail)
    transaction.on_commit(lambda: notify_coordinator(assignment), robust=True)
    return assignment


@transaction.atomic
def coordinator_register(*, actor: Actor, assignment: CoordinatorAssignment) -> CoordinatorAssignment:
    """KE registers an approved appointment: from now on the coordinator sees the whole case. Any
    current coordinator stays until KE ends their assignment."""
    _ensure_ke_for(actor, assignment.team.person)
    if assignment.status != AssignmentStatus.APPROVED:
        raise ValidationError(_("Bare et forslag lederen har godkjent, kan registreres."))
    _ensure_still_member(assignment)
    return _activate(actor, assignment)


@transaction.atomic
def coordinator_register_direct(
    *, actor: Actor, assignment: CoordinatorAssignment, reason: str
) -> CoordinatorAssignment:
    """For a candidate with no leader in the municipality (an external unit's staff), KE registers
    without a leader's approval. The reason is kept in ``leader_comment``; ``leader`` stays empty,
    which is how the history tells the two apart."""
    _ensure_ke_for(actor, assignment.team.person)
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("Forslaget er allerede behandlet."))
    if leaders_of(assignment.coordinator, assignment.municipality_id).exists():
        raise ValidationError(_("Kandidaten har en leder i kommunen, som må godkjenne forslaget."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Skriv hvorfor koordinatoren registreres uten leders godkjenning.")}
        )
    _ensure_still_member(assignment)
    assignment.leader_comment = reason.strip()
    assignment.caseload_at_approval = caseload(assignment.coordinator, assignment.municipality_id)
    assignment.cap_at_approval = assignment.municipality.coordinator_caseload_cap
    return _activate(actor, assignment, without_leader=True)


@transaction.atomic
def coordinator_end(*, actor: Actor, assignment: CoordinatorAssignment) -> CoordinatorAssignment:
    """KE ends an active assignment; the history stays."""
    _ensure_ke_for(actor, assignment.team.person)
    if assignment.status != AssignmentStatus.ACTIVE or assignment.ended_at is not None:
        raise ValidationError(_("Bare en aktiv koordinator kan avsluttes."))
    assignment.status = AssignmentStatus.ENDED
    assignment.ended_at = timezone.now()
    assignment.save()
    _audit(actor, assignment, AuditAction.UPDATE, KE_ROLE)
    return assignment


def notify_coordinator(assignment: CoordinatorAssignment) -> None:
    """Tell the new coordinator by e-mail, in their language. The message names no person: an
    e-mail is no place for health information, and the page after login is."""
    user = assignment.coordinator
    if not user.email:
        return
    language = user.preferred_language or assignment.municipality.default_language
    with translation.override(language):
        subject = _("Du er registrert som koordinator")
        body = _(
            "Koordinerende enhet i %(municipality)s har registrert deg som koordinator for en person. "
            "Logg inn i Oppfølging og åpne «Mine koordinatoroppdrag» for å se hvem."
        ) % {"municipality": assignment.municipality.name}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


# --- Barnekoordinator ------------------------------------------------------------------------


@transaction.atomic
def child_case_update(
    *, actor: Actor, access: PersonAccess, is_child_coordinator_case: bool, child_view: str
) -> CareTeam:
    """Mark the person's team as a child-coordinator case (pasient- og brukerrettighetsloven
    § 2-5 c) and record the child's own view. Open and active assignments follow the mark."""
    person = access.person
    municipality = _ensure_ke_for(actor, person)
    team = CareTeam.objects.filter(person=person, municipality=municipality).first()
    if team is None:
        raise ValidationError(_("Personen har ikke noe oppfølgingsteam ennå."))
    if is_child_coordinator_case and person.age() >= CHILD_AGE_LIMIT:
        raise ValidationError(
            {
                "is_child_coordinator_case": _(
                    "Retten til barnekoordinator gjelder barn under 18 år. %(name)s er %(age)s år."
                )
                % {"name": person.full_name, "age": person.age()}
            }
        )
    changed = [
        field
        for field, value in (
            ("is_child_coordinator_case", is_child_coordinator_case),
            ("child_view", child_view),
        )
        if getattr(team, field) != value
    ]
    if not changed:
        return team
    team.is_child_coordinator_case = is_child_coordinator_case
    team.child_view = child_view
    team.save(update_fields=[*changed, "updated_at"])
    CoordinatorAssignment.objects.filter(team=team, status__in=OPEN_STATUSES, ended_at__isnull=True).update(
        is_child_coordinator=is_child_coordinator_case, updated_at=timezone.now()
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.UPDATE,
        what="care_team",
        role=KE_ROLE,
        person=person,
        object_uuid=team.uuid,
        detail={"fields": changed, "is_child_coordinator_case": is_child_coordinator_case},
    )
    return team


# --- The registry ----------------------------------------------------------------------------


@transaction.atomic
def coordinator_training_add(
    *, actor: Actor, coordinator: User, kind: str, held_on: datetime.date, description: str
) -> CoordinatorTraining:
    """KE records training or supervision for a coordinator in its registry."""
    municipality = ke_municipality(actor)
    training = CoordinatorTraining.objects.create(
        user=coordinator, municipality=municipality, kind=kind, held_on=held_on, description=description
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="coordinator_training",
        role=KE_ROLE,
        municipality=municipality,
        object_uuid=coordinator.uuid,
        detail={"kind": kind, "held_on": str(held_on)},
    )
    return training
