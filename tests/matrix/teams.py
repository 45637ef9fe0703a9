"""The team page and its changes: KE, the allocation officer while the case is in the queue, the
coordinator and the active consented members open it; a member whose consent was withdrawn, a
former member and everyone else get 404. Changing the team is for KE, the allocation officer
handling the case and the coordinator."""

from __future__ import annotations

from typing import Any

from tests.matrix import STAFF_USERS, Case, only

FJORDVIK_MANAGERS = ["fjordvik-ke", "fjordvik-tildeling", "fjordvik-koordinator"]


def staged(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import staged_person

    return {"person_uuid": staged_person(cast).uuid}


def lidal(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import lidal_person, make_team

    person = lidal_person(cast)
    make_team(person)
    return {"person_uuid": person.uuid}


def staged_member(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.teams.models import TeamMember

    kwargs = staged(cast)
    with unscoped():
        member = TeamMember.objects.get(
            team__person__uuid=kwargs["person_uuid"], user__username="fjordvik-team"
        )
    return {**kwargs, "member_uuid": member.uuid}


ENTRIES: dict[str, list[Case]] = {
    "teams:detail": [
        Case("Fjordvik person with a team", staged, expect=only([*FJORDVIK_MANAGERS, "fjordvik-team"])),
        Case("Lidal person", lidal, expect=only(["lidal-ke"])),
    ],
    "teams:member_add": [
        Case("Fjordvik person with a team", staged, expect=only(FJORDVIK_MANAGERS)),
        Case("Lidal person", lidal, expect=only(["lidal-ke"])),
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "teams:create": [Case("POST only", staged, expect=only(STAFF_USERS, 405))],
    "teams:member_remove": [Case("POST only", staged_member, expect=only(STAFF_USERS, 405))],
}
