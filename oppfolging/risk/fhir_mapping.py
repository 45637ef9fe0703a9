"""Mapping FHIR R4 resources to the contract's text tables (docs/risk-import-format.md, "FHIR
R4"). Each row remembers the file and line or entry of the resource it came from, so the
import's checks report a bad value where it stands."""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from oppfolging.lib import identity
from oppfolging.risk import fhir_codes as codes
from oppfolging.risk.fhir_read import Collected, Located
from oppfolging.risk.import_checks import COLUMNS, RawTable, tidy
from oppfolging.risk.import_errors import RowError
from oppfolging.risk.models import ContactKind

SKIP_STATUS = {
    "Condition": frozenset({"entered-in-error", "refuted"}),
    "MedicationRequest": frozenset({"entered-in-error", "cancelled", "draft"}),
    "MedicationStatement": frozenset({"entered-in-error", "not-taken"}),
    "Encounter": frozenset({"planned", "cancelled", "entered-in-error"}),
}
ENDED_STATUS = frozenset({"stopped", "completed"})
SYNTHETIC_SERIALS = 500


def _reference(ref: Any) -> str | None:
    """A reference as one of :attr:`Located.keys` (``Type/id``, ``urn:uuid:…``, or ``nid:<number>``
    for a logical reference by fødselsnummer)."""
    if not isinstance(ref, dict):
        return None
    text = ref.get("reference")
    if isinstance(text, str) and text:
        if text.startswith("urn:"):
            return text
        parts = [p for p in text.split("/_history/")[0].split("/") if p]
        return "/".join(parts[-2:]) if len(parts) >= 2 else text
    ident = ref.get("identifier")
    if isinstance(ident, dict) and ident.get("system") in codes.PERSON_SYSTEMS and ident.get("value"):
        return f"nid:{ident['value']}"
    return None


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict) and c.get("code")]


def _code_of(concept: Any, systems: frozenset[str] | set[str]) -> str | None:
    for coding in _codings(concept):
        if coding.get("system") in systems:
            return str(coding["code"])
    return None


def _day(value: Any) -> str | None:
    """The date part of a FHIR date or dateTime (a partial date stays partial and is refused by
    the checks as not a date)."""
    return value[:10] if isinstance(value, str) and value else None


def _status(resource: dict[str, Any], kind: str) -> str:
    if kind == "Condition":
        return (
            _code_of(
                resource.get("verificationStatus"),
                {"http://terminology.hl7.org/CodeSystem/condition-ver-status"},
            )
            or ""
        )
    return str(resource.get("status") or "")


@dataclass
class Patient:
    located: Located
    national_id: str
    birth_date: str
    sex: str
    gp_hpr: str | None


