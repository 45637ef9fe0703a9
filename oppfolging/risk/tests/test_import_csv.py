"""Importing CSV and Parquet extracts: what is stored, that the same extract twice changes
nothing, that an update replaces only the person it is about, and that Parquet equals CSV."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.risk.extract import data_hashes, extract_from_db
from oppfolging.risk.import_checks import typed
from oppfolging.risk.import_files import read_extract as read_tables
from oppfolging.risk.importing import import_extract
from oppfolging.risk.models import Contact, Diagnosis, ImportBatch, MedicineUse, MunicipalService, RiskSubject
from oppfolging.risk.tests.import_support import CSV_EXTRACT, copy_extract, counts, write_csv

pytestmark = pytest.mark.django_db

KARI = "12843800007"  # synthetic fødselsnummer (month + 80), female, born 1938-04-12
ODD = "03914500361"
DNR = "70815200045"  # synthetic D-nummer (day + 40)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _stored(municipality_id: int) -> dict[str, pl.DataFrame]:
    with unscoped():
        extract = extract_from_db(municipality_id).collect()
    return {name: _sorted(frame.collect()) for name, frame in extract.tables().items()}


def test_csv_extract_imports(cast: Any) -> None:
    town = cast.municipalities["fjordvik"]
    actor = cast.users["fjordvik-ke"]
    result = import_extract(municipality=town, path=CSV_EXTRACT, actor=actor)

    assert result.ok, result.lines()
    assert (result.subjects, result.created, result.changed) == (4, 4, 0)
    assert result.rows == {"persons": 4, "diagnoses": 6, "medicines": 6, "contacts": 6, "services": 3}
    with unscoped():
        kari = RiskSubject.all_tenants.get(municipality=town, national_id=KARI)
        assert (kari.birth_date, kari.sex, kari.gp_hpr) == (datetime.date(1938, 4, 12), "female", "9144889")
        assert RiskSubject.all_tenants.get(municipality=town, national_id=DNR).gp_hpr == ""
        # Codes are stored normalised: ICD-10 with its point.
        assert set(Diagnosis.all_tenants.filter(subject__national_id=ODD).values_list("system", "code")) == {
            ("icd10", "J44.9"),
            ("icpc2", "R95"),
        }
        assert MedicineUse.all_tenants.filter(subject=kari, regular=True).count() == 3
        assert Contact.all_tenants.get(subject=kari, kind="emergency_admission").length_of_stay == 6
        hours = dict(
            MunicipalService.all_tenants.filter(municipality=town).values_list("kind", "hours_per_week")
        )
        assert hours == {
            "hjemmesykepleie": Decimal("5.50"),
            "trygghetsalarm": Decimal("0"),
            "praktisk bistand": Decimal("2.50"),
        }
        batch = ImportBatch.all_tenants.get(municipality=town)
        assert (batch.rows, batch.subjects, batch.imported_by, batch.format) == (25, 4, actor, "csv")
        audit = AuditEvent.all_tenants.get(municipality=town, what="risk.import")
        assert audit.actor == actor
        assert audit.object_uuid == batch.uuid
        assert audit.detail["subjects"] == 4
        # Each subject's data_hash is the engine's fingerprint of what is stored.
        hashes = dict(data_hashes(extract_from_db(town.pk)).collect().iter_rows())
        stored = dict(
            RiskSubject.all_tenants.filter(municipality=town).values_list("national_id", "data_hash")
        )
    assert stored == hashes


def test_the_same_extract_twice_changes_nothing(cast: Any) -> None:
    town = cast.municipalities["fjordvik"]
    assert import_extract(municipality=town, path=CSV_EXTRACT).ok
    before, stored = counts(town), _stored(town.pk)

    again = import_extract(municipality=town, path=CSV_EXTRACT)

    assert again.ok
    assert again.already_imported
    assert "allerede lest inn" in again.lines()[0]
    assert counts(town) == before
    after = _stored(town.pk)
    assert all(after[name].equals(stored[name]) for name in stored)


def test_the_same_data_in_another_file_changes_no_row(cast: Any, tmp_path: Path) -> None:
    """Reordered rows are another file (a new batch) but the same data: no row is rewritten."""
    town = cast.municipalities["fjordvik"]
    assert import_extract(municipality=town, path=CSV_EXTRACT).ok
    with unscoped():
        ids = set(Diagnosis.all_tenants.filter(municipality=town).values_list("id", flat=True))
    extract = copy_extract(tmp_path / "again")
    lines = (extract / "diagnoses.csv").read_text().splitlines()
    (extract / "diagnoses.csv").write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")

    result = import_extract(municipality=town, path=extract)

    assert result.ok
    assert not result.already_imported
    assert (result.created, result.changed, result.unchanged) == (0, 0, 4)
    with unscoped():
        assert set(Diagnosis.all_tenants.filter(municipality=town).values_list("id", flat=True)) == ids


def test_an_update_replaces_only_that_persons_rows(cast: Any, tmp_path: Path) -> None:
    town = cast.municipalities["fjordvik"]
    assert import_extract(municipality=town, path=CSV_EXTRACT).ok
    with unscoped():
        hashes = dict(
            RiskSubject.all_tenants.filter(municipality=town).values_list("national_id", "data_hash")
        )
        others = set(
            Diagnosis.all_tenants.filter(municipality=town)
            .exclude(subject__national_id=ODD)
            .values_list("id", flat=True)
        )
    update = tmp_path / "update"
    write_csv(update / "persons.csv", "national_id,birth_date,sex,gp_hpr", f"{ODD},1945-11-03,male,9144889")
    write_csv(
        update / "diagnoses.csv", "national_id,system,code,date,source", f"{ODD},icpc2,R95,2018-01-05,gp"
    )

    result = import_extract(municipality=town, path=update)

    assert result.ok, result.lines()
    assert (result.subjects, result.changed) == (1, 1)
    with unscoped():
        now = dict(RiskSubject.all_tenants.filter(municipality=town).values_list("national_id", "data_hash"))
        assert set(Diagnosis.all_tenants.filter(subject__national_id=ODD).values_list("code", flat=True)) == {
            "R95"
        }
        assert (
            set(
                Diagnosis.all_tenants.filter(municipality=town)
                .exclude(subject__national_id=ODD)
                .values_list("id", flat=True)
            )
            == others
        )
        # Tables the update does not have are left as they were.
        assert MedicineUse.all_tenants.filter(subject__national_id=ODD).count() == 2
        assert now == dict(data_hashes(extract_from_db(town.pk)).collect().iter_rows())
    assert now[ODD] != hashes[ODD]
    assert {k: v for k, v in now.items() if k != ODD} == {k: v for k, v in hashes.items() if k != ODD}


def test_a_lone_event_table_adds_to_persons_imported_before(cast: Any, tmp_path: Path) -> None:
    town = cast.municipalities["fjordvik"]
    assert import_extract(municipality=town, path=CSV_EXTRACT).ok
    file = write_csv(
        tmp_path / "contacts.csv",
        "national_id,date,kind,length_of_stay",
        f"{DNR},2024-01-10,out_of_hours,",
    )
    result = import_extract(municipality=town, path=file)
    assert result.ok, result.lines()
    with unscoped():
        assert list(Contact.all_tenants.filter(subject__national_id=DNR).values_list("kind", flat=True)) == [
            "out_of_hours"
        ]
        assert Contact.all_tenants.filter(subject__national_id=KARI).count() == 3

    unknown = write_csv(
        tmp_path / "x" / "contacts.csv", "national_id,date,kind,length_of_stay", "07876000371,2024-01-10,gp,"
    )
    other_town = cast.municipalities["lidal"]
    refused = import_extract(municipality=other_town, path=unknown)
    assert not refused.ok
    assert [e.code for e in refused.errors] == ["unknown_subject"]


def test_a_subject_is_linked_to_the_registered_person(cast: Any, tmp_path: Path) -> None:
    town = cast.municipalities["fjordvik"]
    klara = cast.persons["Klara"]
    extract = copy_extract(tmp_path / "e")
    with (extract / "persons.csv").open("a") as handle:
        handle.write(f"{klara.national_id},{klara.birth_date:%Y-%m-%d},female,\n")
    result = import_extract(municipality=town, path=extract)
    assert result.ok, result.lines()
    assert result.linked == 1
    with unscoped():
        assert RiskSubject.all_tenants.get(municipality=town, national_id=klara.national_id).person == klara
        assert RiskSubject.all_tenants.get(municipality=town, national_id=KARI).person is None


def test_semicolons_and_a_byte_order_mark_are_read(cast: Any, tmp_path: Path) -> None:
    folder = tmp_path / "excel"
    folder.mkdir()
    (folder / "persons.csv").write_bytes(
        "\ufeffnational_id;birth_date;sex;gp_hpr\r\n12843800007;1938-04-12;Female;\r\n".encode()
    )
    result = import_extract(municipality=cast.municipalities["fjordvik"], path=folder)
    assert result.ok, result.lines()


def test_parquet_equals_csv(cast: Any, tmp_path: Path) -> None:
    """The same extract as typed Parquet (dates as dates, booleans, numbers) stores the same."""
    (tmp_path / "pq").mkdir()
    for name, frame in typed(read_tables(CSV_EXTRACT).tables).items():
        frame.write_parquet(tmp_path / "pq" / f"{name}.parquet")
    fjordvik, lidal = cast.municipalities["fjordvik"], cast.municipalities["lidal"]

    from_csv = import_extract(municipality=fjordvik, path=CSV_EXTRACT)
    from_parquet = import_extract(municipality=lidal, path=tmp_path / "pq", format="parquet")

    assert from_csv.ok
    assert from_parquet.ok, from_parquet.lines()
    assert from_parquet.format == "parquet"
    assert from_parquet.rows == from_csv.rows
    csv_tables, parquet_tables = _stored(fjordvik.pk), _stored(lidal.pk)
    for name in csv_tables:
        assert parquet_tables[name].equals(csv_tables[name]), name
    with unscoped():
        hashes = [
            dict(RiskSubject.all_tenants.filter(municipality=m).values_list("national_id", "data_hash"))
            for m in (fjordvik, lidal)
        ]
    assert hashes[0] == hashes[1]


def test_a_single_parquet_table_file(cast: Any, tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "national_id": [KARI, DNR],
            "birth_date": [datetime.date(1938, 4, 12), datetime.date(1952, 1, 30)],
            "sex": ["female", "female"],
            "gp_hpr": [None, "9144889"],
        }
    )
    frame.write_parquet(tmp_path / "persons.parquet")
    result = import_extract(municipality=cast.municipalities["fjordvik"], path=tmp_path / "persons.parquet")
    assert result.ok, result.lines()
    assert result.rows == {"persons": 2}
