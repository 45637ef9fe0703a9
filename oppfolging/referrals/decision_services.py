"""Writes of decisions (vedtak) and of the service catalogue. Each write checks the actor's role
again (a service may be called from elsewhere than its view) and records its audit row in the
same transaction.

Who decides what (SPEC §4.3, FACTS "Administrative procedure"): the allocation office decides on
services; the coordinating unit (KE) decides on individual plan, coordinator and child
coordinator. A child coordinator is a right of children under 18 (pasient- og
brukerrettighetsloven § 2-5 c).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Municipality
from oppfolging.people.models import Person
from oppfolging.referrals.models import DecisionKind, NeedReport, ServiceDecision, ServiceType

CHILD_AGE_LIMIT = 18

# The role that decides each kind; also the role the audit row names.
DECIDING_ROLE: dict[str, Role] = {
    DecisionKind.SERVICE: Role.ALLOCATION_OFFICER,
    DecisionKind.INDIVIDUAL_PLAN: Role.KE_STAFF,
    DecisionKind.COORDINATOR: Role.KE_STAFF,
    DecisionKind.CHILD_COORDINATOR: Role.KE_STAFF,
}


def kinds_for(actor: Actor) -> list[DecisionKind]:
    """The kinds of decision ``actor`` may record, in the catalogue's order."""
    return [kind for kind in DecisionKind if actor.is_staff_user and actor.has_role(DECIDING_ROLE[kind])]


def _ensure_may_decide(actor: Actor, person: Person, kind: str) -> Role:
    """The deciding role for ``kind``, held in the person's own municipality; else refused."""
    role = DECIDING_ROLE.get(kind)
    if role is None:
        raise ValidationError({"kind": _("Velg hva vedtaket gjelder.")})
    in_municipality = actor.municipality is not None and actor.municipality.pk == person.municipality_id
    if not (in_municipality and actor.is_staff_user and actor.has_role(role)):
        if kind == DecisionKind.SERVICE:
            message = _("Bare tildelingskontoret kan fatte vedtak om tjenester.")
        else:
            message = _("Bare koordinerende enhet kan fatte vedtak om individuell plan og koordinator.")
        raise ValidationError({"kind": message})
    return role


def _validate(
    *,
    person: Person,
    kind: str,
    service_type: ServiceType | None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    decided_on: datetime.date,
    notified_on: datetime.date | None,
    report: NeedReport | None,
) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if kind == DecisionKind.SERVICE:
        if service_type is None:
            errors["service_type"] = _("Velg hvilken tjeneste vedtaket gjelder.")
        elif service_type.municipality_id != person.municipality_id or not service_type.is_active:
            errors["service_type"] = _("Velg en aktiv tjeneste fra kommunens tjenestekatalog.")
    elif service_type is not None:
        errors["service_type"] = _("Et vedtak om individuell plan eller koordinator gjelder ingen tjeneste.")
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = _("Sluttdatoen kan ikke være før startdatoen.")
    if decided_on > today:
        errors["decided_on"] = _("Vedtaksdatoen kan ikke være frem i tid.")
    if notified_on is not None:
        if notified_on < decided_on:
            errors["notified_on"] = _("Personen kan ikke ha blitt underrettet før vedtaket ble fattet.")
        elif notified_on > today:
            errors["notified_on"] = _("Datoen for underretning kan ikke være frem i tid.")
    if kind == DecisionKind.CHILD_COORDINATOR and person.age(on=decided_on) >= CHILD_AGE_LIMIT:
        errors["kind"] = _(
            "Retten til barnekoordinator gjelder barn under 18 år. %(name)s var %(age)s år på vedtaksdatoen."
        ) % {"name": person.full_name, "age": person.age(on=decided_on)}
    if report is not None and report.person_id != person.pk:
        errors["report"] = _("Meldingen gjelder en annen person.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_create(
    *,
    actor: Actor,
    access: PersonAccess,
    kind: str,
    outcome: str,
    decided_on: datetime.date,
    service_type: ServiceType | None = None,
    scope: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    notified_on: datetime.date | None = None,
    reason: str = "",
    report: NeedReport | None = None,
) -> ServiceDecision:
    """Record a decision about the person ``access`` reaches."""
    person = access.person
    role = _ensure_may_decide(actor, person, kind)
    if actor.user is None:
        raise PermissionDenied("no user")
    _validate(
        person=person,
        kind=kind,
        service_type=service_type,
        valid_from=valid_from,
        valid_to=valid_to,
        decided_on=decided_on,
        notified_on=notified_on,
        report=report,
    )
    decision = ServiceDecision.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        report=report,
        kind=kind,
        service_type=service_type,
        scope=scope,
        valid_from=valid_from,
        valid_to=valid_to,
        outcome=outcome,
        decided_on=decided_on,
        decided_by=actor.user,
        notified_on=notified_on,
        reason=reason,
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="decision",
        role=role.value,
        person=person,
        object_uuid=decision.uuid,
        detail={"kind": kind, "outcome": outcome, "notified": notified_on is not None},
    )
    return decision


