"""In-app notices: sending one, reading the own list, the unread count in the menu, and marking
one read. A notice is its user's own; anyone else's answers 404, like everything that is not yours."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.followup.models import Notice

if TYPE_CHECKING:
    from oppfolging.accounts.models import User
    from oppfolging.people.models import Person

NOTICE_LIST_LIMIT = 100
NOTICE_TEXT_MAX = 300  # Notice.text's length


def notice_send(*, user: User, person: Person, kind: str, text: str, url: str) -> Notice:
    """A notice to ``user`` about ``person``'s case. Callers write it inside the transaction of
    what it tells about (the reminder job, the minutes, a change request)."""
    return Notice.all_tenants.create(
        municipality_id=person.municipality_id,
        user=user,
        person=person,
        kind=kind,
        text=text[:NOTICE_TEXT_MAX],
        url=url,
    )


def notices_of(*, actor: Actor) -> QuerySet[Notice]:
    """The actor's own notices, newest first (across municipalities: they are the user's)."""
    if actor.user is None:
        return Notice.all_tenants.none()
    return Notice.all_tenants.filter(user=actor.user).order_by("-created_at", "-id")


def notice_list(*, actor: Actor) -> list[Notice]:
    notices = list(notices_of(actor=actor)[:NOTICE_LIST_LIMIT])
    audit_record(actor=actor.user, action=AuditAction.VIEW, what="notice", detail={"count": len(notices)})
    return notices


def unread_count(*, actor: Actor) -> int:
    return notices_of(actor=actor).filter(read_at__isnull=True).count()


@transaction.atomic
def notice_read(*, actor: Actor, notice_uuid: uuid.UUID | str) -> Notice:
    """Mark the actor's own notice read (again: nothing changes). Http404 for anyone else's."""
    notice = (
        notices_of(actor=actor)
        .select_related("municipality")
        .select_for_update(of=("self",))
        .filter(uuid=notice_uuid)
        .first()
    )
    if notice is None:
        raise Http404
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at", "updated_at"])
        audit_record(
            actor=actor.user,
            action=AuditAction.UPDATE,
            what="notice",
            municipality=notice.municipality,
            object_uuid=notice.uuid,
            detail={"read": True, "kind": notice.kind},
        )
    return notice
