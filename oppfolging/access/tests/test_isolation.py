"""A user of one municipality has no way, by URL, form or search, to another's persons."""

from __future__ import annotations

import pytest

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import unscoped

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["fjordvik-ke", "fjordvik-tildeling"])
def test_intake_staff_open_own_persons_but_not_the_other_municipality(cast, username):
    client = cast.client(username)
    own, other = cast.persons["Per"], cast.persons["Sigrid"]
    assert client.get(f"/personer/{own.uuid}/").status_code == 200
    assert client.get(f"/personer/{other.uuid}/").status_code == 404
    assert client.get(f"/personer/{other.uuid}/endre/").status_code == 404
    assert client.post(f"/personer/{other.uuid}/endre/", {"given_name": "X"}).status_code == 404
    assert (
        client.post(f"/personer/{other.uuid}/parorende/ny/", {"kind": "next_of_kin", "name": "X"}).status_code
        == 404
    )


def test_search_never_finds_the_other_municipalitys_persons(cast):
    client = cast.client("fjordvik-ke")
    sigrid = cast.persons["Sigrid"]
    by_name = client.get("/personer/", {"q": "Sigrid"})
    by_number = client.get("/personer/", {"q": sigrid.national_id})
    assert sigrid.full_name not in by_name.content.decode()
    assert sigrid.full_name not in by_number.content.decode()
    per = cast.persons["Per"]
    assert per.full_name in client.get("/personer/", {"q": "Per Olsen"}).content.decode()


def test_every_person_page_read_is_audited_with_role(cast):
    per = cast.persons["Per"]
    cast.client("fjordvik-ke").get(f"/personer/{per.uuid}/")
    with unscoped():
        event = AuditEvent.objects.filter(person=per, action=AuditAction.VIEW).latest("id")
    assert event.actor == cast.users["fjordvik-ke"]
    assert event.role == "ke_staff"
    assert event.what == "person.identity"
    assert event.municipality_id == per.municipality_id


def test_a_refused_read_writes_no_audit_row_about_the_person(cast):
    sigrid = cast.persons["Sigrid"]
    cast.client("fjordvik-ke").get(f"/personer/{sigrid.uuid}/")
    with unscoped():
        assert not AuditEvent.objects.filter(person=sigrid).exists()
