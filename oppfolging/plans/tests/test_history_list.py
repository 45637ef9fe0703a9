"""The history page: every version newest first with who, when, in which role, what in words and
what changed; 50 to a page; the same number of queries with 6 versions or 200; a former member
sees only the versions from before they left; each opening is audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.plans import services
from oppfolging.plans.models import CarePlan, Goal, PlanVersion
from oppfolging.plans.tests.support import coordinator_access, planned_person

pytestmark = pytest.mark.django_db


def _url(person: Person, **query: Any) -> str:
    url = reverse("plans:history", args=[person.uuid])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rewrite_goal(cast: Any, person: Person, text: str) -> None:
    who, access = coordinator_access(cast, person)
    with unscoped():
        goal = Goal.objects.get(plan__person=person)
        services.goal_update(
            actor=who,
            access=access,
            goal=goal,
            version=goal.version,
            text=text,
            in_own_words=True,
            status="active",
        )


def test_versions_newest_first_with_who_what_and_the_change(cast):
    person = planned_person(cast)
    _rewrite_goal(cast, person, "Klare meg selv hjemme og ute.")
    response = cast.client("fjordvik-koordinator").get(_url(person))
    assert response.status_code == 200
    body = response.content.decode()
    rows = [body.index(f'?versjon={n}"') for n in (7, 6, 1)]
    assert rows == sorted(rows), "newest first"
    assert "Mål endret: «Klare meg selv hjemme.» → «Klare meg selv hjemme og ute.»" in body
    assert "Planen ble tatt i bruk" in body
    assert "Planen ble opprettet" in body
    assert "Tiltak lagt til" in body
    assert "Ingrid Ergoterapeut" in body
    assert "Koordinator" in body
    assert "7 versjoner, nyeste først." in body


def test_opening_the_history_is_audited(cast):
    person = planned_person(cast)
    cast.client("fjordvik-team").get(_url(person))
    with unscoped():
        event = AuditEvent.objects.filter(person=person, what="plan.history").latest("occurred_at")
    assert event.action == AuditAction.VIEW
    assert event.role == "team_member"
    assert event.detail == {"page": 1}


def _grow(person: Person, n: int) -> None:
    """n more versions, written directly: the list must not depend on how they were made."""
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        last = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        assert last is not None
        PlanVersion.objects.bulk_create(
            [
                PlanVersion(
                    municipality_id=plan.municipality_id,
                    plan=plan,
                    number=plan.revision + i + 1,
                    actor=last.actor,
                    actor_label=last.actor_label,
                    role=last.role,
                    action="goal.update",
                    changes=[
                        {
                            "kind": "goal",
                            "uuid": "x",
                            "change": "changed",
                            "label": f"Mål {i}",
                            "fields": [{"field": "text", "before": f"Mål {i - 1}", "after": f"Mål {i}"}],
                        }
                    ],
                    snapshot=last.snapshot,
                )
                for i in range(n)
            ]
        )
        plan.revision += n
        CarePlan.objects.filter(pk=plan.pk).update(revision=plan.revision)


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_flat_with_200_versions(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    client.get(_url(person))  # warm up: session, content types
    small = _count(client, _url(person))
    _grow(person, 210)
    large = _count(client, _url(person))
    assert large == small, f"{small} queries with 6 versions, {large} with 216"
    assert _count(client, _url(person, side=3)) == small


def test_fifty_to_a_page(cast):
    person = planned_person(cast)
    _grow(person, 110)  # 116 versions: pages of 116 to 67, 66 to 17, 16 to 1
    client = cast.client("fjordvik-koordinator")
    first = client.get(_url(person)).content.decode()
    assert '?versjon=116"' in first
    assert '?versjon=67"' in first
    assert '?versjon=66"' not in first
    second = client.get(_url(person, side=2)).content.decode()
    assert '?versjon=66"' in second
    assert '?versjon=17"' in second
    assert '?versjon=116"' not in second
    last = client.get(_url(person, side=99)).content.decode()  # past the end: the last page
    assert '?versjon=1"' in last
    assert client.get(_url(person, side="x")).status_code == 200


def test_former_member_sees_only_the_versions_from_before_they_left(cast):
    """The hospital doctor left three days ago: versions recorded before that are listed, later
    ones are not."""
    person = planned_person(cast)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        early = timezone.now() - datetime.timedelta(days=10)
        PlanVersion.objects.filter(plan=plan, number__lte=3).update(at=early)
    body = cast.client("sykehus").get(_url(person)).content.decode()
    assert "Du er ikke lenger med i teamet" in body
    assert '?versjon=3"' in body
    assert '?versjon=4"' not in body
    assert "3 versjoner, nyeste først." in body


def test_former_member_of_a_plan_made_after_they_left(cast):
    person = planned_person(cast)
    response = cast.client("sykehus").get(_url(person))
    assert response.status_code == 200
    assert "Planen ble laget etter at du sluttet i teamet." in response.content.decode()


def test_a_person_without_a_plan_has_no_history(cast):
    from oppfolging.teams.tests.test_team_support import staged_person

    person = staged_person(cast)
    assert cast.client("fjordvik-koordinator").get(_url(person)).status_code == 404
