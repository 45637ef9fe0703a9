"""A synthetic municipality's pathway history, fast enough to build at the issue's scale (30 000
persons, about 300 000 goals, sub-goals and measures, 1 000 000 audit rows) for the indicator
benchmark, and small enough (a few hundred persons) for the demo and the query-count test.

Why not the ORM's ``bulk_create``: a model instance costs tens of microseconds to make and to
compile into SQL, and at this scale that was twenty minutes. The builder keeps each row as a
dict, numbers the primary keys itself (from the table's current maximum), and sends the rows
of a thousand persons table by table — ``executemany`` on SQLite, ``COPY`` on PostgreSQL, whose
sequences are moved past the new ids at the end. Dates are set explicitly, ``created_at`` too:
the indicators read the dates recorded, and a history stamped with today's time would make every
trend flat. The same seed, municipality and size give the same rows. Nothing goes through
services or signals, so no audit rows are written on the way; the audit table gets rows of its own
(it is append-only: inserts are allowed, updates are not).

Proportions, chosen to look like a Norwegian municipality's pathway (shares of the persons, or of
those that reached the step before):

- Persons: age today 0-17 20 %, 18-39 15 %, 40-66 25 %, 67-74 18 %, 75-97 22 %; 52 % women; 6 %
  need an interpreter. Each has one report of need, received on a uniformly random day over the
  history (``years`` years plus one year before, so the first buckets start with a caseload).
  Reporter unit by age: children mostly school and GP, adults GP, mental health and NAV, the
  elderly home care, GP and hospital. Staff 85 %, the person 9 %, a relative 6 %.
- 90 % of reports reach an assessment, started a median of 12 days after the report (p90 about a
  month), completed a median of 18 days later; 70 % of children and elderly and 60 % of other
  adults conclude with long-term coordinated needs. The person's own answer to «Hva er viktig
  for deg?» (the ``wishes`` section) is written in 72 % of assessments early in the history,
  rising to 90 % at the end; information about IP and coordinator given 75 % rising to 92 %;
  minor children as next of kin «yes» for 20 % of persons aged 25-60, attended to (a text) for
  75 % of those; an interpreter needed for 6 %, used for 80 % of them. Reports waiting more than
  a month get an interim reply in 75 % of cases, 85 % of them on time. Reports without an
  assessment are closed after 40-120 days.
- Reports with coordinated needs are decided (IP and coordinator granted, one or two services),
  then a team is formed (median a week later) with the coordinator and 1-4 members from other
  units (school for children, mental health for those it reported, the hospital for some); 12 %
  of members leave later. Coordinators: one for every eight persons, with caseloads skewed
  (lognormal weights), so some have one or two persons and some six or more; 70 % have had
  training (some twice) and most some supervision. KE proposes; the coordinator starts a median
  of 10 days later; 12 % are replaced later, with a two-week overlap.
- 85 % of teams with a coordinator get a plan (median two weeks after the start), activated a
  median of three weeks later (95 %); 15 % of active plans are closed after six months to two
  and a half years, and the team with them. 1-4 goals per plan (85 % in the person's own words,
  rising over time); periods of 3-6 months in a row until today; an evaluation at each checkpoint
  — on time 65 % early rising to 82 %, late 15 %, missing the rest — with each goal's result;
  one sub-goal per active goal and period (two for 10 %) and one or two measures per sub-goal.
  About 10 goals, sub-goals and measures per person in all.
- PSFS for 75 % of activated plans: 2-4 activities, a baseline at activation (mean score about
  3) and a measurement at 70 % of the evaluations, improving by about 0.8 points an evaluation.
- The experienced-quality survey: 40 % of persons with an active plan answer, a quarter of them
  twice, mostly 3-5 on each question, 5 % «don't know» per question.
- Imported registry data for 60 % of persons with a team (and 10 % of the others): emergency
  admissions (Poisson, 1.3 a year for the elderly, 0.6 for others; 30 % fewer after the team
  started) with bed days, GP contacts, and municipal service hours before and after.
- Audit rows: about 33 per person (1 000 000 at 30 000), over the history, by the builder's staff.
"""

from __future__ import annotations

import datetime
import math
import random
import time
import uuid
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import Municipality, Unit, UnitKind
from oppfolging.core.tenancy import unscoped
from oppfolging.function.models import (
    ExperienceSurvey,
    FunctionActivity,
    FunctionMeasurement,
    FunctionScore,
    Occasion,
)
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    CloseReason,
    Evaluation,
    Goal,
    GoalOutcome,
    GoalResult,
    GoalStatus,
    Measure,
    MeasureStatus,
    PeriodStatus,
    PlanPeriod,
    PlanStatus,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.referrals.models import (
    Answer,
    Assessment,
    AssessmentSection,
    AssessmentStatus,
    DecisionKind,
    DecisionOutcome,
    Knowledge,
    NeedReport,
    OfferStatus,
    ReportChannel,
    ReportSource,
    ReportStatus,
    ServiceDecision,
)
from oppfolging.risk.models import Contact, ContactKind, ImportBatch, MunicipalService, RiskSubject
from oppfolging.teams.models import (
    AssignmentStatus,
    CareTeam,
    CoordinatorAssignment,
    CoordinatorTraining,
    TeamMember,
)

AUDIT_PER_PERSON = 1_000_000 / 30_000
CHUNK = 1_000  # persons kept in memory before their rows are written
AUDIT_CHUNK = 50_000

Row = dict[str, Any]


@dataclass(frozen=True)
class Names:
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]


# Names nobody has: the synthetic population must never be taken for real persons.
INVENTED = Names(
    female=("Fiktiva", "Oppdikta", "Syntia", "Prøvelin", "Eksempla", "Modella", "Demonia", "Testine"),
    male=("Fiktivus", "Oppdiktar", "Synteo", "Prøvald", "Eksemplar", "Modellus", "Demonar", "Testor"),
    family=(
        "Fiktivsen",
        "Diktesen",
        "Prøvestad",
        "Eksempelrud",
        "Demovik",
        "Testeberg",
        "Modellund",
        "Syntesnes",
        "Oppdiktrud",
        "Påfunnøy",
    ),
)

