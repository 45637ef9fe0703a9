"""The admission-risk model: a logistic model of an emergency hospital admission in the next
12 months, its features, and the shipped default weights.

risk = 1 / (1 + exp(-(intercept + Σ coefficient * feature)))

A feature's *contribution* to a person's score is coefficient * (value - reference), with the
reference 0 for every feature (a person without that condition, medicine, contact or service, in
the reference age band 18-49, female, fit): contributions are on the log-odds scale and add up
to the linear predictor minus the intercept. The three largest positive contributions are the
score's *factors*.

The **default weights** (:func:`default_weights`) rest on published figures where there are any
and on our judgement where there are none; ``docs/risk-model.md`` says which is which. They are
**not validated locally**: a municipality should fit its own (``oppfolging.risk.fitting``) and
approve it before relying on the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from oppfolging.risk.frailty import DATA, CodeList, load_code_list

if TYPE_CHECKING:
    from oppfolging.risk.models import RiskModelVersion

# Long-term condition groups (data/condition_groups.csv), in bit order.
CONDITION_GROUPS: tuple[str, ...] = (
    "heart_failure",
    "copd_asthma",
    "diabetes",
    "dementia",
    "chronic_kidney_disease",
    "cancer",
    "stroke",
    "coronary_heart_disease",
    "atrial_fibrillation",
    "severe_mental_illness",
    "substance_use",
    "depression",
    "epilepsy",
    "rheumatoid_arthritis",
    "chronic_liver_disease",
)

# Age bands of the model: (feature, lowest age, highest age); 18-49 is the reference.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("age_0_17", 0, 17),
    ("age_50_66", 50, 66),
    ("age_67_79", 67, 79),
    ("age_80_89", 80, 89),
    ("age_90_plus", 90, 200),
)
FRAILTY_FEATURES: tuple[tuple[str, str], ...] = (
    ("frailty_mild", "mild"),
    ("frailty_moderate", "moderate"),
    ("frailty_severe", "severe"),
)

FEATURES: tuple[str, ...] = (
    *(name for name, _, _ in AGE_BANDS),
    "male",
    *(f"cond_{group}" for group in CONDITION_GROUPS),
    "n_conditions",
    "n_regular_medicines",
    "emergency_admissions_12m",
    "out_of_hours_12m",
    *(name for name, _ in FRAILTY_FEATURES),
    "service_hours_week",
    "n_service_kinds",
)
BINARY_FEATURES: frozenset[str] = frozenset(
    [name for name, _, _ in AGE_BANDS]
    + ["male"]
    + [f"cond_{group}" for group in CONDITION_GROUPS]
    + [name for name, _ in FRAILTY_FEATURES]
)
REFERENCE: dict[str, float] = dict.fromkeys(FEATURES, 0.0)


@cache
def condition_codes() -> CodeList:
    return load_code_list(DATA / "condition_groups.csv", "group", CONDITION_GROUPS)


@dataclass(frozen=True)
class ModelWeights:
    """Weights as the engine takes them (``version_id``: the RiskModelVersion they came from)."""

    intercept: float
    coefficients: dict[str, float] = field(default_factory=dict)
    version_id: int | None = None
    kind: str = "default"

    def as_json(self) -> dict[str, Any]:
        return {"intercept": self.intercept, "coefficients": dict(self.coefficients)}

    @classmethod
    def of_version(cls, version: RiskModelVersion) -> ModelWeights:
        return cls(
            intercept=float(version.weights["intercept"]),
            coefficients={str(k): float(v) for k, v in version.weights["coefficients"].items()},
            version_id=version.pk,
            kind=str(version.kind),
        )


def _half_log(hazard_ratio: float) -> float:
    return round(math.log(hazard_ratio) / 2, 4)


# Where each default weight comes from: "published" (with the source) or "judgement".
DEFAULT_SOURCES: dict[str, str] = {
    "intercept": "judgement: about 2.5 % of adults 18-49 without any recorded condition have an "
    "emergency admission in a year",
    **{
        name: "judgement: the steep rise of emergency admissions with age, adjusted down because "
        "conditions and medicines are in the model too"
        for name, _, _ in AGE_BANDS
    },
    "male": "judgement (sex is a predictor in QAdmissions, Hippisley-Cox & Coupland, BMJ Open 2013)",
    **{
        f"cond_{group}": "judgement on the size; the condition as a predictor after QAdmissions "
        "(Hippisley-Cox & Coupland, BMJ Open 2013)"
        for group in CONDITION_GROUPS
    },
    "n_conditions": "judgement: multimorbidity beyond the sum of its conditions",
    "n_regular_medicines": "judgement: polypharmacy as a predictor (eFI, Clegg et al. 2016; QAdmissions)",
    "emergency_admissions_12m": "judgement on the size; prior use of hospital care is among the "
    "strongest predictors in the models reviewed by Wallace et al. (Med Care 2014)",
    "out_of_hours_12m": "judgement",
    "frailty_mild": "published: half the log of the eFI's 1-year hazard ratio for hospitalisation, "
    "1.93 (Clegg et al., Age Ageing 2016); halved because the deficits overlap the model's "
    "conditions and medicines",
    "frailty_moderate": "published: half the log of the eFI's hazard ratio 3.04 (Clegg et al. 2016)",
    "frailty_severe": "published: half the log of the eFI's hazard ratio 4.73 (Clegg et al. 2016)",
    "service_hours_week": "judgement",
    "n_service_kinds": "judgement",
}

DEFAULT_INTERCEPT = -3.66  # logit(0.025)
DEFAULT_COEFFICIENTS: dict[str, float] = {
    "age_0_17": -0.2,
    "age_50_66": 0.3,
    "age_67_79": 0.6,
    "age_80_89": 0.95,
    "age_90_plus": 1.2,
    "male": 0.1,
    "cond_heart_failure": 0.7,
    "cond_copd_asthma": 0.5,
    "cond_diabetes": 0.25,
    "cond_dementia": 0.3,
    "cond_chronic_kidney_disease": 0.35,
    "cond_cancer": 0.6,
    "cond_stroke": 0.25,
    "cond_coronary_heart_disease": 0.3,
    "cond_atrial_fibrillation": 0.2,
    "cond_severe_mental_illness": 0.5,
    "cond_substance_use": 0.7,
    "cond_depression": 0.2,
    "cond_epilepsy": 0.35,
    "cond_rheumatoid_arthritis": 0.15,
    "cond_chronic_liver_disease": 0.7,
    "n_conditions": 0.05,
    "n_regular_medicines": 0.05,
    "emergency_admissions_12m": 0.5,
    "out_of_hours_12m": 0.15,
    "frailty_mild": _half_log(1.93),
    "frailty_moderate": _half_log(3.04),
    "frailty_severe": _half_log(4.73),
    "service_hours_week": 0.02,
    "n_service_kinds": 0.15,
}
DEFAULT_NAME = "Standardvekter (ikke validert lokalt)"


def default_weights() -> ModelWeights:
    """The shipped default weights, not validated locally (see ``docs/risk-model.md``)."""
    return ModelWeights(intercept=DEFAULT_INTERCEPT, coefficients=dict(DEFAULT_COEFFICIENTS), kind="default")


def default_sources_text() -> str:
    lines = [
        "Standardvekter levert med systemet, IKKE VALIDERT LOKALT. Grunnlag (docs/risk-model.md):",
        *(f"- {name}: {source}" for name, source in DEFAULT_SOURCES.items()),
    ]
    return "\n".join(lines)


def ensure_default_model() -> RiskModelVersion:
    """The default model version (no municipality, kind default, approved), created on first
    use as number 1 — no data migration needed. Should the shipped weights change in a later
    release, a new number is created with them and the older default is retired: a batch always
    names the exact weights it used."""
    from django.db import transaction

    from oppfolging.risk.models import ModelKind, ModelStatus, RiskModelVersion

    weights = default_weights().as_json()
    with transaction.atomic():
        defaults = RiskModelVersion.objects.filter(municipality__isnull=True, kind=ModelKind.DEFAULT)
        latest = defaults.order_by("-number").first()
        if latest is not None and _same_weights(latest.weights, weights):
            if latest.status != ModelStatus.APPROVED:
                latest.status = ModelStatus.APPROVED
                latest.save(update_fields=["status", "updated_at"])
            return latest
        if latest is not None:
            defaults.filter(status=ModelStatus.APPROVED).update(status=ModelStatus.RETIRED)
        return RiskModelVersion.objects.create(
            municipality=None,
            name=DEFAULT_NAME,
            number=(latest.number + 1) if latest is not None else 1,
            kind=ModelKind.DEFAULT,
            status=ModelStatus.APPROVED,
            weights=weights,
            metrics={},
            sources=default_sources_text(),
        )


def _same_weights(stored: dict[str, Any], current: dict[str, Any]) -> bool:
    try:
        if not math.isclose(float(stored["intercept"]), float(current["intercept"])):
            return False
        mine, theirs = stored["coefficients"], current["coefficients"]
        return set(mine) == set(theirs) and all(math.isclose(float(mine[k]), float(theirs[k])) for k in mine)
    except (KeyError, TypeError, ValueError):
        return False
