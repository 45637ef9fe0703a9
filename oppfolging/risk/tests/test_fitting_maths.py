"""The fitting maths on a small frame of our own, with known true weights: no engine, no
database. The back-transformed weights must score exactly like the pipeline, the metrics must
behave as their definitions say."""

from __future__ import annotations

import datetime

import numpy as np
import polars as pl
import pytest

from oppfolging.risk import fitting

FEATURES = ["age", "conditions", "admissions", "medicines"]
TRUE_INTERCEPT = -6.0
TRUE_COEFFICIENTS = {"age": 0.04, "conditions": 0.35, "admissions": 0.6, "medicines": 0.08}
TRUE = {"intercept": TRUE_INTERCEPT, "coefficients": TRUE_COEFFICIENTS}


def _frame(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(0, 100, n).astype(float)
    conditions = rng.poisson(age / 40)
    admissions = rng.poisson(0.05 + conditions * 0.1)
    medicines = rng.poisson(age / 25 + conditions)
    frame = pl.DataFrame(
        {
            "national_id": [f"{i:011d}" for i in range(n)],
            "age": age,
            "conditions": conditions,
            "admissions": admissions,
            "medicines": medicines,
        }
    )
    p = fitting.linear_risk(frame, TRUE_INTERCEPT, TRUE_COEFFICIENTS)
    return frame.with_columns(pl.Series(fitting.OUTCOME, (rng.random(n) < p).astype(np.int8)))


def test_weights_on_the_original_scale_reproduce_the_pipeline():
    frame = _frame(5000, 1)
    x = frame.select(FEATURES).to_numpy().astype(float)
    y = frame[fitting.OUTCOME].to_numpy()
    pipeline = fitting.make_pipeline().fit(x, y)
    intercept, coefficients, _standardised = fitting.original_scale(pipeline, FEATURES)
    ours = fitting.linear_risk(frame, intercept, coefficients)
    np.testing.assert_allclose(ours, pipeline.predict_proba(x)[:, 1], rtol=1e-9, atol=1e-12)


def test_fit_recovers_the_truth_and_beats_a_wrong_default():
    frame = _frame(40_000, 2)
    wrong = {
        "intercept": -2.0,
        "coefficients": {"age": 0.0, "conditions": 0.0, "admissions": 0.0, "medicines": 0.1},
    }
    result = fitting.fit_frame(
        frame, features=FEATURES, default=wrong, year_end=datetime.date(2024, 12, 31), seed=7
    )
    for name, true in TRUE_COEFFICIENTS.items():
        assert result.coefficients[name] == pytest.approx(true, rel=0.35, abs=0.03), name
    assert result.n_train == 28_000
    assert result.fitted.n == 12_000
    assert sum(row.n for row in result.fitted.deciles) == result.fitted.n
    assert len(result.fitted.deciles) == 10
    assert result.fitted.c_statistic > result.default.c_statistic
    assert result.fitted.brier < result.default.brier
    assert result.fitted.calibration_slope == pytest.approx(1.0, abs=0.15)
    assert result.fitted.calibration_intercept == pytest.approx(0.0, abs=0.15)
    low, high = result.fitted.c_statistic_ci
    assert low < result.fitted.c_statistic < high
    # The wrong default predicts too high risks on average: its intercept is below 0.
    assert result.default.mean_predicted > result.default.observed_rate
    assert result.default.calibration_intercept is not None
    assert result.default.calibration_intercept < -0.3


def test_the_split_is_seeded_and_stratified():
    frame = _frame(3000, 3)
    train_a, test_a = fitting.split(frame, seed=5)
    _train_b, test_b = fitting.split(frame.sample(fraction=1.0, shuffle=True, seed=9), seed=5)
    assert test_a["national_id"].to_list() == test_b["national_id"].to_list()
    assert train_a.height + test_a.height == frame.height
    rate = frame[fitting.OUTCOME].mean()
    assert test_a[fitting.OUTCOME].mean() == pytest.approx(rate, abs=0.005)
    assert set(train_a["national_id"]).isdisjoint(test_a["national_id"])


def test_calibration_deciles_sum_to_n_even_with_ties():
    y = np.array([0, 1] * 53)
    p = np.full(106, 0.5)
    rows = fitting.calibration_by_decile(y, p)
    assert [row.decile for row in rows] == list(range(1, 11))
    assert sum(row.n for row in rows) == 106
    assert sum(row.events for row in rows) == 53


def test_perfectly_calibrated_risks_have_slope_one_and_intercept_zero():
    rng = np.random.default_rng(4)
    p = rng.uniform(0.01, 0.6, 200_000)
    y = (rng.random(p.size) < p).astype(int)
    slope, intercept = fitting.calibration_slope_intercept(y, p)
    assert slope == pytest.approx(1.0, abs=0.03)
    assert intercept == pytest.approx(0.0, abs=0.02)


def test_too_few_events_is_refused_with_a_reason():
    frame = _frame(500, 5).with_columns(pl.lit(0).alias(fitting.OUTCOME))
    with pytest.raises(fitting.FitError, match="Too few"):
        fitting.fit_frame(
            frame, features=FEATURES, default=TRUE, year_end=datetime.date(2024, 12, 31), seed=1
        )
