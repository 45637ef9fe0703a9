"""The person's own view (Min side): the page about one person opens for the person themself and
for a guardian of a minor (and for a relative the person has consented to involve, see
oppfolging/portal/tests); staff and everyone else get 404. The actions are POST-only routes for
citizens (a GET is refused by method, which reveals nothing). The survey («Hvordan opplever du
oppfølgingen?») is a page of its own that opens for the same users as the person's page; its
POST is tested in oppfolging/portal/tests/test_survey.py. ``portal:home`` is in the base matrix
(tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix import CITIZENS, Case, only, per


def aron(cast: Any) -> dict[str, Any]:
    return {"person_uuid": cast.persons["Aron"].uuid}


ACTIONS = ["portal:comment", "portal:goal", "portal:psfs", "portal:meeting_change"]

ENTRIES: dict[str, list[Case]] = {
    "portal:person": [
        Case("Per's page", per, expect=only(["per"])),
        Case("Aron's page", aron, expect=only(["aron-mor"])),
    ],
    "portal:survey": [
        Case("Per's survey", per, expect=only(["per"])),
        Case("Aron's survey", aron, expect=only(["aron-mor"])),
    ],
    **{name: [Case("POST only", per, expect=only(CITIZENS, 405))] for name in ACTIONS},
}
