"""The extract: CSV and Parquet read the same, dtypes are the contract's, and the data hash is
stable, order-independent and changes with the data."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from oppfolging.risk import extract as ex
from oppfolging.risk import synthetic

END = datetime.date(2025, 6, 30)


@pytest.fixture(scope="module")
def small() -> ex.Extract:
    return synthetic.generate(300, seed=5, end=END).collect()


def test_csv_and_parquet_read_as_equal_frames_with_the_contract_dtypes(small, tmp_path):
    ex.write_extract(small, tmp_path / "csv", format="csv")
    ex.write_extract(small, tmp_path / "parquet", format="parquet")
    from_csv = ex.read_extract(tmp_path / "csv")
    from_parquet = ex.read_extract(tmp_path / "parquet")
    lenient = ex.read_extract(tmp_path / "csv", lenient=True)
    for table in ex.TABLES:
        a = getattr(from_csv, table).collect()
        b = getattr(from_parquet, table).collect()
        c = getattr(lenient, table).collect()
        assert dict(a.schema) == ex.SCHEMAS[table]
        assert a.equals(b), table
        assert a.equals(c), table
        assert a.equals(getattr(small, table).collect()), table


def test_a_missing_table_is_empty_and_a_missing_column_is_an_error(tmp_path):
    (tmp_path / "persons.csv").write_text("national_id,birth_date,sex,gp_hpr\n01018012345,2000-01-01,male,\n")
    read = ex.read_extract(tmp_path).collect()
    assert read.diagnoses.collect().height == 0
    assert read.persons.collect().item(0, "gp_hpr") is None
    pl.DataFrame({"national_id": ["1"], "code": ["T90"]}).write_csv(tmp_path / "diagnoses.csv")
    with pytest.raises(ex.ExtractError, match="missing column"):
        ex.read_extract(tmp_path)


def test_lenient_reading_accepts_norwegian_words_and_decimal_commas(tmp_path):
    (tmp_path / "persons.csv").write_text(
        "national_id,birth_date,sex,gp_hpr\n01018012345, 2000-01-01 ,male,\n"
    )
    (tmp_path / "medicines.csv").write_text(
        "national_id,atc,start,end,regular\n01018012345,C09AA05,2020-01-01,,ja\n"
    )
    (tmp_path / "services.csv").write_text(
        'national_id,kind,hours_per_week,start,end\n01018012345,hjemmesykepleie,"2,5",2024-01-01,\n'
    )
    read = ex.read_extract(tmp_path, lenient=True).collect()
    assert read.medicines.collect().item(0, "regular") is True
    assert read.services.collect().item(0, "hours_per_week") == 2.5
    assert read.persons.collect().item(0, "birth_date") == datetime.date(2000, 1, 1)


def test_the_batch_reader_falls_back_to_lenient_reading_and_names_a_bad_file(tmp_path):
    """load_keyed (the population batch's reader) is strict and fast first; a decimal comma or
    a «ja» is read as the importer reads it, and a value nobody can read is a clear error."""
    (tmp_path / "persons.csv").write_text("national_id,birth_date,sex,gp_hpr\n01018012345,2000-01-01,male,\n")
    (tmp_path / "medicines.csv").write_text(
        "national_id,atc,start,end,regular\n01018012345,C09AA05,2020-01-01,,ja\n"
    )
    (tmp_path / "services.csv").write_text(
        'national_id,kind,hours_per_week,start,end\n01018012345,hjemmesykepleie,"2,5",2024-01-01,\n'
    )
    read = ex.load_keyed(tmp_path)
    assert read.services.collect().item(0, "hours_per_week") == 2.5
    assert read.medicines.collect().item(0, "regular") is True
    (tmp_path / "services.csv").write_text(
        "national_id,kind,hours_per_week,start,end\n01018012345,hjemmesykepleie,mange,2024-01-01,\n"
    )
    with pytest.raises(ex.ExtractError, match=r"services\.csv has values that cannot be read"):
        ex.load_keyed(tmp_path)


def test_the_data_hash_ignores_row_order_and_changes_with_any_value(small):
    hashes = ex.data_hashes(small).collect()
    assert hashes.height == 300
    assert hashes.get_column("data_hash").str.len_chars().unique().to_list() == [19]
    shuffled = ex.Extract(
        **{
            t: f.collect().sample(fraction=1.0, shuffle=True, seed=3).lazy()
            for t, f in small.tables().items()
        }
    )
    assert ex.data_hashes(shuffled).collect().sort("national_id").equals(hashes.sort("national_id"))

    diagnoses = small.diagnoses.collect()
    who = diagnoses.item(0, "national_id")
    changed = diagnoses.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.col("date") + pl.duration(days=1))
        .otherwise("date")
        .alias("date")
    )
    after = ex.data_hashes(ex.Extract(**{**small.tables(), "diagnoses": changed.lazy()})).collect()
    before_map = dict(hashes.iter_rows())
    after_map = dict(after.iter_rows())
    assert after_map[who] != before_map[who]
    assert sum(after_map[k] != before_map[k] for k in before_map) == 1


def test_the_data_hash_is_the_same_from_csv_and_parquet(small, tmp_path):
    ex.write_extract(small, tmp_path / "csv", format="csv")
    from_csv = ex.data_hashes(ex.read_extract(tmp_path / "csv")).collect().sort("national_id")
    assert from_csv.equals(ex.data_hashes(small).collect().sort("national_id"))
    # Pinned: the fingerprint is our own arithmetic and must not drift between versions.
    one = ex.data_hashes(
        {
            "persons": pl.DataFrame(
                {
                    "national_id": ["01018012345"],
                    "birth_date": [datetime.date(2000, 1, 1)],
                    "sex": ["male"],
                    "gp_hpr": [None],
                },
                schema=ex.SCHEMAS["persons"],
            ),
            **{t: ex.empty_frame(t) for t in ex.TABLES if t != "persons"},
        }
    ).collect()
    assert one.item(0, "data_hash") == PINNED


PINNED = "1094660753868382236"
