"""Writing audit rows. Call these inside the transaction of the change they record."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from oppfolging.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
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
