"""Code systems of the FHIR import, and the two small mapping tables for what Synthea emits
(``data/snomed_to_icd10.csv``, ``data/rxnorm_to_atc.csv``; see docs/risk-import-format.md).

The tables are ours, made for the conditions and medicines that matter to the risk model and the
frailty index; they are not a terminology service. A code they do not know is skipped and
counted, never guessed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# HL7 Norway no-basis identifier systems
FNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1"
DNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.2"
HPR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.4"
PERSON_SYSTEMS = (FNR_SYSTEM, DNR_SYSTEM)

# Code systems (canonical URL or the Norwegian Volven OID)
ICD10_SYSTEMS = frozenset(
    {
        "http://hl7.org/fhir/sid/icd-10",
        "http://hl7.org/fhir/sid/icd-10-no",
        "urn:oid:2.16.578.1.12.4.1.1.7110",
    }
)
ICPC2_SYSTEMS = frozenset({"urn:oid:2.16.578.1.12.4.1.1.7170", "http://hl7.org/fhir/sid/icpc-2"})
SNOMED_SYSTEM = "http://snomed.info/sct"
ATC_SYSTEMS = frozenset({"http://www.whocc.no/atc", "urn:oid:2.16.578.1.12.4.1.1.7180"})
RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"

# Encounter.class (v3 ActCode) and what it becomes
EMERGENCY_CLASSES = frozenset({"EMER"})
INPATIENT_CLASSES = frozenset({"IMP", "ACUTE", "NONAC", "INPATIENT"})
AMBULATORY_CLASSES = frozenset({"AMB", "VR"})
# Encounter.priority (v3 ActPriority) that make an inpatient stay an emergency admission
EMERGENCY_PRIORITIES = frozenset({"EM", "UR", "S", "A", "CR"})
# Encounter.hospitalization.admitSource (HL7 admit-source) for "from the emergency department"
EMERGENCY_ADMIT_SOURCES = frozenset({"emd"})
# Encounter.type (SNOMED CT) of a visit to one's GP: the primary-care visits Synthea writes
GP_ENCOUNTER_TYPES = frozenset(
    {
        "185349003",  # Encounter for check up
        "162673000",  # General examination of patient
        "185345009",  # Encounter for symptom
        "185347001",  # Encounter for problem
        "390906007",  # Follow-up encounter
        "185389009",  # Follow-up visit
        "410620009",  # Well child visit
        "270427003",  # Patient-initiated encounter
        "308335008",  # Patient encounter procedure
        "698314001",  # Consultation for treatment
    }
)
# Encounter.type of an urgent-care visit: in Norway that is legevakt (out of hours)
OUT_OF_HOURS_ENCOUNTER_TYPES = frozenset({"702927004"})  # Urgent care clinic


@cache
def snomed_to_icd10() -> dict[str, str]:
    with (DATA / "snomed_to_icd10.csv").open(encoding="utf-8", newline="") as handle:
        return {row["snomed"]: row["icd10"] for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class _Medicines:
    by_code: dict[str, str]
    # ingredient key ("a" or "a+b", sorted) -> [(form word or "", atc)]
    by_ingredients: dict[str, list[tuple[str, str]]]
    pattern: re.Pattern[str]


@cache
def _medicines() -> _Medicines:
    by_code: dict[str, str] = {}
    by_ingredients: dict[str, list[tuple[str, str]]] = {}
    names: set[str] = set()
    with (DATA / "rxnorm_to_atc.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["rxnorm"]:
                by_code[row["rxnorm"]] = row["atc"]
            key = "+".join(sorted(row["ingredient"].split("+")))
            by_ingredients.setdefault(key, []).append((row["form"], row["atc"]))
            names.update(row["ingredient"].split("+"))
    # Longest names first, so that "penicillin v" wins over a shorter name inside it.
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return _Medicines(by_code, by_ingredients, re.compile(rf"\b({alternatives})\b"))


def rxnorm_to_atc(code: str, text: str) -> str | None:
    """The ATC code for an RxNorm concept: by its code if the table has it, else by the
    ingredients named in its display text (all of them must be known, and a combination needs a
    row of its own); ``None`` when neither says."""
    tables = _medicines()
    if code in tables.by_code:
        return tables.by_code[code]
    lowered = text.lower()
    found = sorted(set(tables.pattern.findall(lowered)))
    if not found:
        return None
    rows = tables.by_ingredients.get("+".join(found), [])
    for form, atc in rows:
        if form and form in lowered:
            return atc
    for form, atc in rows:
        if not form:
            return atc
    return None
