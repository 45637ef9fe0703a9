"""The follow-up pages. The coordinator's day, the board and the notices are every staff user's
own (each shows only what that user may see; an empty page otherwise). The medicine list is for
the person's coordinator and a GP who is an active, consented member of the team."""

from __future__ import annotations

from typing import Any

from tests.matrix import STAFF_USERS, Case, only


def _staged(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import staged_person

    return {"person_uuid": staged_person(cast).uuid}


def _with_consented_gp(cast: Any) -> dict[str, Any]:
    """The staged person, with the GP's withdrawn team consent given again."""
    from oppfolging.consents.models import Consent, ConsentKind
    from oppfolging.core.tenancy import unscoped
    from oppfolging.teams.models import TeamMember
    from oppfolging.teams.tests.test_team_support import consent, staged_person

    person = staged_person(cast)
    with unscoped():
        gp = TeamMember.objects.get(team__person=person, user__username="fjordvik-fastlege")
        given = Consent.objects.filter(team_member=gp, withdrawn_at__isnull=True).exists()
    if not given:
        consent(person, ConsentKind.TEAM_MEMBERSHIP, cast.users["fjordvik-ke"], team_member=gp)
    return {"person_uuid": person.uuid}


def _notice(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.followup.models import Notice

    person = _staged(cast)["person_uuid"]
    with unscoped():
        from oppfolging.people.models import Person

        found = Person.objects.get(uuid=person)
        notice = Notice.objects.create(
            municipality_id=found.municipality_id,
            user=cast.users["fjordvik-koordinator"],
            person=found,
            kind="evaluation_due",
            text="Evalueringen nærmer seg.",
        )
    return {"notice_uuid": notice.uuid}


ENTRIES: dict[str, list[Case]] = {
    "followup:day": [Case("own day", expect=only(STAFF_USERS))],
    "followup:board": [Case("own units", expect=only(STAFF_USERS))],
    "followup:notices": [Case("own notices", expect=only(STAFF_USERS))],
    # POST-only: a GET is refused by method before any lookup, so 405 reveals nothing.
    "followup:notice_read": [Case("POST only", _notice, expect=only(STAFF_USERS, 405))],
    "followup:medicines": [
        Case("GP's consent withdrawn", _staged, expect=only(["fjordvik-koordinator"])),
        Case("GP consented", _with_consented_gp, expect=only(["fjordvik-koordinator", "fjordvik-fastlege"])),
    ],
}
