"""Structure indicators: the coordinators (their training and how many persons each has) and the
queue of reports waiting at the municipality's entry point (guideline 4.2: structure
indicators; 5.7 and 7.4 on coordinators; 6.2-6.4 on reports of need).

All three are states: each month or quarter shows how things stood at the end of its last day,
read from the dates recorded (an assignment's start and end, the team's closing, a report's
decision and closing), so that a past quarter looks as it did then. The whole period is the
state at the end of its last day.

Narrowing: by unit means the coordinators who are active members of that unit (memberships have
no dates, so today's membership is used for every month) and, for the queue, the reports sent
from that unit; by target group means only coordinator assignments for persons in the group and
reports about them.

The work per query is one pass over the rows with a condition per day read (up to 37), so the
conditions that do not depend on the day are applied once, before the pass, and lists that
do (trained users) are plain IN subqueries the database computes once.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models import Window as Over
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.accounts.models import Membership
from oppfolging.indicators.base import (
    Bucket,
    Indicator,
    Kind,
    Line,
    Outcome,
    Scope,
    Window,
    count_line,
    midnight,
    register,
    share_line,
    stat_line,
)
from oppfolging.lib.dates import years_before
from oppfolging.referrals.models import NeedReport, ReportStatus, Routing
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, CoordinatorTraining

SECTION = _("Koordinatorer og koordinerende enhet")

# The caseload groups: (key, label, lowest, highest or None).
CASELOAD_GROUPS = (
    ("one_to_two", _("1 til 2 personer"), 1, 2),
    ("three_to_five", _("3 til 5 personer"), 3, 5),
    ("six_or_more", _("6 personer eller flere"), 6, None),
)


def _spans(window: Window) -> list[Bucket]:
    return [*window.buckets, window.whole]


def _after(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day``: a state "at the end of the day" is what happened before."""
    return midnight(day + datetime.timedelta(days=1))


# Assignments that were ever in force; proposed, declined and approved ones never started.
STARTED = Q(status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.ENDED], started_at__isnull=False)


def in_force_on(day: datetime.date) -> Q:
    """A started assignment (:data:`STARTED`) still in force at the end of ``day``: started by
    then, not ended by then, in a team not closed by then. Kept apart from :data:`STARTED`, which
    does not depend on the day, so that a query over many days repeats as little as it can."""
    stop = _after(day)
    return (
        Q(started_at__lt=stop)
        & (Q(ended_at__isnull=True) | Q(ended_at__gte=stop))
        & (Q(team__closed_at__isnull=True) | Q(team__closed_at__gte=stop))
    )


def _group_only(scope: Scope) -> Scope:
    """The scope without its unit: structure indicators narrow by unit in their own way."""
    return Scope(scope.municipality_id, group=scope.group, today=scope.today)


def scoped_assignments(scope: Scope) -> QuerySet[CoordinatorAssignment]:
    """The assignments the structure indicators count, narrowed as the module docstring says."""
    assignments = _group_only(scope).filter(CoordinatorAssignment.objects.filter(STARTED), "team__person")
    if scope.unit_id is not None:
        members = Membership.objects.filter(unit_id=scope.unit_id, is_active=True).values("user_id")
        assignments = assignments.filter(coordinator_id__in=members)
    return assignments


# --- Coordinators and their training ---------------------------------------------------------


def _days(window: Window) -> tuple[list[datetime.date], list[int]]:
    """The distinct days the states are read on (the whole period shares its last bucket's
    day), and for each bucket and the whole period (last) the index of its day."""
    ends = [bucket.end for bucket in _spans(window)]
    days = list(dict.fromkeys(ends))
    return days, [days.index(end) for end in ends]


def _trained(scope: Scope, day: datetime.date, years: int) -> QuerySet[CoordinatorTraining, Any]:
    """The users with a training (not supervision) in the municipality's coordinator registry in
    the ``years`` * 12 months up to and including ``day``: a plain IN list, computed once."""
    return CoordinatorTraining.objects.filter(
        municipality_id=scope.municipality_id,
        kind=CoordinatorTraining.Kind.TRAINING,
        held_on__gt=years_before(day, years),
        held_on__lte=day,
    ).values("user_id")


