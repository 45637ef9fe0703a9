"""The decision list and the catalogue cost the same number of queries however many decisions
and services there are."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.core.tenancy import unscoped
from oppfolging.referrals.catalogue import ensure_default_catalogue
from oppfolging.referrals.models import ServiceDecision, ServiceType

pytestmark = pytest.mark.django_db


def _grow(cast, start: int, n: int) -> None:
    """n more services in Fjordvik's catalogue, and a decision on each for Per."""
    per = cast.persons["Per"]
    with unscoped():
        ensure_default_catalogue(per.municipality)
        for i in range(start, start + n):
            service = ServiceType.objects.create(municipality=per.municipality, name=f"Tjeneste {i}")
            ServiceDecision.objects.create(
                municipality=per.municipality,
                person=per,
                kind="service",
                service_type=service,
                outcome="granted" if i % 2 else "refused",
                decided_on=datetime.date(2026, 1, 1 + i % 28),
                notified_on=datetime.date(2026, 2, 1) if i % 3 else None,
                decided_by=cast.users["fjordvik-tildeling"],
                reason="Begrunnelse",
            )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("decision list", "fjordvik-tildeling", lambda cast: f"/vedtak/person/{cast.persons['Per'].uuid}/"),
    ("decision list, KE", "fjordvik-ke", lambda cast: f"/vedtak/person/{cast.persons['Per'].uuid}/"),
    ("decision form", "fjordvik-tildeling", lambda cast: f"/vedtak/person/{cast.persons['Per'].uuid}/ny/"),
    ("catalogue", "fjordvik-ke", lambda cast: "/vedtak/tjenester/"),
]


@pytest.mark.parametrize(("label", "user", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_decisions_or_services(cast, label, user, url):
    client = cast.client(user)
    _grow(cast, 0, 2)
    client.get(url(cast))  # warm up: session, content types
    small = _count(client, url(cast))
    _grow(cast, 2, 25)
    large = _count(client, url(cast))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
