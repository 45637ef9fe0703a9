"""Meetings: whoever reads the person's case content opens them (the coordinator, the active
consented team members, the allocation officer while the case is in the queue); a former member
sees the list of what was before they left, not a meeting set up after. Setting up and changing
meetings is the coordinator's; the case handler may set up an assessment conversation. KE staff
not handling the case, a member without consent, other municipalities and citizens get 404 (the
person's own view of meetings is the portal's)."""

from __future__ import annotations

from typing import Any

from tests.matrix import STAFF_USERS, Case, only

READERS = ["fjordvik-koordinator", "fjordvik-team", "fjordvik-tildeling"]
MANAGERS = ["fjordvik-koordinator", "fjordvik-tildeling"]


def person(cast: Any) -> dict[str, Any]:
    from oppfolging.plans.tests.support import planned_person

    return {"person_uuid": planned_person(cast).uuid}


def meeting(cast: Any) -> dict[str, Any]:
    from oppfolging.meetings.tests.support import make_meeting

    return {"meeting_uuid": make_meeting(cast).uuid}


def assessment(cast: Any) -> dict[str, Any]:
    from oppfolging.meetings.models import MeetingKind
    from oppfolging.meetings.tests.support import make_meeting

    return {"meeting_uuid": make_meeting(cast, kind=MeetingKind.ASSESSMENT).uuid}


def held(cast: Any) -> dict[str, Any]:
    from oppfolging.meetings.tests.support import held_meeting

    return {"meeting_uuid": held_meeting(cast).uuid}


def held_item(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.meetings.tests.support import held_meeting

    found = held_meeting(cast)
    with unscoped():
        item = found.items.all()[0]
    return {"meeting_uuid": found.uuid, "item_uuid": item.uuid}


def item_proposal(cast: Any) -> dict[str, Any]:
    return {**held_item(cast), "proposal_id": "abc12345"}


def correction(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.meetings.models import MinutesCorrection
    from oppfolging.meetings.tests.support import minutes_out

    found = minutes_out(cast)
    with unscoped():
        row = MinutesCorrection.objects.create(
            municipality_id=found.municipality_id,
            meeting=found,
            text="Retting.",
            proposed_by=cast.users["fjordvik-team"],
            proposed_by_label="Sykepleier",
        )
    return {"meeting_uuid": found.uuid, "correction_uuid": row.uuid}


def change_request(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.meetings.models import MeetingChangeRequest
    from oppfolging.meetings.tests.support import make_meeting

    found = make_meeting(cast)
    with unscoped():
        row = MeetingChangeRequest.objects.create(
            municipality_id=found.municipality_id,
            meeting=found,
            text="Flytte?",
            author_kind="person",
            author=cast.users["per"],
            author_label="Tea",
        )
    return {"meeting_uuid": found.uuid, "request_uuid": row.uuid}


POST_ONLY = only(STAFF_USERS, 405)

ENTRIES: dict[str, list[Case]] = {
    "meetings:list": [Case("the planned person", person, expect=only([*READERS, "sykehus"]))],
    "meetings:create": [Case("the planned person", person, expect=only(MANAGERS))],
    "meetings:detail": [
        Case("a start-up meeting", meeting, expect=only(READERS)),
        Case("an assessment conversation", assessment, expect=only(READERS)),
    ],
    "meetings:edit": [
        Case("a start-up meeting", meeting, expect=only(["fjordvik-koordinator"])),
        Case("an assessment conversation", assessment, expect=only(MANAGERS)),
    ],
    "meetings:ical": [Case("a start-up meeting", meeting, expect=only(READERS))],
    "meetings:minutes": [Case("a meeting held today", held, expect=only(["fjordvik-koordinator"]))],
    "meetings:item_changes": [
        Case("an item of a held meeting", held_item, expect=only(["fjordvik-koordinator"]))
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "meetings:cancel": [Case("POST only", meeting, expect=POST_ONLY)],
    "meetings:invite": [Case("POST only", meeting, expect=POST_ONLY)],
    "meetings:change_request_answer": [Case("POST only", change_request, expect=POST_ONLY)],
    "meetings:close_minutes": [Case("POST only", held, expect=POST_ONLY)],
    "meetings:correction_add": [Case("POST only", held, expect=POST_ONLY)],
    "meetings:correction_decide": [Case("POST only", correction, expect=POST_ONLY)],
    "meetings:item_change_remove": [Case("POST only", item_proposal, expect=POST_ONLY)],
    "meetings:apply": [Case("POST only", held, expect=POST_ONLY)],
}