@transaction.atomic
def decision_record_notification(
    *, actor: Actor, decision: ServiceDecision, notified_on: datetime.date
) -> ServiceDecision:
    """The day the person was told: the four-week appeal period runs from it."""
    role = _ensure_may_decide(actor, decision.person, decision.kind)
    if notified_on < decision.decided_on:
        raise ValidationError(
            {"notified_on": _("Personen kan ikke ha blitt underrettet før vedtaket ble fattet.")}
        )
    if notified_on > timezone.localdate():
        raise ValidationError({"notified_on": _("Datoen for underretning kan ikke være frem i tid.")})
    previous = decision.notified_on
    decision.notified_on = notified_on
    decision.save(update_fields=["notified_on", "updated_at"])
    audit_record(
        actor=actor.user,
        action=AuditAction.UPDATE,
        what="decision",
        role=role.value,
        person=decision.person,
        object_uuid=decision.uuid,
        detail={"fields": ["notified_on"], "corrected": previous is not None},
    )
    return decision


# --- The service catalogue -------------------------------------------------------------------


def _catalogue_role(actor: Actor) -> tuple[Role, Municipality]:
    """KE and the allocation office keep their own municipality's catalogue."""
    municipality = actor.municipality
    if not actor.is_staff_user or municipality is None:
        raise PermissionDenied("no municipality")
    if actor.has_role(Role.ALLOCATION_OFFICER):
        return Role.ALLOCATION_OFFICER, municipality
    if actor.has_role(Role.KE_STAFF):
        return Role.KE_STAFF, municipality
    raise PermissionDenied("not KE or allocation office")


def _save_service_type(service_type: ServiceType) -> None:
    clash = (
        ServiceType.objects.filter(
            municipality_id=service_type.municipality_id, name__iexact=service_type.name
        )
        .exclude(pk=service_type.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"name": _("Katalogen har allerede en tjeneste med dette navnet.")})
    try:
        with transaction.atomic():
            service_type.save()
    except IntegrityError as exc:  # a concurrent save of the same name
        raise ValidationError({"name": _("Katalogen har allerede en tjeneste med dette navnet.")}) from exc


@transaction.atomic
def service_type_create(*, actor: Actor, name: str, description: str = "") -> ServiceType:
    role, municipality = _catalogue_role(actor)
    service_type = ServiceType(municipality=municipality, name=name.strip(), description=description)
    _save_service_type(service_type)
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="service_type",
        role=role.value,
        municipality=municipality,
        object_uuid=service_type.uuid,
        detail={"name": service_type.name},
    )
    return service_type


@transaction.atomic
def service_type_update(
    *, actor: Actor, service_type: ServiceType, name: str, description: str, is_active: bool
) -> ServiceType:
    """Rename, describe, or take out of use. A service is never deleted: decisions refer to it."""
    role, municipality = _catalogue_role(actor)
    if service_type.municipality_id != municipality.pk:
        raise PermissionDenied("not this municipality's catalogue")
    fields = {"name": name.strip(), "description": description, "is_active": is_active}
    changed = [field for field, value in fields.items() if getattr(service_type, field) != value]
    if not changed:
        return service_type
    previous_name = service_type.name
    for field in changed:
        setattr(service_type, field, fields[field])
    _save_service_type(service_type)
    audit_record(
        actor=actor.user,
        action=AuditAction.UPDATE,
        what="service_type",
        role=role.value,
        municipality=municipality,
        object_uuid=service_type.uuid,
        detail={"fields": changed, "name": service_type.name, "previous_name": previous_name},
    )
    return service_type
