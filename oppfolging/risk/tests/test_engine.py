"""The engine on hand-made persons: each flag's rule at its edges, the factors are the largest
contributions, the tiers, the words, and scoring is deterministic."""

from __future__ import annotations

import datetime
import math

import polars as pl
import pytest

from oppfolging.risk import admission, engine, flags, synthetic, words
from oppfolging.risk.tests.engine_support import (
    AS_OF,
    contact,
    diagnosis,
    make_extract,
    medicine,
    number,
    person,
    service,
)

BIRTH = datetime.date(1950, 5, 5)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"n_regular_medicines": 3}, []),
        ({"n_regular_medicines": 4}, ["polypharmacy"]),
        ({"n_service_kinds": 1}, []),
        ({"n_service_kinds": 2}, ["several_units"]),
        ({"emergency_admissions_12m": 1, "out_of_hours_12m": 2}, []),
        ({"emergency_admissions_12m": 2}, ["repeated_emergency"]),
        ({"out_of_hours_12m": 3}, ["repeated_emergency"]),
        ({"n_conditions": 2}, []),
        ({"n_conditions": 3}, ["multimorbidity"]),
        ({"cond_severe_mental_illness": 1}, ["psychosocial"]),
        ({"cond_substance_use": 1}, ["psychosocial"]),
        ({"frailty_band": "mild"}, []),
        ({"frailty_band": "moderate"}, ["frailty"]),
        ({"frailty_band": "severe"}, ["frailty"]),
        ({"n_regular_medicines": 6, "n_conditions": 4}, ["polypharmacy", "multimorbidity"]),
    ],
)
def test_each_flag_rule_at_its_edge(values, expected):
    assert flags.flags_of(values) == expected


def test_flags_through_the_engine_count_only_the_last_12_months_and_running_medicines():
    nid = number(BIRTH)
    year_ago = engine.one_year_before(AS_OF)
    extract = make_extract(
        persons=[person(nid, BIRTH)],
        medicines=[
            medicine(nid, "C09AA05"),
            medicine(nid, "C10AA05"),
            medicine(nid, "B01AC06"),
            medicine(nid, "A02BC01", end=AS_OF),  # ends on the day: still running
            medicine(nid, "N02BE01", start=AS_OF + datetime.timedelta(days=1)),  # not yet
        ],
        contacts=[
            contact(nid, "emergency_admission", year_ago),  # exactly a year before: outside
            contact(nid, "emergency_admission", year_ago + datetime.timedelta(days=1)),
            contact(nid, "out_of_hours", AS_OF),
            contact(nid, "gp", AS_OF),
        ],
        services=[service(nid, "praktisk bistand"), service(nid, "trygghetsalarm", hours=0)],
    )
    scores = engine.score(extract, as_of=AS_OF)
    row = scores.row(0, named=True)
    assert row["n_regular_medicines"] == 4
    assert row["emergency_admissions_12m"] == 1
    assert row["out_of_hours_12m"] == 1
    assert row["n_service_kinds"] == 2
    assert row["service_hours_week"] == pytest.approx(2.0)
    assert row["flags"] == ["polypharmacy", "several_units"]


def test_factors_are_the_three_largest_contributions_and_add_up_to_the_score():
    nid = number(datetime.date(1935, 1, 1), "male")
    extract = make_extract(
        persons=[person(nid, datetime.date(1935, 1, 1), "male")],
        diagnoses=[
            diagnosis(nid, "K77"),  # heart failure
            diagnosis(nid, "R95"),  # COPD
            diagnosis(nid, "T90"),  # diabetes
        ],
        medicines=[medicine(nid, atc) for atc in ("C03CA01", "C07AB07", "R03AK06")],
        contacts=[
            contact(nid, "emergency_admission", AS_OF - datetime.timedelta(days=d)) for d in (10, 50, 90)
        ],
    )
    weights = engine.DEFAULT_WEIGHTS
    row = engine.score(extract, as_of=AS_OF, model=weights).row(0, named=True)
    contributions = {name: weights.coefficients.get(name, 0.0) * float(row[name]) for name in engine.FEATURES}
    expected = sorted((c, name) for name, c in contributions.items() if c > 0)[::-1][:3]
    assert [f["feature"] for f in row["factors"]] == [name for _, name in expected]
    assert [f["contribution"] for f in row["factors"]] == [pytest.approx(c, abs=1e-4) for c, _ in expected]
    assert row["factors"][0]["feature"] == "emergency_admissions_12m"
    assert row["factors"][0]["value"] == 3
    linear = weights.intercept + sum(contributions.values())
    assert row["admission_risk"] == pytest.approx(1 / (1 + math.exp(-linear)))