def _coordinator_training(scope: Scope, window: Window) -> Outcome:
    """One query: per coordinator (grouped in a subquery) how many assignments were in force
    on each day, then the coordinators counted, and those among them in each day's list of
    trained users (an uncorrelated IN, computed once rather than looked up per row)."""
    days, day_of = _days(window)
    per_coordinator = {f"on_{index}": Count("pk", filter=in_force_on(day)) for index, day in enumerate(days)}
    aggregates: dict[str, Any] = {}
    for index, day in enumerate(days):
        on = Q(**{f"on_{index}__gt": 0})
        aggregates[f"coordinators_{index}"] = Count("coordinator_id", filter=on)
        for years in (1, 3):
            trained = Q(coordinator_id__in=_trained(scope, day, years))
            aggregates[f"trained_{years}_{index}"] = Count("coordinator_id", filter=on & trained)
    result = (
        scoped_assignments(scope)
        .order_by()
        .values("coordinator_id")
        .annotate(**per_coordinator)
        .aggregate(**aggregates)
    )

    def column(name: str) -> list[int]:
        return [int(result[f"{name}_{index}"] or 0) for index in day_of]

    coordinators = column("coordinators")
    return Outcome(
        lines=[
            count_line("coordinators", _("Koordinatorer"), coordinators),
            share_line(
                "trained_12",
                _("Andel med opplæring siste 12 måneder"),
                column("trained_1"),
                coordinators,
                main=True,
            ),
            share_line(
                "trained_36", _("Andel med opplæring siste 36 måneder"), column("trained_3"), coordinators
            ),
        ]
    )


COORDINATOR_TRAINING = register(
    Indicator(
        key="coordinator_training",
        name=_("Koordinatorer med opplæring"),
        kind=Kind.STRUCTURE,
        definition=_(
            "Koordinatorer er de ansatte som var koordinator for minst én person ved utgangen av "
            "siste dag i måneden eller kvartalet: oppnevningen var registrert og ikke avsluttet, "
            "og teamet var ikke avsluttet. Hver ansatt telles én gang, uansett hvor mange personer "
            "de er koordinator for. Av dem: andelen som har en opplæring (ikke veiledning) i "
            "kommunens koordinatorregister med dato de siste 12 månedene til og med den dagen, "
            "og andelen de siste 36 månedene. For hele perioden gjelder periodens siste dag. "
            "Valgt enhet: koordinatorer som i dag er aktive medlemmer av enheten. Valgt målgruppe: "
            "koordinatorer for minst én person i målgruppen."
        ),
        numerator=_("Koordinatorer med opplæring de siste 12 månedene"),
        denominator=_("Koordinatorer ved utgangen av måneden eller kvartalet"),
        source=_(
            "Veilederen 4.2 (strukturindikatorer) og 5.7: koordinerende enhet har ansvar for "
            "oppnevning, opplæring og veiledning av koordinatorer"
        ),
        compute=_coordinator_training,
        group=SECTION,
    )
)


# --- Caseload ---------------------------------------------------------------------------------


def _caseload(scope: Scope, window: Window) -> Outcome:
    """One query: each coordinator's number of persons on each day (grouped in a subquery),
    then the coordinators counted by group over those numbers. Assignments are counted as
    persons: a person has one team, and a coordinator cannot hold two open assignments for the
    same team (:func:`oppfolging.teams.coordinator_services.coordinator_propose` refuses it)."""
    days, day_of = _days(window)
    loads = {f"load_{index}": Count("team_id", filter=in_force_on(day)) for index, day in enumerate(days)}
    aggregates: dict[str, Any] = {}
    for key, _label, lowest, highest in CASELOAD_GROUPS:
        for index in range(len(days)):
            if highest is None:
                within = Q(**{f"load_{index}__gte": lowest})
            else:
                within = Q(**{f"load_{index}__range": (lowest, highest)})
            aggregates[f"{key}_{index}"] = Count("coordinator_id", filter=within)
    result = (
        scoped_assignments(scope)
        .order_by()
        .values("coordinator_id")
        .annotate(**loads)
        .aggregate(**aggregates)
    )
    return Outcome(
        lines=[
            count_line(
                key,
                label,
                [int(result[f"{key}_{index}"] or 0) for index in day_of],
                main=key == "six_or_more",
            )
            for key, label, _lowest, _highest in CASELOAD_GROUPS
        ],
        distribution=True,
    )


CASELOAD = register(
    Indicator(
        key="caseload",
        name=_("Koordinatorenes saksmengde"),
        kind=Kind.STRUCTURE,
        definition=_(
            "De samme koordinatorene som i «Koordinatorer med opplæring», fordelt etter hvor mange "
            "personer hver av dem var koordinator for ved utgangen av siste dag i måneden eller "
            "kvartalet: 1 til 2, 3 til 5, eller 6 eller flere. For hele perioden gjelder periodens "
            "siste dag. Valgt enhet: koordinatorer som i dag er aktive medlemmer av enheten. Valgt "
            "målgruppe: bare personer i målgruppen telles, både for hvem som er koordinator og for "
            "hvor mange personer de har. Er ett tall skjult fordi det er under 5, skjules også det "
            "minste av de andre, så det skjulte ikke kan regnes ut."
        ),
        numerator=_("Koordinatorer i hver gruppe"),
        denominator="",
        source=_(
            "Veilederen 4.2 (strukturindikatorer) og 7.4: det er et lederansvar å avgjøre hvor "
            "mange en ansatt kan være koordinator for"
        ),
        compute=_caseload,
        group=SECTION,
    )
)


