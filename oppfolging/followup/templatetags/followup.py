"""``{% unread_notices as count %}``: the actor's unread notices, for the menu (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from oppfolging.access.actor import Actor
from oppfolging.followup.notice_services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context: dict[str, Any]) -> int:
    actor = context.get("actor")
    if not isinstance(actor, Actor) or not actor.is_staff_user:
        return 0
    return unread_count(actor=actor)
