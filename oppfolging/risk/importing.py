"""Importing an extract into one municipality's risk tables (docs/risk-import-format.md).

``import_extract`` reads a folder of CSV or Parquet tables (or one table file), checks every row
(:mod:`import_checks`), and only when nothing is wrong stores it in one transaction:

- subjects are upserted by national_id and linked to the municipality's registered Person with
  that number, if any;
- each imported subject's rows in every table the extract has are *replaced* by the extract's
  (a table the extract does not have is left as it was), and only for subjects whose data
  changed (``data_hash``, the engine's fingerprint, see :func:`extract.data_hashes`) — so the same
  data twice changes nothing, and a monthly extract rewrites only the persons whose data moved;
- an ``ImportBatch`` (unique file hash per municipality: the identical extract a second time is
  answered "already imported") and an audit row (``risk.import``) are written.

If any row is bad nothing is stored, and the result lists the errors with file, line and reason.
FHIR input (:mod:`fhir_import`) is converted to the same text tables and takes the same path.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.people.models import Person
from oppfolging.risk import import_checks, import_files
from oppfolging.risk.extract import SCHEMAS, TABLES, conform, data_hashes
from oppfolging.risk.import_checks import RawTable
from oppfolging.risk.import_errors import RowError, skipped_label
from oppfolging.risk.models import Contact, Diagnosis, ImportBatch, MedicineUse, MunicipalService, RiskSubject

if TYPE_CHECKING:
    from oppfolging.accounts.models import User
    from oppfolging.core.models import Municipality

ERROR_LIMIT = 200
BATCH_SIZE = 5000
CHUNK = 900  # ids per "IN (...)": far below every database's limit on query parameters
EVENT_TABLES = ("diagnoses", "medicines", "contacts", "services")
EVENT_MODELS: dict[str, type[Model]] = {
    "diagnoses": Diagnosis,
    "medicines": MedicineUse,
    "contacts": Contact,
    "services": MunicipalService,
}


@dataclass
class ImportResult:
    """What an import did, or why it stored nothing."""

    ok: bool
    format: str = ""
    already_imported: bool = False
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    batch: ImportBatch | None = None
    rows: dict[str, int] = field(default_factory=dict)
    subjects: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    linked: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The result in words, for the command line."""
        if self.already_imported:
            return [
                _("Dette uttrekket er allerede lest inn (%(when)s). Ingenting er endret.")
                % {"when": self._when()}
            ]
        if not self.ok:
            head = _("Uttrekket ble ikke lest inn: %(count)d feil. Ingenting er lagret.") % {
                "count": self.error_count
            }
            lines = [head, *(str(error) for error in self.errors)]
            if self.error_count > len(self.errors):
                rest = self.error_count - len(self.errors)
                lines.append(_("… og %(count)d feil til.") % {"count": rest})
            return lines
        lines = [
            _("Uttrekket er lest inn (%(format)s) på %(seconds).1f s.")
            % {"format": self.format, "seconds": self.seconds},
            _(
                "Personer: %(total)d, nye %(created)d, endret %(changed)d, uendret %(unchanged)d, "
                "koblet til registrert person %(linked)d."
            )
            % {
                "total": self.subjects,
                "created": self.created,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "linked": self.linked,
            },
            _("Rader: %(rows)s.")
            % {"rows": ", ".join(f"{name} {count}" for name, count in self.rows.items())},
        ]
        if self.skipped:
            parts = ", ".join(f"{skipped_label(key)}: {count}" for key, count in sorted(self.skipped.items()))
            lines.append(_("Hoppet over (ikke feil): %(parts)s.") % {"parts": parts})
        return lines

    def _when(self) -> str:
        if self.batch is None:
            return ""
        return timezone.localtime(self.batch.created_at).strftime("%Y-%m-%d %H:%M")


def import_extract(
    *, municipality: Municipality, path: str | Path, actor: User | None = None, format: str = "auto"
) -> ImportResult:
    """Check and store the CSV/Parquet extract at ``path`` for ``municipality``."""
    started = time.perf_counter()
    path = Path(path)
    if format in ("auto", "fhir"):
        from oppfolging.risk.fhir_import import import_fhir, looks_like_fhir

        tables, _problems = import_files.find_tables(path, "auto")
        if format == "fhir" or (not tables and looks_like_fhir(path)):
            return import_fhir(municipality=municipality, path=path, actor=actor)
    read = import_files.read_extract(path, format)
    result = import_tables(
        municipality=municipality,
        tables=read.tables,
        errors=read.errors,
        file_name=read.file_name,
        file_hash=read.file_hash,
        format=read.format or format,
        actor=actor,
    )
    result.seconds = time.perf_counter() - started
    return result


