"""The calendar day in Oslo time and the days between two such days, computed by the database
(:mod:`oppfolging.indicators.days`), against Python's own time zone arithmetic: around the
changes to and from summer time, at local midnight, before and after the years the SQLite
lookup covers, and for any moment hypothesis picks."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db.models import DateTimeField, F, Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppfolging.core.models import Municipality
from oppfolging.indicators.days import DaysBetween, DaysLater, LocalDate, offsets

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
UTC = datetime.UTC


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def row(db: None) -> Municipality:
    return Municipality.objects.create(name="Dagtest kommune", number="9801")


def local_date_in_db(row: Municipality, moment: datetime.datetime) -> datetime.date:
    Municipality.objects.filter(pk=row.pk).update(created_at=moment)
    return Municipality.objects.filter(pk=row.pk).annotate(day=LocalDate("created_at")).get().day


EDGES = [
    # Summer time began 29 March 2026 at 01:00 UTC (02:00 became 03:00 in Oslo).
    utc(2026, 3, 28, 22, 59, 59),  # 23:59:59 on the 28th in Oslo
    utc(2026, 3, 28, 23, 0, 0),  # midnight: the 29th
    utc(2026, 3, 29, 0, 59, 59),
    utc(2026, 3, 29, 1, 0, 0),
    utc(2026, 3, 29, 21, 59, 59),  # 23:59:59 summer time
    utc(2026, 3, 29, 22, 0, 0),  # the 30th
    # Summer time ended 25 October 2026 at 01:00 UTC.
    utc(2026, 10, 24, 21, 59, 59),
    utc(2026, 10, 24, 22, 0, 0),
    utc(2026, 10, 25, 0, 59, 59),
    utc(2026, 10, 25, 1, 0, 0),
    utc(2026, 10, 25, 22, 59, 59),
    utc(2026, 10, 25, 23, 0, 0),
    # New Year's Eve, with microseconds, and outside the lookup's years (Django's own function).
    datetime.datetime(2026, 12, 31, 22, 59, 59, 999999, tzinfo=UTC),
    utc(2026, 12, 31, 23, 0, 0),
    utc(1969, 7, 1, 22, 30, 0),
    utc(2101, 7, 1, 22, 30, 0),
    utc(1975, 6, 1, 23, 30, 0),  # no summer time in Norway in 1975: still the 1st in Oslo
]


@pytest.mark.parametrize("moment", EDGES, ids=[moment.isoformat() for moment in EDGES])
def test_the_day_in_oslo_at_the_edges(row: Municipality, moment: datetime.datetime) -> None:
    assert local_date_in_db(row, moment) == moment.astimezone(OSLO).date()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.datetimes(
        min_value=datetime.datetime(1950, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=datetime.datetime(2150, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    )
)
def test_the_day_in_oslo_for_any_moment(row: Municipality, moment: datetime.datetime) -> None:
    assert local_date_in_db(row, moment) == moment.astimezone(OSLO).date()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 21, 59), 0),  # the same day, across the change
        (utc(2026, 3, 28, 22, 59), utc(2026, 3, 28, 23, 0), 1),  # one minute, two days
        (utc(2026, 1, 1, 12, 0), utc(2026, 12, 31, 12, 0), 364),
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 24, 22, 30), 0),  # earlier, the same day
        (utc(2026, 2, 1, 12, 0), utc(2026, 1, 1, 12, 0), -31),
    ],
)
def test_days_between(start: datetime.datetime, end: datetime.datetime, days: int) -> None:
    row = Municipality.objects.create(name="Dagtest kommune", number="9802")
    Municipality.objects.filter(pk=row.pk).update(created_at=start, updated_at=end)
    found = (
        Municipality.objects.filter(pk=row.pk)
        .annotate(days=DaysBetween(LocalDate("created_at"), LocalDate("updated_at")))
        .get()
        .days
    )
    assert found == days == (end.astimezone(OSLO).date() - start.astimezone(OSLO).date()).days


@pytest.mark.django_db
def test_a_value_that_is_not_a_column_takes_djangos_function() -> None:
    row = Municipality.objects.create(name="Dagtest kommune", number="9803")
    moment = utc(2026, 3, 28, 23, 30)
    found = (
        Municipality.objects.filter(pk=row.pk)
        .annotate(day=LocalDate(Value(moment, output_field=DateTimeField())))
        .get()
        .day
    )
    assert found == datetime.date(2026, 3, 29)


def test_the_lookup_has_every_change_of_offset() -> None:
    instants, values = offsets("Europe/Oslo")
    assert len(values) == len(instants) + 1
    assert instants == tuple(sorted(instants))
    # Norway has had summer time every year since 1980: two changes a year, at 01:00 UTC.
    assert instants[0] == "1980-04-06 01:00:00"
    assert "2026-03-29 01:00:00" in instants
    assert "2026-10-25 01:00:00" in instants
    assert set(values) == {3600, 7200}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start",
    [
        utc(2026, 3, 10, 12, 0),
        datetime.datetime(2026, 3, 10, 12, 0, 0, 123456, tzinfo=UTC),  # a fraction of a second kept
        datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),  # into the next year
        utc(2028, 2, 10, 0, 0),  # across 29 February
    ],
    ids=["whole", "fraction", "new-year", "leap-day"],
)
def test_days_later_is_exactly_that_many_days_on_and_compares_exactly(start: datetime.datetime) -> None:
    row = Municipality.objects.create(name="Dagtest kommune", number="9804")
    mark = start + datetime.timedelta(days=30)
    Municipality.objects.filter(pk=row.pk).update(created_at=start, updated_at=mark)
    found = Municipality.objects.filter(pk=row.pk).annotate(mark=DaysLater("created_at", 30))
    assert found.get().mark == mark
    # The stored datetime of the mark itself is neither before nor after it.
    assert found.filter(updated_at=F("mark")).exists()
    assert not found.filter(updated_at__gt=F("mark")).exists()
    Municipality.objects.filter(pk=row.pk).update(updated_at=mark + datetime.timedelta(microseconds=1))
    assert found.filter(updated_at__gt=F("mark")).exists()