@dataclass
class Mapper:
    collected: Collected
    index: dict[str, Located] = field(default_factory=dict)
    patients: dict[str, Patient] = field(default_factory=dict)  # by every key of the Patient
    dead: set[str] = field(default_factory=set)
    bad: set[str] = field(default_factory=set)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    encounter_kinds: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[RowError]:
        return self.collected.errors

    @property
    def skipped(self) -> Counter[str]:
        return self.collected.skipped

    def run(self) -> dict[str, RawTable]:
        for kind in ("Practitioner", "Medication", "Encounter"):
            for located in self.collected.by_type.get(kind, []):
                for key in located.keys:
                    self.index[key] = located
        self.map_patients()
        self.map_encounters()
        self.map_conditions()
        self.map_medicines()
        tables = {}
        for name in ("persons", "diagnoses", "medicines", "contacts"):
            columns = dict.fromkeys(COLUMNS[name], pl.Utf8) | {"_file": pl.Utf8, "_line": pl.Int64}
            frame = pl.DataFrame(self.rows.get(name, []), schema=columns)
            tables[name] = RawTable(name, tidy(frame, name))
        return tables

    def _row(self, table: str, located: Located, **values: str | None) -> None:
        self.rows[table].append({**values, "_file": located.file, "_line": located.line})

    def _patient_of(self, located: Located, field_name: str = "subject") -> Patient | None:
        """The patient a resource is about; ``None`` (and an error, or a count) when it is none
        we import."""
        key = _reference(located.resource.get(field_name) or located.resource.get("patient"))
        if key is not None and key in self.dead:
            self.skipped["deceased"] += 1
            return None
        if key is not None and key in self.bad:
            return None  # the patient's own error is reported
        patient = self.patients.get(key) if key else None
        if patient is None:
            self.errors.append(RowError(file=located.file, line=located.line, code="fhir_patient_ref"))
        return patient

    # --- Patient -----------------------------------------------------------------------------

    def map_patients(self) -> None:
        waiting: list[tuple[Located, datetime.date, identity.Sex]] = []
        used: set[str] = set()
        for located in self.collected.by_type.get("Patient", []):
            resource = located.resource
            if resource.get("deceasedBoolean") or resource.get("deceasedDateTime"):
                self.dead.update(located.keys)
                self.skipped["deceased"] += 1
                continue
            if any(key in self.patients for key in located.keys):
                self.errors.append(
                    RowError(file=located.file, line=located.line, code="fhir_duplicate_patient")
                )
                continue
            gender = resource.get("gender")
            born = resource.get("birthDate")
            if gender not in ("female", "male"):
                self._bad(located, "fhir_gender")
                continue
            if not isinstance(born, str) or len(born) != 10:
                self._bad(located, "fhir_birth_date")
                continue
            number = next(
                (
                    str(i["value"])
                    for i in resource.get("identifier") or []
                    if isinstance(i, dict) and i.get("system") in codes.PERSON_SYSTEMS and i.get("value")
                ),
                None,
            )
            gp = self._gp_of(resource)
            if number is None:
                try:
                    birth = datetime.date.fromisoformat(born)
                except ValueError:
                    self._bad(located, "fhir_birth_date")
                    continue
                waiting.append((located, birth, identity.Sex(gender)))
                continue
            used.add(number)
            self._add_patient(Patient(located, number, born, gender, gp))
        # Synthetic numbers last, in a fixed order, so that none collides with a real one and the
        # same patients always get the same numbers.
        for located, birth, sex in sorted(
            waiting, key=lambda w: str(w[0].resource.get("id") or w[0].full_url)
        ):
            number = self._synthetic(located, birth, sex, used)
            if number is None:
                self._bad(located, "id_date")
                continue
            used.add(number)
            self._add_patient(
                Patient(located, number, birth.isoformat(), sex.value, self._gp_of(located.resource))
            )

    def _bad(self, located: Located, code: str) -> None:
        self.bad.update(located.keys)
        self.errors.append(RowError(file=located.file, line=located.line, code=code))

    def _add_patient(self, patient: Patient) -> None:
        for key in [*patient.located.keys, f"nid:{patient.national_id}"]:
            self.patients[key] = patient
        self._row(
            "persons",
            patient.located,
            national_id=patient.national_id,
            birth_date=patient.birth_date,
            sex=patient.sex,
            gp_hpr=patient.gp_hpr,
        )

    @staticmethod
    def _synthetic(located: Located, birth: datetime.date, sex: identity.Sex, used: set[str]) -> str | None:
        """A synthetic number from the patient's id and birth date: the serial comes from a hash
        of the id, and moves on only if another patient already has the number."""
        seed = str(located.resource.get("id") or located.full_url)
        start = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % SYNTHETIC_SERIALS
        for step in range(SYNTHETIC_SERIALS):
            try:
                number = identity.make_synthetic(birth, sex=sex, serial=(start + step) % SYNTHETIC_SERIALS)
            except ValueError:
                return None
            if number not in used:
                return number
        return None  # pragma: no cover - 500 patients born the same day

    def _gp_of(self, resource: dict[str, Any]) -> str | None:
        """The HPR number of the patient's GP: on the reference itself, or on the Practitioner
        it points to."""
        for ref in resource.get("generalPractitioner") or []:
            if not isinstance(ref, dict):
                continue
            ident = ref.get("identifier")
            if isinstance(ident, dict) and ident.get("system") == codes.HPR_SYSTEM and ident.get("value"):
                return str(ident["value"])
            key = _reference(ref)
            target = self.index.get(key) if key else None
            if target is not None:
                for i in target.resource.get("identifier") or []:
                    if isinstance(i, dict) and i.get("system") == codes.HPR_SYSTEM and i.get("value"):
                        return str(i["value"])
        return None

    # --- Encounter ---------------------------------------------------------------------------

    def map_encounters(self) -> None:
        by_patient: dict[int, list[tuple[Located, Patient]]] = defaultdict(list)
        for located in self.collected.by_type.get("Encounter", []):
            if _status(located.resource, "Encounter") in SKIP_STATUS["Encounter"]:
                self.skipped["cancelled_contacts"] += 1
                continue
            patient = self._patient_of(located)
            if patient is None:
                continue
            if _day((located.resource.get("period") or {}).get("start")) is None:
                self.errors.append(
                    RowError(file=located.file, line=located.line, code="fhir_no_date", arg="period.start")
                )
                continue
            by_patient[id(patient)].append((located, patient))
        for encounters in by_patient.values():
            encounters.sort(key=lambda e: str(e[0].resource["period"]["start"]))
            self._map_patient_encounters(encounters)

    def _map_patient_encounters(self, encounters: list[tuple[Located, Patient]]) -> None:
        merged: set[int] = set()
        for position, (located, patient) in enumerate(encounters):
            if position in merged:
                continue
            resource = located.resource
            klass = str((resource.get("class") or {}).get("code") or "").upper()
            start, _ = _period(resource)
            stay_from = located
            if klass in codes.EMERGENCY_CLASSES:
                stay = self._inpatient_after(encounters, position, merged)
                if stay is not None:
                    stay_from = stay
                    kind = ContactKind.EMERGENCY_ADMISSION
                elif resource.get("hospitalization"):
                    kind = ContactKind.EMERGENCY_ADMISSION
                else:
                    kind = ContactKind.OUT_OF_HOURS
            elif klass in codes.INPATIENT_CLASSES:
                kind = ContactKind.EMERGENCY_ADMISSION if _urgent(resource) else ContactKind.PLANNED_ADMISSION
            elif klass in codes.AMBULATORY_CLASSES:
                types = {c["code"] for t in resource.get("type") or [] for c in _codings(t)}
                if types & codes.OUT_OF_HOURS_ENCOUNTER_TYPES:
                    kind = ContactKind.OUT_OF_HOURS
                elif types & codes.GP_ENCOUNTER_TYPES or self._with_own_gp(resource, patient):
                    kind = ContactKind.GP
                else:
                    kind = ContactKind.OUTPATIENT
            else:
                self.skipped[f"contact_class:{klass or '?'}"] += 1
                continue
            stay_days: str | None = None
            if kind in (ContactKind.EMERGENCY_ADMISSION, ContactKind.PLANNED_ADMISSION):
                first, last = _period(stay_from.resource)
                if first and last:
                    try:
                        stay_days = str(
                            (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(first)).days
                        )
                    except ValueError:
                        stay_days = None  # the checks report the bad date itself
            for key in [*located.keys, *stay_from.keys]:
                self.encounter_kinds[key] = kind
            self._row(
                "contacts",
                located,
                national_id=patient.national_id,
                date=start,
                kind=kind.value,
                length_of_stay=stay_days,
            )

    @staticmethod
    def _inpatient_after(
        encounters: list[tuple[Located, Patient]], position: int, merged: set[int]
    ) -> Located | None:
        """The inpatient stay an emergency visit led to: one that refers to it (``partOf``), or
        the next inpatient encounter starting between the visit's start and the day after it
        ended. It is merged into the visit: one emergency admission, not two contacts."""
        emergency = encounters[position][0]
        start, end = _period(emergency.resource)
        try:
            first = datetime.date.fromisoformat(start or "")
            last = datetime.date.fromisoformat(end or start or "") + datetime.timedelta(days=1)
        except ValueError:
            return None
        for later in range(position + 1, len(encounters)):
            if later in merged:
                continue
            stay = encounters[later][0]
            candidate = stay.resource
            klass = str((candidate.get("class") or {}).get("code") or "").upper()
            if klass not in codes.INPATIENT_CLASSES:
                continue
            part_of = _reference(candidate.get("partOf"))
            begins, _ = _period(candidate)
            try:
                day = datetime.date.fromisoformat(begins or "")
            except ValueError:
                continue
            if (part_of is not None and part_of in emergency.keys) or first <= day <= last:
                merged.add(later)
                return stay
            if day > last:
                break
        return None

    @staticmethod
    def _with_own_gp(resource: dict[str, Any], patient: Patient) -> bool:
        if not patient.gp_hpr:
            return False
        for participant in resource.get("participant") or []:
            ident = ((participant or {}).get("individual") or {}).get("identifier") or {}
            if ident.get("system") == codes.HPR_SYSTEM and str(ident.get("value")) == patient.gp_hpr:
                return True
        return False

    # --- Condition ---------------------------------------------------------------------------

    def map_conditions(self) -> None:
        for located in self.collected.by_type.get("Condition", []):
            resource = located.resource
            if _status(resource, "Condition") in SKIP_STATUS["Condition"]:
                self.skipped["refuted_diagnoses"] += 1
                continue
            patient = self._patient_of(located)
            if patient is None:
                continue
            system, code = _diagnosis_code(resource.get("code"))
            if code is None:
                self.skipped["unmapped_diagnoses"] += 1
                continue
            onset = resource.get("onsetPeriod") or {}
            date = (
                _day(resource.get("onsetDateTime"))
                or _day(onset.get("start"))
                or _day(resource.get("recordedDate"))
            )
            if date is None:
                self.errors.append(
                    RowError(
                        file=located.file, line=located.line, code="fhir_no_date", arg="onset, recordedDate"
                    )
                )
                continue
            kind = self.encounter_kinds.get(_reference(resource.get("encounter")) or "")
            self._row(
                "diagnoses",
                located,
                national_id=patient.national_id,
                system=system,
                code=code,
                date=date,
                source=_source(kind),
            )

    # --- MedicationRequest / MedicationStatement ----------------------------------------------

    def map_medicines(self) -> None:
        for kind in ("MedicationRequest", "MedicationStatement"):
            for located in self.collected.by_type.get(kind, []):
                self._map_medicine(located, kind)

    def _map_medicine(self, located: Located, kind: str) -> None:
        resource = located.resource
        status = _status(resource, kind)
        if status in SKIP_STATUS[kind]:
            self.skipped["cancelled_medicines"] += 1
            return
        patient = self._patient_of(located)
        if patient is None:
            return
        concept = resource.get("medicationCodeableConcept")
        if concept is None:
            target = self.index.get(_reference(resource.get("medicationReference")) or "")
            concept = target.resource.get("code") if target is not None else None
        atc = _atc_of(concept)
        if atc is None:
            self.skipped["unmapped_medicines"] += 1
            return
        if kind == "MedicationRequest":
            validity = (resource.get("dispenseRequest") or {}).get("validityPeriod") or {}
            start = _day(resource.get("authoredOn")) or _day(validity.get("start"))
            end = _day(validity.get("end"))
            dosages = resource.get("dosageInstruction") or []
        else:
            effective = resource.get("effectivePeriod") or {}
            start = (
                _day(resource.get("effectiveDateTime"))
                or _day(effective.get("start"))
                or _day(resource.get("dateAsserted"))
            )
            end = _day(effective.get("end"))
            dosages = resource.get("dosage") or []
        if start is None:
            arg = "authoredOn" if kind == "MedicationRequest" else "effective, dateAsserted"
            self.errors.append(RowError(file=located.file, line=located.line, code="fhir_no_date", arg=arg))
            return
        if end is None and status in ENDED_STATUS:
            end = start  # ended at a date the resource does not tell: counted as ended
        as_needed = any(
            isinstance(d, dict) and (d.get("asNeededBoolean") is True or d.get("asNeededCodeableConcept"))
            for d in dosages
        )
        self._row(
            "medicines",
            located,
            national_id=patient.national_id,
            atc=atc,
            start=start,
            end=end,
            regular="false" if as_needed else "true",
        )


