"""KE's overview of the municipality's pathway: every person who has a report of need, an
assessment, a decision, a team or a coordinator, with administrative status columns only — no
report text and no assessment text.

Built for a municipality with thousands of persons in the pathway (see benchmarks/README.md):

- "in the pathway", the filters and the overdue flag are uncorrelated semi-joins
  (``id IN (SELECT person_id …)``), computed once per query, not once per person; the overdue
  flag follows the rule of :attr:`NeedReport.is_overdue`, in the database;
- the order needs two keys per person (overdue, date of the latest report); the status columns
  are correlated subqueries computed for the page's 50 persons only, in a second query;
- a page costs the same few queries whatever the number of persons: totals, the page's ids, its
  columns, its coordinators, and the audit row. Nothing runs per row.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Unit, UnitKind
from oppfolging.lib import identity
from oppfolging.lib.dates import years_before
from oppfolging.overview.groups import Stage, TargetGroup
from oppfolging.people.models import Person
from oppfolging.plans.evaluation_selectors import open_periods, persons_with_overdue_evaluation
from oppfolging.plans.models import CarePlan, PlanStatus
from oppfolging.referrals.models import (
    ONE_MONTH,
    Answer,
    Assessment,
    AssessmentStatus,
    NeedReport,
    ReportStatus,
    ServiceDecision,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

PAGE_SIZE = 50
CHILD_AGE_LIMIT = 18  # under 18: children and youth
ELDERLY_AGE = 75  # 75 and over: frail elderly
OPEN_REPORT = (ReportStatus.RECEIVED, ReportStatus.BEING_ASSESSED)
# Assignments the coordinator column shows: appointed, approved by the leader but not yet
# registered, and proposed (awaiting the leader). Declined and ended ones are history.
SHOWN_ASSIGNMENTS = (AssignmentStatus.ACTIVE, AssignmentStatus.APPROVED, AssignmentStatus.PROPOSED)


@dataclass(frozen=True)
class OverviewFilters:
    unit: Unit | None = None
    group: str = ""
    stage: str = ""
    overdue_only: bool = False

    def as_detail(self) -> dict[str, Any]:
        """For the audit row: what the list was narrowed to (unit by uuid and name)."""
        return {
            "unit": {"uuid": str(self.unit.uuid), "name": self.unit.name} if self.unit else None,
            "group": self.group,
            "status": self.stage,
            "overdue_only": self.overdue_only,
        }


@dataclass(frozen=True)
class CoordinatorLine:
    name: str
    status: str

    @property
    def is_active(self) -> bool:
        return self.status == AssignmentStatus.ACTIVE


@dataclass(frozen=True)
class OverviewRow:
    person_uuid: Any
    name: str
    masked_id: str
    age: int
    report_at: datetime.datetime | None
    report_days: int | None  # days since the latest report was received
    report_status: str
    report_status_label: str
    interim_reply_sent: bool
    overdue: bool
    assessment_status: str
    assessment_status_label: str
    assessment_on: datetime.datetime | None
    decision_count: int
    last_decision_on: datetime.date | None
    team_members: int | None  # None: no open team
    coordinators: list[CoordinatorLine] = field(default_factory=list)
    plan_status: str = ""  # "": no plan
    plan_status_label: str = ""
    next_evaluation_on: datetime.date | None = None
    evaluation_overdue: bool = False  # the running period's checkpoint has passed unevaluated

    @property
    def active_coordinators(self) -> list[CoordinatorLine]:
        return [line for line in self.coordinators if line.is_active]

    @property
    def pending_coordinators(self) -> list[CoordinatorLine]:
        """Approved or proposed: shown only while nobody is appointed."""
        return [] if self.active_coordinators else [c for c in self.coordinators if not c.is_active]


@dataclass(frozen=True)
class OverviewPage:
    rows: list[OverviewRow]
    number: int
    num_pages: int
    total: int
    overdue_total: int
    evaluation_overdue_total: int = 0

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + len(self.rows)

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.num_pages else None

    @property
    def page_links(self) -> list[int | None]:
        """First, last and two either side of the current page; ``None`` marks a gap."""
        wanted = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        pages = sorted(n for n in wanted if 1 <= n <= self.num_pages)
        links: list[int | None] = []
        for n in pages:
            if links and links[-1] is not None and n - links[-1] > 1:
                links.append(None)
            links.append(n)
        return links


def _ids(qs: QuerySet[Any], field: str = "person_id") -> Q:
    """``pk IN (SELECT person_id …)``: an uncorrelated semi-join the database computes once for
    the whole list, with the municipality's own index, instead of a lookup per person."""
    return Q(pk__in=qs.values(field))


