"""The minutes (guideline 7.8 step 8): written per item, sent for correction with a deadline and
a notice to the team members who took part; corrections until the deadline, accepted or
rejected by the coordinator; a stale save refused with both texts shown; closing."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import Notice
from oppfolging.meetings.minutes_forms import item_field
from oppfolging.meetings.models import (
    AgendaItem,
    CorrectionStatus,
    Meeting,
    MeetingStatus,
    MinutesCorrection,
)
from oppfolging.meetings.tests.support import held_meeting, make_meeting, minutes_out, set_status

pytestmark = pytest.mark.django_db


def _minutes_data(meeting: Meeting, **agreed: str) -> dict[str, object]:
    with unscoped():
        items = list(AgendaItem.objects.filter(meeting=meeting))
        participants = list(meeting.participants.all())
    data: dict[str, object] = {
        "version": str(meeting.version),
        "summary": agreed.pop("summary", "Første periode er to måneder."),
        "attended": [str(p.uuid) for p in participants],
        "corrections_due_on": "",
    }
    texts = list(agreed.values()) or [
        "Dusje selv med støtte.",
        "Sykepleier to ganger i uken.",
        "Om åtte uker.",
    ]
    for item, text in zip(items, texts, strict=False):
        data[item_field(item)] = text
    return data


def test_minutes_sent_for_correction_notify_the_members_who_took_part(cast):
    meeting = held_meeting(cast)
    client = cast.client("fjordvik-koordinator")
    url = reverse("meetings:minutes", args=[meeting.uuid])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-draft-key="meeting:{meeting.uuid}:minutes"' in body
    assert client.post(url, _minutes_data(meeting)).status_code == 302
    with unscoped():
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.HELD
        assert next(i.agreed for i in meeting.items.all()) == "Dusje selv med støtte."
    assert mail.outbox == []
    data = _minutes_data(meeting) | {"send": "1"}
    assert client.post(url, data).status_code == 302
    with unscoped():
        meeting.refresh_from_db()
        notices = list(Notice.objects.filter(kind="minutes_to_correct"))
    assert meeting.status == MeetingStatus.MINUTES_OUT
    assert meeting.corrections_due_on == timezone.localdate() + datetime.timedelta(days=3)
    assert [n.user.username for n in notices] == ["fjordvik-team"]
    assert notices[0].url == reverse("meetings:detail", args=[meeting.uuid])
    assert [m.to for m in mail.outbox] == [["fjordvik-team@demo.invalid"]]
    assert "Dusje" not in mail.outbox[0].body  # the e-mail says the minutes are ready, not what they say
    # The team member now reads them, with the deadline.
    detail = cast.client("fjordvik-team").get(reverse("meetings:detail", args=[meeting.uuid]))
    assert "Dusje selv med støtte." in detail.content.decode()
    assert detail.context["page"].may_correct


def test_the_team_does_not_see_minutes_before_they_are_sent(cast):
    meeting = held_meeting(cast)
    cast.client("fjordvik-koordinator").post(
        reverse("meetings:minutes", args=[meeting.uuid]), _minutes_data(meeting)
    )
    detail = cast.client("fjordvik-team").get(reverse("meetings:detail", args=[meeting.uuid]))
    assert "Dusje selv med støtte." not in detail.content.decode()


def test_the_minutes_cannot_be_written_before_the_day_of_the_meeting(cast):
    meeting = make_meeting(cast)
    response = cast.client("fjordvik-koordinator").get(reverse("meetings:minutes", args=[meeting.uuid]))
    assert response.status_code == 302


def test_a_stale_save_of_the_minutes_is_refused_with_both_texts_shown(cast):
    meeting = held_meeting(cast)
    client = cast.client("fjordvik-koordinator")
    url = reverse("meetings:minutes", args=[meeting.uuid])
    opened = _minutes_data(meeting)
    client.post(url, _minutes_data(meeting, summary="Lagret først."))
    mine = dict(opened, summary="Skrevet samtidig.")
    response = client.post(url, mine)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Lagret først." in body
    assert "Skrevet samtidig." in body
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.minutes_summary == "Lagret først."
    # Saving again from the page (now with the stored version) goes through.
    again = dict(mine, version=str(response.context["form"]["version"].value()))
    assert client.post(url, again).status_code == 302
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.minutes_summary == "Skrevet samtidig."


def test_a_correction_accepted_replaces_the_items_text_and_is_recorded(cast):
    meeting = minutes_out(cast)
    with unscoped():
        item = meeting.items.all()[0]
        AgendaItem.objects.filter(pk=item.pk).update(agreed="Gammel tekst.")
    member = cast.client("fjordvik-team")
    add = reverse("meetings:correction_add", args=[meeting.uuid])
    assert member.post(add, {"item": str(item.uuid), "text": "Ny tekst."}).status_code == 302
    assert member.post(add, {"item": "", "text": "Bedre oppsummering."}).status_code == 302
    with unscoped():
        on_item = MinutesCorrection.objects.get(item=item)
        on_summary = MinutesCorrection.objects.get(item__isnull=True)
        assert (
            Notice.objects.filter(kind="minutes_correction", user=cast.users["fjordvik-koordinator"]).count()
            == 2
        )
    coordinator = cast.client("fjordvik-koordinator")
    decide = reverse("meetings:correction_decide", args=[meeting.uuid, on_item.uuid])
    # Only the coordinator decides.
    assert member.post(decide, {"decision": "accept"}).status_code == 404
    page = coordinator.get(reverse("meetings:detail", args=[meeting.uuid]))
    assert page.context["page"].close_problem
    assert coordinator.post(decide, {"decision": "accept"}).status_code == 302
    reject = reverse("meetings:correction_decide", args=[meeting.uuid, on_summary.uuid])
    coordinator.post(reject, {"decision": "reject", "note": ""})
    with unscoped():
        on_summary.refresh_from_db()
        assert on_summary.status == CorrectionStatus.PROPOSED  # a rejection needs a note
    coordinator.post(reject, {"decision": "reject", "note": "Oppsummeringen er riktig."})
    with unscoped():
        item.refresh_from_db()
        on_item.refresh_from_db()
        on_summary.refresh_from_db()
        meeting.refresh_from_db()
        audit = AuditEvent.objects.get(what="meeting.correction", object_uuid=on_item.uuid, action="update")
    assert item.agreed == "Ny tekst."
    assert on_item.status == CorrectionStatus.ACCEPTED
    assert on_summary.status == CorrectionStatus.REJECTED
    assert meeting.minutes_summary == "Vi ble enige om første periode."
    assert audit.detail["replaced"] == "Gammel tekst."
    # All decided: the coordinator may close the minutes before the deadline.
    assert coordinator.post(reverse("meetings:close_minutes", args=[meeting.uuid])).status_code == 302
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    assert member.post(add, {"item": "", "text": "For sent."}).status_code == 400


def test_after_the_deadline_a_correction_is_refused_clearly(cast):
    meeting = minutes_out(cast)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    set_status(meeting, MeetingStatus.MINUTES_OUT, corrections_due_on=yesterday)
    response = cast.client("fjordvik-team").post(
        reverse("meetings:correction_add", args=[meeting.uuid]), {"item": "", "text": "Litt sent."}
    )
    assert response.status_code == 400
    assert "Fristen for å rette referatet gikk ut" in response.content.decode()
    with unscoped():
        assert not MinutesCorrection.objects.exists()


def test_closing_waits_for_the_deadline_when_nobody_has_corrected(cast):
    meeting = minutes_out(cast)
    client = cast.client("fjordvik-koordinator")
    close = reverse("meetings:close_minutes", args=[meeting.uuid])
    client.post(close)
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_OUT
    set_status(
        meeting,
        MeetingStatus.MINUTES_OUT,
        corrections_due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.post(close)
    with unscoped():
        meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED


def test_only_team_members_who_took_part_may_correct(cast):
    meeting = minutes_out(cast)
    with unscoped():
        meeting.participants.filter(team_member__isnull=False).update(attended=False)
    response = cast.client("fjordvik-team").post(
        reverse("meetings:correction_add", args=[meeting.uuid]), {"item": "", "text": "Jeg var ikke der."}
    )
    assert response.status_code == 404
    # The coordinator writes the minutes; a correction is the team's.
    response = cast.client("fjordvik-koordinator").post(
        reverse("meetings:correction_add", args=[meeting.uuid]), {"item": "", "text": "Selv."}
    )
    assert response.status_code == 404