# (unit key, kind, name) of the units the builder needs: found by kind in the municipality, or
# created. "sykehus" is an external unit (no municipality), as hospital departments are.
UNITS = [
    ("ke", UnitKind.COORDINATING_UNIT, "Koordinerende enhet"),
    ("tildeling", UnitKind.ALLOCATION_OFFICE, "Tildelingskontoret"),
    ("hjemme", UnitKind.HOME_CARE, "Hjemmetjenesten"),
    ("psyk", UnitKind.MENTAL_HEALTH, "Psykisk helse og rus"),
    ("lege", UnitKind.GP_OFFICE, "Legekontoret"),
    ("nav", UnitKind.NAV_OFFICE, "NAV"),
    ("skole", UnitKind.SCHOOL, "Skolen"),
    ("ergo", UnitKind.OTHER, "Ergoterapitjenesten"),
]
HOSPITAL_NAME = "Sykehuset, medisinsk avdeling (syntetisk)"
STAFF_ROLE = {
    "ke": Role.KE_STAFF,
    "tildeling": Role.ALLOCATION_OFFICER,
    "lege": Role.GP,
    "hjemme": Role.TEAM_MEMBER,
    "psyk": Role.TEAM_MEMBER,
    "nav": Role.TEAM_MEMBER,
    "skole": Role.TEAM_MEMBER,
    "ergo": Role.TEAM_MEMBER,
    "sykehus": Role.TEAM_MEMBER,
}
AUDIT_ROLE: dict[str, str] = {Role.COORDINATOR: "coordinator", Role.KE_STAFF: "ke_staff", Role.GP: "gp"}
COORDINATOR_UNITS = (("ergo", 35), ("hjemme", 30), ("psyk", 20), ("skole", 10), ("nav", 5))
REPORTERS = {
    "child": (("skole", 35), ("lege", 25), ("sykehus", 15), ("psyk", 10), ("ke", 10), ("hjemme", 5)),
    "adult": (("lege", 35), ("psyk", 25), ("nav", 15), ("sykehus", 10), ("hjemme", 10), ("ke", 5)),
    "elderly": (("hjemme", 40), ("lege", 30), ("sykehus", 25), ("psyk", 5)),
}
# (lowest age, highest age, share in %, group)
AGES = (
    (0, 17, 20, "child"),
    (18, 39, 15, "adult"),
    (40, 66, 25, "adult"),
    (67, 74, 18, "elderly"),
    (75, 97, 22, "elderly"),
)
TEAM_UNITS = {
    "child": ("skole", "lege", "hjemme", "sykehus"),
    "adult": ("hjemme", "lege", "nav", "ergo"),
    "elderly": ("hjemme", "lege", "sykehus", "ergo"),
}

WISHES = (
    "Å klare meg selv hjemme så lenge som mulig.",
    "Å komme tilbake i jobb, litt etter litt.",
    "Å kunne gå tur med hunden igjen.",
    "At familien får en pause av og til.",
    "Å ha venner å være sammen med etter skolen.",
    "Å slippe å fortelle det samme til alle.",
    "Å sove bedre og ha mer krefter om dagen.",
    "Å handle og lage mat selv.",
)
GOALS = (
    "Jeg vil gå til butikken selv.",
    "Jeg vil være med i korpset igjen.",
    "Jeg vil jobbe to dager i uka.",
    "Jeg vil klare morgenstellet uten hjelp.",
    "Jeg vil ha faste folk å forholde meg til.",
    "Jeg vil bo hjemme.",
    "Jeg vil ut av huset hver dag.",
    "Jeg vil ha kontroll på medisinene mine.",
)
STAFF_GOALS = ("Stabil ernæring og vekt.", "Færre innleggelser.", "Trygg legemiddelbruk.")
SUB_GOALS = (
    "Gå 200 meter med rullator.",
    "Møte opp på arbeidstrening.",
    "Lage frokost selv tre dager i uka.",
)
MEASURES = (
    "Trening med fysioterapeut to ganger i uka.",
    "Hjemmetjenesten følger opp medisiner.",
    "Samtaler med psykisk helse annenhver uke.",
    "Arbeidstrening via NAV.",
    "Avlastning én helg i måneden.",
    "Hjelpemidler vurdert av ergoterapeut.",
)
ACTIVITIES = ("Gå i trapper", "Lage middag", "Handle", "Gå tur", "Kle på meg", "Være på skolen hele dagen")
SURVEY_FIELDS = ("decisions", "coordinator", "together", "information", "listened_to", "benefit")
# (what, action, share in %, about a person)
AUDIT_KINDS = (
    ("person", "view", 24, True),
    ("plan", "view", 16, True),
    ("assessment", "view", 8, True),
    ("care_team", "view", 6, True),
    ("plan.goal", "update", 5, True),
    ("plan.measure", "update", 5, True),
    ("assessment.section", "update", 5, True),
    ("plan.evaluation", "create", 3, True),
    ("function.measurement", "create", 3, True),
    ("need_report", "create", 3, True),
    ("meeting", "create", 3, True),
    ("followup.day", "view", 8, False),
    ("ke_overview", "view", 4, False),
    ("session", "login", 7, False),
)

# The tables the builder writes, in the order their rows are inserted (parents first).
ORDER: tuple[type[models.Model], ...] = (
    Person,
    NeedReport,
    Assessment,
    AssessmentSection,
    ServiceDecision,
    CareTeam,
    TeamMember,
    CoordinatorAssignment,
    CarePlan,
    Goal,
    PlanPeriod,
    SubGoal,
    Measure,
    Evaluation,
    GoalResult,
    FunctionActivity,
    FunctionMeasurement,
    FunctionScore,
    ExperienceSurvey,
    RiskSubject,
    Contact,
    MunicipalService,
    CoordinatorTraining,
    AuditEvent,
)


