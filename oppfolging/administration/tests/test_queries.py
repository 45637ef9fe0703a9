"""The lists cost the same number of queries whether the municipality has 3 users or 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppfolging.accounts.models import Membership, Role
from oppfolging.administration.tests.conftest import HOME_CARE, make_staff
from oppfolging.core.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/administrasjon/brukere/", "/administrasjon/brukere/?role=team_member"])
def test_user_list_queries_do_not_grow_with_users(cast, units, url):
    client = cast.client("fjordvik-admin")
    make_staff(units[HOME_CARE], 3, prefix="first")
    few = _queries(client, url)
    make_staff(units["Ergoterapitjenesten Fjordvik"], 17, prefix="more")
    assert _queries(client, url) == few


def test_unit_list_queries_do_not_grow_with_units(cast):
    client = cast.client("fjordvik-admin")
    fjordvik = cast.municipalities["fjordvik"]

    def add_units(count: int, prefix: str) -> None:
        for index in range(count):
            unit = Unit.objects.create(municipality=fjordvik, name=f"{prefix} {index}", kind=UnitKind.OTHER)
            make_staff(unit, 2, prefix=prefix)

    add_units(3, "Første")
    few = _queries(client, "/administrasjon/enheter/")
    add_units(17, "Flere")
    assert _queries(client, "/administrasjon/enheter/") == few


def test_user_detail_queries_do_not_grow_with_roles(cast, units):
    client = cast.client("fjordvik-admin")
    team = cast.users["fjordvik-team"]
    url = f"/administrasjon/brukere/{team.uuid}/"
    few = _queries(client, url)
    for name in ["Koordinerende enhet Fjordvik", "Fjordvik skole", "NAV Fjordvik"]:
        Membership.objects.create(user=team, unit=units[name], role=Role.TEAM_MEMBER)
    assert _queries(client, url) == few
