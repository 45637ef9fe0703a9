"""The plan page: every legal element of the plan (forskrift om individuell plan § 19, SPEC §4.5)
is on it; it is read by the coordinator, the consented active members and a former member (as
the plan stood when they left), and by nobody else; the read is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.plans.plan_selectors import plan_summary
from oppfolging.plans.tests.support import planned_person
from oppfolging.plans.tests.test_plan_support import (
    LATER_GOAL,
    LINK_TITLE,
    PERSON_MEASURE,
    PERSONS_COMMENT,
    PERSONS_GOAL,
    RELATIVE_MEASURE,
    RELATIVE_NAME,
    STAFF_COMMENT,
    TEXTS,
    full_plan,
    nurse_left_then_goal_added,
    overdue,
    plan_of,
    url,
)
from oppfolging.teams.tests.test_team_support import lidal_person, staged_person

pytestmark = pytest.mark.django_db


def _page(cast, username, person):
    response = cast.client(username).get(url("detail", person))
    assert response.status_code == 200
    return response.content.decode()


def _day(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def test_the_plan_page_shows_every_legal_element(cast):
    person = full_plan(cast)
    html = _page(cast, "fjordvik-koordinator", person)
    with unscoped():
        plan = plan_of(person)
        period = plan.periods.get(number=1)
    # The person's goals, in their own words, and who wrote them.
    assert "Klare meg selv hjemme." in html
    assert PERSONS_GOAL in html
    assert "Med personens egne ord" in html
    assert "Skrevet av: Tjenesteyter (Ingrid Ergoterapeut)" in html
    assert f"Skrevet av: Personen selv ({person.full_name})" in html
    # Resources and needs, how it is carried out and coordinated, the person's wishes.
    for text in TEXTS.values():
        assert text in html
    # Who takes part: the person, the coordinator, the team (with discipline), the relatives.
    assert "Hvem som deltar" in html
    assert "Ingrid Ergoterapeut" in html
    assert "Nina Sykepleier" in html
    assert "Sykepleier</td>" in html
    assert RELATIVE_NAME in html
    assert "samtykke til å involveres" in html
    # What each party contributes: the person, the relatives, each member through their measures.
    assert "Hva hver part bidrar med" in html
    assert f"{person.full_name} selv" in html
    assert f"{RELATIVE_NAME} (pårørende)" in html
    assert PERSON_MEASURE in html
    assert RELATIVE_MEASURE in html
    # The period, its checkpoint, sub-goals and measures with scope, responsible, dates, status.
    assert "Periode 1" in html
    assert _day(period.ends_on) in html
    assert _day(period.evaluation_due_on) in html
    assert "Evaluering senest" in html
    assert "Delmål: Dusje selv." in html
    assert "Trening i dusjen med sykepleier." in html
    assert "To ganger i uken" in html
    assert "Ikke startet" in html
    # Consents in force, links to other plans, comments marked with who wrote them, status.
    assert "Oppstart av planarbeid og individuell plan" in html
    assert "Involvering av pårørende" in html
    assert LINK_TITLE in html
    assert "Rehabiliteringsplan" in html
    assert STAFF_COMMENT in html
    assert PERSONS_COMMENT in html
    assert ">Personen selv</span>" in html
    assert ">Aktiv</span>" in html


def test_overdue_evaluation_and_past_due_measures_stand_out(cast):
    person = planned_person(cast)
    html = _page(cast, "fjordvik-koordinator", person)
    assert "Evalueringen er forfalt" not in html
    assert "Fristen er passert" not in html
    overdue(person)
    html = _page(cast, "fjordvik-koordinator", person)
    assert "Evalueringen er forfalt" in html
    assert "Fristen er passert" in html


def test_a_consented_member_reads_the_plan_but_cannot_change_it(cast):
    person = planned_person(cast)
    html = _page(cast, "fjordvik-team", person)
    assert "Klare meg selv hjemme." in html
    assert url("goal_add", person) not in html
    assert url("details", person) not in html
    assert "Skriv en kommentar" in html  # comments are for every current reader


@pytest.mark.parametrize(
    "username",
    ["fjordvik-fastlege", "utenforstaaende", "fjordvik-ke", "fjordvik-tildeling", "lidal-ke", "per"],
)
def test_everyone_else_gets_404(cast, username):
    """The GP's consent was withdrawn; the outsider, KE, the allocation officer handling the case
    and the other municipality have no part in the plan."""
    person = planned_person(cast)
    assert cast.client(username).get(url("detail", person)).status_code == 404


def test_a_former_member_sees_the_plan_as_it_stood_when_they_left(cast):
    person = nurse_left_then_goal_added(cast)
    html = _page(cast, "fjordvik-team", person)
    assert "Du er ikke lenger med i teamet" in html
    assert "Klare meg selv hjemme." in html
    assert LATER_GOAL not in html
    assert f"/plan/{person.uuid}/mal/" not in html  # nothing to edit
    assert "Skriv en kommentar" not in html
    assert cast.client("fjordvik-team").get(url("comment_add", person)).status_code == 404
    # The coordinator sees today's plan.
    assert LATER_GOAL in _page(cast, "fjordvik-koordinator", person)


def test_a_member_who_left_before_the_plan_sees_none_of_it(cast):
    person = planned_person(cast)
    html = _page(cast, "sykehus", person)
    assert "Planen ble laget etter at du gikk ut av teamet" in html
    assert "Klare meg selv hjemme." not in html


def test_the_read_is_audited(cast):
    person = planned_person(cast)
    _page(cast, "fjordvik-team", person)
    with unscoped():
        event = AuditEvent.objects.filter(what="plan", action="view", person=person).latest("id")
    assert event.actor == cast.users["fjordvik-team"]
    assert event.role == "team_member"
    assert event.object_uuid == plan_of(person).uuid


def test_without_a_plan_the_coordinator_can_start_one(cast):
    person = staged_person(cast)
    html = _page(cast, "fjordvik-koordinator", person)
    assert "har ingen individuell plan ennå" in html
    assert url("create", person) in html
    member = _page(cast, "fjordvik-team", person)
    assert url("create", person) not in member
    assert "Koordinatoren starter planen sammen med personen." in member
    response = cast.client("fjordvik-koordinator").post(url("create", person))
    assert response.status_code == 302
    assert plan_of(person).status == "draft"
    assert cast.client("fjordvik-team").post(url("create", person)).status_code == 404


def test_the_person_and_team_pages_link_to_the_plan(cast):
    person = planned_person(cast)
    link = url("detail", person)
    coordinator = cast.client("fjordvik-koordinator")
    assert link in coordinator.get(reverse("people:detail", args=[person.uuid])).content.decode()
    assert link in coordinator.get(reverse("teams:detail", args=[person.uuid])).content.decode()
    assert (
        link in cast.client("fjordvik-team").get(reverse("teams:detail", args=[person.uuid])).content.decode()
    )
    # KE sees the team (administrative data) but not the plan.
    assert (
        link
        not in cast.client("fjordvik-ke").get(reverse("teams:detail", args=[person.uuid])).content.decode()
    )


def test_the_summary(cast):
    person = planned_person(cast)
    with unscoped():
        summary = plan_summary(person)
        period = plan_of(person).periods.get(number=1)
    assert summary is not None
    assert summary.status == "active"
    assert summary.period_number == 1
    assert summary.next_evaluation == period.evaluation_due_on
    assert not summary.evaluation_overdue
    overdue(person)
    with unscoped():
        assert plan_summary(person).evaluation_overdue  # type: ignore[union-attr]
        assert plan_summary(lidal_person(cast)) is None


def test_the_summary_include_renders(cast):
    from django.template.loader import render_to_string

    person = planned_person(cast)
    with unscoped():
        summary = plan_summary(person)
    html = render_to_string("plans/plan/_summary.html", {"summary": summary, "person": person, "link": True})
    assert "Aktiv" in html
    assert _day(timezone.localdate()) in html
    assert url("detail", person) in html
    assert "Ingen individuell plan." in render_to_string("plans/plan/_summary.html", {"summary": None})
