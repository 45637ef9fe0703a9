from __future__ import annotations

import pytest

from oppfolging.api.api import api
from oppfolging.api.security import RuleAuth

pytestmark = pytest.mark.django_db


def test_every_operation_declares_a_rule():
    """An operation without its own auth would fall back to the refusing default; this makes the
    omission visible at once rather than as a route that always answers 401."""
    operations = [
        op
        for _prefix, router in api._routers
        for view in router.path_operations.values()
        for op in view.operations
    ]
    assert operations
    for op in operations:
        assert op.auth_callbacks, op.view_func.__name__
        assert all(isinstance(cb, RuleAuth) for cb in op.auth_callbacks), op.view_func.__name__


def test_me_describes_the_actor(cast):
    body = cast.client("fjordvik-ke").get("/api/v1/me").json()
    assert body == {
        "username": "fjordvik-ke",
        "name": "Kari Koordinerende",
        "kind": "staff",
        "roles": ["ke_staff"],
        "municipality": "Fjordvik kommune",
    }


def test_anonymous_gets_401(cast):
    assert cast.client(None).get("/api/v1/me").status_code == 401


def test_person_detail_is_scoped_and_audited(cast):
    from oppfolging.audit.models import AuditEvent
    from oppfolging.core.tenancy import unscoped

    per, sigrid = cast.persons["Per"], cast.persons["Sigrid"]
    client = cast.client("fjordvik-ke")
    response = client.get(f"/api/v1/persons/{per.uuid}")
    assert response.status_code == 200
    assert response.json()["national_id"] == per.national_id
    assert client.get(f"/api/v1/persons/{sigrid.uuid}").status_code == 404
    with unscoped():
        assert AuditEvent.objects.filter(person=per, actor=cast.users["fjordvik-ke"]).exists()
        assert not AuditEvent.objects.filter(person=sigrid).exists()


def test_search_masks_numbers_and_stays_in_the_municipality(cast):
    client = cast.client("fjordvik-tildeling")
    hits = client.get("/api/v1/persons", {"q": "o"}).json()
    names = {hit["name"] for hit in hits}
    assert "Per Olsen" in names
    assert "Ola Dal" not in names
    assert all(hit["masked_id"].endswith("*****") for hit in hits)
    assert cast.client("fjordvik-koordinator").get("/api/v1/persons", {"q": "o"}).status_code == 404


def test_openapi_schema_lists_the_routes(cast):
    schema = cast.client(None).get("/api/v1/openapi.json").json()
    assert {"/api/v1/me", "/api/v1/persons", "/api/v1/persons/{person_uuid}"} <= set(schema["paths"])
