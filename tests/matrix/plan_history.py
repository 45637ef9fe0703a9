"""The plan's history, closing and transitions. The history is read by whoever reads the plan:
the coordinator, the consented active member and the former member (their view ends when they
left); the member whose consent was withdrawn, KE and the allocation officer (who see the case
in the queue, not the plan) and everyone else get 404. Closing and planning transitions are for
the coordinator only. Completing or cancelling is POST only."""

from __future__ import annotations

from typing import Any

from tests.matrix import STAFF_USERS, Case, only

READERS = ["fjordvik-koordinator", "fjordvik-team", "sykehus"]


def planned(cast: Any) -> dict[str, Any]:
    from oppfolging.plans.tests.support import planned_person

    return {"person_uuid": planned_person(cast).uuid}


def staged(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import staged_person

    return {"person_uuid": staged_person(cast).uuid}


def lidal(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import lidal_person

    return {"person_uuid": lidal_person(cast).uuid}


def planned_transition(cast: Any) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    from oppfolging.core.tenancy import unscoped
    from oppfolging.plans.models import CarePlan, TransitionKind
    from oppfolging.plans.tests.support import coordinator_access, planned_person
    from oppfolging.plans.transition_services import NewTransition, transition_add

    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        transition = plan.transitions.first() or transition_add(
            actor=who,
            access=access,
            plan=plan,
            new=NewTransition(
                kind=TransitionKind.LIFE_PHASE,
                planned_on=timezone.localdate() + datetime.timedelta(days=30),
                receiving_description="Fjordvik skole",
            ),
        )
    return {"person_uuid": person.uuid, "transition_uuid": transition.uuid}


ENTRIES: dict[str, list[Case]] = {
    "plans:history": [
        Case("Fjordvik person with a plan", planned, expect=only(READERS)),
        Case("person without a plan", staged, expect=only([])),
        Case("Lidal person", lidal, expect=only([])),
    ],
    "plans:as_of": [
        Case("the form", planned, expect=only(READERS)),
        Case("a version", planned, query={"versjon": "1"}, expect=only(READERS)),
        Case("a wrong date", planned, query={"dato": "2026-02-31"}, expect=only(READERS)),
        Case("Lidal person", lidal, query={"versjon": "1"}, expect=only([])),
    ],
    "plans:close": [
        Case("Fjordvik person with a plan", planned, expect=only(["fjordvik-koordinator"])),
        Case("person without a plan", staged, expect=only([])),
    ],
    "plans:transition_add": [
        Case("Fjordvik person with a plan", planned, expect=only(["fjordvik-koordinator"])),
        Case("Lidal person", lidal, expect=only([])),
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "plans:transition_complete": [Case("POST only", planned_transition, expect=only(STAFF_USERS, 405))],
    "plans:transition_cancel": [Case("POST only", planned_transition, expect=only(STAFF_USERS, 405))],
}
