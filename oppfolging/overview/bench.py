"""What the KE overview costs at the size of a real municipality: build «Benchmark kommune» with
thousands of persons in the pathway (bulk inserts, every stage represented), then open the page
as its KE user through the Django test client and measure queries and server time.

Used by ``manage.py bench_ke_overview`` and ``benchmarks/ke_overview.py``. A benchmark, not a
timed test: numbers depend on the machine. The target: under 1 s a page, and a number of queries
that does not depend on the number of persons.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import Municipality, Unit, UnitKind
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.referrals.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DecisionKind,
    DecisionOutcome,
    Knowledge,
    NeedReport,
    ReportChannel,
    ReportKind,
    ReportSource,
    ReportStatus,
    ServiceDecision,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

NAME = "Benchmark kommune"
NUMBER = "9990"
KE_USERNAME = "bench-ke"
COORDINATORS = 40
BATCH = 500
MAX_PERSONS = 34_000  # distinct birth dates over 95 years: every synthetic number is unique
UNITS = [
    ("ke", UnitKind.COORDINATING_UNIT, "Koordinerende enhet Benchmark"),
    ("tildeling", UnitKind.ALLOCATION_OFFICE, "Tildelingskontoret Benchmark"),
    ("hjemme", UnitKind.HOME_CARE, "Hjemmetjenesten Benchmark"),
    ("psyk", UnitKind.MENTAL_HEALTH, "Psykisk helse og rus Benchmark"),
    ("lege", UnitKind.GP_OFFICE, "Benchmark legekontor"),
    ("nav", UnitKind.NAV_OFFICE, "NAV Benchmark"),
    ("ergo", UnitKind.OTHER, "Ergoterapitjenesten Benchmark"),
]


@dataclass(frozen=True)
class Result:
    label: str
    rows: int
    total: int
    queries: int
    median_ms: float
    p90_ms: float


@dataclass
class _Rows:
    reports: list[NeedReport] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    decisions: list[ServiceDecision] = field(default_factory=list)


@dataclass
class _Town:
    municipality: Municipality
    units: dict[str, Unit]
    ke: User
    officer: User
    coordinators: list[User]
    now: datetime.datetime

    def ago(self, days: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days)


def _user(username: str, first: str, last: str, unit: Unit, role: Role) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@bench.invalid"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def _town(now: datetime.datetime) -> _Town:
    municipality, _created = Municipality.objects.get_or_create(number=NUMBER, defaults={"name": NAME})
    units = {
        key: Unit.objects.get_or_create(municipality=municipality, name=name, defaults={"kind": kind})[0]
        for key, kind, name in UNITS
    }
    coordinators = [
        _user(f"bench-koordinator-{i:02d}", "Koordinator", f"Nr. {i:02d}", units["ergo"], Role.COORDINATOR)
        for i in range(COORDINATORS)
    ]
    return _Town(
        municipality=municipality,
        units=units,
        ke=_user(KE_USERNAME, "Karin", "Benchmark", units["ke"], Role.KE_STAFF),
        officer=_user("bench-tildeling", "Tore", "Benchmark", units["tildeling"], Role.ALLOCATION_OFFICER),
        coordinators=coordinators,
        now=now,
    )


def _person(town: _Town, index: int) -> Person:
    # Steps of 7 919 days around 95 years (34 675 days; 7 919 is prime to it): distinct birth
    # dates, so distinct synthetic numbers, spread over every age 0-95 whatever the count.
    birth = timezone.localdate(town.now) - datetime.timedelta(days=30 + (index * 7_919) % 34_675)
    sex = Sex.FEMALE if index % 2 else Sex.MALE
    return Person(
        municipality=town.municipality,
        national_id=make_synthetic(birth, sex=sex, serial=index),
        id_kind="fnr",
        id_is_synthetic=True,
        birth_date=birth,
        sex=sex.value,
        given_name=f"Person{index:05d}",
        family_name=["Berg", "Dahl", "Hansen", "Lie", "Moe", "Vik"][index % 6],
    )


def _report(town: _Town, person: Person, days: float, status: str, **extra: object) -> NeedReport:
    return NeedReport(
        municipality=town.municipality,
        person=person,
        reporter=town.officer,
        reporter_unit=town.units["psyk" if person.pk % 7 == 0 else "lege"],
        source=ReportSource.STAFF,
        channel=ReportChannel.ELECTRONIC,
        observed="Benchmark",
        knowledge=Knowledge.KNOWS_AND_AGREES,
        status=status,
        received_at=town.ago(days),
        **extra,
    )


def _stage_rows(town: _Town, index: int, person: Person, rows: _Rows) -> None:
    """The rows of one person at stage ``index % 10``: fresh and overdue reports, interim
    replies, assessments under way and done, decisions, teams with proposed and active
    coordinators, members who left, and a changed-need report for a person with a team."""
    stage = index % 10
    days = 1 + (index * 13) % 90
    if stage in (0, 1, 2):
        interim = {"interim_reply_at": town.ago(days / 2)} if stage == 2 else {}
        rows.reports.append(_report(town, person, days, ReportStatus.RECEIVED, **interim))
        return
    status = ReportStatus.BEING_ASSESSED if stage == 3 else ReportStatus.DECIDED
    rows.reports.append(_report(town, person, days + 30, status))
    rows.assessments.append(
        Assessment(
            municipality=town.municipality,
            person=person,
            led_by=town.officer,
            started_at=town.ago(days + 25),
            status=AssessmentStatus.IN_PROGRESS if stage == 3 else AssessmentStatus.COMPLETED,
            completed_at=None if stage == 3 else town.ago(days + 5),
            needs_coordinated_services="" if stage == 3 else Answer.YES,
        )
    )
    if stage == 3:
        return
    for offset in (0, 3):
        rows.decisions.append(
            ServiceDecision(
                municipality=town.municipality,
                person=person,
                kind=DecisionKind.SERVICE,
                outcome=DecisionOutcome.GRANTED,
                decided_on=timezone.localdate(town.ago(days + offset)),
                decided_by=town.officer,
            )
        )
    if stage == 9:
        rows.reports.append(
            _report(town, person, days / 3, ReportStatus.RECEIVED, kind=ReportKind.CHANGED_NEED)
        )


def _teams(town: _Town, people: list[tuple[int, Person]]) -> None:
    """Teams for stages 5-9, with members and a coordinator (proposed at stage 5)."""
    with_team = [(index, person) for index, person in people if index % 10 >= 5]
    teams = CareTeam.objects.bulk_create(
        [CareTeam(municipality=town.municipality, person=person) for _index, person in with_team],
        batch_size=BATCH,
    )
    members: list[TeamMember] = []
    assignments: list[CoordinatorAssignment] = []
    for (index, _person), team in zip(with_team, teams, strict=True):
        coordinator = town.coordinators[index % COORDINATORS]
        units = ["ergo", "hjemme", "lege", "psyk", "nav"][: 2 + index % 4]
        for position, key in enumerate(units):
            members.append(
                TeamMember(
                    municipality=town.municipality,
                    team=team,
                    user=coordinator if key == "ergo" else None,
                    name=coordinator.get_full_name() if key == "ergo" else f"Medlem fra {key}",
                    unit=town.units[key],
                    joined_at=town.ago(60),
                    left_at=town.ago(5) if index % 10 == 9 and position == len(units) - 1 else None,
                )
            )
        active = index % 10 != 5
        assignments.append(
            CoordinatorAssignment(
                municipality=town.municipality,
                team=team,
                coordinator=coordinator,
                status=AssignmentStatus.ACTIVE if active else AssignmentStatus.PROPOSED,
                proposed_by=town.ke,
                proposed_at=town.ago(50),
                started_at=town.ago(45) if active else None,
            )
        )
    TeamMember.objects.bulk_create(members, batch_size=BATCH)
    CoordinatorAssignment.objects.bulk_create(assignments, batch_size=BATCH)


def _chunks(start: int, stop: int) -> Iterable[range]:
    for first in range(start, stop, BATCH):
        yield range(first, min(first + BATCH, stop))


def build(*, persons: int, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Top «Benchmark kommune» up to ``persons`` persons in the pathway and refresh the
    statistics. Returns (persons before, persons now); adds nothing when there are enough."""
    if persons > MAX_PERSONS:
        raise ValueError(f"at most {MAX_PERSONS} persons")
    with unscoped(), transaction.atomic():
        town = _town(now or timezone.now())
        before = Person.objects.filter(municipality=town.municipality).count()
        for chunk in _chunks(before, persons):
            created = Person.objects.bulk_create([_person(town, i) for i in chunk])
            people = list(zip(chunk, created, strict=True))
            rows = _Rows()
            for index, person in people:
                _stage_rows(town, index, person, rows)
            NeedReport.objects.bulk_create(rows.reports)
            Assessment.objects.bulk_create(rows.assessments)
            ServiceDecision.objects.bulk_create(rows.decisions)
            _teams(town, people)
    analyze()
    return before, max(before, persons)


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (PostgreSQL) would shortly after a bulk
    load in a real database. Without them PostgreSQL guesses a handful of rows per table and
    picks nested loops that make the page take seconds instead of milliseconds."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


