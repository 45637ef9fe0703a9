from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response["Content-Language"]


def test_municipality_default_language_applies_until_the_user_chooses(cast):
    lidal = cast.client("lidal-ke")
    assert _lang(lidal.get("/")) == "nn"
    assert _lang(cast.client("fjordvik-ke").get("/")) == "nb"


def test_the_language_choice_is_remembered_on_the_user(cast):
    client = cast.client("lidal-ke")
    response = client.post("/konto/sprak/", {"language": "en", "next": "/personer/"})
    assert response.status_code == 302
    assert response["Location"] == "/personer/"
    cast.users["lidal-ke"].refresh_from_db()
    assert cast.users["lidal-ke"].preferred_language == "en"
    # a new session (another browser) still gets the choice
    assert _lang(cast.client("lidal-ke").get("/")) == "en"


def test_anonymous_choice_is_kept_in_a_cookie(cast):
    client = cast.client(None)
    client.post("/konto/sprak/", {"language": "nn", "next": "/konto/logg-inn/"})
    assert _lang(client.get("/konto/logg-inn/")) == "nn"


def test_unknown_language_and_foreign_redirects_are_ignored(cast):
    client = cast.client("fjordvik-ke")
    response = client.post("/konto/sprak/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    cast.users["fjordvik-ke"].refresh_from_db()
    assert cast.users["fjordvik-ke"].preferred_language == ""


def test_an_idle_session_ends(cast):
    client = cast.client("fjordvik-ke")
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")


def test_logout_is_a_post_and_audited(cast):
    from oppfolging.audit.models import AuditAction, AuditEvent
    from oppfolging.core.tenancy import unscoped

    client = cast.client("fjordvik-ke")
    assert client.post("/konto/logg-ut/").status_code == 302
    assert client.get("/").status_code == 302
    with unscoped():
        assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=cast.users["fjordvik-ke"]).exists()


def test_real_login_form_logs_in_and_audits(cast):
    from oppfolging.audit.models import AuditAction, AuditEvent
    from oppfolging.core.demo import DEMO_PASSWORD
    from oppfolging.core.tenancy import unscoped

    client = cast.client(None)
    response = client.post("/konto/logg-inn/", {"username": "fjordvik-leder", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    with unscoped():
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("id")
    assert event.actor == cast.users["fjordvik-leder"]
    assert event.role == "leader"
    assert event.municipality == cast.municipalities["fjordvik"]


def test_repeated_failures_lock_the_username_even_for_the_right_password(cast, settings):
    from oppfolging.core.demo import DEMO_PASSWORD

    settings.LOGIN_MAX_FAILURES = 3
    client = cast.client(None)
    for _attempt in range(3):
        client.post("/konto/logg-inn/", {"username": "fjordvik-ke", "password": "guess"})
    response = client.post("/konto/logg-inn/", {"username": "fjordvik-ke", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "For mange mislykkede forsøk" in response.content.decode()
    assert client.get("/").status_code == 302
    # another user is not affected
    other = cast.client(None)
    response = other.post("/konto/logg-inn/", {"username": "fjordvik-leder", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_the_lock_lifts_when_the_window_has_passed(cast, settings):
    from oppfolging.core.demo import DEMO_PASSWORD

    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_LOCKOUT_MINUTES = 0  # failures older than "now" no longer count
    client = cast.client(None)
    for _attempt in range(2):
        client.post("/konto/logg-inn/", {"username": "fjordvik-ke", "password": "guess"})
    response = client.post("/konto/logg-inn/", {"username": "fjordvik-ke", "password": DEMO_PASSWORD})
    assert response.status_code == 302
