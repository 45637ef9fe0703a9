"""Reading model versions for the model pages: the shipped default and the municipality's own
fitted versions, their figures from the held-out persons, and the weights in words.

KE staff and leaders of the municipality see them (:data:`oppfolging.risk.access.POPULATION_READER`);
a fitted version of another municipality is "missing" (404). The pages hold no person data: the
figures are aggregates over thousands of persons, so reading them is not audited.
"""

from __future__ import annotations

import datetime
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.core.models import Municipality
from oppfolging.risk.access import may_see_population
from oppfolging.risk.admission import BINARY_FEATURES
from oppfolging.risk.engine import ensure_default_model
from oppfolging.risk.model_services import decision_problem, model_in_use
from oppfolging.risk.models import ModelKind, ModelStatus, RiskModelVersion
from oppfolging.risk.words import FACTOR_WORDS


@dataclass(frozen=True)
class Figures:
    """One model's figures on the held-out persons, as stored in ``metrics``."""

    n: int
    events: int
    observed_rate: float
    mean_predicted: float
    c_statistic: float
    c_low: float
    c_high: float
    brier: float
    brier_reference: float
    slope: float | None
    intercept: float | None
    deciles: list[dict[str, Any]]

    @property
    def observed_pct(self) -> float:
        return self.observed_rate * 100

    @property
    def mean_predicted_pct(self) -> float:
        return self.mean_predicted * 100

    @property
    def brier_skill(self) -> float | None:
        """1 - Brier / Brier of predicting the observed rate: the share of the uncertainty the
        model explains (0 = no better than the rate, 1 = perfect)."""
        if self.brier_reference <= 0:
            return None
        return 1 - self.brier / self.brier_reference

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Figures | None:
        if not data or "c_statistic" not in data:
            return None
        low, high = data.get("c_statistic_ci") or [math.nan, math.nan]
        return cls(
            n=int(data["n"]),
            events=int(data["events"]),
            observed_rate=float(data["observed_rate"]),
            mean_predicted=float(data["mean_predicted"]),
            c_statistic=float(data["c_statistic"]),
            c_low=float(low),
            c_high=float(high),
            brier=float(data["brier"]),
            brier_reference=float(data["brier_reference"]),
            slope=data.get("calibration_slope"),
            intercept=data.get("calibration_intercept"),
            deciles=list(data.get("deciles") or []),
        )


@dataclass(frozen=True)
class VersionRow:
    version: RiskModelVersion
    in_use: bool
    fitted: Figures | None
    default: Figures | None

    @property
    def is_default(self) -> bool:
        return self.version.kind == ModelKind.DEFAULT


@dataclass(frozen=True)
class WeightRow:
    feature: str
    label: str
    coefficient: float
    odds_ratio: float
    standardised: float | None
    direction: str
    effect: str


@dataclass(frozen=True)
class ModelDetail:
    row: VersionRow
    weights: list[WeightRow]
    intercept: float
    year_end: datetime.date | None
    train_n: int | None
    problem: str | None  # why the actor may not decide, or None
    notes: list[str] = field(default_factory=list)
    # For the default: its figures on this municipality's data, from the newest fitted version.
    local_check: RiskModelVersion | None = None
    local_figures: Figures | None = None

    @property
    def version(self) -> RiskModelVersion:
        return self.row.version


def _reader_municipality(actor: Actor) -> Municipality:
    """The municipality whose models the actor may see; Http404 for anyone else."""
    if not may_see_population(actor) or actor.municipality is None:
        raise Http404
    return actor.municipality


def _row(version: RiskModelVersion, in_use_id: int) -> VersionRow:
    metrics = version.metrics or {}
    return VersionRow(
        version=version,
        in_use=version.pk == in_use_id,
        fitted=Figures.from_json(metrics.get("fitted")),
        default=Figures.from_json(metrics.get("default")),
    )