def _overdue_q(now: datetime.datetime) -> Q:
    """The database form of NeedReport.is_overdue: open, no interim reply, older than a month."""
    return _ids(
        NeedReport.objects.filter(
            status__in=OPEN_REPORT, interim_reply_at__isnull=True, received_at__lt=now - ONE_MONTH
        )
    )


def _in_pathway() -> Q:
    return (
        _ids(NeedReport.objects.all())
        | _ids(Assessment.objects.all())
        | _ids(ServiceDecision.objects.all())
        | _ids(CareTeam.objects.all())
        | _ids(CoordinatorAssignment.objects.all(), "team__person_id")
    )


def _active_members() -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(left_at__isnull=True, team__closed_at__isnull=True)


def group_q(group: str, today: datetime.date) -> Q:
    """The target groups, derived from what is recorded (there is no diagnosis field yet):

    - children and youth: under 18 today;
    - frail elderly: 75 or over today (age only: no frailty score exists yet);
    - mental health and substance use: an active member of the person's team comes from a unit
      of kind «psykisk helse og rus», or a report about the person came from such a unit;
    - chronic conditions: a completed assessment concluded that the person needs long-term and
      coordinated services (the assessment's conclusion, not a diagnosis).
    """
    if group == TargetGroup.CHILDREN:
        return Q(birth_date__gt=years_before(today, CHILD_AGE_LIMIT))
    if group == TargetGroup.FRAIL_ELDERLY:
        return Q(birth_date__lte=years_before(today, ELDERLY_AGE))
    if group == TargetGroup.MENTAL_HEALTH:
        return _ids(_active_members().filter(unit__kind=UnitKind.MENTAL_HEALTH), "team__person_id") | _ids(
            NeedReport.objects.filter(reporter_unit__kind=UnitKind.MENTAL_HEALTH)
        )
    if group == TargetGroup.CHRONIC:
        return _ids(
            Assessment.objects.filter(
                status=AssessmentStatus.COMPLETED, needs_coordinated_services=Answer.YES
            )
        )
    return Q()


def _assignments(status: AssignmentStatus) -> Q:
    return _ids(CoordinatorAssignment.objects.filter(status=status, ended_at__isnull=True), "team__person_id")


def _stage_q(stage: str) -> Q:
    """Where the person stands; a person can be at several stages (a new report while a team
    exists), so each is a test of its own rather than one exclusive state."""
    reports = NeedReport.objects.all()
    if stage == Stage.REPORTED:
        return _ids(reports.filter(status=ReportStatus.RECEIVED))
    if stage == Stage.BEING_ASSESSED:
        return _ids(reports.filter(status=ReportStatus.BEING_ASSESSED)) | _ids(
            Assessment.objects.filter(status=AssessmentStatus.IN_PROGRESS)
        )
    if stage == Stage.DECIDED:
        return _ids(ServiceDecision.objects.all()) | _ids(reports.filter(status=ReportStatus.DECIDED))
    if stage == Stage.COORDINATOR_PROPOSED:
        return _assignments(AssignmentStatus.PROPOSED)
    if stage == Stage.COORDINATOR:
        return _assignments(AssignmentStatus.ACTIVE)
    if stage == Stage.TEAM:
        return _ids(_active_members(), "team__person_id")
    return Q()


