"""The person's own view: what the person, a guardian and a consented relative see, what they
can write (marked as theirs), and that a relative without consent sees nothing — on the page and
on every action."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.function.models import FunctionActivity, FunctionMeasurement
from oppfolging.meetings.models import MeetingChangeRequest
from oppfolging.people.models import Person
from oppfolging.plans.models import Goal, PlanComment
from oppfolging.portal.tests.support import (
    COORDINATOR_PHONE,
    MEASURE_DUE_IN_DAYS,
    planned_aron,
    planned_per,
    relative_user,
    with_plan,
)
from oppfolging.portal.text import plain_date

pytestmark = pytest.mark.django_db

ACTIONS = ["portal:comment", "portal:goal", "portal:psfs", "portal:meeting_change"]


def _page(client: Client, person: Person) -> str:
    response = client.get(reverse("portal:person", args=[person.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    """The page's words, without tags and with single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_per_sees_his_plan_goals_team_next_meeting_and_access_log(cast):
    per = planned_per(cast)
    html = _page(cast.client("per"), per)
    text = _text(html)
    assert "Planen din" in text
    assert "Dette er målene dine" in text
    assert "Klare meg selv hjemme." in text
    due = plain_date(timezone.localdate() + datetime.timedelta(days=MEASURE_DUE_IN_DAYS))
    assert f"Nina Sykepleier: Trening i dusjen, to ganger i uken, til {due}" in text
    # The team: the coordinator with her unit and how to reach her, and the other members.
    assert "Koordinator" in text
    assert "Ingrid Ergoterapeut" in text
    assert "Ergoterapitjenesten Fjordvik" in text
    assert 'href="tel:91700001"' in html
    assert f"Ring {COORDINATOR_PHONE}" in text
    assert 'href="mailto:fjordvik-koordinator@demo.invalid"' in html
    assert "Hjemmetjenesten Fjordvik" in text
    # The next meeting: kind, place, items and who comes.
    assert "Neste møte" in text
    assert "Oppstartsmøte" in text
    assert "Fjordvik helsehus, møterom 2" in text
    assert "Hvordan går treningen i dusjen?" in text
    assert "Per Olsen (personen selv)" in text
    # Who has looked at the case: the coordinator who wrote the plan.
    assert "Hvem har sett saken din" in text
    assert "Ingrid Ergoterapeut (koordinator)" in text
    assert reverse("people:access_log", args=[per.uuid]) in html


def test_opening_the_page_is_a_view_in_the_persons_own_access_log(cast):
    per = planned_per(cast)
    _page(cast.client("per"), per)
    with unscoped():
        row = AuditEvent.objects.filter(person=per, what="plan", action="view").latest("id")
    assert (row.role, row.actor) == ("self", cast.users["per"])
    aron = planned_aron(cast)
    _page(cast.client("aron-mor"), aron)
    with unscoped():
        row = AuditEvent.objects.filter(person=aron, what="plan", action="view").latest("id")
    assert row.role == "guardian"


def test_arons_mother_as_guardian_sees_arons_page(cast):
    aron = planned_aron(cast)
    text = _text(_page(cast.client("aron-mor"), aron))
    assert "Planen til Aron Nilsen" in text
    assert "Dette er målene til Aron" in text
    assert "Aron skal trives på skolen." in text
    assert "Hvem har sett saken til Aron" in text  # guardians see the log
    home = cast.client("aron-mor").get(reverse("portal:home")).content.decode()
    assert reverse("portal:person", args=[aron.uuid]) in home


def test_a_relative_without_consent_gets_404_on_the_page_and_on_every_action(cast):
    per = planned_per(cast)
    daughter = _client_for(relative_user(cast, per, consented=False))
    assert daughter.get(reverse("portal:person", args=[per.uuid])).status_code == 404
    for name in ACTIONS:
        response = daughter.post(reverse(name, args=[per.uuid]), {"text": "Hei"})
        assert response.status_code == 404, name
    with unscoped():
        assert not PlanComment.objects.filter(plan__person=per).exists()
        assert Goal.objects.filter(plan__person=per).count() == 1
        assert not MeetingChangeRequest.objects.filter(meeting__person=per).exists()
        assert not FunctionMeasurement.objects.filter(person=per).exists()
    # Aron's mother is nobody's relative here, and Per nobody's guardian.
    aron = planned_aron(cast)
    assert cast.client("aron-mor").get(reverse("portal:person", args=[per.uuid])).status_code == 404
    assert cast.client("per").get(reverse("portal:person", args=[aron.uuid])).status_code == 404
    for name in ACTIONS:
        assert cast.client("per").post(reverse(name, args=[aron.uuid]), {"text": "x"}).status_code == 404


