"""Units are created and changed in the administrator's own municipality only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from oppfolging.access.actor import resolve_actor
from oppfolging.administration import services
from oppfolging.administration.tests.conftest import HOME_CARE, HOSPITAL
from oppfolging.audit.models import AuditAction
from oppfolging.core.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _unit_data(**overrides):
    return {
        "name": "Frisklivssentralen Fjordvik",
        "kind": UnitKind.OTHER.value,
        "organisation_number": "987 654 321",
        "is_active": "on",
        **overrides,
    }


def test_admin_creates_a_unit_in_their_own_municipality(cast, audit_mark):
    lidal = cast.municipalities["lidal"]
    new_rows = audit_mark()
    # A smuggled municipality is ignored: the unit is always the administrator's own.
    response = cast.client("fjordvik-admin").post(
        "/administrasjon/enheter/ny/", _unit_data(municipality=str(lidal.pk))
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Frisklivssentralen Fjordvik")
    assert unit.municipality == cast.municipalities["fjordvik"]
    assert (unit.organisation_number, unit.is_active) == ("987654321", True)
    [row] = new_rows()
    assert (row.action, row.what, row.object_uuid, row.municipality) == (
        AuditAction.CREATE,
        "unit",
        unit.uuid,
        cast.municipalities["fjordvik"],
    )
    assert row.actor == cast.users["fjordvik-admin"]
    assert sorted(row.detail["fields"]) == ["is_active", "kind", "name", "organisation_number"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organisation_number": "12345678"}, "organisation_number"),
        ({"name": "hjemmetjenesten fjordvik"}, "name"),
        ({"name": ""}, "name"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_invalid_units_are_refused_on_the_field(cast, audit_mark, overrides, field):
    before = Unit.objects.count()
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post("/administrasjon/enheter/ny/", _unit_data(**overrides))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Unit.objects.count() == before
    assert new_rows() == []


def test_a_name_used_in_another_municipality_is_fine(cast):
    response = cast.client("fjordvik-admin").post("/administrasjon/enheter/ny/", _unit_data(name="NAV Lidal"))
    assert response.status_code == 302
    assert Unit.objects.filter(name="NAV Lidal").count() == 2


def test_admin_edits_a_unit_and_the_changed_fields_are_recorded(cast, units, audit_mark):
    unit = units["Fjordvik skole"]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/enheter/{unit.uuid}/endre/",
        {"name": "Fjordvik barneskole", "kind": UnitKind.SCHOOL.value, "organisation_number": ""},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.is_active) == ("Fjordvik barneskole", False)
    [row] = new_rows()
    assert (row.action, row.what, row.object_uuid) == (AuditAction.UPDATE, "unit", unit.uuid)
    assert row.detail == {"fields": ["is_active", "name"]}


def test_an_edit_that_changes_nothing_writes_nothing(cast, units, audit_mark):
    unit = units[HOME_CARE]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/enheter/{unit.uuid}/endre/",
        {"name": unit.name, "kind": unit.kind, "organisation_number": "", "is_active": "on"},
    )
    assert response.status_code == 302
    assert new_rows() == []


def test_the_administrator_cannot_deactivate_the_unit_their_own_role_is_in(cast, units, audit_mark):
    unit = units["Tildelingskontoret Fjordvik"]
    new_rows = audit_mark()
    response = cast.client("fjordvik-admin").post(
        f"/administrasjon/enheter/{unit.uuid}/endre/",
        {"name": unit.name, "kind": unit.kind, "organisation_number": ""},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["is_active"]
    unit.refresh_from_db()
    assert unit.is_active
    assert new_rows() == []


@pytest.mark.parametrize("unit_name", ["Heimetenesta Lidal", HOSPITAL])
def test_foreign_and_external_units_are_404_and_unchanged(cast, units, audit_mark, unit_name):
    unit = units[unit_name]
    client = cast.client("fjordvik-admin")
    new_rows = audit_mark()
    url = f"/administrasjon/enheter/{unit.uuid}/endre/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Overtatt", "kind": "other", "is_active": "on"}).status_code == 404
    unit.refresh_from_db()
    assert unit.name == unit_name
    assert new_rows() == []
    assert unit_name not in client.get("/administrasjon/enheter/").content.decode()


def test_the_service_refuses_a_foreign_unit_even_without_the_view(cast, units):
    with pytest.raises(PermissionDenied):
        services.unit_update(
            actor=resolve_actor(cast.users["fjordvik-admin"]), unit=units[HOSPITAL], name="Overtatt"
        )


def test_unit_list_shows_own_units_with_edit_links(cast, units):
    body = cast.client("fjordvik-admin").get("/administrasjon/enheter/").content.decode()
    assert f"/administrasjon/enheter/{units[HOME_CARE].uuid}/endre/" in body
    assert "/administrasjon/enheter/ny/" in body
