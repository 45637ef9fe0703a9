"""Writes to a person's team. Each write records its audit row in the same transaction.

A member is never added without the person's consent to that member: :func:`team_member_add`
creates the member and the team-membership consent together, or neither. Removing a member sets
``left_at``; access to new content ends at once (teams/access.py), the history stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Membership, User, UserKind
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.consents.services import ConsentGiver, consent_giver_check, consent_record_team_membership
from oppfolging.core.models import Unit
from oppfolging.people.models import Relative
from oppfolging.teams.models import CareTeam, MemberKind, TeamMember
from oppfolging.teams.team_selectors import TeamAccess, relative_consented, team_of


def _require_manage(access: TeamAccess) -> None:
    if not access.may_manage:
        raise PermissionError("managing the team is not granted")


@transaction.atomic
def team_create(*, actor: Actor, access: TeamAccess) -> CareTeam:
    """Start the person's team. Members come one by one, each with the person's consent."""
    _require_manage(access)
    person = access.person
    if team_of(person) is not None:
        raise ValidationError(_("%(name)s har allerede et oppfølgingsteam.") % {"name": person.full_name})
    team = CareTeam.objects.create(municipality_id=person.municipality_id, person=person)
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="care_team",
        role=access.role,
        person=person,
        object_uuid=team.uuid,
    )
    return team


@dataclass(frozen=True)
class NewMember:
    """One of three kinds of member: a staff user (from any unit, external ones included), a
    relative taking part as the person wants, or someone without an account (a private
    physiotherapist, say), known by name only."""

    user: User | None = None
    relative: Relative | None = None
    name: str = ""
    discipline: str = ""
    unit: Unit | None = None
    kind: str = MemberKind.CORE


def _default_unit(user: User, access: TeamAccess) -> Unit | None:
    """The unit the user works in, preferring one in the person's municipality."""
    units = [
        m.unit
        for m in Membership.objects.filter(user=user, is_active=True, unit__is_active=True).select_related(
            "unit"
        )
    ]
    own = [unit for unit in units if unit.municipality_id == access.person.municipality_id]
    candidates = own or units
    return candidates[0] if candidates else None


def _resolve(access: TeamAccess, new: NewMember) -> tuple[str, str, Unit | None]:
    """The member's name, discipline and unit, checked."""
    person = access.person
    chosen = [new.user is not None, new.relative is not None, bool(new.name.strip())]
    if sum(chosen) != 1:
        raise ValidationError(
            _("Velg enten en ansatt, en pårørende eller et navn på et medlem uten brukerkonto.")
        )
    discipline, unit = new.discipline.strip(), new.unit
    if new.user is not None:
        user = new.user
        has_role = Membership.objects.filter(user=user, is_active=True, unit__is_active=True).exists()
        if user.kind != UserKind.STAFF or not user.is_active or not has_role:
            raise ValidationError({"user": _("Velg en ansatt med en aktiv rolle i en enhet.")})
        if TeamMember.objects.filter(team__person=person, user=user, left_at__isnull=True).exists():
            raise ValidationError({"user": _("%(name)s er allerede med i teamet.") % {"name": user}})
        return (
            (user.get_full_name() or user.username),
            (discipline or user.title),
            (unit or _default_unit(user, access)),
        )
    if new.relative is not None:
        relative = new.relative
        if relative.person_id != person.pk:
            raise ValidationError({"relative": _("Velg en av personens pårørende.")})
        if not relative_consented(person=person, relative_id=relative.pk):
            raise ValidationError(
                {
                    "relative": _(
                        "%(person)s har ikke samtykket til at %(relative)s involveres. Registrer samtykket "
                        "til å involvere pårørende først."
                    )
                    % {"person": person.given_name, "relative": relative.name}
                }
            )
        if TeamMember.objects.filter(team__person=person, relative=relative, left_at__isnull=True).exists():
            raise ValidationError(
                {"relative": _("%(name)s er allerede med i teamet.") % {"name": relative.name}}
            )
        return relative.name, (discipline or relative.relation), unit
    return new.name.strip(), discipline, unit


@transaction.atomic
def team_member_add(*, actor: Actor, access: TeamAccess, new: NewMember, consent: ConsentGiver) -> TeamMember:
    """Add a member together with the person's consent to that member, or nothing at all."""
    _require_manage(access)
    team = team_of(access.person)
    if team is None:
        raise ValidationError(_("Opprett teamet før du legger til medlemmer."))
    if new.kind not in MemberKind.values:
        raise ValidationError({"kind": _("Velg kjernemedlem eller ved behov.")})
    consent_giver_check(person=access.person, giver=consent)
    name, discipline, unit = _resolve(access, new)
    member = TeamMember.objects.create(
        municipality_id=team.municipality_id,
        team=team,
        user=new.user,
        relative=new.relative,
        name=name,
        discipline=discipline,
        unit=unit,
        kind=new.kind,
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="team_member",
        role=access.role,
        person=access.person,
        object_uuid=member.uuid,
        detail={
            "kind": member.kind,
            "member": "user" if new.user else ("relative" if new.relative else "name_only"),
            "unit": unit.name if unit else "",
        },
    )
    # In the same transaction: should recording the consent fail, the member is not added either.
    consent_record_team_membership(actor=actor, access=access, member=member, giver=consent)
    return member


@transaction.atomic
def team_member_remove(*, actor: Actor, access: TeamAccess, member: TeamMember) -> TeamMember:
    """The member leaves now: access to new content ends with this request; what they could
    read before stays readable to them as history."""
    _require_manage(access)
    if member.team.person_id != access.person.pk:
        raise PermissionError("not this person's team")
    if member.left_at is not None:
        raise ValidationError(_("%(name)s har allerede gått ut av teamet.") % {"name": member.name})
    member.left_at = timezone.now()
    member.save(update_fields=["left_at", "updated_at"])
    audit_record(
        actor=actor.user,
        action=AuditAction.UPDATE,
        what="team_member",
        role=access.role,
        person=access.person,
        object_uuid=member.uuid,
        detail={"left": True},
    )
    return member
