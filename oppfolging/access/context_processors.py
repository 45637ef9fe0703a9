from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oppfolging.access.actor import ANONYMOUS, Actor


def access(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", ANONYMOUS)
    return {"actor": actor if isinstance(actor, Actor) else ANONYMOUS}