SCENARIOS: list[tuple[str, dict[str, str]]] = [
    ("page 1, no filter", {}),
    ("page 50", {"page": "50"}),
    ("status: team", {"status": "team"}),
    ("status: being assessed", {"status": "being_assessed"}),
    ("group: frail elderly", {"group": "frail_elderly"}),
    ("group: mental health + coordinator", {"group": "mental_health", "status": "coordinator"}),
    ("overdue only", {"overdue": "on"}),
    ("unit: mental health", {"unit": "psyk"}),
]


class _Counter:
    """Counts the statements a request sends (DEBUG's query log is capped at 9000 entries)."""

    def __init__(self, statements: list[str]) -> None:
        self.statements = statements

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append(sql)
        return execute(sql, params, many, context)


def _client(user: User) -> Client:
    """The test client, on a host this configuration accepts (production settings need --yes)."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in {"*", ""} and not h.startswith(".")]
    server = "testserver" if "testserver" in settings.ALLOWED_HOSTS or not hosts else hosts[0]
    client = Client(SERVER_NAME=server)
    client.force_login(user)
    return client


def measure(*, runs: int = 20) -> list[Result]:
    """Open the overview as Benchmark kommune's KE user: once per scenario counting queries, then
    ``runs`` times for the time. The page's own audit row tells how many rows it showed."""
    with unscoped():
        municipality = Municipality.objects.get(number=NUMBER)
        ke = User.objects.get(username=KE_USERNAME)
        psyk = Unit.objects.get(municipality=municipality, kind=UnitKind.MENTAL_HEALTH)
    client = _client(ke)
    client.get("/oversikt/", secure=True)  # warm up: connection, session, templates
    results = []
    for label, query in SCENARIOS:
        params = {**query, "unit": str(psyk.uuid)} if "unit" in query else query
        statements: list[str] = []
        with connection.execute_wrapper(_Counter(statements)):
            response = client.get("/oversikt/", params, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{label}: the page answered {response.status_code}")
        with unscoped():
            detail = (
                AuditEvent.objects.filter(actor=ke, what="ke_overview")
                .order_by("-id")
                .values_list("detail", flat=True)[0]
            )
        timings = []
        for _run in range(runs):
            start = time.perf_counter()
            client.get("/oversikt/", params, secure=True)
            timings.append((time.perf_counter() - start) * 1000)
        p90 = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0]
        results.append(
            Result(
                label=label,
                rows=detail["rows"],
                total=detail["total"],
                queries=len(statements),
                median_ms=statistics.median(timings),
                p90_ms=p90,
            )
        )
    return results
