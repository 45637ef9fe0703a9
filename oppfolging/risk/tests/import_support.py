"""Helpers of the import tests: the fixture extract, copies of it, and counting what is stored."""

from __future__ import annotations

import shutil
from pathlib import Path

from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.risk.models import Contact, Diagnosis, ImportBatch, MedicineUse, MunicipalService, RiskSubject

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CSV_EXTRACT = FIXTURES / "extract_csv"
MODELS = (RiskSubject, Diagnosis, MedicineUse, Contact, MunicipalService, ImportBatch)


def copy_extract(target: Path, source: Path = CSV_EXTRACT) -> Path:
    shutil.copytree(source, target)
    return target


def counts(municipality: Municipality) -> dict[str, int]:
    """Rows of every risk table and the audit log, for ``municipality``."""
    with unscoped():
        result = {m.__name__: m.all_tenants.filter(municipality=municipality).count() for m in MODELS}
        result["AuditEvent"] = AuditEvent.all_tenants.filter(municipality=municipality).count()
    return result


def write_csv(path: Path, header: str, *rows: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
