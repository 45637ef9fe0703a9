"""What every indicator is made of: the cells it reports, the suppression of small counts, the
scope it is computed for (municipality, unit, target group), the window (a period cut into
months or quarters), the registry that holds each definition once, and the two query helpers
that keep the work in the database (conditional counts per bucket, nearest-rank percentiles).

Privacy (SPEC §5): a leader's view holds no personal data. Every count from 1 to 4 shows as
"<5"; a share is hidden when its numerator, its complement (denominator - numerator) or its
denominator is from 1 to 4, and a median, percentile or mean resting on fewer than 5 persons is
hidden. A zero is shown: it names no one. A distribution (several counts that add up to a shown
total) with exactly one hidden count gets a second one hidden, the smallest, so the first cannot
be got back by subtraction.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import models
from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.db.models import Window as Over
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from oppfolging.lib.dates import month_start_after

SMALLEST_SHOWN = 5


class Kind(models.TextChoices):
    STRUCTURE = "structure", _("Struktur")
    PROCESS = "process", _("Prosess")
    RESULT = "result", _("Resultat")


class Step(models.TextChoices):
    MONTH = "month", _("Måned")
    QUARTER = "quarter", _("Kvartal")


def small(count: int | None) -> bool:
    """A count that would point at too few persons to be shown."""
    return count is not None and 0 < count < SMALLEST_SHOWN


# --- Cells ----------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One figure: a count, a share (numerator of denominator) or a statistic (a median,
    percentile or mean over ``n`` persons). ``hidden`` says why it is not shown."""

    kind: str  # "count", "share" or "stat"
    value: float | None = None  # count: the count; share: numerator/denominator; stat: the value
    numerator: int | None = None
    denominator: int | None = None
    n: int | None = None  # stat: how many persons (or events) it rests on
    unit: str = ""  # stat: "days", "points", "hours", ... (for display)
    hidden: str = ""  # "", "small", "complement" or "few"

    @classmethod
    def count(cls, value: int) -> Cell:
        return cls(kind="count", value=value, numerator=value)

    @classmethod
    def share(cls, numerator: int, denominator: int) -> Cell:
        value = numerator / denominator if denominator else None
        return cls(kind="share", value=value, numerator=numerator, denominator=denominator)

    @classmethod
    def stat(cls, value: float | None, n: int, unit: str = "") -> Cell:
        return cls(kind="stat", value=value, n=n, unit=unit)

    @property
    def shown(self) -> bool:
        return not self.hidden and self.value is not None

    @property
    def number(self) -> float | None:
        """The value when it may be shown (for charts and CSV), else None."""
        return self.value if self.shown else None


def suppress_cell(cell: Cell) -> Cell:
    """Apply the rules of the module docstring to one cell, in place; returns it."""
    if cell.kind == "count":
        if small(cell.numerator):
            cell.hidden = "small"
    elif cell.kind == "share":
        numerator, denominator = cell.numerator or 0, cell.denominator or 0
        if small(denominator) or small(numerator):
            cell.hidden = "small"
        elif small(denominator - numerator):
            cell.hidden = "complement"
    elif cell.kind == "stat" and (cell.n or 0) < SMALLEST_SHOWN:
        cell.hidden = "few"
    return cell


def suppress_distribution(cells: Sequence[Cell]) -> None:
    """Counts that add up to a shown total: if exactly one is hidden, hide the smallest shown
    count above zero as well (the complement)."""
    hidden = [cell for cell in cells if cell.hidden]
    if len(hidden) != 1:
        return
    candidates = [cell for cell in cells if not cell.hidden and (cell.numerator or 0) > 0]
    if candidates:
        min(candidates, key=lambda cell: cell.numerator or 0).hidden = "complement"


# --- Lines: what an indicator returns --------------------------------------------------------


@dataclass
class Line:
    """One row of an indicator's table: a cell per bucket of the window and one for the whole
    period. ``main`` marks the line its chart draws."""

    key: str
    label: str | Promise
    cells: list[Cell]
    total: Cell
    main: bool = False

    @property
    def all_cells(self) -> list[Cell]:
        return [*self.cells, self.total]


@dataclass
class Outcome:
    lines: list[Line]
    note: str | Promise = ""  # e.g. "no imported admissions data for this municipality"
    # Lines whose counts add up (a distribution): suppressed together, column by column.
    distribution: bool = False


