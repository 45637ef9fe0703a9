from __future__ import annotations

import pytest

from oppfolging.access.actor import resolve_actor
from oppfolging.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.urls("oppfolging.access.tests.urls_undeclared")
@pytest.mark.parametrize("user", [None, "fjordvik-ke", "per"])
def test_a_view_without_a_declared_rule_refuses_to_run(cast, user, caplog):
    client = cast.client(user)
    response = client.get("/undeclared/")
    assert response.status_code == 403
    assert b"never be served" not in response.content
    assert "declares no access rule" in caplog.text
    assert client.get("/declared/").status_code == 200


def test_actor_roles_are_those_of_the_own_municipality(cast):
    actor = resolve_actor(cast.users["fjordvik-leder"])
    assert actor.municipality == cast.municipalities["fjordvik"]
    assert actor.roles == frozenset({Role.LEADER})
    assert {u.name for u in actor.units_with_role(Role.LEADER)} == {
        "Hjemmetjenesten Fjordvik",
        "Ergoterapitjenesten Fjordvik",
    }


def test_external_staff_act_in_no_municipality(cast):
    actor = resolve_actor(cast.users["sykehus"])
    assert actor.is_external
    assert actor.municipality is None
    assert actor.roles == frozenset()


def test_an_inactive_membership_gives_no_role(cast):
    membership = cast.users["fjordvik-ke"].memberships.get()
    membership.is_active = False
    membership.save()
    actor = resolve_actor(cast.users["fjordvik-ke"])
    assert actor.roles == frozenset()
    assert cast.client("fjordvik-ke").get("/personer/").status_code == 404


def test_a_deactivated_user_is_anonymous(cast):
    user = cast.users["fjordvik-ke"]
    user.is_active = False
    user.save()
    assert not resolve_actor(user).is_authenticated
