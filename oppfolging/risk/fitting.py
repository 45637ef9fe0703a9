"""Fitting the admission-risk model on a municipality's own history, and judging it honestly.

The design (issue 5, SPEC §4.1):

* **Features from one year, outcome from the next.** Features are computed as of ``year_end``
  from the extract cut at that date (nothing dated after it is seen, whatever the engine does);
  the outcome is any emergency admission in the 12 months after ``year_end``. Persons born after
  ``year_end`` are left out.
* **Held-out judgement.** Persons are split 70/30, stratified on the outcome and seeded, so a run
  can be repeated. Everything reported is measured on the 30 % the model never saw: the
  c-statistic (area under the ROC curve, with a Hanley-McNeil 95 % interval), the Brier score
  (with the Brier score of simply predicting the observed rate, as a reference), calibration by
  decile of predicted risk (n, mean predicted, observed), and the calibration slope and
  calibration-in-the-large intercept (logistic recalibration, Cox 1958; Van Calster et al., J Clin
  Epidemiol 2016). The shipped default weights are measured on the same 30 %, so the comparison
  is like for like.
* **Weights on the original scale.** scikit-learn's logistic regression (L2, C=1) is fitted on
  standardised features inside a Pipeline; the coefficients are then transformed back
  (beta_j = b_j / s_j, intercept = b_0 - sum(b_j * m_j / s_j)) so the stored weights are a plain
  :class:`~oppfolging.risk.engine.ModelWeights` that scores exactly like the pipeline.

Pure functions on frames and arrays; nothing here touches the database.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from oppfolging.risk import engine
from oppfolging.risk.engine import ModelWeights
from oppfolging.risk.extract import Extract

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int_]

TEST_SHARE = 0.3
DECILES = 10
REGULARISATION_C = 1.0
OUTCOME_KIND = "emergency_admission"
# Fewer events than this in either part and the figures say nothing; refuse rather than mislead.
MIN_EVENTS = 10
OUTCOME = "outcome"


class FitError(ValueError):
    """The history cannot support a fit (too few persons or events); the message says why."""


@dataclass(frozen=True)
class DecileRow:
    decile: int
    n: int
    events: int
    mean_predicted: float
    observed: float


@dataclass(frozen=True)
class Metrics:
    """How well predicted risks match what happened, on one set of persons."""

    n: int
    events: int
    observed_rate: float
    mean_predicted: float
    c_statistic: float
    c_statistic_ci: tuple[float, float]
    brier: float
    brier_reference: float  # predicting the observed rate for everyone
    calibration_slope: float | None
    calibration_intercept: float | None
    deciles: list[DecileRow]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["c_statistic_ci"] = list(self.c_statistic_ci)
        return data


@dataclass(frozen=True)
class FitResult:
    """A fitted model and the held-out comparison with the shipped default."""

    year_end: datetime.date
    seed: int
    features: list[str]
    intercept: float
    coefficients: dict[str, float]  # on the original feature scale
    standardised: dict[str, float]  # per standard deviation of the feature, for comparing weights
    n_train: int
    events_train: int
    fitted: Metrics
    default: Metrics
    default_version_id: int | None = None
    notes: list[str] = field(default_factory=list)

    def weights(self) -> ModelWeights:
        return ModelWeights(
            intercept=self.intercept, coefficients=dict(self.coefficients), version_id=None, kind="fitted"
        )

    def metrics_json(self) -> dict[str, Any]:
        """What a model version stores as its ``metrics``."""
        return {
            "year_end": self.year_end.isoformat(),
            "seed": self.seed,
            "test_share": TEST_SHARE,
            "train": {"n": self.n_train, "events": self.events_train},
            "outcome": "emergency_admission_12_months",
            "method": f"logistic regression, L2 (C={REGULARISATION_C}) on standardised features",
            "standardised_coefficients": self.standardised,
            "fitted": self.fitted.as_json(),
            "default": self.default.as_json(),
            "default_version_id": self.default_version_id,
            "notes": self.notes,
        }


# --- The metrics ---------------------------------------------------------------------------------


def _clip(p: FloatArray) -> FloatArray:
    return np.clip(p, 1e-12, 1 - 1e-12)


def _logit(p: FloatArray) -> FloatArray:
    q = _clip(p)
    return np.log(q / (1 - q))


def _sigmoid(z: FloatArray) -> FloatArray:
    """1 / (1 + e^-z) without overflow for large |z|."""
    return np.exp(-np.logaddexp(0.0, -z))


def calibration_by_decile(y: IntArray, p: FloatArray, groups: int = DECILES) -> list[DecileRow]:
    """Persons ordered by predicted risk and cut into ``groups`` parts of (nearly) equal size;
    ties are broken by order, so the parts always sum to n even when many risks are equal."""
    order = np.argsort(p, kind="stable")
    rows = []
    for index, part in enumerate(np.array_split(order, groups), start=1):
        n = int(part.size)
        events = int(y[part].sum()) if n else 0
        rows.append(
            DecileRow(
                decile=index,
                n=n,
                events=events,
                mean_predicted=float(p[part].mean()) if n else 0.0,
                observed=events / n if n else 0.0,
            )
        )
    return rows


def _newton_logistic(
    design: FloatArray, y: IntArray, offset: FloatArray, iterations: int = 50
) -> FloatArray | None:
    """Unpenalised logistic regression with an offset (IRLS). ``None`` when it does not settle,
    which happens only on degenerate data (all risks equal, separation)."""
    beta = np.zeros(design.shape[1])
    for _ in range(iterations):
        mu = _sigmoid(offset + design @ beta)
        weight = mu * (1 - mu)
        hessian = design.T @ (design * weight[:, None])
        gradient = design.T @ (y - mu)
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            return None
        beta = beta + step
        if float(np.max(np.abs(step))) < 1e-10:
            return beta if bool(np.all(np.isfinite(beta))) else None
    return None


def calibration_slope_intercept(y: IntArray, p: FloatArray) -> tuple[float | None, float | None]:
    """Slope: b in logit P(y) = a + b·logit(p) (1 is ideal; below 1, predictions too extreme).
    Intercept: a in logit P(y) = a + logit(p), the slope held at 1 (0 is ideal; above 0, risks
    are predicted too low on average)."""
    lp = _logit(p)
    ones = np.ones((y.size, 1))
    slope_fit = _newton_logistic(np.column_stack([ones, lp]), y, np.zeros(y.size))
    intercept_fit = _newton_logistic(ones, y, lp)
    slope = float(slope_fit[1]) if slope_fit is not None else None
    intercept = float(intercept_fit[0]) if intercept_fit is not None else None
    return slope, intercept


def _hanley_mcneil(auc: float, events: int, non_events: int) -> tuple[float, float]:
    """95 % interval for the c-statistic (Hanley & McNeil, Radiology 1982)."""
    q1 = auc / (2 - auc)
    q2 = 2 * auc * auc / (1 + auc)
    variance = (auc * (1 - auc) + (events - 1) * (q1 - auc * auc) + (non_events - 1) * (q2 - auc * auc)) / (
        events * non_events
    )
    se = math.sqrt(max(variance, 0.0))
    return max(0.0, auc - 1.96 * se), min(1.0, auc + 1.96 * se)


def evaluate(y: IntArray, p: FloatArray) -> Metrics:
    """All the figures for predicted risks ``p`` against outcomes ``y`` (0/1)."""
    n = int(y.size)
    events = int(y.sum())
    if events == 0 or events == n:
        raise FitError("Both outcomes must occur among the persons measured.")
    c = float(roc_auc_score(y, p))
    rate = events / n
    slope, intercept = calibration_slope_intercept(y, p)
    return Metrics(
        n=n,
        events=events,
        observed_rate=rate,
        mean_predicted=float(p.mean()),
        c_statistic=c,
        c_statistic_ci=_hanley_mcneil(c, events, n - events),
        brier=float(brier_score_loss(y, p)),
        brier_reference=rate * (1 - rate),
        calibration_slope=slope,
        calibration_intercept=intercept,
        deciles=calibration_by_decile(y, p),
    )


# --- The fit -----------------------------------------------------------------------------------


def linear_risk(frame: pl.DataFrame, intercept: float, coefficients: Mapping[str, float]) -> FloatArray:
    """Risk from weights on the original feature scale: the same sum the engine scores with."""
    z = np.full(frame.height, float(intercept))
    for feature, weight in coefficients.items():
        z += float(weight) * frame[feature].cast(pl.Float64).fill_null(0.0).to_numpy()
    return _sigmoid(z)


def make_pipeline() -> Pipeline:
    return Pipeline(
        [
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=REGULARISATION_C, max_iter=2000)),
        ]
    )


def original_scale(
    pipeline: Pipeline, features: Sequence[str]
) -> tuple[float, dict[str, float], dict[str, float]]:
    """(intercept, coefficients, standardised coefficients) with the scaling folded into the
    weights, so they apply to raw feature values."""
    scaler: StandardScaler = pipeline.named_steps["scale"]
    model: LogisticRegression = pipeline.named_steps["model"]
    standardised = np.asarray(model.coef_[0], dtype=np.float64)
    scale = np.asarray(scaler.scale_, dtype=np.float64)
    mean = np.asarray(scaler.mean_, dtype=np.float64)
    raw = standardised / scale
    intercept = float(model.intercept_[0]) - float(np.sum(raw * mean))
    return (
        intercept,
        {name: float(value) for name, value in zip(features, raw, strict=True)},
        {name: float(value) for name, value in zip(features, standardised, strict=True)},
    )


def split(frame: pl.DataFrame, *, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """70/30 by person, stratified on the outcome, the same for the same seed and data."""
    frame = frame.sort("national_id")
    indices = np.arange(frame.height)
    train_idx, test_idx = train_test_split(
        indices, test_size=TEST_SHARE, random_state=seed, stratify=frame[OUTCOME].to_numpy()
    )
    return frame[np.sort(train_idx)], frame[np.sort(test_idx)]


def fit_frame(
    frame: pl.DataFrame,
    *,
    features: Sequence[str],
    default: ModelWeights | Mapping[str, Any],
    year_end: datetime.date,
    seed: int,
) -> FitResult:
    """Fit on a frame of persons with feature columns and an ``outcome`` column (0/1), and
    measure the fitted and the default weights on the same held-out part. ``default`` is a
    ModelWeights or a mapping with ``intercept`` and ``coefficients``."""
    features = list(features)
    if frame.height < 100:
        raise FitError(f"Too few persons to fit a model: {frame.height}.")
    events = int(frame[OUTCOME].sum())
    if min(events, frame.height - events) < MIN_EVENTS / TEST_SHARE:
        raise FitError(
            f"Too few persons with (or without) an emergency admission after {year_end}: "
            f"{events} of {frame.height}."
        )
    train, test = split(frame, seed=seed)
    x_train = train.select(features).cast(pl.Float64).fill_null(0.0).to_numpy()
    y_train = train[OUTCOME].cast(pl.Int64).to_numpy()
    pipeline = make_pipeline()
    pipeline.fit(x_train, y_train)
    intercept, coefficients, standardised = original_scale(pipeline, features)

    y_test = test[OUTCOME].cast(pl.Int64).to_numpy()
    fitted_p = linear_risk(test, intercept, coefficients)
    default_intercept, default_coefficients, default_id = _weights_of(default)
    notes = []
    missing = sorted(set(default_coefficients) - set(test.columns))
    if missing:
        notes.append(f"default weights name features the extract lacks: {', '.join(missing)}")
    default_p = linear_risk(
        test, default_intercept, {k: v for k, v in default_coefficients.items() if k not in missing}
    )
    return FitResult(
        year_end=year_end,
        seed=seed,
        features=features,
        intercept=intercept,
        coefficients=coefficients,
        standardised=standardised,
        n_train=train.height,
        events_train=int(y_train.sum()),
        fitted=evaluate(y_test, fitted_p),
        default=evaluate(y_test, default_p),
        default_version_id=default_id,
        notes=notes,
    )


# --- From an extract --------------------------------------------------------------------------


def one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def cut_at(extract: Extract, day: datetime.date) -> Extract:
    """The extract as it stood on ``day``: nothing dated after it. Medicines and services that
    began by then are kept with their end dates (an end after ``day`` says they were running)."""
    return replace(
        extract,
        diagnoses=extract.diagnoses.filter(pl.col("date") <= day),
        medicines=extract.medicines.filter(pl.col("start") <= day),
        contacts=extract.contacts.filter(pl.col("date") <= day),
        services=extract.services.filter(pl.col("start") <= day),
    )


def outcomes(extract: Extract, year_end: datetime.date) -> pl.LazyFrame:
    """national_id and 1 for everyone with an emergency admission in the 12 months after
    ``year_end`` (the day after it up to and including the same date a year later)."""
    return (
        extract.contacts.filter(
            (pl.col("kind") == OUTCOME_KIND)
            & (pl.col("date") > year_end)
            & (pl.col("date") <= one_year_after(year_end))
        )
        .select("national_id")
        .unique()
        .with_columns(pl.lit(1, dtype=pl.Int8).alias(OUTCOME))
    )


def history_frame(extract: Extract, *, year_end: datetime.date) -> pl.DataFrame:
    """One row per person born by ``year_end``: the engine's features as of ``year_end`` from
    the cut extract, and the outcome from the year after."""
    born = extract.persons.filter(pl.col("birth_date") <= year_end).select("national_id")
    features = engine.features(cut_at(extract, year_end), as_of=year_end).lazy()
    return (
        features.join(born, on="national_id", how="semi")
        .join(outcomes(extract, year_end), on="national_id", how="left")
        .with_columns(pl.col(OUTCOME).fill_null(0))
        .collect()
    )


def fit(
    extract: Extract,
    *,
    year_end: datetime.date,
    seed: int,
    default: ModelWeights | None = None,
) -> FitResult:
    """Fit the admission-risk model on ``extract``'s history around ``year_end`` and measure it,
    and ``default`` (the engine's shipped weights unless given), on the held-out 30 %."""
    frame = history_frame(extract.collect(), year_end=year_end)  # read the files once
    return fit_frame(
        frame,
        features=list(engine.FEATURES),
        default=default if default is not None else engine.DEFAULT_WEIGHTS,
        year_end=year_end,
        seed=seed,
    )


def _weights_of(weights: ModelWeights | Mapping[str, Any]) -> tuple[float, dict[str, float], int | None]:
    if isinstance(weights, Mapping):
        return float(weights["intercept"]), dict(weights["coefficients"]), None
    return float(weights.intercept), dict(weights.coefficients), weights.version_id