def already_imported(municipality: Municipality, file_hash: str) -> ImportBatch | None:
    return ImportBatch.all_tenants.filter(municipality=municipality, file_hash=file_hash).first()


def import_tables(
    *,
    municipality: Municipality,
    tables: Mapping[str, RawTable],
    errors: list[RowError],
    file_name: str,
    file_hash: str,
    format: str,
    actor: User | None,
    skipped: dict[str, int] | None = None,
) -> ImportResult:
    """Check ``tables`` (text, as read) and store them if all is well. ``errors``: problems the
    reader already found (they stop the import as any bad row does)."""
    started = time.perf_counter()
    result = ImportResult(ok=False, format=format, skipped=dict(skipped or {}))
    if file_hash and (batch := already_imported(municipality, file_hash)) is not None:
        result.already_imported, result.ok, result.batch = True, True, batch
        return result
    known = None
    if tables and "persons" not in tables:
        known = pl.Series(
            "national_id",
            list(
                RiskSubject.all_tenants.filter(municipality=municipality).values_list(
                    "national_id", flat=True
                )
            ),
            pl.Utf8,
        )
    today = timezone.localdate()
    found = import_checks.check(
        tables, known_ids=known, allow_synthetic=settings.ALLOW_SYNTHETIC_IDS, today=today
    )
    result.error_count = len(errors) + found.height
    if result.error_count or not tables:
        result.errors = (errors + import_checks.row_errors(found, ERROR_LIMIT))[:ERROR_LIMIT]
        if not tables and not errors:
            result.errors = [RowError(file=file_name, line=None, code="no_tables")]
            result.error_count = 1
        return result
    frames = import_checks.typed(tables)
    result.rows = {name: frames[name].height for name in TABLES if name in frames}
    try:
        with transaction.atomic():
            store(municipality=municipality, frames=frames, result=result)
            result.batch = ImportBatch.all_tenants.create(
                municipality=municipality,
                file_name=file_name[:255],
                file_hash=file_hash,
                format=format[:20],
                rows=sum(result.rows.values()),
                subjects=result.subjects,
                imported_by=actor,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                what="risk.import",
                role="system" if actor is None else "",
                municipality=municipality,
                object_uuid=result.batch.uuid,
                detail={
                    "file": file_name,
                    "format": format,
                    "rows": result.rows,
                    "subjects": result.subjects,
                    "created": result.created,
                    "changed": result.changed,
                    "skipped": result.skipped,
                },
            )
    except IntegrityError:
        # The same extract was imported at the same moment by someone else: theirs stands.
        batch = already_imported(municipality, file_hash)
        if batch is None:
            raise
        return ImportResult(ok=True, format=format, already_imported=True, batch=batch)
    result.ok = True
    result.seconds = time.perf_counter() - started
    return result


# --- Storing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stored:
    id: int
    birth_date: datetime.date
    sex: str
    gp_hpr: str
    person_id: int | None
    data_hash: str


