"""A broken extract: every bad row is reported with its file, line and reason, and nothing of
the extract is stored."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from oppfolging.lib import identity
from oppfolging.risk.import_errors import RowError
from oppfolging.risk.importing import ERROR_LIMIT, import_extract
from oppfolging.risk.tests.import_support import CSV_EXTRACT, copy_extract, counts, write_csv

pytestmark = pytest.mark.django_db

PERSONS = "national_id,birth_date,sex,gp_hpr"
KARI, ODD, DNR = "12843800007", "03914500361", "70815200045"


def _codes(errors: list[RowError]) -> list[tuple[str, int | None, str, str]]:
    return [(e.file, e.line, e.column, e.code) for e in errors]


def test_a_broken_extract_reports_each_row_and_stores_nothing(cast: Any, tmp_path: Path) -> None:
    town = cast.municipalities["fjordvik"]
    assert import_extract(municipality=town, path=CSV_EXTRACT).ok  # something there already
    before = counts(town)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    bad_check = KARI[:-1] + str((int(KARI[-1]) + 1) % 10)
    extract = tmp_path / "broken"
    write_csv(
        extract / "persons.csv",
        PERSONS,
        f"{KARI},1938-04-12,female,9144889",  # line 2: fine
        f"{bad_check},1938-04-12,female,",  # line 3: bad control digit
        f"{ODD},1945-11-04,male,",  # line 4: birth date does not match the number
        f"{DNR},1952-01-30,kvinne,",  # line 5: unknown sex
        f"{KARI},1938-04-12,female,",  # line 6: twice
    )
    write_csv(
        extract / "diagnoses.csv",
        "national_id,system,code,date,source",
        f"{KARI},icpc3,T90,2019-03-01,gp",  # line 2: unknown code system
        f"{KARI},icd10,E1,2019-03-01,gp",  # line 3: malformed code
        f"{KARI},icpc2,T90,{future},gp",  # line 4: in the future
        f"{KARI},icpc2,T90,01.03.2019,gp",  # line 5: not a date
        f"{KARI},icpc2,T90,1937-01-01,gp",  # line 6: before birth
        f"{ODD},icpc2,Q90,2019-03-01,gp",  # line 7: no ICPC-2 chapter Q
    )
    write_csv(
        extract / "medicines.csv",
        "national_id,atc,start,end,regular",
        f"{KARI},C09AA05,2021-06-20,2021-06-01,true",  # line 2: end before start
        f"{KARI},C9AA05,2021-06-20,,true",  # line 3: malformed ATC
        f"{KARI},C09AA05,2021-06-20,,kanskje",  # line 4: not true/false
        "07876000371,C09AA05,2021-06-20,,true",  # line 5: not in persons
    )
    write_csv(
        extract / "contacts.csv",
        "national_id,date,kind,length_of_stay",
        f"{KARI},2021-06-20,hospital,",  # line 2: unknown contact kind
        f"{KARI},2021-06-20,emergency_admission,-2",  # line 3: negative
        f"{KARI},2021-06-20,emergency_admission,2.5",  # line 4: not whole days
        f"{KARI},,gp,",  # line 5: date missing
    )
    write_csv(
        extract / "services.csv",
        "national_id,kind,hours_per_week,start,end",
        f"{KARI},hjemmesykepleie,-3,2021-07-01,",  # line 2: negative hours
        f"{KARI},hjemmesykepleie,mange,2021-07-01,",  # line 3: not a number
        f"{KARI},hjemmesykepleie,200,2021-07-01,",  # line 4: more hours than a week has
        f"{KARI},,1,2021-07-01,",  # line 5: kind missing
    )

    result = import_extract(municipality=town, path=extract)

    assert not result.ok
    assert not result.already_imported
    assert counts(town) == before
    assert _codes(result.errors) == [
        ("contacts.csv", 2, "kind", "contact_kind"),
        ("contacts.csv", 3, "length_of_stay", "negative"),
        ("contacts.csv", 4, "length_of_stay", "not_integer"),
        ("contacts.csv", 5, "date", "missing"),
        ("diagnoses.csv", 2, "system", "system"),
        ("diagnoses.csv", 3, "code", "icd10_code"),
        ("diagnoses.csv", 4, "date", "future"),
        ("diagnoses.csv", 5, "date", "not_date"),
        ("diagnoses.csv", 6, "date", "before_birth"),
        ("diagnoses.csv", 7, "code", "icpc2_code"),
        ("medicines.csv", 2, "end", "end_before_start"),
        ("medicines.csv", 3, "atc", "atc"),
        ("medicines.csv", 4, "regular", "regular"),
        ("medicines.csv", 5, "national_id", "unknown_person"),
        ("persons.csv", 3, "national_id", "id_checksum"),
        ("persons.csv", 4, "birth_date", "birth_mismatch"),
        ("persons.csv", 5, "sex", "sex"),
        ("persons.csv", 6, "national_id", "duplicate_person"),
        ("services.csv", 2, "hours_per_week", "negative"),
        ("services.csv", 3, "hours_per_week", "not_number"),
        ("services.csv", 4, "hours_per_week", "too_large"),
        ("services.csv", 5, "kind", "missing"),
    ]
    assert result.error_count == 22
    text = [str(e) for e in result.errors]
    # Clear Norwegian, with the place; identity numbers never shown whole.
    assert text[14] == "persons.csv, linje 3, kolonne national_id «128438 *****»: " + (
        "Kontrollsifrene stemmer ikke: ikke et gyldig fødselsnummer eller D-nummer."
    )
    assert "første gang på linje 2" in text[17]
    assert "som sier 1945-11-03" in text[15]
    assert text[6].endswith("Datoen er fram i tid.")
    lines = result.lines()
    assert lines[0] == "Uttrekket ble ikke lest inn: 22 feil. Ingenting er lagret."
    assert all(KARI not in line and bad_check not in line for line in lines)


def test_dnummer_and_synthetic_numbers_are_accepted_and_bad_control_digits_refused(
    cast: Any, tmp_path: Path
) -> None:
    born = datetime.date(1950, 6, 1)
    synthetic_d = identity.make_synthetic(born, sex=identity.Sex.MALE, d_number=True)
    bad = synthetic_d[:-2] + f"{(int(synthetic_d[-2:]) + 1) % 100:02d}"
    ok = write_csv(
        tmp_path / "ok" / "persons.csv",
        PERSONS,
        f"{synthetic_d},1950-06-01,male,",
        f"{KARI},1938-04-12,female,",
    )
    result = import_extract(municipality=cast.municipalities["fjordvik"], path=ok)
    assert result.ok, result.lines()
    refused = import_extract(
        municipality=cast.municipalities["fjordvik"],
        path=write_csv(tmp_path / "bad" / "persons.csv", PERSONS, f"{bad},1950-06-01,male,"),
    )
    assert _codes(refused.errors) == [("persons.csv", 2, "national_id", "id_checksum")]


@override_settings(ALLOW_SYNTHETIC_IDS=False)
def test_synthetic_numbers_are_refused_where_the_installation_does_not_allow_them(cast: Any) -> None:
    result = import_extract(municipality=cast.municipalities["fjordvik"], path=CSV_EXTRACT)
    assert not result.ok
    assert {e.code for e in result.errors} == {"id_synthetic"}
    assert result.error_count == 4


def test_line_numbers_count_blank_lines_and_line_breaks_inside_quotes(cast: Any, tmp_path: Path) -> None:
    extract = copy_extract(tmp_path / "e")
    (extract / "services.csv").write_text(
        "national_id,kind,hours_per_week,start,end\n"
        f'{KARI},"hjemmesykepleie\nnatt",1,2021-07-01,\n'  # lines 2-3
        "\n"  # line 4
        f"{KARI},hjemmesykepleie,x,2021-07-01,\n",  # line 5
        encoding="utf-8",
    )
    result = import_extract(municipality=cast.municipalities["fjordvik"], path=extract)
    assert _codes(result.errors) == [("services.csv", 5, "hours_per_week", "not_number")]


def test_header_and_file_problems(cast: Any, tmp_path: Path) -> None:
    town = cast.municipalities["fjordvik"]
    header = write_csv(
        tmp_path / "h" / "persons.csv", "national_id,birth_date,kjonn,gp_hpr", f"{KARI},1938-04-12,female,"
    )
    assert _codes(import_extract(municipality=town, path=header).errors) == [
        ("persons.csv", 1, "kjonn", "unknown_column"),
        ("persons.csv", 1, "sex", "missing_column"),
    ]
    ragged = write_csv(tmp_path / "r" / "persons.csv", PERSONS, f"{KARI},1938-04-12,female,,extra")
    assert _codes(import_extract(municipality=town, path=ragged).errors) == [("persons.csv", 2, "", "ragged")]
    latin = tmp_path / "l" / "persons.csv"
    latin.parent.mkdir()
    latin.write_bytes(
        f"{PERSONS}\n{KARI},1938-04-12,female,\n{ODD},1945-11-03,male,Bjørn\n".encode("latin-1")
    )
    assert _codes(import_extract(municipality=town, path=latin).errors) == [
        ("persons.csv", 3, "", "encoding")
    ]
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert [e.code for e in import_extract(municipality=town, path=empty).errors] == ["no_tables"]
    assert [e.code for e in import_extract(municipality=town, path=tmp_path / "missing").errors] == [
        "not_found"
    ]
    both = copy_extract(tmp_path / "both")
    (both / "persons.parquet").write_bytes(b"")
    assert "both_formats" in [e.code for e in import_extract(municipality=town, path=both).errors]


def test_the_error_list_is_capped_with_a_count(cast: Any, tmp_path: Path) -> None:
    rows = [f"{KARI},icpc2,T90,1999-13-{day % 28 + 1:02d},gp" for day in range(ERROR_LIMIT + 50)]
    extract = tmp_path / "many"
    write_csv(extract / "persons.csv", PERSONS, f"{KARI},1938-04-12,female,")
    write_csv(extract / "diagnoses.csv", "national_id,system,code,date,source", *rows)
    result = import_extract(municipality=cast.municipalities["fjordvik"], path=extract)
    assert result.error_count == ERROR_LIMIT + 50
    assert len(result.errors) == ERROR_LIMIT
    assert result.errors[0].line == 2
    assert result.errors[-1].line == ERROR_LIMIT + 1
    assert result.lines()[-1] == "… og 50 feil til."
