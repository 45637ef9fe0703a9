"""Appointing coordinators. KE opens a person's coordinator page, proposes, registers and ends,
and keeps the registry — each its own municipality's. A candidate's leader opens the proposals
for their own staff (others get 404). Any staff user opens their own assignments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.matrix import ANON, Case, only, per, sigrid

KE = ["fjordvik-ke", "lidal-ke"]


def person(name: str) -> Callable[[Any], dict[str, Any]]:
    def kwargs(cast: Any) -> dict[str, Any]:
        from oppfolging.teams.tests.test_coordinators_support import team_for

        team_for(cast, name)
        return {"person_uuid": cast.persons[name].uuid}

    return kwargs


def proposal(username: str) -> Callable[[Any], dict[str, Any]]:
    def kwargs(cast: Any) -> dict[str, Any]:
        from oppfolging.teams.tests.test_coordinators_support import assignment

        return {"assignment_uuid": assignment(cast, "Per", username).uuid}

    return kwargs


def coordinator(username: str) -> Callable[[Any], dict[str, Any]]:
    return lambda cast: {"user_uuid": cast.users[username].uuid}


ENTRIES: dict[str, list[Case]] = {
    "coordinators:registry": [Case("registry", expect=only(KE))],
    "coordinators:training_add": [
        Case("Fjordvik coordinator", coordinator("fjordvik-koordinator"), expect=only(["fjordvik-ke"])),
        Case("Lidal coordinator", coordinator("lidal-koordinator"), expect=only(["lidal-ke"])),
        Case("not a coordinator", coordinator("fjordvik-team"), expect=only([])),
    ],
    "coordinators:mine": [Case("own", default=200, expect={ANON: 302, "per": 404, "aron-mor": 404})],
    "coordinators:approvals": [Case("leader's list", expect=only(["fjordvik-leder"]))],
    "coordinators:person": [
        Case("Fjordvik person", per, expect=only(["fjordvik-ke"])),
        Case("Fjordvik person with a team", person("Per"), expect=only(["fjordvik-ke"])),
        Case("Lidal person", sigrid, expect=only(["lidal-ke"])),
    ],
    "coordinators:child_case": [
        Case("Fjordvik child", person("Aron"), expect=only(["fjordvik-ke"])),
        Case("Lidal child", person("Ola"), expect=only(["lidal-ke"])),
    ],
    "coordinators:decide": [
        Case(
            "proposal for the leader's staff",
            proposal("fjordvik-koordinator"),
            expect=only(["fjordvik-leder"]),
        ),
        Case("proposal for staff of no leader", proposal("sykehus"), expect=only([])),
    ],
    "coordinators:register_direct": [
        Case("external candidate", proposal("sykehus"), expect=only(["fjordvik-ke"])),
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "coordinators:propose": [Case("POST only", per, expect=only(KE, 405))],
    "coordinators:register": [Case("POST only", proposal("fjordvik-koordinator"), expect=only(KE, 405))],
    "coordinators:end": [Case("POST only", proposal("fjordvik-koordinator"), expect=only(KE, 405))],
}
