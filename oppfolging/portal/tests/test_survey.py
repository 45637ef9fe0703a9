"""The experienced-quality survey in the person's own view: the person (or a guardian, or a
relative the person has consented to involve) answers six questions 1-5; the answer is stored
with its audit row; a value off the scale is refused with nothing stored; a relative without
consent, and staff, get 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.function.models import SURVEY_FIELDS, SURVEY_QUESTIONS, ExperienceSurvey
from oppfolging.portal.forms import DONT_KNOW
from oppfolging.portal.tests.support import planned_aron, planned_per, relative_user

pytestmark = pytest.mark.django_db

FULL = {
    "decisions": "4",
    "coordinator": "5",
    "together": "3",
    "information": "2",
    "listened_to": "5",
    "benefit": "4",
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _surveys(person) -> list[ExperienceSurvey]:
    with unscoped():
        return list(ExperienceSurvey.objects.filter(person=person).order_by("id"))


def test_the_persons_page_links_to_the_survey_and_the_survey_asks_six_questions(cast):
    per = planned_per(cast)
    client = cast.client("per")
    url = reverse("portal:survey", args=[per.uuid])
    page = client.get(reverse("portal:person", args=[per.uuid])).content.decode()
    assert "Hvordan opplever du oppfølgingen?" in _text(page)
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for name, text in SURVEY_QUESTIONS:
        assert str(text) in html
        assert f'name="{name}"' in html
    # One fieldset with a legend per question, the ends of the scale in words, nothing chosen yet.
    assert html.count("<fieldset") == len(SURVEY_QUESTIONS)
    assert html.count("<legend") == len(SURVEY_QUESTIONS)
    assert "helt uenig" in html
    assert "helt enig" in html
    assert " checked" not in html
    assert "csrfmiddlewaretoken" in html


def test_per_answers_and_the_answer_is_stored_as_his_with_an_audit_row(cast):
    per = planned_per(cast)
    client = cast.client("per")
    url = reverse("portal:survey", args=[per.uuid])
    response = client.post(url, {**FULL, "benefit": DONT_KNOW, "comment": "  Fint å ha én å ringe.  "})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:person", args=[per.uuid])
    [survey] = _surveys(per)
    assert [getattr(survey, name) for name in SURVEY_FIELDS] == [4, 5, 3, 2, 5, None]
    assert survey.entered_by_kind == "person"
    assert survey.entered_by == cast.users["per"]
    assert survey.comment == "Fint å ha én å ringe."
    with unscoped():
        event = AuditEvent.objects.get(person=per, what="function.survey")
    assert (event.action, event.role, event.object_uuid) == ("create", "self", survey.uuid)
    assert "Svarene dine er lagret" in _text(client.get(response["Location"]).content.decode())
    # A question left out counts as «Vet ikke»; answering again is a new row.
    assert client.post(url, {"benefit": "5"}).status_code == 302
    latest = _surveys(per)[-1]
    assert [getattr(latest, name) for name in SURVEY_FIELDS] == [None] * 5 + [5]


@pytest.mark.parametrize("value", ["6", "0", "-1", "fire", "4.5"])
def test_a_value_off_the_scale_is_refused_and_nothing_is_stored(cast, value):
    per = planned_per(cast)
    client = cast.client("per")
    response = client.post(reverse("portal:survey", args=[per.uuid]), {**FULL, "together": value})
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Rett opp dette før du går videre" in text
    assert "Velg et tall fra 1 til 5, eller «Vet ikke»." in text
    # What was chosen is still chosen.
    assert 'value="4" id="id_decisions_3" checked' in response.content.decode()
    assert _surveys(per) == []
    with unscoped():
        assert not AuditEvent.objects.filter(person=per, what="function.survey").exists()


def test_an_empty_form_is_refused(cast):
    per = planned_per(cast)
    response = cast.client("per").post(reverse("portal:survey", args=[per.uuid]), {"benefit": DONT_KNOW})
    assert response.status_code == 200
    assert "Svar på minst ett av spørsmålene før du sender." in _text(response.content.decode())
    assert _surveys(per) == []


def test_a_consented_relative_answers_for_per_and_it_is_marked_as_a_relatives(cast):
    per = planned_per(cast)
    daughter = relative_user(cast, per, consented=True)
    client = _client_for(daughter)
    url = reverse("portal:survey", args=[per.uuid])
    text = _text(client.get(url).content.decode())
    assert "Hvordan opplever Per oppfølgingen?" in text
    assert "slik du tror Per opplever det" in text
    assert client.post(url, FULL).status_code == 302
    [survey] = _surveys(per)
    assert (survey.entered_by_kind, survey.entered_by) == ("relative", daughter)
    with unscoped():
        assert AuditEvent.objects.get(person=per, what="function.survey").role == "relative"


def test_a_relative_without_consent_gets_404_and_nothing_is_stored(cast):
    per = planned_per(cast)
    client = _client_for(relative_user(cast, per, consented=False))
    url = reverse("portal:survey", args=[per.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, FULL).status_code == 404
    assert _surveys(per) == []


def test_the_guardian_answers_for_aron_and_per_cannot_answer_for_aron(cast):
    aron = planned_aron(cast)
    url = reverse("portal:survey", args=[aron.uuid])
    assert cast.client("per").post(url, FULL).status_code == 404
    assert cast.client("aron-mor").post(url, FULL).status_code == 302
    [survey] = _surveys(aron)
    assert survey.entered_by_kind == "relative"


def test_staff_cannot_answer_for_the_person(cast):
    per = planned_per(cast)
    url = reverse("portal:survey", args=[per.uuid])
    for username in ("fjordvik-koordinator", "fjordvik-ke"):
        assert cast.client(username).post(url, FULL).status_code == 404
    assert _surveys(per) == []
