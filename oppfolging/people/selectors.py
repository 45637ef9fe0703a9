"""Reads of person data. Every read of a person's data goes through here and is audited."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person, may_search_persons
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.audit.services import audit_record
from oppfolging.lib import identity
from oppfolging.people.models import Person, Relative

SEARCH_LIMIT = 50


def person_get(*, actor: Actor, person_uuid: uuid.UUID | str, need: Need = Need.ADMIN_DATA) -> PersonAccess:
    """Open a person's page: access-checked, and the read is recorded."""
    access = access_person(actor, person_uuid, need)
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="person.identity" if access.may(Need.IDENTITY) else "person",
        role=access.role,
        person=access.person,
        object_uuid=access.person.uuid,
    )
    return access


def person_relatives(*, access: PersonAccess) -> QuerySet[Relative]:
    return access.person.relatives.all()


def person_search(*, actor: Actor, role: str, query: str) -> list[Person]:
    """Find persons by name or number in the actor's municipality. The search itself is audited,
    with a number in the query masked, since a search is a look at who is registered."""
    if not may_search_persons(actor):
        return []
    text = query.strip()
    if not text:
        return []
    digits = identity.compact(text)
    qs = Person.objects.all()
    if digits.isdigit():
        qs = qs.filter(national_id__startswith=digits) if len(digits) >= 6 else qs.none()
        logged_query = identity.mask(digits) if len(digits) == 11 else f"{digits[:6]}…"
    else:
        for word in text.split():
            qs = qs.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
        logged_query = text
    results = list(qs.order_by("family_name", "given_name")[:SEARCH_LIMIT])
    audit_record(
        actor=actor.user,
        action=AuditAction.SEARCH,
        what="person",
        role=role,
        municipality=actor.municipality,
        detail={"query": logged_query, "hits": len(results)},
    )
    return results


def person_recent(*, limit: int = 10) -> list[Person]:
    return list(Person.objects.order_by("-created_at")[:limit])


def person_access_log(*, actor: Actor, person_uuid: uuid.UUID | str) -> tuple[PersonAccess, list[AuditEvent]]:
    """Who has looked at or changed this person's data. Opening it is itself recorded."""
    access = access_person(actor, person_uuid, Need.ACCESS_LOG)
    events = list(AuditEvent.objects.filter(person=access.person).order_by("-occurred_at", "-id")[:500])
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="person.access_log",
        role=access.role,
        person=access.person,
        object_uuid=access.person.uuid,
    )
    return access, events
