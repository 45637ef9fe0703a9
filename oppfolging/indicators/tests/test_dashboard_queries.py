"""The dashboard's cost in queries does not grow with the data: every indicator, for the whole
municipality, for one unit and for one target group, sends as many queries for a synthetic
population as for one three times its size (the benchmark's builder, at a tiny scale)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import oppfolging.indicators.definitions  # noqa: F401 - registers every indicator
from oppfolging.core.models import Municipality, Unit, UnitKind
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators import bench
from oppfolging.indicators.base import Scope, Step, Window, indicators
from oppfolging.overview.groups import TargetGroup

pytestmark = pytest.mark.django_db

END = datetime.date(2025, 12, 31)
WINDOW = Window.of(datetime.date(2023, 1, 1), END, Step.QUARTER)


def _queries_per_indicator(municipality: Municipality) -> dict[str, list[int]]:
    with unscoped():
        unit = Unit.objects.get(municipality=municipality, kind=UnitKind.MENTAL_HEALTH)
    scopes = [
        Scope(municipality.pk, today=END),
        Scope(municipality.pk, unit_id=unit.pk, today=END),
        Scope(municipality.pk, group=TargetGroup.FRAIL_ELDERLY, today=END),
    ]
    counts: dict[str, list[int]] = {}
    with municipality_scope(municipality):
        for item in indicators():
            for scope in scopes:
                with CaptureQueriesContext(connection) as queries:
                    item.run(scope, WINDOW)
                counts.setdefault(item.key, []).append(len(queries))
    return counts


def _population(number: str, persons: int) -> Municipality:
    municipality = bench.ensure_municipality(number, f"Spørring {number} kommune")
    bench.build(municipality, persons=persons, end=END, years=3, seed=7, audit_rows=persons * 3)
    return municipality


def test_the_queries_do_not_grow_with_the_population() -> None:
    small = _queries_per_indicator(_population("9971", 40))
    large = _queries_per_indicator(_population("9972", 120))
    assert len(small) >= 20  # every section registered
    assert large == small
    # A handful of queries per indicator and scope, whatever the data.
    assert max(max(counts) for counts in small.values()) <= 6


def test_the_builder_writes_a_plausible_history() -> None:
    municipality = _population("9973", 60)
    from oppfolging.people.models import Person
    from oppfolging.plans.models import CarePlan, Goal
    from oppfolging.referrals.models import NeedReport

    with unscoped():
        persons = Person.objects.filter(municipality=municipality)
        assert persons.count() == 60
        assert all(p.id_is_synthetic and p.national_id[2] in "89" for p in persons)
        reports = NeedReport.objects.filter(municipality=municipality)
        assert reports.count() == 60
        assert reports.filter(received_at__date__gt=END).count() == 0
        plans = CarePlan.objects.filter(municipality=municipality)
        assert 10 <= plans.count() <= 45
        assert Goal.objects.filter(plan__in=plans, in_own_words=True).exists()
