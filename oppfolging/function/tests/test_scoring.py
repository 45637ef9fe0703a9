"""The arithmetic of PSFS (SPEC §4.6): the mean, the change from the baseline over the same
activities, and the real-change rule (2 in the mean or 3 in one activity), exactly at its edges."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppfolging.function import scoring


def _change(before, after) -> scoring.Change[str]:
    change = scoring.change(before, after)
    assert change is not None
    return change


def _of(point: scoring.Point[str]) -> scoring.Change[str]:
    assert point.change is not None
    return point.change


def _mean(values) -> Fraction:
    value = scoring.mean(values)
    assert value is not None
    return value


def test_the_guideline_example_is_a_real_change_through_one_activity():
    baseline = {"a": 2, "b": 3, "c": 4}
    follow_up = {"a": 5, "b": 5, "c": 4}
    change = _change(baseline, follow_up)
    assert scoring.mean(baseline.values()) == 3
    assert scoring.mean(follow_up.values()) == Fraction(14, 3)
    assert change.mean_change == Fraction(5, 3)
    assert round(float(change.mean_change), 2) == 1.67
    assert change.activity_changes == {"a": 3, "b": 2, "c": 0}
    assert change.is_real  # the mean moved 1.67, below 2, but activity a moved 3


@pytest.mark.parametrize(
    ("mean_change", "activity_changes", "real"),
    [
        (1.9, [2, 2], False),
        (2.0, [], True),
        (Fraction(2), [], True),
        (Fraction(199, 100), [2], False),
        (-1.9, [-2], False),
        (-2.0, [], True),
        (0, [2], False),
        (0, [3], True),
        (0, [-3], True),
        (0, [2, -2, 1], False),
        (None, [], False),
    ],
)
def test_real_change_at_the_edges(mean_change, activity_changes, real):
    assert scoring.is_real_change(mean_change, activity_changes) is real


def test_a_change_of_exactly_two_in_the_mean_over_five_activities():
    """Exact fractions: 10 points over five activities is 2.0, never 1.999… (floats could be)."""
    baseline = dict.fromkeys("abcde", 3)
    nine = {"a": 5, "b": 5, "c": 5, "d": 5, "e": 4}  # +9 over 5: 1.8
    ten = dict.fromkeys("abcde", 5)  # +10 over 5: 2.0
    assert not _change(baseline, nine).is_real
    assert _change(baseline, ten).mean_change == 2
    assert _change(baseline, ten).is_real


def test_change_compares_only_the_activities_both_scored():
    baseline = {"a": 2, "b": 4, "old": 9}
    later = {"a": 4, "b": 4, "new": 0}
    change = _change(baseline, later)
    assert change.activity_changes == {"a": 2, "b": 0}
    assert change.mean_change == 1
    assert scoring.change({"x": 1}, {"y": 2}) is None


def test_mean_of_nothing_is_none():
    assert scoring.mean([]) is None


def test_series_compares_each_measurement_with_the_latest_baseline_before_it():
    result = scoring.series(
        [
            ("m1", {"a": 2, "b": 3, "c": 4}, True),
            ("m2", {"a": 3, "b": 3, "c": 4}, False),
            ("m3", {"a": 5, "b": 5, "c": 4}, False),
            ("m4", {"d": 1}, True),  # the activities were replaced: a new baseline
            ("m5", {"d": 5}, False),
        ]
    )
    points = result.points
    assert [p.is_baseline for p in points] == [True, False, False, True, False]
    assert points[0].change is None
    assert _of(points[1]).mean_change == Fraction(1, 3)
    assert not _of(points[1]).is_real
    assert _of(points[2]).is_real
    assert points[3].change is None
    assert _of(points[4]).activity_changes == {"d": 4}
    assert result.baseline is points[3]
    assert result.has_real_change


def test_series_without_a_marked_baseline_takes_the_first():
    result = scoring.series([("m1", {"a": 4}, False), ("m2", {"a": 5}, False)])
    assert result.points[0].is_baseline
    assert _of(result.points[1]).mean_change == 1
    assert not result.has_real_change
    assert scoring.series([]).latest is None


@pytest.mark.parametrize("value", [-1, 11, 2.5, "3", True, None])
def test_validate_score_refuses_anything_but_a_whole_number_from_0_to_10(value):
    with pytest.raises(ValueError, match=r"outside|not a whole number"):
        scoring.validate_score(value)


def test_validate_score_accepts_the_whole_scale():
    assert [scoring.validate_score(v) for v in range(11)] == list(range(11))


scores = st.integers(min_value=0, max_value=10)
measurement = st.dictionaries(st.sampled_from("abcde"), scores, min_size=1, max_size=5)


@given(measurement)
def test_mean_lies_within_the_scale(values):
    m = _mean(values.values())
    assert 0 <= m <= 10
    assert min(values.values()) <= m <= max(values.values())


@given(measurement, measurement)
def test_change_is_the_difference_of_the_means_over_the_common_activities(before, after):
    change = scoring.change(before, after)
    common = [k for k in before if k in after]
    if not common:
        assert change is None
        return
    assert change is not None
    assert change.mean_change == _mean(after[k] for k in common) - _mean(before[k] for k in common)
    assert -10 <= change.mean_change <= 10
    assert set(change.activity_changes) == set(common)


@given(measurement, measurement)
def test_change_is_antisymmetric_and_real_change_symmetric(before, after):
    forward, backward = scoring.change(before, after), scoring.change(after, before)
    if forward is None:
        assert backward is None
        return
    assert backward is not None
    assert forward.mean_change == -backward.mean_change
    assert forward.is_real == backward.is_real


@given(measurement)
def test_no_change_from_itself(values):
    change = _change(values, values)
    assert change.mean_change == 0
    assert not change.is_real


@given(measurement, measurement)
def test_real_change_matches_the_rule(before, after):
    change = scoring.change(before, after)
    if change is None:
        return
    expected = abs(change.mean_change) >= 2 or any(abs(d) >= 3 for d in change.activity_changes.values())
    assert change.is_real is expected