def _chunks(values: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _affected(frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The subjects the extract speaks of: its persons, or (no persons table) everyone in its
    event tables, with the attributes stored on RiskSubject (None when the extract has none)."""
    if "persons" in frames:
        return frames["persons"]
    ids = pl.concat([frames[name].select("national_id") for name in EVENT_TABLES if name in frames]).unique()
    return ids.with_columns(
        pl.lit(None, pl.Date).alias("birth_date"),
        pl.lit(None, pl.Utf8).alias("sex"),
        pl.lit(None, pl.Utf8).alias("gp_hpr"),
    )


def _full_frames(
    municipality: Municipality, frames: Mapping[str, pl.DataFrame], ids: pl.Series
) -> dict[str, pl.DataFrame]:
    """All five tables for the affected subjects after the import: the extract's tables, and
    what is stored for the tables it does not have (needed for their fingerprint)."""
    full: dict[str, pl.DataFrame] = {}
    for name in TABLES:
        if name in frames:
            full[name] = frames[name]
        else:
            full[name] = stored_table(municipality, name).filter(pl.col("national_id").is_in(ids.implode()))
    return full


STORED_FIELDS: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "persons": (RiskSubject, ("national_id", "birth_date", "sex", "gp_hpr")),
    "diagnoses": (Diagnosis, ("subject__national_id", "system", "code", "on", "source")),
    "medicines": (MedicineUse, ("subject__national_id", "atc", "start", "end", "regular")),
    "contacts": (Contact, ("subject__national_id", "on", "kind", "length_of_stay")),
    "services": (MunicipalService, ("subject__national_id", "kind", "hours_per_week", "start", "end")),
}


def stored_table(municipality: Municipality, name: str) -> pl.DataFrame:
    """One table as stored for the municipality, as :func:`extract.extract_from_db` reads it
    (the same columns, types and empty-is-null), without reading the other four."""
    model, names = STORED_FIELDS[name]
    rows = model._base_manager.filter(municipality=municipality).values_list(*names)
    if name == "services":
        rows = [(n, k, float(h) if h is not None else None, s, e) for n, k, h, s, e in rows]  # type: ignore[assignment]
    frame = pl.DataFrame(list(rows), schema=list(SCHEMAS[name]), orient="row", infer_schema_length=None)
    return conform(name, frame.lazy()).collect()


def store(*, municipality: Municipality, frames: Mapping[str, pl.DataFrame], result: ImportResult) -> None:
    """Write checked, typed ``frames`` to the municipality's risk tables. Call inside a transaction."""
    where = {"municipality": municipality}
    existing = {
        row[0]: _Stored(*row[1:])
        for row in RiskSubject.all_tenants.filter(**where).values_list(
            "national_id", "id", "birth_date", "sex", "gp_hpr", "person_id", "data_hash"
        )
    }
    persons = dict(Person.all_tenants.filter(**where).values_list("national_id", "id"))
    subjects = _affected(frames)
    ids = subjects.get_column("national_id")
    hashes = dict(
        data_hashes(_full_frames(municipality, frames, ids))
        .collect()
        .select("national_id", "data_hash")
        .iter_rows()
    )
    new: list[RiskSubject] = []
    updated: list[tuple[Any, ...]] = []  # (birth_date, sex, gp_hpr, person_id, data_hash, id)
    replace: list[str] = []  # national_ids whose rows are (re)written
    for national_id, birth_date, sex, gp_hpr in subjects.select(
        "national_id", "birth_date", "sex", "gp_hpr"
    ).iter_rows():
        data_hash = hashes.get(national_id, "")
        person_id = persons.get(national_id)
        if person_id is not None:
            result.linked += 1
        old = existing.get(national_id)
        if old is None:
            new.append(
                RiskSubject(
                    municipality=municipality,
                    national_id=national_id,
                    birth_date=birth_date,
                    sex=sex,
                    gp_hpr=gp_hpr or "",
                    person_id=person_id,
                    data_hash=data_hash,
                )
            )
            replace.append(national_id)
            continue
        birth_date = birth_date or old.birth_date
        sex = sex or old.sex
        gp = (gp_hpr or "") if "persons" in frames else old.gp_hpr
        fields_same = (birth_date, sex, gp, person_id) == (old.birth_date, old.sex, old.gp_hpr, old.person_id)
        if fields_same and data_hash == old.data_hash:
            result.unchanged += 1
            continue
        updated.append((birth_date, sex, gp, person_id, data_hash, old.id))
        if data_hash != old.data_hash:
            replace.append(national_id)
            result.changed += 1
        else:
            result.unchanged += 1
    result.subjects = subjects.height
    result.created = len(new)
    RiskSubject.all_tenants.bulk_create(new, batch_size=BATCH_SIZE)
    _update_subjects(updated)
    if not replace:
        return
    subject_ids = dict(RiskSubject.all_tenants.filter(**where).values_list("national_id", "id"))
    replaced_old = [existing[n].id for n in replace if n in existing]
    for name in EVENT_TABLES:
        if name not in frames:
            continue
        model = EVENT_MODELS[name]
        for chunk in _chunks(replaced_old):
            model._base_manager.filter(municipality=municipality, subject_id__in=chunk).delete()
        rows = frames[name].filter(pl.col("national_id").is_in(pl.Series(replace, dtype=pl.Utf8).implode()))
        insert_rows(model, _event_columns(name, rows, subject_ids, municipality.pk))


def _update_subjects(rows: list[tuple[Any, ...]]) -> None:
    """Update changed subjects with one prepared statement run for every row (``bulk_update``
    builds a CASE expression per field and object, which for 50 000 subjects took over a minute)."""
    if not rows:
        return
    fields = ("birth_date", "sex", "gp_hpr", "person", "data_hash", "updated_at")
    column = {f.name: f.column for f in RiskSubject._meta.concrete_fields}
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column[f])} = %s" for f in fields)
    # Table and column names come from the model, quoted; every value is a parameter.
    sql = f"UPDATE {quote(RiskSubject._meta.db_table)} SET {assignments} WHERE {quote(column['id'])} = %s"  # noqa: S608
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    adapt_date = connection.ops.adapt_datefield_value
    params = [
        (adapt_date(born), sex, gp, person, data_hash, stamp, pk)
        for born, sex, gp, person, data_hash, pk in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE):
            cursor.executemany(sql, params[start : start + BATCH_SIZE])