def pathway_persons(
    *, municipality_id: int, filters: OverviewFilters, now: datetime.datetime
) -> QuerySet[Person]:
    """The persons of the municipality in the pathway, narrowed by ``filters``, with the
    ``is_overdue`` and ``report_at`` annotations the order needs. Call inside the municipality's
    scope (the request's)."""
    today = timezone.localdate(now)
    qs = Person.objects.filter(_in_pathway(), municipality_id=municipality_id)
    if filters.unit is not None:
        qs = qs.filter(_ids(_active_members().filter(unit=filters.unit), "team__person_id"))
    if filters.group:
        qs = qs.filter(group_q(filters.group, today))
    if filters.stage:
        qs = qs.filter(_stage_q(filters.stage))
    if filters.overdue_only:
        qs = qs.filter(_overdue_q(now))
    return _with_order_keys(qs, now)


def _with_order_keys(qs: QuerySet[Person], now: datetime.datetime) -> QuerySet[Person]:
    latest_report = NeedReport.objects.filter(person=OuterRef("pk")).order_by("-received_at", "-pk")
    return qs.annotate(
        is_overdue=ExpressionWrapper(_overdue_q(now), output_field=BooleanField()),
        # The evaluation overdue rule of the plans (one semi-join, like the report deadline).
        evaluation_overdue=ExpressionWrapper(
            persons_with_overdue_evaluation(timezone.localdate(now)), output_field=BooleanField()
        ),
        report_at=Subquery(latest_report.values("received_at")[:1]),
    )


