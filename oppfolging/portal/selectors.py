from __future__ import annotations

from typing import Any

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, grants_for
from oppfolging.people.models import Person
from oppfolging.people.selectors import person_get


def portal_overview(*, actor: Actor) -> dict[str, Any]:
    """The citizen's own record (the read is audited like any other) and the persons they may
    follow as a relative."""
    own = person_get(actor=actor, person_uuid=_uuid_of(actor.person_id)).person if actor.person_id else None
    followed = [
        person
        for person in Person.objects.filter(pk__in=actor.relative_person_ids).order_by("given_name")
        if any(Need.ADMIN_DATA in grant.needs for grant in grants_for(actor, person))
    ]
    return {"own": own, "followed": followed}


def _uuid_of(person_id: int) -> str:
    return str(Person.objects.values_list("uuid", flat=True).get(pk=person_id))
