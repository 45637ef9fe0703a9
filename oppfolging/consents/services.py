"""Recording and withdrawing the person's consents. Each write records its audit row in the same
transaction.

Who consents follows pasient- og brukerrettighetsloven ch. 4: from 16 the person consents to
health care themself (§ 4-3), or a legal representative (verge) on their behalf; under 16 a
guardian consents, and the child's own view is written down beside it. The rules live here, not
only in the forms, so that no caller can record a consent the law would not accept.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.consents.models import Consent, ConsentKind, ConsentShare, GivenBy
from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.referrals.checklist import SECTION_KEYS
from oppfolging.teams.models import TeamMember

if TYPE_CHECKING:
    from oppfolging.teams.team_selectors import TeamAccess

AGE_OF_CONSENT = 16  # pasient- og brukerrettighetsloven § 4-3 (health care)

# Which kind of relative may give consent in which capacity.
GIVER_RELATIVE_KIND = {
    GivenBy.GUARDIAN: RelativeKind.GUARDIAN,
    GivenBy.LEGAL_REPRESENTATIVE: RelativeKind.LEGAL_REPRESENTATIVE,
}


@dataclass(frozen=True)
class ConsentGiver:
    """Who gave the consent, when, for how long, and (under 16) the child's own view."""

    given_by: str
    given_by_relative: Relative | None = None
    persons_own_view: str = ""
    given_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    note: str = ""


def consent_giver_check(*, person: Person, giver: ConsentGiver) -> None:
    """Raise a ValidationError keyed by field when the law would not accept this giver."""
    today = timezone.localdate()
    given_on = giver.given_on or today
    errors: dict[str, str] = {}
    age = person.age(given_on)
    name = person.given_name
    if given_on > today:
        errors["given_on"] = _("Datoen for samtykket kan ikke være fram i tid.")
    if giver.expires_on is not None and giver.expires_on < given_on:
        errors["expires_on"] = _("Samtykket kan ikke utløpe før det er gitt.")
    if giver.given_by not in GivenBy.values:
        errors["given_by"] = _("Velg hvem som har gitt samtykket.")
    elif giver.given_by == GivenBy.PERSON:
        if age < AGE_OF_CONSENT:
            errors["given_by"] = _(
                "%(name)s er under 16 år og kan ikke samtykke alene. Samtykket må gis av en foresatt "
                "eller verge, og %(name)s sitt eget syn skal skrives ned."
            ) % {"name": name}
        if giver.given_by_relative is not None:
            errors["given_by_relative"] = _(
                "Når personen samtykker selv, skal du ikke velge en foresatt eller verge."
            )
    else:
        if giver.given_by == GivenBy.GUARDIAN and age >= AGE_OF_CONSENT:
            errors["given_by"] = _(
                "%(name)s er 16 år eller eldre og samtykker selv (eller ved verge). En foresatt kan "
                "ikke samtykke på vegne av %(name)s."
            ) % {"name": name}
        relative = giver.given_by_relative
        wanted = GIVER_RELATIVE_KIND[GivenBy(giver.given_by)]
        if relative is None or relative.person_id != person.pk or relative.kind != wanted:
            errors["given_by_relative"] = (
                _("Velg den foresatte som samtykker. Foresatte registreres som pårørende på personsiden.")
                if wanted == RelativeKind.GUARDIAN
                else _("Velg vergen som samtykker. Vergen registreres som pårørende på personsiden.")
            )
    if age < AGE_OF_CONSENT and not giver.persons_own_view.strip():
        errors["persons_own_view"] = _(
            "%(name)s er under 16 år: skriv ned hva %(name)s selv mener, eller hvorfor det ikke kan "
            "skrives ned."
        ) % {"name": name}
    if errors:
        raise ValidationError(errors)


def _require_manage(access: TeamAccess) -> None:
    if not access.may_manage:
        raise PermissionError("managing the team and consents is not granted")


def _create(
    *,
    actor: Actor,
    access: TeamAccess,
    kind: ConsentKind,
    giver: ConsentGiver,
    team_member: TeamMember | None = None,
    relative: Relative | None = None,
) -> Consent:
    person = access.person
    consent_giver_check(person=person, giver=giver)
    if actor.user is None:  # pragma: no cover - views require a logged-in user
        raise PermissionError("no user")
    return Consent.all_tenants.create(
        municipality_id=person.municipality_id,
        person=person,
        kind=kind,
        given_by=giver.given_by,
        given_by_relative=giver.given_by_relative,
        persons_own_view=giver.persons_own_view.strip(),
        given_on=giver.given_on or timezone.localdate(),
        expires_on=giver.expires_on,
        team_member=team_member,
        relative=relative,
        note=giver.note.strip(),
        recorded_by=actor.user,
    )


