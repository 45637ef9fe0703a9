"""PSFS («Hva er viktig for deg?»), the staff page: everyone who reads the person's case content
opens it (the coordinator, the consented team member, the former member for what existed when
they left, the allocation officer while the case is in the queue); a member whose consent was
withdrawn, KE without a case of their own, other municipalities and citizens get 404. The forms
post to POST-only routes (a GET is refused by method, which reveals nothing)."""

from __future__ import annotations

from typing import Any

from tests.matrix import STAFF_USERS, Case, only

READERS = ["fjordvik-koordinator", "fjordvik-team", "fjordvik-tildeling", "sykehus"]


def planned(cast: Any) -> dict[str, Any]:
    from oppfolging.plans.tests.support import planned_person

    return {"person_uuid": planned_person(cast).uuid}


def lidal(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import lidal_person

    return {"person_uuid": lidal_person(cast).uuid}


ENTRIES: dict[str, list[Case]] = {
    "function:detail": [
        Case("Fjordvik person with a plan", planned, expect=only(READERS)),
        Case("Lidal person", lidal, expect=only([])),
    ],
    "function:activities": [Case("POST only", planned, expect=only(STAFF_USERS, 405))],
    "function:measure": [Case("POST only", planned, expect=only(STAFF_USERS, 405))],
}