def test_a_consented_relative_sees_the_plan_but_not_the_access_log(cast):
    per = planned_per(cast)
    daughter = _client_for(relative_user(cast, per, consented=True))
    text = _text(_page(daughter, per))
    assert "Planen til Per Olsen" in text
    assert "Klare meg selv hjemme." in text
    assert "Hvem har sett saken" not in text
    with unscoped():
        assert AuditEvent.objects.filter(person=per, what="plan", role="relative").exists()


def test_staff_never_reach_the_portal_page(cast):
    per = planned_per(cast)
    for username in ("fjordvik-koordinator", "fjordvik-ke", "fjordvik-team"):
        assert cast.client(username).get(reverse("portal:person", args=[per.uuid])).status_code == 404


def test_a_comment_from_the_portal_is_marked_as_the_persons(cast):
    per = planned_per(cast)
    client = cast.client("per")
    response = client.post(reverse("portal:comment", args=[per.uuid]), {"text": "Dusjen går bedre nå."})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:person", args=[per.uuid])
    with unscoped():
        comment = PlanComment.objects.get(plan__person=per)
    assert (comment.author_kind, comment.author) == ("person", cast.users["per"])
    page = client.get(response["Location"])
    text = _text(page.content.decode())
    assert "Kommentaren din er lagret" in text
    assert "Dusjen går bedre nå. Skrevet av deg" in text
    # The coordinator's view of who wrote it: the person, by name.
    daughter = _client_for(relative_user(cast, per, consented=True))
    assert "Skrevet av Per Olsen" in _text(_page(daughter, per))


def test_a_goal_from_the_portal_is_the_persons_own(cast):
    per = planned_per(cast)
    client = cast.client("per")
    response = client.post(reverse("portal:goal", args=[per.uuid]), {"text": "Gå tur med hunden selv."})
    assert response.status_code == 302
    with unscoped():
        goal = Goal.objects.get(plan__person=per, text="Gå tur med hunden selv.")
    assert (goal.author_kind, goal.in_own_words, goal.author) == ("person", True, cast.users["per"])
    text = _text(client.get(response["Location"]).content.decode())
    assert "Gå tur med hunden selv. Skrevet av deg" in text
    # A goal the guardian writes is marked as the relative's.
    aron = planned_aron(cast)
    cast.client("aron-mor").post(reverse("portal:goal", args=[aron.uuid]), {"text": "Sove hele natten."})
    with unscoped():
        assert Goal.objects.get(plan__person=aron, text="Sove hele natten.").author_kind == "relative"


def test_an_empty_form_comes_back_with_an_error_and_nothing_saved(cast):
    per = planned_per(cast)
    response = cast.client("per").post(reverse("portal:comment", args=[per.uuid]), {"text": "   "})
    assert response.status_code == 200
    assert "Skriv kommentaren din før du sender." in response.content.decode()
    long_text = "x" * 5000
    response = cast.client("per").post(reverse("portal:goal", args=[per.uuid]), {"text": long_text})
    assert response.status_code == 200
    assert long_text in response.content.decode()  # what they wrote is not lost
    with unscoped():
        assert not PlanComment.objects.filter(plan__person=per).exists()
        assert Goal.objects.filter(plan__person=per).count() == 1


def test_writing_needs_an_open_plan(cast):
    per = cast.persons["Per"]  # no plan yet
    client = cast.client("per")
    text = _text(_page(client, per))
    assert "Du har ingen individuell plan ennå." in text
    assert "Skriv til teamet" not in text
    response = client.post(reverse("portal:comment", args=[per.uuid]), {"text": "Hei"})
    assert response.status_code == 302
    assert "Det er ingen åpen plan" in _text(client.get(response["Location"]).content.decode())


