"""The overview costs the same number of queries with a handful of persons in the pathway as with
many, with and without filters: every column is computed in the database, nothing per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oppfolging.overview.tests.builders import World
from oppfolging.referrals.models import Answer, ReportStatus
from oppfolging.teams.models import AssignmentStatus

pytestmark = pytest.mark.django_db

URL = "/oversikt/"


def _grow(w: World, coordinator, start: int, n: int) -> None:
    """n more persons, at every stage in turn, each with more than one row of each kind."""
    for i in range(start, start + n):
        person = w.person(f"Vekst{i:03d}", age=[8, 40, 80][i % 3])
        w.report(person, days=[0, 40, 10][i % 3], status=[ReportStatus.RECEIVED, ReportStatus.DECIDED][i % 2])
        w.report(person, days=45, unit="psyk")
        w.assessment(person, days=20, completed=i % 2 == 0, needs=Answer.YES)
        w.decision(person, days=5)
        w.decision(person, days=2)
        team = w.team(person, ("psyk", False), ("hjemme", i % 4 == 0), ("sykehus", False))
        w.coordinator(team, coordinator, [AssignmentStatus.ACTIVE, AssignmentStatus.PROPOSED][i % 2])


def _count(client: Client, query: dict[str, str]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.context["page"].rows)


QUERIES = [
    {},
    {"status": "team"},
    {"status": "coordinator", "group": "mental_health"},
    {"group": "chronic", "overdue": "on"},
    {"group": "children"},
    {"unit": "psyk"},
    {"page": "2"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_query_count_does_not_grow_with_persons(testvik, query):
    w = testvik.world
    if "unit" in query:
        query = {**query, "unit": str(w.units[query["unit"]].uuid)}
    client = Client()
    client.force_login(w.ke)
    client.get(URL)  # warm up: session, content types
    _grow(w, testvik.coordinator, 0, 3)
    few, few_rows = _count(client, query)
    _grow(w, testvik.coordinator, 3, 60)
    many, many_rows = _count(client, query)
    assert many_rows > few_rows or query.get("page") == "2" or many_rows == 50
    assert many == few, f"{query}: {few} queries with few persons, {many} with many"


def test_the_page_runs_a_handful_of_queries(testvik):
    """Session and user, the actor's memberships, the unit choices, totals, the page's rows, their
    coordinators, the audit row, the unread notices in the menu (and the session save)."""
    client = Client()
    client.force_login(testvik.world.ke)
    client.get(URL)
    count, rows = _count(client, {})
    assert rows == 15
    assert count <= 13