def finish(outcome: Outcome) -> Outcome:
    """Suppress every cell of ``outcome`` (each on its own, then distributions by column)."""
    for line in outcome.lines:
        for cell in line.all_cells:
            suppress_cell(cell)
    if outcome.distribution and outcome.lines:
        columns = len(outcome.lines[0].all_cells)
        for index in range(columns):
            suppress_distribution([line.all_cells[index] for line in outcome.lines])
    return outcome


# --- The window -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str

    @property
    def stop(self) -> datetime.date:
        """The day after ``end``: half-open ranges [start, stop) for datetimes."""
        return self.end + datetime.timedelta(days=1)


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


MAX_BUCKETS = 36


@dataclass(frozen=True)
class Window:
    """The chosen period, from the first day of ``start``'s month (or quarter) to the last day
    of ``end``'s, cut into months or quarters (at most :data:`MAX_BUCKETS`)."""

    start: datetime.date
    end: datetime.date
    step: str = Step.QUARTER
    buckets: tuple[Bucket, ...] = field(default=())

    @classmethod
    def of(cls, start: datetime.date, end: datetime.date, step: str = Step.QUARTER) -> Window:
        if end < start:
            raise ValueError("the window has no buckets: end before start")
        months = 3 if step == Step.QUARTER else 1
        first = _month_start(start)
        if months == 3:
            first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
        buckets: list[Bucket] = []
        cursor = first
        while cursor <= end and len(buckets) < MAX_BUCKETS:
            following = month_start_after(cursor, months)
            last = following - datetime.timedelta(days=1)
            if months == 3:
                label = f"{cursor.year} K{(cursor.month - 1) // 3 + 1}"
            else:
                label = f"{cursor.year}-{cursor.month:02d}"
            buckets.append(Bucket(cursor, last, label))
            cursor = following
        if not buckets:
            raise ValueError("the window has no buckets: end before start")
        return cls(start=buckets[0].start, end=buckets[-1].end, step=step, buckets=tuple(buckets))

    @property
    def whole(self) -> Bucket:
        return Bucket(self.start, self.end, str(_("Hele perioden")))

    @property
    def stop(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)


# --- The scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whom an indicator counts: a municipality's persons, narrowed to a unit and/or a target
    group. ``persons`` is a queryset of Person ids, used as ``person_id IN (…)``; None means
    every person of the municipality (the tenancy scope already limits to it).

    A person belongs to a unit when someone from that unit is (or was) a member of the person's
    team, or a report of need about the person came from that unit. A person can therefore count
    in several units. Structure indicators about coordinators use the coordinator's own unit.
    """

    municipality_id: int
    unit_id: int | None = None
    group: str = ""
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def narrowed(self) -> bool:
        return self.unit_id is not None or bool(self.group)

    def person_ids(self) -> QuerySet[Any] | None:
        """The scope's persons as a values() queryset of ids, or None when not narrowed."""
        from oppfolging.people.models import Person

        if not self.narrowed:
            return None
        persons = Person.objects.all()
        if self.unit_id is not None:
            from oppfolging.referrals.models import NeedReport
            from oppfolging.teams.models import TeamMember

            persons = persons.filter(
                Q(pk__in=TeamMember.objects.filter(unit_id=self.unit_id).values("team__person_id"))
                | Q(pk__in=NeedReport.objects.filter(reporter_unit_id=self.unit_id).values("person_id"))
            )
        if self.group:
            from oppfolging.overview.selectors import group_q

            persons = persons.filter(group_q(self.group, self.today))
        return persons.values("pk")

    def filter(self, queryset: QuerySet[Any], path: str = "person") -> QuerySet[Any]:
        """``queryset`` narrowed to the scope's persons through the relation ``path``."""
        ids = self.person_ids()
        if ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": ids})


# --- Query helpers --------------------------------------------------------------------------------


def midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the server's time zone (Europe/Oslo)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def in_bucket(path: str, bucket: Bucket, *, datetime_field: bool = True) -> Q:
    """``path`` falls inside ``bucket``: for datetimes the half-open range from the first day's
    midnight to the midnight after the last day (Oslo time), compared as stored, so the database
    uses its indexes and calls no function per row."""
    if datetime_field:
        return Q(**{f"{path}__gte": midnight(bucket.start), f"{path}__lt": midnight(bucket.stop)})
    return Q(**{f"{path}__gte": bucket.start, f"{path}__lte": bucket.end})


