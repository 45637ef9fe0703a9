"""The synthetic population: valid synthetic identity numbers, the cited age structure, about
20 events a person, two years of history, deterministic by seed."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from oppfolging.lib import identity
from oppfolging.risk import admission, synthetic

END = datetime.date(2025, 12, 31)


@pytest.fixture(scope="module")
def population() -> dict[str, pl.DataFrame]:
    extract = synthetic.generate(20000, seed=7, end=END)
    return {name: frame.collect() for name, frame in extract.tables().items()}


def test_identity_numbers_are_valid_unique_synthetic_numbers_that_match_birth_date_and_sex(population):
    persons = population["persons"]
    assert persons.get_column("national_id").n_unique() == persons.height
    for nid, birth, sex in persons.head(500).select("national_id", "birth_date", "sex").iter_rows():
        parsed = identity.parse(nid, allow_synthetic=True, today=END)
        assert parsed.synthetic
        assert parsed.birth_date == birth
        assert parsed.sex.value == sex
        with pytest.raises(identity.IdentityNumberError):
            identity.parse(nid, allow_synthetic=False, today=END)


def test_the_age_structure_is_close_to_ssbs(population):
    persons = population["persons"]
    ages = persons.select(
        (
            END.year
            - pl.col("birth_date").dt.year()
            - (pl.col("birth_date").dt.ordinal_day() > END.timetuple().tm_yday)
        ).alias("age")
    ).get_column("age")
    for low, high, share in synthetic.population_bands():
        observed = ages.is_between(low, high).mean()
        assert observed == pytest.approx(share, abs=0.012), (low, high)


def test_about_twenty_events_a_person_over_two_years(population):
    events = sum(frame.height for name, frame in population.items() if name != "persons")
    assert 17 <= events / population["persons"].height <= 23
    contacts = population["contacts"]
    assert contacts.get_column("date").min() >= END - datetime.timedelta(days=2 * 365)
    assert contacts.get_column("date").max() <= END
    year_two = contacts.filter(pl.col("date") > datetime.date(2024, 12, 31))
    assert year_two.filter(pl.col("kind") == "emergency_admission").height > 0
    persons = population["persons"].height
    share = (
        contacts.filter(pl.col("kind") == "emergency_admission").get_column("national_id").n_unique()
        / persons
    )
    assert 0.06 < share < 0.2  # some 6-10 % a year: two years


def test_medicines_fit_the_conditions(population):
    diabetics = (
        population["diagnoses"]
        .filter(pl.col("code").is_in(["T89", "T90"]))
        .get_column("national_id")
        .unique()
    )
    on_metformin = (
        population["medicines"].filter(pl.col("atc") == "A10BA02").get_column("national_id").unique()
    )
    assert on_metformin.is_in(diabetics.implode()).mean() > 0.9


def test_same_seed_same_tables_other_seed_other_tables():
    a = synthetic.generate(500, seed=3, end=END)
    b = synthetic.generate(500, seed=3, end=END)
    c = synthetic.generate(500, seed=4, end=END)
    for name in a.tables():
        assert getattr(a, name).collect().equals(getattr(b, name).collect())
    assert not a.persons.collect().equals(c.persons.collect())


def test_the_hidden_true_model_is_not_the_default_weights():
    true = synthetic.TRUE_MODEL
    default = admission.DEFAULT_COEFFICIENTS
    differing = [g for g, w in true.groups.items() if w != default[f"cond_{g}"]]
    assert len(differing) >= 10
    assert true.intercept != admission.DEFAULT_INTERCEPT
