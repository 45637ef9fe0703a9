"""Calendar days in Oslo time, computed by the database without calling back into Python.

Django's ``TruncDate`` with a time zone is one SQL expression on PostgreSQL
(``(x AT TIME ZONE 'Europe/Oslo')::date``) but a Python function called once per row on
SQLite, which has no time zones: at 30 000 persons those calls were most of the time of the
"days from the report" indicators there. :class:`LocalDate` gives SQLite the same answer in
plain SQL: the time zone's UTC offsets over the years that matter, looked up by a balanced
tree of comparisons (about eight per row), added to the stored UTC time with ``date()``.
Outside those years it falls back to Django's own function, so every row gets the right day.

:class:`DaysBetween` is the number of calendar days from one such day to another, an
integer on both databases (PostgreSQL subtracts dates; SQLite subtracts Julian day numbers),
and :class:`DaysLater` a datetime a whole number of days later, again without a Python
function per row on SQLite.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, DateTimeField, ExpressionWrapper, Func, IntegerField, Value
from django.db.models.functions import TruncDate
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

# The years the lookup covers (UTC). Rows outside them take Django's per-row function.
FIRST_YEAR, LAST_YEAR = 1970, 2100
SQL = tuple[str, tuple[Any, ...]]
STORED = "%Y-%m-%d %H:%M:%S"  # how Django stores an aware datetime on SQLite (UTC, no zone)


@lru_cache(maxsize=8)
def offsets(zone: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The instants (UTC, as SQLite stores them) at which ``zone``'s offset changes from the
    start of :data:`FIRST_YEAR` to the start of :data:`LAST_YEAR`, and the offset in seconds
    in force before the first, between each pair and after the last (one more than instants).
    Found by stepping a day at a time and halving the step around each change."""
    tz = zoneinfo.ZoneInfo(zone)

    def offset(moment: datetime.datetime) -> int:
        delta = moment.astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    start = datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC)
    stop = datetime.datetime(LAST_YEAR, 1, 1, tzinfo=datetime.UTC)
    day = datetime.timedelta(days=1)
    instants: list[str] = []
    values = [offset(start)]
    cursor = start
    while cursor < stop:
        following = cursor + day
        if offset(following) != values[-1]:
            low, high = cursor, following  # the change is in (low, high]
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == values[-1]:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            instants.append(high.strftime(STORED))
            values.append(offset(high))
        cursor = following
    return tuple(instants), tuple(values)


def _tree(column: str, instants: tuple[str, ...], values: tuple[int, ...], low: int, high: int) -> str:
    """SQL choosing the offset of ``column`` among ``values[low..high]`` (both included)."""
    if low == high:
        return f"'{values[low]:+d} seconds'"
    middle = (low + high + 1) // 2
    # values[middle] is in force from instants[middle - 1] on.
    return (
        f"CASE WHEN {column} < '{instants[middle - 1]}' "
        f"THEN {_tree(column, instants, values, low, middle - 1)} "
        f"ELSE {_tree(column, instants, values, middle, high)} END"
    )


class _DjangoOutsideSQLite(Func):
    """An expression that is Django's own (:meth:`django`) on every database but SQLite."""

    arity = 1
    django: Callable[[], Any]  # each subclass's Django expression for the same value

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> SQL:
        sql, params = compiler.compile(self.django().resolve_expression(compiler.query))
        return sql, tuple(params)


class LocalDate(_DjangoOutsideSQLite):
    """The calendar day of a datetime in the current time zone (Europe/Oslo)."""

    output_field = DateField()

    def django(self) -> TruncDate:
        return TruncDate(self.source_expressions[0], tzinfo=timezone.get_current_timezone())

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> SQL:
        column, params = compiler.compile(self.source_expressions[0])
        fallback, fallback_params = compiler.compile(self.django().resolve_expression(compiler.query))
        if params:  # not a plain column: written once, by Django's function
            return fallback, tuple(fallback_params)
        instants, values = offsets(str(timezone.get_current_timezone()))
        first = f"{FIRST_YEAR:04d}-01-01 00:00:00"
        last = f"{LAST_YEAR:04d}-01-01 00:00:00"
        tree = _tree(column, instants, values, 0, len(values) - 1)
        # Whole seconds: SQLite keeps milliseconds, and would round 23:59:59.9995 up to the
        # next day; no day starts within a second.
        sql = (
            f"CASE WHEN {column} >= '{first}' AND {column} < '{last}' "
            f"THEN date(substr({column}, 1, 19), {tree}) ELSE {fallback} END"
        )
        return sql, tuple(fallback_params)


class DaysBetween(Func):
    """Whole calendar days from the date ``start`` to the date ``end`` (end minus start)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> SQL:
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return f"({end} - {start})", (*end_params, *start_params)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> SQL:
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", (*end_params, *start_params)


class DaysLater(_DjangoOutsideSQLite):
    """The datetime ``days`` whole days after a datetime column (UTC: exactly days times 24 hours,
    as Django adds a ``timedelta``). On SQLite, where Django would add it with a Python
    function per row, the days are added to the stored text's whole seconds and its fraction of
    a second is kept as it was, so the result compares exactly with other stored datetimes."""

    output_field = DateTimeField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression)
        self.days = days

    def django(self) -> ExpressionWrapper[Any]:
        return ExpressionWrapper(
            self.source_expressions[0] + Value(datetime.timedelta(days=self.days)),
            output_field=DateTimeField(),
        )

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> SQL:
        column, params = compiler.compile(self.source_expressions[0])
        if params:  # not a plain column: Django's own arithmetic
            return self.as_sql(compiler, connection)
        days = int(self.days)
        # Whole seconds first: strftime would round 23:59:59.9999995 up to the next second. The
        # per cent signs are doubled: Django fills in the query's parameters with %.
        later = f"strftime('%%Y-%%m-%%d %%H:%%M:%%S', substr({column}, 1, 19), '{days:+d} days')"
        return f"({later} || substr({column}, 20))", ()
