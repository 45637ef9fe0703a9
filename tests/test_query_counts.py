"""List pages run a fixed number of queries however much data there is: each page is measured
with the demo data and again after adding many more rows, and the counts must be equal."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person, Relative

pytestmark = pytest.mark.django_db


def _grow(cast: Any, start: int, n: int) -> None:
    """n more Olsens in Fjordvik, each with a relative, and n more audit rows about Per."""
    fjordvik = cast.municipalities["fjordvik"]
    with unscoped():
        for i in range(start, start + n):
            birth = datetime.date(1940 + i, 1 + i % 12, 1 + i % 28)
            person = Person.objects.create(
                municipality=fjordvik,
                national_id=make_synthetic(birth, sex=Sex.MALE, serial=i),
                id_kind="fnr",
                id_is_synthetic=True,
                birth_date=birth,
                sex="male",
                given_name=f"Test{i}",
                family_name="Olsen",
            )
            Relative.objects.create(municipality=fjordvik, person=person, kind="next_of_kin", name=f"R{i}")
            audit_record(
                actor=cast.users["fjordvik-ke"],
                action=AuditAction.VIEW,
                what="person",
                person=cast.persons["Per"],
            )


def _count(get: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200
    return len(queries)


PAGES: list[tuple[str, str, Callable[[Any], str], dict[str, str]]] = [
    ("person search", "fjordvik-ke", lambda cast: "/personer/", {"q": "Olsen"}),
    ("KE start page", "fjordvik-ke", lambda cast: "/", {}),
    ("access log", "fjordvik-ke", lambda cast: f"/personer/{cast.persons['Per'].uuid}/tilgangslogg/", {}),
    ("person page", "fjordvik-ke", lambda cast: f"/personer/{cast.persons['Per'].uuid}/", {}),
    ("citizen's page", "per", lambda cast: "/min-side/", {}),
    ("own activity", "fjordvik-ke", lambda cast: "/min-aktivitet/", {}),
    ("API search", "fjordvik-ke", lambda cast: "/api/v1/persons", {"q": "Olsen"}),
]


@pytest.mark.parametrize(("label", "user", "url", "query"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_data(cast, label, user, url, query):
    client = cast.client(user)
    client.get(url(cast), query)  # warm up: session, content types
    _grow(cast, 0, 2)
    small = _count(lambda: client.get(url(cast), query))
    _grow(cast, 2, 25)
    large = _count(lambda: client.get(url(cast), query))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
