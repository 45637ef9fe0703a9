"""Reads of decisions and of the service catalogue.

Who may read a person's decisions: KE and the allocation office of the person's municipality
(they keep the cases and the overview), and whoever sees the whole case (the coordinator, a
handler, the person). A team member narrowed to some parts by the person's consent does not.
Every read of a person's decisions is audited.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.people.models import Person
from oppfolging.referrals.catalogue import ensure_default_catalogue
from oppfolging.referrals.decision_services import DECIDING_ROLE, kinds_for
from oppfolging.referrals.models import DecisionKind, NeedReport, ServiceDecision, ServiceType

INTAKE_ROLES = (Role.KE_STAFF, Role.ALLOCATION_OFFICER)


def _in_own_municipality(actor: Actor, person: Person) -> bool:
    return (
        actor.is_staff_user
        and actor.municipality is not None
        and actor.municipality.pk == person.municipality_id
    )


def _reading_role(actor: Actor, access: PersonAccess) -> str | None:
    """The role a read of the person's decisions is made in, or None if it is not allowed."""
    if _in_own_municipality(actor, access.person):
        for role in INTAKE_ROLES:
            if actor.has_role(role):
                return role.value
    whole_case = access.may(Need.CASE_CONTENT) and access.sections is None and access.until is None
    return access.role if whole_case else None


def decision_list(
    *, actor: Actor, person_uuid: uuid.UUID | str
) -> tuple[PersonAccess, list[ServiceDecision]]:
    """The person's decisions, newest first, each with its appeal deadline. The read is audited."""
    access = access_person(actor, person_uuid, Need.ADMIN_DATA)
    role = _reading_role(actor, access)
    if role is None:
        raise Http404
    decisions = list(
        ServiceDecision.objects.filter(person=access.person)
        .select_related("service_type", "decided_by", "report")
        .order_by("-decided_on", "-id")
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="decision",
        role=role,
        person=access.person,
        object_uuid=access.person.uuid,
        detail={"count": len(decisions)},
    )
    return access, decisions


def recordable_kinds(*, actor: Actor, person: Person) -> list[DecisionKind]:
    """The kinds of decision ``actor`` may record about ``person``: their role's, at home only."""
    return kinds_for(actor) if _in_own_municipality(actor, person) else []


def decision_write_access(*, actor: Actor, person_uuid: uuid.UUID | str, audit: bool = False) -> PersonAccess:
    """The person, if ``actor`` may record some kind of decision about them (KE or the allocation
    office of the person's own municipality); otherwise Http404. Showing the form is a look at
    the person's case (their reports are offered) and is audited when ``audit``."""
    access = access_person(actor, person_uuid, Need.ADMIN_DATA)
    kinds = recordable_kinds(actor=actor, person=access.person)
    if not kinds:
        raise Http404
    if audit:
        audit_record(
            actor=actor.user,
            action=AuditAction.VIEW,
            what="decision",
            role=DECIDING_ROLE[kinds[0]].value,
            person=access.person,
            object_uuid=access.person.uuid,
            detail={"form": "create"},
        )
    return access


def decision_get_for_notification(
    *, actor: Actor, decision_uuid: uuid.UUID | str, audit: bool = False
) -> ServiceDecision:
    """A decision whose notification date ``actor`` may record: one of the kinds their role
    decides, about a person of their own municipality. Missing and not yours: Http404. Showing
    it is audited when ``audit``."""
    try:
        decision = ServiceDecision.objects.select_related("person", "service_type").get(uuid=decision_uuid)
    except (ServiceDecision.DoesNotExist, ValueError):
        raise Http404 from None
    if not _in_own_municipality(actor, decision.person) or not actor.has_role(DECIDING_ROLE[decision.kind]):
        raise Http404
    access_person(actor, decision.person.uuid, Need.ADMIN_DATA)
    if audit:
        audit_record(
            actor=actor.user,
            action=AuditAction.VIEW,
            what="decision",
            role=DECIDING_ROLE[decision.kind].value,
            person=decision.person,
            object_uuid=decision.uuid,
        )
    return decision


def report_choices(*, person: Person) -> QuerySet[NeedReport]:
    return NeedReport.objects.filter(person=person).order_by("-received_at")


def service_type_list(*, actor: Actor) -> QuerySet[ServiceType]:
    """The actor's municipality's catalogue, active first. A municipality with none gets the
    defaults on first sight (:func:`ensure_default_catalogue`)."""
    if actor.municipality is None:
        return ServiceType.objects.none()
    ensure_default_catalogue(actor.municipality, actor=actor.user)
    return ServiceType.objects.filter(municipality=actor.municipality).order_by("-is_active", "name")


def service_type_choices(*, actor: Actor, person: Person) -> QuerySet[ServiceType]:
    """The active services of the person's municipality, for a new decision (the defaults on
    first sight, as on the catalogue page)."""
    ensure_default_catalogue(person.municipality, actor=actor.user)
    return ServiceType.objects.filter(municipality_id=person.municipality_id, is_active=True).order_by("name")


def service_type_get(*, actor: Actor, service_type_uuid: uuid.UUID | str) -> ServiceType:
    if actor.municipality is None:
        raise Http404
    try:
        return ServiceType.objects.get(uuid=service_type_uuid, municipality=actor.municipality)
    except (ServiceType.DoesNotExist, ValueError):
        raise Http404 from None