class _Weighted:
    """A weighted choice, with cumulative weights computed once."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.keys = [key for key, _weight in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _key, weight in pairs:
            total += weight
            self.cumulative.append(total)

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]


class _Table:
    """One table's columns, each with its default and a converter to what the database driver
    takes, so that a row (a dict by attribute name) becomes a tuple cheaply."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.sqlite = connection.vendor == "sqlite"
        self.defaults: list[Any] = []
        self.converters: list[Callable[[Any], Any] | None] = []
        for model_field in self.fields:
            # A callable default (a uuid, the time) or a NOT NULL column without a default
            # must be given; blank text defaults to "", nullable columns to None.
            default = _REQUIRED if model_field.has_default() and callable(model_field.default) else None
            if default is None:
                default = model_field.get_default()
                if default is None and not model_field.null:
                    default = _REQUIRED
            self.defaults.append(default)
            self.converters.append(self._converter(model_field))
        self.next_id = 1 + (model._base_manager.aggregate(top=Max("pk"))["top"] or 0)
        self.rows: list[Row] = []
        self.written = 0

    def _converter(self, model_field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        kind = model_field.get_internal_type()
        if kind == "JSONField":
            empty = model_field.get_db_prep_save({}, connection)
            return lambda value: empty if value == {} else model_field.get_db_prep_save(value, connection)
        if kind == "DecimalField":
            return lambda value: model_field.get_db_prep_save(value, connection)
        if not self.sqlite:
            return None  # psycopg adapts dates, UUIDs and aware datetimes itself
        if kind == "DateTimeField":
            return _sqlite_datetime
        if kind == "UUIDField":
            return _sqlite_uuid
        return None

    def add(self, row: Row) -> Row:
        row["id"] = self.next_id
        self.next_id += 1
        self.rows.append(row)
        return row

    def tuples(self) -> list[tuple[Any, ...]]:
        out = []
        plan = list(zip((f.attname for f in self.fields), self.defaults, self.converters, strict=True))
        for row in self.rows:
            values = []
            for attname, default, convert in plan:
                value = row.get(attname, default)
                if value is _REQUIRED:
                    raise ValueError(f"{self.model.__name__}.{attname} is required and was not given")
                values.append(convert(value) if convert is not None and value is not None else value)
            out.append(tuple(values))
        return out

    def write(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        columns = [f.column for f in self.fields]
        rows = self.tuples()
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            with connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
        else:
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
        self.written += len(rows)
        self.rows = []


_REQUIRED = object()


def _sqlite_datetime(value: datetime.datetime) -> str:
    """What Django's SQLite backend stores: naive UTC, ``YYYY-MM-DD HH:MM:SS[.ffffff]``."""
    if value.tzinfo is not datetime.UTC:
        value = value.astimezone(datetime.UTC)
    return str(value.replace(tzinfo=None))


def _sqlite_uuid(value: uuid.UUID) -> str:
    return value.hex


@dataclass
class _Staff:
    user_id: int
    label: str
    unit_key: str
    role: str


@dataclass
class Built:
    """What :func:`build` wrote: rows per table (by model label), its seconds, and the
    username of the leader of every unit of the municipality ("" when none was made)."""

    rows: dict[str, int]
    seconds: float
    leader: str


class _Builder:
    def __init__(
        self,
        municipality: Municipality,
        *,
        persons: int,
        end: datetime.date,
        years: int,
        seed: int,
        audit_rows: int,
        names: Names,
        prefix: str,
        leader: bool,
    ) -> None:
        self.municipality = municipality
        self.with_leader = leader
        self.persons = persons
        self.end = end
        self.history_start = end - datetime.timedelta(days=365 * (years + 1))
        self.span_days = (end - self.history_start).days
        self.audit_rows = audit_rows
        self.names = names
        self.prefix = prefix
        self.rng = random.Random(f"{seed}:{municipality.number}:{persons}")  # noqa: S311 - not secrets
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.end_at = self.at(end, 16)
        self.tables: dict[type[models.Model], _Table] = {}
        self.person_ids: list[int] = []
        self.used_numbers: set[str] = set()
        self.reporters = {group: _Weighted(pairs) for group, pairs in REPORTERS.items()}
        self.coordinator_units = _Weighted(COORDINATOR_UNITS)
        self.ages = _Weighted([(age, age[2]) for age in AGES])
        self.audit_kinds = _Weighted([(kind, kind[2]) for kind in AUDIT_KINDS])
        self.unit: dict[str, Unit] = {}
        self.staff_by_unit: dict[str, list[_Staff]] = {}
        self.coordinators: list[_Staff] = []
        self.coordinator_pick = _Weighted([])
        self.everyone: list[_Staff] = []
        self.leader = ""
        self.extra_counts: dict[str, int] = {}

    # --- small helpers ---------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def delay(self, median: float, sigma: float = 0.7) -> datetime.timedelta:
        """A lognormal wait, as waits in a queue are."""
        return datetime.timedelta(days=self.rng.lognormvariate(math.log(median), sigma))

    def trend(self, moment: datetime.datetime, early: float, late: float) -> float:
        """A probability moving from ``early`` to ``late`` over the history: practice improves."""
        position = (moment.date() - self.history_start).days / self.span_days
        return early + (late - early) * min(1.0, max(0.0, position))

    def at(self, day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
        """``hour`` o'clock in Oslo on ``day``, in UTC: every later time is computed from these,
        and UTC values go to the database without a time-zone conversion each."""
        local = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)
        return local.astimezone(datetime.UTC)

    def add(self, model: type[models.Model], moment: datetime.datetime, **row: Any) -> Row:
        """A tenant-owned row created at ``moment``."""
        row.update(
            municipality_id=self.municipality.pk, uuid=self.uuid(), created_at=moment, updated_at=moment
        )
        return self.tables[model].add(row)

    # --- the municipality's units and staff ------------------------------------------------------

    def units(self) -> None:
        short = self.municipality.name.replace(" kommune", "")
        for key, kind, name in UNITS:
            unit = Unit.objects.filter(municipality=self.municipality, kind=kind).order_by("pk").first()
            if unit is None:
                unit = Unit.objects.create(municipality=self.municipality, kind=kind, name=f"{name} {short}")
            self.unit[key] = unit
        hospital = (
            Unit.objects.filter(municipality=None, kind=UnitKind.HOSPITAL_DEPARTMENT).order_by("pk").first()
        )
        self.unit["sykehus"] = hospital or Unit.objects.create(
            name=HOSPITAL_NAME, kind=UnitKind.HOSPITAL_DEPARTMENT
        )

    def staff(self) -> None:
        """Staff in every unit (reporters, assessors, team members, audit actors), coordinators
        (one for every eight persons), and a leader of every unit of the municipality; written
        through the ORM (a few thousand rows), with unusable passwords."""
        self.units()
        plan: list[tuple[str, str]] = [
            (key, role) for key, role in STAFF_ROLE.items() for _n in range(max(2, self.persons // 1_000))
        ]
        plan += [
            (self.coordinator_units(self.rng), Role.COORDINATOR) for _n in range(max(3, self.persons // 8))
        ]
        password = make_password(None)
        everyone = self.names.female + self.names.male
        users = [
            User(
                username=f"{self.prefix}-{key}-{index:05d}",
                first_name=self.rng.choice(everyone),
                last_name=self.rng.choice(self.names.family),
                email=f"{self.prefix}-{index:05d}@syntetisk.invalid",
                title="Koordinator" if role == Role.COORDINATOR else "",
                password=password,
                uuid=self.uuid(),
            )
            for index, (key, role) in enumerate(plan)
        ]
        leaders = []
        if self.with_leader:
            leaders.append(
                User(
                    username=f"{self.prefix}-leder",
                    first_name="Lederine",
                    last_name="Oversiktsen",
                    email=f"{self.prefix}-leder@syntetisk.invalid",
                    title="Kommunalsjef",
                    password=password,
                    uuid=self.uuid(),
                )
            )
            self.leader = leaders[0].username
        User.objects.bulk_create([*users, *leaders], batch_size=2_000)
        memberships = [
            Membership(user=user, unit=self.unit[key], role=role, uuid=self.uuid())
            for user, (key, role) in zip(users, plan, strict=True)
        ]
        memberships += [
            Membership(user=leader, unit=unit, role=Role.LEADER, uuid=self.uuid())
            for leader in leaders
            for key, unit in self.unit.items()
            if key != "sykehus"
        ]
        Membership.objects.bulk_create(memberships, batch_size=2_000)
        self.extra_counts = {
            "accounts.User": len(users) + len(leaders),
            "accounts.Membership": len(memberships),
        }
        for user, (key, role) in zip(users, plan, strict=True):
            member = _Staff(user.pk, user.get_full_name(), key, role)
            if role == Role.COORDINATOR:
                self.coordinators.append(member)
            else:
                self.staff_by_unit.setdefault(key, []).append(member)
        self.everyone = [*self.coordinators, *(s for group in self.staff_by_unit.values() for s in group)]
        self.coordinator_pick = _Weighted([(c, self.rng.lognormvariate(0, 0.8)) for c in self.coordinators])
        for coordinator in self.coordinators:
            courses = (2 if self.chance(0.3) else 1) if self.chance(0.7) else 0
            for kind, count in (("training", courses), ("supervision", self.rng.randrange(0, 4))):
                for _n in range(count):
                    self.tables[CoordinatorTraining].add(
                        {
                            "user_id": coordinator.user_id,
                            "municipality_id": self.municipality.pk,
                            "kind": kind,
                            "held_on": self.history_start
                            + datetime.timedelta(days=self.rng.randrange(self.span_days)),
                            "description": "Koordinatoropplæring"
                            if kind == "training"
                            else "Veiledning i gruppe",
                        }
                    )

    def someone(self, key: str) -> _Staff:
        return self.rng.choice(self.staff_by_unit[key])

    def coordinator(self, avoid: int | None = None) -> _Staff:
        while True:
            chosen: _Staff = self.coordinator_pick(self.rng)
            if chosen.user_id != avoid or len(self.coordinators) == 1:
                return chosen

    # --- one person's story ----------------------------------------------------------------------

    def number(self, birth: datetime.date, sex: Sex) -> str:
        serial = self.rng.randrange(70)
        while True:
            candidate = make_synthetic(birth, sex=sex, serial=serial)
            if candidate not in self.used_numbers:
                self.used_numbers.add(candidate)
                return candidate
            serial += 1

    def person(self) -> None:
        rng = self.rng
        low, high, _share, group = self.ages(rng)
        birth = self.end - datetime.timedelta(days=rng.randrange(low * 365 + 20, (high + 1) * 365 - 10))
        sex = Sex.FEMALE if self.chance(0.52) else Sex.MALE
        received = self.at(
            self.history_start + datetime.timedelta(days=rng.randrange(self.span_days)),
            8 + rng.randrange(8),
            rng.randrange(60),
        )
        interpreter = self.chance(0.06)
        person = self.add(
            Person,
            received,
            national_id=self.number(birth, sex),
            id_kind="fnr",
            id_is_synthetic=True,
            birth_date=birth,
            sex=sex.value,
            given_name=rng.choice(self.names.female if sex is Sex.FEMALE else self.names.male),
            family_name=rng.choice(self.names.family),
            interpreter_needed=interpreter,
            interpreter_language="arabisk" if interpreter else "",
        )
        reporter_key: str = self.reporters[group](rng)
        knowledge = rng.choices(
            [Knowledge.KNOWS_AND_AGREES, Knowledge.KNOWS_NOT_AGREES, Knowledge.DOES_NOT_KNOW],
            cum_weights=[85, 93, 100],
        )[0]
        report = self.add(
            NeedReport,
            received,
            person_id=person["id"],
            reporter_id=self.someone(reporter_key).user_id,
            reporter_unit_id=self.unit[reporter_key].pk,
            source=rng.choices(
                [ReportSource.STAFF, ReportSource.PERSON, ReportSource.RELATIVE], cum_weights=[85, 94, 100]
            )[0],
            channel=rng.choices(
                [ReportChannel.ELECTRONIC, ReportChannel.WRITTEN, ReportChannel.ORAL],
                cum_weights=[70, 90, 100],
            )[0],
            observed="Sammensatte behov; flere tjenester er involvert.",
            knowledge=knowledge,
            reason_without_knowledge="Personen var innlagt og kunne ikke ta stilling."
            if knowledge == Knowledge.DOES_NOT_KNOW
            else "",
            status=ReportStatus.RECEIVED,
            received_at=received,
        )
        assessment = None
        if self.chance(0.9):
            started = received + self.delay(12, 0.8)
            if started <= self.end_at:
                assessment = self.assessment(person, report, started, group)
        self.settle_report(report, assessment)
        team_at = None
        if report["status"] == ReportStatus.DECIDED:
            self.decisions(person, report)
            team_at = report["decided_at"] + self.delay(7, 0.6)
            if team_at > self.end_at:
                team_at = None
        if team_at is not None:
            self.team(person, team_at, group, reporter_key)
        self.risk(person, team_at, group)

    def assessment(self, person: Row, report: Row, started: datetime.datetime, group: str) -> Row:
        rng = self.rng
        completed: datetime.datetime | None = started + self.delay(18, 0.6)
        if completed is not None and completed > self.end_at:
            completed = None
        needs = ""
        if completed is not None:
            needs = Answer.YES if self.chance(0.6 if group == "adult" else 0.7) else Answer.NO
        age = (started.date() - person["birth_date"]).days // 365
        if 25 <= age <= 60:
            children = rng.choices([Answer.YES, Answer.NO, ""], cum_weights=[20, 95, 100])[0]
        else:
            children = Answer.NO if self.chance(0.85) else ""
        yes = needs == Answer.YES
        assessor = self.someone("tildeling" if self.chance(0.6) else "ke").user_id
        assessment = self.add(
            Assessment,
            started,
            person_id=person["id"],
            report_id=report["id"],
            status=AssessmentStatus.COMPLETED if completed else AssessmentStatus.IN_PROGRESS,
            led_by_id=assessor,
            started_at=started,
            completed_at=completed,
            version=1,
            interpreter_needed=person["interpreter_needed"],
            interpreter_used=person["interpreter_needed"] and self.chance(0.8),
            minor_children_as_next_of_kin=children,
            minor_children_attended_to="Barna har hatt samtale med helsesykepleier."
            if children == Answer.YES and self.chance(0.75)
            else "",
            rehabilitation_potential_assessed=self.chance(0.5),
            needs_coordinated_services=needs,
            needs_reason="Behov for tjenester fra flere enheter over tid." if needs else "",
            ip_status=rng.choices(
                [OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.OFFERED], cum_weights=[80, 90, 100]
            )[0]
            if yes
            else OfferStatus.NOT_OFFERED,
            coordinator_status=OfferStatus.ACCEPTED if yes else OfferStatus.NOT_OFFERED,
            informed_about_ip_and_coordinator=self.chance(self.trend(started, 0.75, 0.92)),
        )
        if self.chance(self.trend(started, 0.72, 0.90)):
            text: str | None = rng.choice(WISHES)
        else:
            text = None if self.chance(0.5) else ""  # no section at all, or an empty one
        if text is not None:
            self.add(
                AssessmentSection,
                started,
                assessment_id=assessment["id"],
                key="wishes",
                text=text,
                version=1 if text else 0,
                updated_by_id=assessor if text else None,
            )
        return assessment

    def settle_report(self, report: Row, assessment: Row | None) -> None:
        """The report's status as it stands at the end, with its dates, and an interim reply
        when the answer took more than a month."""
        received: datetime.datetime = report["received_at"]
        answer_at: datetime.datetime | None = None
        if assessment is not None and assessment["completed_at"] is not None:
            answer_at = assessment["completed_at"] + self.delay(4, 0.5)
            if answer_at > self.end_at:
                report["status"], answer_at = ReportStatus.BEING_ASSESSED, None
            elif assessment["needs_coordinated_services"] == Answer.YES:
                report["status"], report["decided_at"] = ReportStatus.DECIDED, answer_at
            else:
                report["status"], report["closed_at"] = ReportStatus.CLOSED, answer_at
        elif assessment is not None:
            report["status"] = ReportStatus.BEING_ASSESSED
        else:
            closed = received + datetime.timedelta(days=self.rng.randrange(40, 120))
            if closed <= self.end_at:
                report["status"], report["closed_at"], answer_at = ReportStatus.CLOSED, closed, closed
        if report["status"] != ReportStatus.RECEIVED:
            report["handled_by_id"] = self.someone("tildeling").user_id
        waited = (answer_at or self.end_at) - received
        if waited > datetime.timedelta(days=30) and self.chance(0.75):
            days = self.rng.randrange(5, 29) if self.chance(0.85) else self.rng.randrange(31, 50)
            reply = received + datetime.timedelta(days=days)
            if reply <= self.end_at:
                report["interim_reply_at"] = reply
                report["interim_reply_expected_by"] = (reply + datetime.timedelta(days=45)).date()
                report["interim_reply_text"] = (
                    "Vi trenger mer tid til kartleggingen og svarer innen seks uker."
                )
        report["updated_at"] = answer_at or received

    def decisions(self, person: Row, report: Row) -> None:
        decided: datetime.datetime = report["decided_at"]
        officer = self.someone("tildeling").user_id
        kinds = [DecisionKind.INDIVIDUAL_PLAN, DecisionKind.COORDINATOR]
        kinds += [DecisionKind.SERVICE] * self.rng.randrange(1, 3)
        for kind in kinds:
            self.add(
                ServiceDecision,
                decided,
                person_id=person["id"],
                report_id=report["id"],
                kind=kind,
                scope="Etter vurdering i teamet" if kind == DecisionKind.SERVICE else "",
                outcome=DecisionOutcome.GRANTED,
                decided_on=decided.date(),
                decided_by_id=officer,
                notified_on=decided.date() + datetime.timedelta(days=self.rng.randrange(1, 4)),
                valid_from=decided.date(),
            )

    def member(self, team: Row, who: _Staff, joined: datetime.datetime, *, stays: bool = False) -> Row:
        left = None
        if not stays and self.chance(0.12):
            moment = joined + datetime.timedelta(days=self.rng.randrange(30, 700))
            left = moment if moment < self.end_at else None
        return self.add(
            TeamMember,
            joined,
            team_id=team["id"],
            user_id=who.user_id,
            name=who.label,
            unit_id=self.unit[who.unit_key].pk,
            joined_at=joined,
            left_at=left,
        )

    def team(self, person: Row, formed: datetime.datetime, group: str, reporter_key: str) -> None:
        rng = self.rng
        team = self.add(
            CareTeam,
            formed,
            person_id=person["id"],
            is_child_coordinator_case=group == "child" and self.chance(0.3),
        )
        first = self.coordinator()
        proposed = formed + self.delay(3, 0.5)
        started: datetime.datetime | None = proposed + self.delay(10, 0.6)
        if started is not None and started > self.end_at:
            started = None
        coordinator_member = self.member(team, first, formed, stays=True)
        members = [coordinator_member]
        others: tuple[str, ...] = TEAM_UNITS[group]
        if reporter_key == "psyk":
            others = ("psyk", *others)
        for key in others[: rng.randrange(1, 5)]:
            members.append(
                self.member(team, self.someone(key), formed + datetime.timedelta(days=rng.randrange(0, 10)))
            )
        assignment = self.add(
            CoordinatorAssignment,
            proposed,
            team_id=team["id"],
            coordinator_id=first.user_id,
            status=AssignmentStatus.ACTIVE if started else AssignmentStatus.PROPOSED,
            proposed_by_id=self.someone("ke").user_id,
            proposed_at=proposed,
            started_at=started,
        )
        if started is None:
            return
        closed = self.plan(person, started, first, members) if self.chance(0.85) else None
        if closed is not None:
            team_closed = closed + datetime.timedelta(days=rng.randrange(0, 30))
            if team_closed <= self.end_at:
                team.update(closed_at=team_closed, closed_reason="Planen er avsluttet.")
                assignment.update(status=AssignmentStatus.ENDED, ended_at=team_closed)
                return
        if self.chance(0.12):
            change = started + datetime.timedelta(days=rng.randrange(60, 900))
            if change < self.end_at:
                successor = self.coordinator(avoid=first.user_id)
                overlap = change - datetime.timedelta(days=14)
                self.member(team, successor, overlap, stays=True)
                assignment.update(status=AssignmentStatus.ENDED, ended_at=change)
                coordinator_member["left_at"] = change
                self.add(
                    CoordinatorAssignment,
                    overlap,
                    team_id=team["id"],
                    coordinator_id=successor.user_id,
                    status=AssignmentStatus.ACTIVE,
                    proposed_by_id=self.someone("ke").user_id,
                    proposed_at=overlap - datetime.timedelta(days=10),
                    started_at=overlap,
                )

    def plan(
        self, person: Row, coordinator_from: datetime.datetime, coordinator: _Staff, members: list[Row]
    ) -> datetime.datetime | None:
        """The plan, its goals, periods, evaluations, sub-goals and measures, the PSFS series
        and the survey. Returns when the plan was closed, if it was."""
        rng = self.rng
        created = coordinator_from + self.delay(14, 0.7)
        if created > self.end_at:
            return None
        activated: datetime.datetime | None = created + self.delay(21, 0.6) if self.chance(0.95) else None
        if activated is not None and activated > self.end_at:
            activated = None
        closed = None
        if activated is not None and self.chance(0.15):
            moment = activated + datetime.timedelta(days=rng.randrange(180, 900))
            closed = moment if moment <= self.end_at else None
        plan = self.add(
            CarePlan,
            created,
            person_id=person["id"],
            status=PlanStatus.CLOSED if closed else PlanStatus.ACTIVE if activated else PlanStatus.DRAFT,
            needs="Koordinerte tjenester fra flere enheter.",
            created_by_id=coordinator.user_id,
            activated_at=activated,
            activated_by_id=coordinator.user_id if activated else None,
            closed_at=closed,
            closed_by_id=coordinator.user_id if closed else None,
            close_reason=rng.choice(
                [CloseReason.GOALS_REACHED, CloseReason.NO_LONGER_NEEDED, CloseReason.MOVED]
            )
            if closed
            else "",
        )
        own_words = self.trend(created, 0.78, 0.92)
        goals = []
        for order in range(rng.choices([1, 2, 3, 4], cum_weights=[20, 60, 88, 100])[0]):
            mine = self.chance(own_words)
            goals.append(
                self.add(
                    Goal,
                    created + datetime.timedelta(days=rng.randrange(0, 10)),
                    plan_id=plan["id"],
                    text=rng.choice(GOALS) if mine else rng.choice(STAFF_GOALS),
                    in_own_words=mine,
                    status=GoalStatus.ACTIVE,
                    order=order,
                    author_kind=AuthorKind.PERSON if mine and self.chance(0.2) else AuthorKind.STAFF,
                    author_id=coordinator.user_id,
                )
            )
        activities: list[Row] = []
        baseline: list[int] = []
        if activated is not None and self.chance(0.75):
            for order, text in enumerate(rng.sample(ACTIVITIES, rng.randrange(2, 5))):
                activities.append(
                    self.add(
                        FunctionActivity,
                        activated,
                        person_id=person["id"],
                        text=text,
                        order=order,
                        created_by_id=coordinator.user_id,
                    )
                )
            baseline = [rng.randrange(1, 6) for _a in activities]
            self.psfs(person, activated.date(), Occasion.BASELINE, None, activities, baseline, coordinator)
        self.periods(plan, person, goals, members, coordinator, activities, baseline)
        if activated is not None:
            self.survey(person, activated, closed)
        return closed

    def periods(
        self,
        plan: Row,
        person: Row,
        goals: list[Row],
        members: list[Row],
        coordinator: _Staff,
        activities: list[Row],
        baseline: list[int],
    ) -> None:
        """Periods in a row from activation until the plan closed or today (a draft has one,
        planned); each with sub-goals and measures, and its evaluation if one was held."""
        rng = self.rng
        activated: datetime.datetime | None = plan["activated_at"]
        closed: datetime.datetime | None = plan["closed_at"]
        start = (activated or plan["created_at"]).date()
        stop = closed.date() if closed else self.end
        on_time = self.trend(plan["created_at"], 0.65, 0.82)
        number = evaluations = 0
        while start <= stop:
            number += 1
            ends = start + datetime.timedelta(days=30 * rng.choice([3, 4, 6, 6]))
            due = ends - datetime.timedelta(days=7)
            period = self.add(
                PlanPeriod,
                self.at(start, 9),
                plan_id=plan["id"],
                number=number,
                starts_on=start,
                ends_on=ends,
                evaluation_due_on=due,
                status=PeriodStatus.ACTIVE if activated else PeriodStatus.PLANNED,
                focus="Komme i gang med tiltakene." if number == 1 else "",
            )
            active = [goal for goal in goals if goal["status"] == GoalStatus.ACTIVE]
            sub_goals = self.contents(period, active, members, ends)
            held = None
            if activated is not None and due <= stop:
                roll = rng.random()
                if roll < on_time:
                    held = due - datetime.timedelta(days=rng.randrange(0, 14))
                elif roll < on_time + 0.15:
                    late = due + datetime.timedelta(days=rng.randrange(1, 60))
                    held = late if late <= stop else None
            if held is not None:
                evaluations += 1
                period["status"] = PeriodStatus.EVALUATED
                self.evaluate(period, held, active, sub_goals, coordinator)
                if activities and self.chance(0.7):
                    improved = [
                        min(10, max(0, round(s + rng.gauss(0.8 * evaluations, 1.5)))) for s in baseline
                    ]
                    self.psfs(person, held, Occasion.EVALUATION, period, activities, improved, coordinator)
            if activated is None:
                break
            start = ends + datetime.timedelta(days=1)

    def contents(self, period: Row, goals: list[Row], members: list[Row], due: datetime.date) -> list[Row]:
        rng = self.rng
        moment = period["created_at"]
        statuses = [MeasureStatus.DONE, MeasureStatus.ONGOING, MeasureStatus.PLANNED, MeasureStatus.STOPPED]
        sub_goals = []
        for goal in goals:
            for order in range(2 if self.chance(0.1) else 1):
                sub_goal = self.add(
                    SubGoal,
                    moment,
                    period_id=period["id"],
                    goal_id=goal["id"],
                    text=rng.choice(SUB_GOALS),
                    order=order,
                )
                sub_goals.append(sub_goal)
                for position in range(2 if self.chance(0.35) else 1):
                    by_member = self.chance(0.78)
                    self.add(
                        Measure,
                        moment,
                        period_id=period["id"],
                        sub_goal_id=sub_goal["id"],
                        description=rng.choice(MEASURES),
                        responsible_kind=ResponsibleKind.MEMBER if by_member else ResponsibleKind.PERSON,
                        responsible_member_id=rng.choice(members)["id"] if by_member else None,
                        starts_on=period["starts_on"],
                        due_on=due,
                        status=rng.choice(statuses) if due < self.end else MeasureStatus.ONGOING,
                        order=position,
                    )
        return sub_goals

    def evaluate(
        self, period: Row, held: datetime.date, goals: list[Row], sub_goals: list[Row], coordinator: _Staff
    ) -> None:
        rng = self.rng
        moment = self.at(held, 13)
        evaluation = self.add(
            Evaluation,
            moment,
            period_id=period["id"],
            held_on=held,
            summary="Teamet gikk gjennom målene og tiltakene.",
            persons_view="Det går bedre enn sist." if self.chance(0.8) else "",
            team_reviewed=self.chance(0.85),
            recorded_by_id=coordinator.user_id,
        )
        first_sub: dict[int, int] = {}
        for sub_goal in sub_goals:
            first_sub.setdefault(sub_goal["goal_id"], sub_goal["id"])
        for goal in goals:
            outcome = rng.choices(
                [GoalOutcome.ACHIEVED, GoalOutcome.PARTLY, GoalOutcome.NOT_ACHIEVED],
                cum_weights=[25, 70, 100],
            )[0]
            self.add(
                GoalResult,
                moment,
                evaluation_id=evaluation["id"],
                goal_id=goal["id"],
                sub_goal_id=first_sub.get(goal["id"]),
                outcome=outcome,
            )
            if outcome == GoalOutcome.ACHIEVED and self.chance(0.5):
                goal.update(status=GoalStatus.ACHIEVED, updated_at=moment)
            elif outcome == GoalOutcome.NOT_ACHIEVED and self.chance(0.15):
                goal.update(status=GoalStatus.DROPPED, updated_at=moment)

    def psfs(
        self,
        person: Row,
        on: datetime.date,
        occasion: str,
        period: Row | None,
        activities: list[Row],
        scores: list[int],
        coordinator: _Staff,
    ) -> None:
        moment = self.at(on)
        measurement = self.add(
            FunctionMeasurement,
            moment,
            person_id=person["id"],
            measured_on=on,
            occasion=occasion,
            period_id=period["id"] if period else None,
            entered_by_id=coordinator.user_id,
            entered_by_label=coordinator.label,
            entered_by_kind=AuthorKind.PERSON if self.chance(0.15) else AuthorKind.STAFF,
        )
        for activity, score in zip(activities, scores, strict=True):
            self.add(
                FunctionScore,
                moment,
                measurement_id=measurement["id"],
                activity_id=activity["id"],
                score=score,
            )

    def survey(self, person: Row, activated: datetime.datetime, closed: datetime.datetime | None) -> None:
        rng = self.rng
        if not self.chance(0.4):
            return
        latest = closed or self.end_at
        for _n in range(2 if self.chance(0.25) else 1):
            moment = activated + datetime.timedelta(days=rng.randrange(60, 720))
            if moment > latest:
                continue
            answers = {
                name: None
                if self.chance(0.05)
                else rng.choices([1, 2, 3, 4, 5], cum_weights=[3, 10, 30, 70, 100])[0]
                for name in SURVEY_FIELDS
            }
            self.add(
                ExperienceSurvey,
                moment,
                person_id=person["id"],
                answered_on=moment.date(),
                entered_by_id=rng.choice(self.everyone).user_id,
                entered_by_kind=AuthorKind.PERSON if self.chance(0.8) else AuthorKind.RELATIVE,
                **answers,
            )

    def risk(self, person: Row, team_from: datetime.datetime | None, group: str) -> None:
        """Imported registry rows for 60 % of persons with a team and 10 % of the others:
        admissions, GP contacts and municipal services in the year before and after the team
        started (or the report, without a team)."""
        rng = self.rng
        if not self.chance(0.6 if team_from else 0.1):
            return
        pivot = (team_from or person["created_at"]).date()
        moment = self.at(self.end, 3)
        subject = self.add(
            RiskSubject,
            moment,
            national_id=person["national_id"],
            birth_date=person["birth_date"],
            sex=person["sex"],
            person_id=person["id"],
        )
        rate = 1.3 if group == "elderly" else 0.6
        for side, factor in ((-1, 1.0), (1, 0.7 if team_from else 1.0)):
            for kind, mean in ((ContactKind.EMERGENCY_ADMISSION, rate * factor), (ContactKind.GP, 3.0)):
                for _n in range(_poisson(rng, mean)):
                    on = pivot + datetime.timedelta(days=side * rng.randrange(1, 365))
                    if on <= self.end:
                        self.add(
                            Contact,
                            moment,
                            subject_id=subject["id"],
                            on=on,
                            kind=kind,
                            length_of_stay=rng.randrange(1, 11)
                            if kind == ContactKind.EMERGENCY_ADMISSION
                            else None,
                        )
        if group == "child" and not self.chance(0.3):
            return
        service = "Hjemmesykepleie" if group == "elderly" else "Praktisk bistand"
        before = round(rng.uniform(1, 10), 1)
        change = rng.choices([0.0, rng.uniform(1, 6), -rng.uniform(0.5, before)], cum_weights=[60, 85, 100])[
            0
        ]
        split = pivot + datetime.timedelta(days=rng.randrange(-30, 120))
        start = pivot - datetime.timedelta(days=rng.randrange(200, 700))
        self.add(
            MunicipalService,
            moment,
            subject_id=subject["id"],
            kind=service,
            hours_per_week=before,
            start=start,
            end=split,
        )
        if split < self.end:
            self.add(
                MunicipalService,
                moment,
                subject_id=subject["id"],
                kind=service,
                hours_per_week=round(max(0.5, before + change), 1),
                start=split + datetime.timedelta(days=1),
                end=None,
            )

    # --- writing ---------------------------------------------------------------------------------

    def flush(self) -> None:
        self.person_ids += [row["id"] for row in self.tables[Person].rows]
        for table in self.tables.values():
            table.write()

    def audit(self) -> None:
        """``audit_rows`` rows over the history: what staff looked at and changed, about the
        persons of this build, and their logins and overview pages."""
        rng = self.rng
        table = self.tables[AuditEvent]
        start = datetime.datetime.combine(self.history_start, datetime.time(), tzinfo=datetime.UTC)
        seconds = self.span_days * 86_400
        for index in range(self.audit_rows):
            what, action, _share, about = self.audit_kinds(rng)
            actor = rng.choice(self.everyone)
            table.add(
                {
                    "uuid": self.uuid(),
                    "occurred_at": start + datetime.timedelta(seconds=rng.randrange(seconds)),
                    "municipality_id": self.municipality.pk,
                    "actor_id": actor.user_id,
                    "actor_label": actor.label,
                    "role": AUDIT_ROLE.get(actor.role, "team_member"),
                    "person_id": rng.choice(self.person_ids) if about else None,
                    "action": action,
                    "what": what,
                    "object_uuid": self.uuid() if about else None,
                    "detail": {},
                }
            )
            if (index + 1) % AUDIT_CHUNK == 0:
                table.write()
        table.write()

    def build(self) -> None:
        if connection.vendor == "sqlite":
            # A bigger page cache for this connection (the default is 2 MB): the random UUIDs
            # of a million audit rows make the unique index's pages scatter.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        self.tables = {model: _Table(model) for model in ORDER}
        self.used_numbers.update(
            Person.all_tenants.filter(municipality=self.municipality).values_list("national_id", flat=True)
        )
        self.used_numbers.update(
            RiskSubject.all_tenants.filter(municipality=self.municipality).values_list(
                "national_id", flat=True
            )
        )
        self.staff()
        for index in range(self.persons):
            self.person()
            if (index + 1) % CHUNK == 0:
                self.flush()
        self.flush()
        if self.person_ids:
            self.audit()
        ImportBatch.all_tenants.create(
            municipality=self.municipality,
            file_name="uttrekk-syntetisk.csv",
            file_hash=f"{self.prefix}-{self.persons}",
            format="csv",
            rows=self.tables[Contact].written + self.tables[MunicipalService].written,
            subjects=self.tables[RiskSubject].written,
        )
        if connection.vendor == "postgresql":
            # The ids were given, not drawn from the sequences: move them past the new rows.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(ORDER)):
                    cursor.execute(statement)

    def counts(self) -> dict[str, int]:
        counts = {model._meta.label: table.written for model, table in self.tables.items() if table.written}
        counts.update(self.extra_counts)
        counts["risk.ImportBatch"] = 1
        return dict(sorted(counts.items()))


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means used here."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def ensure_municipality(number: str, name: str) -> Municipality:
    with unscoped():
        municipality, _created = Municipality.objects.get_or_create(number=number, defaults={"name": name})
    return municipality


def build(
    municipality: Municipality,
    *,
    persons: int,
    end: datetime.date,
    years: int = 3,
    seed: int = 1,
    audit_rows: int | None = None,
    names: Names = INVENTED,
    prefix: str = "",
    leader: bool = True,
    analyze: bool = False,
) -> Built:
    """Add ``persons`` persons with ``years`` years of pathway history ending on ``end`` (and a
    year before that) to ``municipality``, with staff of their own (usernames start with
    ``prefix``, by default ``syn<municipality number>``: one build per prefix; ``leader``: and
    a leader of every unit, ``<prefix>-leder``). ``audit_rows``:
    by default about 33 per person. ``analyze`` refreshes PostgreSQL's planner statistics
    afterwards, as autovacuum would soon after such a load in a real database."""
    began = time.perf_counter()
    builder = _Builder(
        municipality,
        persons=persons,
        end=end,
        years=years,
        seed=seed,
        audit_rows=round(persons * AUDIT_PER_PERSON) if audit_rows is None else audit_rows,
        names=names,
        prefix=prefix or f"syn{municipality.number}",
        leader=leader,
    )
    with unscoped(), transaction.atomic():
        builder.build()
    if analyze and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Built(rows=builder.counts(), seconds=time.perf_counter() - began, leader=builder.leader)
