"""The consents pages: for those who record and withdraw consents — KE, the allocation officer
handling the case, the coordinator. Team members see the consents in force on the team page."""

from __future__ import annotations

from typing import Any

from tests.matrix import STAFF_USERS, Case, only
from tests.matrix.teams import FJORDVIK_MANAGERS, lidal, staged


def staged_kind(kind: str) -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        return {**staged(cast), "kind": kind}

    return kwargs


def staged_consent(cast: Any) -> dict[str, Any]:
    from oppfolging.consents.models import Consent
    from oppfolging.core.tenancy import unscoped

    person = staged(cast)
    with unscoped():
        consent = Consent.objects.filter(person__uuid=person["person_uuid"]).first()
    assert consent is not None
    return {**person, "consent_uuid": consent.uuid}


ENTRIES: dict[str, list[Case]] = {
    "consents:list": [
        Case("Fjordvik person with a team", staged, expect=only(FJORDVIK_MANAGERS)),
        Case("Lidal person", lidal, expect=only(["lidal-ke"])),
    ],
    "consents:create": [
        *[
            Case(f"kind {slug}", staged_kind(slug), expect=only(FJORDVIK_MANAGERS))
            for slug in ("planarbeid", "teammedlem", "deling", "parorende")
        ],
        Case("Lidal person", lambda cast: {**lidal(cast), "kind": "planarbeid"}, expect=only(["lidal-ke"])),
        Case("unknown kind", staged_kind("ukjent"), expect=only([])),
    ],
    # POST-only: a GET is refused by method before any lookup, so 405 reveals nothing.
    "consents:withdraw": [Case("POST only", staged_consent, expect=only(STAFF_USERS, 405))],
}
