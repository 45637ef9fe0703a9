"""The errors of an import: one bad row, cell or file, and its reason in Norwegian."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    # The extract and its files
    "no_tables": _(
        "Fant ingen tabeller. Et uttrekk er en mappe med persons, diagnoses, medicines, contacts "
        "og services som .csv eller .parquet, eller én slik fil."
    ),
    "not_found": _("Fant ikke filen eller mappen."),
    "unknown_table": _(
        "Filnavnet er ikke en av tabellene persons, diagnoses, medicines, contacts, services."
    ),
    "both_formats": _("Tabellen finnes både som .csv og .parquet; ta med bare én."),
    "encoding": _("Filen er ikke UTF-8 (feil tegn på denne linjen)."),
    "unreadable": _("Filen kan ikke leses: %(arg)s"),
    "ragged": _("Linjen har flere felt enn overskriften."),
    "missing_column": _("Kolonnen mangler i overskriften."),
    "unknown_column": _("Ukjent kolonne."),
    "duplicate_column": _("Kolonnen står to ganger i overskriften."),
    # Values
    "missing": _("Verdien mangler."),
    "id_length": _("Fødselsnummeret må ha 11 sifre."),
    "id_format": _("Fødselsnummeret kan bare inneholde sifre."),
    "id_checksum": _("Kontrollsifrene stemmer ikke: ikke et gyldig fødselsnummer eller D-nummer."),
    "id_date": _("Fødselsnummeret inneholder ingen gyldig fødselsdato."),
    "id_future": _("Fødselsnummeret har en fødselsdato fram i tid."),
    "id_synthetic": _("Syntetiske fødselsnumre (måned + 80) er ikke tillatt i denne installasjonen."),
    "id_not_person": _("Et H-nummer eller FH-nummer er ikke et fødselsnummer eller D-nummer."),
    "duplicate_person": _("Personen står flere ganger i persons (første gang på linje %(arg)s)."),
    "unknown_person": _("Personen finnes ikke i persons."),
    "unknown_subject": _("Personen er ikke lest inn før, og uttrekket har ingen persons-tabell."),
    "not_date": _("Ikke en dato på formen ÅÅÅÅ-MM-DD."),
    "future": _("Datoen er fram i tid."),
    "too_old": _("Datoen er før 1900."),
    "end_before_start": _("Sluttdatoen er før startdatoen."),
    "before_birth": _("Datoen er før personens fødselsdato."),
    "birth_mismatch": _("Fødselsdatoen stemmer ikke med fødselsnummeret, som sier %(arg)s."),
    "sex": _("Kjønn må være female eller male."),
    "hpr": _("HPR-nummeret kan bare ha sifre (høyst 9)."),
    "system": _("Ukjent kodeverk: bruk icpc2 eller icd10."),
    "icpc2_code": _("Ikke en ICPC-2-kode (kapittelbokstav og to sifre, f.eks. T90)."),
    "icd10_code": _(
        "Ikke en ICD-10-kode (bokstav, to sifre, eventuelt punktum og ett eller to tegn, f.eks. E11.9)."
    ),
    "atc": _("Ikke en ATC-kode (f.eks. C09AA05)."),
    "regular": _("Må være true eller false."),
    "contact_kind": _(
        "Ukjent kontakttype: bruk gp, out_of_hours, emergency_admission, planned_admission eller outpatient."
    ),
    "not_integer": _("Må være et helt antall døgn."),
    "not_number": _("Ikke et tall."),
    "negative": _("Kan ikke være negativt."),
    "too_large": _("Urimelig stort tall (mer enn %(arg)s)."),
    "too_long": _("For lang tekst (høyst %(arg)s tegn)."),
    "source": _("Kilden kan bare ha små bokstaver, sifre og _."),
    # FHIR
    "fhir_json": _("Ikke gyldig JSON: %(arg)s"),
    "fhir_structure": _("Ressursen følger ikke FHIR R4: %(arg)s"),
    "fhir_not_bundle": _("Filen er verken en FHIR Bundle eller NDJSON med ressurser."),
    "fhir_patient_ref": _("Ressursen viser til en pasient som ikke finnes i uttrekket."),
    "fhir_gender": _("Pasienten mangler kjønn (male eller female)."),
    "fhir_birth_date": _("Pasienten mangler fødselsdato."),
    "fhir_no_date": _("Ressursen har ingen dato (%(arg)s)."),
    "fhir_duplicate_patient": _("Pasienten står flere ganger i uttrekket."),
}


# What a FHIR import skipped (not errors), by the key it counts under.
SKIPPED: dict[str, StrPromise] = {
    "other_resources": _("ressurser av typer som ikke brukes"),
    "deceased": _("døde pasienter og ressurser om dem"),
    "cancelled_contacts": _("avlyste, planlagte eller feilregistrerte kontakter"),
    "contact_class": _("kontakter av klasse %(arg)s"),
    "refuted_diagnoses": _("feilregistrerte eller avkreftede diagnoser"),
    "unmapped_diagnoses": _("diagnoser uten ICD-10, ICPC-2 eller kjent SNOMED CT-kode"),
    "cancelled_medicines": _("avbrutte, utkast eller feilregistrerte legemidler"),
    "unmapped_medicines": _("legemidler uten ATC eller kjent RxNorm-kode"),
}


def skipped_label(key: str) -> str:
    """``contact_class:HH`` -> «kontakter av klasse HH»."""
    name, _sep, arg = key.partition(":")
    text = str(SKIPPED.get(name, name))
    return text % {"arg": arg} if "%(arg)s" in text else text


@dataclass(frozen=True)
class RowError:
    """One bad row, cell or file. ``line`` is ``None`` for a problem with a whole file or folder."""

    file: str
    line: int | None
    code: str
    column: str = ""
    value: str = ""
    arg: str = ""

    @property
    def unit(self) -> str:
        suffix = Path(self.file).suffix.lower()
        if suffix == ".parquet":
            return str(_("rad"))
        if suffix == ".json":
            return str(_("oppføring"))
        return str(_("linje"))

    @property
    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"{self.unit} {self.line}")
        if self.column:
            parts.append(str(_("kolonne %(column)s")) % {"column": self.column})
        return ", ".join(parts)

    @property
    def message(self) -> str:
        text = str(MESSAGES.get(self.code, self.code))
        return text % {"arg": self.arg} if "%(arg)s" in text else text

    def __str__(self) -> str:
        shown = f" «{self.value}»" if self.value else ""
        return f"{self.where}{shown}: {self.message}"
