"""Writes about persons and relatives. Each write records its audit row in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.people.models import Person, Relative
from oppfolging.people.validators import parse_identity_number

PERSON_EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "phone",
    "email",
    "address",
    "preferred_language",
    "interpreter_needed",
    "interpreter_language",
)


@transaction.atomic
def person_create(*, actor: Actor, role: str, national_id: str, **fields: Any) -> Person:
    """Register a person in the actor's municipality. The number must be valid and new there."""
    if actor.municipality is None:
        raise ValidationError(_("Du kan bare registrere personer i din egen kommune."))
    number = parse_identity_number(national_id)
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if Person.objects.filter(national_id=number.number).exists():
        raise ValidationError(
            {"national_id": _("En person med dette nummeret er allerede registrert i kommunen.")}
        )
    person = Person.objects.create(
        municipality=actor.municipality,
        national_id=number.number,
        id_kind=number.kind.value,
        id_is_synthetic=number.synthetic,
        birth_date=number.birth_date,
        sex=number.sex.value,
        **fields,
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="person",
        role=role,
        person=person,
        object_uuid=person.uuid,
    )
    return person


@transaction.atomic
def person_update(*, actor: Actor, access: PersonAccess, **fields: Any) -> Person:
    if not access.may(Need.EDIT):
        raise PermissionError("edit not granted")
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    person = access.person
    changed = {name: value for name, value in fields.items() if getattr(person, name) != value}
    if not changed:
        return person
    for name, value in changed.items():
        setattr(person, name, value)
    person.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor.user,
        action=AuditAction.UPDATE,
        what="person",
        role=access.role,
        person=person,
        object_uuid=person.uuid,
        detail={"fields": sorted(changed)},
    )
    return person


@transaction.atomic
def relative_create(*, actor: Actor, access: PersonAccess, **fields: Any) -> Relative:
    if not access.may(Need.EDIT):
        raise PermissionError("edit not granted")
    person = access.person
    relative = Relative.objects.create(municipality_id=person.municipality_id, person=person, **fields)
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="relative",
        role=access.role,
        person=person,
        object_uuid=relative.uuid,
        detail={"kind": relative.kind},
    )
    return relative
