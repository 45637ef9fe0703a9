"""Builders for the team and consent tests and the permission matrix: a team, its members with
the person's consent, a coordinator, a case in the allocation office's queue. They write through
the ORM, unscoped, so a test can set up any stage without the views it is not about."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from oppfolging.access.actor import Actor, resolve_actor
from oppfolging.accounts.models import User
from oppfolging.consents.models import Consent, ConsentKind, ConsentShare, GivenBy
from oppfolging.core.models import Municipality, Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.referrals.models import Knowledge, NeedReport, ReportChannel, ReportSource
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember


def actor(user: User) -> Actor:
    return resolve_actor(user)


def make_person(municipality: Municipality, given: str, *, age: int = 50, serial: int = 700) -> Person:
    """A person of our own, so that no stage another part of the demo adds can change the test."""
    today = timezone.localdate()
    birth = datetime.date(today.year - age - 1, 6, 15)
    number = make_synthetic(birth, sex=Sex.FEMALE, serial=serial)
    with unscoped():
        person, _created = Person.objects.get_or_create(
            municipality=municipality,
            national_id=number,
            defaults={
                "id_kind": "fnr",
                "id_is_synthetic": True,
                "birth_date": birth,
                "sex": Sex.FEMALE.value,
                "given_name": given,
                "family_name": "Teamsen",
            },
        )
    return person


def make_team(person: Person) -> CareTeam:
    with unscoped():
        team, _created = CareTeam.objects.get_or_create(municipality_id=person.municipality_id, person=person)
    return team


def consent(person: Person, kind: str, recorded_by: User, **fields: Any) -> Consent:
    with unscoped():
        return Consent.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=kind,
            given_by=fields.pop("given_by", GivenBy.PERSON),
            recorded_by=recorded_by,
            **fields,
        )


def add_member(
    team: CareTeam,
    recorded_by: User,
    *,
    user: User | None = None,
    name: str = "",
    consented: bool = True,
    sections: Iterable[str] = (),
    left_at: datetime.datetime | None = None,
    unit: Unit | None = None,
) -> TeamMember:
    """A member, with the person's team-membership consent (unless ``consented`` is false) and
    an information-sharing consent for ``sections`` (if any)."""
    with unscoped():
        member = TeamMember.objects.create(
            municipality_id=team.municipality_id,
            team=team,
            user=user,
            name=name or (user.get_full_name() if user else "Navn Uten Konto"),
            unit=unit,
            left_at=left_at,
            joined_at=min(timezone.now(), left_at - datetime.timedelta(days=30))
            if left_at
            else timezone.now(),
        )
        person = team.person
        if consented:
            consent(person, ConsentKind.TEAM_MEMBERSHIP, recorded_by, team_member=member)
        keys = list(sections)
        if keys:
            sharing = consent(person, ConsentKind.INFORMATION_SHARING, recorded_by)
            ConsentShare.objects.create(
                municipality_id=team.municipality_id, consent=sharing, team_member=member, sections=keys
            )
    return member


def make_coordinator(team: CareTeam, user: User, proposed_by: User) -> CoordinatorAssignment:
    with unscoped():
        assignment, _created = CoordinatorAssignment.objects.get_or_create(
            municipality_id=team.municipality_id,
            team=team,
            coordinator=user,
            defaults={
                "status": AssignmentStatus.ACTIVE,
                "proposed_by": proposed_by,
                "started_at": timezone.now(),
            },
        )
    return assignment


def open_report(person: Person, reporter: User) -> NeedReport:
    """A report in the queue: the allocation office handles the case while it is open."""
    with unscoped():
        report = NeedReport.objects.filter(person=person).first()
        if report is None:
            report = NeedReport.objects.create(
                municipality_id=person.municipality_id,
                person=person,
                reporter=reporter,
                source=ReportSource.STAFF,
                channel=ReportChannel.WRITTEN,
                observed="Trenger tjenester fra flere.",
                knowledge=Knowledge.KNOWS_AND_AGREES,
            )
    return report


def staged_person(cast: Any) -> Person:
    """A Fjordvik person at the team stage, built once per test (idempotent): an open report
    (the allocation officer handles it), a team with Ingrid as coordinator, the home-care nurse
    as a consented member, the GP as a member whose consent was withdrawn, and the hospital
    doctor as a former member."""
    fjordvik = cast.municipalities["fjordvik"]
    person = make_person(fjordvik, "Tea", age=60, serial=701)
    team = make_team(person)
    ke = cast.users["fjordvik-ke"]
    with unscoped():
        if team.members.exists():
            return person
    open_report(person, cast.users["fjordvik-fastlege"])
    make_coordinator(team, cast.users["fjordvik-koordinator"], ke)
    add_member(team, ke, user=cast.users["fjordvik-team"], sections=["medical", "physical"])
    gp = add_member(team, ke, user=cast.users["fjordvik-fastlege"])
    with unscoped():
        Consent.objects.filter(team_member=gp).update(withdrawn_at=timezone.now(), withdrawn_by=ke)
    add_member(team, ke, user=cast.users["sykehus"], left_at=timezone.now() - datetime.timedelta(days=3))
    return person


def lidal_person(cast: Any) -> Person:
    return make_person(cast.municipalities["lidal"], "Live", age=40, serial=702)
