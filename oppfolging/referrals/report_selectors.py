"""Reads of reports of need, and the access helpers every report page goes through.

A report is reached in one of three ways, each with its own helper that answers ``Http404`` for
"missing or not yours" alike:

- :func:`access_report_as_reporter` — the one who reported sees the status of what they
  reported, never the case that grows from it (no person access comes with reporting);
- :func:`access_report_for_handling` — the municipality's one entry point (KE and the allocation
  office of the person's municipality) for reports in its queue, and the person's active
  coordinator for a changed need routed to their inbox.

A changed need routed to a coordinator goes back to the queue by itself when the person no
longer has an active coordinator: a report is an application and must never be stranded.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Role, User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Unit
from oppfolging.referrals.models import (
    ONE_MONTH,
    NeedReport,
    ReportKind,
    ReportStatus,
    ReportStatusChange,
    Routing,
)
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment

OPEN_STATUSES = (ReportStatus.RECEIVED, ReportStatus.BEING_ASSESSED)
STATUS_ORDER = (
    ReportStatus.RECEIVED,
    ReportStatus.BEING_ASSESSED,
    ReportStatus.DECIDED,
    ReportStatus.CLOSED,
)
COORDINATOR_ROLE = "coordinator"


def active_assignments() -> QuerySet[CoordinatorAssignment]:
    """Coordinators in office: an active assignment, not ended, in a team that is not closed."""
    return CoordinatorAssignment.all_tenants.filter(
        status=AssignmentStatus.ACTIVE, ended_at__isnull=True, team__closed_at__isnull=True
    )


def person_has_active_coordinator(person_id: int) -> bool:
    return active_assignments().filter(team__person_id=person_id).exists()


def coordinates_anyone(user: User | None) -> bool:
    return user is not None and active_assignments().filter(coordinator=user).exists()


def _has_coordinator() -> Exists:
    return Exists(active_assignments().filter(team__person_id=OuterRef("person_id")))


def _coordinated_by(user: User) -> Exists:
    return Exists(active_assignments().filter(team__person_id=OuterRef("person_id"), coordinator=user))


def _in_queue() -> Q:
    """Routed to the queue, or routed to a coordinator who is no longer there."""
    return Q(routing=Routing.QUEUE) | Q(Q(routing=Routing.COORDINATOR), ~_has_coordinator())


def _parse_uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


# --- The reporter ----------------------------------------------------------------------------


def access_report_as_reporter(actor: Actor, report_uuid: uuid.UUID | str) -> NeedReport:
    """The report, if ``actor`` made it; otherwise Http404. Reports are found across
    municipalities here because a reporter may report to any municipality; the filter on the
    actor's own user is what limits it."""
    if not actor.is_staff_user or actor.user is None:
        raise Http404
    report = (
        NeedReport.all_tenants.select_related("person", "municipality", "reporter_unit")
        .filter(uuid=_parse_uuid(report_uuid), reporter=actor.user)
        .first()
    )
    if report is None:
        raise Http404
    return report


def reports_by_reporter(*, actor: Actor) -> list[NeedReport]:
    """What the actor has reported, newest first, in every municipality they reported to."""
    if actor.user is None:
        return []
    return list(
        NeedReport.all_tenants.filter(reporter=actor.user)
        .select_related("person", "municipality")
        .order_by("-received_at", "-id")
    )


def reporter_units(*, actor: Actor) -> QuerySet[Unit]:
    """The units the actor may report from: those of their own active memberships."""
    return Unit.objects.filter(pk__in={unit.pk for unit, _role in actor.unit_roles}).order_by("name")


def reporter_role_in(actor: Actor, unit: Unit) -> str:
    """The role the actor reports in, for the audit row: their first role in that unit."""
    return next((role.value for member_unit, role in actor.unit_roles if member_unit.pk == unit.pk), "")


# --- Handling: the queue and the coordinator's inbox ----------------------------------------


@dataclass(frozen=True)
class HandledReport:
    """A report the actor may handle, and the role they handle it in (for the audit log)."""

    report: NeedReport
    role: str

    @property
    def is_intake(self) -> bool:
        return self.role != COORDINATOR_ROLE


def intake_role(actor: Actor) -> str | None:
    if not actor.is_staff_user or actor.municipality is None:
        return None
    if actor.has_role(Role.KE_STAFF):
        return Role.KE_STAFF.value
    if actor.has_role(Role.ALLOCATION_OFFICER):
        return Role.ALLOCATION_OFFICER.value
    return None