def _audit_created(*, actor: Actor, access: TeamAccess, consent: Consent, **detail: object) -> None:
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="consent",
        role=access.role,
        person=access.person,
        object_uuid=consent.uuid,
        detail={"kind": consent.kind, "given_by": consent.given_by, **detail},
    )


def _check_member(access: TeamAccess, member: TeamMember | None) -> TeamMember:
    if member is None or member.team.person_id != access.person.pk or member.left_at is not None:
        raise ValidationError({"team_member": _("Velg et nåværende medlem av teamet.")})
    return member


@transaction.atomic
def consent_record_team_membership(
    *, actor: Actor, access: TeamAccess, member: TeamMember, giver: ConsentGiver
) -> Consent:
    """The person's consent to one member of their team. Without one in force the member gets
    no access to the person (see teams/access.py)."""
    _require_manage(access)
    _check_member(access, member)
    consent = _create(
        actor=actor, access=access, kind=ConsentKind.TEAM_MEMBERSHIP, giver=giver, team_member=member
    )
    _audit_created(actor=actor, access=access, consent=consent, member=str(member.uuid))
    return consent


@transaction.atomic
def consent_record_plan_work(*, actor: Actor, access: TeamAccess, giver: ConsentGiver) -> Consent:
    """Consent to start plan work and an individual plan (no IP without it)."""
    _require_manage(access)
    consent = _create(actor=actor, access=access, kind=ConsentKind.PLAN_WORK, giver=giver)
    _audit_created(actor=actor, access=access, consent=consent)
    return consent


@transaction.atomic
def consent_record_involve_relative(
    *, actor: Actor, access: TeamAccess, relative: Relative, giver: ConsentGiver
) -> Consent:
    """The person wants this relative to take part (a guardian of a minor does so by law)."""
    _require_manage(access)
    if relative.person_id != access.person.pk:
        raise ValidationError({"relative": _("Velg en av personens pårørende.")})
    consent = _create(
        actor=actor, access=access, kind=ConsentKind.INVOLVE_RELATIVES, giver=giver, relative=relative
    )
    _audit_created(actor=actor, access=access, consent=consent, relative=str(relative.uuid))
    return consent


@transaction.atomic
def consent_record_information_sharing(
    *,
    actor: Actor,
    access: TeamAccess,
    shares: Mapping[TeamMember, Sequence[str]],
    giver: ConsentGiver,
) -> Consent:
    """Which member may see which parts (assessment sections). One ConsentShare per member, so
    withdrawing this consent narrows every member it covered at their next request."""
    _require_manage(access)
    chosen = {member: sorted(set(keys)) for member, keys in shares.items() if keys}
    if not chosen:
        raise ValidationError(_("Velg minst én del av kartleggingen for minst ett medlem."))
    unknown = {key for keys in chosen.values() for key in keys} - set(SECTION_KEYS)
    if unknown:
        raise ValidationError(
            _("Ukjente deler av kartleggingen: %(keys)s") % {"keys": ", ".join(sorted(unknown))}
        )
    for member in chosen:
        _check_member(access, member)
    consent = _create(actor=actor, access=access, kind=ConsentKind.INFORMATION_SHARING, giver=giver)
    ConsentShare.all_tenants.bulk_create(
        ConsentShare(
            municipality_id=consent.municipality_id, consent=consent, team_member=member, sections=keys
        )
        for member, keys in chosen.items()
    )
    _audit_created(
        actor=actor,
        access=access,
        consent=consent,
        sections={str(member.uuid): keys for member, keys in chosen.items()},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, access: TeamAccess, consent: Consent) -> Consent:
    """Withdrawn consents stay as history. Grants read consents at access time, so the next
    request of anyone the consent covered is already narrowed."""
    _require_manage(access)
    if consent.person_id != access.person.pk:
        raise PermissionError("not this person's consent")
    if consent.withdrawn_at is not None:
        raise ValidationError(_("Samtykket er allerede trukket tilbake."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor.user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    audit_record(
        actor=actor.user,
        action=AuditAction.UPDATE,
        what="consent",
        role=access.role,
        person=access.person,
        object_uuid=consent.uuid,
        detail={"kind": consent.kind, "withdrawn": True},
    )
    return consent