def counts_per_bucket(
    queryset: QuerySet[Any],
    window: Window,
    conditions: dict[str, Callable[[Bucket], Q]],
    *,
    distinct: str | None = None,
    state: bool = False,
) -> dict[str, list[int]]:
    """One query: for each named condition, the count per bucket and (last) for the whole
    period. ``conditions[name](bucket)`` gives the Q of the rows that count in that bucket;
    ``distinct`` counts distinct values of that path (e.g. persons) instead of rows.

    Events counted by the day they happened go through :func:`events_per_bucket`. ``state``
    says each condition is a state read on a bucket's last day: the whole period is then the
    state on its last day, the last bucket's figure, and is not computed twice."""
    target = distinct or "pk"
    aggregates: dict[str, Any] = {}
    spans = list(window.buckets) if state else [*window.buckets, window.whole]
    for name, condition in conditions.items():
        for index, bucket in enumerate(spans):
            aggregates[f"{name}__{index}"] = Count(target, filter=condition(bucket), distinct=bool(distinct))
    result = queryset.aggregate(**aggregates)
    counts = {
        name: [int(result[f"{name}__{index}"] or 0) for index in range(len(spans))] for name in conditions
    }
    if state:
        for values in counts.values():
            values.append(values[-1])
    return counts


def events_per_bucket(
    queryset: QuerySet[Any],
    window: Window,
    path: str,
    conditions: dict[str, Q],
    *,
    datetime_field: bool = True,
) -> dict[str, list[int]]:
    """One query for rows counted by the day something happened (``path``): only the period's
    rows are read, grouped by the bucket they fall in, with a count per named condition (an
    empty ``Q()`` counts every row); the whole period is the sum of its buckets. One count per
    condition, whatever the number of buckets, where :func:`counts_per_bucket` writes one per
    condition and bucket."""
    buckets = len(window.buckets)
    rows = (
        queryset.filter(in_bucket(path, window.whole, datetime_field=datetime_field))
        .annotate(_b=bucket_case(path, window, datetime_field=datetime_field))
        .order_by()
        .values("_b")
        .annotate(**{name: Count("pk", filter=condition or None) for name, condition in conditions.items()})
    )
    counts = {name: [0] * (buckets + 1) for name in conditions}
    for row in rows:
        if row["_b"] is None:
            continue
        for name in conditions:
            counts[name][row["_b"]] = int(row[name] or 0)
    for values in counts.values():
        values[-1] = sum(values[:-1])
    return counts


def bucket_case(path: str, window: Window, *, datetime_field: bool = True) -> Case:
    """An integer expression: the index of the bucket ``path`` falls in (None outside)."""
    whens = [
        When(in_bucket(path, bucket, datetime_field=datetime_field), then=Value(index))
        for index, bucket in enumerate(window.buckets)
    ]
    return Case(*whens, default=None, output_field=IntegerField())


def nearest_rank(n: int, p: float) -> int:
    """The 1-based rank of the ``p`` quantile among ``n`` sorted values (nearest-rank method:
    the smallest value with at least ``p`` of the values at or below it)."""
    return max(1, math.ceil(p * n))


def _rank_of(count: Any, p: float) -> Any:
    """:func:`nearest_rank` as an SQL expression over the integer ``count``: ceil(p * n) in
    integer arithmetic, (a * n + b - 1) / b for p = a / b, which both databases divide as
    integers (no CEIL, which SQLite lacks without its math functions)."""
    ratio = Fraction(p).limit_denominator(10_000)
    return ExpressionWrapper(
        (count * Value(ratio.numerator) + Value(ratio.denominator - 1)) / Value(ratio.denominator),
        output_field=IntegerField(),
    )


