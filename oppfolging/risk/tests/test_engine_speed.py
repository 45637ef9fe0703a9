"""The batch's fast path computes what the plain path computes: the keyed read (integer identity
numbers, categoricals) scores and fingerprints exactly as the contract's read, identity numbers
that are not numbers fall back to text, and the chunked top-three equals a plain sort."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from oppfolging.risk import engine, synthetic
from oppfolging.risk import extract as ex
from oppfolging.risk.tests.engine_support import AS_OF, diagnosis, make_extract, number, person

BIRTH = datetime.date(1940, 3, 3)


@pytest.fixture(scope="module")
def small() -> ex.Extract:
    return synthetic.generate(600, seed=8, end=AS_OF).collect()


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_the_keyed_read_scores_and_fingerprints_as_the_contract_read(small, tmp_path, form):
    ex.write_extract(small, tmp_path, format=form)
    keyed = ex.load_keyed(tmp_path)
    plain = ex.read_extract(tmp_path)
    assert "national_id" not in keyed.diagnoses.collect_schema()
    assert isinstance(keyed.diagnoses.collect_schema()["code"], pl.Categorical)
    fast = engine.score(keyed, as_of=AS_OF)
    slow = engine.score(plain, as_of=AS_OF)
    assert fast.equals(slow)
    assert fast.get_column("data_hash").null_count() == 0
    assert ex.data_hashes(keyed).collect().equals(ex.data_hashes(plain).collect())
    assert engine.features(keyed, as_of=AS_OF).equals(engine.features(plain, as_of=AS_OF))


def _write(folder: Path, persons: list[str], diagnoses: list[str]) -> None:
    (folder / "persons.csv").write_text("national_id,birth_date,sex,gp_hpr\n" + "".join(persons))
    (folder / "diagnoses.csv").write_text("national_id,system,code,date,source\n" + "".join(diagnoses))


def test_identity_numbers_that_are_not_numbers_are_read_as_text_and_match_no_one(tmp_path):
    one, two = number(BIRTH), number(BIRTH)
    _write(
        tmp_path,
        [f"{one},1940-03-03,female,990000001\n", f"{two},1940-03-03,female,990000001\n"],
        [f"{one},icpc2,K77,2025-01-01,gp\n", "12A45678901,icpc2,K77,2025-01-01,gp\n"],
    )
    keyed = ex.load_keyed(tmp_path)
    assert keyed.diagnoses.collect().get_column(ex.KEY).to_list() == [int(one), None]
    fast = engine.features(keyed, as_of=AS_OF)
    assert fast.equals(engine.features(ex.read_extract(tmp_path), as_of=AS_OF))
    assert fast.get_column("cond_heart_failure").to_list() == [1, 0]


def test_spaces_around_an_identity_number_are_ignored_on_both_paths(tmp_path):
    nid = number(BIRTH)
    _write(tmp_path, [f"{nid},1940-03-03,female,\n"], [f" {nid} ,icpc2,K77,2025-01-01,gp\n"])
    for read in (ex.load_keyed, ex.read_extract):
        assert engine.features(read(tmp_path), as_of=AS_OF).item(0, "cond_heart_failure") == 1
    extract = make_extract(
        persons=[person(nid, BIRTH)], diagnoses=[{**diagnosis(nid, "K77"), "national_id": f" {nid}"}]
    )
    assert engine.features(extract, as_of=AS_OF).item(0, "cond_heart_failure") == 1


def _top_three_by_sorting(frame: pl.DataFrame, model: engine.ModelWeights) -> tuple[np.ndarray, np.ndarray]:
    names = [name for name in engine.FEATURES if model.coefficients.get(name, 0.0) > 0]
    weights = np.array([model.coefficients[name] for name in names])
    contributions = frame.select(names).to_numpy().astype(np.float64) * weights
    # A stable sort of the negated contributions: largest first, ties in the order of FEATURES.
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :3]
    return order, np.take_along_axis(contributions, order, axis=1)


def test_the_chunked_top_three_is_a_sort_with_ties_in_feature_order(monkeypatch):
    rng = np.random.default_rng(4)
    model = engine.DEFAULT_WEIGHTS
    rows = 1000
    frame = pl.DataFrame(
        {name: rng.integers(0, 3, rows).astype(np.int32) for name in engine.FEATURES}
    ).with_columns(pl.col("service_hours_week").cast(pl.Float64) * 1.5)
    monkeypatch.setattr(engine, "_CHUNK", 7)  # many chunks, the last one short
    names, order, values, contributions = engine.top_contributions(frame, model)
    expected_order, expected = _top_three_by_sorting(frame, model)
    assert np.array_equal(order, expected_order)
    assert np.array_equal(contributions, expected)
    picked = frame.select(names).to_numpy().astype(np.float64)
    assert np.array_equal(values, np.take_along_axis(picked, order, axis=1))
