"""Queries on tenant-owned models fail loudly outside a municipality scope and never cross it."""

from __future__ import annotations

import pytest

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import TenantScopeError, municipality_scope, tenant_kwargs, unscoped
from oppfolging.people.models import Person, Relative

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Person, Relative, AuditEvent])
def test_query_without_scope_raises(model):
    with pytest.raises(TenantScopeError):
        list(model.objects.all())


def test_scope_limits_rows_to_one_municipality(cast):
    fjordvik, lidal = cast.municipalities["fjordvik"], cast.municipalities["lidal"]
    with municipality_scope(fjordvik):
        names = set(Person.objects.values_list("given_name", flat=True))
        assert {"Per", "Aron", "Klara"} <= names
        assert "Sigrid" not in names
        assert not Person.objects.filter(uuid=cast.persons["Sigrid"].uuid).exists()
    with municipality_scope(lidal):
        assert set(Person.objects.values_list("given_name", flat=True)) == {"Sigrid", "Ola"}


def test_empty_scope_sees_nothing():
    with municipality_scope(None):
        assert Person.objects.count() == 0


def test_scopes_nest_and_restore(cast):
    with municipality_scope(cast.municipalities["lidal"]):
        with unscoped():
            assert Person.objects.count() == len(cast.persons)
        assert Person.objects.count() == 2
    with pytest.raises(TenantScopeError):
        Person.objects.count()


def test_tenant_kwargs_need_a_real_scope(cast):
    with municipality_scope(cast.municipalities["lidal"]):
        assert tenant_kwargs(x=1) == {"municipality_id": cast.municipalities["lidal"].pk, "x": 1}
    with unscoped(), pytest.raises(TenantScopeError):
        tenant_kwargs()
