"""Notices: the own list newest first, the unread count in the menu, marking read — and nobody
reaches anyone else's notice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import Notice
from oppfolging.followup.tests import builders as b

pytestmark = pytest.mark.django_db

LIST = "/oppfolging/varsler/"


def _notice(
    cast, person, username="fjordvik-koordinator", text="Evalueringen nærmer seg.", url="/oppfolging/min-dag/"
):
    with unscoped():
        return Notice.objects.create(
            municipality_id=person.municipality_id,
            user=cast.users[username],
            person=person,
            kind="evaluation_due",
            text=text,
            url=url,
        )


def test_the_list_shows_own_notices_newest_first_and_the_menu_counts_unread(cast):
    person = b.coordinated(cast, "Varsel", serial=850)
    _notice(cast, person, text="Første varsel.")
    _notice(cast, person, text="Andre varsel.")
    _notice(cast, person, username="fjordvik-team", text="Sykepleierens varsel.")
    page = cast.client("fjordvik-koordinator").get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Andre varsel.") < html.index("Første varsel.")
    assert "Sykepleierens varsel." not in html
    assert '2<span class="ds-sr-only"> uleste</span>' in html
    with unscoped():
        assert AuditEvent.objects.filter(what="notice", actor=cast.users["fjordvik-koordinator"]).exists()


def test_marking_read_and_opening(cast):
    person = b.coordinated(cast, "Lest", serial=851)
    first = _notice(cast, person)
    second = _notice(cast, person, url="https://evil.example/")
    client = cast.client("fjordvik-koordinator")
    response = client.post(reverse("followup:notice_read", args=[first.uuid]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/oppfolging/min-dag/"
    first.refresh_from_db()
    assert first.read_at is not None
    response = client.post(reverse("followup:notice_read", args=[second.uuid]), {"open": "1"})
    assert response["Location"] == LIST, "only links within the site are followed"
    assert "uleste" not in client.get(LIST).content.decode()


def test_anyone_elses_notice_is_not_found(cast):
    person = b.coordinated(cast, "Andres", serial=852)
    notice = _notice(cast, person)
    url = reverse("followup:notice_read", args=[notice.uuid])
    for user in ("fjordvik-team", "fjordvik-ke", "lidal-ke", "sykehus"):
        assert cast.client(user).post(url).status_code == 404, user
    notice.refresh_from_db()
    assert notice.read_at is None
    assert cast.client("per").post(url).status_code == 404
    assert cast.client(None).post(url).status_code == 302
