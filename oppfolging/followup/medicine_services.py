"""Writes to the person's medicine list: the GP or the coordinator records a medicine, ends one,
and records that the medicines were reviewed (fastlegeforskriften § 25). Each write is audited
("medicine") in its transaction."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.followup.medicine_selectors import in_use
from oppfolging.followup.models import Medicine

# An ATC code at any level: C, C09, C09A, C09AA, C09AA05.
ATC_PATTERN = re.compile(r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$")


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _audit(
    user: User, access: PersonAccess, action: AuditAction, medicine: Medicine | None, **detail: Any
) -> None:
    audit_person_write(
        user=user,
        access=access,
        action=action,
        what="medicine",
        about=medicine.uuid if medicine else access.person.uuid,
        detail=detail,
    )


@transaction.atomic
def medicine_add(
    *,
    actor: Actor,
    access: PersonAccess,
    name: str,
    atc_code: str = "",
    is_regular: bool = True,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
) -> Medicine:
    user = _user(actor)
    name = " ".join(name.split())
    atc_code = atc_code.strip().upper()
    if not name:
        raise ValidationError({"name": [_("Skriv navnet på legemiddelet.")]})
    if atc_code and not ATC_PATTERN.match(atc_code):
        raise ValidationError(
            {"atc_code": [_("ATC-koden har formen C09AA05 (eller et høyere nivå, som C09).")]}
        )
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": [_("Sluttdatoen kan ikke være før startdatoen.")]})
    medicine = Medicine.all_tenants.create(
        municipality_id=access.person.municipality_id,
        person=access.person,
        name=name,
        atc_code=atc_code,
        is_regular=is_regular,
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=user,
    )
    _audit(user, access, AuditAction.CREATE, medicine, name=name, regular=is_regular)
    return medicine


@transaction.atomic
def medicine_end(
    *, actor: Actor, access: PersonAccess, medicine: Medicine, ended_on: datetime.date | None = None
) -> Medicine:
    user = _user(actor)
    if medicine.person_id != access.person.pk:
        raise PermissionDenied
    ended_on = ended_on or timezone.localdate()
    if medicine.started_on and ended_on < medicine.started_on:
        raise ValidationError(_("Sluttdatoen kan ikke være før startdatoen."))
    medicine.ended_on = ended_on
    medicine.save(update_fields=["ended_on", "updated_at"])
    _audit(user, access, AuditAction.UPDATE, medicine, ended_on=ended_on.isoformat())
    return medicine


@transaction.atomic
def medication_review_done(*, actor: Actor, access: PersonAccess, on: datetime.date | None = None) -> int:
    """Record that the medicines in use were reviewed ``on`` (today); returns how many."""
    user = _user(actor)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("En gjennomgang kan ikke registreres fram i tid."))
    reviewed = Medicine.all_tenants.filter(in_use(on), person=access.person).update(
        last_reviewed_on=on, updated_at=timezone.now()
    )
    if not reviewed:
        raise ValidationError(_("Personen har ingen legemidler i bruk å gjennomgå."))
    _audit(user, access, AuditAction.UPDATE, None, reviewed_on=on.isoformat(), medicines=reviewed)
    return reviewed
