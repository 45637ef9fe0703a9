"""Importing FHIR R4: Synthea-style Bundles (invented, in Synthea's shape), a Norwegian-style
Bundle and NDJSON files map to the contract as documented, and broken resources are reported per
resource with nothing stored."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from oppfolging.core.tenancy import unscoped
from oppfolging.lib import identity
from oppfolging.risk.fhir_import import import_fhir
from oppfolging.risk.importing import import_extract
from oppfolging.risk.models import Contact, Diagnosis, MedicineUse, RiskSubject
from oppfolging.risk.tests.import_support import FIXTURES, counts

pytestmark = pytest.mark.django_db

BUNDLES = FIXTURES / "fhir_bundles"
NDJSON = FIXTURES / "fhir_ndjson"
SYNTHEA = BUNDLES / "Astrid_Hansen_synthea.json"
BERIT = "70815200045"


def _rows(municipality: Any) -> dict[str, dict[str, set[tuple[Any, ...]]]]:
    """Every stored row, per subject (by birth date, since synthetic numbers are made)."""
    out: dict[str, dict[str, set[tuple[Any, ...]]]] = {}
    with unscoped():
        for subject in RiskSubject.all_tenants.filter(municipality=municipality):
            out[f"{subject.birth_date:%Y-%m-%d}"] = {
                "person": {(subject.sex, subject.gp_hpr)},
                "diagnoses": set(
                    Diagnosis.all_tenants.filter(subject=subject).values_list(
                        "system", "code", "on", "source"
                    )
                ),
                "medicines": set(
                    MedicineUse.all_tenants.filter(subject=subject).values_list(
                        "atc", "start", "end", "regular"
                    )
                ),
                "contacts": set(
                    Contact.all_tenants.filter(subject=subject).values_list("kind", "on", "length_of_stay")
                ),
            }
    return out


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_a_synthea_bundle_imports_and_maps(cast: Any) -> None:
    town = cast.municipalities["fjordvik"]
    result = import_fhir(municipality=town, path=SYNTHEA, actor=cast.users["fjordvik-ke"])

    assert result.ok, result.lines()
    assert result.format == "fhir"
    assert result.subjects == 1
    assert _rows(town) == {
        "1941-05-17": {
            "person": {("female", "9144889")},  # the GP's HPR number from the Practitioner
            "diagnoses": {
                ("icd10", "E11.9", d("2019-03-01"), "gp"),
                ("icd10", "I10", d("2019-03-01"), "gp"),
                ("icd10", "I64", d("2021-06-20"), "hospital"),
                ("icd10", "I50.0", d("2021-06-22"), "hospital"),
            },
            "medicines": {
                ("A10BA02", d("2019-03-01"), None, True),
                ("C09AA03", d("2019-03-01"), d("2019-03-01"), True),  # stopped, end unknown
                ("N02BE01", d("2022-02-02"), None, False),  # as needed
                ("J01CE02", d("2022-02-02"), d("2022-02-02"), True),  # by ingredient name
            },
            "contacts": {
                ("gp", d("2019-03-01"), None),
                ("emergency_admission", d("2021-06-20"), 5),  # EMER + the IMP stay it led to
                ("out_of_hours", d("2022-02-02"), None),  # EMER without a stay
                ("outpatient", d("2022-09-01"), None),
                ("out_of_hours", d("2023-01-10"), None),  # urgent care
                ("planned_admission", d("2023-04-04"), 2),
            },
        }
    }
    assert result.skipped == {
        "other_resources": 2,  # an Observation and a Claim
        "cancelled_medicines": 1,
        "cancelled_contacts": 1,
        "unmapped_diagnoses": 1,
        "deceased": 2,  # Nils and his Condition
        "contact_class:HH": 1,
        "unmapped_medicines": 1,
    }
    skipped = next(line for line in result.lines() if line.startswith("Hoppet over"))
    assert "kontakter av klasse HH: 1" in skipped
    assert "legemidler uten ATC eller kjent RxNorm-kode: 1" in skipped


def test_a_synthea_patient_always_gets_the_same_synthetic_number(cast: Any, tmp_path: Path) -> None:
    fjordvik, lidal = cast.municipalities["fjordvik"], cast.municipalities["lidal"]
    assert import_fhir(municipality=fjordvik, path=SYNTHEA).ok
    # The same patient in a folder with others, read in another order, in another municipality.
    folder = tmp_path / "all"
    shutil.copytree(BUNDLES, folder)
    assert import_fhir(municipality=lidal, path=folder).ok
    with unscoped():
        first = RiskSubject.all_tenants.get(municipality=fjordvik).national_id
        second = RiskSubject.all_tenants.get(municipality=lidal, birth_date=d("1941-05-17")).national_id
    assert first == second
    parsed = identity.parse(first, allow_synthetic=True)
    assert parsed.synthetic
    assert parsed.birth_date == d("1941-05-17")
    assert parsed.sex is identity.Sex.FEMALE


def test_a_norwegian_bundle_keeps_its_d_nummer_gp_and_codes(cast: Any) -> None:
    town = cast.municipalities["fjordvik"]
    result = import_fhir(municipality=town, path=BUNDLES / "Berit_Lie_no.json")
    assert result.ok, result.lines()
    with unscoped():
        assert RiskSubject.all_tenants.get(municipality=town).national_id == BERIT
    assert _rows(town)["1952-01-30"] == {
        "person": {("female", "1234567")},
        "diagnoses": {("icpc2", "P76", d("2022-09-09"), "gp")},
        "medicines": {("N06AB10", d("2022-09-09"), d("2023-03-09"), True)},
        "contacts": {("gp", d("2022-09-09"), None)},  # with the patient's own GP (HPR)
    }


def test_ndjson_files_import(cast: Any) -> None:
    town = cast.municipalities["fjordvik"]
    result = import_extract(municipality=town, path=NDJSON)  # format detected
    assert result.ok, result.lines()
    rows = _rows(town)
    assert rows["1948-10-10"] == {
        "person": {("male", "")},
        "diagnoses": {("icd10", "J44.1", d("2017-05-05"), ""), ("icd10", "J44.9", d("2016-04-04"), "")},
        "medicines": {("R03BB04", d("2017-05-05"), None, True), ("R03AC02", d("2017-05-05"), None, False)},
        "contacts": {("emergency_admission", d("2023-11-01"), 4), ("gp", d("2023-11-20"), None)},
    }
    assert rows["1990-12-24"]["diagnoses"] == set()
    assert import_fhir(municipality=town, path=NDJSON).already_imported


def _broken_bundle(tmp_path: Path) -> Path:
    bundle = json.loads(SYNTHEA.read_text())
    entries = bundle["entry"]
    entries[2]["resource"]["period"]["start"] = "not a date"  # entry 3: the first Encounter
    entries[3]["resource"]["subject"] = {"reference": "urn:uuid:nobody"}  # entry 4: a Condition
    del entries[5]["resource"]["authoredOn"]  # entry 6: a MedicationRequest
    entries[4]["resource"]["onsetDateTime"] = "2999-01-01"  # entry 5: a Condition in the future
    entries[4]["resource"]["recordedDate"] = "2999-01-01"
    entries.append(
        {"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Patient", "id": "x", "birthDate": "1950"}}
    )
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(bundle))
    return path


def test_broken_resources_are_reported_per_resource_and_nothing_is_stored(cast: Any, tmp_path: Path) -> None:
    town = cast.municipalities["fjordvik"]
    before = counts(town)
    (tmp_path / "lines").mkdir()
    (tmp_path / "lines" / "Patient.ndjson").write_text(
        (NDJSON / "Patient.ndjson").read_text() + "{not json\n", encoding="utf-8"
    )

    result = import_fhir(municipality=town, path=_broken_bundle(tmp_path))
    lines = import_fhir(municipality=town, path=tmp_path / "lines")

    assert not result.ok
    assert counts(town) == before
    found = sorted((e.file, e.line, e.code, e.column) for e in result.errors)
    assert found == [
        ("broken.json", 3, "fhir_structure", ""),
        ("broken.json", 4, "fhir_patient_ref", ""),
        ("broken.json", 5, "future", "date"),
        ("broken.json", 6, "fhir_no_date", ""),
        ("broken.json", 27, "fhir_gender", ""),  # the last entry
    ]
    text = {e.line: str(e) for e in result.errors}
    assert text[3].startswith("broken.json, oppføring 3: Ressursen følger ikke FHIR R4: period.start")
    assert text[4] == "broken.json, oppføring 4: Ressursen viser til en pasient som ikke finnes i uttrekket."
    assert [(e.file, e.line, e.code) for e in lines.errors] == [("Patient.ndjson", 3, "fhir_json")]
    assert str(lines.errors[0]).startswith("Patient.ndjson, linje 3: Ikke gyldig JSON")