def _period(resource: dict[str, Any]) -> tuple[str | None, str | None]:
    period = resource.get("period") or {}
    return _day(period.get("start")), _day(period.get("end"))


def _urgent(resource: dict[str, Any]) -> bool:
    priority = {str(c["code"]).upper() for c in _codings(resource.get("priority"))}
    admit = {
        str(c["code"]).lower() for c in _codings((resource.get("hospitalization") or {}).get("admitSource"))
    }
    return bool(priority & codes.EMERGENCY_PRIORITIES or admit & codes.EMERGENCY_ADMIT_SOURCES)


def _source(kind: str | None) -> str | None:
    if kind in (ContactKind.GP, ContactKind.OUT_OF_HOURS):
        return str(kind)
    if kind is not None:
        return "hospital"
    return None


def _diagnosis_code(concept: Any) -> tuple[str | None, str | None]:
    icd10 = _code_of(concept, codes.ICD10_SYSTEMS)
    if icd10 is not None:
        return "icd10", icd10
    icpc2 = _code_of(concept, codes.ICPC2_SYSTEMS)
    if icpc2 is not None:
        return "icpc2", icpc2
    snomed = _code_of(concept, {codes.SNOMED_SYSTEM})
    mapped = codes.snomed_to_icd10().get(snomed or "")
    if mapped is not None:
        return "icd10", mapped
    return None, None


def _atc_of(concept: Any) -> str | None:
    atc = _code_of(concept, codes.ATC_SYSTEMS)
    if atc is not None:
        return atc
    for coding in _codings(concept):
        if coding.get("system") == codes.RXNORM_SYSTEM:
            text = " ".join(str(t) for t in (coding.get("display"), (concept or {}).get("text")) if t)
            mapped = codes.rxnorm_to_atc(str(coding["code"]), text)
            if mapped is not None:
                return mapped
    return None