def test_a_person_with_nothing_has_no_factors_and_the_reference_risk():
    nid = number(datetime.date(1990, 2, 2))
    extract = make_extract(persons=[person(nid, datetime.date(1990, 2, 2))])
    row = engine.score(extract, as_of=AS_OF).row(0, named=True)
    assert row["factors"] == []
    assert row["flags"] == []
    assert row["tier"] == 1
    assert row["admission_risk"] == pytest.approx(1 / (1 + math.exp(-admission.DEFAULT_INTERCEPT)))


def test_persons_born_after_the_scoring_date_are_not_scored_and_age_is_exact():
    born = number(datetime.date(1960, 7, 1))
    later = number(datetime.date(2025, 7, 1))
    extract = make_extract(
        persons=[person(born, datetime.date(1960, 7, 1)), person(later, datetime.date(2025, 7, 1))]
    )
    scores = engine.score(extract, as_of=datetime.date(2025, 6, 30))
    assert scores.get_column("national_id").to_list() == [born]
    assert scores.row(0, named=True)["age"] == 64  # the birthday is tomorrow


@pytest.mark.parametrize(
    ("risk", "band", "flag_mask", "tier"),
    [
        (0.30, "fit", 0, 4),
        (0.01, "severe", 0, 4),
        (0.299, "fit", 0, 3),
        (engine.TIER_3_RISK, "fit", 0, 3),
        (0.01, "moderate", 0, 3),
        (0.05, "mild", 0, 2),
        (0.01, "fit", 1, 2),
        (0.049, "mild", 0, 1),
    ],
)
def test_tier_rule(risk, band, flag_mask, tier):
    frame = pl.DataFrame({"admission_risk": [risk], "frailty_band": [band], "flag_mask": [flag_mask]})
    assert frame.select(engine.tier_expr()).item() == tier


def test_scoring_is_deterministic_and_the_pyramid_is_a_pyramid():
    extract = synthetic.generate(3000, seed=11, end=AS_OF).collect()
    first = engine.score(extract, as_of=AS_OF)
    second = engine.score(extract, as_of=AS_OF)
    assert first.equals(second)
    tiers = engine.tier_counts(first)
    assert tiers[1] > tiers[2] > tiers[3] > tiers[4] > 0


def test_unknown_features_in_a_model_are_refused():
    with pytest.raises(ValueError, match="does not compute"):
        engine.linear_predictor(engine.ModelWeights(intercept=0.0, coefficients={"shoe_size": 1.0}))


def test_every_feature_and_flag_has_words_and_reasons_use_the_numbers():
    assert set(words.FACTOR_WORDS) == set(engine.FEATURES)
    assert set(words.FLAG_WORDS) == set(flags.KEYS) == set(words.FLAG_REASONS)
    assert words.describe_factor("n_regular_medicines", 6) == "6 faste legemidler"
    assert words.describe_factor("emergency_admissions_12m", 1.0).startswith("1 øyeblikkelig")
    assert words.describe_factor("cond_dementia", 1) == "Demens"
    reason = words.flag_reason("repeated_emergency", {"emergency_admissions_12m": 2, "out_of_hours_12m": 0})
    assert reason.startswith("2 øyeblikkelig hjelp-innleggelser og 0 legevaktkontakter")
    assert "0,31" in words.flag_reason("frailty", {"frailty_index": 11 / 36, "n_deficits": 11})
    with pytest.raises(KeyError):
        words.describe_factor("shoe_size", 1)


def test_default_weights_cover_every_feature_with_a_source():
    weights = admission.default_weights()
    assert set(weights.coefficients) == set(engine.FEATURES)
    assert set(admission.DEFAULT_SOURCES) == {"intercept", *engine.FEATURES}
    assert weights.coefficients["frailty_severe"] == pytest.approx(math.log(4.73) / 2, abs=1e-4)


@pytest.mark.django_db
def test_ensure_default_model_creates_number_one_once():
    from oppfolging.risk.models import ModelKind, ModelStatus, RiskModelVersion

    RiskModelVersion.objects.filter(municipality__isnull=True).delete()
    first = admission.ensure_default_model()
    assert (first.number, first.kind, first.status, first.municipality) == (
        1,
        ModelKind.DEFAULT,
        ModelStatus.APPROVED,
        None,
    )
    assert admission.ensure_default_model() == first
    assert "IKKE VALIDERT LOKALT" in first.sources
    weights = admission.ModelWeights.of_version(first)
    assert weights.coefficients == admission.DEFAULT_COEFFICIENTS
    assert weights.version_id == first.pk
