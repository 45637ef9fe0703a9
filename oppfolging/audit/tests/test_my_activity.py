from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_staff_see_what_is_logged_about_their_own_actions_only(cast):
    per = cast.persons["Per"]
    cast.client("fjordvik-ke").get(f"/personer/{per.uuid}/")
    cast.client("fjordvik-tildeling").get(f"/personer/{cast.persons['Klara'].uuid}/")
    page = cast.client("fjordvik-ke").get("/min-aktivitet/").content.decode()
    assert "Per Olsen" in page
    assert "Klara Lund" not in page


def test_a_citizen_sees_their_own_logins(cast):
    from oppfolging.core.demo import DEMO_PASSWORD

    client = cast.client(None)
    client.post("/konto/logg-inn/", {"username": "per", "password": DEMO_PASSWORD})
    page = client.get("/min-aktivitet/").content.decode()
    assert "Innlogging" in page