def _with_columns(qs: QuerySet[Person]) -> QuerySet[Person]:
    person = OuterRef("pk")
    latest_report = NeedReport.objects.filter(person=person).order_by("-received_at", "-pk")
    latest_assessment = Assessment.objects.filter(person=person).order_by("-started_at", "-pk")
    decisions = ServiceDecision.objects.filter(person=person).order_by()
    open_team = CareTeam.objects.filter(person=person, closed_at__isnull=True)
    next_checkpoint = open_periods().filter(plan__person_id=person).order_by("evaluation_due_on")
    return qs.annotate(
        plan_status=Subquery(CarePlan.objects.filter(person=person).values("status")[:1]),
        next_evaluation_on=Subquery(next_checkpoint.values("evaluation_due_on")[:1]),
        report_status=Subquery(latest_report.values("status")[:1]),
        report_interim_at=Subquery(latest_report.values("interim_reply_at")[:1]),
        assessment_status=Subquery(latest_assessment.values("status")[:1]),
        assessment_on=Subquery(
            latest_assessment.annotate(on=Coalesce("completed_at", "started_at")).values("on")[:1]
        ),
        # COUNT without GROUP BY: one row per person, found through the person's own index.
        decision_count=Coalesce(
            Subquery(decisions.annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        last_decision_on=Subquery(decisions.order_by("-decided_on").values("decided_on")[:1]),
        team_members=Subquery(
            open_team.annotate(n=Count("members", filter=Q(members__left_at__isnull=True))).values("n")[:1]
        ),
    )


ROW_FIELDS = ("pk", "uuid", "given_name", "family_name", "national_id", "birth_date")
COLUMNS = (
    "is_overdue",
    "report_at",
    "report_status",
    "report_interim_at",
    "assessment_status",
    "assessment_on",
    "decision_count",
    "last_decision_on",
    "team_members",
    "plan_status",
    "next_evaluation_on",
    "evaluation_overdue",
)


def _coordinators(person_ids: list[int]) -> dict[int, list[CoordinatorLine]]:
    """One query for the page: the appointed, approved and proposed coordinators' names."""
    lines: dict[int, list[CoordinatorLine]] = {}
    rows = (
        CoordinatorAssignment.objects.filter(
            team__person_id__in=person_ids, status__in=SHOWN_ASSIGNMENTS, ended_at__isnull=True
        )
        .order_by("proposed_at", "pk")
        .values_list("team__person_id", "status", "coordinator__first_name", "coordinator__last_name")
    )
    for person_id, status, first, last in rows:
        lines.setdefault(person_id, []).append(CoordinatorLine(name=f"{first} {last}".strip(), status=status))
    return lines


def _row(values: dict[str, Any], coordinators: list[CoordinatorLine], now: datetime.datetime) -> OverviewRow:
    today = timezone.localdate(now)
    birth: datetime.date = values["birth_date"]
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    report_status = values["report_status"] or ""
    assessment_status = values["assessment_status"] or ""
    return OverviewRow(
        person_uuid=values["uuid"],
        name=f"{values['given_name']} {values['family_name']}",
        masked_id=identity.mask(values["national_id"]),
        age=age,
        report_at=values["report_at"],
        report_days=(now - values["report_at"]).days if values["report_at"] else None,
        report_status=report_status,
        report_status_label=str(ReportStatus(report_status).label) if report_status else "",
        interim_reply_sent=values["report_interim_at"] is not None,
        overdue=bool(values["is_overdue"]),
        assessment_status=assessment_status,
        assessment_status_label=str(AssessmentStatus(assessment_status).label) if assessment_status else "",
        assessment_on=values["assessment_on"],
        decision_count=values["decision_count"],
        last_decision_on=values["last_decision_on"],
        team_members=values["team_members"],
        coordinators=coordinators,
        plan_status=values["plan_status"] or "",
        plan_status_label=str(PlanStatus(values["plan_status"]).label) if values["plan_status"] else "",
        next_evaluation_on=values["next_evaluation_on"],
        evaluation_overdue=bool(values["evaluation_overdue"]),
    )


def overview_page(
    *,
    actor: Actor,
    filters: OverviewFilters,
    page: int = 1,
    now: datetime.datetime | None = None,
) -> OverviewPage:
    """One page of the overview: persons with an overdue report first, then those with an
    overdue evaluation, then by the date of the latest report (oldest first), then by name.
    Opening it is recorded once, with the filters and the count."""
    now = now or timezone.now()
    if actor.municipality is None:
        raise ValueError("The KE overview needs an actor who acts in a municipality")
    qs = pathway_persons(municipality_id=actor.municipality.pk, filters=filters, now=now)
    totals = qs.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(is_overdue=True)),
        # The rule itself, not the annotation: Django names the annotation in the FILTER clause
        # of the aggregate without selecting it when its subquery is correlated.
        evaluation_overdue=Count("pk", filter=persons_with_overdue_evaluation(timezone.localdate(now))),
    )
    total, overdue_total = totals["total"], totals["overdue"]
    num_pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(1, page), num_pages)
    offset = (number - 1) * PAGE_SIZE
    # Two steps, so that the columns are computed for the page's 50 persons only: first the
    # page's ids in order (only the order keys for every person), then the page's columns.
    ids = list(
        qs.order_by(
            F("is_overdue").desc(),
            F("evaluation_overdue").desc(),
            F("report_at").asc(nulls_last=True),
            "family_name",
            "given_name",
            "pk",
        ).values_list("pk", flat=True)[offset : offset + PAGE_SIZE]
    )
    page_qs = _with_columns(_with_order_keys(Person.objects.filter(pk__in=ids), now))
    by_id = {v["pk"]: v for v in page_qs.values(*ROW_FIELDS, *COLUMNS)} if ids else {}
    values = [by_id[pk] for pk in ids]
    coordinators = _coordinators([v["pk"] for v in values]) if values else {}
    rows = [_row(v, coordinators.get(v["pk"], []), now) for v in values]
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="ke_overview",
        role=Role.KE_STAFF.value,
        municipality=actor.municipality,
        detail={
            "filters": filters.as_detail(),
            "page": number,
            "rows": len(rows),
            "total": total,
        },
    )
    return OverviewPage(
        rows=rows,
        number=number,
        num_pages=num_pages,
        total=total,
        overdue_total=overdue_total,
        evaluation_overdue_total=totals["evaluation_overdue"],
    )


def unit_choices(*, actor: Actor) -> QuerySet[Unit]:
    """The units a KE user can narrow the list to: the municipality's active units, and the
    external units (hospital, state NAV, private practice) with an active member in one of the
    municipality's teams."""
    if actor.municipality is None:
        return Unit.objects.none()
    external_in_teams = TeamMember.objects.filter(left_at__isnull=True, unit__municipality__isnull=True)
    return Unit.objects.filter(
        Q(municipality=actor.municipality, is_active=True)
        | Q(municipality__isnull=True, pk__in=external_in_teams.values("unit_id"))
    ).order_by("name")
