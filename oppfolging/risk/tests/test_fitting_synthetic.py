"""Fitting on a synthetic population with two years of history (the engine's features, the
synthetic generator's hidden true model): the figures are reported and sane, the stored weights
score in the engine exactly like the fitted pipeline, the outcome year is the one after
``year_end``, and the command stores a proposed version."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from io import StringIO

import numpy as np
import polars as pl
import pytest
from django.core.management import call_command

from oppfolging.risk import engine, fitting, synthetic
from oppfolging.risk.extract import SCHEMAS, Extract, empty_extract, write_extract
from oppfolging.risk.models import ModelKind, ModelStatus, RiskModelVersion

END = datetime.date(2025, 12, 31)
YEAR_END = datetime.date(2024, 12, 31)
PERSONS = 20_000


@pytest.fixture(scope="module")
def extract() -> Extract:
    return synthetic.generate(PERSONS, seed=5, years=2, end=END).collect()


@pytest.fixture(scope="module")
def result(extract: Extract) -> fitting.FitResult:
    return fitting.fit(extract, year_end=YEAR_END, seed=1)


def _sane(metrics: fitting.Metrics) -> None:
    assert 0.5 < metrics.c_statistic < 1
    assert 0 < metrics.brier < 0.25
    assert metrics.brier < metrics.brier_reference  # better than giving everyone the rate
    assert len(metrics.deciles) == 10
    assert sum(row.n for row in metrics.deciles) == metrics.n
    assert sum(row.events for row in metrics.deciles) == metrics.events
    means = [row.mean_predicted for row in metrics.deciles]
    assert means == sorted(means)


def test_the_fitted_and_the_default_models_are_measured_on_the_held_out_part(result):
    _sane(result.fitted)
    _sane(result.default)
    assert result.fitted.n == result.default.n
    assert result.fitted.events == result.default.events
    total = result.n_train + result.fitted.n
    assert result.fitted.n == pytest.approx(0.3 * total, abs=2)
    # Fitted on this population, the model is calibrated in the large on its held-out part.
    assert result.fitted.mean_predicted == pytest.approx(result.fitted.observed_rate, abs=0.01)
    assert result.fitted.calibration_slope == pytest.approx(1.0, abs=0.2)
    print(  # noqa: T201 - the figures are the point of the run (pytest -s shows them)
        f"\nfitted: c={result.fitted.c_statistic:.3f} Brier={result.fitted.brier:.4f}"
        f"\ndefault: c={result.default.c_statistic:.3f} Brier={result.default.brier:.4f}"
    )


def test_the_stored_weights_score_in_the_engine_like_the_pipeline(extract, result):
    frame = fitting.history_frame(extract, year_end=YEAR_END)
    train, test = fitting.split(frame, seed=1)
    features = list(engine.FEATURES)
    pipeline = fitting.make_pipeline().fit(
        train.select(features).cast(pl.Float64).to_numpy(), train[fitting.OUTCOME].to_numpy()
    )
    expected = pipeline.predict_proba(test.select(features).cast(pl.Float64).to_numpy())[:, 1]
    np.testing.assert_allclose(
        fitting.linear_risk(test, result.intercept, result.coefficients), expected, rtol=1e-9, atol=1e-12
    )
    scored = engine.score(fitting.cut_at(extract, YEAR_END), as_of=YEAR_END, model=result.weights())
    engine_risk = test.select("national_id").join(scored, on="national_id", how="left")["admission_risk"]
    np.testing.assert_allclose(engine_risk.to_numpy(), expected, rtol=1e-9, atol=1e-12)


def _table(name: str, rows: Sequence[Mapping[str, object]]) -> pl.LazyFrame:
    return pl.DataFrame(rows, schema=SCHEMAS[name]).lazy()


def test_the_outcome_is_an_emergency_admission_in_the_year_after_and_features_see_nothing_later():
    day = datetime.timedelta(days=1)
    persons = [
        {
            "national_id": f"0101{i:07d}",
            "birth_date": datetime.date(1940, 1, 1),
            "sex": "female",
            "gp_hpr": None,
        }
        for i in range(5)
    ]
    contacts = [
        # On year_end: a feature (last 12 months), not the outcome.
        {"national_id": "01010000000", "date": YEAR_END, "kind": "emergency_admission", "length_of_stay": 2},
        # The day after: the outcome.
        {
            "national_id": "01010000001",
            "date": YEAR_END + day,
            "kind": "emergency_admission",
            "length_of_stay": 2,
        },
        # A year and a day after: outside the outcome year.
        {
            "national_id": "01010000002",
            "date": fitting.one_year_after(YEAR_END) + day,
            "kind": "emergency_admission",
            "length_of_stay": 2,
        },
        # The last day of the outcome year, but planned: not the outcome.
        {
            "national_id": "01010000003",
            "date": fitting.one_year_after(YEAR_END),
            "kind": "planned_admission",
            "length_of_stay": 2,
        },
        # The last day of the outcome year: the outcome.
        {
            "national_id": "01010000004",
            "date": fitting.one_year_after(YEAR_END),
            "kind": "emergency_admission",
            "length_of_stay": 1,
        },
    ]
    base = empty_extract()
    extract = Extract(
        persons=_table("persons", persons),
        diagnoses=base.diagnoses,
        medicines=base.medicines,
        contacts=_table("contacts", contacts),
        services=base.services,
    )
    frame = fitting.history_frame(extract, year_end=YEAR_END).sort("national_id")
    assert frame[fitting.OUTCOME].to_list() == [0, 1, 0, 0, 1]
    assert frame["emergency_admissions_12m"].to_list() == [1, 0, 0, 0, 0]


@pytest.mark.django_db
def test_the_command_prints_the_figures_and_stores_a_proposed_version(cast, extract, tmp_path):
    write_extract(extract, tmp_path / "uttrekk", format="csv")
    out = StringIO()
    call_command(
        "risk_fit",
        "--extract",
        str(tmp_path / "uttrekk"),
        "--municipality",
        cast.municipalities["fjordvik"].number,
        "--user",
        "fjordvik-ke",
        stdout=out,
    )
    printed = out.getvalue()
    assert f"features as of {YEAR_END}" in printed  # one year before the last contact
    assert printed.count("c-statistic") == 2
    assert printed.count("Brier score") == 2
    assert printed.count("decile") == 2
    version = RiskModelVersion.objects.get(municipality=cast.municipalities["fjordvik"])
    assert version.kind == ModelKind.FITTED
    assert version.status == ModelStatus.PROPOSED
    assert version.created_by == cast.users["fjordvik-ke"]
    assert set(version.weights["coefficients"]) == set(engine.FEATURES)
    assert version.metrics["default"]["c_statistic"] > 0.5
    assert "scikit-learn" in version.sources


@pytest.mark.django_db
def test_the_command_refuses_a_user_without_the_role(cast, extract, tmp_path):
    from django.core.management.base import CommandError

    write_extract(extract, tmp_path / "uttrekk")
    with pytest.raises(CommandError, match="not KE staff or a leader"):
        call_command(
            "risk_fit",
            "--extract",
            str(tmp_path / "uttrekk"),
            "--municipality",
            cast.municipalities["fjordvik"].number,
            "--user",
            "fjordvik-team",
            stdout=StringIO(),
        )
    assert not RiskModelVersion.objects.filter(municipality=cast.municipalities["fjordvik"]).exists()
