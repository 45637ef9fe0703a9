"""Rows for the work-list and population tests, written straight to the models (and a batch's
list file) so that these tests do not depend on the scoring engine: a model version, a batch,
subjects and their scores."""

from __future__ import annotations

import datetime
import itertools
import uuid
from typing import Any

import polars as pl
from django.utils import timezone

from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.risk import flags as guideline
from oppfolging.risk.listed import LIST_SCHEMA, Score, list_file, listed, score_of, write_list
from oppfolging.risk.models import (
    ModelKind,
    ModelStatus,
    RiskModelVersion,
    RiskSubject,
    ScoreBatch,
)

FJORDVIK_GP_HPR = "9144001"  # the demo's fjordvik-fastlege
OTHER_GP_HPR = "9199999"
_serial = itertools.count(500)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def default_model() -> RiskModelVersion:
    """The shipped default (no municipality), as the engine would have stored it."""
    with unscoped():
        found = RiskModelVersion.objects.filter(municipality__isnull=True, kind=ModelKind.DEFAULT).first()
        if found is not None:
            return found
        return RiskModelVersion.objects.create(
            name="Standardvekter",
            number=1,
            kind=ModelKind.DEFAULT,
            status=ModelStatus.APPROVED,
            weights={"intercept": -4.0, "coefficients": {}},
        )


def fitted_model(municipality: Municipality) -> RiskModelVersion:
    with unscoped():
        number = RiskModelVersion.objects.filter(municipality=municipality).count() + 1
        return RiskModelVersion.objects.create(
            municipality=municipality,
            name=f"Tilpasset {number}",
            number=number,
            kind=ModelKind.FITTED,
            status=ModelStatus.APPROVED,
        )


def batch(
    municipality: Municipality,
    *,
    computed_on: datetime.date | None = None,
    model: RiskModelVersion | None = None,
    pyramid: dict[str, Any] | None = None,
    persons: int = 0,
) -> ScoreBatch:
    with unscoped():
        return ScoreBatch.objects.create(
            municipality=municipality,
            model_version=model or default_model(),
            computed_on=computed_on or timezone.localdate(),
            persons=persons,
            pyramid=pyramid or {},
            # Where the batch's files go (under RISK_STORE_DIR); :func:`score` writes its list.
            path=f"{municipality.number}/{uuid.uuid4()}.parquet",
        )


def subject(
    municipality: Municipality,
    *,
    gp_hpr: str = FJORDVIK_GP_HPR,
    age: int = 80,
    sex: Sex = Sex.FEMALE,
    person: Person | None = None,
    data_hash: str = "hash-1",
) -> RiskSubject:
    """A subject of ``age`` years; with ``person``, the person's own number and birth date."""
    if person is not None:
        national_id, birth = person.national_id, person.birth_date
        sex = Sex(person.sex)
    else:
        n = next(_serial)
        birth = _years_before(timezone.localdate(), age) - datetime.timedelta(days=1 + n % 300)
        national_id = make_synthetic(birth, sex=sex, serial=n)
    with unscoped():
        return RiskSubject.objects.create(
            municipality=municipality,
            national_id=national_id,
            birth_date=birth,
            sex=sex.value,
            gp_hpr=gp_hpr,
            person=person,
            data_hash=data_hash,
        )


def score(
    on: ScoreBatch,
    who: RiskSubject,
    *,
    risk: float = 0.3,
    tier: int = 3,
    frailty: float = 0.2,
    band: str = "mild",
    factors: list[dict[str, Any]] | None = None,
    flags: list[dict[str, Any]] | None = None,
    data_hash: str | None = None,
) -> Score:
    """``who`` on the batch's list (its file rewritten with them in, or with their row replaced).
    ``flags``: the rules that fired, by key (a reason given is not kept: the list words it from the
    person's numbers, here 5 regular medicines and the rest 0)."""
    keys = [flag["key"] for flag in (flags if flags is not None else [{"key": "polypharmacy"}])]
    values: dict[str, Any] = dict.fromkeys(LIST_SCHEMA, 0.0) | {"n_regular_medicines": 5.0}
    row = values | {
        "national_id": who.national_id,
        "birth_date": who.birth_date,
        "sex": who.sex,
        "gp_hpr": who.gp_hpr,
        "admission_risk": risk,
        "frailty_index": frailty,
        "frailty_band": band,
        "n_deficits": round(frailty * 36),
        "tier": tier,
        "factors": factors
        if factors is not None
        else [{"feature": "emergency_admissions_12m", "value": 2.0, "contribution": 0.8}],
        "flag_mask": sum(1 << guideline.KEYS.index(key) for key in keys),
        "deficit_mask": 0,
        "data_hash": who.data_hash if data_hash is None else data_hash,
    }
    others = listed(on).filter(pl.col("national_id") != who.national_id)
    write_list(list_file(on), pl.concat([others, pl.DataFrame([row], schema=LIST_SCHEMA)]))
    found = score_of(on, who.national_id)
    assert found is not None
    return found


def scored(
    on: ScoreBatch, *, gp_hpr: str = FJORDVIK_GP_HPR, risk: float = 0.3, **kwargs: Any
) -> tuple[RiskSubject, Score]:
    """A subject of the batch's municipality with a score in it."""
    with unscoped():
        municipality = Municipality.objects.get(pk=on.municipality_id)
    who = subject(municipality, gp_hpr=gp_hpr, **{k: v for k, v in kwargs.items() if k in _SUBJECT_ARGS})
    return who, score(on, who, risk=risk, **{k: v for k, v in kwargs.items() if k not in _SUBJECT_ARGS})


_SUBJECT_ARGS = {"age", "sex", "person", "data_hash"}