def test_per_names_what_matters_and_scores_it_then_follows_up(cast):
    per = planned_per(cast)
    client = cast.client("per")
    url = reverse("portal:psfs", args=[per.uuid])
    assert "Skriv hva som er viktig for deg" in _text(_page(client, per))
    # A name without a score, and a score without a name, come back with the text kept.
    response = client.post(url, {"text_1": "Gå i butikken", "text_2": "", "score_2": "4"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Velg et tall fra 0 til 10." in html
    assert "Skriv hva aktiviteten er." in html
    assert 'value="Gå i butikken"' in html
    response = client.post(
        url,
        {
            "text_1": "Gå i butikken",
            "score_1": "2",
            "text_2": "Dusje selv",
            "score_2": "3",
            "text_3": "Lage mat",
            "score_3": "4",
        },
    )
    assert response.status_code == 302
    with unscoped():
        measurement = FunctionMeasurement.objects.get(person=per)
        activities = list(FunctionActivity.objects.filter(person=per).order_by("order"))
    assert (measurement.occasion, measurement.entered_by_kind) == ("baseline", "person")
    assert [a.text for a in activities] == ["Gå i butikken", "Dusje selv", "Lage mat"]
    # Next time: the same activities, scored again.
    page = _page(client, per)
    assert "Hvordan går det nå?" in _text(page)
    scores = dict(zip((f"score_{a.uuid}" for a in activities), ("5", "5", "4"), strict=True))
    response = client.post(url, {**scores, "note": "Bedre etter treningen."})
    assert response.status_code == 302
    with unscoped():
        latest = FunctionMeasurement.objects.filter(person=per).latest("id")
    assert (latest.occasion, latest.entered_by_kind, latest.note) == (
        "follow_up",
        "person",
        "Bedre etter treningen.",
    )
    text = _text(client.get(response["Location"]).content.decode())
    assert "Svarene dine er lagret" in text
    assert "Endring fra utgangspunktet" in text
    assert "+1,67" in text
    assert "Reell endring: bedre" in text
    assert "fylt ut av personen selv" in text
    html = client.get(reverse("portal:person", args=[per.uuid])).content.decode()
    assert 'role="img"' in html
    assert "<caption" in html


def test_a_score_outside_the_scale_is_refused(cast):
    per = planned_per(cast)
    client = cast.client("per")
    url = reverse("portal:psfs", args=[per.uuid])
    response = client.post(url, {"text_1": "Gå i butikken", "score_1": "11"})
    assert response.status_code == 200
    with unscoped():
        assert not FunctionMeasurement.objects.filter(person=per).exists()


def test_per_asks_to_change_the_next_meeting(cast):
    per = planned_per(cast)
    client = cast.client("per")
    with unscoped():
        meeting = per.meetings.get()
    response = client.post(
        reverse("portal:meeting_change", args=[per.uuid]),
        {"meeting": str(meeting.uuid), "text": "Kan vi møtes hjemme hos meg?"},
    )
    assert response.status_code == 302
    with unscoped():
        request = MeetingChangeRequest.objects.get(meeting=meeting)
    assert (request.author_kind, request.author) == ("person", cast.users["per"])
    text = _text(client.get(response["Location"]).content.decode())
    assert "Kan vi møtes hjemme hos meg?" in text
    assert "koordinatoren har ikke svart ennå" in text
    # Someone else's meeting is not Per's to change.
    aron = planned_aron(cast)
    from oppfolging.portal.tests.support import with_meeting

    arons = with_meeting(cast, aron)
    response = client.post(
        reverse("portal:meeting_change", args=[per.uuid]), {"meeting": str(arons.uuid), "text": "Flytt"}
    )
    assert response.status_code == 404


def test_a_nynorsk_person_gets_the_page_in_nynorsk(cast):
    per = planned_per(cast)
    with unscoped():
        Person.objects.filter(pk=per.pk).update(preferred_language="nn")
    assert '<html lang="nn"' in _page(cast.client("per"), per)
    # A language the user chose themself wins.
    user = cast.users["per"]
    user.preferred_language = "nb"
    user.save(update_fields=["preferred_language"])
    assert '<html lang="nb"' in _page(cast.client("per"), per)


def test_the_home_page_links_to_the_persons_page(cast):
    per = planned_per(cast)
    home = cast.client("per").get(reverse("portal:home")).content.decode()
    assert reverse("portal:person", args=[per.uuid]) in home
    daughter = _client_for(relative_user(cast, per, consented=True))
    home = daughter.get(reverse("portal:home")).content.decode()
    assert reverse("portal:person", args=[per.uuid]) in home
    assert reverse("people:access_log", args=[per.uuid]) not in home  # not for a relative


def test_a_closed_plan_is_read_only(cast):
    per = planned_per(cast)
    plan = with_plan(cast, per)
    from oppfolging.plans import services
    from oppfolging.portal.tests.support import coordinator_access

    who, access = coordinator_access(cast, per)
    with unscoped():
        services.plan_close(actor=who, access=access, plan=plan, reason="goals_reached")
    text = _text(_page(cast.client("per"), per))
    assert "Avsluttet" in text
    assert "Skriv et nytt mål" not in text


def test_sending_the_first_answers_twice_saves_them_once(cast):
    per = planned_per(cast)
    client = cast.client("per")
    url = reverse("portal:psfs", args=[per.uuid])
    data = {"text_1": "Gå i butikken", "score_1": "2"}
    assert client.post(url, data).status_code == 302
    # The second time the activities exist: the page asks for today's scores instead.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Hvordan går det nå?" in _text(response.content.decode())
    with unscoped():
        assert FunctionMeasurement.objects.filter(person=per).count() == 1
        assert FunctionActivity.objects.filter(person=per).count() == 1
