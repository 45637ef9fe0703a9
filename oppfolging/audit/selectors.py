"""Reads of the audit log."""

from __future__ import annotations

from oppfolging.access.actor import Actor
from oppfolging.audit.models import AuditEvent

OWN_LOG_LIMIT = 500


def own_activity(*, actor: Actor) -> list[AuditEvent]:
    """What the log holds about the actor's own actions (Normen: employees may see what is logged
    about them). Across municipalities, since an external user's actions may touch several; it
    only ever lists rows the actor wrote themselves."""
    if actor.user is None:
        return []
    return list(
        AuditEvent.all_tenants.filter(actor=actor.user)
        .select_related("person")
        .order_by("-occurred_at", "-id")[:OWN_LOG_LIMIT]
    )
