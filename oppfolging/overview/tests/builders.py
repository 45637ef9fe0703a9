"""A municipality of its own for the overview tests («Testvik»), so that expectations can be exact
whatever the demo holds, and short helpers that put its persons at a stage of the pathway."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import count

from django.utils import timezone

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.core.models import Municipality, Unit, UnitKind
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.referrals.models import (
    Assessment,
    AssessmentStatus,
    DecisionKind,
    DecisionOutcome,
    Knowledge,
    NeedReport,
    ReportChannel,
    ReportSource,
    ReportStatus,
    ServiceDecision,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

_serials = count(1)


def _birth(age: int, extra_days: int) -> datetime.date:
    today = timezone.localdate()
    try:
        anniversary = today.replace(year=today.year - age)
    except ValueError:
        anniversary = today.replace(year=today.year - age, day=28)
    return anniversary - datetime.timedelta(days=extra_days)


@dataclass
class World:
    municipality: Municipality
    ke: User
    staff: User
    units: dict[str, Unit]
    now: datetime.datetime = field(default_factory=timezone.now)

    def ago(self, days: int) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days)

    def person(self, given: str, family: str = "Testesen", *, age: int = 40) -> Person:
        serial = next(_serials)
        birth = _birth(age, 1 + serial % 300)
        with unscoped():
            return Person.objects.create(
                municipality=self.municipality,
                national_id=make_synthetic(birth, sex=Sex.FEMALE, serial=serial),
                id_kind="fnr",
                id_is_synthetic=True,
                birth_date=birth,
                sex="female",
                given_name=given,
                family_name=family,
            )

    def report(
        self,
        person: Person,
        *,
        days: int = 0,
        status: str = ReportStatus.RECEIVED,
        interim: bool = False,
        unit: str | None = None,
        observed: str = "Observert i hjemmet.",
    ) -> NeedReport:
        with unscoped():
            return NeedReport.objects.create(
                municipality=self.municipality,
                person=person,
                reporter=self.staff,
                reporter_unit=self.units[unit] if unit else None,
                source=ReportSource.STAFF,
                channel=ReportChannel.WRITTEN,
                observed=observed,
                knowledge=Knowledge.KNOWS_AND_AGREES,
                status=status,
                received_at=self.ago(days),
                interim_reply_at=self.ago(max(days - 20, 0)) if interim else None,
            )

    def assessment(
        self, person: Person, *, days: int = 0, completed: bool = False, needs: str = ""
    ) -> Assessment:
        with unscoped():
            return Assessment.objects.create(
                municipality=self.municipality,
                person=person,
                led_by=self.staff,
                started_at=self.ago(days),
                status=AssessmentStatus.COMPLETED if completed else AssessmentStatus.IN_PROGRESS,
                completed_at=self.ago(max(days - 5, 0)) if completed else None,
                needs_coordinated_services=needs,
            )

    def decision(self, person: Person, *, days: int = 0) -> ServiceDecision:
        with unscoped():
            return ServiceDecision.objects.create(
                municipality=self.municipality,
                person=person,
                kind=DecisionKind.SERVICE,
                outcome=DecisionOutcome.GRANTED,
                decided_on=self.ago(days).date(),
                decided_by=self.staff,
            )

    def team(self, person: Person, *members: tuple[str, bool]) -> CareTeam:
        """A team with members from the named units; ``(unit key, has left)``."""
        with unscoped():
            team = CareTeam.objects.create(municipality=self.municipality, person=person)
            for unit, left in members:
                TeamMember.objects.create(
                    municipality=self.municipality,
                    team=team,
                    name=f"Medlem fra {unit}",
                    unit=self.units[unit],
                    left_at=self.ago(1) if left else None,
                )
            return team

    def coordinator(self, team: CareTeam, user: User, status: str = AssignmentStatus.ACTIVE) -> None:
        with unscoped():
            CoordinatorAssignment.objects.create(
                municipality=self.municipality,
                team=team,
                coordinator=user,
                status=status,
                proposed_by=self.ke,
                started_at=self.now if status == AssignmentStatus.ACTIVE else None,
            )

    def staff_user(self, username: str, first: str, last: str) -> User:
        user = User.objects.create_user(username=username, first_name=first, last_name=last)
        Membership.objects.create(user=user, unit=self.units["ergo"], role=Role.COORDINATOR)
        return user


def make_world(number: str = "9911", name: str = "Testvik kommune") -> World:
    municipality = Municipality.objects.create(name=name, number=number)
    short = name.split()[0]
    units = {
        key: Unit.objects.create(municipality=municipality, name=f"{label} {short}", kind=kind)
        for key, label, kind in [
            ("ke", "Koordinerende enhet", UnitKind.COORDINATING_UNIT),
            ("psyk", "Psykisk helse og rus", UnitKind.MENTAL_HEALTH),
            ("hjemme", "Hjemmetjenesten", UnitKind.HOME_CARE),
            ("ergo", "Ergoterapitjenesten", UnitKind.OTHER),
        ]
    }
    units["sykehus"] = Unit.objects.get(name="Fjellheim sykehus, medisinsk avdeling")
    ke = User.objects.create_user(username=f"{short.lower()}-ke", first_name="Kirsten", last_name="KE")
    Membership.objects.create(user=ke, unit=units["ke"], role=Role.KE_STAFF)
    staff = User.objects.create_user(username=f"{short.lower()}-ansatt", first_name="Sara", last_name="Sak")
    Membership.objects.create(user=staff, unit=units["hjemme"], role=Role.TEAM_MEMBER)
    return World(municipality=municipality, ke=ke, staff=staff, units=units)
