"""The benchmark command (its numbers are not tested: it is a benchmark, not a timed test): it
refuses a database that is not a throwaway one, and with --yes it builds and measures."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from oppfolging.core.tenancy import unscoped
from oppfolging.overview import bench
from oppfolging.people.models import Person

pytestmark = pytest.mark.django_db


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("bench_ke_overview", persons=10)


def test_refuses_a_database_that_is_not_a_throwaway_one(settings):
    """The test database is neither a file under var/ or /tmp nor named for a benchmark."""
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Refusing to write benchmark data"):
        call_command("bench_ke_overview", persons=10)


def test_builds_benchmark_kommune_and_measures_every_scenario(cast):
    out = io.StringIO()
    call_command("bench_ke_overview", persons=30, runs=2, yes=True, stdout=out)
    text = out.getvalue()
    assert "Built 30 persons in the pathway" in text
    for label, _query in bench.SCENARIOS:
        assert label in text
    assert "Target under 1 s a page" in text
    assert bench.build(persons=30) == (30, 30)  # nothing added the second time
    with unscoped():
        persons = Person.objects.filter(municipality__number=bench.NUMBER)
        assert persons.count() == 30
        assert persons.values("national_id").distinct().count() == 30
    results = bench.measure(runs=1)
    assert {r.rows for r in results if r.label == "page 1, no filter"} == {30}
    assert len({r.queries for r in results if "unit" not in r.label and r.rows}) == 1
