"""Writes of the municipality administrator: users, their memberships, and units.

Each service takes the acting :class:`Actor`, checks again that the object is the
administrator's own (the views have done so, but a service may be called from elsewhere, and a
write must not rest on its caller's care), and writes its audit row in the same transaction.
Audit details name the fields that changed, never their values where those could be secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Membership, Role, User, UserKind
from oppfolging.administration.access import administered_municipality, managed_users
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Municipality, Unit

USER_EDITABLE_FIELDS = ("first_name", "last_name", "email", "title", "phone")
UNIT_EDITABLE_FIELDS = ("name", "kind", "organisation_number", "is_active")
ADMIN_ROLE = Role.MUNICIPALITY_ADMIN.value


def _municipality(actor: Actor) -> Municipality:
    municipality = administered_municipality(actor)
    if municipality is None:
        raise PermissionDenied("not a municipality administrator")
    return municipality


def _ensure_manageable(actor: Actor, user: User) -> Municipality:
    municipality = _municipality(actor)
    if not managed_users(actor).filter(pk=user.pk).exists():
        raise PermissionDenied("user not managed by this administrator")
    return municipality


def _ensure_own_unit(municipality: Municipality, unit: Unit, *, field: str = "unit") -> None:
    """A role can only be given in an active unit of the administrator's own municipality."""
    if unit.municipality_id != municipality.pk:
        raise ValidationError({field: _("Du kan bare gi roller i enheter i din egen kommune.")})
    if not unit.is_active:
        raise ValidationError({field: _("Enheten %(unit)s er ikke aktiv.") % {"unit": unit.name}})


def _check_editable(fields: dict[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")


def _audit(
    *,
    actor: Actor,
    municipality: Municipality,
    action: AuditAction,
    what: str,
    obj: User | Unit | Membership,
    detail: dict[str, Any],
) -> None:
    audit_record(
        actor=actor.user,
        action=action,
        what=what,
        role=ADMIN_ROLE,
        municipality=municipality,
        object_uuid=obj.uuid,
        detail=detail,
    )


def _membership_detail(membership: Membership) -> dict[str, Any]:
    return {
        "user": str(membership.user.uuid),
        "unit": str(membership.unit.uuid),
        "role": membership.role,
    }


# --- Users -----------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    memberships: Sequence[tuple[Unit, str]],
    title: str = "",
    phone: str = "",
) -> User:
    """A new staff user of the administrator's municipality, with at least one role there (a
    user without any would be invisible to every administrator, so nobody could manage them)."""
    municipality = _municipality(actor)
    if not memberships:
        raise ValidationError({"unit": _("Brukeren må ha minst én rolle i en enhet.")})
    for unit, _role in memberships:
        _ensure_own_unit(municipality, unit)
    user = User(
        username=username.strip(),
        first_name=first_name,
        last_name=last_name,
        email=email,
        title=title,
        phone=phone,
        kind=UserKind.STAFF,
    )
    user.full_clean(exclude=["password"])
    # Django's uniqueness is case-sensitive; two accounts "Kari" and "kari" would only confuse.
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": _("Brukernavnet er allerede i bruk.")})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    user.set_password(password)
    user.save()
    _audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        what="user",
        obj=user,
        detail={"username": user.username, "fields": ["username", *USER_EDITABLE_FIELDS, "password"]},
    )
    for unit, role in memberships:
        _membership_create(actor=actor, municipality=municipality, user=user, unit=unit, role=role)
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, **fields: Any) -> User:
    municipality = _ensure_manageable(actor, user)
    _check_editable(fields, USER_EDITABLE_FIELDS)
    changed = {name: value for name, value in fields.items() if getattr(user, name) != value}
    if not changed:
        return user
    for name, value in changed.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(changed))
    _audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.UPDATE,
        what="user",
        obj=user,
        detail={"fields": sorted(changed)},
    )
    return user


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, is_active: bool) -> User:
    """Deactivate or reactivate. Nobody deactivates themselves: the municipality could be left
    without an administrator, and it takes a second person to notice a mistake."""
    municipality = _ensure_manageable(actor, user)
    if not is_active and actor.user is not None and user.pk == actor.user.pk:
        raise ValidationError(_("Du kan ikke deaktivere deg selv."))
    if user.is_active == is_active:
        return user
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    _audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.UPDATE,
        what="user",
        obj=user,
        detail={"fields": ["is_active"], "is_active": is_active},
    )
    return user


# --- Memberships -----------------------------------------------------------------------------


def _membership_create(
    *, actor: Actor, municipality: Municipality, user: User, unit: Unit, role: str
) -> Membership:
    membership = Membership.objects.create(user=user, unit=unit, role=Role(role).value)
    _audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        what="membership",
        obj=membership,
        detail=_membership_detail(membership),
    )
    return membership


