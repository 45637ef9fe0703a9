"""The building blocks: windows, suppression, conditional counts and nearest-rank quantiles."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.db.models.functions import ExtractDay
from hypothesis import given
from hypothesis import strategies as st

from oppfolging.core.tenancy import municipality_scope
from oppfolging.indicators.base import (
    Cell,
    Outcome,
    Scope,
    Step,
    Window,
    count_line,
    finish,
    nearest_rank,
    quantiles,
    suppress_cell,
)
from oppfolging.overview.tests.builders import make_world
from oppfolging.referrals.models import NeedReport


def test_quarters_cover_whole_months() -> None:
    window = Window.of(datetime.date(2025, 2, 10), datetime.date(2025, 8, 3), Step.QUARTER)
    assert [b.label for b in window.buckets] == ["2025 K1", "2025 K2", "2025 K3"]
    assert window.start == datetime.date(2025, 1, 1)
    assert window.end == datetime.date(2025, 9, 30)


def test_months_across_a_year() -> None:
    window = Window.of(datetime.date(2025, 11, 5), datetime.date(2026, 2, 1), Step.MONTH)
    assert [b.label for b in window.buckets] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert window.buckets[1].end == datetime.date(2025, 12, 31)
    assert window.buckets[3].end == datetime.date(2026, 2, 28)


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="no buckets"):
        Window.of(datetime.date(2025, 3, 1), datetime.date(2025, 1, 1))


@pytest.mark.parametrize(("count", "hidden"), [(0, ""), (1, "small"), (4, "small"), (5, ""), (120, "")])
def test_counts_from_one_to_four_are_hidden(count: int, hidden: str) -> None:
    assert suppress_cell(Cell.count(count)).hidden == hidden


@pytest.mark.parametrize(
    ("numerator", "denominator", "hidden"),
    [
        (0, 0, ""),
        (3, 3, "small"),  # the denominator itself is small
        (2, 20, "small"),  # the numerator is small
        (17, 20, "complement"),  # 3 without: the complement would tell
        (15, 20, ""),
        (20, 20, ""),  # all of them: no one is singled out
        (0, 20, ""),
    ],
)
def test_share_suppression(numerator: int, denominator: int, hidden: str) -> None:
    assert suppress_cell(Cell.share(numerator, denominator)).hidden == hidden


def test_statistic_on_fewer_than_five_is_hidden() -> None:
    assert suppress_cell(Cell.stat(12.0, 4)).hidden == "few"
    assert suppress_cell(Cell.stat(12.0, 5)).hidden == ""


def test_a_lone_hidden_count_in_a_distribution_takes_the_smallest_with_it() -> None:
    outcome = finish(
        Outcome(
            lines=[
                count_line("a", "1-2", [3, 3]),
                count_line("b", "3-5", [9, 9]),
                count_line("c", "6+", [40, 40]),
            ],
            distribution=True,
        )
    )
    assert [line.total.hidden for line in outcome.lines] == ["small", "complement", ""]


@given(st.integers(min_value=1, max_value=10_000), st.floats(min_value=0.01, max_value=1.0))
def test_nearest_rank_is_within_the_values(n: int, p: float) -> None:
    rank = nearest_rank(n, p)
    assert 1 <= rank <= n
    assert rank / n >= p - 1e-9  # at least p of the values are at or below it
    assert (rank - 1) / n < p + 1e-9


@pytest.mark.django_db
def test_quantiles_per_bucket_and_overall() -> None:
    world = make_world()
    person = world.person("Kvant")
    days = [datetime.date(2025, 1, d) for d in (1, 2, 3, 4, 10)] + [datetime.date(2025, 2, d) for d in (5, 6)]
    for day in days:
        report = world.report(person)
        with municipality_scope(world.municipality):
            NeedReport.objects.filter(pk=report.pk).update(
                received_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
            )
    window = Window.of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), Step.MONTH)
    with municipality_scope(world.municipality):
        counts, values = quantiles(
            NeedReport.objects.filter(person=person), ExtractDay(F("received_at")), window, "received_at"
        )
    assert counts == [5, 2, 0, 7]
    # Nearest rank: 3rd of 5, 1st of 2, 4th of 7 (1, 2, 3, 4, 5, 6, 10); 5th of 5, 2nd of 2, 7th of 7.
    assert values[0.5] == [3, 5, None, 4]
    assert values[0.9] == [10, 6, None, 10]


@pytest.mark.django_db
def test_an_unnarrowed_scope_adds_no_filter() -> None:
    world = make_world()
    assert Scope(municipality_id=world.municipality.pk).person_ids() is None
