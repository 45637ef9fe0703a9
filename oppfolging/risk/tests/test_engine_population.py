"""The lean population path the batch uses: the linear predictor by table lookups is the sum over
the features one by one, ``population`` plus ``explain`` is ``score``, and the code masks by
categorical id stay right as new codes arrive and after the data that held them is gone."""

from __future__ import annotations

import gc
import math
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oppfolging.risk import admission, engine, frailty, reading, synthetic
from oppfolging.risk.extract import KEY, categories
from oppfolging.risk.tests.engine_support import AS_OF


@pytest.fixture(scope="module")
def extract():
    return synthetic.generate(1500, seed=17, end=AS_OF).collect()


def _plain_risk(row: dict[str, Any], model: engine.ModelWeights) -> float:
    linear = model.intercept + sum(weight * float(row[name]) for name, weight in model.coefficients.items())
    return 1.0 / (1.0 + math.exp(-linear))


weights = st.floats(min_value=-3, max_value=3, allow_nan=False)


@settings(max_examples=25, deadline=None)
@given(
    intercept=weights,
    values=st.lists(weights, min_size=len(admission.FEATURES), max_size=len(admission.FEATURES)),
)
def test_the_table_lookups_give_the_sum_over_every_feature(extract, intercept, values):
    model = engine.ModelWeights(
        intercept=intercept, coefficients=dict(zip(admission.FEATURES, values, strict=True))
    )
    scores = engine.score(extract, as_of=AS_OF, model=model, hashes=False)
    for row in scores.head(300).iter_rows(named=True):
        assert row["admission_risk"] == pytest.approx(_plain_risk(row, model), rel=1e-9, abs=1e-12)


def test_every_age_band_condition_group_and_frailty_band_is_looked_up(extract):
    """Each 0/1 feature alone carries a weight: the lookup finds it for exactly the persons who
    have that feature (ages past the last band, and 36 deficits, included)."""
    people = engine.person_plan(extract, as_of=AS_OF).with_columns(engine.feature_exprs()).collect()
    for name in sorted(admission.BINARY_FEATURES - {"male"}):
        assert people.get_column(name).sum() > 0, name
        model = engine.ModelWeights(intercept=0.0, coefficients={name: 1.0})
        risk = people.select(engine.risk_expr(model)).to_series().to_numpy()
        expected = np.where(people.get_column(name).to_numpy() == 1, 1 / (1 + math.exp(-1.0)), 0.5)
        assert np.allclose(risk, expected), name
    edges = pl.DataFrame(
        {"age": [17, 18, 49, 50, 90, 200, 201, 130], "n_deficits": [0, 4, 5, 9, 13, 36, 36, 0]},
        schema={"age": pl.Int32, "n_deficits": pl.Int32},
    ).with_columns(pl.lit(0, dtype=pl.Int64).alias("group_mask"))
    model = engine.ModelWeights(
        intercept=0.0,
        coefficients={"age_0_17": 1.0, "age_90_plus": 10.0, "frailty_mild": 100.0, "frailty_severe": 1000.0},
    )
    linear = edges.select(engine.linear_predictor(model)).to_series().to_list()
    bands = [frailty.band(frailty.frailty_index(n)) for n in edges.get_column("n_deficits")]
    sums = [
        (1.0 if age <= 17 else 0.0)
        + (10.0 if 90 <= age <= 200 else 0.0)
        + {"mild": 100.0, "severe": 1000.0}.get(band, 0.0)
        for age, band in zip(edges.get_column("age"), bands, strict=True)
    ]
    assert linear == pytest.approx(sums)


def test_population_then_explain_is_score(extract):
    everyone = engine.score(extract, as_of=AS_OF, hashes=False, key=True).sort(KEY)
    lean = engine.population(extract, as_of=AS_OF)
    assert set(engine.flag_inputs()) <= set(lean.columns)
    assert "cond_heart_failure" not in lean.columns
    explained = engine.explain(lean).sort(KEY)
    columns = ["admission_risk", "tier", "flag_mask", "deficit_mask", "factors", *engine.FEATURES]
    assert explained.select(KEY, *columns).equals(everyone.select(KEY, *columns))


def test_the_code_masks_stay_right_as_codes_arrive_and_data_goes():
    masks = reading._CodeMasks("code")
    expected = {"K77": reading._code_mask("icpc2", "K77"), "I50": reading._code_mask("icd10", "I50")}
    assert all(expected.values())

    def masks_of(rows: list[tuple[str | None, str | None]]) -> list[int]:
        frame = pl.DataFrame(rows, schema={"system": pl.String, "code": pl.String}, orient="row")
        return frame.select(masks.expr()).to_series().to_list()

    assert masks_of([("icpc2", "K77"), ("icpc2", "X99")]) == [expected["K77"], 0]
    gc.collect()
    # New codes after the table was made, a missing system or code, a code of another system.
    found = masks_of([("icd10", "Z00"), ("icd10", "I50"), (None, "K77"), ("icpc2", None), ("icd10", "K77")])
    assert found == [0, expected["I50"], 0, 0, reading._code_mask("icd10", "K77")]
    assert masks_of([("icpc2", "K77")]) == [expected["K77"]]
    # The ids the table was made with are still the codes' ids.
    texts = categories("code").to_series().to_list()
    assert texts.index("K77") < texts.index("Z00")