# Every event table's model field -> the contract column it is filled from.
EVENT_FIELDS: dict[str, dict[str, str]] = {
    "diagnoses": {"system": "system", "code": "code", "on": "date", "source": "source"},
    "medicines": {"atc": "atc", "start": "start", "end": "end", "regular": "regular"},
    "contacts": {"on": "date", "kind": "kind", "length_of_stay": "length_of_stay"},
    "services": {"kind": "kind", "hours_per_week": "hours_per_week", "start": "start", "end": "end"},
}
NOT_NULL_TEXT = frozenset({("diagnoses", "source")})


def new_uuids(count: int) -> pl.Series:
    """``count`` random (version 4) UUIDs as 32 hex digits, made in one go."""
    raw = np.frombuffer(os.urandom(16 * count), dtype=np.uint8).reshape(count, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    data = raw.tobytes()
    return pl.Series(
        "uuid", [data[i : i + 16] for i in range(0, 16 * count, 16)], dtype=pl.Binary
    ).bin.encode("hex")


def _stamp() -> str:
    """Now, as the database stores a DateTimeField (text, for an insert that bypasses the ORM)."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        return now.isoformat()
    return str(connection.ops.adapt_datetimefield_value(now))


def _event_columns(
    name: str, rows: pl.DataFrame, subject_ids: Mapping[str, int], municipality_id: int
) -> pl.DataFrame:
    """The rows of one event table as the model's database columns, ready to insert."""
    model = EVENT_MODELS[name]
    column = {f.name: f.column for f in model._meta.concrete_fields}
    ids = pl.DataFrame(
        {"national_id": list(subject_ids), "_subject": list(subject_ids.values())},
        schema={"national_id": pl.Utf8, "_subject": pl.Int64},
    )
    rows = rows.join(ids, on="national_id", how="left")
    stamp = _stamp()
    columns = [
        new_uuids(rows.height).alias(column["uuid"]),
        pl.lit(stamp).alias(column["created_at"]),
        pl.lit(stamp).alias(column["updated_at"]),
        pl.lit(municipality_id, pl.Int64).alias(column["municipality"]),
        pl.col("_subject").alias(column["subject"]),
    ]
    for field_name, source in EVENT_FIELDS[name].items():
        expr = pl.col(source)
        if (name, field_name) in NOT_NULL_TEXT:
            expr = expr.fill_null("")
        columns.append(expr.alias(column[field_name]))
    return rows.select(columns)


def insert_rows(model: type[Model], frame: pl.DataFrame) -> None:
    """Insert ``frame`` (columns named as the table's) in bulk: PostgreSQL's COPY, or batches of
    ``executemany`` elsewhere. Django's ``bulk_create`` builds a model object and prepares every
    value one by one, which for a municipality's million event rows took minutes; here Polars
    prepares the values column by column (see docs/risk-import-format.md, "Speed")."""
    if frame.is_empty():
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                for chunk in frame.iter_slices(100_000):
                    copy.write(chunk.write_csv(include_header=False))
            return
        text = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        placeholders = ", ".join(["%s"] * frame.width)
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - names from the model
        for chunk in text.iter_slices(BATCH_SIZE):
            cursor.executemany(sql, chunk.rows())