def access_report_for_handling(actor: Actor, report_uuid: uuid.UUID | str) -> HandledReport:
    """KE or the allocation office of the person's municipality for a report in its queue; the
    person's active coordinator for a report routed to them. Anyone else: Http404."""
    if not actor.is_staff_user or actor.user is None:
        raise Http404
    key = _parse_uuid(report_uuid)
    role = intake_role(actor)
    if role is not None and actor.municipality is not None:
        report = (
            NeedReport.all_tenants.select_related("person", "reporter", "reporter_unit", "handled_by")
            .filter(_in_queue(), uuid=key, municipality=actor.municipality)
            .first()
        )
        if report is not None:
            return HandledReport(report, role)
    report = (
        NeedReport.all_tenants.select_related("person", "reporter", "reporter_unit", "handled_by")
        .filter(_coordinated_by(actor.user), uuid=key, routing=Routing.COORDINATOR)
        .first()
    )
    if report is None:
        raise Http404
    return HandledReport(report, COORDINATOR_ROLE)


def report_get_for_handling(*, actor: Actor, report_uuid: uuid.UUID | str) -> HandledReport:
    """Open a report's full content: access-checked, and the read is recorded."""
    handled = access_report_for_handling(actor, report_uuid)
    report_record_read(actor=actor, handled=handled)
    return handled


def report_record_read(*, actor: Actor, handled: HandledReport) -> None:
    """Record that the actor was shown the report's content."""
    report = handled.report
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="need_report",
        role=handled.role,
        person=report.person,
        municipality=report.municipality,
        object_uuid=report.uuid,
    )


def report_queue(
    *,
    actor: Actor,
    statuses: Iterable[str] = OPEN_STATUSES,
    kind: str = "",
) -> list[NeedReport]:
    """The municipality's one entry point, oldest first. One query whatever its length."""
    if intake_role(actor) is None:
        return []
    qs = (
        NeedReport.objects.filter(_in_queue(), status__in=list(statuses))
        .select_related("person", "reporter", "reporter_unit", "handled_by")
        .order_by("received_at", "id")
    )
    if kind in ReportKind.values:
        qs = qs.filter(kind=kind)
    return list(qs)


def report_inbox(*, actor: Actor) -> list[NeedReport]:
    """Changed needs routed to the actor as the person's active coordinator, newest first."""
    if not actor.is_staff_user or actor.user is None:
        return []
    return list(
        NeedReport.all_tenants.filter(_coordinated_by(actor.user), routing=Routing.COORDINATOR)
        .select_related("person", "reporter", "reporter_unit")
        .order_by("-received_at", "-id")
    )


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int


def report_queue_counts(*, actor: Actor) -> QueueCounts:
    """Open and overdue reports in the actor's queue, for the start page: one query. Overdue is
    the database form of :attr:`NeedReport.is_overdue`."""
    if intake_role(actor) is None:
        return QueueCounts(0, 0)
    overdue = Q(interim_reply_at__isnull=True, received_at__lt=timezone.now() - ONE_MONTH)
    counts = NeedReport.objects.filter(_in_queue(), status__in=OPEN_STATUSES).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=overdue)
    )
    return QueueCounts(open=counts["open"], overdue=counts["overdue"])


def report_inbox_open_count(*, actor: Actor) -> int:
    """Open reports in the actor's coordinator inbox, for the start page: one query."""
    if not actor.is_staff_user or actor.user is None:
        return 0
    return NeedReport.all_tenants.filter(
        _coordinated_by(actor.user), routing=Routing.COORDINATOR, status__in=OPEN_STATUSES
    ).count()


# --- Time in each status ---------------------------------------------------------------------


@dataclass(frozen=True)
class StatusPeriod:
    status: str
    label: str
    start: datetime.datetime
    end: datetime.datetime | None  # None: the current status
    changed_by: User

    @property
    def duration(self) -> datetime.timedelta:
        return (self.end or timezone.now()) - self.start

    @property
    def days(self) -> int:
        return self.duration.days

    @property
    def hours(self) -> int:
        return int(self.duration.total_seconds() // 3600)


def report_status_periods(*, report: NeedReport) -> list[StatusPeriod]:
    """Each status the report has been in, from when to when, read from its status changes."""
    changes = list(
        ReportStatusChange.all_tenants.filter(report=report)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    )
    periods = []
    for index, change in enumerate(changes):
        end = changes[index + 1].changed_at if index + 1 < len(changes) else None
        periods.append(
            StatusPeriod(
                status=change.to_status,
                label=str(ReportStatus(change.to_status).label),
                start=change.changed_at,
                end=end,
                changed_by=change.changed_by,
            )
        )
    return periods


def later_statuses(status: str) -> list[ReportStatus]:
    """The statuses a report may move on to: forward only."""
    index = STATUS_ORDER.index(ReportStatus(status))
    return list(STATUS_ORDER[index + 1 :])


def age_in_days(report: NeedReport) -> int:
    return (timezone.now() - report.received_at).days


@dataclass(frozen=True)
class QueueRow:
    """A report in a list, with its age and whether the one-month rule is broken."""

    report: NeedReport
    age_days: int
    is_overdue: bool

    @classmethod
    def of(cls, report: NeedReport) -> QueueRow:
        return cls(report=report, age_days=age_in_days(report), is_overdue=report.is_overdue)