def model_list(*, actor: Actor) -> list[VersionRow]:
    """The defaults first, then the municipality's fitted versions, newest first. Which one is
    in use is read from the same rows (the rule of ``model_in_use``), so the page runs the same
    queries whatever the versions' states."""
    municipality = _reader_municipality(actor)
    default = ensure_default_model()
    versions = list(
        RiskModelVersion.objects.filter(
            Q(municipality=municipality) | Q(kind=ModelKind.DEFAULT, municipality=None)
        )
        .select_related("created_by", "decided_by")
        .order_by("-created_at", "-id")
    )
    approved = [
        v
        for v in versions
        if v.kind == ModelKind.FITTED and v.status == ModelStatus.APPROVED and v.decided_at
    ]
    in_use = max(approved, key=lambda v: (v.decided_at, v.pk)) if approved else default
    rows = [_row(version, in_use.pk) for version in versions]
    return sorted(rows, key=lambda row: not row.is_default)


def model_for(*, actor: Actor, version_uuid: uuid.UUID | str) -> RiskModelVersion:
    """A version the actor may see (the default, or their municipality's), else Http404."""
    municipality = _reader_municipality(actor)
    try:
        version = (
            RiskModelVersion.objects.select_related("created_by", "decided_by", "municipality")
            .filter(Q(municipality=municipality) | Q(kind=ModelKind.DEFAULT, municipality=None))
            .filter(uuid=version_uuid)
            .first()
        )
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if version is None:
        raise Http404
    return version


def _effect(feature: str, coefficient: float) -> str:
    odds = number_format(round(math.exp(coefficient), 2), decimal_pos=2)
    if feature in BINARY_FEATURES:
        return _("Oddsen ganges med %(odds)s når dette gjelder") % {"odds": odds}
    return _("Oddsen ganges med %(odds)s for hver enhet mer") % {"odds": odds}


def weights_in_words(version: RiskModelVersion) -> list[WeightRow]:
    """Each feature's weight in words, with the odds ratio (present vs absent for yes/no
    features, per unit for counts) and, for fitted versions, the weight per standard deviation
    (comparable across features); strongest first."""
    coefficients = {str(k): float(v) for k, v in (version.weights.get("coefficients") or {}).items()}
    standardised = {
        str(k): float(v) for k, v in ((version.metrics or {}).get("standardised_coefficients") or {}).items()
    }
    rows = []
    for feature, coefficient in coefficients.items():
        if coefficient > 0:
            direction = _("øker risikoen")
        elif coefficient < 0:
            direction = _("senker risikoen")
        else:
            direction = _("uten betydning")
        rows.append(
            WeightRow(
                feature=feature,
                label=str(FACTOR_WORDS.get(feature, feature)),
                coefficient=coefficient,
                odds_ratio=math.exp(coefficient),
                standardised=standardised.get(feature),
                direction=str(direction),
                effect=_effect(feature, coefficient),
            )
        )
    return sorted(rows, key=lambda r: -abs(r.standardised if r.standardised is not None else r.coefficient))


def model_detail(*, actor: Actor, version_uuid: uuid.UUID | str) -> ModelDetail:
    version = model_for(actor=actor, version_uuid=version_uuid)
    municipality = _reader_municipality(actor)
    in_use = model_in_use(municipality)
    metrics = version.metrics or {}
    train = metrics.get("train") or {}
    local_check = None
    if version.kind == ModelKind.DEFAULT:
        local_check = (
            RiskModelVersion.objects.filter(
                municipality=municipality, kind=ModelKind.FITTED, metrics__default_version=str(version.uuid)
            )
            .order_by("-created_at", "-id")
            .first()
        )
    return ModelDetail(
        row=_row(version, in_use.pk),
        weights=weights_in_words(version),
        intercept=float((version.weights or {}).get("intercept", 0.0)),
        year_end=datetime.date.fromisoformat(metrics["year_end"]) if metrics.get("year_end") else None,
        train_n=train.get("n"),
        problem=decision_problem(actor, version) if version.kind == ModelKind.FITTED else None,
        notes=list(metrics.get("notes") or []),
        local_check=local_check,
        local_figures=Figures.from_json(local_check.metrics.get("default")) if local_check else None,
    )