@transaction.atomic
def membership_add(*, actor: Actor, user: User, unit: Unit, role: str) -> Membership:
    """Give ``user`` a role in a unit. A role they held before and lost is taken up again on the
    same row (one row per user, unit and role), and the audit log keeps the gap."""
    municipality = _ensure_manageable(actor, user)
    _ensure_own_unit(municipality, unit)
    role = Role(role).value
    existing = Membership.objects.select_for_update().filter(user=user, unit=unit, role=role).first()
    if existing is None:
        return _membership_create(actor=actor, municipality=municipality, user=user, unit=unit, role=role)
    if existing.is_active:
        raise ValidationError(
            {"role": _("%(user)s har allerede denne rollen i %(unit)s.") % {"user": user, "unit": unit}}
        )
    return _membership_set_active(actor=actor, municipality=municipality, membership=existing, active=True)


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    """End a role. The row stays (inactive) so that what the user could see, and when, remains
    answerable. An administrator does not end their own administrator role: they would lock
    themselves out halfway through, so their last such role stays."""
    municipality = _ensure_manageable(actor, membership.user)
    if membership.unit.municipality_id != municipality.pk:
        raise PermissionDenied("membership outside the administrator's municipality")
    if (
        actor.user is not None
        and membership.user_id == actor.user.pk
        and membership.role == Role.MUNICIPALITY_ADMIN
        and _is_last_admin_unit(actor, membership.unit)
    ):
        raise ValidationError(_("Du kan ikke avslutte din siste rolle som kommuneadministrator."))
    if not membership.is_active:
        return membership
    return _membership_set_active(actor=actor, municipality=municipality, membership=membership, active=False)


def _membership_set_active(
    *, actor: Actor, municipality: Municipality, membership: Membership, active: bool
) -> Membership:
    membership.is_active = active
    membership.save(update_fields=["is_active", "updated_at"])
    _audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.UPDATE,
        what="membership",
        obj=membership,
        detail={**_membership_detail(membership), "fields": ["is_active"], "is_active": active},
    )
    return membership


# --- Units -----------------------------------------------------------------------------------


def _ensure_unique_unit_name(municipality: Municipality, name: str, *, exclude: Unit | None = None) -> None:
    others = Unit.objects.filter(municipality=municipality, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"name": _("Kommunen har allerede en enhet med dette navnet.")})


@transaction.atomic
def unit_create(
    *, actor: Actor, name: str, kind: str, organisation_number: str = "", is_active: bool = True
) -> Unit:
    """A unit of the administrator's own municipality: never an external one, which every
    municipality shares."""
    municipality = _municipality(actor)
    unit = Unit(
        municipality=municipality,
        name=name.strip(),
        kind=kind,
        organisation_number=organisation_number,
        is_active=is_active,
    )
    unit.full_clean()
    _ensure_unique_unit_name(municipality, unit.name)
    unit.save()
    _audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        what="unit",
        obj=unit,
        detail={"fields": list(UNIT_EDITABLE_FIELDS), "name": unit.name},
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Actor, unit: Unit, **fields: Any) -> Unit:
    municipality = _municipality(actor)
    if unit.municipality_id != municipality.pk:
        raise PermissionDenied("unit outside the administrator's municipality")
    _check_editable(fields, UNIT_EDITABLE_FIELDS)
    if "name" in fields:
        fields["name"] = str(fields["name"]).strip()
    changed = {name: value for name, value in fields.items() if getattr(unit, name) != value}
    if not changed:
        return unit
    if changed.get("is_active") is False and _is_last_admin_unit(actor, unit):
        # Roles in an inactive unit lapse: the administrator would lose their own access.
        raise ValidationError(
            {"is_active": _("Du kan ikke deaktivere den siste enheten der du selv er kommuneadministrator.")}
        )
    for name, value in changed.items():
        setattr(unit, name, value)
    unit.full_clean()
    if "name" in changed:
        _ensure_unique_unit_name(municipality, unit.name, exclude=unit)
    unit.save(update_fields=[*changed, "updated_at"])
    _audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.UPDATE,
        what="unit",
        obj=unit,
        detail={"fields": sorted(changed)},
    )
    return unit


def _is_last_admin_unit(actor: Actor, unit: Unit) -> bool:
    """Whether ``unit`` is the only one where the actor is administrator (as resolved for this
    request: active roles in active units)."""
    units = {own.pk for own in actor.units_with_role(Role.MUNICIPALITY_ADMIN)}
    return unit.pk in units and len(units) == 1