def quantiles(
    queryset: QuerySet[Any],
    value: Any,
    window: Window,
    bucket_path: str,
    ps: Sequence[float] = (0.5, 0.9),
    *,
    datetime_field: bool = True,
) -> tuple[list[int], dict[float, list[Any]]]:
    """Nearest-rank quantiles of ``value`` (an expression on ``queryset``'s rows) per bucket of
    ``bucket_path`` and for the whole period, in one query whatever the number of rows: window
    functions number the rows in each bucket and over the period and count them, and only the
    rows at the needed ranks come back (a handful). Returns the count per bucket (whole period
    last) and, per p, the value per bucket (None when empty)."""
    whole = window.whole
    rows = (
        queryset.filter(in_bucket(bucket_path, whole, datetime_field=datetime_field))
        .annotate(_v=value, _b=bucket_case(bucket_path, window, datetime_field=datetime_field))
        .filter(_b__isnull=False, _v__isnull=False)
        .order_by()  # the model's default order would only add a sort
    )
    order = [F("_v").asc(), F("pk").asc()]
    ranked = rows.annotate(
        _r=Over(RowNumber(), partition_by=[F("_b")], order_by=order),
        _n=Over(Count("pk"), partition_by=[F("_b")]),
        _ra=Over(RowNumber(), order_by=order),
        _na=Over(Count("pk")),
    )
    wanted = Q()
    for p in ps:
        wanted |= Q(_r=_rank_of(F("_n"), p)) | Q(_ra=_rank_of(F("_na"), p))
    buckets = len(window.buckets)
    counts = [0] * (buckets + 1)
    result: dict[float, list[Any]] = {p: [None] * (buckets + 1) for p in ps}
    for row in ranked.filter(wanted).values("_b", "_v", "_r", "_n", "_ra", "_na"):
        index = row["_b"]
        counts[index], counts[-1] = int(row["_n"]), int(row["_na"])
        for p in ps:
            if row["_r"] == nearest_rank(counts[index], p):
                result[p][index] = row["_v"]
            if row["_ra"] == nearest_rank(counts[-1], p):
                result[p][-1] = row["_v"]
    return counts, result


# --- The registry ---------------------------------------------------------------------------------


Compute = Callable[[Scope, Window], Outcome]


@dataclass(frozen=True)
class Indicator:
    """One indicator, defined once: what the dashboard, the report, the CSV and the tests use."""

    key: str
    name: str | Promise
    kind: str  # Kind
    definition: str | Promise  # in plain words: who is counted, and when
    numerator: str | Promise
    denominator: str | Promise  # "" for a plain count or a statistic
    source: str | Promise  # the guideline passage (or the law, or the pilot's goal)
    compute: Compute
    group: str | Promise = ""  # the dashboard's section

    def run(self, scope: Scope, window: Window) -> Outcome:
        return finish(self.compute(scope, window))


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.key in _REGISTRY:
        raise ValueError(f"indicator {indicator.key!r} is defined twice")
    _REGISTRY[indicator.key] = indicator
    return indicator


def indicators(kind: str | None = None) -> list[Indicator]:
    return [item for item in _REGISTRY.values() if kind is None or item.kind == kind]


def indicator(key: str) -> Indicator:
    return _REGISTRY[key]


def share_line(
    key: str,
    label: str | Promise,
    numerators: Iterable[int],
    denominators: Iterable[int],
    *,
    main: bool = False,
) -> Line:
    """A line of shares from counts per bucket (whole period last)."""
    cells = [Cell.share(n, d) for n, d in zip(numerators, denominators, strict=True)]
    return Line(key=key, label=label, cells=cells[:-1], total=cells[-1], main=main)


def count_and_share(
    count: tuple[str, str | Promise, Sequence[int]],
    share: tuple[str, str | Promise, Sequence[int]],
) -> Outcome:
    """The usual two lines: how many there were per bucket (key, label, counts), and the share
    of them that holds (key, label, numerators), which the chart draws."""
    key, label, counts = count
    share_key, share_label, numerators = share
    return Outcome(
        lines=[
            count_line(key, label, counts),
            share_line(share_key, share_label, numerators, counts, main=True),
        ]
    )


def count_line(key: str, label: str | Promise, counts: Iterable[int], *, main: bool = False) -> Line:
    cells = [Cell.count(n) for n in counts]
    return Line(key=key, label=label, cells=cells[:-1], total=cells[-1], main=main)


def stat_line(
    key: str,
    label: str | Promise,
    values: Sequence[float | None],
    ns: Sequence[int],
    unit: str = "",
    *,
    main: bool = False,
) -> Line:
    cells = [Cell.stat(v, n, unit) for v, n in zip(values, ns, strict=True)]
    return Line(key=key, label=label, cells=cells[:-1], total=cells[-1], main=main)
