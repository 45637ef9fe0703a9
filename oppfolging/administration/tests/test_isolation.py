"""An administrator manages their own municipality and nothing else: not the other municipality,
not external or shared users, not platform operators. Every other role gets 404 on every page."""

from __future__ import annotations

import pytest
from django.test import Client

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.administration.tests.conftest import HOME_CARE, HOSPITAL
from oppfolging.core.models import Unit

pytestmark = pytest.mark.django_db

NOT_ADMINS = [
    "fjordvik-ke",
    "fjordvik-tildeling",
    "fjordvik-koordinator",
    "fjordvik-team",
    "fjordvik-fastlege",
    "fjordvik-leder",
    "lidal-leder",
    "sykehus",
    "utenforstaaende",
    "per",
    "aron-mor",
]


def _user_urls(user: User, membership: Membership) -> list[tuple[str, str, dict[str, str]]]:
    base = f"/administrasjon/brukere/{user.uuid}/"
    return [
        ("get", base, {}),
        ("post", f"{base}endre/", {"first_name": "X", "last_name": "Y", "email": "x@y.invalid"}),
        ("post", f"{base}status/", {"is_active": "0"}),
        ("post", f"{base}roller/ny/", {"membership-role": "ke_staff"}),
        ("post", f"{base}roller/{membership.uuid}/avslutt/", {}),
    ]


def _every_url(cast, units) -> list[tuple[str, str, dict[str, str]]]:
    team = cast.users["fjordvik-team"]
    unit = units[HOME_CARE]
    return [
        ("get", "/administrasjon/brukere/", {}),
        ("get", "/administrasjon/brukere/ny/", {}),
        ("post", "/administrasjon/brukere/ny/", {"username": "x"}),
        *_user_urls(team, Membership.objects.get(user=team)),
        ("get", "/administrasjon/enheter/", {}),
        ("get", "/administrasjon/enheter/ny/", {}),
        ("post", "/administrasjon/enheter/ny/", {"name": "X", "kind": "other"}),
        ("get", f"/administrasjon/enheter/{unit.uuid}/endre/", {}),
        ("post", f"/administrasjon/enheter/{unit.uuid}/endre/", {"name": "X", "kind": "other"}),
    ]


def _snapshot():
    """Everything an administrator could change, to compare before and after."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "first_name", "last_name", "email", "is_active")),
        list(Membership.objects.order_by("pk").values_list("pk", "role", "is_active")),
        list(Unit.objects.order_by("pk").values_list("pk", "name", "kind", "is_active")),
    )


@pytest.mark.parametrize("username", NOT_ADMINS)
def test_every_administration_url_is_404_for_other_roles(cast, units, audit_mark, username):
    client = cast.client(username)
    before = _snapshot()
    new_rows = audit_mark()
    for method, url, data in _every_url(cast, units):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert _snapshot() == before
    assert new_rows() == []


def test_anonymous_visitors_are_sent_to_log_in(cast, units):
    for method, url, data in _every_url(cast, units):
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/konto/logg-inn/")


def _assert_unmanageable(cast, user: User, audit_mark) -> None:
    membership = Membership.objects.filter(user=user).first()
    client = cast.client("fjordvik-admin")
    before = _snapshot()
    new_rows = audit_mark()
    for method, url, data in _user_urls(user, membership or Membership(user=user)):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert _snapshot() == before
    assert new_rows() == []


@pytest.mark.parametrize("username", ["lidal-team", "lidal-admin", "sykehus", "utenforstaaende", "per"])
def test_users_of_other_municipalities_external_users_and_citizens_are_404(cast, audit_mark, username):
    _assert_unmanageable(cast, cast.users[username], audit_mark)


@pytest.mark.parametrize("other_unit", ["Heimetenesta Lidal", HOSPITAL])
def test_a_user_shared_with_another_municipality_or_an_external_unit_is_404(
    cast, units, audit_mark, other_unit
):
    """They are the platform operator's to manage: a change here would change them there."""
    team = cast.users["fjordvik-team"]
    Membership.objects.create(user=team, unit=units[other_unit], role=Role.TEAM_MEMBER, is_active=False)
    _assert_unmanageable(cast, team, audit_mark)
    listing = cast.client("fjordvik-admin").get("/administrasjon/brukere/").content.decode()
    assert "Nina Sykepleier" in listing
    assert f"/administrasjon/brukere/{team.uuid}/" not in listing


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_platform_operators_are_404_even_with_a_role_in_the_municipality(cast, units, audit_mark, flag):
    operator = User.objects.create_user(username="drift", first_name="Drift", last_name="Operatør")
    setattr(operator, flag, True)
    operator.save()
    Membership.objects.create(user=operator, unit=units[HOME_CARE], role=Role.TEAM_MEMBER)
    _assert_unmanageable(cast, operator, audit_mark)


def test_a_role_for_a_lidal_user_cannot_be_ended_through_a_fjordvik_url(cast, audit_mark):
    team, lidal_team = cast.users["fjordvik-team"], cast.users["lidal-team"]
    lidal_role = Membership.objects.get(user=lidal_team)
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{team.uuid}/roller/{lidal_role.uuid}/avslutt/"
    )
    assert response.status_code == 404
    lidal_role.refresh_from_db()
    assert lidal_role.is_active
    assert new_rows() == []


def test_the_lidal_administrator_does_not_see_fjordvik(cast):
    client = cast.client("lidal-admin")
    users = client.get("/administrasjon/brukere/").content.decode()
    units = client.get("/administrasjon/enheter/").content.decode()
    assert "Rune Sæbø" in users  # Lidal's own administrator
    assert "Arne Admin" not in users  # Fjordvik's
    assert "fjordvik-" not in users
    assert "Fjordvik" not in units
    assert HOSPITAL not in units
    assert client.get(f"/administrasjon/brukere/{cast.users['fjordvik-team'].uuid}/").status_code == 404


def test_a_malformed_or_unknown_uuid_is_404(cast):
    client = cast.client("fjordvik-admin")
    assert client.get("/administrasjon/brukere/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/administrasjon/brukere/123/").status_code == 404
