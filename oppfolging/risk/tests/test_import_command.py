"""``manage.py risk_import``: a summary when all is well, every error and exit code 1 when not."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from oppfolging.core.tenancy import unscoped
from oppfolging.risk.models import ImportBatch
from oppfolging.risk.tests.import_support import CSV_EXTRACT, FIXTURES, counts, write_csv

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("risk_import", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_the_command_imports_and_prints_a_summary(cast: Any) -> None:
    town = cast.municipalities["fjordvik"]
    out = _run(str(CSV_EXTRACT), "--municipality", town.number, "--user", "fjordvik-ke")
    assert "Uttrekket er lest inn (csv)" in out
    assert "Personer: 4, nye 4, endret 0, uendret 0" in out
    assert "diagnoses 6" in out
    with unscoped():
        assert ImportBatch.all_tenants.get(municipality=town).imported_by == cast.users["fjordvik-ke"]
    assert "allerede lest inn" in _run(str(CSV_EXTRACT), "--municipality", town.number)


def test_the_command_reads_fhir(cast: Any) -> None:
    out = _run(str(FIXTURES / "fhir_bundles"), "--municipality", "9902", "--format", "fhir")
    assert "Uttrekket er lest inn (fhir)" in out
    assert "Hoppet over" in out


def test_the_command_prints_the_errors_and_exits_with_1(cast: Any, tmp_path: Path) -> None:
    town = cast.municipalities["fjordvik"]
    before = counts(town)
    bad = write_csv(
        tmp_path / "persons.csv", "national_id,birth_date,sex,gp_hpr", "12345678901,1938-04-12,female,"
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("risk_import", str(bad), "--municipality", town.number, stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert str(raised.value) == "Uttrekket ble ikke lest inn: 1 feil. Ingenting er lagret."
    assert "persons.csv, linje 2, kolonne national_id «123456 *****»" in err.getvalue()
    assert counts(town) == before


def test_the_command_refuses_an_unknown_municipality(cast: Any) -> None:
    with pytest.raises(CommandError, match="No municipality"):
        _run(str(CSV_EXTRACT), "--municipality", "0000")
