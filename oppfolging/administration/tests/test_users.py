"""The administrator creates, edits, deactivates users and gives and ends their roles, each
change with exactly its audit row."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from oppfolging.access.actor import resolve_actor
from oppfolging.accounts.models import Membership, Role, User
from oppfolging.administration import services
from oppfolging.administration.tests.conftest import HOME_CARE, HOSPITAL, STRONG_PASSWORD
from oppfolging.audit.models import AuditAction

pytestmark = pytest.mark.django_db


def _create_data(unit, **overrides):
    data = {
        "username": "ny-sykepleier",
        "first_name": "Siri",
        "last_name": "Sykepleier",
        "email": "siri@fjordvik.invalid",
        "title": "Sykepleier",
        "phone": "",
        "unit": str(unit.uuid),
        "role": Role.TEAM_MEMBER.value,
        "password": STRONG_PASSWORD,
        "password_confirm": STRONG_PASSWORD,
    }
    return {**data, **overrides}


def test_admin_creates_a_user_who_can_log_in_with_the_role(cast, units, audit_mark):
    home_care = units[HOME_CARE]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post("/administrasjon/brukere/ny/", _create_data(home_care))
    user = User.objects.get(username="ny-sykepleier")
    assert response.status_code == 302
    assert response["Location"] == f"/administrasjon/brukere/{user.uuid}/"
    assert (user.kind, user.title, user.email) == ("staff", "Sykepleier", "siri@fjordvik.invalid")
    membership = Membership.objects.get(user=user)
    assert (membership.unit, membership.role, membership.is_active) == (home_care, "team_member", True)

    rows = new_rows()
    assert [(r.action, r.what, r.object_uuid) for r in rows] == [
        (AuditAction.CREATE, "user", user.uuid),
        (AuditAction.CREATE, "membership", membership.uuid),
    ]
    admin = cast.users["fjordvik-admin"]
    fjordvik = cast.municipalities["fjordvik"]
    assert all(
        r.actor == admin and r.municipality == fjordvik and r.role == "municipality_admin" for r in rows
    )
    assert "password" in rows[0].detail["fields"]
    assert STRONG_PASSWORD not in json.dumps([r.detail for r in rows])
    assert rows[1].detail == {"user": str(user.uuid), "unit": str(home_care.uuid), "role": "team_member"}

    login = Client().post("/konto/logg-inn/", {"username": "ny-sykepleier", "password": STRONG_PASSWORD})
    assert login.status_code == 302
    actor = resolve_actor(user)
    assert actor.roles == frozenset({Role.TEAM_MEMBER})
    assert actor.municipality == fjordvik


@pytest.mark.parametrize("unit_name", ["Heimetenesta Lidal", HOSPITAL])
def test_a_role_outside_the_own_municipality_is_refused_and_nothing_is_created(
    cast, units, audit_mark, unit_name
):
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        "/administrasjon/brukere/ny/", _create_data(units[unit_name])
    )
    assert response.status_code == 200
    assert "Velg en aktiv enhet i din egen kommune." in response.content.decode()
    assert not User.objects.filter(username="ny-sykepleier").exists()
    assert new_rows() == []


def test_the_service_refuses_another_municipalitys_unit_even_without_the_form(cast, units, audit_mark):
    new_rows = audit_mark()
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            actor=resolve_actor(cast.users["fjordvik-admin"]),
            username="snik",
            first_name="S",
            last_name="Nik",
            email="snik@example.invalid",
            password=STRONG_PASSWORD,
            memberships=[(units["NAV Lidal"], Role.KE_STAFF.value)],
        )
    assert "unit" in refused.value.error_dict
    assert not User.objects.filter(username="snik").exists()
    assert new_rows() == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "123456789012", "password_confirm": "123456789012"}, "password"),
        ({"password": "kort-1", "password_confirm": "kort-1"}, "password"),
        ({"password": "siri-sykepleier", "password_confirm": "siri-sykepleier"}, "password"),
        ({"password_confirm": "noe-annet-helt-42"}, "password_confirm"),
        ({"username": "FJORDVIK-KE"}, "username"),
        ({"username": "fjordvik-ke"}, "username"),
        ({"username": "mellom rom"}, "username"),
        ({"email": "ikke-en-adresse"}, "email"),
        ({"role": "superuser"}, "role"),
    ],
)
def test_invalid_new_users_are_refused_on_the_field(cast, units, audit_mark, overrides, field):
    new_rows = audit_mark()
    before = User.objects.count()
    data = _create_data(units[HOME_CARE], **overrides)
    response = cast.client("fjordvik-admin").post("/administrasjon/brukere/ny/", data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert User.objects.count() == before
    assert new_rows() == []


def test_user_detail_shows_profile_and_roles(cast):
    team = cast.users["fjordvik-team"]
    response = cast.client("fjordvik-admin").get(f"/administrasjon/brukere/{team.uuid}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nina Sykepleier" in body
    assert "Hjemmetjenesten Fjordvik" in body
    assert f"/administrasjon/brukere/{team.uuid}/roller/" in body
    # Only the administrator's own units are offered for a new role.
    assert "Heimetenesta Lidal" not in body
    assert HOSPITAL not in body


def test_profile_edit_records_the_changed_field_names(cast, audit_mark):
    team = cast.users["fjordvik-team"]
    new_rows = audit_mark()
    data = {
        "first_name": team.first_name,
        "last_name": team.last_name,
        "email": team.email,
        "title": "Spesialsykepleier",
        "phone": "40000001",
    }
    response = cast.client("fjordvik-admin").post(f"/administrasjon/brukere/{team.uuid}/endre/", data)
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.title, team.phone) == ("Spesialsykepleier", "40000001")
    [row] = new_rows()
    assert (row.action, row.what, row.object_uuid) == (AuditAction.UPDATE, "user", team.uuid)
    assert row.detail == {"fields": ["phone", "title"]}


def test_an_invalid_profile_edit_changes_nothing(cast, audit_mark):
    team = cast.users["fjordvik-team"]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{team.uuid}/endre/", {"first_name": "", "last_name": "X", "email": "x"}
    )
    assert response.status_code == 200
    team.refresh_from_db()
    assert team.last_name == "Sykepleier"
    assert new_rows() == []


def test_deactivate_and_reactivate(cast, audit_mark):
    team = cast.users["fjordvik-team"]
    admin = cast.client("fjordvik-admin")
    new_rows = audit_mark()
    assert admin.post(f"/administrasjon/brukere/{team.uuid}/status/", {"is_active": "0"}).status_code == 302
    team.refresh_from_db()
    assert not team.is_active
    refused = Client().post("/konto/logg-inn/", {"username": "fjordvik-team", "password": "x"})
    assert refused.status_code == 200
    assert admin.post(f"/administrasjon/brukere/{team.uuid}/status/", {"is_active": "1"}).status_code == 302
    team.refresh_from_db()
    assert team.is_active
    rows = [r for r in new_rows() if r.what == "user"]
    assert [(r.action, r.object_uuid, r.detail) for r in rows] == [
        (AuditAction.UPDATE, team.uuid, {"fields": ["is_active"], "is_active": False}),
        (AuditAction.UPDATE, team.uuid, {"fields": ["is_active"], "is_active": True}),
    ]


def test_a_deactivated_users_session_ends(cast):
    team_client = cast.client("fjordvik-team")
    assert team_client.get("/").status_code == 200
    cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{cast.users['fjordvik-team'].uuid}/status/", {"is_active": "0"}
    )
    assert team_client.get("/").status_code == 302


def test_an_administrator_cannot_deactivate_themselves(cast, audit_mark):
    admin = cast.users["fjordvik-admin"]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{admin.uuid}/status/", {"is_active": "0"}, follow=True
    )
    assert "Du kan ikke deaktivere deg selv." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert new_rows() == []


def test_add_end_and_take_up_a_role_again_keeps_one_row_and_its_history(cast, units, audit_mark):
    team = cast.users["fjordvik-team"]
    ergo = units["Ergoterapitjenesten Fjordvik"]
    client = cast.client("fjordvik-admin")
    add_url = f"/administrasjon/brukere/{team.uuid}/roller/ny/"
    add = {"membership-unit": str(ergo.uuid), "membership-role": Role.COORDINATOR.value}

    new_rows = audit_mark()
    assert client.post(add_url, add).status_code == 302
    membership = Membership.objects.get(user=team, unit=ergo, role=Role.COORDINATOR)
    [created] = new_rows()
    assert (created.action, created.what, created.object_uuid) == (
        AuditAction.CREATE,
        "membership",
        membership.uuid,
    )

    new_rows = audit_mark()
    end_url = f"/administrasjon/brukere/{team.uuid}/roller/{membership.uuid}/avslutt/"
    assert client.post(end_url).status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    [ended] = new_rows()
    assert (ended.action, ended.what, ended.object_uuid) == (
        AuditAction.UPDATE,
        "membership",
        membership.uuid,
    )
    assert ended.detail["fields"] == ["is_active"]
    assert ended.detail["is_active"] is False
    assert Role.COORDINATOR not in resolve_actor(team).roles

    new_rows = audit_mark()
    assert client.post(add_url, add).status_code == 302
    assert Membership.objects.filter(user=team, unit=ergo, role=Role.COORDINATOR).count() == 1
    membership.refresh_from_db()
    assert membership.is_active
    [again] = new_rows()
    assert (again.action, again.detail["is_active"]) == (AuditAction.UPDATE, True)


def test_a_role_already_held_is_refused(cast, units, audit_mark):
    team = cast.users["fjordvik-team"]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{team.uuid}/roller/ny/",
        {"membership-unit": str(units[HOME_CARE].uuid), "membership-role": Role.TEAM_MEMBER.value},
    )
    assert response.status_code == 200
    assert "har allerede denne rollen" in response.content.decode()
    assert new_rows() == []


@pytest.mark.parametrize("unit_name", ["Heimetenesta Lidal", HOSPITAL])
def test_a_role_in_a_foreign_unit_cannot_be_added(cast, units, audit_mark, unit_name):
    team = cast.users["fjordvik-team"]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{team.uuid}/roller/ny/",
        {"membership-unit": str(units[unit_name].uuid), "membership-role": Role.KE_STAFF.value},
    )
    assert response.status_code == 200
    assert "Velg en aktiv enhet i din egen kommune." in response.content.decode()
    assert not Membership.objects.filter(user=team, unit=units[unit_name]).exists()
    assert new_rows() == []


def test_an_administrator_keeps_their_last_administrator_role(cast, audit_mark):
    admin = cast.users["fjordvik-admin"]
    own = Membership.objects.get(user=admin, role=Role.MUNICIPALITY_ADMIN)
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{admin.uuid}/roller/{own.uuid}/avslutt/", follow=True
    )
    assert "siste rolle som kommuneadministrator" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active
    assert new_rows() == []


def test_a_membership_is_only_reached_through_its_own_user(cast, audit_mark):
    """Another user's membership uuid under this user's URL is "missing", even in the same town."""
    team, ke = cast.users["fjordvik-team"], cast.users["fjordvik-ke"]
    kes_role = Membership.objects.get(user=ke)
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/brukere/{team.uuid}/roller/{kes_role.uuid}/avslutt/"
    )
    assert response.status_code == 404
    kes_role.refresh_from_db()
    assert kes_role.is_active
    assert new_rows() == []


def test_user_list_links_own_users_and_filters_by_role_and_unit(cast, units):
    client = cast.client("fjordvik-admin")
    body = client.get("/administrasjon/brukere/").content.decode()
    assert f"/administrasjon/brukere/{cast.users['fjordvik-team'].uuid}/" in body
    assert "/administrasjon/brukere/ny/" in body
    assert "lidal-" not in body
    assert "sykehus" not in body

    leaders = client.get("/administrasjon/brukere/", {"role": Role.LEADER.value}).content.decode()
    assert "Liv Leder" in leaders
    assert "Nina Sykepleier" not in leaders
    in_unit = client.get("/administrasjon/brukere/", {"unit": str(units[HOME_CARE].uuid)}).content.decode()
    assert "Nina Sykepleier" in in_unit
    assert "Liv Leder" in in_unit
    assert "Kari Koordinerende" not in in_unit
    # An unknown filter value is ignored rather than an error.
    assert client.get("/administrasjon/brukere/", {"unit": "x"}).status_code == 200
