"""KE's coordinator registry (persons, training and supervision, caseload against the cap) and
the query counts of the coordinator pages, which must not grow with coordinators or persons."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.teams.models import (
    AssignmentStatus,
    CareTeam,
    CoordinatorAssignment,
    CoordinatorTraining,
    TeamMember,
)
from oppfolging.teams.tests.test_coordinators_support import assignment, member

pytestmark = pytest.mark.django_db


def test_the_registry_lists_coordinators_with_persons_training_and_caseload(cast):
    assignment(cast, "Per", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    assignment(cast, "Klara", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    assignment(cast, "Kari", "fjordvik-team", AssignmentStatus.ACTIVE)
    assignment(cast, "Martin", "fjordvik-team", AssignmentStatus.ENDED)
    assignment(cast, "Sigrid", "lidal-koordinator", AssignmentStatus.ACTIVE)
    ke = cast.client("fjordvik-ke")
    add = f"/koordinatorer/{cast.users['fjordvik-koordinator'].uuid}/opplaering/ny/"
    response = ke.post(
        add, {"kind": "training", "held_on": "2026-03-10", "description": "Grunnkurs i koordinatorrollen"}
    )
    assert response.status_code == 302
    with unscoped():
        training = CoordinatorTraining.objects.get()
        event = AuditEvent.objects.get(what="coordinator_training", action=AuditAction.CREATE)
    assert training.user == cast.users["fjordvik-koordinator"]
    assert training.municipality == cast.municipalities["fjordvik"]
    assert event.role == "ke_staff"

    page = ke.get("/koordinatorer/")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in [
        "Ingrid Ergoterapeut",
        "Per Olsen",
        "Klara Lund",
        "Nina Sykepleier",
        "Kari Johansen",
        "2 av 5",
        "1 av 5",
    ]:
        assert expected in text, expected
    assert "Grunnkurs i koordinatorrollen" in text
    assert "10.03.2026" in text
    assert "Martin Berg" not in text  # an ended assignment is history, not caseload
    assert "Guro Fosse" not in text  # Lidal's coordinator
    assert "Sigrid" not in text
    rows = {row.user.username: row for row in page.context["rows"]}
    assert set(rows) == {"fjordvik-koordinator", "fjordvik-team"}
    assert rows["fjordvik-koordinator"].caseload == 2
    with unscoped():
        assert AuditEvent.objects.filter(what="coordinator_registry", action=AuditAction.VIEW).exists()


def test_training_is_only_for_coordinators_in_the_registry(cast):
    ke = cast.client("fjordvik-ke")
    for username in ["fjordvik-team", "lidal-koordinator", "fjordvik-ke"]:
        url = f"/koordinatorer/{cast.users[username].uuid}/opplaering/ny/"
        data = {"kind": "supervision", "held_on": "2026-03-10", "description": "Veiledning"}
        assert ke.post(url, data).status_code == 404, username
    with unscoped():
        assert not CoordinatorTraining.objects.exists()


def test_the_registry_marks_a_coordinator_at_or_over_the_cap(cast):
    from oppfolging.core.models import Municipality

    with unscoped():
        Municipality.objects.filter(pk=cast.municipalities["fjordvik"].pk).update(coordinator_caseload_cap=1)
    assignment(cast, "Per", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    assignment(cast, "Klara", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    text = cast.client("fjordvik-ke").get("/koordinatorer/").content.decode()
    assert "2 av 1" in text
    assert "Over taket" in text


# --- Query counts --------------------------------------------------------------------------


def _grow(cast, start: int, n: int) -> None:
    """n more coordinators in Fjordvik, each a member of Per's team proposed as his coordinator,
    with training, coordinating one new person and proposed for another; Ingrid coordinates
    all the new persons too."""
    fjordvik = cast.municipalities["fjordvik"]
    with unscoped():
        ergo = Unit.objects.get(name="Ergoterapitjenesten Fjordvik")
        pers_team = CareTeam.objects.get(person=cast.persons["Per"])
        for i in range(start, start + n):
            user = User.objects.create_user(username=f"koord-{i}", first_name="Koordinator", last_name=str(i))
            Membership.objects.create(user=user, unit=ergo, role=Role.COORDINATOR)
            TeamMember.objects.create(
                municipality=fjordvik, team=pers_team, user=user, name=str(user), unit=ergo
            )
            CoordinatorAssignment.objects.create(
                municipality=fjordvik, team=pers_team, coordinator=user, proposed_by=cast.users["fjordvik-ke"]
            )
            CoordinatorTraining.objects.create(
                user=user, municipality=fjordvik, kind="training", description="Kurs"
            )
            for j in range(2):
                birth = datetime.date(1950 + i % 40, 1 + j, 1 + i % 28)
                person = Person.objects.create(
                    municipality=fjordvik,
                    national_id=make_synthetic(birth, sex=Sex.FEMALE, serial=100 + i * 2 + j),
                    id_kind="fnr",
                    id_is_synthetic=True,
                    birth_date=birth,
                    sex="female",
                    given_name=f"Test{i}-{j}",
                    family_name="Hansen",
                )
                team = CareTeam.objects.create(municipality=fjordvik, person=person)
                TeamMember.objects.create(municipality=fjordvik, team=team, user=user, name=str(user))
                status = [AssignmentStatus.ACTIVE, AssignmentStatus.PROPOSED][j]
                CoordinatorAssignment.objects.create(
                    municipality=fjordvik,
                    team=team,
                    coordinator=user,
                    status=status,
                    proposed_by=cast.users["fjordvik-ke"],
                    started_at=timezone.now() if status == AssignmentStatus.ACTIVE else None,
                )
                CoordinatorAssignment.objects.create(
                    municipality=fjordvik,
                    team=team,
                    coordinator=cast.users["fjordvik-koordinator"],
                    status=AssignmentStatus.ACTIVE,
                    proposed_by=cast.users["fjordvik-ke"],
                    started_at=timezone.now(),
                )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("registry", "fjordvik-ke", lambda cast: "/koordinatorer/"),
    ("leader's proposals", "fjordvik-leder", lambda cast: "/koordinatorer/til-godkjenning/"),
    ("own assignments", "fjordvik-koordinator", lambda cast: "/koordinatorer/mine/"),
    (
        "person's coordinators",
        "fjordvik-ke",
        lambda cast: f"/koordinatorer/person/{cast.persons['Per'].uuid}/",
    ),
]


@pytest.mark.parametrize(("label", "user", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_coordinators_or_persons(cast, label, user, url):
    member(cast, "Per", "fjordvik-koordinator")
    member(cast, "Per", "fjordvik-team")
    assignment(cast, "Per", "fjordvik-team", AssignmentStatus.PROPOSED)
    client = cast.client(user)
    client.get(url(cast))  # warm up: session, content types
    _grow(cast, 0, 2)
    small = _count(client, url(cast))
    _grow(cast, 2, 12)
    large = _count(client, url(cast))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
