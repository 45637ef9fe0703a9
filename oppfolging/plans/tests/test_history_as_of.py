"""The plan as of a date or version: the right version is shown read-only with a banner, the
differences from the version before (or from another version) are marked word by word, wrong
input gives the form back with a Norwegian message (never an error page), a former member sees
no further than when they left, and every opening is audited with the date or version."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.plans import services
from oppfolging.plans.models import CarePlan, Goal, PlanVersion
from oppfolging.plans.tests.support import coordinator_access, planned_person

pytestmark = pytest.mark.django_db

OLD_GOAL = "Klare meg selv hjemme."
NEW_GOAL = "Klare meg helt selv hjemme og ute."


def _url(person: Person) -> str:
    return reverse("plans:as_of", args=[person.uuid])


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _with_history(cast: Any) -> Person:
    """Versions 1 to 6 (the plan as built) five days ago; version 7 (the goal rewritten) today."""
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        PlanVersion.objects.filter(plan=plan).update(at=timezone.now() - datetime.timedelta(days=5))
        goal = Goal.objects.get(plan=plan)
        services.goal_update(
            actor=who,
            access=access,
            goal=goal,
            version=goal.version,
            text=NEW_GOAL,
            in_own_words=True,
            status="active",
        )
    return person


def test_the_plan_as_it_stood_at_the_end_of_a_past_date(cast):
    person = _with_history(cast)
    client = cast.client("fjordvik-koordinator")
    day = _days_ago(3)
    response = client.get(_url(person), {"dato": day.isoformat()})
    assert response.status_code == 200
    body = response.content.decode()
    shown = formats.date_format(day, "SHORT_DATE_FORMAT")
    assert f"Slik planen så ut {shown} \u2013 versjon 6" in body
    assert OLD_GOAL in body
    assert NEW_GOAL not in body
    # Today: the rewritten goal.
    body = client.get(_url(person), {"dato": timezone.localdate().isoformat()}).content.decode()
    assert "versjon 7" in body
    assert "Endringer fra versjon 6 til versjon 7" in body


def test_a_date_in_the_norwegian_format_works_too(cast):
    person = _with_history(cast)
    day = _days_ago(3)
    body = cast.client("fjordvik-koordinator").get(_url(person), {"dato": day.strftime("%d.%m.%Y")})
    assert "versjon 6" in body.content.decode()


def test_the_differences_are_marked_word_by_word(cast):
    person = _with_history(cast)
    body = cast.client("fjordvik-koordinator").get(_url(person), {"versjon": "7"}).content.decode()
    assert "Slik planen så ut etter versjon 7" in body
    assert "Endringer fra versjon 6 til versjon 7" in body
    assert "Mål «Klare meg helt selv hjemme og ute.»" in body
    # the old text with its deletion, the new with its insertions
    assert (
        '<del><span class="ds-sr-only">[fjernet: </span>hjemme.<span class="ds-sr-only">]</span></del>'
        in body
    )
    assert (
        '<ins><span class="ds-sr-only">[lagt til: </span>helt <span class="ds-sr-only">]</span></ins>' in body
    )
    assert "hjemme og ute." in body


def test_compared_with_the_current_version(cast):
    person = _with_history(cast)
    body = cast.client("fjordvik-koordinator").get(_url(person), {"versjon": "2", "sammenlign": "7"})
    text = body.content.decode()
    assert "Endringer fra versjon 2 til versjon 7" in text
    assert "Planperiode 1" in text  # added after version 2
    assert "Tiltak «Trening i dusjen med sykepleier.»" in text
    assert "Lagt til" in text
    assert "Status" in text  # the plan's status changed from draft to active
    assert "Under arbeid" in text
    assert "Aktiv" in text


def test_the_first_version_is_compared_with_nothing(cast):
    person = _with_history(cast)
    body = cast.client("fjordvik-koordinator").get(_url(person), {"versjon": "1"}).content.decode()
    assert "Den første versjonen" in body
    assert "Forrige versjon" not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"dato": "2026-13-45"}, "Skriv datoen som dd.mm.åååå"),
        ({"dato": "i går"}, "Skriv datoen som dd.mm.åååå"),
        ({"versjon": "abc"}, "Skriv versjonsnummeret med sifre."),
        ({"versjon": "0"}, "Versjonene begynner på 1."),
        ({"versjon": "999"}, "Planen har ingen versjon 999. Versjonene går fra 1 til 7."),
        ({"versjon": "3", "sammenlign": "99"}, "Planen har ingen versjon 99 å sammenligne med."),
        ({"dato": "2000-01-01"}, "Planen fantes ikke ennå 01.01.2000."),
        ({"dato": "2999-01-01"}, "Velg en dato som ikke er fram i tid."),
        ({"dato": "2026-01-01", "versjon": "2"}, "Velg enten en dato eller et versjonsnummer, ikke begge."),
    ],
)
def test_wrong_input_gives_the_form_back_with_the_reason(cast, query, message):
    person = _with_history(cast)
    response = cast.client("fjordvik-koordinator").get(_url(person), query)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Slik planen så ut" not in body
    assert 'name="dato"' in body


def test_without_a_date_the_page_is_the_form(cast):
    person = _with_history(cast)
    response = cast.client("fjordvik-koordinator").get(_url(person))
    assert response.status_code == 200
    assert "Velg dato eller versjon" in response.content.decode()
    with unscoped():
        assert not AuditEvent.objects.filter(person=person, what="plan.history").exists()


def test_opening_a_version_is_audited_with_the_date_and_version(cast):
    person = _with_history(cast)
    day = _days_ago(3)
    cast.client("fjordvik-team").get(_url(person), {"dato": day.isoformat()})
    with unscoped():
        event = AuditEvent.objects.filter(person=person, what="plan.history").latest("occurred_at")
    assert event.action == AuditAction.VIEW
    assert event.role == "team_member"
    assert event.detail == {"date": day.isoformat(), "version": 6, "compare": None}


def test_former_member_sees_the_plan_as_it_stood_when_they_left(cast):
    """The hospital doctor left three days ago; versions 1 to 6 were five days ago, 7 is today."""
    person = _with_history(cast)
    client = cast.client("sykehus")
    body = client.get(_url(person), {"dato": timezone.localdate().isoformat()}).content.decode()
    assert "versjon 6" in body
    assert OLD_GOAL in body
    assert NEW_GOAL not in body
    assert "Du ser ikke endringer gjort etter at du sluttet i teamet" in body
    # asking for the later version by number, or comparing with it, shows no more
    body = client.get(_url(person), {"versjon": "7"}).content.decode()
    assert "etter versjon 6" in body
    assert NEW_GOAL not in body
    body = client.get(_url(person), {"versjon": "2", "sammenlign": "7"}).content.decode()
    assert "Endringer fra versjon 2 til versjon 6" in body
    assert NEW_GOAL not in body


def test_former_member_of_a_plan_made_after_they_left_gets_a_message(cast):
    person = planned_person(cast)
    response = cast.client("sykehus").get(_url(person), {"versjon": "1"})
    assert response.status_code == 200
    assert "da fantes den ikke ennå" in response.content.decode()


def test_query_count_does_not_grow_with_the_versions(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oppfolging.plans.tests.test_history_list import _grow

    person = _with_history(cast)
    client = cast.client("fjordvik-koordinator")
    query = {"versjon": "2", "sammenlign": "7"}
    client.get(_url(person), query)  # warm up: session, content types

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(person), query).status_code == 200
        return len(queries)

    small = count()
    _grow(person, 200)
    assert count() == small
