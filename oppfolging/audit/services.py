"""Writing audit rows. Call these inside the transaction of the change they record."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from oppfolging.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from oppfolging.access.persons import PersonAccess
    from oppfolging.accounts.models import User
    from oppfolging.core.models import Municipality
    from oppfolging.people.models import Person


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    what: str,
    role: str = "",
    municipality: Municipality | None = None,
    person: Person | None = None,
    object_uuid: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if municipality is None and person is not None:
        municipality = person.municipality
    return AuditEvent.all_tenants.create(
        municipality=municipality,
        actor=actor,
        actor_label=(actor.get_full_name() or actor.username) if actor else "",
        role=role,
        person=person,
        action=action,
        what=what,
        object_uuid=object_uuid,
        detail=detail or {},
    )


def audit_person_write(
    *,
    user: User,
    access: PersonAccess,
    action: AuditAction,
    what: str,
    about: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """The audit row of a read or write about the person ``access`` was granted for, in the role
    it was granted in. Call inside the transaction of the change."""
    return audit_record(
        actor=user,
        action=action,
        what=what,
        role=access.role,
        person=access.person,
        object_uuid=about,
        detail=detail,
    )
