"""Drafts across a session timeout: what is typed in a long form is kept on the server as the
user's own draft, offered back when the form is opened again, and deleted when the form is
saved. An expired session is sent to the login page (the script keeps the text meanwhile)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.plans.draft_selectors import draft_for
from oppfolging.plans.models import FormDraft
from oppfolging.plans.tests.support import planned_person
from oppfolging.plans.tests.test_plan_support import nurse_left_then_goal_added, plan_of, url

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}
HTMX = {"HTTP_HX_REQUEST": "true"}
COORDINATOR = "fjordvik-koordinator"


def _key(person):
    return f"plan:{plan_of(person).uuid}:details"


def _draft(person, user, key=None):
    with unscoped():
        return draft_for(user, key or _key(person), person)


def _autosave(client, person, needs, base_version=0, key=None):
    data = {
        "_draft_key": key or _key(person),
        "_draft_base_version": str(base_version),
        "details-needs": needs,
        "details-resources": "Nabo.",
        "details-version": str(base_version),
        "csrfmiddlewaretoken": "x",
    }
    return client.post(url("draft", person), data, **AUTOSAVE)


def test_a_draft_is_kept_and_offered_back(cast):
    person = planned_person(cast)
    client = cast.client(COORDINATOR)
    user = cast.users[COORDINATOR]
    assert _autosave(client, person, "Hjelp til å lage middag.").status_code == 204
    assert _autosave(client, person, "Hjelp til å lage middag og handle.").status_code == 204
    draft = _draft(person, user)
    assert draft is not None
    assert draft.data == {"details-needs": "Hjelp til å lage middag og handle.", "details-resources": "Nabo."}
    assert draft.base_version == 0
    with unscoped():  # the first draft of the form is audited, not every keystroke
        assert AuditEvent.objects.filter(what="plan.draft", actor=user, person=person).count() == 1
    # Opening the form again offers it, and using it puts the text back in the form.
    form = client.get(url("details", person)).content.decode()
    assert "Du har et utkast fra" in form
    assert "Bruk utkastet" in form
    used = client.get(url("details", person) + "?utkast=1").content.decode()
    assert "Hjelp til å lage middag og handle." in used
    assert "Utkastet er hentet inn" in used
    # Only the user's own: the member sees no one else's draft (and cannot open the form).
    assert _draft(person, cast.users["fjordvik-team"]) is None


def test_saving_the_form_deletes_the_draft(cast):
    person = planned_person(cast)
    client = cast.client(COORDINATOR)
    _autosave(client, person, "Hjelp til å lage middag.")
    plan = plan_of(person)
    response = client.post(
        url("details", person),
        {"details-version": str(plan.version), "details-needs": "Hjelp til å lage middag."},
        **HTMX,
    )
    assert response.status_code == 200
    assert f'data-draft-clear-key="{_key(person)}"' in response.content.decode()
    assert _draft(person, cast.users[COORDINATOR]) is None
    assert plan_of(person).needs == "Hjelp til å lage middag."
    assert "Du har et utkast fra" not in client.get(url("details", person)).content.decode()


def test_a_refused_save_keeps_the_text_as_a_draft(cast):
    person = planned_person(cast)
    version = plan_of(person).version
    first, second = cast.client(COORDINATOR), cast.client(COORDINATOR)
    first.post(url("details", person), {"details-version": str(version), "details-needs": "Først."})
    second.post(url("details", person), {"details-version": str(version), "details-needs": "Etterpå."})
    draft = _draft(person, cast.users[COORDINATOR])
    assert draft is not None
    assert draft.data["details-needs"] == "Etterpå."
    assert draft.base_version == version


def test_discarding_a_draft(cast):
    person = planned_person(cast)
    client = cast.client(COORDINATOR)
    _autosave(client, person, "Noe.")
    response = client.post(url("draft", person), {"_draft_key": _key(person), "discard": "1"}, **HTMX)
    assert response.status_code == 200
    assert response.content == b""
    assert _draft(person, cast.users[COORDINATOR]) is None
    # Without script: back to where the user was, with a message.
    _autosave(client, person, "Noe igjen.")
    back = url("details", person)
    response = client.post(url("draft", person), {"_draft_key": _key(person), "discard": "1", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    response = client.post(
        url("draft", person), {"_draft_key": _key(person), "discard": "1", "next": "https://example.com/"}
    )
    assert response["Location"] == url("detail", person)


def test_save_as_draft_without_script(cast):
    person = planned_person(cast)
    response = cast.client(COORDINATOR).post(
        url("draft", person),
        {
            "_draft_key": _key(person),
            "_draft_base_version": "0",
            "details-coordination": "Ukentlige telefonmøter.",
            "next": url("details", person),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("details", person)
    assert _draft(person, cast.users[COORDINATOR]).data == {"details-coordination": "Ukentlige telefonmøter."}


def test_an_expired_session_is_sent_to_the_login_page(cast):
    person = planned_person(cast)
    response = _autosave(cast.client(None), person, "Skrevet etter at økten gikk ut.")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    with unscoped():
        assert not FormDraft.objects.filter(person=person).exists()


def test_drafts_are_for_current_readers_and_well_formed_keys(cast):
    person = nurse_left_then_goal_added(cast)
    assert _autosave(cast.client("fjordvik-team"), person, "Noe.").status_code == 404  # a former member
    assert _autosave(cast.client("utenforstaaende"), person, "Noe.").status_code == 404
    client = cast.client(COORDINATOR)
    assert _autosave(client, person, "Noe.", key="../../etc").status_code == 400
    assert _autosave(client, person, "x" * 20_001).status_code == 413
    # Any form can keep a draft under its own key (an evaluation, minutes).
    assert _autosave(client, person, "Referat.", key="meeting:1b2c:minutes").status_code == 204
    assert _draft(person, cast.users[COORDINATOR], "meeting:1b2c:minutes") is not None


def test_the_details_form_is_marked_for_the_draft_script(cast):
    person = planned_person(cast)
    html = cast.client(COORDINATOR).get(url("details", person)).content.decode()
    assert f'data-draft-key="{_key(person)}"' in html
    assert f'data-draft-url="{url("draft", person)}"' in html
    assert f'data-base-version="{plan_of(person).version}"' in html
    assert "Lagre som utkast" in html
