from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_start_page_lists_the_persons_one_coordinates_or_is_a_consented_member_for(cast, in_scope):
    from oppfolging.consents.models import Consent, ConsentKind
    from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

    kari, klara = cast.persons["Kari"], cast.persons["Klara"]
    ke, ot, nurse = cast.users["fjordvik-ke"], cast.users["fjordvik-koordinator"], cast.users["fjordvik-team"]
    team = CareTeam.objects.create(municipality=kari.municipality, person=kari)
    CoordinatorAssignment.objects.create(
        municipality=kari.municipality,
        team=team,
        coordinator=ot,
        proposed_by=ke,
        status=AssignmentStatus.ACTIVE,
    )
    member = TeamMember.objects.create(municipality=kari.municipality, team=team, user=nurse, name="Nina")
    other = CareTeam.objects.create(municipality=klara.municipality, person=klara)
    TeamMember.objects.create(
        municipality=klara.municipality, team=other, user=nurse, name="Nina"
    )  # no consent
    Consent.objects.create(
        municipality=kari.municipality,
        person=kari,
        kind=ConsentKind.TEAM_MEMBERSHIP,
        given_by="person",
        team_member=member,
        recorded_by=ke,
    )
    assert "Kari Johansen" in cast.client("fjordvik-koordinator").get("/").content.decode()
    nurse_page = cast.client("fjordvik-team").get("/").content.decode()
    assert "Kari Johansen" in nurse_page
    assert "Klara Lund" not in nurse_page


def test_start_page_query_count_does_not_grow_with_the_persons_one_follows(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oppfolging.consents.models import Consent, ConsentKind
    from oppfolging.core.tenancy import unscoped
    from oppfolging.teams.models import CareTeam, TeamMember

    nurse, ke = cast.users["fjordvik-team"], cast.users["fjordvik-ke"]
    names = ["Aron", "Emil", "Kari", "Martin", "Klara", "Per"]

    def follow(given: str) -> None:
        person = cast.persons[given]
        with unscoped():
            team = CareTeam.objects.create(municipality=person.municipality, person=person)
            member = TeamMember.objects.create(
                municipality=person.municipality, team=team, user=nurse, name="Nina"
            )
            Consent.objects.create(
                municipality=person.municipality,
                person=person,
                kind=ConsentKind.TEAM_MEMBERSHIP,
                given_by="person",
                team_member=member,
                recorded_by=ke,
            )

    client = cast.client("fjordvik-team")
    client.get("/")
    follow(names[0])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    for given in names[1:]:
        follow(given)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert "Per Olsen" in page
    assert len(many) == len(few)
