"""The meeting page and the list run a fixed number of queries however many items,
participants, corrections and change requests a meeting has, or meetings a person has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppfolging.core.tenancy import unscoped
from oppfolging.meetings.models import (
    AgendaItem,
    CorrectionStatus,
    Meeting,
    MeetingChangeRequest,
    MeetingParticipant,
    MinutesCorrection,
    ParticipantKind,
)
from oppfolging.meetings.tests.support import make_meeting, minutes_out

pytestmark = pytest.mark.django_db


def _count(get: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200
    return len(queries)


def _grow(cast: Any, meeting: Meeting, n: int) -> None:
    coordinator = cast.users["fjordvik-koordinator"]
    member = cast.users["fjordvik-team"]
    with unscoped():
        nurse = meeting.participants.filter(kind=ParticipantKind.MEMBER)[0].team_member
        start = AgendaItem.objects.filter(meeting=meeting).count()
        for i in range(n):
            common = {"municipality_id": meeting.municipality_id, "meeting": meeting}
            item = AgendaItem.objects.create(
                **common,
                order=start + i + 1,
                title=f"Sak {start + i}",
                agreed="Avtalt.",
                proposed_changes=[{"id": f"x{i}", "type": "goal", "text": "Mål", "in_own_words": True}],
            )
            MeetingParticipant.objects.create(
                **common,
                kind=ParticipantKind.MEMBER,
                team_member=nurse,
                name=f"Deltaker {i}",
                email="d@demo.invalid",
            )
            MeetingParticipant.objects.create(**common, kind=ParticipantKind.OTHER, name=f"Annen {i}")
            for status in (CorrectionStatus.PROPOSED, CorrectionStatus.ACCEPTED):
                MinutesCorrection.objects.create(
                    **common,
                    item=item,
                    text="Retting.",
                    proposed_by=member,
                    proposed_by_label="Sykepleier",
                    status=status,
                    decided_by=coordinator if status != CorrectionStatus.PROPOSED else None,
                )
            MinutesCorrection.objects.create(
                **common, text="Om oppsummeringen.", proposed_by=member, proposed_by_label="Sykepleier"
            )
            MeetingChangeRequest.objects.create(
                **common, text="Flytte?", author_kind="person", author=member, author_label="Tea"
            )


@pytest.mark.parametrize("username", ["fjordvik-koordinator", "fjordvik-team"])
def test_the_meeting_page_is_flat(cast, username):
    meeting = minutes_out(cast)
    client = cast.client(username)
    url = reverse("meetings:detail", args=[meeting.uuid])
    _grow(cast, meeting, 1)
    before = _count(lambda: client.get(url))
    _grow(cast, meeting, 12)
    after = _count(lambda: client.get(url))
    assert before == after


def test_the_list_is_flat(cast):
    first = make_meeting(cast)
    with unscoped():
        person = first.person
    client = cast.client("fjordvik-koordinator")
    url = reverse("meetings:list", args=[person.uuid])
    before = _count(lambda: client.get(url))
    for _i in range(8):
        make_meeting(cast, person)
    after = _count(lambda: client.get(url))
    assert before == after


def test_the_minutes_page_is_flat(cast):
    meeting = minutes_out(cast)
    client = cast.client("fjordvik-koordinator")
    url = reverse("meetings:minutes", args=[meeting.uuid])
    _grow(cast, meeting, 1)
    before = _count(lambda: client.get(url))
    _grow(cast, meeting, 10)
    after = _count(lambda: client.get(url))
    assert before == after