# --- The queue at the entry point -------------------------------------------------------------


# A report that says decided or closed but has no date for it cannot be placed in time: it is left
# out rather than kept in the queue for ever.
UNDATED = Q(
    status__in=[ReportStatus.DECIDED, ReportStatus.CLOSED], decided_at__isnull=True, closed_at__isnull=True
)


def queued_on(day: datetime.date) -> Q:
    """Of the queue's reports (:func:`_queue_reports`), those waiting at the end of ``day``:
    received by then, neither decided nor closed by then."""
    stop = _after(day)
    return (
        Q(received_at__lt=stop)
        & (Q(decided_at__isnull=True) | Q(decided_at__gte=stop))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=stop))
    )


def _queue_reports(scope: Scope) -> QuerySet[NeedReport]:
    """The reports that go to the queue (KE and the allocation office), narrowed as the module
    docstring says. A changed need routed to the person's coordinator is the coordinator's."""
    reports = _group_only(scope).filter(NeedReport.objects.filter(routing=Routing.QUEUE).exclude(UNDATED))
    if scope.unit_id is not None:
        reports = reports.filter(reporter_unit_id=scope.unit_id)
    return reports


def _age(day: datetime.date, received: object) -> int | None:
    """Whole days from the day ``received`` (a datetime, or None for an empty queue) to ``day``."""
    if not isinstance(received, datetime.datetime):
        return None
    return (day - timezone.localdate(received)).days


def _ke_queue(scope: Scope, window: Window) -> Outcome:
    """One query. Per day, a running count of the day's queue in order of receipt, newest first,
    and the queue's length (window functions over one sort of the reports); the median is the
    report whose running count is the nearest rank of half the length (the age order is the
    reverse of the order of receipt), the oldest the earliest received."""
    days, day_of = _days(window)
    newest_first = [F("received_at").desc(), F("pk").desc()]
    ranks: dict[str, Any] = {}
    aggregates: dict[str, Any] = {}
    for index, day in enumerate(days):
        queued = queued_on(day)
        ranks[f"rank_{index}"] = Over(Count("pk", filter=queued), order_by=newest_first)
        ranks[f"size_{index}"] = Over(Count("pk", filter=queued))
        aggregates[f"n_{index}"] = Count("pk", filter=queued)
        aggregates[f"oldest_{index}"] = Min("received_at", filter=queued)
        median = Q(**{f"rank_{index}": (F(f"size_{index}") + 1) / 2})
        aggregates[f"median_{index}"] = Min("received_at", filter=queued & median)
    # Only reports received before the last day ends and still waiting when the first ends.
    first, last = _after(days[0]), _after(days[-1])
    waiting = (Q(decided_at__isnull=True) | Q(decided_at__gte=first)) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=first)
    )
    result = (
        _queue_reports(scope).filter(waiting, received_at__lt=last).annotate(**ranks).aggregate(**aggregates)
    )
    counts = [int(result[f"n_{index}"] or 0) for index in day_of]
    medians = [_age(days[index], result[f"median_{index}"]) for index in day_of]
    oldest = [_age(days[index], result[f"oldest_{index}"]) for index in day_of]
    lines: list[Line] = [
        count_line("queued", _("Meldinger i køen"), counts, main=True),
        stat_line("median_age", _("Alder i køen, median"), medians, counts, "days"),
        stat_line("oldest_age", _("Eldste melding i køen"), oldest, counts, "days"),
    ]
    return Outcome(lines=lines)


KE_QUEUE = register(
    Indicator(
        key="ke_queue",
        name=_("Køen av meldinger om behov"),
        kind=Kind.STRUCTURE,
        definition=_(
            "Meldinger om behov som lå i kommunens kø hos koordinerende enhet og "
            "tildelingskontoret ved utgangen av siste dag i måneden eller kvartalet: mottatt den "
            "dagen eller før, og ennå uten vedtak og ikke avsluttet. En melding om endret behov som "
            "er sendt rett til personens koordinator, er koordinatorens og ikke i køen. Alderen er "
            "dager fra meldingen ble mottatt til den dagen; medianen og den eldste vises bare når "
            "køen har minst 5 meldinger. For hele perioden gjelder periodens siste dag. Valgt "
            "enhet: meldinger sendt fra enheten. Valgt målgruppe: meldinger om personer i "
            "målgruppen."
        ),
        numerator=_("Meldinger i køen"),
        denominator="",
        source=_(
            "Veilederen 4.2 (strukturindikatorer), 6.2 og 6.4: koordinerende enhet er meldeinstans, "
            "og en melding om behov er en søknad som skal utredes og avgjøres"
        ),
        compute=_ke_queue,
        group=SECTION,
    )
)
