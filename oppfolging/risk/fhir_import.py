"""Importing HL7 FHIR R4 (Bundles such as Synthea writes, one per patient, or NDJSON bulk files)
into the risk tables, through the same checks and store as CSV (:mod:`importing`).

Each resource we use is structure-checked with ``fhir.resources.R4B`` (which checks shape, not
codes); the codes are checked by us. The resources become the contract's text tables, each row
remembering the file and the line (NDJSON) or entry (Bundle) it came from, so a bad value is
reported where it stands. The mapping is documented in docs/risk-import-format.md:

- Patient → persons: the fødselsnummer or D-nummer identifier; otherwise (Synthea) a synthetic
  number (month + 80) made from the patient's id and birth date, the same for the same patient;
  the GP's HPR number from ``generalPractitioner``. Deceased patients are skipped.
- Condition → diagnoses (ICD-10, ICPC-2, or SNOMED CT through ``data/snomed_to_icd10.csv``).
- MedicationRequest / MedicationStatement → medicines (ATC, or RxNorm through
  ``data/rxnorm_to_atc.csv``); regular unless ``asNeeded``.
- Encounter → contacts by class, priority and type.

What cannot be mapped (an unknown code, a cancelled encounter, a resource type we do not use) is
skipped and counted, not an error; a resource that breaks the structure or refers to a patient
that is not there is an error, and then nothing is stored.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import TYPE_CHECKING

from oppfolging.risk.fhir_mapping import Mapper
from oppfolging.risk.fhir_read import collect, fhir_files, looks_like_fhir
from oppfolging.risk.import_errors import RowError
from oppfolging.risk.importing import ImportResult, import_tables

if TYPE_CHECKING:
    from oppfolging.accounts.models import User
    from oppfolging.core.models import Municipality

__all__ = ["import_fhir", "looks_like_fhir"]


def import_fhir(*, municipality: Municipality, path: str | Path, actor: User | None = None) -> ImportResult:
    """Check and store the FHIR R4 input at ``path`` (a Bundle file, an NDJSON file, or a folder
    of them) for ``municipality``."""
    started = time.perf_counter()
    path = Path(path)
    files = fhir_files(path)
    digest = hashlib.sha256()
    collected = collect(files, digest)
    if not files:
        collected.errors.append(
            RowError(file=path.name, line=None, code="not_found" if not path.exists() else "fhir_not_bundle")
        )
    tables = Mapper(collected).run() if files else {}
    result = import_tables(
        municipality=municipality,
        tables=tables,
        errors=collected.errors,
        file_name=path.name,
        file_hash=digest.hexdigest() if files else "",
        format="fhir",
        actor=actor,
        skipped=dict(collected.skipped),
    )
    result.seconds = time.perf_counter() - started
    return result
