"""Building blocks of the pathway demo (:mod:`oppfolging.overview.demo_stages`): Fjordvik's
users, units and persons looked up once, and one function per kind of row, each writing what the
pathway's services would write (a report with its status history, an assessment with every
checklist section, a decision, a member, a consent with its scope) — straight to the models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from oppfolging.accounts.models import User
from oppfolging.consents.models import Consent, ConsentShare, GivenBy
from oppfolging.core.models import Municipality, Unit, UnitKind
from oppfolging.overview.demo_texts import ReportText
from oppfolging.people.models import Person, Relative
from oppfolging.referrals.catalogue import ensure_default_catalogue
from oppfolging.referrals.checklist import SECTION_KEYS
from oppfolging.referrals.models import (
    Assessment,
    AssessmentParticipant,
    AssessmentSection,
    AssessmentStatus,
    DecisionOutcome,
    Knowledge,
    NeedReport,
    ReportSource,
    ReportStatus,
    ReportStatusChange,
    ServiceDecision,
    ServiceType,
)
from oppfolging.teams.models import CareTeam, MemberKind, TeamMember

FJORDVIK_NUMBER = "9901"
HOSPITAL = "Fjellheim sykehus, medisinsk avdeling"


@dataclass(frozen=True)
class Town:
    municipality: Municipality
    users: dict[str, User]  # by suffix: "ke", "koordinator", ... and "sykehus"
    units: dict[str, Unit]  # by key: "tildeling", "hjemme", "lege", "ergo", "nav", "psyk", "skole", "sykehus"
    persons: dict[str, Person]
    now: datetime.datetime

    def ago(self, days: int, hours: int = 0) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days, hours=hours)

    def day(self, days: int) -> datetime.date:
        return timezone.localdate(self.ago(days))


def find_town(now: datetime.datetime) -> Town | None:
    municipality = Municipality.objects.filter(number=FJORDVIK_NUMBER).first()
    if municipality is None:
        return None
    users = {
        u.username.removeprefix("fjordvik-"): u for u in User.objects.filter(username__startswith="fjordvik-")
    }
    users["sykehus"] = User.objects.get(username="sykehus")
    by_kind = {u.kind: u for u in Unit.objects.filter(municipality=municipality)}
    units = {
        "tildeling": by_kind[UnitKind.ALLOCATION_OFFICE],
        "hjemme": by_kind[UnitKind.HOME_CARE],
        "lege": by_kind[UnitKind.GP_OFFICE],
        "nav": by_kind[UnitKind.NAV_OFFICE],
        "psyk": by_kind[UnitKind.MENTAL_HEALTH],
        "skole": by_kind[UnitKind.SCHOOL],
        "ergo": users["koordinator"].memberships.select_related("unit").get().unit,
        "sykehus": Unit.objects.get(name=HOSPITAL),
    }
    persons = {p.given_name: p for p in Person.objects.filter(municipality=municipality)}
    return Town(municipality, users, units, persons, now)


def report(
    town: Town,
    person: Person,
    text: ReportText,
    *,
    reporter: str,
    unit: str,
    channel: str,
    history: list[tuple[str, int]],
    handled_by: str | None = "tildeling",
    source_name: str = "",
) -> NeedReport:
    """A report and its status history: ``history`` is (status, days ago), first is received."""
    status, received_days = history[-1][0], history[0][1]
    decided = next((days for s, days in history if s == ReportStatus.DECIDED), None)
    report = NeedReport.objects.create(
        municipality=town.municipality,
        person=person,
        reporter=town.users[reporter],
        reporter_unit=town.units[unit],
        reporter_role=text.role,
        source=ReportSource.STAFF,
        source_name=source_name,
        channel=channel,
        observed=text.observed,
        requested=text.requested,
        knowledge=Knowledge.KNOWS_AND_AGREES,
        status=status,
        received_at=town.ago(received_days, hours=2),
        decided_at=town.ago(decided) if decided is not None else None,
        handled_by=town.users[handled_by] if handled_by and status != ReportStatus.RECEIVED else None,
    )
    previous = ""
    for step, days in history:
        ReportStatusChange.objects.create(
            municipality=town.municipality,
            report=report,
            from_status=previous,
            to_status=step,
            changed_at=town.ago(days, hours=2 if step == ReportStatus.RECEIVED else 0),
            changed_by=town.users[reporter if step == ReportStatus.RECEIVED else "tildeling"],
        )
        previous = step
    return report


def assessment(
    town: Town,
    person: Person,
    report: NeedReport,
    sections: dict[str, str],
    *,
    started: int,
    completed: int | None = None,
    participants: list[tuple[str, str, str | None, str | None, bool]],
    **conclusion: object,
) -> Assessment:
    """Every checklist section gets its row; the ones in ``sections`` are filled in.
    ``participants``: (name, discipline, user suffix, unit key, is GP)."""
    assessment = Assessment.objects.create(
        municipality=town.municipality,
        person=person,
        report=report,
        led_by=town.users["tildeling"],
        started_at=town.ago(started),
        status=AssessmentStatus.COMPLETED if completed is not None else AssessmentStatus.IN_PROGRESS,
        completed_at=town.ago(completed) if completed is not None else None,
        **conclusion,
    )
    AssessmentSection.objects.bulk_create(
        AssessmentSection(
            municipality=town.municipality,
            assessment=assessment,
            key=key,
            text=sections.get(key, ""),
            version=1 if key in sections else 0,
            updated_by=town.users["tildeling"] if key in sections else None,
        )
        for key in SECTION_KEYS
    )
    for name, discipline, user, unit, is_gp in participants:
        AssessmentParticipant.objects.create(
            municipality=town.municipality,
            assessment=assessment,
            name=name,
            discipline=discipline,
            user=town.users[user] if user else None,
            unit=town.units[unit] if unit else None,
            is_gp=is_gp,
        )
    return assessment


def decision(
    town: Town, person: Person, report: NeedReport, kind: str, *, days: int, by: str, **fields: object
) -> ServiceDecision:
    return ServiceDecision.objects.create(
        municipality=town.municipality,
        person=person,
        report=report,
        kind=kind,
        outcome=DecisionOutcome.GRANTED,
        decided_on=town.day(days),
        notified_on=town.day(days - 2),
        decided_by=town.users[by],
        **fields,
    )


def service(town: Town, name: str) -> ServiceType:
    """From the municipality's catalogue: the default one, given to it first if it has none (as
    the catalogue page does at first use); added if an edited catalogue lacks the service."""
    ensure_default_catalogue(town.municipality)
    service, _created = ServiceType.objects.get_or_create(municipality=town.municipality, name=name)
    return service


def member(
    town: Town,
    team: CareTeam,
    name: str,
    discipline: str,
    *,
    user: str | None,
    unit: str | None,
    joined: int,
    kind: str = MemberKind.CORE,
) -> TeamMember:
    return TeamMember.objects.create(
        municipality=town.municipality,
        team=team,
        user=town.users[user] if user else None,
        name=name,
        discipline=discipline,
        unit=town.units[unit] if unit else None,
        kind=kind,
        joined_at=town.ago(joined),
    )


def consent(
    town: Town,
    person: Person,
    kind: str,
    *,
    days: int,
    recorded_by: str,
    member: TeamMember | None = None,
    guardian: Relative | None = None,
    own_view: str = "",
) -> Consent:
    return Consent.objects.create(
        municipality=town.municipality,
        person=person,
        kind=kind,
        given_by=GivenBy.GUARDIAN if guardian else GivenBy.PERSON,
        given_by_relative=guardian,
        persons_own_view=own_view,
        given_on=town.day(days),
        team_member=member,
        recorded_by=town.users[recorded_by],
    )


def shares(town: Town, consent: Consent, shares: list[tuple[TeamMember, list[str]]]) -> None:
    ConsentShare.objects.bulk_create(
        ConsentShare(municipality=town.municipality, consent=consent, team_member=member, sections=keys)
        for member, keys in shares
    )
