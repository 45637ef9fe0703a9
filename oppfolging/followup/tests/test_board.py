"""The board view: a unit's persons with signals and improvement items, limited to those the
viewer has case access to; nothing at all about the others."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.board_selectors import board
from oppfolging.followup.tests import builders as b
from oppfolging.teams.tests.test_team_support import actor

pytestmark = pytest.mark.django_db

URL = "/oppfolging/tavle/"


def _unit(name):
    return Unit.objects.get(name=name)


def test_the_coordinators_unit_shows_the_persons_with_their_signals(cast):
    person = b.loaded(cast, 1)
    quiet = b.coordinated(cast, "Stille", serial=861)
    with unscoped():
        page = board(
            actor=actor(cast.users["fjordvik-koordinator"]), unit=_unit("Ergoterapitjenesten Fjordvik")
        )
    rows = {row.person.given_name: row for row in page.rows}
    assert set(rows) == {"Dag01", "Stille"}
    loaded = rows["Dag01"]
    assert {s.kind for s in loaded.signals} == {"evaluation_overdue", "change_request", "changed_need"}
    assert {s.kind for s in loaded.improvements} == {"measure_overdue", "minutes_corrections"}
    assert loaded.measures_overdue == 1
    assert [r.person for r in page.without_signals] == [quiet]
    assert page.rows[0].person == person, "persons with signals first"


def test_a_team_members_unit_board_shows_the_persons_they_are_a_member_for(cast):
    b.loaded(cast, 2)
    with unscoped():
        page = board(actor=actor(cast.users["fjordvik-team"]), unit=_unit("Hjemmetjenesten Fjordvik"))
    assert [row.person.given_name for row in page.rows] == ["Dag02"]
    assert not page.rows[0].coordinator


def test_persons_the_viewer_cannot_see_are_not_shown_not_even_counted(cast):
    b.loaded(cast, 3)
    response = cast.client("fjordvik-leder").get(URL, {"unit": str(_unit("Hjemmetjenesten Fjordvik").uuid)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dag03" not in html
    assert response.context["board"].rows == []
    assert "Ingen personer du har tilgang til" in html


def test_only_the_viewers_own_units_can_be_chosen(cast):
    b.loaded(cast, 4)
    other = _unit("Hjemmetjenesten Fjordvik")
    response = cast.client("fjordvik-koordinator").get(URL, {"unit": str(other.uuid)})
    assert response.context["board"].unit.name == "Ergoterapitjenesten Fjordvik"


def test_the_board_is_audited_per_person_shown(cast):
    person = b.loaded(cast, 5)
    assert cast.client("fjordvik-koordinator").get(URL).status_code == 200
    with unscoped():
        assert (
            AuditEvent.objects.filter(what="followup.board", person=person, role="coordinator").count() == 1
        )


def test_someone_without_a_unit_sees_a_message(cast):
    response = cast.client("utenforstaaende").get(URL)
    assert response.status_code == 200
    assert "Du hører ikke til noen enhet." in response.content.decode()


def test_the_query_count_does_not_grow_with_persons(cast):
    client = cast.client("fjordvik-koordinator")
    for i in range(3):
        b.loaded(cast, 10 + i)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(3, 30):
        b.loaded(cast, 10 + i)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
